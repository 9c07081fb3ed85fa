// rm [-r] [-f] PATH… — removes files (-r: directories and everything in them; -f: no error for
// what does not exist).
import ABI
import UserLib

nonisolated(unsafe) var tool = Tool("rm", accepted: "rRf", usage: "rm [-r] [-f] PATH…")   // one thread: see Tool
if tool.operands.isEmpty && !tool.has("f") { tool.usage("rm [-r] [-f] PATH…") }
let recursive = tool.has("r") || tool.has("R")

func remove(_ path: String) -> Result<Void, Errno> {
    switch Files.stat(path) {
    case .failure(let e): return .failure(e)
    case .success(let s) where s.kind == .directory:
        guard recursive else { return .failure(Errno(SV_EISDIR)) }
        switch Files.list(path) {
        case .failure(let e): return .failure(e)
        case .success(let entries):
            for entry in entries {
                if case .failure(let e) = remove(Paths.join(path, entry.name)) { return .failure(e) }
            }
        }
        return Files.removeDirectory(path)
    case .success:
        return Files.unlink(path)
    }
}

for path in tool.operands {
    switch remove(path) {
    case .success: break
    case .failure(let e) where e.code == SV_ENOENT && tool.has("f"): break
    case .failure(let e): tool.report("cannot remove '\(path)'", e)
    }
}
tool.finish()
