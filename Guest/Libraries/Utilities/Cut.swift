// Cut.swift — cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [--complement]
// [--output-delimiter=STR] [FILE…]: selected bytes or fields of each line. -c is -b (GNU cut
// counts bytes for -c too). Streams line by line: one line is held.

public enum Cut {
    static let specs = [
        OptionSpec("b", "bytes", argument: true), OptionSpec("c", "characters", argument: true),
        OptionSpec("f", "fields", argument: true), OptionSpec("d", "delimiter", argument: true),
        OptionSpec("s", "only-delimited"), OptionSpec(nil, "complement"), OptionSpec("n", key: "n"),
        OptionSpec(nil, "output-delimiter", argument: true), OptionSpec("z", "zero-terminated"),
    ]

    /// The list's ranges, 1-based and inclusive, sorted and merged.
    static func parseList(_ text: String) -> Result<[ClosedRange<Int>], OptionError> {
        var ranges: [ClosedRange<Int>] = []
        for part in Array(text.utf8).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let piece = String(decoding: part, as: UTF8.self)
            if let dash = part.firstIndex(of: UInt8(ascii: "-")) {
                let low = String(decoding: part[part.startIndex..<dash], as: UTF8.self)
                let high = String(decoding: part[(dash + 1)...], as: UTF8.self)
                if low.isEmpty && high.isEmpty { return .failure(.message("invalid range with no endpoint: -")) }
                guard let l = low.isEmpty ? 1 : parseDecimal(low), let h = high.isEmpty ? Int.max : parseDecimal(high) else {
                    return .failure(.message("invalid byte, character or field list"))
                }
                if l == 0 || h == 0 { return .failure(.message("fields and positions are numbered from 1")) }
                if l > h { return .failure(.message("invalid decreasing range")) }
                ranges.append(l...h)
            } else {
                guard let n = parseDecimal(piece) else {
                    return .failure(.message(piece.isEmpty ? "fields and positions are numbered from 1" : "invalid byte, character or field list"))
                }
                if n == 0 { return .failure(.message("fields and positions are numbered from 1")) }
                ranges.append(n...n)
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int>] = []
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound {   // overlapping; adjacent stay apart (GNU)
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return .success(merged)
    }

    static func complement(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        var next = 1
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            if r.upperBound == Int.max { return out }
            next = r.upperBound + 1
        }
        out.append(next...Int.max)
        return out
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "cut")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var listText: String? = nil
        var fieldMode = false
        var modes = 0
        var delimiter: UInt8 = 9
        var delimiterGiven = false
        var outputDelimiter: [UInt8]? = nil
        for (key, value) in parsed.options {
            switch key {
            case "bytes", "characters", "fields":
                if listText != nil { console.usage("only one type of list may be specified"); return 1 }
                listText = value; fieldMode = key == "fields"; modes += 1
            case "delimiter":
                let bytes = Array(value.utf8)
                guard bytes.count <= 1 else { console.usage("the delimiter must be a single character"); return 1 }
                delimiter = bytes.first ?? 0; delimiterGiven = true
            case "output-delimiter": outputDelimiter = Array(value.utf8)
            default: break
            }
        }
        guard let listText else { console.usage("you must specify a list of bytes, characters, or fields"); return 1 }
        if delimiterGiven && !fieldMode { console.usage("an input delimiter may be specified only when operating on fields"); return 1 }
        if parsed.has("only-delimited") && !fieldMode {
            console.usage("suppressing non-delimited lines makes sense\n\tonly when operating on fields"); return 1
        }
        var ranges: [ClosedRange<Int>]
        switch parseList(listText) {
        case .success(let r): ranges = r
        case .failure(.message(let message)): console.usage(message); return 1
        }
        if parsed.has("complement") { ranges = complement(ranges) }
        let onlyDelimited = parsed.has("only-delimited")
        let terminator: UInt8 = parsed.has("zero-terminated") ? 0 : 10

        for name in parsed.operands.isEmpty ? ["-"] : parsed.operands {
            guard let input = console.openInput(name) else { continue }
            var reader = LineReader(input.source)
            var line: [UInt8] = []
            while reader.next(&line) {
                if line.last == terminator { line.removeLast() }
                if fieldMode {
                    cutFields(line, ranges, delimiter, outputDelimiter ?? [delimiter], onlyDelimited, terminator, &console)
                } else {
                    cutBytes(line, ranges, outputDelimiter, &console)
                    console.put(terminator)
                }
                if console.writeFailed != nil { break }
            }
            if let e = reader.error { console.error(name, e) }
            input.close()
        }
        return console.finish()
    }

    static func cutBytes<IO: ToolIO>(_ line: [UInt8], _ ranges: [ClosedRange<Int>], _ outputDelimiter: [UInt8]?, _ out: inout Console<IO>) {
        var first = true
        for r in ranges {
            guard r.lowerBound <= line.count else { break }
            if !first, let d = outputDelimiter { out.put(d) }
            first = false
            out.put(line[(r.lowerBound - 1)..<min(r.upperBound, line.count)])
        }
    }

    static func cutFields<IO: ToolIO>(_ line: [UInt8], _ ranges: [ClosedRange<Int>], _ delimiter: UInt8, _ outputDelimiter: [UInt8],
                                      _ onlyDelimited: Bool, _ terminator: UInt8, _ out: inout Console<IO>) {
        guard line.contains(delimiter) else {
            if !onlyDelimited { out.put(line); out.put(terminator) }
            return
        }
        var field = 1, start = 0
        var first = true
        var rangeIndex = 0
        while start <= line.count {
            let end = line[start...].firstIndex(of: delimiter) ?? line.count
            while rangeIndex < ranges.count && ranges[rangeIndex].upperBound < field { rangeIndex += 1 }
            if rangeIndex == ranges.count { break }
            if ranges[rangeIndex].contains(field) {
                if !first { out.put(outputDelimiter) }
                first = false
                out.put(line[start..<end])
            }
            field += 1
            start = end + 1
        }
        out.put(terminator)
    }
}
