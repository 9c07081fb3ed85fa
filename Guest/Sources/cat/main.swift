// cat [FILE…] — prints files, one after another (none, or -: standard input).
import UserLib

nonisolated(unsafe) var tool = Tool("cat", accepted: "", usage: "cat [FILE…]")
// No FILE (or "-"): standard input, when the shell made it a file (`cat < f`, `… | cat`).
let paths = (tool.operands.isEmpty ? ["-"] : tool.operands).map { path -> String in
    guard path == "-" else { return path }
    guard let input = StandardInput.file else {
        tool.usage("cat FILE…  (standard input from the console is not supported; use < FILE)")
    }
    return input
}
for path in paths {
    switch Files.read(path) {
    case .failure(let e): tool.report(path, e)
    case .success(let bytes):
        bytes.withUnsafeBytes { StandardOutput.write($0) }
    }
}
tool.finish()
