// FuzzTests.swift — every utility on random options and random bytes (issue 13 §2: errors, never
// crashes or hangs). A deterministic generator, so a failure reproduces; each run's output is
// capped (yes) and the whole pass has a time limit. A crash would end the test process; a hang
// trips the limit; a status no tool gives is reported.
import Foundation
import Testing
import Utilities

@Suite struct UtilitiesFuzzTests {
    /// Option-like words every tool may meet, and bytes that are not text.
    static let words = ["-", "--", "-n", "-c", "-s", "-w", "-b", "-d", "-t", "-f", "-k", "-l", "-v", "-z", "-i", "-a", "-u",
                        "-r", "-e", "-x", "-1", "-2", "-3", "-N", "-j", "-A", "-C", "-0", "-9999999999999999999999", "0", "1",
                        "-1", "3", "99999999999999999999", "x", "", "\\", "\\0", ":", ",", "1,2", "3-1", "-5,", "x1", "o2", "dz",
                        "a", "c", "u8", "/4", "+3", "--width=", "--bogus", "--total", "--check-order", "-t\u{1}", "é", "\u{FF}",
                        "one", "lines", "empty", "binary", "missing", "dir", "allbytes", "spaces", "sections", "sorted1"]

    func randomArgument(_ g: inout Fixtures.Generator) -> String {
        if g.below(4) == 0 {
            let bytes = (0..<g.below(6)).map { _ in UInt8(truncatingIfNeeded: g.next() >> 11) }
            return String(decoding: bytes, as: UTF8.self)
        }
        return Self.words[g.below(Self.words.count)]
    }

    @Test(.timeLimit(.minutes(3))) func randomOptionsAndBytes() throws {
        var g = Fixtures.Generator(state: 0x5EED_0F_F022)
        // Its own copy of the fixtures: tee, sort -o and uniq's OUTPUT may write over what they
        // are given, and the differential suites read the shared ones in parallel.
        let directory = NSTemporaryDirectory() + "utilities-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/dir", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, bytes) in Fixtures.files() { try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name)) }
        // Random inputs beside the fixtures: short and long, text-like and not.
        for k in 0..<6 {
            let n = [0, 1, 7, 200, 5000, 70_000][k]
            var bytes: [UInt8] = []
            for _ in 0..<n {
                let r = g.next() >> 13
                bytes.append(r % 3 == 0 ? [10, 9, 32, 92, 58][Int(r % 5)] : UInt8(truncatingIfNeeded: r >> 8))
            }
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/fuzz\(k)"))
            // standard input is a copy no argument names: `tee -a fuzz3 < fuzz3` would grow
            // without end (as GNU tee's does), filling the disk instead of testing anything
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/.stdin\(k)"))
        }
        var runs = 0
        for tool in Utilities.names {
            for _ in 0..<60 {
                var arguments: [String] = []
                for _ in 0..<g.below(5) { arguments.append(randomArgument(&g)) }
                if g.below(2) == 0 { arguments.append("fuzz\(g.below(6))") }
                let io = HostIO(directory: directory, stdinPath: ".stdin\(g.below(6))")
                io.outputLimit = 1 << 20
                io.sleepBudget = 200_000_000   // tail -f's follow (random options include it) ends after 0.2 s
                let status = Utilities.run(tool, arguments, io)
                runs += 1
                // 0-4 (sed's 4), and env's and xargs' own 123-127 (a command not found …)
                #expect((0...4).contains(status) || (123...127).contains(status), "\(tool) \(arguments.map { $0.debugDescription }.joined(separator: " ")): status \(status)")
            }
        }
        #expect(runs == Utilities.names.count * 60)
    }
}
