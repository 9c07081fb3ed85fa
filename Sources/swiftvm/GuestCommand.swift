// GuestCommand.swift — `swiftvm run IMAGE -- COMMAND [ARGS…]`: how the command reaches the guest,
// and how its output comes back.
//
// The way in: the kernel command line, whose words (split at spaces) after `--` are init's
// arguments. Each argument is sent as lowercase hexadecimal of its UTF-8 bytes, all in one word
// `run=HEX,HEX,…`, so spaces, quotes, `$` and any other byte arrive intact; init decodes and
// checks it (Guest/Servers/init/RunCommand.swift) and runs the command with fork and execve.
//
// The way out: the guest's stdout is the console (COM1 and the console port), its stderr the
// second UART (COM2, fd 2 of every process). Until init announces the command with `marker` on
// the console, everything is boot messages: shown on stderr with --verbose, otherwise kept and
// shown only if the command never starts. Once the command has ended init prints `endMarker`;
// what follows (the kernel's power-off message) is again for --verbose only.
import HostSupport

enum GuestCommand {
    /// The line init prints just before it starts the command (Guest/Servers/init/RunCommand.swift
    /// has the same bytes): control characters no boot message contains.
    static let marker: [UInt8] = Array("\u{1}swiftvm-run-begin\u{1}\n".utf8)
    /// What init prints once the command has ended (right after its last output, maybe mid-line).
    static let endMarker: [UInt8] = Array("\u{1}swiftvm-run-end\u{1}\n".utf8)

    /// `run=HEX,HEX,…` for `arguments` (argv, argv[0] first).
    static func encode(_ arguments: [String]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        let words = arguments.map { argument in
            String(decoding: argument.utf8.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] }, as: UTF8.self)
        }
        return "run=" + words.joined(separator: ",")
    }

    /// The kernel command line `line` with the command added as an argument of init.
    static func commandLine(_ line: String, running arguments: [String]) -> String {
        let words = line.split(separator: " ").map(String.init)
        let word = encode(arguments)
        return (words + (words.contains("--") ? [word] : ["--", word])).joined(separator: " ")
    }
}

/// Sorts the guest's output for a command run: boot messages apart from the command's stdout.
final class CommandOutputGate: Sendable {
    private struct State {
        var started = false
        var ended = false
        /// Command output held back because it may be the start of the end marker.
        var held: [UInt8] = []
        /// The console line being assembled while booting (to find the marker).
        var line: [UInt8] = []
        /// Boot messages kept to show if the command never starts (bounded).
        var bootLog: [UInt8] = []
    }
    static let bootLogLimit = 1 << 20
    private let state = PthreadLocked(State())
    let verbose: Bool

    init(verbose: Bool) { self.verbose = verbose }

    var started: Bool { state.withLock { $0.started } }

    /// Console output (the guest's stdout once the command runs).
    func console(_ bytes: [UInt8]) {
        let out: [UInt8]? = state.withLock { s in
            if s.ended { boot(bytes, &s); return nil }
            if s.started { return running(bytes, &s) }
            var index = 0
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                s.line.append(b)
                guard b == UInt8(ascii: "\n") else { continue }
                let line = s.line
                s.line.removeAll()
                if line == GuestCommand.marker {
                    s.started = true
                    return running(Array(bytes[index...]), &s)
                }
                boot(line, &s)
            }
            return nil
        }
        if let out, !out.isEmpty { _ = try? writeStandardOutput(out) }
    }

    /// The command's stdout up to the end marker; holds back a tail that may begin it.
    private func running(_ bytes: [UInt8], _ s: inout State) -> [UInt8] {
        let text = s.held + bytes
        s.held = []
        let marker = GuestCommand.endMarker
        var i = 0
        while i < text.count {
            if text[i] == marker[0] {
                let rest = text[i...]
                if rest.starts(with: marker) {
                    s.ended = true
                    boot(Array(text[(i + marker.count)...]), &s)
                    return Array(text[..<i])
                }
                if marker.starts(with: rest) {   // maybe the marker, cut off: wait for more
                    s.held = Array(rest)
                    return Array(text[..<i])
                }
            }
            i += 1
        }
        return text
    }

    /// COM2 output (the guest's stderr).
    func errors(_ bytes: [UInt8]) {
        let pass = state.withLock { s in
            if s.started { return true }
            boot(bytes, &s)
            return false
        }
        if pass { writeBytesToStandardError(bytes) }
    }

    private func boot(_ bytes: [UInt8], _ s: inout State) {
        if bytes.isEmpty { return }
        if verbose { writeBytesToStandardError(bytes); return }
        if s.bootLog.count + bytes.count <= CommandOutputGate.bootLogLimit { s.bootLog += bytes }
    }

    /// What the guest printed while booting, if the command never started (and nothing was shown).
    func unshownBootLog() -> [UInt8]? {
        state.withLock { s in s.started || verbose ? nil : s.bootLog + s.line }
    }
}

func writeBytesToStandardError(_ bytes: [UInt8]) {
    try? writeAll(2, bytes)
}
