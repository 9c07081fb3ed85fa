// LsTests.swift — ls against GNU coreutils 9.1's ls on the same tree: identical stdout and exit
// status, stderr alike (and identical where the case says). The tree holds what -l, -F, the sort
// orders and the colors tell apart: old, recent and future times, sizes from empty to a sparse
// 3 MiB, executable, set-uid and sticky modes, hidden names, symbolic links (good, dangling, to a
// directory), a fifo, nested directories for -R, a name with a space and one with a control
// byte, and a directory of many names for the column layouts. Times print in UTC on both sides
// (TZ=UTC for GNU); access times are set an hour ahead so that reading the tree moves none.
import Foundation
import Glibc
import Testing
import Utilities

enum LsFixtures {
    static let now = Int64(time(nil))

    static func setTimes(_ path: String, modified: Int64) {
        var times = [timespec(tv_sec: Int(now + 3600), tv_nsec: 0), timespec(tv_sec: Int(modified), tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    static let directory = SystemFixtures.make("ls") { root in
        func file(_ name: String, _ text: String, mode: mode_t = 0o644, modified: Int64) throws {
            try SystemFixtures.write(root + "/" + name, text)
            chmod(root + "/" + name, mode)
        }
        let day: Int64 = 86_400
        try file("a.txt", "hello\n", modified: 1_614_834_367)                 // 2021-03-04: the year shows
        try file("B.txt", String(repeating: "b", count: 5000), modified: now - 2 * day)
        try file("c", "", modified: now - 200 * day)                           // beyond six months
        try file(".hidden", "h\n", modified: now - 3 * day)
        try file("exe", "#!/bin/sh\n", mode: 0o755, modified: now - 4 * day)
        try file("suid", "x\n", mode: 0o4755, modified: now - 5 * day)
        try file("future", "f\n", modified: now + 400 * day)                  // ahead: the year shows
        try file("space name", "s\n", modified: now - 6 * day)
        try file("ctl\u{01}name", "c\n", modified: now - 7 * day)
        try file("big", "", modified: now - 8 * day)
        truncate(root + "/big", 3 << 20)
        try FileManager.default.createDirectory(atPath: root + "/dir/sub/deep", withIntermediateDirectories: true)
        try SystemFixtures.write(root + "/dir/x", "x\n")
        try SystemFixtures.write(root + "/dir/.h", "h\n")
        try SystemFixtures.write(root + "/dir/sub/y", String(repeating: "y", count: 2000))
        try SystemFixtures.write(root + "/dir/sub/deep/z", "z\n")
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/sticky", withIntermediateDirectories: true)
        chmod(root + "/sticky", 0o1777)
        symlink("a.txt", root + "/link")
        symlink("nowhere", root + "/dangling")
        symlink("dir", root + "/dirlink")
        mkfifo(root + "/fifo", 0o644)
        if getuid() == 0 { chown(root + "/c", 54321, 54321) }                  // no such user: numbers print
        try FileManager.default.createDirectory(atPath: root + "/many", withIntermediateDirectories: true)
        let words = ["alpha", "be", "gamma-ray", "d", "epsilon-eridani", "zeta", "eta", "theta-x", "i", "kappa", "lambda-lambda",
                     "mu", "nu", "xi", "omicron-long-name", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega-end"]
        for (i, w) in words.enumerated() {
            try SystemFixtures.write(root + "/many/" + w, String(repeating: "m", count: i * 100))
            setTimes(root + "/many/" + w, modified: now - Int64(i) * 3600)
        }
        for name in ["a.txt", "B.txt", "c", ".hidden", "exe", "suid", "future", "space name", "ctl\u{01}name", "big", "link", "dangling",
                     "dirlink", "fifo", "dir/x", "dir/.h", "dir/sub/y", "dir/sub/deep/z", "dir/sub/deep", "dir/sub", "dir", "empty", "sticky", "many"] {
            let old: [String: Int64] = ["a.txt": 1_614_834_367, "c": now - 200 * day, "future": now + 400 * day]
            setTimes(root + "/" + name, modified: old[name] ?? now - 10 * day - Int64(name.utf8.count) * 60)
        }
        for (name, modified) in [("B.txt", now - 2 * day), (".hidden", now - 3 * day), ("exe", now - 4 * day), ("suid", now - 5 * day)] {
            setTimes(root + "/" + name, modified: modified)
        }
        setTimes(root, modified: now - day)
    }
}

func ls(_ arguments: [String], exactError: Bool = false, environment: [String: String] = [:]) -> Case {
    system(["ls"] + arguments, in: LsFixtures.directory, exactError: exactError, environment: ["TZ": "UTC"].merging(environment) { $1 })
}

let lsListingCases: [Case] = [
    [], ["-a"], ["-A"], ["-1"], ["-l"], ["-la"], ["-lA"], ["-al", "dir"], ["-ld", "dir"], ["-d", "dir", "a.txt"], ["-d"], ["-dl"],
    ["-lh"], ["-sh"], ["-s"], ["-ls"], ["-lsh"], ["-k", "-s"], ["-sa", "dir"], ["-lhS"], ["-i"], ["-li"], ["-is"],
    ["-n"], ["-ln"], ["-g"], ["-o"], ["-lG"], ["-og"], ["-lu"], ["-lc"], ["--full-time", "a.txt", "many"],
    ["-l", "a.txt", "many"], ["-i", "a.txt", "dir"], ["-s", "c", "many"], ["-ln", "c", "dir", "a.txt"],
].map { ls($0) }

let lsOrderCases: [Case] = [
    ["-t"], ["-lt"], ["-S"], ["-Sr"], ["-tr"], ["-r"], ["-ltr", "many"], ["-lS", "many"], ["-t", "many"], ["-rS", "many", "dir"],
    ["-R"], ["-lR"], ["-Ra", "dir"], ["-RA", "dir"], ["-R", "dir", "a.txt"], ["-Rr", "dir"], ["-Rt", "dir"], ["-R", "empty", "dir/sub"],
    [".", "dir"], ["dir", "empty"], ["a.txt", "c", "dir", "empty", "B.txt"], ["-r", "a.txt", "c", "dir", "empty"], ["dir/"], ["-R", "dir/"],
    ["--group-directories-first"], ["-U", "a.txt", "c", "B.txt"], ["-f", "empty"],
].map { ls($0) }

let lsIndicatorCases: [Case] = [
    ["-F"], ["-p"], ["--file-type"], ["-lF"], ["-Fa", "dir"], ["-F", "dirlink"], ["dirlink"], ["-l", "dirlink"], ["-d", "dirlink"],
    ["link"], ["-l", "link"], ["-L", "-l"], ["-L", "dirlink"], ["-lL", "link", "dangling"], ["-F", "exe", "fifo", "link", "dangling"],
    ["-q"], ["-b"], ["-N"], ["-lb"], ["-C", "-q"], ["--show-control-chars"],
].map { ls($0) }

let lsColumnCases: [Case] = [
    ["-C"], ["-x"], ["-C", "many"], ["-x", "many"], ["-Cw", "40", "many"], ["-Cw", "20", "many"], ["-xw", "30", "many"],
    ["-Cw", "1", "many"], ["-Cw", "200", "many"], ["-Ci", "many"], ["-Cs", "many"], ["-CF"], ["-xF", "-w", "50"], ["-m"],
    ["-m", "many"], ["-mw", "30", "many"], ["-mi", "many"], ["-C", "-w", "100", "many", "dir"], ["-CR", "dir"], ["-1C", "many"], ["-C1", "many"],
    ["-Cl", "many"], ["-lC", "many"],
].map { ls($0) }
    + ["20", "33", "79", "130", "1"].map { ls(["-C", "many"], environment: ["COLUMNS": $0]) }
    + [ls(["-C", "many"], exactError: true, environment: ["COLUMNS": "abc"]), ls(["-1", "many"], environment: ["COLUMNS": "abc"])]

let lsColorCases: [Case] = {
    let term = ["TERM": "xterm"]
    var cases = [["--color=always"], ["--color"], ["--color=yes"], ["--color=auto"], ["--color=never"], ["--color=tty"], ["-l", "--color=always"],
                 ["-F", "--color=always"], ["-C", "--color=always", "many"], ["--color=always", "dir", "dirlink", "link", "dangling"],
                 ["-la", "--color=always", "dir"]].map { ls($0, environment: term) }
    cases.append(ls(["--color=always"]))   // no TERM, no LS_COLORS: GNU colors nothing
    cases.append(ls(["--color=always"], environment: ["COLORTERM": "truecolor"]))
    cases.append(ls(["--color=always"], environment: ["LS_COLORS": "di=01;31:ex=35:*.txt=04;33:ln=target"]))
    cases.append(ls(["-l", "--color=always"], environment: ["LS_COLORS": "*.txt=32:fi=36:or=41:mi=05"]))
    cases.append(ls(["--color=always"], environment: ["LS_COLORS": "ec=\u{1B}[m:di=1"]))
    return cases
}()

let lsErrorCases: [Case] = [
    ["missing"], ["a.txt", "missing", "dir"], ["-l", "missing", "c"], ["-y"], ["--bogus"], ["-w", "0"], ["-w", "x"],
    ["--color=bogus"], ["-d", "missing", "dir"], ["-R", "missing"], ["dir/x/"],
].map { ls($0, exactError: true) }

@Suite(.serialized) struct LsTests {
    @Test(arguments: lsListingCases) func listing(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: lsOrderCases) func order(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: lsIndicatorCases) func indicators(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: lsColumnCases) func columns(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: lsColorCases) func colors(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: lsErrorCases) func errors(_ t: Case) throws { try compareWithGNU(t) }

    /// The fixture is what the cases claim: the listings are not empty and tell the kinds apart
    /// (a broken fixture would make every comparison pass on empty output).
    @Test func theTreeHoldsWhatTheCasesNeed() throws {
        let result = ls(["-la"]).runOurs()
        let text = String(decoding: result.stdout, as: UTF8.self)
        for piece in ["-rwsr-xr-x", "drwxrwxrwt", "link -> a.txt", "dangling -> nowhere", "prw-r--r--", " 3145728 ", "Mar  4  2021 a.txt", "total "] {
            #expect(text.contains(piece), "\(piece) missing from\n\(text)")
        }
    }
}
