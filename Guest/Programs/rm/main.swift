// rm [-rRfiv] PATH… — removes files (-r: directories and everything in them; -f: no error for
// what does not exist; -v: "removed 'PATH'" / "removed directory 'PATH'" for each, as GNU says
// it; -i: asks on standard error before each removal and removes on an answer starting with y).
import ABI
import UserLib

nonisolated(unsafe) var tool = Tool("rm", accepted: "rRfiv", usage: "rm [-rRfiv] PATH…")   // one thread: see Tool
if tool.operands.isEmpty && !tool.has("f") { tool.usage("rm [-rRfiv] PATH…") }
let recursive = tool.has("r") || tool.has("R")
let verbose = tool.has("v")
let interactive = tool.has("i") && !tool.has("f")   // the later of -i and -f wins in GNU; here -f does

/// -i: "rm: remove QUESTION? " on standard error, then one line of standard input: yes when it
/// starts with y or Y (an ended input is no).
func confirmed(_ question: String) -> Bool {
    var text = "rm: remove \(question)? "
    text.withUTF8 { _ = System.write(2, UnsafeRawBufferPointer($0)) }
    var answer: [UInt8] = []
    var byte = [UInt8](repeating: 0, count: 1)
    while answer.count < 256 {
        let n = byte.withUnsafeMutableBytes { System.read(0, into: $0) }
        guard n == 1, byte[0] != UInt8(ascii: "\n") else { break }
        answer.append(byte[0])
    }
    return answer.first == UInt8(ascii: "y") || answer.first == UInt8(ascii: "Y")
}

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
        if interactive && !confirmed("directory '\(path)'") { return .success(()) }
        let removed = Files.removeDirectory(path)
        if verbose, case .success = removed { print("removed directory '\(path)'") }
        return removed
    case .success:
        if interactive && !confirmed("regular file '\(path)'") { return .success(()) }
        let removed = Files.unlink(path)
        if verbose, case .success = removed { print("removed '\(path)'") }
        return removed
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
