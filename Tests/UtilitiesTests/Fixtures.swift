// Fixtures.swift — the input files every differential case may name: hand-picked edge cases
// (empty, no trailing newline, blank runs, long lines, every byte value, fields, numbers) and
// generated ones (a deterministic pseudo-random generator, so a failure reproduces).
import Foundation

enum Fixtures {
    /// xorshift64*: the same bytes on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 2685821657736338717
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func files() -> [(String, [UInt8])] {
        var g = Generator(state: 0x9E3779B97F4A7C15)
        let words = ["alpha", "beta", "Gamma", "delta", "epsilon", "zeta", "eta", "Theta", "10", "9", "-3", "2.50",
                     "007", "x", "", "  lead", "tab\there", "UPPER", "lower", "a:b:c", "1e3", "+4"]
        var random = ""
        for _ in 0..<4000 {
            let n = g.below(6)
            random += (0..<n).map { _ in words[g.below(words.count)] }.joined(separator: g.below(3) == 0 ? "\t" : " ") + "\n"
        }
        var dupes = ""
        for _ in 0..<3000 { dupes += words[g.below(6)] + "\n" }
        var table = ""
        for i in 0..<2000 {
            table += "\(g.below(1000)):\(words[g.below(words.count)]):\(i % 7):\(g.below(50)).\(g.below(10))\n"
        }
        var big = ""
        for i in 0..<20000 { big += "line \(i) " + String(repeating: "x", count: i % 37) + "\n" }
        var spaces = ""
        var g2 = Generator(state: 0xD1B54A32D192ED03)   // its own, so the fixtures above stay as they were
        for i in 0..<300 {
            let pieces = ["a", "bc", " ", "  ", "   ", "\t", " \t", "\t ", "        ", "       x", "\u{08}", "word", "\r"]
            spaces += (0..<(i % 9)).map { _ in pieces[g2.below(pieces.count)] }.joined() + (i % 5 == 0 ? "" : "end") + "\n"
        }
        var bytes: [UInt8] = []
        for _ in 0..<150_000 { bytes.append(UInt8(truncatingIfNeeded: g.next() >> 7)) }
        return [
            ("empty", []),
            ("one", Array("hello\n".utf8)),
            ("nonl", Array("first\nno newline at end".utf8)),
            ("lines", Array("alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\neta\ntheta\niota\nkappa\nlambda\nmu\nnu\n".utf8)),
            ("blanks", Array("\n\na\n\n\n\nb\n\n c\n\t\n\n".utf8)),
            ("long", Array((String(repeating: "long line ", count: 20_000) + "\nshort\n" + String(repeating: "z", count: 70_000)).utf8)),
            ("allbytes", (0..<1024).map { UInt8($0 % 256) }),
            ("numbers", Array("10\n9\n-3\n2.5\n  7\nabc\n-0\n0\n+4\n1e3\n007\n-2.50\n.5\n-.5\n3.\n\n1000000000000000000000\n".utf8)),
            ("floats", Array("01.37 x\n1.222 b\n2.1 a\n0.4 z\nNaN q\nbork 1e3\n-inf 5\n+infinity 0x10\n-0 -2e-3\n0 nan\n1e-2 .5\n0x1p4 3\n  7 -1\n".utf8)),
            ("passwd", Array("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nno delimiter here\nbin:x:2:2::/bin:\n:::\n".utf8)),
            ("tabs", Array("a\tb\tc\n1\t2\n\tlead\ntrail\t\nnone\n".utf8)),
            ("words", Array("the quick  brown\tfox\n jumps over\r\nthe\u{0B}lazy\u{0C}dog \n\u{01}\u{02} x\u{01}y\n".utf8)),
            ("dups", Array("a\na\nb\nB\nb\nc c\nc  c\nd\nd\nd\n x\n\tx\nA\na\n".utf8)),
            ("utf8", Array("héllo wörld\n日本語\n".utf8) + [0xFF, 0xFE, 0x20, 0x62, 0x61, 0x64, 0x0A, 0xE2, 0x82, 0x41, 0xED, 0xA0, 0x80, 0x0A, 0xF0, 0x9F, 0x98, 0x80, 0xE2, 0x82]),
            ("random", Array(random.utf8)),
            ("dupes", Array(dupes.utf8)),
            ("table", Array(table.utf8)),
            ("big", Array(big.utf8)),
            ("binary", bytes),
            // comm's inputs: sorted (C order), overlapping, one without a final newline
            ("sorted1", Array("apple\nbanana\ncherry\ncherry\ndate\nfig\n".utf8)),
            ("sorted2", Array("banana\nbanana\ncherry\negg\nfig\ngrape".utf8)),
            ("unsorted", Array("pear\napple\nzebra\nbanana\n".utf8)),
            // nl's logical pages: header, body and footer delimiters, and a custom one
            ("sections", Array("\\:\\:\\:\nhead 1\n\n\\:\\:\nbody 1\n\nbody 2\n\n\n\nbody 3\n\\:\nfoot 1\n\\:\\:\nbody again\nXYXY\nafter\n".utf8)),
            // blanks before, between and after words at every offset (expand/unexpand)
            ("spaces", Array(spaces.utf8)),
        ]
    }

    /// A fresh directory holding every fixture (and a subdirectory "dir"), made once per process.
    static let directory: String = {
        let root = NSTemporaryDirectory() + "utilities-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        try! FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        for (name, bytes) in files() {
            try! Data(bytes).write(to: URL(fileURLWithPath: root + "/" + name))
        }
        return root
    }()
}
