// Nl.swift — nl [-b STYLE] [-h STYLE] [-f STYLE] [-d CC] [-i N] [-l N] [-n FORMAT] [-p] [-s SEP]
// [-v N] [-w N] [FILE…] (POSIX.1-2017 "nl"): lines numbered, a line at a time. Styles a (all),
// t (non-empty, the body's default), n (none), pBRE (the lines the basic regular expression
// matches, Regex.swift). Logical pages: a line that is
// exactly the delimiter three, two or one times starts a header, body or footer section.

public enum Nl {
    static let specs = [
        OptionSpec("b", "body-numbering", argument: true), OptionSpec("d", "section-delimiter", argument: true),
        OptionSpec("f", "footer-numbering", argument: true), OptionSpec("h", "header-numbering", argument: true),
        OptionSpec("i", "line-increment", argument: true), OptionSpec("l", "join-blank-lines", argument: true),
        OptionSpec("n", "number-format", argument: true), OptionSpec("p", "no-renumber"),
        OptionSpec("s", "number-separator", argument: true), OptionSpec("v", "starting-line-number", argument: true),
        OptionSpec("w", "number-width", argument: true),
    ]

    /// A signed decimal (nl's -v and -i may be negative); nil if it is not one.
    static func signed(_ text: String) -> Int? {
        var t = Substring(text)
        var negative = false
        if t.first == "-" || t.first == "+" { negative = t.first == "-"; t = t.dropFirst() }
        guard let v = parseDecimal(String(t)), v < Int.max else { return nil }
        return negative ? -v : v
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "nl")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var styles: [UInt8] = [110, 116, 110]   // header n, body t, footer n
        // pBRE: number the lines the basic regular expression matches (one per section)
        var patterns: [BasicRegex?] = [nil, nil, nil]
        for (index, key, what) in [(0, "header-numbering", "header"), (1, "body-numbering", "body"), (2, "footer-numbering", "footer")] {
            guard let s = parsed.last(key) else { continue }
            if s.hasPrefix("p") {
                switch BasicRegex.compile(Array(s.utf8.dropFirst())) {
                case .success(let r): patterns[index] = r
                case .failure(let e): console.error(e.message); return 1
                }
                styles[index] = 112
                continue
            }
            guard s == "a" || s == "t" || s == "n" else {
                console.error("invalid \(what) numbering style: " + quoted(s))
                return 1
            }
            styles[index] = s.utf8.first!
        }
        var increment = 1, start = 1, width = 6, join = 1
        if let s = parsed.last("line-increment") {
            guard let v = signed(s) else { console.error("invalid line number increment: " + quoted(s)); return 1 }
            increment = v
        }
        if let s = parsed.last("starting-line-number") {
            guard let v = signed(s) else { console.error("invalid starting line number: " + quoted(s)); return 1 }
            start = v
        }
        if let s = parsed.last("number-width") {
            guard let v = parseDecimal(s), v > 0, v < 1 << 20 else { console.error("invalid line number field width: " + quoted(s)); return 1 }
            width = v
        }
        if let s = parsed.last("join-blank-lines") {
            guard let v = parseDecimal(s), v > 0 else { console.error("invalid line number of blank lines: " + quoted(s)); return 1 }
            join = v
        }
        let format = parsed.last("number-format") ?? "rn"
        guard format == "rn" || format == "ln" || format == "rz" else {
            console.error("invalid line numbering format: " + quoted(format))
            return 1
        }
        let separator = Array((parsed.last("number-separator") ?? "\t").utf8)
        var delimiter: [UInt8] = [92, 58]   // "\:"
        if let d = parsed.last("section-delimiter") {
            let b = Array(d.utf8)
            if b.count == 1 { delimiter = [b[0], 58] } else if !b.isEmpty { delimiter = b }
        }
        let renumber = !parsed.has("no-renumber")
        let unnumbered = [UInt8](repeating: 32, count: width + separator.count)

        var number = start
        var style = styles[1], pattern = patterns[1]
        var blanks = 0
        func put(_ console: inout Console<IO>) {
            let digits = Array(String(number.magnitude).utf8)
            let sign: [UInt8] = number < 0 ? [45] : []
            let text = sign + digits
            if text.count >= width {
                console.put(text)
            } else if format == "ln" {
                console.put(text); console.put([UInt8](repeating: 32, count: width - text.count))
            } else if format == "rz" {
                console.put(sign); console.put([UInt8](repeating: 48, count: width - text.count)); console.put(digits)
            } else {
                console.put([UInt8](repeating: 32, count: width - text.count)); console.put(text)
            }
            console.put(separator)
            number = number &+ increment
        }
        console.eachInput(parsed.operands) { console, _, source in
            var reader = LineReader(source)
            var line: [UInt8] = []
            while reader.next(&line) {
                let body = line.last == 10 ? line.dropLast() : line[...]
                var section = -1
                if !delimiter.isEmpty && body.count % delimiter.count == 0 && body.count / delimiter.count <= 3 && !body.isEmpty {
                    var matches = true
                    var i = body.startIndex
                    while i < body.endIndex { if body[i] != delimiter[(i - body.startIndex) % delimiter.count] { matches = false; break }; i += 1 }
                    if matches { section = 3 - body.count / delimiter.count }
                }
                if section >= 0 {
                    style = styles[section]; pattern = patterns[section]
                    if renumber { number = start }
                    console.put(10)
                    continue
                }
                let empty = body.isEmpty
                switch style {
                case 97:
                    if join > 1 {
                        blanks = empty ? blanks + 1 : 0
                        if !empty || blanks == join { put(&console); blanks = 0 } else { console.put(unnumbered) }
                    } else {
                        put(&console)
                    }
                case 116:
                    if !empty { put(&console) } else { console.put(unnumbered) }
                case 112:
                    if pattern?.firstMatch(Array(body)) != nil { put(&console) } else { console.put(unnumbered) }
                default:
                    console.put(unnumbered)
                }
                console.put(body)
                console.put(10)
            }
            return reader.error
        }
        return console.finish()
    }
}
