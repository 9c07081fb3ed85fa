// FuzzTests.swift — hostile scripts: random bytes and random soups of shell tokens must end in an
// error or a status, never a crash (a signal) or a hang. Deterministic: seeded per case.
import Foundation
import Testing

/// SplitMix64: a small deterministic generator, so a failing case can be replayed by its index.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

enum Fuzz {
    static let seed: UInt64 = 0x5157_4654_5348_0012   // fixed: results repeat run to run
    static let casesPerKind = 200

    /// Shell tokens that cannot loop forever on their own (no while/until, no exec/kill/cd).
    static let tokens: [String] = [
        "echo", "printf", "set", "shift", "test", "[", "]", "x", "y", "\"$x\"", "'$1'", "${x:-a}", "${#x}",
        "${x%%*}", "${x?}", "$((1+2))", "$((", "))", "$(", "`", "'", "\"", "\\", "|", "||", "&&", ";", ";;",
        "&", "(", ")", "{", "}", "<", ">", ">>", "<<", "EOF", "<<-", "if", "then", "else", "elif", "fi",
        "for", "in", "do", "done", "case", "esac", "!", "2>&1", ">&-", "*", "?", "[a-z]", "=", "x=1",
        "local", "return", "break", "continue", "eval", "f", "f()", "\n", "\t", "readonly", "unset",
        "export", "alias", "$@", "\"$@\"", "$*", "#", "~", "read", "getopts", "trap", "$?", "$#", "0",
        "-1", "9999999999999999999", "$((1/0))", "${", "}", "$(echo a)", "-e", "-u", "-n", ":", "true",
    ]

    static func script(kind: Int, index: Int) -> [UInt8] {
        var rng = SplitMix64(state: seed &+ UInt64(kind * 1_000_003 + index))
        if kind == 0 {
            return (0..<rng.below(300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
        var s = ""
        for _ in 0..<(1 + rng.below(40)) {
            s += tokens[rng.below(tokens.count)]
            s += rng.below(4) == 0 ? "" : " "
        }
        return Array(s.utf8)
    }
}

@Suite struct FuzzTests {
    @Test(arguments: 0..<Fuzz.casesPerKind)
    func randomBytes(_ i: Int) throws { try check(Fuzz.script(kind: 0, index: i), "bytes #\(i)") }

    @Test(arguments: 0..<Fuzz.casesPerKind)
    func tokenSoup(_ i: Int) throws { try check(Fuzz.script(kind: 1, index: i), "tokens #\(i)") }

    func check(_ script: [UInt8], _ name: String) throws {
        let root = NSTemporaryDirectory() + "swiftvm-shell-fuzz-\(getpid())/" + name.replacingOccurrences(of: " #", with: "-")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try ShellRunner.prepare(root, script: Data(script))
        let r = try ShellRunner.run(ShellRunner.swiftvmSh, in: root, timeout: 10)
        // 137: killed by the timeout (a hang); other statuses over 128 are signals (crashes).
        #expect(r.status < 128, "\(name) crashed or hung: \(r.summary)\nscript: \(String(decoding: script, as: UTF8.self).debugDescription)")
    }
}
