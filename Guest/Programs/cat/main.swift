// cat [FILE…] — prints files, one after another (none, or -: standard input).
import UserLib

nonisolated(unsafe) var tool = Tool("cat", accepted: "", usage: "cat [FILE…]")   // one thread: see Tool
// No FILE (or "-"): standard input, when the shell made it a file or a pipe (`cat < f`, `… | cat`).
for path in tool.operands.isEmpty ? ["-"] : tool.operands {
    let contents: Result<[UInt8], Errno>
    if path == "-" {
        guard let input = StandardInput.readAll() else {
            tool.usage("cat FILE…  (standard input from the console is not supported; use < FILE)")
        }
        contents = input
    } else {
        contents = Files.read(path)
    }
    switch contents {
    case .failure(let e): tool.report(path, e)
    case .success(let bytes): StandardOutput.write(bytes)
    }
}
tool.finish()
