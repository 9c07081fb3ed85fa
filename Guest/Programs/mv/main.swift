// mv SOURCE… DEST — renames SOURCE to DEST, or moves the SOURCEs into the directory DEST.
import UserLib

nonisolated(unsafe) var tool = Tool("mv", accepted: "", usage: "mv SOURCE… DEST")   // one thread: see Tool
guard tool.operands.count >= 2, let destination = tool.operands.last else { tool.usage("mv SOURCE… DEST") }
let sources = tool.operands.dropLast()
let intoDirectory = (try? Files.stat(destination).get().kind) == .directory
if sources.count > 1 && !intoDirectory { tool.report("target '\(destination)' is not a directory"); tool.finish() }
for source in sources {
    let target = intoDirectory ? Paths.join(destination, Paths.lastComponent(source)) : destination
    if case .failure(let e) = Files.rename(source, to: target) { tool.report("cannot move '\(source)' to '\(target)'", e) }
}
tool.finish()
