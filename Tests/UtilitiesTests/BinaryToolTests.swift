// BinaryToolTests.swift — the byte tools (cmp, od, hexdump) against GNU diffutils 3.8, GNU
// coreutils 9.1 (od) and util-linux 2.38 (hexdump) on the same fixtures: identical stdout and
// status, stderr alike (and identical for cmp's missing files and end-of-file reports).
import Testing
import Utilities

let cmpCases: [Case] = [
    c("cmp"), c("cmp", "a", "b", "1", "2", "3"), c("cmp", "missing", "one", exactError: true), c("cmp", "one", "missing", exactError: true),
    c("cmp", "-s", "one", "missing"), c("cmp", "-ls", "one", "lines"), c("cmp", "-n", "x", "one", "lines"), c("cmp", "-i", "x", "one", "one"),
    c("cmp", "one", stdin: "one"), c("cmp", "one", stdin: "lines"), c("cmp", "lines", "-", stdin: "nonl"),
    c("cmp", "sorted1", "sorted2", exactError: true), c("cmp", "lines", "empty", exactError: true), c("cmp", "empty", "lines", exactError: true),
    c("cmp", "one", "one", exactError: true), c("cmp", "nonl", "lines", exactError: true), c("cmp", "-l", "empty", "one", exactError: true),
    c("cmp", "-l", "sorted1", "sorted2", exactError: true), c("cmp", "lines", "lines", "3", "3"), c("cmp", "lines", "lines", "3", "4"),
    c("cmp", "-i", "6:0", "lines", "lines"), c("cmp", "-i", "2", "sorted1", "sorted2"), c("cmp", "-i", "1K", "big", "big"),
] + [["binary", "allbytes"], ["allbytes", "binary"], ["random", "table"], ["big", "long"], ["one", "nonl"], ["dups", "dupes"],
     ["sorted1", "sorted2"], ["lines", "nonl"], ["spaces", "tabs"], ["one", "one"], ["empty", "empty"], ["binary", "binary"]].flatMap { files in
    ["", "-s", "-l", "-b", "-lb", "-n 5", "-n 0", "-n 200 -l", "-i 3", "-i 2:5 -l", "--bytes=1K -b"].map { options in
        Case(tool: "cmp", arguments: options.split(separator: " ").map(String.init) + files, stdin: nil)
    }
}

let odCases: [Case] = [
    c("od", stdin: "one"), c("od", "missing", exactError: true), c("od", "-t", "q", "one"), c("od", "-t", "x3", "one"),
    c("od", "-A", "z", "one"), c("od", "-j", "x", "one"), c("od", "-N", "x", "one"), c("od", "-j", "100", "one"),
    c("od", "one", "-", "nonl", stdin: "lines"), c("od", "one", "missing", "lines"), c("od", "-c", "-j", "5", "one", "lines"),
    c("od", "-t", "x1", "-N", "0", "lines"), c("od", "-j", "0x10", "-N", "020", "big"), c("od", "-j", "1k", "big"),
] + cases("od", ["", "-c", "-b", "-d", "-o", "-x", "-s", "-i", "-l", "-t a", "-t c", "-t x1", "-t x2", "-t x4", "-t x8", "-t o1",
                 "-t o4", "-t o8", "-t u1", "-t u2", "-t u4", "-t u8", "-t d1", "-t d2", "-t d4", "-t d8", "-t xC", "-t dS", "-t uI",
                 "-t oL", "-t x1 -t c", "-t c -t x1", "-t d2 -t a", "-t x1z", "-t x2z -t c", "-A d", "-A x", "-A n", "-A n -t x1",
                 "-v", "-v -t x1", "-N 5", "-N 17 -t x1", "-j 3", "-j 3 -N 10 -c", "-w8", "-w4 -t x2", "-w 3 -t x1", "-t x1 -t d2 -t o4",
                 "-A d -t u1 -t c -v"],
          ["empty", "one", "nonl", "lines", "allbytes", "binary", "dupes", "big"])

let hexdumpCases: [Case] = [
    c("hexdump", stdin: "one"), c("hexdump", "-C", stdin: "lines"), c("hexdump", "missing", exactError: true),
    c("hexdump", "-C", "one", "missing", "nonl"), c("hexdump", "-C", "missing", "missing"), c("hexdump", "-n", "x", "one"),
    c("hexdump", "-s", "x", "one"), c("hexdump", "-C", "-s", "20", "one"), c("hexdump", "-C", "-s", "0x3", "lines"),
    c("hexdump", "-C", "-s", "1K", "big"), c("hexdump", "-C", "-n", "1K", "big"), c("hexdump", "-C", "one", "lines", "nonl"),
    c("hexdump", "-C", "-s", "3", "one", "lines"),
] + cases("hexdump", ["", "-C", "-v", "-Cv", "-C -n 0", "-C -n 5", "-C -n 33", "-C -s 4", "-C -s 16 -n 40", "-n 7", "-s 3"],
          ["empty", "one", "nonl", "lines", "allbytes", "binary", "dupes", "big"])

@Suite struct BinaryToolDifferentialTests {
    @Test(arguments: cmpCases) func cmp(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: odCases) func od(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: hexdumpCases) func hexdump(_ t: Case) throws { try compareWithGNU(t) }
}
