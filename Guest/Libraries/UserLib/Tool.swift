// Tool.swift — what the file utilities (ls, cat, mkdir, rm, mv, cp, …) share: option parsing in the
// POSIX style (single-letter flags, grouped, "--" ends them), error lines in the usual
// "program: subject: reason" form, an exit status that says whether anything failed, and paths.
/// A program keeps one Tool in a top-level `nonisolated(unsafe) var`: its functions all report
/// through it, and a user process is one thread with no interrupts, so nothing touches it at once.
public struct Tool {
    public let name: String
    /// The operands: the arguments that are not options.
    public private(set) var operands: [String] = []
    private var flags: [UInt8] = []
    public private(set) var failed = false

    /// Parses the process arguments; a flag not in `accepted` is a usage error.
    public init(_ name: String, accepted: String, usage: String) {
        self.name = name
        var optionsEnded = false
        for argument in System.arguments.dropFirst() {
            let bytes = Array(argument.utf8)
            if !optionsEnded && argument == "--" { optionsEnded = true; continue }
            if !optionsEnded && bytes.count > 1 && bytes[0] == UInt8(ascii: "-") {
                for flag in bytes.dropFirst() {
                    guard accepted.utf8.contains(flag) else {
                        StandardError.print("\(name): invalid option -- '\(String(decoding: [flag], as: UTF8.self))'")
                        StandardError.print("usage: \(usage)")
                        System.exit(2)
                    }
                    flags.append(flag)
                }
            } else {
                operands.append(argument)
            }
        }
    }

    public func has(_ flag: Unicode.Scalar) -> Bool { flags.contains(UInt8(flag.value)) }

    /// Reports `error` for `subject` and remembers that something failed.
    public mutating func report(_ subject: String, _ error: Errno) {
        StandardError.print("\(name): \(subject): \(error.description)")
        failed = true
    }

    public mutating func report(_ message: String) {
        StandardError.print("\(name): \(message)")
        failed = true
    }

    /// Exits 1 if anything failed, else 0.
    public func finish() -> Never { System.exit(failed ? 1 : 0) }

    public func usage(_ text: String) -> Never {
        StandardError.print("usage: \(text)")
        System.exit(2)
    }
}

public enum Paths {
    /// `path` made absolute against the working directory, with ".", ".." and repeated slashes
    /// resolved ("/.." is "/"), as the kernel of a Unix would before the filesystem sees it.
    public static func absolute(_ path: String) -> String {
        let bytes = Array(path.utf8)
        let full = bytes.first == UInt8(ascii: "/") ? bytes : Array(Environment.workingDirectory.utf8) + [UInt8(ascii: "/")] + bytes
        var parts: [ArraySlice<UInt8>] = []
        for part in full.split(separator: UInt8(ascii: "/")) {
            if part.elementsEqual([UInt8(ascii: ".")]) { continue }
            if part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        var out: [UInt8] = []
        for part in parts { out += [UInt8(ascii: "/")] + part }
        return out.isEmpty ? "/" : String(decoding: out, as: UTF8.self)
    }

    /// `directory`/`name` with one slash between.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.utf8.last == UInt8(ascii: "/") ? directory + name : directory + "/" + name
    }

    /// The last component of `path` ("/a/b/" → "b").
    public static func lastComponent(_ path: String) -> String {
        let parts = Array(path.utf8).split(separator: UInt8(ascii: "/"))
        return parts.last.map { String(decoding: $0, as: UTF8.self) } ?? "/"
    }
}
