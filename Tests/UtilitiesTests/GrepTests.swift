// GrepTests.swift — grep against GNU grep 3.8 on the same fixtures: identical stdout and exit
// status, stderr alike (and, where marked, identical). -r's order is the directory order, which
// GNU (fts, unsorted) and ours (readdir) share on the host but which is not specified: those
// cases compare the lines sorted.
import Foundation
import Testing
import Utilities

enum GrepFixtures {
    /// A small tree under the fixtures' directory: nested directories, an empty one, a binary file.
    static let tree: String = {
        let root = Fixtures.directory + "/tree"
        try? FileManager.default.createDirectory(atPath: root + "/sub/deep", withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        let files = [("a.txt", "alpha\nbeta foo\ngamma\n"), ("sub/b.txt", "foo\nbar\nFOO bar\n"),
                     ("sub/deep/c.txt", "nothing here\nfood\n"), ("bin.dat", "foo\u{0}bar\nfoo\n")]
        for (name, text) in files { try! Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + name)) }
        return "tree"
    }()
}

let grepPatterns: [[String]] = [
    ["a"], ["-E", "a|e"], ["^a"], ["a$"], ["-E", "^(al|be)"], ["-F", "a.b"], ["a.b"], ["[[:digit:]]\\+"], ["-E", "[0-9]{2,}"],
    ["-E", "x{,2}y"], ["-i", "theta"], ["-v", "a"], ["-c", "e"], ["-vc", "e"], ["-n", "eta"], ["-b", "eta"], ["-o", "[a-z]*a"],
    ["-on", "e."], ["-ob", "ta"], ["-E", "-o", "a|al|alp"], ["-w", "eta"], ["-wo", "[a-z]*"], ["-x", "beta"], ["-xv", "beta"],
    ["-l", "a"], ["-L", "zzz"], ["-q", "a"], ["-q", "zzz"], ["-e", "alpha", "-e", "mu"], ["-e", ""], ["-E", ""], ["-F", "-e", "ta", "-e", "mb"],
    ["-A", "1", "eta"], ["-B", "2", "eta"], ["-C", "1", "^[dk]"], ["-A0", "a"], ["-nA1", "-B1", "mu"], ["-m", "2", "a"], ["-m1", "-A2", "a"],
    ["-c", "-m", "3", "a"], ["--no-group-separator", "-A1", "^[ak]"], ["--group-separator=##", "-B1", "^[ik]"], ["-ivn", "A"],
    ["\\(a\\).*\\1"], ["-E", "(a|b)\\1"], ["\\<b"], ["a\\>"], ["\\bl"], ["\\w\\+a$"], ["-E", "a+$"], ["-E", "(ab|a)c?"], ["x*"],
    ["-o", "x*"], ["-e", "alpha\nmu"], ["-i", "-F", "ALPHA"], ["-F", "-x", "mu"], ["-F", "-w", "et"], ["-E", "*a"], ["-E", "a{1"],
    ["-E", "{1"], ["[[:upper:]]"], ["-E", "(^|x)a"], ["\\."], ["-E", "a|"], ["-E", "()"], ["\\t"], ["line [0-9]*9 x"],
    // errors
    ["a\\{1"], ["["], ["-E", "("], ["-E", ")"], ["\\(a"], ["[[:nope:]]"], ["-E", "a{2,1}"], ["-A", "x", "a"], ["-m", "z", "a"],
]

let grepCases: [Case] = grepPatterns.flatMap { args in
    ["lines", "words", "random", "big", "nonl", "empty", "blanks", "binary", "allbytes"].map {
        Case(tool: "grep", arguments: args + [$0], stdin: nil)
    }
} + [
    c("grep", "a", "lines", "words"), c("grep", "-h", "a", "lines", "words"), c("grep", "-H", "a", "lines"), c("grep", "-c", "a", "lines", "words"),
    c("grep", "-l", "a", "lines", "words", "empty"), c("grep", "-L", "a", "lines", "words", "empty"), c("grep", "a", stdin: "lines"),
    c("grep", "-H", "a", stdin: "lines"), c("grep", "--label=in", "-H", "a", stdin: "lines"), c("grep", "a", "-", "words", stdin: "lines"),
    c("grep", "a", "missing", exactError: true), c("grep", "a", "missing", "lines"), c("grep", "-s", "a", "missing", "lines"),
    c("grep", "-q", "a", "missing", "lines"), c("grep", "-q", "zzz", "missing", "lines"), c("grep", "a", "dir", exactError: true),
    c("grep", "-s", "a", "dir"), c("grep"), c("grep", "-k", "a"), c("grep", "--frobnicate", "a"), c("grep", "-e"),
    c("grep", "-f", "missing", "lines"), c("grep", "-f", "lines", "words", "random"), c("grep", "-f", "empty", "lines"),
    c("grep", "-v", "-f", "empty", "lines"), c("grep", "-F", "-f", "lines", "random"), c("grep", "-a", "x", "binary"),
    c("grep", "-I", "x", "binary", "lines"), c("grep", "-c", "x", "binary"), c("grep", "-o", "-a", "[0-9]", "allbytes"),
    c("grep", "--color=auto", "a", "lines"), c("grep", "--color", "a", "lines"), c("grep", "--", "-a", "lines"),
    c("grep", "-e", "-a", "lines"), c("grep", "line", "long"), c("grep", "-c", "z", "long"), c("grep", "-E", "(line ){3}", "long"),
    c("grep", "-n", "x$", "utf8"), c("grep", "-c", "", "utf8"),
    // -Z: a NUL after each file name
    c("grep", "-lZ", "a", "lines", "words", "empty"), c("grep", "-LZ", "a", "lines", "empty"), c("grep", "-cZ", "a", "lines", "words"),
    c("grep", "-HnZ", "mu", "lines"), c("grep", "--null", "-l", "a", stdin: "lines"),
]

@Suite struct GrepDifferentialTests {
    @Test(arguments: grepCases) func grep(_ t: Case) throws { try compareWithGNU(t) }

    /// -r and -R over a tree: the lines compared sorted (the directory order is the system's).
    @Test(arguments: [["-r", "foo"], ["-r", "-i", "foo"], ["-rl", "foo"], ["-rc", "foo"], ["-rn", "o"], ["-rh", "foo"], ["-rL", "foo"],
                      ["-R", "bar"], ["-r", "-v", "o"], ["-rq", "foo"], ["-r", "zzz"], ["-rw", "foo"], ["-r", "-o", "fo*"],
                      ["-r", "--exclude-dir=sub", "foo"], ["-r", "--exclude-dir=s*", "--exclude-dir=x", "o"], ["-rl", "--exclude-dir=deep", "o"]])
    func recursive(_ options: [String]) throws {
        let tree = GrepFixtures.tree
        for operands in [[tree], [tree + "/"], [tree + "/sub"], [tree + "/a.txt"], [tree + "/sub", tree + "/a.txt"], ["missing"]] {
            let t = Case(tool: "grep", arguments: options + operands, stdin: nil)
            let gnu = try t.runGNU(), ours = t.runOurs()
            func sorted(_ b: [UInt8]) -> [[UInt8]] { b.split(separator: 10).map(Array.init).sorted { $0.lexicographicallyPrecedes($1) } }
            #expect(sorted(ours.stdout) == sorted(gnu.stdout), "\(t.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
            #expect(ours.status == gnu.status, "\(t.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
            #expect(ours.stderr.isEmpty == gnu.stderr.isEmpty, "\(t.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
        }
    }
}
