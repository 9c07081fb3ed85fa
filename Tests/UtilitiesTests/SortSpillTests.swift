// SortSpillTests.swift — sort past its memory budget: with a small -S the lines go to sorted
// temporary runs that are merged (in several passes past 16 runs); the output must be GNU sort's
// for the same options, and no temporary file may be left behind.
import Foundation
import Testing
import Utilities

let spillCases: [Case] = {
    var cases: [Case] = []
    for options in [["-S", "1K"], ["-S", "4K", "-n"], ["-S", "2K", "-r"], ["-S", "1K", "-u"], ["-S", "3K", "-t:", "-k3n", "-s"],
                    ["-S", "1K", "-f", "-u"], ["-S", "2K", "-k2,2", "-k1r"], ["-S", "1K", "-nru"], ["-S", "64K"]] {
        for file in ["random", "table", "dupes", "big", "numbers", "binary", "nonl", "empty"] {
            cases.append(Case(tool: "sort", arguments: options + [file], stdin: nil))
        }
    }
    cases += [Case(tool: "sort", arguments: ["-S", "1K", "random", "table", "-"], stdin: "dupes"),
              Case(tool: "sort", arguments: ["-S", "100b", "numbers"], stdin: nil), Case(tool: "sort", arguments: ["-S", "100b", "-u", "dups"], stdin: nil),
              Case(tool: "sort", arguments: ["-S", "x", "one"], stdin: nil), Case(tool: "sort", arguments: ["-S", "1Q", "one"], stdin: nil),
              Case(tool: "sort", arguments: ["-S", "50%", "random"], stdin: nil), Case(tool: "sort", arguments: ["-S1k", "-z", "binary"], stdin: nil),
              Case(tool: "sort", arguments: ["-c", "-S", "1K", "big"], stdin: nil), Case(tool: "sort", arguments: ["-c", "lines", "one"], stdin: nil),
              Case(tool: "sort", arguments: ["-c", "numbers"], stdin: nil), Case(tool: "sort", arguments: ["-cn", "numbers"], stdin: nil)]
    return cases
}()

@Suite struct SortSpillTests {
    @Test(arguments: spillCases) func matchesGNU(_ t: Case) throws {
        // each run its own temporary directory: it must be empty again afterwards
        let gnuTemp = SystemFixtures.make("sort-gnu") { _ in }, ourTemp = SystemFixtures.make("sort-ours") { _ in }
        defer {
            try? FileManager.default.removeItem(atPath: gnuTemp)
            try? FileManager.default.removeItem(atPath: ourTemp)
        }
        var gnuCase = t
        gnuCase.environment = ["TMPDIR": gnuTemp]
        var ourCase = t
        ourCase.environment = ["TMPDIR": ourTemp]
        let gnu = try gnuCase.runGNU()
        let ours = ourCase.runOurs()
        #expect(ours.stdout == gnu.stdout, "stdout differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
        #expect(ours.status == gnu.status, "status differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
        #expect(ours.stderr.isEmpty == gnu.stderr.isEmpty, "stderr differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: ourTemp)) ?? ["?"]
        #expect(left.isEmpty, "temporary files left: \(left)")
    }

    /// -T names the directory, and one that cannot be made in is GNU's error (once a spill is needed).
    @Test func temporaryDirectoryErrors() throws {
        try compareWithGNU(Case(tool: "sort", arguments: ["-S", "1K", "-T", "/nonexistent-dir", "random"], stdin: nil, exactError: true))
        try compareWithGNU(Case(tool: "sort", arguments: ["-T", "/nonexistent-dir", "lines"], stdin: nil))
    }

    /// The spill itself happens: with a large input and a small budget, runs are made in the
    /// -T directory (more than 16: a merge pass before the last), and all are gone at the end.
    @Test func spillsIntoTheTemporaryDirectory() throws {
        let temp = SystemFixtures.make("sort-watch") { _ in }
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let io = HostIO(directory: Fixtures.directory, stdinPath: nil)
        let status = Utilities.run("sort", ["-S", "1K", "-T", temp, "big"], io)
        #expect(status == 0)
        let expected = try Case(tool: "sort", arguments: ["big"], stdin: nil).runGNU().stdout
        #expect(io.stdout == expected)
        #expect(io.created.count > 16 && io.created.allSatisfy { $0.hasPrefix(temp + "/sort") }, "runs made: \(io.created.count)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: temp)) ?? ["?"]).isEmpty)
        // within the budget: no run at all
        let small = HostIO(directory: Fixtures.directory, stdinPath: nil)
        #expect(Utilities.run("sort", ["-T", temp, "big"], small) == 0 && small.created.isEmpty && small.stdout == expected)
    }
}
