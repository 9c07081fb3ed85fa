// Sed.swift — sed [-n] [-e SCRIPT]… [-f FILE]… [-E|-r] [-i[SUFFIX]] [-s] [-z] [FILE…]
// (POSIX.1-2017 "sed", with GNU's everyday extensions). Addresses: N, $, /RE/ and \cREc (flags I,
// M), FIRST~STEP, ranges A,B with A,+N and A,~N and 0,/RE/, and "!". Commands: { } = a i c d D
// g G h H l n N p P q Q r R s t T w W x y z b : #. s/// flags g p N I w, replacement with &,
// \1-\9, \n, and GNU's \U \L \u \l \E. A line at a time (N and the hold space grow only as the
// script makes them); the next line is read ahead to know "$". -i writes each file's output to a
// new file beside it and renames it over the file.
// Regular expressions: Regex.swift (a backtracking matcher: leftmost, greedy; POSIX's
// leftmost-longest differs only for alternations such as a\|ab).

public enum Sed {
    struct ScriptError: Error { var message: String }

    enum AddressKind {
        case line(Int)
        case last
        case regex(BasicRegex?)          // nil: the last regex used
        case step(Int, Int)              // first~step
        case zero                        // 0 (only as 0,/re/)
    }

    enum RangeEnd {
        case address(AddressKind)
        case plus(Int)                   // A,+N
        case multiple(Int)               // A,~N
    }

    struct Command {
        var first: AddressKind? = nil
        var second: RangeEnd? = nil
        var negate = false
        var name: UInt8 = 0
        var text: [UInt8] = []           // a i c text; label; file name; y's source
        var target: [UInt8] = []         // y's destination
        var regex: BasicRegex? = nil     // s (nil with hasRegex: the last regex used)
        var hasRegex = false
        var replacement: [UInt8] = []
        var global = false, print = 0, occurrence = 1
        var number = 0                   // q/Q exit status; l width; block: index of the matching }
        var hasNumber = false
        var writeFile: Int? = nil        // index in the output files
        // range state
        var active = false
        var rangeEndLine = 0
    }

    // MARK: parsing

    struct Parser {
        let s: [UInt8]
        var i = 0
        let extended: Bool
        var commands: [Command] = []
        var files: [String] = []
        var blocks: [Int] = []
        var quiet = false

        init(_ script: [UInt8], extended: Bool) { s = script; self.extended = extended }

        func failure(_ m: String) -> ScriptError { ScriptError(message: "-e expression #1, char \(i): " + m) }

        func peek() -> UInt8? { i < s.count ? s[i] : nil }

        mutating func skipBlanks() { while let c = peek(), c == 32 || c == 9 { i += 1 } }

        mutating func number() -> Int? {
            var v: Int? = nil
            while let c = peek(), c >= 48 && c <= 57 { v = min((v ?? 0) &* 10 &+ Int(c - 48), Int.max / 16); i += 1 }
            return v
        }

        /// The text up to an unescaped `delimiter` ("\delim" becomes delim; "\n" a newline when
        /// `newlines`); i is left after the delimiter.
        mutating func delimited(_ delimiter: UInt8, what: String, regex: Bool) throws(ScriptError) -> [UInt8] {
            var out: [UInt8] = []
            var inBracket = false
            while let c = peek() {
                i += 1
                // with "[" as the delimiter a "[" ends the part (GNU: s[\[\[][X[ replaces "[")
                if regex && c == 91 && !inBracket && delimiter != 91 {
                    inBracket = true
                    out.append(c)
                    if peek() == 94 { out.append(94); i += 1 }
                    if peek() == 93 { out.append(93); i += 1 }
                    continue
                }
                if inBracket {
                    if c == 93 { inBracket = false }
                    if c == 10 && !regex { break }
                    out.append(c)
                    continue
                }
                if c == delimiter { return out }
                if c == 92 {
                    guard let e = peek() else { break }
                    i += 1
                    if e == delimiter { out.append(e) }
                    else if e == 110 && regex { out += [92, 110] }
                    else if e == 10 { out.append(10) }
                    else { out += [92, e] }
                    continue
                }
                if c == 10 && regex { break }
                out.append(c)
            }
            throw failure("unterminated `\(what)' command")
        }

        mutating func compile(_ pattern: [UInt8], ignoreCase: Bool) throws(ScriptError) -> BasicRegex? {
            if pattern.isEmpty { return nil }
            switch BasicRegex.compile(pattern, extended: extended, ignoreCase: ignoreCase) {
            case .success(let r): return r
            case .failure(let e): throw failure(e.message)
            }
        }

        mutating func address() throws(ScriptError) -> AddressKind? {
            guard let c = peek() else { return nil }
            if c >= 48 && c <= 57 {
                let n = number()!
                if peek() == 126 {
                    i += 1
                    let step = number() ?? 0
                    return .step(n, step)
                }
                return n == 0 ? .zero : .line(n)
            }
            if c == 36 { i += 1; return .last }
            if c == 47 || c == 92 {
                i += 1
                var delimiter: UInt8 = 47
                if c == 92 { guard let d = peek() else { throw failure("unexpected `,'") }; delimiter = d; i += 1 }
                let pattern = try delimited(delimiter, what: "address regex", regex: true)
                var ignore = false
                while let f = peek(), f == 73 || f == 77 { if f == 73 { ignore = true }; i += 1 }
                return .regex(try compile(pattern, ignoreCase: ignore))
            }
            return nil
        }

        /// Text for a, i, c with the newline that ends it: GNU's one-line form ("a text") or
        /// POSIX's ("a\" newline "text"), lines continued by a trailing backslash. "a\" at the very
        /// end of the script is no text at all, not even a newline (GNU: `sed '$a\'` only ends
        /// the last line).
        mutating func text() -> [UInt8] {
            skipBlanks()
            if peek() == 92 {
                i += 1
                if peek() == nil { return [] }
                if peek() == 10 { i += 1 }
            }
            var out: [UInt8] = []
            while let c = peek() {
                i += 1
                if c == 92 {
                    guard let e = peek() else { break }
                    i += 1
                    // GNU's escapes in text: \n \t \r \f \v \a, and \dNNN \oNNN \xHH; any other
                    // byte stands for itself ("\l" is "l", "\\" a backslash)
                    switch e {
                    case 110: out.append(10)
                    case 116: out.append(9)
                    case 114: out.append(13)
                    case 102: out.append(12)
                    case 118: out.append(11)
                    case 97: out.append(7)
                    case 100, 111, 120:
                        let (radix, width): (UInt32, Int) = e == 100 ? (10, 3) : e == 111 ? (8, 3) : (16, 2)
                        var value: UInt32 = 0, used = 0
                        while used < width, let d = peek(), let v = digitValue(d, radix) {
                            value = value * radix + v; used += 1; i += 1
                        }
                        if used == 0 || value > 255 { out.append(e) } else { out.append(UInt8(value)) }
                    default: out.append(e)
                    }
                    continue
                }
                if c == 10 { break }
                out.append(c)
            }
            return out + [10]
        }

        /// A digit's value in `radix` (10, 8 or 16), or nil.
        func digitValue(_ b: UInt8, _ radix: UInt32) -> UInt32? {
            let v: UInt32
            switch b {
            case 48...57: v = UInt32(b - 48)
            case 97...102: v = UInt32(b - 87)
            case 65...70: v = UInt32(b - 55)
            default: return nil
            }
            return v < radix ? v : nil
        }

        /// A label: to the end of the line or a ";" — and, for a jump (b t T), a "}" too, as GNU
        /// reads `/x/{:a;n;ba}`.
        mutating func label(jump: Bool = false) -> [UInt8] {
            skipBlanks()
            var out: [UInt8] = []
            while let c = peek(), c != 10 && c != 59 && !(jump && c == 125) { out.append(c); i += 1 }
            while out.last == 32 || out.last == 9 { out.removeLast() }
            return out
        }

        mutating func fileName() -> [UInt8] {
            skipBlanks()
            var out: [UInt8] = []
            while let c = peek(), c != 10 { out.append(c); i += 1 }
            return out
        }

        mutating func fileIndex(_ name: [UInt8]) -> Int {
            let n = String(decoding: name, as: UTF8.self)
            if let k = files.firstIndex(of: n) { return k }
            files.append(n)
            return files.count - 1
        }

        mutating func parse() throws(ScriptError) {
            if s.count >= 2 && s[0] == 35 && s[1] == 110 && (s.count == 2 || s[2] == 10) { quiet = true }
            while true {
                while let c = peek(), c == 32 || c == 9 || c == 10 || c == 59 { i += 1 }
                guard peek() != nil else { break }
                var command = Command()
                if let a = try address() {
                    command.first = a
                    skipBlanks()
                    if peek() == 44 {
                        i += 1
                        skipBlanks()
                        if peek() == 43 || peek() == 126 {
                            let kind = peek()!
                            i += 1
                            guard let n = number() else { throw failure("expected newer version of sed") }
                            command.second = kind == 43 ? .plus(n) : .multiple(n)
                        } else {
                            guard let b = try address() else { throw failure("unexpected `,'") }
                            if case .zero = b { throw failure("invalid usage of line address 0") }
                            command.second = .address(b)
                        }
                    }
                    if case .zero = a {
                        guard let second = command.second, case .address(.regex) = second else { throw failure("invalid usage of line address 0") }
                    }
                }
                skipBlanks()
                if peek() == 33 {
                    command.negate = true; i += 1; skipBlanks()
                    if peek() == 33 { i += 1; throw failure("multiple `!'s") }
                }
                guard let name = peek() else { throw failure("missing command") }
                i += 1
                command.name = name
                switch name {
                case 123:   // {
                    blocks.append(commands.count)
                case 125:   // }
                    guard command.first == nil else { throw failure("} doesn't want any addresses") }
                    guard let open = blocks.popLast() else { throw failure("unexpected `}'") }
                    commands[open].number = commands.count
                case 61, 100, 68, 103, 71, 104, 72, 110, 78, 112, 80, 120, 122, 70: break
                case 35:
                    guard command.first == nil else { throw failure("comments don't accept any addresses") }
                    while let c = peek(), c != 10 { i += 1 }
                    continue
                case 58:
                    guard command.first == nil else { throw failure(": doesn't want any addresses") }
                    command.text = label()
                    if command.text.isEmpty { throw failure("\":\" lacks a label") }
                case 98, 116, 84:
                    command.text = label(jump: true)
                case 97, 105, 99:
                    command.text = text()
                case 113, 81, 108, 76:
                    skipBlanks()
                    if let n = number() { command.number = n; command.hasNumber = true }
                case 114, 82:
                    command.text = fileName()
                case 119, 87:
                    command.writeFile = fileIndex(fileName())
                case 115:
                    guard let d = peek(), d != 10, d != 92 else { throw failure("unterminated `s' command") }
                    i += 1
                    let pattern = try delimited(d, what: "s", regex: true)
                    command.replacement = try delimited(d, what: "s", regex: false)
                    var ignore = false
                    var sawNumber = false
                    flags: while let f = peek() {
                        switch f {
                        case 103: if command.global { throw failure("multiple `g' options to `s' command") }; command.global = true; i += 1
                        case 112: if command.print > 0 { throw failure("multiple `p' options to `s' command") }; command.print = 1; i += 1
                        case 73, 105: ignore = true; i += 1
                        case 77, 109: i += 1
                        case 48...57:
                            if sawNumber { throw failure("multiple number options to `s' command") }
                            sawNumber = true
                            let n = number()!
                            if n == 0 { throw failure("number option to `s' command may not be zero") }
                            command.occurrence = n
                        case 119:
                            i += 1
                            command.writeFile = fileIndex(fileName())
                            break flags
                        case 125, 35, 32, 9, 10, 59: break flags
                        default: throw failure("unknown option to `s'")
                        }
                    }
                    command.hasRegex = true
                    command.regex = try compile(pattern, ignoreCase: ignore)
                    // GNU refuses a \N in the replacement beyond the regex's groups
                    if let regex = command.regex {
                        var k = 0
                        let r = command.replacement
                        while k + 1 < r.count {
                            if r[k] == 92 {
                                if r[k + 1] >= 49 && r[k + 1] <= 57 && Int(r[k + 1] - 48) > regex.groupCount {
                                    throw failure("invalid reference \\\(String(decoding: [r[k + 1]], as: UTF8.self)) on `s' command's RHS")
                                }
                                k += 2
                            } else {
                                k += 1
                            }
                        }
                    }
                case 121:
                    guard let d = peek(), d != 10, d != 92 else { throw failure("unterminated `y' command") }
                    i += 1
                    let from = unescape(try delimited(d, what: "y", regex: false))
                    let to = unescape(try delimited(d, what: "y", regex: false))
                    if from.count != to.count { throw failure("strings for `y' command are different lengths") }
                    command.text = from
                    command.target = to
                default:
                    i -= 1
                    throw failure("unknown command: `\(String(decoding: [name], as: UTF8.self))'")
                }
                commands.append(command)
                // After a command: blanks, then ; } # or a newline ({ and the text commands,
                // which read their line, excepted).
                if name == 123 || name == 97 || name == 105 || name == 99 { continue }
                skipBlanks()
                if let c = peek(), c != 59 && c != 10 && c != 125 && c != 35 {
                    throw failure("extra characters after command")
                }
            }
            if !blocks.isEmpty { i = 0; throw failure("unmatched `{'") }
        }

        /// y's strings: \\ and \n (and the delimiter, done by `delimited`).
        func unescape(_ b: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            var k = 0
            while k < b.count {
                if b[k] == 92 && k + 1 < b.count {
                    let e = b[k + 1]
                    out.append(e == 110 ? 10 : e == 116 ? 9 : e)
                    k += 2
                    continue
                }
                out.append(b[k]); k += 1
            }
            return out
        }
    }

    /// The replacement's case conversion in force (\U \L, \u \l for one letter).
    enum LetterCase { case none, upper, lower }

    // MARK: running

    static let specs = [
        OptionSpec("n", "quiet"), OptionSpec(nil, "silent", key: "quiet"), OptionSpec("e", "expression", argument: true, key: "e"),
        OptionSpec("f", "file", argument: true, key: "f"), OptionSpec("E", "regexp-extended", key: "E"), OptionSpec("r", key: "E"),
        OptionSpec("s", "separate"), OptionSpec("z", "null-data"), OptionSpec(nil, "posix"), OptionSpec("u", "unbuffered"),
        OptionSpec("l", "line-length", argument: true), OptionSpec(nil, "debug"), OptionSpec(nil, "sandbox"),
    ]

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "sed")
        // -i[SUFFIX]: an optional attached argument, which the option parser has no form for.
        var inPlace: String? = nil
        var rest: [String] = []
        var seenDashDash = false
        for a in arguments {
            if !seenDashDash && a == "--" { seenDashDash = true }
            if !seenDashDash && (a.hasPrefix("-i") || a.hasPrefix("--in-place")) && !a.hasPrefix("--in-place=") && a.hasPrefix("-i") {
                inPlace = String(a.dropFirst(2)); continue
            }
            if !seenDashDash && a.hasPrefix("--in-place") { inPlace = a.hasPrefix("--in-place=") ? String(a.dropFirst(11)) : ""; continue }
            rest.append(a)
        }
        guard let parsed = console.options(rest, specs) else { return 1 }
        var script: [UInt8] = []
        var operands = parsed.operands
        var haveScript = false
        for (key, value) in parsed.options where key == "e" || key == "f" {
            if haveScript { script.append(10) }
            haveScript = true
            if key == "e" { script += Array(value.utf8) } else {
                guard let input = console.openInput(value, reportAs: { "couldn't open file " + $0 }) else { return 4 }
                var reader = LineReader(input.source)
                var line: [UInt8] = []
                while reader.next(&line) { script += line }
                input.close()
                if script.last == 10 { script.removeLast() }
            }
        }
        if !haveScript {
            guard !operands.isEmpty else { console.usage("no script specified"); return 1 }
            script = Array(operands.removeFirst().utf8)
        }
        var parser = Parser(script, extended: parsed.has("E"))
        do throws(ScriptError) { try parser.parse() } catch { console.error(error.message); return 1 }
        // Labels must exist.
        for c in parser.commands where (c.name == 98 || c.name == 116 || c.name == 84) && !c.text.isEmpty {
            if !parser.commands.contains(where: { $0.name == 58 && $0.text == c.text }) {
                console.error("can't find label for jump to `\(String(decoding: c.text, as: UTF8.self))'")
                return 4
            }
        }
        var lineWidth = 70
        if let l = parsed.last("line-length") {
            guard let v = parseDecimal(l) else { console.error("invalid line length: " + l); return 1 }   // not GNU's text
            lineWidth = v
        }
        if inPlace != nil && operands.isEmpty { console.error("no input files"); return 1 }   // GNU 4.9: 1? (reported as 4 by older)
        var machine = Machine<IO>(commands: parser.commands, quiet: parsed.has("quiet") || parser.quiet,
                                  delimiter: parsed.has("null-data") ? 0 : 10, lineWidth: lineWidth)
        // The w files, created (emptied) before any input is read.
        for name in parser.files {
            if name == "/dev/stdout" || name == "/dev/stderr" { machine.sinks.append(nil); continue }
            switch io.create(name, append: false) {
            case .success(let s): machine.sinks.append(s)
            case .failure(let e): console.error("couldn't open file " + name + ": " + e.message); return 4
            }
        }
        machine.sinkNames = parser.files
        let separate = parsed.has("separate") || inPlace != nil
        let names = operands.isEmpty ? ["-"] : operands
        if separate {
            for name in names {
                var target: IO.Sink? = nil
                let temporary = name + ".sedtmp"
                if inPlace != nil {
                    guard io.status(name) != nil else { console.error("can't read " + name + ": No such file or directory"); machine.status = 2; continue }
                    // the new file gets the old one's permission bits (GNU copies them), made so
                    // before any data is in it
                    if case .success(let old) = io.fullStatus(name, followLinks: true) {
                        _ = io.createExclusive(temporary, mode: old.mode & 0o7777)
                    }
                    switch io.create(temporary, append: false) {
                    case .success(let s): target = s
                    case .failure(let e): console.error("couldn't open temporary file " + temporary + ": " + e.message); return 4
                    }
                }
                machine.output = target
                machine.inputs = [name]
                machine.lineNumberResets = true
                machine.owed = false
                machine.runAll(&console)
                if let t = target {
                    t.close()
                    if let suffix = inPlace, !suffix.isEmpty {
                        let backup = suffix.contains("*") ? suffix.replacingAll("*", with: name) : name + suffix
                        _ = io.rename(name, to: backup)
                    }
                    if case .failure(let e) = io.rename(temporary, to: name) { console.error("cannot rename " + temporary + ": " + e.message) }
                }
                if machine.quit { break }
            }
        } else {
            machine.inputs = names
            machine.runAll(&console)
        }
        for s in machine.sinks { s?.close() }
        let status = console.finish(failure: 4)
        if machine.status != 0 { return machine.status }
        return status
    }

    /// The execution state: pattern and hold space, the line read ahead, the queue of text to
    /// append after the cycle, and where output goes (standard output, or -i's new file).
    struct Machine<IO: ToolIO> {
        var commands: [Command]
        let quiet: Bool
        let delimiter: UInt8
        let lineWidth: Int
        var sinks: [IO.Sink?] = []
        var sinkNames: [String] = []
        var output: IO.Sink? = nil
        var inputs: [String] = []
        var lineNumberResets = false
        var status: Int32 = 0
        var quit = false

        var inputIndex = 0
        var reader: LineReader<IO.Source>? = nil
        var current: OpenInput<IO.Source>? = nil
        var lookahead: [UInt8]? = nil
        var lookaheadHadDelimiter = false
        var lineNumber = 0
        var pattern: [UInt8] = []
        var missingDelimiter = false
        var hold: [UInt8] = []
        /// GNU keeps "the newline was missing" with each buffer: g h x copy or swap it, and G H
        /// give the target the source's (execute.c's line_copy, line_append, line_exchange).
        var holdMissing = false
        var appendQueue: [[UInt8]] = []
        var readFiles: [(name: String, reader: LineReader<IO.Source>?)] = []
        var lastRegex: BasicRegex? = nil
        var substituted = false

        init(commands: [Command], quiet: Bool, delimiter: UInt8, lineWidth: Int) {
            self.commands = commands; self.quiet = quiet; self.delimiter = delimiter; self.lineWidth = lineWidth
        }

        /// The last line written lacked its newline: one is written before anything else (GNU).
        var owed = false

        mutating func emit(_ console: inout Console<IO>, _ bytes: [UInt8]) {
            if owed {
                owed = false
                if let o = output { _ = o.write([delimiter][...]) } else { console.put(delimiter) }
            }
            if let o = output { _ = o.write(bytes[...]) } else { console.put(bytes) }
        }

        /// Reads the next line of the inputs into `lookahead` (nil at the very end).
        mutating func fill(_ console: inout Console<IO>) {
            lookahead = nil
            while true {
                if reader == nil {
                    guard inputIndex < inputs.count else { return }
                    let name = inputs[inputIndex]
                    inputIndex += 1
                    guard let input = console.openInput(name, reportAs: { "can't read " + $0 }) else { console.failed = false; status = 2; continue }
                    current = input
                    var r = LineReader(input.source)
                    r.delimiter = delimiter
                    reader = r
                }
                var line: [UInt8] = []
                if reader!.next(&line) {
                    lookaheadHadDelimiter = line.last == delimiter
                    if lookaheadHadDelimiter { line.removeLast() }
                    lookahead = line
                    return
                }
                if let e = reader!.error {
                    console.error("read error on " + inputs[inputIndex - 1] + ": " + e.message)
                    console.failed = false
                    status = 2
                }
                current?.close()
                current = nil
                reader = nil
            }
        }

        /// The next line into the pattern space (replacing or, for N, appending); false at the end.
        mutating func next(_ console: inout Console<IO>, append: Bool) -> Bool {
            guard let line = lookahead else { return false }
            if append { pattern.append(delimiter); pattern += line } else { pattern = line }
            missingDelimiter = !lookaheadHadDelimiter
            lineNumber += 1
            fill(&console)
            return true
        }

        var isLast: Bool { lookahead == nil }

        mutating func printPattern(_ console: inout Console<IO>) {
            var out = pattern
            if !missingDelimiter { out.append(delimiter) }
            emit(&console, out)
            if missingDelimiter { owed = true }
        }

        mutating func flushAppends(_ console: inout Console<IO>) {
            for text in appendQueue { emit(&console, text) }
            appendQueue.removeAll()
        }

        mutating func matches(_ a: AddressKind) -> Bool {
            switch a {
            case .line(let n): return lineNumber == n
            case .last: return isLast
            case .zero: return false
            case .step(let first, let step):
                if step <= 0 { return lineNumber == first }
                return lineNumber >= first && (lineNumber - first) % step == 0
            case .regex(let r):
                guard let regex = r ?? lastRegex else { return false }
                lastRegex = regex
                return regex.firstMatch(pattern) != nil
            }
        }

        /// Whether command `k` applies to this line (ranges keep their state in the command).
        mutating func selected(_ k: Int) -> Bool {
            let c = commands[k]
            guard let first = c.first else { return true }
            guard let second = c.second else { return matches(first) != c.negate }
            var result = false
            if commands[k].active {
                result = true
                switch second {
                case .address(let end):
                    if case .line(let n) = end {
                        // GNU: past the end line (jumped over by b or t) the range is over
                        // without this line.
                        if lineNumber >= n { commands[k].active = false }
                        result = lineNumber <= n
                    } else if matches(end) {
                        commands[k].active = false
                    }
                case .plus:
                    if lineNumber >= commands[k].rangeEndLine { commands[k].active = false }
                case .multiple(let n):
                    if n <= 0 || lineNumber % n == 0 { commands[k].active = false }
                }
            } else {
                var starts = false
                if case .zero = first { starts = lineNumber == 1 || false } else { starts = matches(first) }
                if case .zero = first {
                    // 0,/re/: the range is open from before line 1; /re/ may end it on line 1.
                    if lineNumber == 1 {
                        result = true
                        commands[k].active = true
                        if case .address(let end) = second, matches(end) { commands[k].active = false }
                    }
                } else if starts {
                    result = true
                    commands[k].active = true
                    switch second {
                    case .address(let end):
                        if case .line(let n) = end, n <= lineNumber { commands[k].active = false }
                        if case .last = end, isLast { commands[k].active = false }
                    case .plus(let n):
                        commands[k].rangeEndLine = lineNumber + n
                        if n == 0 { commands[k].active = false }
                    case .multiple(let n):
                        if n <= 0 || lineNumber % n == 0 { commands[k].active = false }
                    }
                }
            }
            return result != c.negate
        }

        mutating func runAll(_ console: inout Console<IO>) {
            if lineNumberResets { lineNumber = 0 }
            inputIndex = 0
            fill(&console)
            while !quit && next(&console, append: false) {
                cycle(&console)
            }
            current?.close()
            current = nil
            reader = nil
        }

        /// One cycle: the script over the pattern space, then its output.
        mutating func cycle(_ console: inout Console<IO>) {
            substituted = false
            var pc = 0
            var restartWithoutRead = false
            repeat {
                restartWithoutRead = false
                pc = 0
                var deleted = false
                while pc < commands.count {
                    let k = pc
                    pc += 1
                    let c = commands[k]
                    if c.name == 125 || c.name == 58 { continue }
                    guard selected(k) else {
                        if c.name == 123 { pc = c.number + 1 }
                        continue
                    }
                    switch c.name {
                    case 123: break
                    case 61: emit(&console, Array(String(lineNumber).utf8) + [10])
                    case 97: appendQueue.append(c.text)
                    case 105: emit(&console, c.text)
                    case 99:
                        // With a range, the text once, at its end (GNU); "!" prints it every line.
                        if c.second == nil || !commands[k].active || c.negate { emit(&console, c.text) }
                        deleted = true
                    case 100: deleted = true
                    case 68:
                        // the lines of the pattern space are split on the input's delimiter (GNU's
                        // buffer_delimiter: NUL under -z), here and in G H N P W l
                        if let nl = pattern.firstIndex(of: delimiter) {
                            pattern.removeSubrange(...nl)
                            flushAppends(&console)
                            restartWithoutRead = true
                        }
                        deleted = true
                    case 103: pattern = hold; missingDelimiter = holdMissing
                    case 71: pattern.append(delimiter); pattern += hold; missingDelimiter = holdMissing
                    case 104: hold = pattern; holdMissing = missingDelimiter
                    case 72: hold.append(delimiter); hold += pattern; holdMissing = missingDelimiter
                    case 120: swap(&pattern, &hold); swap(&missingDelimiter, &holdMissing)
                    case 122: pattern.removeAll()
                    case 108: list(&console, c.hasNumber ? c.number : lineWidth)
                    case 110:
                        if !quiet { printPattern(&console) }
                        flushAppends(&console)
                        if !next(&console, append: false) { quit = true; return }
                    case 78:
                        if isLast {
                            // GNU: at the end N prints the pattern space and ends.
                            if !quiet { printPattern(&console) }
                            flushAppends(&console)
                            quit = true
                            return
                        }
                        flushAppends(&console)
                        _ = next(&console, append: true)
                    case 112: printPattern(&console)
                    case 80:
                        if let end = pattern.firstIndex(of: delimiter) { emit(&console, Array(pattern[...end])) } else { printPattern(&console) }
                    case 113:
                        // q ends the output with a newline even after a last line without one (GNU).
                        if !quiet { emit(&console, pattern + [delimiter]) }
                        flushAppends(&console)
                        status = Int32(truncatingIfNeeded: c.number)
                        quit = true
                        return
                    case 81:
                        status = Int32(truncatingIfNeeded: c.number)
                        quit = true
                        return
                    case 114:
                        if let text = readWhole(&console, String(decoding: c.text, as: UTF8.self)) { appendQueue.append(text) }
                    case 82:
                        if let line = readLine(&console, String(decoding: c.text, as: UTF8.self)) { appendQueue.append(line) }
                    case 119: write(&console, c.writeFile!, pattern + [delimiter])
                    case 87:
                        let end = pattern.firstIndex(of: delimiter) ?? pattern.count
                        write(&console, c.writeFile!, Array(pattern[..<end]) + [delimiter])
                    case 121:
                        for j in pattern.indices {
                            if let at = c.text.firstIndex(of: pattern[j]) { pattern[j] = c.target[at] }
                        }
                    case 98: pc = jump(c.text)
                    case 116: if substituted { substituted = false; pc = jump(c.text) }
                    case 84: if !substituted { pc = jump(c.text) } else { substituted = false }
                    case 115: substitute(&console, c)
                    case 70: emit(&console, Array((inputs.isEmpty ? "-" : inputs[max(0, inputIndex - 1)]).utf8) + [10])
                    default: break
                    }
                    if deleted { break }
                }
                if !deleted && !quiet { printPattern(&console) }
                flushAppends(&console)
            } while restartWithoutRead && !quit
        }

        func jump(_ label: [UInt8]) -> Int {
            if label.isEmpty { return commands.count }
            return (commands.firstIndex { $0.name == 58 && $0.text == label } ?? commands.count) + 1
        }

        mutating func write(_ console: inout Console<IO>, _ index: Int, _ bytes: [UInt8]) {
            if let sink = sinks[index] { _ = sink.write(bytes[...]) }
            else if sinkNames[index] == "/dev/stderr" { console.flush(); console.io.writeError(bytes) }
            else { emit(&console, bytes) }
        }

        mutating func readWhole(_ console: inout Console<IO>, _ name: String) -> [UInt8]? {
            // r: the file's bytes, queued (a missing file is silently nothing, as POSIX says).
            guard case .success(let s) = console.io.open(name) else { return nil }
            var out: [UInt8] = []
            _ = forEachChunk(s) { out += $0; return true }
            s.close()
            return out.isEmpty ? nil : out
        }

        mutating func readLine(_ console: inout Console<IO>, _ name: String) -> [UInt8]? {
            var k = readFiles.firstIndex { $0.name == name }
            if k == nil {
                if case .success(let s) = console.io.open(name) { readFiles.append((name, LineReader(s))) } else { readFiles.append((name, nil)) }
                k = readFiles.count - 1
            }
            guard var r = readFiles[k!].reader else { return nil }
            var line: [UInt8] = []
            let ok = r.next(&line)
            readFiles[k!].reader = r
            guard ok else { return nil }
            if line.last != 10 { line.append(10) }
            return line
        }

        /// l: the pattern space unambiguously, folded at `width` (0: never), ending in "$".
        mutating func list(_ console: inout Console<IO>, _ width: Int) {
            var out: [UInt8] = []
            var column = 0
            func add(_ piece: [UInt8], _ out: inout [UInt8]) {
                if width > 1 && column + piece.count > width - 1 { out += [92, delimiter]; column = 0 }
                out += piece
                column += piece.count
            }
            for b in pattern {
                var piece: [UInt8]
                switch b {
                case 92: piece = [92, 92]
                case 7: piece = [92, 97]
                case 8: piece = [92, 98]
                case 12: piece = [92, 102]
                case 10: piece = [92, 110]
                case 13: piece = [92, 114]
                case 9: piece = [92, 116]
                case 11: piece = [92, 118]
                case 32...126: piece = [b]
                default:
                    let o = String(b, radix: 8)
                    piece = [92] + [UInt8](repeating: 48, count: 3 - o.utf8.count) + Array(o.utf8)
                }
                add(piece, &out)
            }
            out += [36, delimiter]
            emit(&console, out)
        }

        mutating func substitute(_ console: inout Console<IO>, _ c: Command) {
            guard let regex = c.regex ?? lastRegex else {
                return   // GNU: "no previous regular expression"; reported at parse time there
            }
            lastRegex = regex
            var result: [UInt8] = []
            var position = 0, count = 0
            var previousEnd = -1
            var did = false
            let subject = pattern
            while position <= subject.count {
                guard let m = regex.firstMatch(subject, from: position) else { break }
                let start = m.groups[0]!.lowerBound, end = m.end
                if start == end && start == previousEnd {
                    // An empty match right after the previous match does not count (GNU).
                    if start < subject.count { result += subject[position...start] } 
                    position = start + 1
                    continue
                }
                count += 1
                result += subject[position..<start]
                if count >= c.occurrence {
                    result += expand(c.replacement, m, subject)
                    did = true
                } else {
                    result += subject[start..<end]
                }
                previousEnd = end
                if start == end {
                    if end < subject.count { result.append(subject[end]) }
                    position = end + 1
                } else {
                    position = end
                }
                if did && !c.global { break }
            }
            guard did else { return }
            if position < subject.count { result += subject[position...] }
            pattern = result
            substituted = true
            if c.print > 0 { printPattern(&console) }
            if let w = c.writeFile { write(&console, w, pattern + [delimiter]) }
        }

        /// The replacement with & and \1-\9, \n, and GNU's case conversions.
        func expand(_ r: [UInt8], _ m: BasicRegex.Match, _ s: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            var mode = LetterCase.none
            var once = LetterCase.none
            func add(_ bytes: ArraySlice<UInt8>, _ out: inout [UInt8]) {
                for var b in bytes {
                    let effective = once != .none ? once : mode
                    if effective == .upper && b >= 97 && b <= 122 { b -= 32 }
                    if effective == .lower && b >= 65 && b <= 90 { b += 32 }
                    once = .none
                    out.append(b)
                }
            }
            var k = 0
            while k < r.count {
                let b = r[k]
                if b == 38 { add(s[m.groups[0]!], &out); k += 1; continue }
                if b == 92 && k + 1 < r.count {
                    let e = r[k + 1]
                    k += 2
                    switch e {
                    case 49...57:
                        let n = Int(e - 48)
                        if n < m.groups.count, let g = m.groups[n] { add(s[g], &out) }
                    case 110: add([10], &out)
                    case 116: add([9], &out)
                    case 85: mode = .upper; once = .none
                    case 76: mode = .lower; once = .none
                    case 69: mode = .none; once = .none
                    case 117: once = .upper
                    case 108: once = .lower
                    case 38: add([38], &out)
                    default: add([e], &out)
                    }
                    continue
                }
                add([b], &out)
                k += 1
            }
            return out
        }
    }
}
