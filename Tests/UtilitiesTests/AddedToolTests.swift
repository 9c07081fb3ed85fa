// AddedToolTests.swift — the programs toybox's test files call that GNU systems have: base64,
// md5sum, xxd (vim's), printenv, egrep/fgrep (GNU grep 3.8's scripts) and truncate, against the
// host's tools on the same fixtures: identical stdout and status, stderr alike (identical where
// the case says). truncate changes files, so it runs in two scratch trees compared afterwards.
import Foundation
import Testing
import Utilities

/// Inputs for the decoders: base64 text with and without padding, wrapped, with garbage; dumps
/// for xxd -r; checksum lists for md5sum -c.
enum AddedFixtures {
    static let directory = SystemFixtures.make("added") { root in
        func save(_ name: String, _ text: String) throws { try SystemFixtures.write(root + "/" + name, text) }
        try save("b64", "c2ltcGxlCg==\n")
        try save("b64wrapped", "V2UndmUgcmVwbGFjZWQgdGhlIGRpbGl0aGl1bSB0aGV5IG5vcm1hbGx5IHVzZSB3aXRoIEZvbGdl\ncidzIENyeXN0YWxzLg==\n")
        try save("b64nopad", "YWJj\nYQ")
        try save("b64garbage", "YW*Jj\n")
        try save("b64twice", "YQ==YQ==\n")
        try save("b64bad", "Y\n")
        try save("b64late", "YWJjZA==x\n")
        try save("text", "this is some text\n")
        try save("dump", "00000000: 7468 6973 2069 7320 736f 6d65 2074 6578  this is some tex\n00000010: 740a                                     t.\n")
        try save("dumpgarbage", "0000: 68 65 6c6c 6fxxxx\n")
        try save("dumplong", "0000: 40404040404040404040404040404040404040404040404040404040404040404040404040404040\r")
        try save("dumpgap", "0010: 41 42\n0020: 43\n")
        try save("dumptext", "00000000: 6162                                     ab cd\n")
        try save("plainhex", "7468697320\n69 73 20 41\n0a\n")
        // md5sum -c lists: good, bad, missing files, improper lines, the BSD form, upper case
        try save("sums", "0cc175b9c0f1b6a831c399e269772661  a\nd41d8cd98f00b204e9800998ecf8427e  empty\n")
        try save("badsums", "0cc175b9c0f1b6a831c399e269772660  a\n0cc175b9c0f1b6a831c399e269772661  missing\nnot a line\n")
        try save("bsdsums", "MD5 (a) = 0cc175b9c0f1b6a831c399e269772661\n0CC175B9C0F1B6A831C399E269772661 *a\n")
        try save("junksums", "junk\n\n")
        try save("a", "a")
        try save("empty", "")
        for (i, entry) in md5Suite.enumerated() { try save("kat\(i)", entry.text) }
        // sort -h: sizes with SI suffixes, zeros with suffixes, negatives, blanks, no number
        try save("human", "10K\n2M\n1G\n3\n1.5K\n-2K\n0\nabc\n2M\n1k\n-1M\n0K\n0.0M\n 5\n1.5G\n1X\n\n-0\n999\n1T\n2P\n1E\n1Z\n1Y\n")
        try save("humantable", "a 10K x\nb 2M y\nc 1G z\nd 3 w\ne 1.5K v\nf 10K u\n")
    }

    static let md5Suite: [(text: String, digest: String)] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"), ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"), ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ]
}

func added(_ words: String..., stdin: String? = nil, exactError: Bool = false) -> Case {
    system(words, in: AddedFixtures.directory, stdin: stdin, exactError: exactError)
}

func inFixtures(_ words: String..., stdin: String? = nil, exactError: Bool = false) -> Case {
    system(words, stdin: stdin, exactError: exactError)
}

let base64Cases: [Case] = ["empty", "one", "lines", "nonl", "allbytes", "binary", "big", "utf8"].flatMap { f in
    [inFixtures("base64", f), inFixtures("base64", "-w", "0", f), inFixtures("base64", "-w10", f), inFixtures("base64", "--wrap=1", f),
     inFixtures("base64", stdin: f)]
} + ["b64", "b64wrapped", "b64nopad", "b64garbage", "b64twice", "b64bad", "b64late", "text", "empty"].flatMap { f in
    [added("base64", "-d", f), added("base64", "-di", f), added("base64", "--decode", "--ignore-garbage", stdin: f)]
} + [inFixtures("base64", "missing", exactError: true), inFixtures("base64", "-w", "x", "one"), inFixtures("base64", "one", "two"),
     inFixtures("base64", "-x"), inFixtures("base64", "-", stdin: "lines"), inFixtures("base64", "-w", "-1", "one")]

let md5sumCases: [Case] = ["empty", "one", "lines", "nonl", "allbytes", "binary", "big", "random"].flatMap { f in
    [inFixtures("md5sum", f), inFixtures("md5sum", "-b", f), inFixtures("md5sum", "--tag", f), inFixtures("md5sum", stdin: f),
     inFixtures("md5sum", "-z", f)]
} + [inFixtures("md5sum", "one", "missing", "lines", exactError: true), inFixtures("md5sum", "-", "one", stdin: "nonl"),
     inFixtures("md5sum", "-x"), inFixtures("md5sum", "dir")]
  + [["sums"], ["badsums"], ["bsdsums"], ["junksums"], ["--status", "sums"], ["--status", "badsums"], ["--quiet", "sums"],
     ["--quiet", "badsums"], ["-w", "badsums"], ["--strict", "badsums"], ["--ignore-missing", "badsums"], ["sums", "badsums"],
     ["missing"], ["empty"]].map { system(["md5sum", "-c"] + $0, in: AddedFixtures.directory) }
  + [added("md5sum", "-c", stdin: "sums"), added("md5sum", "--check", "-", stdin: "junksums")]

let xxdCases: [Case] = ["empty", "one", "lines", "nonl", "allbytes", "binary", "utf8"].flatMap { f in
    [inFixtures("xxd", f), inFixtures("xxd", "-p", f), inFixtures("xxd", "-i", f), inFixtures("xxd", "-u", f),
     inFixtures("xxd", "-c", "5", "-g", "2", f), inFixtures("xxd", "-c8", "-g3", f), inFixtures("xxd", "-g", "0", f),
     inFixtures("xxd", "-l", "20", "-s", "3", f), inFixtures("xxd", "-o", "0x8000", f), inFixtures("xxd", "-p", "-c", "4", f),
     inFixtures("xxd", "-i", "-c", "5", f), inFixtures("xxd", stdin: f), inFixtures("xxd", "-g", "4", "-c", "12", f)]
} + [added("xxd", "-s", "-4", "text"), added("xxd", "-s", "0x0d", "text"), added("xxd", "-l", "2", "text"), added("xxd", "-i", stdin: "text"),
     inFixtures("xxd", "missing"), inFixtures("xxd", "-c", "300", "one"), inFixtures("xxd", "-Q", "one")]
  + ["dump", "dumpgarbage", "dumplong", "dumpgap", "dumptext", "empty"].flatMap { f in
      [added("xxd", "-r", f), added("xxd", "-r", "-p", f), added("xxd", "-r", stdin: f)]
  } + [added("xxd", "-r", "-p", "plainhex")]

// (printenv alone prints the environment in its order, which Foundation's Process does not keep:
// printsTheWholeEnvironmentInOrder checks that form)
let printenvCases: [Case] = [["PATH"], ["LC_ALL", "PATH"], ["NOPE"], ["PATH", "NOPE", "LC_ALL"], ["-0", "PATH"],
                             ["PATH=x"], ["-x"], ["--null", "LC_ALL"], ["A"], ["EMPTY"]]
    .map { system(["printenv"] + $0, environment: ["A": "one two", "EMPTY": ""]) }

let oldGrepCases: [Case] = [["egrep", "a|b", "words"], ["fgrep", "a|b", "words"], ["egrep", "-c", "x+", "lines"], ["fgrep", "-n", ".", "words"],
                            ["egrep", "-F", "a.", "words"], ["fgrep", "(", "missing"], ["egrep", "-x"], ["egrep", "(", "one"],
                            ["fgrep", "-e", "line", "-e", "1", "lines"], ["egrep", "-v", "[0-9]", "numbers"]].map { system($0) }

let truncateArguments: [[String]] = [
    ["-s", "0", "f"], ["-s", "5", "f"], ["-s", "1k", "new"], ["-s", "2KB", "f"], ["-s", "1KiB", "f"], ["-s", "+3", "f"], ["-s", "-2", "f"],
    ["-s", "-100", "f"], ["-s", "<3", "f"], ["-s", "<30", "f"], ["-s", ">30", "f"], ["-s", ">3", "f"], ["-s", "/4", "f"], ["-s", "%4", "f"],
    ["-s", "/0", "f"], ["-c", "-s", "4", "missing"], ["-s", "4", "-c", "f", "missing"], ["-s", "x", "f"], ["-s", "1b", "f"], ["-s", "", "f"],
    ["f"], ["-s", "3"], ["-r", "g", "f"], ["-r", "g", "-s", "+2", "f"], ["-r", "missing", "f"], ["-r", "g", "-s", "4", "f"],
    ["-s", "3", "d"], ["-s", "3", "nodir/x"], ["-s", "2", "f", "g", "new"], ["-x", "f"], ["--size=7", "f"], ["-s", "+", "f"], ["-s", "1M", "f"],
]

/// sort -h (human numeric), the one option of the sort list added here.
let humanSortCases: [Case] = ["-h", "-hr", "-hu", "-hs", "-k1,1h", "-h -k1,1", "-rh -u"].map { options in
    system(["sort"] + options.split(separator: " ").map(String.init) + ["human"], in: AddedFixtures.directory)
} + [["-k2,2h", "humantable"], ["-k2h", "-k1,1r", "humantable"], ["-t", " ", "-k2h", "-s", "humantable"]]
    .map { system(["sort"] + $0, in: AddedFixtures.directory) }

@Suite struct AddedToolDifferentialTests {
    @Test(arguments: humanSortCases) func sortHuman(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: base64Cases) func base64(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: md5sumCases) func md5sum(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: xxdCases) func xxd(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: printenvCases) func printenv(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: oldGrepCases) func egrepAndFgrep(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: truncateArguments) func truncate(_ arguments: [String]) throws {
        try compareInScratch(["truncate"] + arguments, basicTree)
    }

    @Test func printsTheWholeEnvironmentInOrder() {
        let io = HostIO(directory: AddedFixtures.directory, stdinPath: nil)
        io.environmentList = ["Z=last", "A=first", "EMPTY=", "SPACE=a b"]
        #expect(Utilities.run("printenv", [], io) == 0)
        #expect(String(decoding: io.stdout, as: UTF8.self) == "Z=last\nA=first\nEMPTY=\nSPACE=a b\n")
        let nul = HostIO(directory: AddedFixtures.directory, stdinPath: nil)
        nul.environmentList = ["Z=last", "A=first"]
        #expect(Utilities.run("printenv", ["-0"], nul) == 0)
        #expect(nul.stdout == Array("Z=last\0A=first\0".utf8))
    }

    /// RFC 1321's test suite (§A.5): the digests it lists, not GNU's, as a check of its own.
    @Test(arguments: AddedFixtures.md5Suite.indices) func md5TestSuite(_ i: Int) {
        let io = HostIO(directory: AddedFixtures.directory, stdinPath: nil)
        let status = Utilities.run("md5sum", ["kat\(i)"], io)
        #expect(status == 0)
        #expect(String(decoding: io.stdout, as: UTF8.self) == AddedFixtures.md5Suite[i].digest + "  kat\(i)\n")
    }
}
