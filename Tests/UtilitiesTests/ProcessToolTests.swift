// ProcessToolTests.swift — env, pwd and xargs against GNU coreutils 9.1 and findutils: they run
// real host programs (echo, printf, sh, false) as children, in the fixtures' directory, with the
// same environment GNU's gets. Arguments are text: a program's arguments are Swift strings in both
// backends (and in UserLib's exec), so bytes that are not UTF-8 are not passed through as GNU
// passes them (a documented difference; the cases use text). Plain `env` is not compared byte for byte: the order of the
// environment handed to a child by Foundation is not fixed; -i and -u cases are.
import Testing
import Utilities

let envCases: [Case] = [
    ["-i"], ["-i", "A=1", "B=2"], ["-i", "A=1", "A=2"], ["-u", "PATH", "-u", "LC_ALL"], ["-u", "PATH", "-u", "LC_ALL", "X=y"],
    ["-i", "-0", "A=1", "B=2"], ["-0", "-i", "echo", "x"], ["-u", "A=B"], ["-u"], ["-x"], ["--bogus"], ["-i", "nosuch-program-x"],
    ["-i", "PATH=/usr/bin", "echo", "hello", "-n"], ["-", "A=1"], ["--ignore-environment", "Z=9"], ["-i", "/usr/bin/printf", "%s\\n", "a b"],
    ["-i", "PATH=/usr/bin:/bin", "sh", "-c", "echo $A; exit 3", "A=5"], ["-i", "A=5", "PATH=/usr/bin:/bin", "sh", "-c", "echo $A; exit 3"],
    ["-i", "PATH=/usr/bin:/bin", "false"], ["-i", "PATH=/usr/bin:/bin", "env"], ["-u", "LC_ALL", "-u", "PATH", "--", "A=1"],
    ["-i", "./one"], ["-i", "dir"], ["-i", "PATH=/usr/bin:/bin", "cat", "one"], ["-i", "=BLAH", "A=1"], ["-i", "=", "=x"],
].map { Case(tool: "env", arguments: $0, stdin: nil) } + [
    Case(tool: "env", arguments: ["-i", "PATH=/usr/bin:/bin", "cat"], stdin: "lines"),
]

let pwdCases: [Case] = [c("pwd"), c("pwd", "-P"), c("pwd", "-L"), c("pwd", "-x"), c("pwd", "extra")]

let xargsCases: [Case] = [
    Case(tool: "xargs", arguments: [], stdin: "lines"), Case(tool: "xargs", arguments: [], stdin: "empty"),
    Case(tool: "xargs", arguments: ["-r"], stdin: "empty"), Case(tool: "xargs", arguments: ["-r", "echo", "x"], stdin: "blanks"),
    Case(tool: "xargs", arguments: ["echo", "x"], stdin: "empty"), Case(tool: "xargs", arguments: ["-n", "2"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["-n1", "echo", "["], stdin: "words"), Case(tool: "xargs", arguments: ["-n", "0"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["-n", "x"], stdin: "lines"), Case(tool: "xargs", arguments: ["-L", "2"], stdin: "blanks"),
    Case(tool: "xargs", arguments: ["-L", "1", "echo", "|"], stdin: "tabs"), Case(tool: "xargs", arguments: ["-I", "{}", "echo", "<{}>"], stdin: "tabs"),
    Case(tool: "xargs", arguments: ["-I{}", "echo", "{}-{}", "x{}"], stdin: "lines"), Case(tool: "xargs", arguments: ["-I", "X", "echo", "X"], stdin: "empty"),
    Case(tool: "xargs", arguments: ["-0"], stdin: "lines"), Case(tool: "xargs", arguments: ["-0", "-n", "3", "echo"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["-d", "\\n", "-n", "2"], stdin: "tabs"), Case(tool: "xargs", arguments: ["-d", ":", "echo"], stdin: "passwd"),
    Case(tool: "xargs", arguments: ["-d", "ab"], stdin: "lines"), Case(tool: "xargs", arguments: ["-E", "gamma"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["-t", "echo"], stdin: "one"), Case(tool: "xargs", arguments: ["nosuch-command-x"], stdin: "one"),
    Case(tool: "xargs", arguments: ["false"], stdin: "one"), Case(tool: "xargs", arguments: ["sh", "-c", "exit 255"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["-n", "1", "sh", "-c", "echo $0; [ $0 != gamma ]"], stdin: "lines"),
    Case(tool: "xargs", arguments: [], stdin: "words"), Case(tool: "xargs", arguments: ["-s", "20"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["-s", "20", "-x"], stdin: "lines"), Case(tool: "xargs", arguments: ["-s", "5"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["--bogus"], stdin: "lines"), Case(tool: "xargs", arguments: ["--", "echo", "-n"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["printf", "%s|"], stdin: "table"), Case(tool: "xargs", arguments: ["-n", "3", "printf", "[%s %s %s]\\n"], stdin: "random"),
    Case(tool: "xargs", arguments: ["-0", "printf", "<%s>"], stdin: "words"),
    Case(tool: "xargs", arguments: ["-s", "4"], stdin: "empty"), Case(tool: "xargs", arguments: ["-s", "8", "echo", "abc"], stdin: "one"),
    // -P above 1: GNU's output order is its children's race, so only -P 1 is compared
    Case(tool: "xargs", arguments: ["-n", "1", "-P", "1"], stdin: "lines"),
    Case(tool: "xargs", arguments: ["-P", "x"], stdin: "lines"),
]

@Suite struct ProcessToolDifferentialTests {
    @Test(arguments: envCases) func env(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: pwdCases) func pwd(_ t: Case) throws { try compareWithGNU(t) }
    @Test(arguments: xargsCases) func xargs(_ t: Case) throws { try compareWithGNU(t) }
}
