// rmdir DIR… — removes empty directories.
import UserLib

nonisolated(unsafe) var tool = Tool("rmdir", accepted: "", usage: "rmdir DIR…")   // one thread: see Tool
if tool.operands.isEmpty { tool.usage("rmdir DIR…") }
for path in tool.operands {
    if case .failure(let e) = Files.removeDirectory(path) { tool.report("failed to remove '\(path)'", e) }
}
tool.finish()
