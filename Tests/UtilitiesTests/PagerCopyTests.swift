// PagerCopyTests.swift — less and more with standard output not a terminal (PagerCopy.swift)
// against the real GNU less and util-linux more on the host: the same files, identical stdout,
// status, and stderr (byte for byte where `exactError`).
import Foundation
import Testing
@testable import Utilities

enum PagerFixtures {
    /// A directory of its own: "a" (no final newline), "b", "long" (20,000 lines), "empty", "sub/".
    /// Text only: GNU less takes a file with more than 5 control or high bytes in its first 256 for
    /// binary and asks "See it anyway?" (status 1 without an answer); this less copies such a file.
    static let directory: String = {
        let d = NSTemporaryDirectory() + "pager-fixtures-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d + "/sub", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: d + "/a", contents: Data("alpha\nbeta".utf8))
        FileManager.default.createFile(atPath: d + "/b", contents: Data("gamma\n\tdelta\n".utf8))
        FileManager.default.createFile(atPath: d + "/empty", contents: Data())
        FileManager.default.createFile(atPath: d + "/long", contents: Data((0..<20_000).map { "line \($0)\twith a tab\n" }.joined().utf8))
        return d
    }()
}

@Test(arguments: [
    (["a"], nil), (["a", "b"], nil), (["long"], nil), (["empty", "a"], nil), (["missing"], nil),
    (["a", "missing", "b"], nil), (["sub"], nil), (["a", "sub", "b"], nil), ([], "b"), (["-", "a"], "b"),
    (["-N", "+3", "a"], nil),
] as [([String], String?)])
func lessWithoutATerminalCopiesAsGNULess(arguments: [String], stdin: String?) throws {
    try comparePagerCopy(Case(tool: "less", arguments: arguments, stdin: stdin, exactError: true, directory: PagerFixtures.directory), more: false)
}

@Test(arguments: [
    (["a"], nil), (["a", "b"], nil), (["long", "a"], nil), (["a", "missing", "b"], nil), (["sub"], nil), (["a", "sub", "b"], nil),
    ([], "b"), (["-N", "a"], nil), (["a"], "b"), (["a", "b"], "b"),
] as [([String], String?)])
func moreWithoutATerminalCopiesAsUtilLinuxMore(arguments: [String], stdin: String?) throws {
    try comparePagerCopy(Case(tool: "more", arguments: arguments, stdin: stdin, exactError: true, directory: PagerFixtures.directory), more: true)
}

func comparePagerCopy(_ c: Case, more: Bool) throws {
    let gnu = try c.runGNU()
    let io = HostIO(directory: PagerFixtures.directory, stdinPath: c.stdin)
    let status = PagerCopy.run(c.arguments, more: more, inputIsTerminal: false, io)   // a file or /dev/null, as GNU's
    let ours = RunResult(stdout: io.stdout, stderr: io.stderr, status: status)
    #expect(ours.stdout == gnu.stdout, "\(c.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    #expect(ours.status == gnu.status, "\(c.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    #expect(ours.stderr == gnu.stderr, "\(c.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
}
