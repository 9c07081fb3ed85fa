// TextToolTests.swift — the line and column tools (fold, expand, unexpand, paste, comm, nl) against
// GNU coreutils 9.1 on the same fixtures: identical stdout and status, stderr alike (and, for
// missing files, identical).
import Testing
import Utilities

let textFiles = ["empty", "one", "nonl", "lines", "blanks", "long", "tabs", "words", "utf8", "random", "binary", "spaces", "allbytes"]

func cases(_ tool: String, _ optionSets: [String], _ inputs: [String]) -> [Case] {
    optionSets.flatMap { options in
        let args = options.split(separator: " ").map(String.init)
        return inputs.map { Case(tool: tool, arguments: args + [$0], stdin: nil) }
    }
}

let foldCases: [Case] = [
    c("fold", stdin: "long"), c("fold", "missing", exactError: true), c("fold", "-w", "0", "one"), c("fold", "-w", "x", "one"),
    c("fold", "-5", "lines"), c("fold", "-w3", "one", "-", "nonl", stdin: "lines"), c("fold", "-q"),
] + cases("fold", ["", "-w 1", "-w 2", "-w 7", "-w 8", "-w 9", "-w 40", "-s", "-s -w 5", "-s -w 10", "-b -w 5", "-bs -w 6",
                   "-w 3 -s", "--width=12", "-b"], textFiles)

let expandCases: [Case] = [
    c("expand", stdin: "tabs"), c("expand", "missing", exactError: true), c("expand", "-t", "0", "tabs"),
    c("expand", "-t", "4,2", "tabs"), c("expand", "-t", "x", "tabs"), c("expand", "-4", "tabs"), c("expand", "-2,6", "spaces"),
    c("expand", "tabs", "spaces"), c("expand", "-t", "/4", "tabs"), c("expand", "-t", "2,+5", "spaces"), c("expand", "-t", "/2,+3", "tabs"),
] + cases("expand", ["", "-t 1", "-t 3", "-t 4", "-t 8", "-t 2,5,9", "-t 3 -i", "-i", "-t 1,4 -i", "-t '2 7'", "-t 4,/8", "-t 3,+2"],
          ["tabs", "spaces", "words", "empty", "nonl", "random", "binary", "long"])

let unexpandCases: [Case] = [
    c("unexpand", stdin: "spaces"), c("unexpand", "missing", exactError: true), c("unexpand", "-t", "0", "spaces"),
    c("unexpand", "-3", "spaces"), c("unexpand", "spaces", "tabs"), c("unexpand", "-t", "x", "spaces"),
] + cases("unexpand", ["", "-a", "-t 1", "-t 2", "-t 4", "-t 8", "-t 3,7,12", "--first-only", "-t 4 --first-only", "-a -t 5",
                       "-t 2,/4", "-t 4,+3"],
          ["spaces", "tabs", "words", "empty", "nonl", "random", "binary", "long", "blanks"])

let pasteCases: [Case] = [
    c("paste", stdin: "lines"), c("paste", "missing", exactError: true), c("paste", "one", "missing", exactError: true),
    c("paste", "-d", "\\", "one"), c("paste", "-", "-", stdin: "lines"), c("paste", "-s", "-", "one", stdin: "lines"),
    c("paste", "-d", "", "lines", "one"), c("paste", "-s", "-d", "", "lines"), c("paste", "-z", "allbytes", "one"),
    c("paste", "-sz", "allbytes"), c("paste", "lines", "-", "nonl", "-", stdin: "blanks"), c("paste", "-s", "missing", "one"),
] + [["lines", "one"], ["one", "lines"], ["lines", "nonl", "empty"], ["empty", "empty"], ["nonl", "nonl"],
     ["tabs", "passwd", "blanks"], ["random", "table"], ["binary", "lines"], ["lines"], ["empty"], ["nonl"]].flatMap { files in
    ["", "-s", "-d :", "-d ab", "-d \\n", "-s -d ,;", "-d \\0x", "-d \\t\\\\", "-s -d \\0"].map { options in
        Case(tool: "paste", arguments: options.split(separator: " ").map(String.init) + files, stdin: nil)
    }
}

let commCases: [Case] = [
    c("comm"), c("comm", "sorted1"), c("comm", "a", "b", "c"), c("comm", "missing", "sorted1", exactError: true),
    c("comm", "sorted1", "missing", exactError: true), c("comm", "-", "sorted2", stdin: "sorted1"),
    c("comm", "--check-order", "unsorted", "sorted1"), c("comm", "--nocheck-order", "unsorted", "sorted1"),
    c("comm", "unsorted", "sorted1"), c("comm", "unsorted", "unsorted"), c("comm", "sorted1", "unsorted"),
    c("comm", "--check-order", "sorted1", "sorted2"), c("comm", "-z", "allbytes", "binary"),
    c("comm", "--output-delimiter=", "sorted1", "sorted2"),
] + [["sorted1", "sorted2"], ["sorted2", "sorted1"], ["sorted1", "sorted1"], ["empty", "sorted1"], ["sorted2", "empty"],
     ["empty", "empty"], ["lines", "sorted1"], ["dups", "dups"], ["nonl", "one"]].flatMap { files in
    ["", "-1", "-2", "-3", "-12", "-13", "-23", "-123", "--output-delimiter=|", "--output-delimiter=:: -3", "--total",
     "--total -12"].map { options in
        Case(tool: "comm", arguments: options.split(separator: " ").map(String.init) + files, stdin: nil)
    }
}

let nlCases: [Case] = [
    c("nl", stdin: "lines"), c("nl", "missing", exactError: true), c("nl", "-b", "x", "one"), c("nl", "-w", "0", "one"),
    c("nl", "-n", "xx", "one"), c("nl", "-v", "x", "one"), c("nl", "one", "-", "blanks", stdin: "lines"),
    c("nl", "-d", "XY", "sections"), c("nl", "-d", "X", "sections"), c("nl", "-p", "sections"),
] + cases("nl", ["", "-b a", "-b n", "-b t", "-h a", "-f a -h t", "-n ln", "-n rz", "-n rn", "-w 1", "-w 3 -n rz", "-s :",
                 "-s ''", "-s ab", "-v 0", "-v -3", "-i 2", "-i -1 -v 2", "-b a -l 2", "-b a -l 3", "-l 2", "-ba -nln -w2 -s|",
                 "-p -b a -h a -f a", "-b p1", "-b pline.*[02468]$", "-b p^$", "-h pa -b pe -f p[0-9]", "-b p\\(a\\)\\1"],
          ["lines", "blanks", "nonl", "empty", "sections", "tabs", "random", "binary"])
  + [c("nl", "-b", "p[", "one"), c("nl", "-b", "p\\(", "one"), c("nl", "-b", "p", "lines")]

@Suite struct TextToolDifferentialTests {
    func compare(_ t: Case) throws { try compareWithGNU(t) }

    @Test(arguments: foldCases) func fold(_ t: Case) throws { try compare(t) }
    @Test(arguments: expandCases) func expand(_ t: Case) throws { try compare(t) }
    @Test(arguments: unexpandCases) func unexpand(_ t: Case) throws { try compare(t) }
    @Test(arguments: pasteCases) func paste(_ t: Case) throws { try compare(t) }
    @Test(arguments: commCases) func comm(_ t: Case) throws { try compare(t) }
    @Test(arguments: nlCases) func nl(_ t: Case) throws { try compare(t) }
}
