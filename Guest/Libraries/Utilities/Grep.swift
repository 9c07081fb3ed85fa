// Grep.swift — grep [OPTION]… PATTERNS [FILE]… as GNU grep 3.8 behaves in the C locale
// (POSIX.1-2017 "grep" plus GNU's options): -E -F -G, -e/-f pattern lists, -i -v -w -x, output
// modes -c -l -L -o -q, prefixes -H -h -n -b, context -A/-B/-C with "--" between groups, -m,
// -r/-R over directory trees (--exclude-dir), -s, -a/-I and GNU's "binary file matches" for inputs
// with NUL bytes, -Z (a NUL after file names).
// Exit status: 0 a line was selected, 1 none, 2 trouble (0 with -q once a line is selected).
// Streams line by line: memory is one line, the -B lines kept, and one directory's names.

public enum Grep {
    static let specs = [
        OptionSpec("E", "extended-regexp"), OptionSpec("F", "fixed-strings"), OptionSpec("G", "basic-regexp"),
        OptionSpec("P", "perl-regexp"),
        OptionSpec("e", "regexp", argument: true), OptionSpec("f", "file", argument: true),
        OptionSpec("i", "ignore-case"), OptionSpec("y", nil, key: "ignore-case"), OptionSpec(nil, "no-ignore-case"),
        OptionSpec("v", "invert-match"), OptionSpec("w", "word-regexp"), OptionSpec("x", "line-regexp"),
        OptionSpec("c", "count"), OptionSpec("l", "files-with-matches"), OptionSpec("L", "files-without-match"),
        OptionSpec("o", "only-matching"), OptionSpec("q", "quiet"), OptionSpec(nil, "silent", key: "quiet"),
        OptionSpec("s", "no-messages"), OptionSpec("H", "with-filename"), OptionSpec("h", "no-filename"),
        OptionSpec("n", "line-number"), OptionSpec("b", "byte-offset"), OptionSpec(nil, "label", argument: true),
        OptionSpec("A", "after-context", argument: true), OptionSpec("B", "before-context", argument: true),
        OptionSpec("C", "context", argument: true), OptionSpec("m", "max-count", argument: true),
        OptionSpec("r", "recursive"), OptionSpec("R", "dereference-recursive"),
        OptionSpec("a", "text"), OptionSpec("I", nil, key: "binary-without-match"),
        OptionSpec(nil, "no-group-separator"), OptionSpec(nil, "group-separator", argument: true),
        OptionSpec("Z", "null"), OptionSpec(nil, "exclude-dir", argument: true), OptionSpec("z", "null-data"),
    ]

    /// What one run prints and how (fixed by the options).
    struct Settings {
        var invert = false, count = false, listMatching = false, listMissing = false
        var onlyMatching = false, quiet = false, silent = false, lineNumbers = false, byteOffsets = false
        var withName = false, before = 0, after = 0, context = false, maxCount = Int.max
        var recursive = false, followLinks = false, binaryAsText = false, binarySkip = false
        var separator: [UInt8]? = Array("--".utf8)
        var label = "(standard input)"
        /// -Z: a NUL after each file name instead of ":" or a newline.
        var nullAfterName = false
        /// -z: input and output lines end in NUL, not newline (NUL is then no sign of a binary file).
        var lineEnd: UInt8 = 10
        /// --exclude-dir=GLOB: directories -r does not enter (matched on their names).
        var excludedDirectories: [Glob] = []
    }

    /// A context count: a decimal number ("grep: x: invalid context length argument").
    static func contextLength(_ text: String) -> Int? { parseDecimal(text) }

    /// egrep and fgrep: GNU grep's scripts, which run `grep -E` or `grep -F` with the arguments
    /// (upstream 3.8's also warn that they are obsolescent; Debian's, which the tests compare
    /// with, do not).
    public static func runObsolescent<IO: TreeIO>(_ name: String, _ arguments: [String], _ io: IO) -> Int32 {
        run([name == "egrep" ? "-E" : "-F"] + arguments, io)
    }

    public static func run<IO: TreeIO>(_ rawArguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "grep")
        // --color[=WHEN] takes an optional argument, which the option parser has no form for;
        // colour is never used (the output is compared, not shown), so the option is dropped.
        var arguments: [String] = []
        for (k, a) in rawArguments.enumerated() {
            if rawArguments[..<k].contains("--") { arguments.append(a); continue }
            if a == "--color" || a == "--colour" || a.hasPrefix("--color=") || a.hasPrefix("--colour=") { continue }
            arguments.append(a)
        }
        guard let parsed = console.options(arguments, specs) else { return 2 }
        var operands = parsed.operands
        var s = Settings()
        if parsed.has("perl-regexp") { console.error("Perl matching not supported in a --disable-perl-regexp build"); return 2 }

        // The matcher: -E, -F or -G, the same one any number of times; two different ones are
        // GNU grep 3.8's "conflicting matchers specified".
        var extended = false, fixed = false
        var chosenMatcher: String? = nil
        for (key, _) in parsed.options where key == "extended-regexp" || key == "fixed-strings" || key == "basic-regexp" {
            if let m = chosenMatcher, m != key { console.error("conflicting matchers specified"); return 2 }
            chosenMatcher = key
            extended = key == "extended-regexp"
            fixed = key == "fixed-strings"
        }
        var ignoreCase = false
        for (key, _) in parsed.options {
            if key == "ignore-case" { ignoreCase = true }
            if key == "no-ignore-case" { ignoreCase = false }
        }
        // Context: -A/-B override -C whichever comes first (GNU: -C sets the default for both).
        var before: Int? = nil, after: Int? = nil, both: Int? = nil
        for (key, value) in parsed.options where key == "after-context" || key == "before-context" || key == "context" {
            guard let n = contextLength(value) else { console.error(value + ": invalid context length argument"); return 2 }
            if key == "after-context" { after = n } else if key == "before-context" { before = n } else { both = n }
            s.context = true
        }
        s.before = before ?? both ?? 0
        s.after = after ?? both ?? 0
        if let m = parsed.last("max-count") {
            guard let n = parseDecimal(m) else { console.error("invalid max count"); return 2 }
            s.maxCount = n
        }
        s.invert = parsed.has("invert-match"); s.count = parsed.has("count")
        s.listMatching = parsed.has("files-with-matches"); s.listMissing = parsed.has("files-without-match")
        s.onlyMatching = parsed.has("only-matching"); s.quiet = parsed.has("quiet"); s.silent = parsed.has("no-messages")
        s.lineNumbers = parsed.has("line-number"); s.byteOffsets = parsed.has("byte-offset")
        s.recursive = parsed.has("recursive") || parsed.has("dereference-recursive")
        s.followLinks = parsed.has("dereference-recursive")
        s.binaryAsText = parsed.has("text"); s.binarySkip = parsed.has("binary-without-match")
        if parsed.has("no-group-separator") { s.separator = nil }
        if let g = parsed.last("group-separator") { s.separator = Array(g.utf8) }
        if let l = parsed.last("label") { s.label = l }
        s.nullAfterName = parsed.has("null")
        if parsed.has("null-data") { s.lineEnd = 0 }
        s.excludedDirectories = parsed.options.filter { $0.0 == "exclude-dir" }.map { Glob(pattern: Array($0.1.utf8), ignoreCase: false) }

        // The patterns: every -e, every line of every -f file; else the first operand.
        var patterns: [[UInt8]] = []
        var given = false
        for (key, value) in parsed.options where key == "regexp" || key == "file" {
            given = true
            if key == "regexp" {
                patterns += Array(value.utf8).split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                continue
            }
            guard let input = console.openInput(value) else { return 2 }
            var reader = LineReader(input.source)
            var line: [UInt8] = []
            while reader.next(&line) {
                if line.last == 10 { line.removeLast() }
                patterns.append(line)
            }
            input.close()
            if let e = reader.error { console.error(value, e); return 2 }
        }
        if !given {
            guard !operands.isEmpty else {
                console.flush()
                io.writeError(Array("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n".utf8))
                return 2
            }
            patterns = Array(operands.removeFirst().utf8).split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        }
        // GNU 3.8 warns of a leading "*" in an extended expression, which it ignores.
        if extended && !fixed {
            for p in patterns where p.first == 42 || containsGroupStar(p) {
                console.flush(); io.writeError(Array("grep: warning: * at start of expression\n".utf8))
            }
        }
        let matcher: GrepPatterns
        switch GrepPatterns.compile(patterns, extended: extended, fixed: fixed, ignoreCase: ignoreCase,
                                    wholeWords: parsed.has("word-regexp"), wholeLine: parsed.has("line-regexp")) {
        case .success(let m): matcher = m
        case .failure(let e): console.error(e.message); return 2
        }

        // File names are shown for several inputs, or a recursive search of a directory.
        if parsed.has("with-filename") || parsed.has("no-filename") {
            s.withName = parsed.options.last { $0.key == "with-filename" || $0.key == "no-filename" }!.key == "with-filename"
        } else if operands.count > 1 {
            s.withName = true
        } else if s.recursive {
            if operands.isEmpty { s.withName = true }
            else if case .success(let info) = io.info(operands[0], followLinks: true), info.kind == .directory { s.withName = true }
        }

        var search = Search(settings: s, matcher: matcher)
        if operands.isEmpty {
            if s.recursive { search.walk(".", shown: "", &console) } else { search.searchInput("-", &console) }
        }
        for name in operands {
            if search.stop { break }
            if s.recursive && name != "-", case .success(let info) = io.info(name, followLinks: true), info.kind == .directory {
                // GNU skips a directory operand --exclude-dir names too (by its last component)
                var last = Array(name.utf8)
                while last.count > 1 && last.last == 47 { last.removeLast() }
                if let slash = last.lastIndex(of: 47), last.count > 1 { last = Array(last[(slash + 1)...]) }
                if s.excludedDirectories.contains(where: { $0.matches(last) }) { continue }
                search.walk(name, shown: name, &console)
            } else {
                search.searchInput(name, &console)
            }
        }
        // Trouble (a message, even one -s kept quiet) is 2, except that -q with a selected line is 0.
        let status = console.finish(failure: 2)
        if s.quiet && search.selectedAny { return 0 }
        if status != 0 { return 2 }
        return search.selectedAny ? 0 : 1
    }

    /// "(*" in an extended expression (GNU warns there too).
    static func containsGroupStar(_ p: [UInt8]) -> Bool {
        var k = 0
        while k + 1 < p.count {
            if p[k] == 92 { k += 2; continue }
            if p[k] == 40 && p[k + 1] == 42 { return true }
            k += 1
        }
        return false
    }
}

/// One grep run's searching: the inputs in turn, the tree walk, the counts and the exit state.
struct Search {
    let s: Grep.Settings
    let matcher: GrepPatterns
    var selectedAny = false
    /// -q after a selected line: nothing more to do.
    var stop = false

    init(settings: Grep.Settings, matcher: GrepPatterns) {
        self.s = settings
        self.matcher = matcher
    }

    mutating func report<IO: ToolIO>(_ name: String, _ e: SystemError, _ console: inout Console<IO>) {
        // exit status 2, even when -s keeps the message back
        if !s.silent { console.error(name, e) } else { console.failed = true }
    }

    /// -r: every file under `path` (named `shown`/… in the output; "" for the implicit ".").
    /// Symbolic links inside the tree are skipped unless -R (GNU).
    mutating func walk<IO: TreeIO>(_ path: String, shown: String, _ console: inout Console<IO>) {
        let names: [String]
        switch console.io.list(path) {
        case .success(let n): names = n
        case .failure(let e): report(shown.isEmpty ? path : shown, e, &console); return
        }
        for name in names {
            if stop { return }
            let child = path.hasSuffix("/") ? path + name : path + "/" + name
            let childShown = shown.isEmpty ? name : (shown.hasSuffix("/") ? shown + name : shown + "/" + name)
            switch console.io.info(child, followLinks: s.followLinks) {
            case .failure(let e): report(childShown, e, &console)
            case .success(let info):
                switch info.kind {
                case .directory:
                    if s.excludedDirectories.contains(where: { $0.matches(Array(name.utf8)) }) { continue }
                    walk(child, shown: childShown, &console)
                case .symlink: continue
                default: searchFile(child, shown: childShown, &console)
                }
            }
        }
    }

    mutating func searchInput<IO: TreeIO>(_ name: String, _ console: inout Console<IO>) {
        searchFile(name, shown: name == "-" ? s.label : name, &console)
    }

    /// Searches one input: `path` to open ("-": standard input), `shown` in the output.
    mutating func searchFile<IO: TreeIO>(_ path: String, shown: String, _ console: inout Console<IO>) {
        let source: IO.Source
        let owned = path != "-"
        if owned {
            switch console.io.open(path) {
            case .success(let f): source = f
            case .failure(let e): report(shown, e, &console); return
            }
        } else {
            source = console.io.standardInput()
        }
        defer { if owned { source.close() } }
        var reader = LineReader(source)
        reader.delimiter = s.lineEnd
        var line: [UInt8] = []
        var text: [UInt8] = []
        var lineNumber = 0, offset: UInt64 = 0
        var selected = 0
        var binary = false
        // Context: the last -B lines not printed (number, offset, text), the -A lines still owed,
        // and the number of the last line printed (a gap before the next one prints "--").
        var kept: [(Int, UInt64, [UInt8])] = []
        var owed = 0
        var lastPrinted = 0
        let printing = !s.count && !s.listMatching && !s.listMissing && !s.quiet
        while reader.next(&line) {
            lineNumber += 1
            if s.lineEnd == 0 {
                // -z: records end in NUL; binary-file detection by NUL does not apply
            } else if lineNumber == 1 && !s.binaryAsText && (line.contains(0) || reader.buffer[reader.start..<reader.end].contains(0)) {
                binary = true
            } else if !binary && !s.binaryAsText && line.contains(0) {
                binary = true
            }
            if binary && s.binarySkip { return }
            let lineOffset = offset
            offset += UInt64(line.count)
            text.removeAll(keepingCapacity: true)
            text.append(contentsOf: line)
            if text.last == s.lineEnd { text.removeLast() }
            if selected >= s.maxCount {
                // -m: after the last selected line only its trailing context (whatever it holds).
                if owed > 0 && printing && !binary {
                    printLine(shown, lineNumber, lineOffset, text, separator: 45, &console)
                    lastPrinted = lineNumber; owed -= 1
                    continue
                }
                break
            }
            if binary {
                // GNU reads a binary file's NUL bytes as line ends too: its lines are the pieces.
                var pieces = text.split(separator: 0, omittingEmptySubsequences: false)
                if line.last != 10 && pieces.count > 1 && pieces.last!.isEmpty { pieces.removeLast() }
                var n = 0
                for piece in pieces where selected + n < s.maxCount && matches(Array(piece)) != s.invert { n += 1 }
                guard n > 0 else { continue }
                selected += n
                selectedAny = true
                if s.quiet { stop = true; return }
                if s.listMatching || s.listMissing { break }
                if s.count { continue }
                console.flush()
                console.io.writeError(Array(("grep: " + shown + ": binary file matches\n").utf8))
                return
            }
            let isSelected = matches(text) != s.invert
            if !isSelected {
                guard printing && !binary else { continue }
                if owed > 0 {
                    printLine(shown, lineNumber, lineOffset, text, separator: 45, &console)
                    lastPrinted = lineNumber; owed -= 1
                } else if s.before > 0 {
                    kept.append((lineNumber, lineOffset, text))
                    if kept.count > s.before { kept.removeFirst() }
                }
                continue
            }
            selected += 1
            selectedAny = true
            if s.quiet { stop = true; return }
            if s.listMatching || s.listMissing { break }
            if s.count { continue }
            if !s.onlyMatching {
                let first = kept.first?.0 ?? lineNumber
                if s.context && lastPrinted > 0 && first > lastPrinted + 1, let separator = s.separator {
                    console.put(separator); console.put(10)
                }
                for (n, o, t) in kept { printLine(shown, n, o, t, separator: 45, &console) }
                kept.removeAll(keepingCapacity: true)
                printLine(shown, lineNumber, lineOffset, text, separator: 58, &console)
                lastPrinted = lineNumber
                owed = s.after
            } else if !s.invert {
                var from = 0
                while from <= text.count, let m = matcher.find(in: text, from: from, longest: true) {
                    if m.isEmpty { from = m.lowerBound + 1; continue }
                    printLine(shown, lineNumber, lineOffset + UInt64(m.lowerBound), text[m], separator: 58, &console)
                    from = m.upperBound
                }
            }
            if console.writeFailed != nil { stop = true; return }
        }
        if let e = reader.error { report(shown, e, &console); return }
        if s.count {
            if s.withName { console.put(shown); console.put(s.nullAfterName ? 0 : 58) }
            console.put(String(selected)); console.put(10)
        }
        if (s.listMatching && selected > 0) || (s.listMissing && selected == 0) { console.put(shown); console.put(s.nullAfterName ? 0 : 10) }
    }

    func matches(_ text: [UInt8]) -> Bool { matcher.find(in: text, from: 0, longest: false) != nil }

    /// One output line: [name sep][number sep][offset sep]text\n (sep ":" selected, "-" context).
    func printLine<IO: ToolIO, C: Collection>(_ name: String, _ number: Int, _ offset: UInt64, _ text: C,
                                               separator: UInt8, _ console: inout Console<IO>) where C.Element == UInt8 {
        if s.withName { console.put(name); console.put(s.nullAfterName ? 0 : separator) }
        if s.lineNumbers { console.put(String(number)); console.put(separator) }
        if s.byteOffsets { console.put(String(offset)); console.put(separator) }
        console.put(text); console.put(s.lineEnd)
    }
}
