// Od.swift — od [-A RADIX] [-t TYPE]… [-N COUNT] [-j SKIP] [-v] [-w[N]] [-bcdosx] [FILE…]
// (POSIX.1-2017 "od"; GNU coreutils' layout). Types: a, c, d/o/u/x with sizes 1 2 4 8 (or
// C S I L), and z (the printable characters after the line); f (floating point) is refused.
// Lines of 16 bytes, fields of every type aligned as GNU aligns them (each type's fields padded
// to the widest type's line width, the padding spread over the fields), a repeated line shown as
// "*" (not with -v), the final offset last. The files are one stream; one line is held.

public enum Od {
    static let specs = [
        OptionSpec("A", "address-radix", argument: true), OptionSpec("t", "format", argument: true, key: "t"),
        OptionSpec("N", "read-bytes", argument: true), OptionSpec("j", "skip-bytes", argument: true),
        OptionSpec("v", "output-duplicates"), OptionSpec("w", "width", argument: true),
        OptionSpec("b", key: "b"), OptionSpec("c", key: "c"), OptionSpec("d", key: "d"), OptionSpec("o", key: "o"),
        OptionSpec("s", key: "s"), OptionSpec("x", key: "x"), OptionSpec("i", key: "i"), OptionSpec("l", key: "l"),
    ]

    enum Kind { case named, character, signed, octal, unsigned, hex }

    struct Spec {
        var kind: Kind
        var size: Int
        var width: Int      // characters of one field, without padding
        var dump = false    // "z": the printable characters at the end of the line
        var pad = 0
    }

    static func width(_ kind: Kind, _ size: Int) -> Int {
        switch kind {
        case .named, .character: return 3
        case .hex: return size * 2
        case .octal: return size == 1 ? 3 : size == 2 ? 6 : size == 4 ? 11 : 22
        case .unsigned: return size == 1 ? 3 : size == 2 ? 5 : size == 4 ? 10 : 20
        case .signed: return size == 1 ? 4 : size == 2 ? 6 : size == 4 ? 11 : 20
        }
    }

    /// One -t argument (several types may follow each other: "x1c"); the error is GNU's text.
    static func parse(_ text: String, into specs: inout [Spec]) -> String? {
        let b = Array(text.utf8)
        var i = 0
        guard !b.isEmpty else { return "invalid type string " + quoted(text) }
        while i < b.count {
            let c = b[i]
            i += 1
            var kind: Kind
            switch c {
            case 97: kind = .named
            case 99: kind = .character
            case 100: kind = .signed
            case 111: kind = .octal
            case 117: kind = .unsigned
            case 120: kind = .hex
            case 102: return "floating-point types (-t f) are not supported"
            default: return "invalid character '\(String(decoding: [c], as: UTF8.self))' in type string " + quoted(text)
            }
            var size = 1
            if kind != .named && kind != .character {
                size = 4
                if i < b.count {
                    switch b[i] {
                    case 67: size = 1; i += 1
                    case 83: size = 2; i += 1
                    case 73: size = 4; i += 1
                    case 76: size = 8; i += 1
                    case 48...57:
                        var n = 0
                        while i < b.count && b[i] >= 48 && b[i] <= 57 { n = min(n * 10 + Int(b[i] - 48), 1000); i += 1 }
                        guard n == 1 || n == 2 || n == 4 || n == 8 else {
                            return "invalid type string " + quoted(text) + ";\nthis system doesn't provide a \(n)-byte integral type"
                        }
                        size = n
                    default: break
                    }
                }
            }
            var spec = Spec(kind: kind, size: size, width: width(kind, size))
            if i < b.count && b[i] == 122 { spec.dump = true; i += 1 }
            specs.append(spec)
        }
        return nil
    }

    static let names = ["nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr", "so", "si",
                        "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp"]

    /// The text of one field before padding.
    static func field(_ spec: Spec, _ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var value: UInt64 = 0
        for (k, b) in bytes.enumerated() { value |= UInt64(b) << (8 * UInt64(k)) }   // little-endian
        switch spec.kind {
        case .named:
            let c = bytes.first! & 0x7f
            if c <= 32 { return Array(names[Int(c)].utf8) }
            return c == 127 ? Array("del".utf8) : [c]
        case .character:
            let c = bytes.first!
            switch c {
            case 0: return Array("\\0".utf8)
            case 7: return Array("\\a".utf8)
            case 8: return Array("\\b".utf8)
            case 12: return Array("\\f".utf8)
            case 10: return Array("\\n".utf8)
            case 13: return Array("\\r".utf8)
            case 9: return Array("\\t".utf8)
            case 11: return Array("\\v".utf8)
            case 32...126: return [c]
            default: return zeroPadded(String(c, radix: 8), 3)
            }
        case .hex: return zeroPadded(String(value, radix: 16), spec.width)
        case .octal: return zeroPadded(String(value, radix: 8), spec.width)
        case .unsigned: return Array(String(value).utf8)
        case .signed:
            let bits = UInt64(spec.size * 8)
            let signed = bits == 64 ? Int64(bitPattern: value) : (Int64(value) << (64 - Int64(bits))) >> (64 - Int64(bits))
            return Array(String(signed).utf8)
        }
    }

    static func zeroPadded(_ digits: String, _ width: Int) -> [UInt8] {
        let d = Array(digits.utf8)
        return d.count >= width ? d : [UInt8](repeating: 48, count: width - d.count) + d
    }

    /// A -j/-N count: decimal, 0x hex or 0 octal, with b (512), k/K (1024), m/M, kB, MB … suffixes.
    static func count(_ text: String) -> UInt64? {
        let b = Array(text.utf8)
        if b.count > 2 && b[0] == 48 && (b[1] | 0x20) == 120 {
            var v: UInt64 = 0
            for c in b[2...] {
                let d: UInt64
                if c >= 48 && c <= 57 { d = UInt64(c - 48) } else if (c | 0x20) >= 97 && (c | 0x20) <= 102 { d = UInt64((c | 0x20) - 87) } else { return nil }
                let (m, o) = v.multipliedReportingOverflow(by: 16)
                if o { return nil }
                v = m + d
            }
            return v
        }
        if b.count > 1 && b[0] == 48 && b.allSatisfy({ $0 >= 48 && $0 <= 55 }) {
            var v: UInt64 = 0
            for c in b { let (m, o) = v.multipliedReportingOverflow(by: 8); if o { return nil }; v = m + UInt64(c - 48) }
            return v
        }
        if text.hasSuffix("k") { return parseCount(String(text.dropLast()) + "K") }
        if text.hasSuffix("m") { return parseCount(String(text.dropLast()) + "M") }
        return parseCount(text)
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "od")
        // -w takes its argument attached only ("-w8"; "-w" alone is 32): GNU's optional argument.
        var arguments = arguments
        for i in arguments.indices {
            if arguments[i] == "--" { break }
            if arguments[i] == "-w" || arguments[i] == "--width" { arguments[i] = "--width=" }
            else if arguments[i].hasPrefix("-w") { arguments[i] = "--width=" + arguments[i].dropFirst(2) }
        }
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var types: [Spec] = []
        for (key, value) in parsed.options {
            let text: String
            switch key {
            case "t": text = value
            case "b": text = "o1"
            case "c": text = "c"
            case "d": text = "u2"
            case "o": text = "o2"
            case "s": text = "d2"
            case "x": text = "x2"
            case "i": text = "d4"
            case "l": text = "d8"
            default: continue
            }
            if let e = parse(text, into: &types) { console.error(e); return 1 }
        }
        if types.isEmpty { types = [Spec(kind: .octal, size: 2, width: 6)] }
        var radix = 8, addressWidth = 7
        if let a = parsed.last("address-radix") {
            switch a {
            case "o": radix = 8
            case "d": radix = 10
            case "x": radix = 16; addressWidth = 6
            case "n": radix = 0; addressWidth = 0
            default:
                console.error(a.utf8.count == 1 ? "invalid output address radix '\(a)'; it must be one character from [doxn]"
                                                : "invalid argument " + quoted(a) + " for '--address-radix'")
                return 1
            }
        }
        var skip: UInt64 = 0, limit = UInt64.max
        if let t = parsed.last("skip-bytes") {
            guard let v = count(t) else { console.error("invalid -j argument " + quoted(t)); return 1 }
            skip = v
        }
        if let t = parsed.last("read-bytes") {
            guard let v = count(t) else { console.error("invalid -N argument " + quoted(t)); return 1 }
            limit = v
        }
        let largest = types.map { $0.size }.max()!
        var perLine = 16
        if let w = parsed.last("width") {
            if w.isEmpty { perLine = 32 } else {
                guard let v = parseDecimal(w), v > 0, v <= 1 << 16 else { console.error("invalid -w argument " + quoted(w)); return 1 }
                perLine = v
            }
            if perLine % largest != 0 {
                console.error("warning: invalid width \(perLine); using \(largest * (16 / largest)) instead")
                perLine = 16
            }
        }
        // GNU's alignment: every type's line as wide as the widest (fields + a space each).
        var lineWidth = 0
        for t in types { lineWidth = max(lineWidth, (t.width + 1) * (perLine / t.size)) }
        for i in types.indices { types[i].pad = lineWidth - types[i].width * (perLine / types[i].size) }
        let squeeze = !parsed.has("output-duplicates")

        func address(_ value: UInt64) -> [UInt8] {
            radix == 0 ? [] : zeroPadded(String(value, radix: radix), addressWidth)
        }
        var offset: UInt64 = 0, shown: UInt64 = 0
        var block: [UInt8] = [], previous: [UInt8] = []
        var havePrevious = false, starred = false
        func emit(_ console: inout Console<IO>) {
            let start = offset - UInt64(block.count)
            if squeeze && havePrevious && block.count == perLine && block == previous {
                if !starred { console.put([42, 10]); starred = true }
                block.removeAll(keepingCapacity: true)
                return
            }
            starred = false
            let n = block.count
            var full = block
            while full.count < perLine { full.append(0) }
            for (k, t) in types.enumerated() {
                if k == 0 { console.put(address(start)) } else { console.put([UInt8](repeating: 32, count: addressWidth)) }
                let fields = perLine / t.size
                let blank = (perLine - n) / t.size
                var remaining = t.pad
                var i = fields
                while i > blank {
                    let next = t.pad * (i - 1) / fields
                    let w = remaining - next + t.width
                    let index = (fields - i) * t.size
                    let text = field(t, full[index..<(index + t.size)])
                    if text.count < w { console.put([UInt8](repeating: 32, count: w - text.count)) }
                    console.put(text)
                    remaining = next
                    i -= 1
                }
                if t.dump {
                    // GNU pads the missing fields' room, then ">chars<".
                    var room = 0
                    var j = blank
                    while j > 0 { room += t.pad * j / fields - t.pad * (j - 1) / fields + t.width; j -= 1 }
                    console.put([UInt8](repeating: 32, count: room + 2))
                    console.put(62)
                    for b in block { console.put(b >= 32 && b < 127 ? b : 46) }
                    console.put(60)
                }
                console.put(10)
            }
            swap(&previous, &block)
            havePrevious = true
            block.removeAll(keepingCapacity: true)
        }
        var opened = 0
        console.eachInput(parsed.operands) { console, _, source in
            opened += 1
            guard shown < limit else { return nil }
            return forEachChunk(source) { chunk in
                var chunk = chunk
                if offset < skip {
                    let n = Int(min(UInt64(chunk.count), skip - offset))
                    offset += UInt64(n)
                    chunk = chunk.dropFirst(n)
                }
                for b in chunk {
                    if shown >= limit { return false }
                    block.append(b)
                    offset += 1
                    shown += 1
                    if block.count == perLine { emit(&console) }
                }
                return shown < limit
            }
        }
        if offset < skip && !console.failed {
            console.error("cannot skip past end of combined input")
            return console.finish()
        }
        if !block.isEmpty { emit(&console) }
        // GNU writes no final offset when no input could be opened at all.
        let nothingRead = opened == 0
        if radix != 0 && !nothingRead { console.put(address(offset)); console.put(10) }
        return console.finish()
    }
}
