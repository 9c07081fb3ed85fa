// Xxd.swift — xxd [-p] [-i] [-r] [-u] [-c COLS] [-g BYTES] [-l LEN] [-s [-]SEEK] [-o OFF] [IN [OUT]]:
// the hex dump of vim's xxd in its plain ("00000000: 7468 6973  this"), -p (plain hex) and -i
// (C include) forms, and -r, which turns a plain or -p dump back into bytes. Streams: one row of
// COLS bytes is held at a time.

public enum Xxd {
    static let specs = [OptionSpec("p", "ps", key: "p"), OptionSpec("i", "include", key: "i"), OptionSpec("r", "revert", key: "r"),
                        OptionSpec("u", key: "u"), OptionSpec("c", "cols", argument: true, key: "c"),
                        OptionSpec("g", "groupsize", argument: true, key: "g"), OptionSpec("l", "len", argument: true, key: "l"),
                        OptionSpec("s", argument: true, key: "s"), OptionSpec("o", argument: true, key: "o")]

    /// xxd's numbers: decimal, 0x hex or 0 octal (strtol with base 0), with an optional sign.
    static func number(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == 45 { negative = true; bytes = bytes.dropFirst() } else if bytes.first == 43 { bytes = bytes.dropFirst() }
        var base: Int64 = 10
        if bytes.starts(with: "0x".utf8) || bytes.starts(with: "0X".utf8) { base = 16; bytes = bytes.dropFirst(2) }
        else if bytes.first == 48 && bytes.count > 1 { base = 8; bytes = bytes.dropFirst() }
        guard !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        for b in bytes {
            guard let d = hexValue(b), Int64(d) < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1 && !o2 else { return nil }
            value = s
        }
        return negative ? -value : value
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 97...102: return b - 87
        case 65...70: return b - 55
        default: return nil
        }
    }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "xxd")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        // the numeric options c g l s o, in that order (an array, not a dictionary: the guest's
        // programs link no libm, which hashing needs)
        var values: [Int64?] = [nil, nil, nil, nil, nil]
        for (index, key) in ["c", "g", "l", "s", "o"].enumerated() {
            guard let text = parsed.last(key) else { continue }
            guard let n = number(text) else { console.error("invalid number: " + text); return 1 }
            values[index] = n
        }
        let (cValue, gValue, lValue, sValue, oValue) = (values[0], values[1], values[2], values[3], values[4])
        let plain = parsed.has("p"), include = parsed.has("i")
        var columns = Int(cValue ?? (plain ? 30 : include ? 12 : 16))
        if columns == 0 && !plain { columns = include ? 12 : 16 }
        guard (0...256).contains(columns) else { console.error("invalid number of columns (max. 256)."); return 1 }
        var group = Int(gValue ?? 2)
        if group <= 0 || group > columns { group = columns }
        guard parsed.operands.count <= 2 else { console.usage("too many arguments"); return 1 }
        let inputName = parsed.operands.first ?? "-"
        if parsed.operands.count == 2 {
            console.error("an output file operand is not supported; redirect standard output"); return 1
        }
        guard let input = console.openInput(inputName) else { return 2 }
        defer { input.close() }
        if parsed.has("r") {
            return revert(input.source, plain: plain, columns: plain || columns == 0 ? Int.max : columns, &console)
        }
        // -s: skip SEEK bytes (negative: that many before the end of a regular file)
        var skip = sValue ?? 0
        if skip < 0 {
            guard let status = io.status(inputName == "-" ? nil : inputName), status.isRegularFile else {
                console.error("Sorry, cannot seek."); return 4
            }
            skip = max(0, Int64(status.size) + skip)
        }
        let limit = lValue.map { $0 < 0 ? Int64.max : $0 } ?? Int64.max
        var dump = Dump(columns: columns, group: group, uppercase: parsed.has("u"),
                        offset: UInt64(truncatingIfNeeded: skip &+ (oValue ?? 0)))
        var toSkip = skip, remaining = limit
        var first = true
        if include && inputName != "-" {
            console.put("unsigned char " + cName(inputName) + "[] = {\n")
        }
        let failure = forEachChunk(input.source) { chunk in
            var data = chunk
            if toSkip > 0 {
                let n = Int(min(Int64(data.count), toSkip))
                data = data.dropFirst(n); toSkip -= Int64(n)
            }
            if Int64(data.count) > remaining { data = data.prefix(Int(remaining)) }
            remaining -= Int64(data.count)
            for byte in data {
                if plain { dump.plainByte(byte, &console) }
                else if include { dump.includeByte(byte, first: first, &console); first = false }
                else { dump.rowByte(byte, &console) }
            }
            return remaining > 0
        }
        if let failure { console.error(inputName, failure) }
        if plain { dump.finishPlain(&console) }
        else if include {
            if dump.count > 0 { console.put("\n") }
            if inputName != "-" { console.put("};\nunsigned int " + cName(inputName) + "_len = \(dump.count);\n") }
        } else { dump.finishRow(&console) }
        return console.finish(failure: 2)
    }

    /// -i's variable name: the file name with every byte that is not a letter or digit as "_"
    /// (and a leading digit prefixed with "__").
    static func cName(_ name: String) -> String {
        var out = String(decoding: name.utf8.map { b -> UInt8 in
            (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) ? b : 95
        }, as: UTF8.self)
        if let f = out.utf8.first, (48...57).contains(f) { out = "__" + out }
        return out
    }

    struct Dump {
        let columns: Int, group: Int, uppercase: Bool
        var offset: UInt64
        var row: [UInt8] = []
        var count = 0

        func digit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : (uppercase ? 55 : 87) + v }

        mutating func plainByte<IO>(_ byte: UInt8, _ console: inout Console<IO>) {
            console.put(digit(byte >> 4)); console.put(digit(byte & 15))
            count += 1
            if columns > 0 && count % columns == 0 { console.put(10) }
        }

        func finishPlain<IO>(_ console: inout Console<IO>) {
            if count > 0 && (columns == 0 || count % columns != 0) { console.put(10) }
        }

        mutating func includeByte<IO>(_ byte: UInt8, first: Bool, _ console: inout Console<IO>) {
            if !first { console.put(count % columns == 0 ? ",\n" : ", ") }
            if count % columns == 0 { console.put("  ") }
            console.put("0x"); console.put(digit(byte >> 4)); console.put(digit(byte & 15))
            count += 1
        }

        mutating func rowByte<IO>(_ byte: UInt8, _ console: inout Console<IO>) {
            row.append(byte)
            count += 1
            if row.count == columns { finishRow(&console) }
        }

        /// One line: the offset, every column's two digits (blank past the data) with a space
        /// after each group and after the last column, a space, then the bytes as text.
        mutating func finishRow<IO>(_ console: inout Console<IO>) {
            guard !row.isEmpty else { return }
            var line: [UInt8] = []
            // the offset in lower case even under -u (xxd's)
            for shift in stride(from: 28, through: 0, by: -4) {
                let v = UInt8(offset >> UInt64(shift) & 15)
                line.append(v < 10 ? 48 + v : 87 + v)
            }
            line += ": ".utf8
            for column in 0..<columns {
                if column < row.count { line.append(digit(row[column] >> 4)); line.append(digit(row[column] & 15)) }
                else { line += "  ".utf8 }
                if (column + 1) % group == 0 || column == columns - 1 { line.append(32) }
            }
            line.append(32)
            for b in row { line.append((32...126).contains(b) ? b : 46) }
            line.append(10)
            console.put(line)
            offset &+= UInt64(row.count)
            row.removeAll(keepingCapacity: true)
        }
    }

    /// -r: a dump back into bytes. Plain form: each line's hex offset, then pairs of adjacent hex
    /// digits, at most COLS bytes, up to the first byte that is not hex or a space, or two spaces
    /// (the text column); gaps between offsets are written as zeros. -p: every pair of adjacent
    /// hex digits in the input.
    static func revert<IO: SystemIO>(_ source: IO.Source, plain: Bool, columns: Int, _ console: inout Console<IO>) -> Int32 {
        var reader = LineReader(source)
        var line: [UInt8] = []
        var position: UInt64 = 0
        while reader.next(&line) {
            var i = 0
            if !plain {
                while i < line.count && (line[i] == 32 || line[i] == 9) { i += 1 }
                var offset: UInt64 = 0, digits = 0
                while i < line.count, let d = hexValue(line[i]) { offset = offset &<< 4 | UInt64(d); digits += 1; i += 1 }
                guard digits > 0 else { continue }
                if i < line.count && line[i] == 58 { i += 1 }
                if offset < position { console.error("Sorry, cannot seek backwards."); return console.finish(failure: 3) }
                while position < offset { console.put(0); position += 1 }
            }
            var pending: UInt8? = nil
            var spaces = 0, bytes = 0, sawDigit = false
            while i < line.count && bytes < columns {
                let b = line[i]
                i += 1
                if let d = hexValue(b) {
                    sawDigit = true; spaces = 0
                    if let p = pending { console.put(p << 4 | d); position += 1; bytes += 1; pending = nil } else { pending = d }
                    continue
                }
                pending = nil
                if b == 32 || b == 9 {
                    spaces += 1
                    if !plain && spaces >= 2 && sawDigit { break }
                    continue
                }
                if plain { continue }
                break
            }
        }
        if let e = reader.error { console.error("read error", e) }
        return console.finish(failure: 2)
    }
}
