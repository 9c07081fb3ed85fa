// snapshot [list] | create NAME | delete NAME — the filesystem's read-only snapshots. A snapshot
// keeps everything committed when it was made (sharing blocks with the live tree, copy-on-write);
// its files are read at /@NAME/… — `ls /@NAME`, `cat /@NAME/file`, `cp /@NAME/file /file`.
import UserLib

nonisolated(unsafe) var tool = Tool("snapshot", accepted: "", usage: "snapshot [list] | create NAME | delete NAME")   // one thread: see Tool
let words = tool.operands
switch (words.first ?? "list", words.count) {
case ("list", 0), ("list", 1):
    switch Files.snapshots() {
    case .failure(let e): tool.report("cannot list snapshots", e)
    case .success(let list):
        for s in list { print("\(s.name)  (generation \(s.generation))  /@\(s.name)") }
    }
case ("create", 2):
    if case .failure(let e) = Files.snapshot(words[1]) { tool.report("cannot create '\(words[1])'", e) }
case ("delete", 2):
    if case .failure(let e) = Files.deleteSnapshot(words[1]) { tool.report("cannot delete '\(words[1])'", e) }
default:
    tool.usage("snapshot [list] | create NAME | delete NAME")
}
tool.finish()
