// SedTests.swift — sed against GNU sed 4.9 on the same fixtures: identical stdout and status,
// stderr alike. Scripts cover every address form and command the tool supports.
import Foundation
import Testing
import Utilities

let sedScripts = [
    "p", "d", "1d", "$d", "2,4d", "2,4!d", "/a/d", "/a/!d", "/^$/d", "/a/,/e/d", "/e/,/a/p", "0,/a/d", "1~3d", "0~2p", "2,+2d",
    "3,~4d", "$!N", "N;P;D", "$p", "=", "l", "l 5", "l 0", "y/abc/xyz/", "s/a/X/", "s/a/X/g", "s/a/X/2", "s/a/X/2g", "s/a/[&]/gp",
    "s/A/x/I", "s/A/x/Ig", "s/\\(.\\)\\(.\\)/\\2\\1/", "s/[aeiou]*/<&>/g", "s/x*/-/g", "s/$/$/", "s/^/> /", "s/.*/\\U&/",
    "s/\\w\\+/\\u&/g", "s/[[:space:]]\\+/ /g", "s/a\\|e/_/g", "s/\\(a\\)\\?b/[\\1]/", "s,/,|,g", "s/./&\\n/", "s/\\n/,/",
    "h;G", "x;G", "1h;1!H;$!d;x", "g", "H;$!d;x;s/\\n/,/g", "n;d", "n;n;s/./X/", "$!N;s/\\n/ /", "N;N;s/\\n/+/g",
    "a\\\nappended", "a appended", "i\\\ninserted", "i inserted", "c\\\nchanged", "2,3c changed", "$a END", "1i START",
    "/a/{p;p}", "/a/{s/a/b/;/b/d}", "2q", "3q5", "2Q", "/e/q", ":a;N;$!ba;s/\\n/+/g", "s/a/b/;ta;s/$/-/;:a",
    "s/a/b/;Ta;s/$/!/;:a", "/a/b;s/$/+/", "z;s/^/empty/", "1!G;h;$!d", "=;p", "#n\np", "y/\\n/x/", "s/a/\\\n/",
    "s/\\t/TAB/g", "/x/I d", "\\,a,d", "\\%e%p", "s/[^[:alnum:]]//g", "s/\\([a-z]*\\) \\([a-z]*\\)/\\2 \\1/",
    "s/e/E/3", "/^[0-9]\\{2,\\}/p", "s/o\\{2\\}/00/g", "2{N;s/\\n/ /}", "P;D", "$=", "2,4{=;d}", "/b/,+1s/^/>/",
    // errors
    "k", "s/a/b", "s/a/b/x", "y/ab/c/", "{p", "p}", "bnowhere", "2,p", "0p", "0,5p", "s/\\(/x/", ": ", "3!!d", "s/a/b/gg",
    "s/a/\\1/", "s/\\(a\\)/\\2/", "s/\\(a\\)\\(b\\)*/\\2\\3/",
    // a jump's label ends at "}" too (GNU)
    "/a/{:x;n;/e/q;p;bx}", "/b/{s/b/B/;tx};s/$/./;:x",
]

let sedCases: [Case] = sedScripts.flatMap { script in
    ["lines", "blanks", "nonl", "words", "dups", "empty", "tabs", "random"].map { Case(tool: "sed", arguments: [script, $0], stdin: nil) }
} + [
    c("sed", "-n", "p", "lines"), c("sed", "-n", "/a/p", "lines"), c("sed", "-n", "$p", "lines", "nonl"), c("sed", "-s", "-n", "$p", "lines", "nonl"),
    c("sed", "-n", "1p", "lines", "one"), c("sed", "-s", "1d", "lines", "one"), c("sed", "-e", "s/a/A/", "-e", "s/e/E/", "lines"),
    c("sed", "-E", "s/(a|e)+/<\\1>/g", "lines"), c("sed", "-r", "s/[aeiou]{2,}/@/g", "random"), c("sed", "-E", "s/(.)(.)?/\\2\\1/g", "words"),
    c("sed", "-E", "/^(al|be)/d", "lines"), c("sed", "-z", "s/\\n/,/g", "lines"), c("sed", "-n", "-z", "p", "allbytes"),
    c("sed", "p", "missing", exactError: true), c("sed", "p", "one", "missing", "lines"), c("sed"), c("sed", "-x", "p"),
    c("sed", "--posix", "p", "one"), c("sed", "p", stdin: "lines"), c("sed", "p", "-", "one", stdin: "nonl"),
    c("sed", "-f", "missing", "one"), c("sed", "=", "big"), c("sed", "-n", "/9$/p", "big"), c("sed", "s/x*$//", "big"),
    c("sed", "-n", "$=", "big", "binary"), c("sed", "l", "binary"), c("sed", "s/[^a-z]//g", "binary"), c("sed", "y/abc/ABC/", "allbytes"),
    c("sed", "r one", "lines"), c("sed", "2r nonl", "lines"), c("sed", "r missing", "one"), c("sed", "R lines", "dups"),
    // -z: G H N D P W and l work on NUL-delimited "lines"
    c("sed", "-z", "h;G", "allbytes"), c("sed", "-z", "H;$!d;x", "allbytes"), c("sed", "-z", "N;P;D", "allbytes"), c("sed", "-z", "N;D", "allbytes"),
    c("sed", "-z", "$!N;P;d", "binary"), c("sed", "-z", "-n", "l", "binary"), c("sed", "-z", "G", "lines"), c("sed", "-z", "l", "nonl"),
    c("sed", "-E", "s/(.)/\\2/", "lines"), c("sed", "-E", "s/(a)|(b)/[\\2]/", "lines"),
    c("sed", "-l", "10", "l", "long"), c("sed", "-n", "l", "long"), c("sed", "s/line/LINE/2", "long"),
]

@Suite struct SedDifferentialTests {
    @Test(arguments: sedCases) func sed(_ t: Case) throws { try compareWithGNU(t) }

    /// -i: the file itself changes (and, with a suffix, the old one is kept): compared by the
    /// files' bytes after GNU's run and after ours, each on its own copy.
    @Test(arguments: [["-i", "s/a/X/g"], ["-i.bak", "1d"], ["-n", "-i", "2p"], ["-i", "-e", "$a end", "-e", "1i start"], ["-s", "-i", "$d"]])
    func inPlace(_ options: [String]) throws {
        let root = Fixtures.directory + "/inplace-\(options.joined().hashValue & 0xffff)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/gnu", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/ours", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = Fixtures.files().filter { ["lines", "nonl", "blanks"].contains($0.0) }
        for side in ["gnu", "ours"] {
            for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: "\(root)/\(side)/\(name)")) }
        }
        let names = files.map { $0.0 }
        let gnu = Case(tool: "sed", arguments: options + names.map { root + "/gnu/" + $0 }, stdin: nil)
        let g = try gnu.runGNU()
        let io = HostIO(directory: root + "/ours", stdinPath: nil)
        let status = Utilities.run("sed", options + names, io)
        #expect(status == g.status)
        #expect(io.stdout == g.stdout)
        for name in names {
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(root)/gnu/\(name)"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(root)/ours/\(name)"))
            #expect(a == b, "\(name) after sed \(options)")
            let backups = [".bak"].filter { _ in options.contains("-i.bak") }
            for suffix in backups {
                let x = try Data(contentsOf: URL(fileURLWithPath: "\(root)/gnu/\(name)\(suffix)"))
                let y = try Data(contentsOf: URL(fileURLWithPath: "\(root)/ours/\(name)\(suffix)"))
                #expect(x == y)
            }
        }
    }
}
