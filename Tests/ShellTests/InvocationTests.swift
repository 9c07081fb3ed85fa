// InvocationTests.swift — how the shell is started: `sh -c STRING [NAME ARGS…]`, `sh FILE ARGS…`,
// a script on standard input, and option flags; each compared with dash.
import Foundation
import Testing

@Suite struct InvocationTests {
    /// Runs `shell arguments…` (stdin from `input`) in a fresh directory.
    func run(_ shell: String, _ arguments: [String], input: String? = nil) throws -> ShellResult {
        let root = NSTemporaryDirectory() + "swiftvm-shell-invocation-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try ShellRunner.prepare(root, script: Data("echo script \"$0\" \"$#\" \"$@\"\n".utf8))
        if let input {
            try Data(input.utf8).write(to: URL(fileURLWithPath: root + "/stdin"))
            return try ShellRunner.run("/bin/sh", in: root, arguments: ["-c", "exec \"$0\" \"$@\" < ../stdin", shell] + arguments)
        }
        return try ShellRunner.run(shell, in: root, arguments: arguments)
    }

    static let invocations: [[String]] = [
        ["-c", "echo hello"],
        ["-c", "echo $0 $1 $2 $#", "name", "a", "b"],
        ["-c", "exit 7"],
        ["-c", "echo \"$@\"", "n", "x y", "z"],
        ["-e", "-c", "false; echo never"],
        ["-c", "set -e; false; echo never"],
        ["-c", "if"],
        ["../script.sh", "one", "two three"],
        ["../script.sh"],
        ["-x", "-c", "echo traced"],
        ["-u", "-c", "echo $unset_variable"],
        ["-f", "-c", "echo *"],
        ["-c", "echo $-", "name"],
        ["nonexistent-script.sh"],
    ]

    @Test(arguments: invocations)
    func matchesDash(_ arguments: [String]) throws {
        let d = try run(ShellRunner.dash, arguments)
        let o = try run(ShellRunner.swiftvmSh, arguments)
        #expect(d.matches(o), "\(arguments)\n  dash:       \(d.summary)\n  swiftvm-sh: \(o.summary)")
    }

    @Test(arguments: ["echo from stdin; x=1; echo $x\n", "for i in 1 2; do echo $i; done\nexit 3\n", "echo 'unterminated\n"])
    func scriptOnStandardInput(_ script: String) throws {
        let d = try run(ShellRunner.dash, [], input: script)
        let o = try run(ShellRunner.swiftvmSh, [], input: script)
        #expect(d.matches(o), "\(script.debugDescription)\n  dash:       \(d.summary)\n  swiftvm-sh: \(o.summary)")
    }
}
