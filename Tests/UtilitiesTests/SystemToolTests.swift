// SystemToolTests.swift — uname, id, whoami, which, stat, dd, diff, time, ln, chown and mktemp
// against the host's GNU coreutils 9.1, diffutils 3.8, GNU time 1.9 and debianutils' which: the
// same arguments and files, identical stdout and exit status, stderr alike (and identical where
// the case says). The tools that change files (ln, chown, mktemp, dd of=) run in two scratch
// trees made alike, one per side, and the trees are compared afterwards (names, kinds, bytes,
// permissions, owners, link targets). Times print in UTC on both sides (TZ=UTC for GNU).
import Foundation
import Testing
import Utilities

/// A scratch tree for one group of cases, made once per process (nobody else reads it, so the
/// access times that stat prints stay as they are).
enum SystemFixtures {
    static func make(_ name: String, _ build: (String) throws -> Void) -> String {
        let root = NSTemporaryDirectory() + "utilities-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.removeItem(atPath: root)
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try! build(root)
        return root
    }

    static func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// stat's files: a file, an empty one, a directory, a symbolic link, a name with a space, an
    /// executable with odd permission bits.
    static let statDirectory = make("stat") { root in
        try write(root + "/f", "hello\nworld\n")
        try write(root + "/empty", "")
        try write(root + "/x y", "spaced\n")
        try write(root + "/run", "#!/bin/sh\n")
        chmod(root + "/run", 0o4751)
        try FileManager.default.createDirectory(atPath: root + "/d", withIntermediateDirectories: true)
        symlink("f", root + "/l")
        // stat reads the link, and under relatime a read moves an access time that is not later
        // than the change time: between GNU's stat and ours. An access time an hour ahead stays.
        var times = [timespec(tv_sec: time(nil) + 3600, tv_nsec: 0), timespec(tv_sec: 0, tv_nsec: 1_073_741_822)]   // UTIME_OMIT: the modification time stays
        for name in ["l", "f", "empty", "x y", "run", "d"] { _ = utimensat(AT_FDCWD, root + "/" + name, &times, AT_SYMLINK_NOFOLLOW) }
    }

    /// Text pairs for diff: edits of a generated file (insertions, deletions, changes at the
    /// start, middle and end), files without a final newline, binary files, and two directory
    /// trees.
    static let diffDirectory = make("diff") { root in
        var g = Fixtures.Generator(state: 0xD1FF_5EED)
        var base: [String] = []
        for i in 0..<300 { base.append("line \(i) " + String(repeating: "w", count: g.below(8))) }
        func save(_ name: String, _ lines: [String], newline: Bool = true) throws {
            try write(root + "/" + name, lines.joined(separator: "\n") + (newline && !lines.isEmpty ? "\n" : ""))
        }
        try save("base", base)
        var edited = base
        edited[0] = "changed first"
        edited.remove(at: 50)
        edited.insert("inserted near 100", at: 100)
        edited[150] = "changed 150"
        edited.insert(contentsOf: ["block a", "block b", "block c"], at: 200)
        edited.removeSubrange(250..<256)
        edited.append("appended")
        try save("edited", edited)
        var scattered = base
        for _ in 0..<40 {
            let at = g.below(scattered.count)
            switch g.below(3) {
            case 0: scattered.remove(at: at)
            case 1: scattered.insert("new \(g.below(1000))", at: at)
            default: scattered[at] = "replaced \(g.below(1000))"
            }
        }
        try save("scattered", scattered)
        try save("short", ["a", "b", "c", "d"])
        try save("short2", ["a", "x", "c", "d", "e"])
        try save("nonl", ["a", "b"], newline: false)
        try save("nonl2", ["a", "c"], newline: false)
        try save("nl", ["a", "b"])
        try save("empty", [])
        try save("reversed", base.reversed())
        try Data([1, 0, 2, 3]).write(to: URL(fileURLWithPath: root + "/bin1"))
        try Data([1, 0, 2, 4]).write(to: URL(fileURLWithPath: root + "/bin2"))
        for side in ["left", "right"] {
            try FileManager.default.createDirectory(atPath: root + "/\(side)/sub/deep", withIntermediateDirectories: true)
            try write(root + "/\(side)/same", "same\n")
            try write(root + "/\(side)/sub/deep/file", side == "left" ? "one\ntwo\n" : "one\n2\n")
        }
        try write(root + "/left/only-left", "l\n")
        try write(root + "/right/only-right", "r\n")
        try write(root + "/left/kind", "file\n")
        try FileManager.default.createDirectory(atPath: root + "/right/kind", withIntermediateDirectories: true)
        try write(root + "/left/changed", "1\n2\n3\n")
        try write(root + "/right/changed", "1\nx\n3\n")
    }
}

func system(_ words: [String], in directory: String? = nil, stdin: String? = nil, exactError: Bool = false,
            environment: [String: String] = [:]) -> Case {
    var c = Case(tool: words[0], arguments: Array(words.dropFirst()), stdin: stdin, exactError: exactError)
    c.directory = directory
    c.environment = environment
    return c
}

let unameCases: [Case] = [[], ["-a"], ["-s"], ["-n"], ["-r"], ["-v"], ["-m"], ["-p"], ["-i"], ["-o"], ["-snrvmpio"], ["-a", "-p"],
                          ["-ms"], ["--kernel-name"], ["--all"], ["-x"], ["--bogus"]].map { system(["uname"] + $0) }
    + [system(["uname", "extra"], exactError: true)]

let idCases: [Case] = [[], ["-u"], ["-g"], ["-G"], ["-un"], ["-gn"], ["-Gn"], ["-n"], ["-r"], ["-ur"], ["-ug"], ["-uG"], ["root"],
                       ["daemon"], ["-u", "daemon"], ["-gn", "daemon"], ["-Gn", "daemon"], ["-zu"], ["-x"]].map { system(["id"] + $0) }
    + [["nosuch-user"], ["a", "b"], ["-n"], ["-z"], ["-ug"]].map { system(["id"] + $0, exactError: true) }
    + [[], ["x"], ["-x"]].map { system(["whoami"] + $0) }

let whichCases: [Case] = [["ls"], ["-a", "ls", "sh"], ["nope-x", "ls"], [], ["./one"], ["/bin/ls"], ["/usr/bin/env"], [""],
                          ["-a"], ["--", "ls"], ["-a", "-a", "cat"], ["dir"]].map { system(["which"] + $0) }

let statCases: [Case] = {
    let d = SystemFixtures.statDirectory
    let utc = ["TZ": "UTC"]
    var cases: [Case] = []
    for name in ["f", "empty", "d", "l", "x y", "run", "."] {
        cases.append(system(["stat", name], in: d, environment: utc))
        cases.append(system(["stat", "-t", name], in: d, environment: utc))
        cases.append(system(["stat", "-L", name], in: d, environment: utc))
    }
    let formats = ["%a %A %b %B %f %F %g %G %h %i %n %N %o %s %u %U", "%d %D %Hd %Ld %t %T %Hr %Lr %r", "%x|%X|%y|%Y|%z|%Z|%w|%W",
                   "%5s|%-5s|%05s|%-05s|%+s|% s", "%#a %#f %04a %.3n %10.2A %%|%q|%", "%N", "[%-10n] [%10n]", "%#o %0#5a %x%%",
                   "%.20s %.0n|", "\\n%n\\t"]
    for format in formats {
        cases.append(system(["stat", "-c", format, "f", "d", "l", "run"], in: d, environment: utc))
        cases.append(system(["stat", "--printf", format + "\\n\\x41\\101\\\\\\q", "f"], in: d, environment: utc))
    }
    cases += [system(["stat", "missing"], in: d, exactError: true), system(["stat"], in: d, exactError: true),
              system(["stat", "f", "missing", "d"], in: d, environment: utc), system(["stat", "-c", "%s", "-L", "l"], in: d),
              system(["stat", "--format=%n:%s", "f", "empty"], in: d), system(["stat", "-x", "f"], in: d)]
    return cases
}()

let ddCases: [Case] = [
    ["if=big", "bs=1000"], ["if=big", "ibs=7", "obs=13"], ["if=lines", "bs=5", "conv=sync"], ["if=big", "skip=3", "count=2", "bs=100"],
    ["if=lines", "count=0"], ["if=lines", "skip=100", "bs=10"], ["if=binary", "bs=4096", "iflag=fullblock"], ["if=big", "bs=1K", "count=3"],
    ["if=big", "ibs=1b", "obs=1kB"], ["if=lines", "conv=ucase"], ["if=allbytes", "conv=lcase"], ["if=lines", "ibs=3", "obs=2", "conv=sync,ucase"],
    ["if=empty"], ["if=long", "bs=2x3", "count=5"], ["if=big", "bs=64K"], ["if=lines", "seek=2", "bs=4"], ["if=nonl", "cbs=3"],
    ["if=lines", "conv=noerror"], ["if=one", "bs=1"],
].map { system(["dd"] + $0 + ["status=noxfer"], exactError: true) }
  + [["if=lines", "status=none"], ["if=big", "count=1", "status=none"], ["if=missing"], ["bogus=1"], ["bs=x"], ["bs=0"], ["conv=bogus"],
     ["conv=ucase,lcase"], ["status=bad"], ["if=lines"], ["if=big", "bs=100000"], ["if=one", "bs=1", "count=1"], ["if=dir"], ["iflag=direct"],
     ["if"]].map { system(["dd"] + $0) }
  + [system(["dd", "bs=3", "status=noxfer"], stdin: "lines", exactError: true), system(["dd", "skip=2", "bs=2", "count=3", "status=none"], stdin: "big"),
     system(["dd", "if=missing"], exactError: true), system(["dd", "conv=ucase,lcase"], exactError: true)]

let diffCases: [Case] = {
    let d = SystemFixtures.diffDirectory
    let utc = ["TZ": "UTC"]
    var cases: [Case] = []
    let pairs = [("base", "edited"), ("edited", "base"), ("base", "scattered"), ("scattered", "base"), ("short", "short2"),
                 ("nonl", "nonl2"), ("nonl", "nl"), ("nl", "nonl"), ("empty", "short"), ("short", "empty"), ("base", "base"),
                 ("bin1", "bin2"), ("bin1", "bin1"), ("short", "reversed"), ("base", "reversed")]
    for (a, b) in pairs {
        for options in [[], ["-u"], ["-U", "1"], ["-U0"], ["-q"], ["-s"], ["-a"]] {
            cases.append(system(["diff"] + options + [a, b], in: d, environment: utc))
        }
    }
    for options in [[], ["-r"], ["-ru"], ["-q"], ["-rq"], ["-rs"], ["-r", "-U", "1"]] {
        cases.append(system(["diff"] + options + ["left", "right"], in: d, environment: utc))
        cases.append(system(["diff"] + options + ["right", "left"], in: d, environment: utc))
    }
    cases += [system(["diff", "short", "missing"], in: d, exactError: true), system(["diff", "short"], in: d),
              system(["diff"], in: d), system(["diff", "a", "b", "c"], in: d), system(["diff", "-x", "a", "b"], in: d),
              system(["diff", "left/changed", "right"], in: d, environment: utc), system(["diff", "left", "right/changed"], in: d, environment: utc),
              system(["diff", "-", "short2"], in: d, stdin: "short"), system(["diff", "short", "-"], in: d, stdin: "short"),
              system(["diff", "-U", "x", "short", "short2"], in: d)]
    return cases
}()

let timeCases: [Case] = [["-p", "sh", "-c", "echo hi; exit 3"], ["-p", "nope-x"], [], ["-p"], ["-p", "./one"], ["echo", "x"],
                         ["-x"], ["-p", "cat", "one"], ["-p", "--", "echo", "-p"], ["-p", "dir"], ["-p", "sh", "-c", "kill -9 $$"],
                         ["-p", "cat"]].map { system(["time"] + $0, stdin: "lines") }

@Suite struct SystemToolDifferentialTests {
    @Test(arguments: unameCases) func uname(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: idCases) func id(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: whichCases) func which(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: statCases) func stat(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: ddCases) func dd(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: diffCases) func diff(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: timeCases) func time(_ t: Case) throws { try compareWithGNU(t) }
}

/// A tree's state, in a form two trees compare by: each entry's path, kind, permissions, owner,
/// and a file's bytes or a link's target.
func snapshot(_ root: String) -> [String] {
    var lines: [String] = []
    func walk(_ relative: String) {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names.sorted() {
            let r = relative.isEmpty ? name : relative + "/" + name
            var st = Glibc.stat()
            guard lstat(root + "/" + r, &st) == 0 else { continue }
            var line = r + " mode=" + String(st.st_mode, radix: 8) + " owner=\(st.st_uid):\(st.st_gid)"
            switch st.st_mode & S_IFMT {
            case S_IFLNK: line += " -> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + r)) ?? "?")
            case S_IFDIR: lines.append(line); walk(r); continue
            default:
                line += " links=\(st.st_nlink) bytes=" + ((try? Data(contentsOf: URL(fileURLWithPath: root + "/" + r))).map { Array($0).map { String($0) }.joined(separator: ",") } ?? "?")
            }
            lines.append(line)
        }
    }
    walk("")
    return lines
}

/// Runs `words` by GNU in one fresh tree and by ours in another, both made by `setup`; the
/// outputs compare as compareWithGNU's do, and the trees must end alike.
func compareInScratch(_ words: [String], exactError: Bool = false, environment: [String: String] = [:], _ setup: (String) throws -> Void) throws {
    let gnuTree = SystemFixtures.make("gnu") { try setup($0) }
    let ourTree = SystemFixtures.make("ours") { try setup($0) }
    defer {
        try? FileManager.default.removeItem(atPath: gnuTree)
        try? FileManager.default.removeItem(atPath: ourTree)
    }
    var gnuCase = system(words, in: gnuTree, exactError: exactError, environment: environment)
    let gnu = try gnuCase.runGNU()
    gnuCase.directory = ourTree
    let ours = gnuCase.runOurs()
    #expect(ours.stdout == gnu.stdout, "stdout differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    #expect(ours.status == gnu.status, "status differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    #expect(ours.stderr.isEmpty == gnu.stderr.isEmpty, "stderr differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    if exactError { #expect(ours.stderr == gnu.stderr, "stderr text differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)") }
    let gnuState = snapshot(gnuTree), ourState = snapshot(ourTree)
    #expect(gnuState == ourState, "trees differ\n  GNU: \(gnuState)\n  ours: \(ourState)")
}

/// The tree ln, chown and dd start from: files, a directory with a file, a link.
func basicTree(_ root: String) throws {
    try SystemFixtures.write(root + "/f", "file\n")
    try SystemFixtures.write(root + "/g", "other\n")
    try SystemFixtures.write(root + "/out", "0123456789abcdef\n")
    try FileManager.default.createDirectory(atPath: root + "/d/sub", withIntermediateDirectories: true)
    try SystemFixtures.write(root + "/d/sub/inner", "inner\n")
    try SystemFixtures.write(root + "/d/f", "clash\n")
    symlink("f", root + "/s0")
}

let lnArguments: [[String]] = [
    ["-s", "f", "s1"], ["f", "h1"], ["-s", "f", "d"], ["g", "d"], ["-s", "g"], ["missing", "h"], [], ["-s", "a", "b", "c"],
    ["f", "g"], ["-f", "f", "g"], ["-s", "f", "s0"], ["-sf", "g", "s0"], ["-v", "-s", "f", "s2"], ["-v", "f", "h2"], ["-T", "f", "d"],
    ["-s", "x", "y", "d"], ["f", "g", "d"], ["-t", "d", "g"], ["-s", "/abs/target", "dangling"], ["f", "missing-dir/x"], ["-x", "f", "y"],
    ["-s", "f", "d/"], ["d", "dirlink"], ["-s", "d", "dirlink"], ["f", "d/sub"], ["-n", "-s", "f", "s0"],
]

let chownArguments: [[String]] = [
    ["0", "f"], ["root:root", "f"], ["nosuch-user", "f"], ["0", "missing"], [], ["0"], ["5.5", "f"], ["1:bogus-group", "f"],
    ["daemon:daemon", "f"], ["-R", "1:1", "d"], [":daemon", "f"], ["daemon:", "f"], ["2", "f", "g"], ["1", "f", "missing", "g"],
    ["-f", "0", "missing"], ["7:", "f"], [":", "f"], ["bin.bin", "f"], ["-x", "0", "f"], ["4294967295", "f"], ["-R", "daemon", "d", "f"],
]

let ddFileArguments: [[String]] = [
    ["if=f", "of=new", "status=none"], ["if=f", "of=out", "status=none"], ["if=f", "of=out", "conv=notrunc", "status=none"],
    ["if=f", "of=out", "seek=2", "bs=3", "status=none"], ["if=f", "of=out", "seek=1", "bs=4", "conv=notrunc", "status=noxfer"],
    ["if=g", "of=d", "status=none"], ["if=f", "of=missing-dir/x"], ["if=out", "of=new", "skip=1", "ibs=5", "obs=2", "status=noxfer"],
    ["if=f", "of=new", "seek=3", "status=none"],
]

@Suite struct SystemToolTreeTests {
    @Test(arguments: lnArguments) func ln(_ arguments: [String]) throws {
        try compareInScratch(["ln"] + arguments, exactError: true, basicTree)
    }

    @Test(arguments: chownArguments) func chown(_ arguments: [String]) throws {
        try compareInScratch(["chown"] + arguments, exactError: true, basicTree)
    }

    @Test(arguments: ddFileArguments) func ddToFiles(_ arguments: [String]) throws {
        try compareInScratch(["dd"] + arguments, basicTree)
    }

    /// mktemp's names are random: the two sides must agree on everything else — the status, the
    /// messages, the shape of the name (its directory, the template's fixed parts and length) and
    /// what was made (a file 0600 or a directory 0700, empty).
    @Test(arguments: [["fooXXX"], ["-d", "barXXXXXX"], ["-p", ".", "bazXXXX"], ["-t", "tXXXXX"], ["--suffix=.c", "sXXX"], ["mXXXtail"],
                      ["-u", "uXXX"], ["-d", "-p", "d", "nestedXXX"], [], ["-d"], ["-q", "missing-dir/XXXX"],
                      ["-u", "helloXXX", "--tmpdir"], ["--tmpdir=d", "-u", "tmXXX"], ["-p", "d", "-u", "d/x.XXXX"], ["--tmpdir", "-u", "d/x.XXX"]])
    func mktempMakes(_ arguments: [String]) throws {
        let gnuTree = SystemFixtures.make("mktemp-gnu") { try basicTree($0) }
        let ourTree = SystemFixtures.make("mktemp-ours") { try basicTree($0) }
        defer {
            try? FileManager.default.removeItem(atPath: gnuTree)
            try? FileManager.default.removeItem(atPath: ourTree)
        }
        var gnuCase = system(["mktemp"] + arguments, in: gnuTree, environment: ["TMPDIR": gnuTree + "/d"])
        let gnu = try gnuCase.runGNU()
        gnuCase.directory = ourTree
        gnuCase.environment = ["TMPDIR": ourTree + "/d"]
        let ours = gnuCase.runOurs()
        #expect(ours.status == gnu.status && ours.stderr.isEmpty == gnu.stderr.isEmpty, "GNU: \(gnu.summary)\n  ours: \(ours.summary)")
        let gnuName = String(decoding: gnu.stdout, as: UTF8.self).replacingOccurrences(of: gnuTree, with: "ROOT")
        let ourName = String(decoding: ours.stdout, as: UTF8.self).replacingOccurrences(of: ourTree, with: "ROOT")
        #expect(gnuName.count == ourName.count, "GNU \(gnuName.debugDescription), ours \(ourName.debugDescription)")
        // the fixed parts: everything up to the random run and the suffix after it
        let template = arguments.last { !$0.hasPrefix("-") } ?? "tmp.XXXXXXXXXX"
        let fixed = String(template.prefix { $0 != "X" })
        guard ours.status == 0 else { return }
        #expect(ourName.contains(fixed), "\(ourName) from \(template)")
        guard !arguments.contains("-u") else { return }
        let made = String(ourName.dropLast()).replacingOccurrences(of: "ROOT", with: ourTree)
        let path = made.hasPrefix("/") ? made : ourTree + "/" + made
        var st = Glibc.stat()
        #expect(lstat(path, &st) == 0, "\(path) was not made")
        let expected: mode_t = arguments.contains("-d") ? S_IFDIR | 0o700 : S_IFREG | 0o600
        #expect(st.st_mode == expected, "mode \(String(st.st_mode, radix: 8))")
        // and GNU's has the same type and mode
        let gnuMade = String(gnuName.dropLast()).replacingOccurrences(of: "ROOT", with: gnuTree)
        var gst = Glibc.stat()
        #expect(lstat(gnuMade.hasPrefix("/") ? gnuMade : gnuTree + "/" + gnuMade, &gst) == 0 && gst.st_mode == st.st_mode)
    }

    @Test(arguments: [["fooXX"], ["a", "b"], ["-t", "a/bXXX"], ["-p", "/nonexistent-dir", "abXXX"], ["-d", "/nonexistent-dir/XXX"],
                      ["-q", "/nonexistent-dir/XXX"], ["--suffix=.c", "fooXXXa"], ["foo"], ["-x"]])
    func mktempRefuses(_ arguments: [String]) throws {
        try compareWithGNU(system(["mktemp"] + arguments, exactError: !arguments.contains("-x") && arguments.count < 2))
    }

    /// A block larger than dd's cap (16 MiB) is refused with GNU's out-of-memory message, not
    /// allocated (GNU, with the host's memory, would copy: a documented difference).
    @Test(arguments: [["bs=1G"], ["ibs=99999999999"], ["obs=17M"], ["bs=16777217"]]) func ddRefusesHugeBlocks(_ arguments: [String]) {
        let io = HostIO(directory: Fixtures.directory, stdinPath: "one")
        #expect(Utilities.run("dd", arguments, io) == 1)
        #expect(String(decoding: io.stderr, as: UTF8.self).hasPrefix("dd: memory exhausted by input buffer of size "))
        #expect(io.stdout.isEmpty)
        let fits = HostIO(directory: Fixtures.directory, stdinPath: "one")
        #expect(Utilities.run("dd", ["bs=16M", "status=none"], fits) == 0 && fits.stdout == Array("hello\n".utf8))
    }

    /// dd's transfer line: the byte count and both human sizes are GNU's ("5000 bytes (5.0 kB,
    /// 4.9 KiB) copied, "); the time and rate that follow are the run's own.
    @Test(arguments: [0, 1, 999, 1000, 5000, 65536, 99_999, 1_048_576, 10_000_000, 123_456_789])
    func ddTransferLine(_ size: Int) throws {
        let line = Dd.transferLine(UInt64(size), nanoseconds: 1_000_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c \(size) /dev/zero | LC_ALL=C dd of=/dev/null bs=1M iflag=fullblock 2>&1 | tail -1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let gnu = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let cut = { (s: String) in String(s[..<(s.range(of: "copied, ")?.upperBound ?? s.endIndex)]) }
        #expect(cut(line) == cut(gnu), "ours \(line.debugDescription), GNU \(gnu.debugDescription)")
        #expect(line.hasSuffix("/s\n"))
    }
}
