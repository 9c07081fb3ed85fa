// Uniq.swift — uniq [-cdui] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]: adjacent repeated lines once.
// Streams: holds the current line and the first of its run.

public enum Uniq {
    static let specs = [
        OptionSpec("c", "count"), OptionSpec("d", "repeated"), OptionSpec("u", "unique"),
        OptionSpec("i", "ignore-case"), OptionSpec("f", "skip-fields", argument: true),
        OptionSpec("s", "skip-chars", argument: true), OptionSpec("w", "check-chars", argument: true),
        OptionSpec("z", "zero-terminated"),
    ]

    struct Settings {
        var skipFields = 0, skipCharacters = 0, checkCharacters = Int.max
        var foldCase = false
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "uniq")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var settings = Settings()
        for (key, value) in parsed.options {
            switch key {
            case "skip-fields", "skip-chars", "check-chars":
                guard let n = parseDecimal(value) else {
                    let what = key == "skip-fields" ? "number of fields to skip" : key == "skip-chars" ? "number of bytes to skip" : "number of bytes to compare"
                    console.error(quoted(value) + ": invalid " + what)
                    return 1
                }
                if key == "skip-fields" { settings.skipFields = n } else if key == "skip-chars" { settings.skipCharacters = n } else { settings.checkCharacters = n }
            case "ignore-case": settings.foldCase = true
            default: break
            }
        }
        let count = parsed.has("count"), repeated = parsed.has("repeated"), unique = parsed.has("unique")
        guard parsed.operands.count <= 2 else {
            console.usage("extra operand " + quoted(parsed.operands[2]))
            return 1
        }
        let name = parsed.operands.first ?? "-"
        guard let input = console.openInput(name) else { return 1 }
        var sink: IO.Sink? = nil
        if parsed.operands.count == 2 && parsed.operands[1] != "-" {
            switch io.create(parsed.operands[1], append: false) {
            case .success(let s): sink = s
            case .failure(let e): console.error(parsed.operands[1], e); return 1
            }
        }
        let delimiter: UInt8 = parsed.has("zero-terminated") ? 0 : 10
        var reader = LineReader(input.source)
        var first: [UInt8] = [], line: [UInt8] = []
        var runLength = 0
        var pending: [UInt8] = []

        func emit(_ text: [UInt8], _ n: Int, _ out: inout Console<IO>) {
            if repeated && n < 2 || unique && n > 1 { return }
            var bytes: [UInt8] = []
            if count { bytes += padded(n, width: 7); bytes.append(32) }
            bytes += text.last == 10 ? text.dropLast() : text[...]
            bytes.append(delimiter)
            if let sink {
                pending += bytes
                if pending.count >= chunkSize { if case .failure(let e) = sink.write(pending[...]) { out.error(parsed.operands[1], e) }; pending.removeAll() }
            } else {
                out.put(bytes)
            }
        }

        while reader.next(&line) {
            if runLength > 0 && same(first, line, settings) {
                runLength += 1
                continue
            }
            if runLength > 0 { emit(first, runLength, &console) }
            swap(&first, &line)
            runLength = 1
            if console.writeFailed != nil { break }
        }
        if runLength > 0 { emit(first, runLength, &console) }
        if let e = reader.error { console.error(name, e) }
        input.close()
        if let sink {
            if case .failure(let e) = sink.write(pending[...]) { console.error(parsed.operands[1], e) }
            sink.close()
        }
        return console.finish()
    }

    /// The part of a line compared: after -f fields and -s characters, at most -w characters,
    /// without the newline.
    static func comparedPart(_ line: [UInt8], _ s: Settings) -> ArraySlice<UInt8> {
        var end = line.count
        if end > 0 && line[end - 1] == 10 { end -= 1 }
        var i = 0
        for _ in 0..<s.skipFields {
            while i < end && (line[i] == 32 || line[i] == 9) { i += 1 }
            while i < end && !(line[i] == 32 || line[i] == 9) { i += 1 }
            if i >= end { break }
        }
        i += min(s.skipCharacters, end - i)
        return line[i..<(i + min(s.checkCharacters, end - i))]
    }

    static func same(_ a: [UInt8], _ b: [UInt8], _ s: Settings) -> Bool {
        let x = comparedPart(a, s), y = comparedPart(b, s)
        guard x.count == y.count else { return false }
        if !s.foldCase { return x.elementsEqual(y) }
        return zip(x, y).allSatisfy { p, q in
            (p >= 65 && p <= 90 ? p + 32 : p) == (q >= 65 && q <= 90 ? q + 32 : q)
        }
    }
}
