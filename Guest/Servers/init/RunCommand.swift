// RunCommand.swift — `swiftvm run IMAGE -- COMMAND [ARGS…]`: init's side. swiftvm puts the command
// on the kernel command line as one argument of init, `run=HEX,HEX,…` (each argument's UTF-8
// bytes in hexadecimal: Sources/swiftvm/GuestCommand.swift), which survives the command line's
// split at spaces whatever the arguments hold. Init checks it, prints the marker that tells
// swiftvm the boot messages are over, runs the command with fork and execve (a PATH search in
// /bin) and powers the machine off with its exit status.
import ABI
import UserLib

enum RunCommand {
    static let prefix = "run="
    /// The line swiftvm waits for on the console (the same bytes as GuestCommand.marker there).
    static let marker = "\u{1}swiftvm-run-begin\u{1}"
    /// The line that tells swiftvm the command has ended (GuestCommand.endMarker).
    static let endMarker = "\u{1}swiftvm-run-end\u{1}"
    /// The most arguments accepted (the command line holds 4 KiB anyway).
    static let maximumArguments = 1024

    /// The command in init's arguments: nil if there is none; an error message if it is malformed.
    static func find(in arguments: [String]) -> Result<[String], RunRequestError>? {
        guard let word = arguments.first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return decode(Array(word.utf8.dropFirst(prefix.utf8.count)))
    }

    /// `HEX,HEX,…` → argv. Every argument must be an even number of hex digits, decode to UTF-8
    /// without NUL (execve's strings are C strings), and there must be a program name.
    static func decode(_ text: [UInt8]) -> Result<[String], RunRequestError> {
        let words = text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard words.count <= maximumArguments else { return .failure(.init("more than \(maximumArguments) arguments")) }
        var argv: [String] = []
        for (n, word) in words.enumerated() {
            guard word.count % 2 == 0 else { return .failure(.init("argument \(n): odd number of hex digits")) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(word.count / 2)
            var i = word.startIndex
            while i < word.endIndex {
                guard let high = digit(word[i]), let low = digit(word[i + 1]) else {
                    return .failure(.init("argument \(n): not hexadecimal"))
                }
                bytes.append(high << 4 | low)
                i += 2
            }
            guard !bytes.contains(0) else { return .failure(.init("argument \(n): contains a NUL byte")) }
            let string = String(decoding: bytes, as: UTF8.self)
            guard Array(string.utf8) == bytes else { return .failure(.init("argument \(n): not UTF-8")) }
            argv.append(string)
        }
        guard let name = argv.first, !name.isEmpty else { return .failure(.init("no program name")) }
        return .success(argv)
    }

    static func digit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Starts `argv` in a child: its pid, or nil after saying why on stderr.
    static func start(_ argv: [String]) -> Int? {
        print(marker)
        StandardOutput.flush()   // the child must not inherit (and print again) buffered output
        switch Unix.fork() {
        case .failure(let e):
            StandardError.print("init: cannot fork for \(argv[0]): \(e.description)")
            return nil
        case .success(0):
            // The environment a login would give: where programs are, and a home.
            if Environment.get("PATH") == nil { Environment.set("PATH", "/bin") }
            if Environment.get("HOME") == nil { Environment.set("HOME", "/") }
            let e = Unix.execve(argv[0], arguments: argv)
            // sh's words and statuses: 127 when there is no such program, 126 when it cannot run.
            StandardError.print("\(argv[0]): \(e.code == SV_ENOENT ? "not found" : e.description)")
            System.exit(e.code == SV_ENOENT ? 127 : 126)
        case .success(let pid):
            return pid
        }
    }
}

struct RunRequestError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
