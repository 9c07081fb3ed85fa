// mkdir [-p] DIR… — makes directories (-p: with their parents, and no error if they exist).
import ABI
import UserLib

nonisolated(unsafe) var tool = Tool("mkdir", accepted: "p", usage: "mkdir [-p] DIR…")   // one thread: see Tool
if tool.operands.isEmpty { tool.usage("mkdir [-p] DIR…") }

func makeParents(_ path: String) -> Result<Void, Errno> {
    // Parents of a relative path are under the working directory: walk the absolute path (the
    // walk from "/" made "t/sub" as /t/sub before).
    var prefix = ""
    for part in Array(Paths.absolute(path).utf8).split(separator: UInt8(ascii: "/")) {
        prefix += "/" + String(decoding: part, as: UTF8.self)
        switch Files.makeDirectory(prefix) {
        case .success: continue
        case .failure(let e) where e.code == SV_EEXIST:
            if case .success(let s) = Files.stat(prefix), s.kind == .directory { continue }
            return .failure(e)
        case .failure(let e): return .failure(e)
        }
    }
    return .success(())
}

for path in tool.operands {
    let result = tool.has("p") ? makeParents(path) : Files.makeDirectory(path)
    if case .failure(let e) = result { tool.report("cannot create directory '\(path)'", e) }
}
tool.finish()
