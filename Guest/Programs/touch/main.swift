// touch FILE… — creates empty files (existing ones are left as they are).
import UserLib

nonisolated(unsafe) var tool = Tool("touch", accepted: "", usage: "touch FILE…")   // one thread: see Tool
if tool.operands.isEmpty { tool.usage("touch FILE…") }
for path in tool.operands {
    if case .failure(let e) = Files.write(path, [], create: true, truncate: false) { tool.report("cannot touch '\(path)'", e) }
}
tool.finish()
