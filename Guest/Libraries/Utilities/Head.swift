// Head.swift — head [-n [-]N] [-c [-]N] [-qv] [FILE…]: the first N lines or bytes, or with a
// negative count all but the last N. Memory: the first-N forms stream; "all but the last N" holds
// at most N bytes (-c) or N lines (-n) — what it cannot yet know to print.

public enum Head {
    static let specs = [
        OptionSpec("n", "lines", argument: true), OptionSpec("c", "bytes", argument: true),
        OptionSpec("q", "quiet"), OptionSpec("q", "silent", key: "quiet"), OptionSpec("v", "verbose"),
        OptionSpec("z", "zero-terminated"),
    ]

    enum Count { case lines(UInt64), bytes(UInt64), allButLines(UInt64), allButBytes(UInt64) }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "head")
        guard let parsed = console.options(obsoleteForm(arguments, program: "head"), specs) else { return 1 }
        var count = Count.lines(10)
        var headers: Bool? = nil
        var delimiter: UInt8 = 10
        for (key, value) in parsed.options {
            switch key {
            case "lines", "bytes":
                let negative = value.hasPrefix("-")
                guard let n = parseCount(negative ? String(value.dropFirst()) : value) else {
                    console.error("invalid number of \(key): " + quoted(value))
                    return 1
                }
                count = key == "lines" ? (negative ? .allButLines(n) : .lines(n))
                                       : (negative ? .allButBytes(n) : .bytes(n))
            case "quiet": headers = false
            case "verbose": headers = true
            case "zero-terminated": delimiter = 0
            default: break
            }
        }
        let names = parsed.operands.isEmpty ? ["-"] : parsed.operands
        let showHeaders = headers ?? (names.count > 1)
        var first = true
        for name in names {
            guard let input = console.openInput(name, reportAs: { "cannot open \(quoted($0)) for reading" }) else { continue }
            if showHeaders {
                console.put((first ? "" : "\n") + "==> " + (name == "-" ? "standard input" : name) + " <==\n")
            }
            first = false
            let failure: SystemError?
            switch count {
            case .bytes(let n): failure = firstBytes(n, input.source, &console)
            case .lines(let n): failure = firstLines(n, delimiter, input.source, &console)
            case .allButBytes(let n): failure = allButLastBytes(n, input.source, &console)
            case .allButLines(let n): failure = allButLastLines(n, delimiter, input.source, &console)
            }
            if let failure { console.error("error reading " + quoted(name), failure) }
            input.close()
            if console.writeFailed != nil { break }
        }
        return console.finish()
    }

    static func firstBytes<IO: ToolIO>(_ n: UInt64, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        var left = n
        guard left > 0 else { return nil }
        return forEachChunk(source) { chunk in
            let take = Int(min(UInt64(chunk.count), left))
            out.put(chunk.prefix(take))
            left -= UInt64(take)
            return left > 0 && out.writeFailed == nil
        }
    }

    static func firstLines<IO: ToolIO>(_ n: UInt64, _ delimiter: UInt8, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        var left = n
        guard left > 0 else { return nil }
        return forEachChunk(source) { chunk in
            var start = chunk.startIndex
            while left > 0, let end = chunk[start...].firstIndex(of: delimiter) {
                left -= 1
                start = end + 1
            }
            out.put(chunk[chunk.startIndex..<(left == 0 ? start : chunk.endIndex)])
            return left > 0 && out.writeFailed == nil
        }
    }

    /// Holds the last n bytes read; prints what falls out of that window.
    static func allButLastBytes<IO: ToolIO>(_ n: UInt64, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        var window: [UInt8] = []
        return forEachChunk(source) { chunk in
            window.append(contentsOf: chunk)
            if UInt64(window.count) > n {
                let extra = window.count - Int(n)
                out.put(window.prefix(extra))
                window.removeFirst(extra)
            }
            return out.writeFailed == nil
        }
    }

    /// Holds the last n lines read (a queue); prints each line that falls out of it.
    static func allButLastLines<IO: ToolIO>(_ n: UInt64, _ delimiter: UInt8, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        var reader = LineReader(source)
        var held: [[UInt8]] = []
        var oldest = 0
        var line: [UInt8] = []
        while reader.next(&line) {
            if n == 0 { out.put(line); continue }
            if UInt64(held.count) < n { held.append(line); continue }
            out.put(held[oldest])
            held[oldest] = line
            oldest = (oldest + 1) % held.count
            if out.writeFailed != nil { break }
        }
        _ = delimiter   // -z with negative counts: lines end in newline here (documented limit)
        return reader.error
    }
}

/// GNU's obsolete count forms for head and tail ("head -5", "tail -3c", "tail +2" is not taken):
/// a first argument "-N[bcl…]" becomes "-n N" or "-c N".
func obsoleteForm(_ arguments: [String], program: String) -> [String] {
    guard let first = arguments.first else { return arguments }
    let bytes = Array(first.utf8)
    guard bytes.count > 1, bytes[0] == 45, bytes[1] >= 48 && bytes[1] <= 57 else { return arguments }
    var digits = 1
    while digits < bytes.count && bytes[digits] >= 48 && bytes[digits] <= 57 { digits += 1 }
    let number = String(decoding: bytes[1..<digits], as: UTF8.self)
    let rest = bytes[digits...]
    var option = "-n"
    if rest.elementsEqual("c".utf8) { option = "-c" }
    else if rest.elementsEqual("b".utf8) { return ["-c", number + "b"] + arguments.dropFirst() }
    else if !(rest.isEmpty || rest.elementsEqual("l".utf8)) { return arguments }
    return [option, number] + arguments.dropFirst()
}
