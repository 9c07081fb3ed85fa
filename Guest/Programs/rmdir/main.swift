// rmdir [-p] DIR… — removes empty directories (-p: then each ancestor named in DIR, as GNU's
// `rmdir -p a/b/c` removes a/b/c, a/b and a, stopping at the first that fails).
import UserLib

nonisolated(unsafe) var tool = Tool("rmdir", accepted: "p", usage: "rmdir [-p] DIR…")   // one thread: see Tool
if tool.operands.isEmpty { tool.usage("rmdir [-p] DIR…") }

/// `path` without its last component and the slashes before it; nil when none is left.
func parent(_ path: String) -> String? {
    var bytes = Array(path.utf8)
    while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return nil }
    bytes.removeSubrange(slash...)
    while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
}

for path in tool.operands {
    var current: String? = path
    while let directory = current {
        if case .failure(let e) = Files.removeDirectory(directory) {
            tool.report("failed to remove '\(directory)'", e)
            break
        }
        current = tool.has("p") ? parent(directory) : nil
    }
}
tool.finish()
