// FindTests.swift — find against GNU findutils 4.9 over the same tree: the printed paths (sorted:
// both walk the directory order readdir gives, which POSIX leaves unspecified), exit status,
// stderr alike. -delete runs on two copies of a tree and compares what is left.
import Foundation
import Testing
import Utilities

let findExpressions: [[String]] = [
    [], ["-print"], ["-name", "*.txt"], ["-name", "[ab]*"], ["-iname", "A*"], ["-name", "sub"], ["-name", "tree"], ["-type", "f"],
    ["-type", "d"], ["-type", "f,d"], ["-type", "l"], ["-size", "0"], ["-size", "-1"], ["-size", "+0"], ["-size", "1"], ["-size", "-20c"],
    ["-size", "+10c"], ["-size", "17c"], ["-size", "1k"], ["-size", "-1M"], ["-empty"], ["-not", "-empty"], ["!", "-type", "d"],
    ["-mtime", "0"], ["-mtime", "+1"], ["-mtime", "-1"], ["-mmin", "-60"], ["-newer", "tree/a.txt"], ["-maxdepth", "1"],
    ["-maxdepth", "0"], ["-mindepth", "2"], ["-mindepth", "1", "-maxdepth", "2", "-type", "f"], ["-path", "*sub*"],
    ["-path", "tree/sub/*"], ["-ipath", "*SUB*c*"], ["-name", "sub", "-prune", "-o", "-print"], ["-name", "sub", "-prune"],
    ["-type", "f", "-print0"], ["(", "-name", "a*", "-o", "-name", "b*", ")", "-type", "f"], ["-name", "a*", "-o", "-name", "b*", "-print"],
    ["-type", "f", "-a", "-name", "*.dat"], ["-type", "f", "-and", "-name", "*.dat", "-or", "-type", "d", "-empty"],
    ["-depth"], ["-depth", "-name", "sub"], ["-false"], ["-true"], ["-quit"], ["-name", "b.txt", "-print", "-quit"],
    ["-type", "f", "-exec", "echo", "found", "{}", ";"], ["-type", "f", "-exec", "echo", "x{}x", ";"], ["-type", "f", "-exec", "echo", "{}", "+"],
    ["-type", "f", "-exec", "false", ";", "-print"], ["-type", "f", "-exec", "true", ";", "-print"], ["-exec", "false", "{}", "+"],
    ["-type", "f", "-exec", "missing-command", "{}", ";"],
    // -perm (octal: exactly, all of -MODE, any of /MODE) and -printf's directives and escapes
    ["-perm", "644"], ["-perm", "-444"], ["-perm", "-700"], ["-perm", "/111"], ["-perm", "/600"], ["-type", "f", "-perm", "-0600"],
    ["-printf", "%p|%f|%P|%s|%d|%y|%h\\n"], ["-printf", "[%10f][%-6s][%.3p]\\n"], ["-name", "*.txt", "-printf", "%%%f\\t%m\\n"],
    ["-printf", "a\\cb"], ["-printf", "\\101\\0x\\q\\n"], ["-type", "f", "-printf", "%f ", "-print"],
    // errors
    ["-bogus"], ["-name"], ["-type", "z"], ["-type", "fd"], ["-size", "1x"], ["-mtime", "x"], ["(", "-name", "a"], ["-name", "a", ")"],
    ["-perm", "x"], ["-perm", "99"], ["-printf"],
    ["-o"], ["-print", "-o"], ["!"], ["-exec", "echo"], ["-exec", ";"], ["-maxdepth", "x"], ["-newer", "missing"], ["x"], ["(", ")"],
]

@Suite struct FindDifferentialTests {
    static func sortedLines(_ b: [UInt8], _ separator: UInt8) -> [[UInt8]] {
        b.split(separator: separator, omittingEmptySubsequences: false).map(Array.init).sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test(arguments: findExpressions) func find(_ expression: [String]) throws {
        let tree = GrepFixtures.tree
        for paths in [[tree], [tree + "/"], [tree + "/sub", tree + "/a.txt"], [tree, "missing"]] {
            let t = Case(tool: "find", arguments: paths + expression, stdin: nil)
            let gnu = try t.runGNU(), ours = t.runOurs()
            let separator: UInt8 = expression.contains("-print0") ? 0 : 10
            #expect(Self.sortedLines(ours.stdout, separator) == Self.sortedLines(gnu.stdout, separator),
                    "\(t.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
            #expect(ours.status == gnu.status, "\(t.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
            #expect(ours.stderr.isEmpty == gnu.stderr.isEmpty, "\(t.testDescription)\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
        }
    }

    /// Without -exec, -depth or a tree of several entries per directory, the order itself is
    /// compared: a walk of a chain of single directories has only one order.
    @Test func orderOfAChain() throws {
        let t = Case(tool: "find", arguments: [GrepFixtures.tree + "/sub"], stdin: nil)
        let gnu = try t.runGNU(), ours = t.runOurs()
        let gnuLines = gnu.stdout.split(separator: 10).map { String(decoding: $0, as: UTF8.self) }
        let ourLines = ours.stdout.split(separator: 10).map { String(decoding: $0, as: UTF8.self) }
        // every directory before what is in it, in both
        for lines in [gnuLines, ourLines] {
            for (k, line) in lines.enumerated() where k > 0 {
                let parent = String(line[..<line.lastIndex(of: "/")!])
                #expect(lines[..<k].contains(parent), "\(parent) after \(line)")
            }
        }
        #expect(Set(gnuLines) == Set(ourLines))
    }

    /// -delete: GNU's and ours each on a copy of the same tree; the files left are the same.
    @Test(arguments: [["-name", "*.txt", "-delete"], ["-empty", "-delete"], ["-delete"], ["-path", "*deep*", "-delete"], ["-name", "sub", "-delete"]])
    func delete(_ expression: [String]) throws {
        let root = Fixtures.directory + "/find-delete-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for side in ["gnu", "ours"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(side)/t/sub/deep", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: "\(root)/\(side)/t/empty", withIntermediateDirectories: true)
            for (name, text) in [("a.txt", "a\n"), ("sub/b.txt", "b\n"), ("sub/deep/c", ""), ("sub/deep/d.txt", "d\n")] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: "\(root)/\(side)/t/\(name)"))
            }
        }
        let g = try Case(tool: "find", arguments: [root + "/gnu/t"] + expression, stdin: nil).runGNU()
        let io = HostIO(directory: root + "/ours", stdinPath: nil)
        let status = Utilities.run("find", ["t"] + expression, io)
        #expect(status == g.status)
        #expect(io.stderr.isEmpty == g.stderr.isEmpty, "\(String(decoding: io.stderr, as: UTF8.self)) vs \(String(decoding: g.stderr, as: UTF8.self))")
        func left(_ side: String) -> [String] {
            (FileManager.default.subpaths(atPath: "\(root)/\(side)") ?? []).sorted()
        }
        #expect(left("gnu") == left("ours"))
    }
}
