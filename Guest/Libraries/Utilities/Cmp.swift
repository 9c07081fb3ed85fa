// Cmp.swift — cmp [-b] [-l] [-s] [-i SKIP1[:SKIP2]] [-n LIMIT] FILE1 [FILE2 [SKIP1 [SKIP2]]], as
// GNU diffutils 3.8 prints it in the C locale ("differ: char N, line M"): the first differing byte and its line, or (-l) every differing
// byte in octal, or (-s) only the status: 0 same, 1 different, 2 trouble. The shorter file's end
// is reported on stderr ("cmp: EOF on F after byte N, line M"). Reads both a byte at a time.

public enum Cmp {
    static let specs = [
        OptionSpec("b", "print-bytes"), OptionSpec("l", "verbose"), OptionSpec("s", "quiet"),
        OptionSpec(nil, "silent", key: "quiet"), OptionSpec("i", "ignore-initial", argument: true),
        OptionSpec("n", "bytes", argument: true),
    ]

    /// A byte as GNU cmp -b shows it: printable as is, else ^X, M-X, M-^X.
    static func shown(_ c: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        var b = c
        if b >= 128 { out += [77, 45]; b -= 128 }
        if b < 32 { out += [94, b + 64] } else if b == 127 { out += [94, 63] } else { out.append(b) }
        return out
    }

    static func octal(_ c: UInt8) -> [UInt8] {
        let digits = Array(String(c, radix: 8).utf8)
        return [UInt8](repeating: 32, count: 3 - digits.count) + digits
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "cmp")
        guard let parsed = console.options(arguments, specs) else { return 2 }
        let operands = parsed.operands
        guard !operands.isEmpty else { console.usage("missing operand after 'cmp'"); return 2 }
        guard operands.count <= 4 else { console.usage("extra operand " + quoted(operands[4])); return 2 }
        let names = [operands[0], operands.count > 1 ? operands[1] : "-"]
        var skips: [UInt64] = [0, 0]
        if let t = parsed.last("ignore-initial") {
            let parts = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let a = parseCount(parts[0]), let b = parts.count == 2 ? parseCount(parts[1]) : a else {
                console.usage("invalid --ignore-initial value " + quoted(t)); return 2
            }
            skips = [a, b]
        }
        for i in operands.indices where i >= 2 {
            guard let v = parseCount(operands[i]) else { console.usage("invalid --ignore-initial value " + quoted(operands[i])); return 2 }
            skips[i - 2] = v
        }
        var limit = UInt64.max
        if let t = parsed.last("bytes") {
            guard let v = parseCount(t) else { console.usage("invalid --bytes value " + quoted(t)); return 2 }
            limit = v
        }
        let quiet = parsed.has("quiet"), all = parsed.has("verbose"), bytes = parsed.has("print-bytes")
        if quiet && all { console.usage("options -l and -s are incompatible"); return 2 }

        var inputs: [OpenInput<IO.Source>] = []
        for name in names {
            let input: OpenInput<IO.Source>?
            if quiet {
                // -s: not even the reason a file cannot be opened
                if name == "-" { input = OpenInput(name: "-", source: io.standardInput(), isStandardInput: true) }
                else if case .success(let s) = io.open(name) { input = OpenInput(name: name, source: s, isStandardInput: false) }
                else { input = nil }
            } else {
                input = console.openInput(name)
            }
            guard let input else { for i in inputs { i.close() }; return 2 }
            inputs.append(input)
        }
        defer { for i in inputs { i.close() } }
        var readers = inputs.map { ByteReader($0.source) }
        // Skip each file's initial bytes.
        for f in 0..<2 {
            var n = skips[f]
            while n > 0, readers[f].next() != nil { n -= 1 }
        }
        // -l's column width: the decimal digits of the largest byte number (GNU: from the
        // regular files' remaining sizes and the limit).
        var widest = UInt64(Int64.max)
        for f in 0..<2 {
            if let s = io.status(names[f] == "-" ? nil : names[f]), s.isRegularFile {
                let left = s.size > skips[f] ? s.size - skips[f] : 0
                widest = min(widest, left)
            }
        }
        widest = min(widest, limit)
        let width = String(widest).utf8.count

        var count: UInt64 = 0, lines: UInt64 = 1
        var differed = false
        var lastWasNewline = false
        while count < limit {
            let a = readers[0].next(), b = readers[1].next()
            for f in 0..<2 where readers[f].error != nil {
                if !quiet { console.error(names[f], readers[f].error!) }
                return 2
            }
            guard let x = a, let y = b else {
                if a == nil && b == nil { break }
                // One ended first.
                if !quiet {
                    let which = a == nil ? names[0] : names[1]
                    console.flush()
                    var text = "cmp: EOF on " + which
                    if count == 0 { text += " which is empty" }
                    else {
                        text += " after byte \(count)"
                        if !all { text += ", line \(lastWasNewline ? lines - 1 : lines)" }
                    }
                    io.writeError(Array((text + "\n").utf8))
                }
                return console.finish() == 0 ? 1 : 2
            }
            count += 1
            if x != y {
                differed = true
                if quiet { return 1 }
                if !all {
                    console.put(names[0] + " " + names[1] + " differ: \(bytes ? "byte" : "char") \(count), line \(lines)")
                    if bytes {
                        console.put(" is "); console.put(octal(x)); console.put(32); console.put(shown(x))
                        console.put(32); console.put(octal(y)); console.put(32); console.put(shown(y))
                    }
                    console.put(10)
                    return console.finish() == 0 ? 1 : 2
                }
                let number = Array(String(count).utf8)
                if number.count < width { console.put([UInt8](repeating: 32, count: width - number.count)) }
                console.put(number); console.put(32); console.put(octal(x))
                if bytes {
                    let s = shown(x)
                    console.put(32); console.put(s); console.put([UInt8](repeating: 32, count: max(0, 4 - s.count))); console.put(32)
                    console.put(octal(y)); console.put(32); console.put(shown(y))
                } else {
                    console.put(32); console.put(octal(y))
                }
                console.put(10)
            }
            lastWasNewline = x == 10
            if x == 10 { lines += 1 }
        }
        let status = console.finish()
        return status != 0 ? 2 : differed ? 1 : 0
    }
}
