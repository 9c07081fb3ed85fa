// ls [-l] [-a] [-F] [PATH…] — lists directories (sorted by name) and names files.
//   -l  long: kind and size     -F  mark directories with / and symlinks with @
//   -a  also . and ..  (RedoxFS stores neither; they are shown as the directory and its parent)
import UserLib

nonisolated(unsafe) var tool = Tool("ls", accepted: "laF", usage: "ls [-l] [-a] [-F] [PATH…]")   // one thread: see Tool
let paths = tool.operands.isEmpty ? ["."] : tool.operands

func pad(_ s: String, _ width: Int) -> String {
    var out = s
    while out.utf8.count < width { out = " " + out }
    return out
}

func show(_ name: String, kind: FileKind, path: String) {
    var line = tool.has("F") ? name + (kind == .directory ? "/" : kind == .symlink ? "@" : "") : name
    if tool.has("l") {
        let size = (try? Files.stat(path).get().size) ?? 0
        line = "\(kind.letter == "f" ? "-" : kind.letter) \(pad(String(size), 10)) " + line
    }
    print(line)
}

for (i, path) in paths.enumerated() {
    switch Files.stat(path) {
    case .failure(let e):
        tool.report("cannot access '\(path)'", e)
    case .success(let status) where status.kind != .directory:
        show(path, kind: status.kind, path: path)
    case .success:
        switch Files.list(path) {
        case .failure(let e):
            tool.report("cannot open directory '\(path)'", e)
        case .success(let entries):
            if paths.count > 1 { print((i > 0 ? "\n" : "") + path + ":") }
            if tool.has("a") {
                show(".", kind: .directory, path: path)
                show("..", kind: .directory, path: path)
            }
            let sorted = entries.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
            for entry in sorted { show(entry.name, kind: entry.kind, path: Paths.join(path, entry.name)) }
        }
    }
}
tool.finish()
