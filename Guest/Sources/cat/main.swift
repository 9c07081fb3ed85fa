// cat FILE… — prints files, one after another.
import UserLib

nonisolated(unsafe) var tool = Tool("cat", accepted: "", usage: "cat FILE…")
if tool.operands.isEmpty { tool.usage("cat FILE…  (reading standard input is not supported yet)") }
for path in tool.operands {
    switch Files.read(path) {
    case .failure(let e): tool.report(path, e)
    case .success(let bytes):
        bytes.withUnsafeBytes { StandardOutput.write($0) }
    }
}
tool.finish()
