// cat FILE… — prints files, one after another.
import UserLib

nonisolated(unsafe) var tool = Tool("cat", accepted: "", usage: "cat FILE…")
if tool.operands.isEmpty { tool.usage("cat FILE…  (reading standard input is not supported yet)") }
for path in tool.operands {
    switch Files.read(path) {
    case .failure(let e): tool.report(path, e)
    case .success(let bytes):
        StandardOutput.flush()
        bytes.withUnsafeBytes { _ = System.write(1, $0) }
    }
}
tool.finish()
