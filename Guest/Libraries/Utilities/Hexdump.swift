// Hexdump.swift — hexdump [-C] [-v] [-n LENGTH] [-s OFFSET] [FILE…], as util-linux's hexdump
// prints its two everyday formats: the default (eight 16-bit little-endian words in hex per line)
// and -C (canonical: hex bytes and their printable characters). A line equal to the previous one
// is shown as "*" (not with -v). The files are one stream; "-" is a file name here, as in
// util-linux. Holds two 16-byte lines.

public enum Hexdump {
    static let specs = [
        OptionSpec("C", "canonical"), OptionSpec("v", "no-squeezing"),
        OptionSpec("n", "length", argument: true), OptionSpec("s", "skip", argument: true),
    ]

    /// util-linux's size argument: decimal, 0x hex or 0 octal, with K/M/G (1024) or KB/MB/GB
    /// (1000) suffixes, also KiB/MiB/GiB.
    static func size(_ text: String) -> UInt64? {
        var b = Array(text.utf8)[...]
        var radix: UInt64 = 10
        if b.count > 2 && b[b.startIndex] == 48 && (b[b.startIndex + 1] | 0x20) == 120 { radix = 16; b = b.dropFirst(2) }
        else if b.count > 1 && b[b.startIndex] == 48 { radix = 8; b = b.dropFirst() }
        var value: UInt64 = 0
        var digits = 0
        while let c = b.first {
            let d: UInt64
            if c >= 48 && c <= 57 { d = UInt64(c - 48) } else if radix == 16 && (c | 0x20) >= 97 && (c | 0x20) <= 102 { d = UInt64((c | 0x20) - 87) } else { break }
            guard d < radix else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            value = a
            digits += 1
            b = b.dropFirst()
        }
        guard digits > 0 else { return nil }
        let suffix = String(decoding: b, as: UTF8.self)
        var multiplier: UInt64 = 1
        switch suffix {
        case "": multiplier = 1
        case "K", "KiB": multiplier = 1 << 10
        case "M", "MiB": multiplier = 1 << 20
        case "G", "GiB": multiplier = 1 << 30
        case "KB": multiplier = 1000
        case "MB": multiplier = 1_000_000
        case "GB": multiplier = 1_000_000_000
        default: return nil
        }
        let (p, o) = value.multipliedReportingOverflow(by: multiplier)
        return o ? nil : p
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func hexDigits(_ value: UInt64, _ width: Int) -> [UInt8] {
        var out: [UInt8] = []
        var v = value
        repeat { out.append(hex[Int(v & 15)]); v >>= 4 } while v != 0
        while out.count < width { out.append(48) }
        return out.reversed()
    }

    /// One line of `bytes` (at most 16) at `offset`.
    static func line(_ bytes: ArraySlice<UInt8>, _ offset: UInt64, canonical: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if canonical {
            out += hexDigits(offset, 8)
            out += [32, 32]
            for i in 0..<16 {
                if i < bytes.count {
                    let b = bytes[bytes.startIndex + i]
                    out += [hex[Int(b >> 4)], hex[Int(b & 15)], 32]
                } else {
                    out += [32, 32, 32]
                }
                if i == 7 { out.append(32) }
            }
            out += [32, 124]
            for b in bytes { out.append(b >= 32 && b < 127 ? b : 46) }
            out += [124, 10]
        } else {
            out += hexDigits(offset, 7)
            var i = 0
            while i < 16 {
                out.append(32)
                if i < bytes.count {
                    let low = bytes[bytes.startIndex + i]
                    let high = i + 1 < bytes.count ? bytes[bytes.startIndex + i + 1] : 0
                    out += [hex[Int(high >> 4)], hex[Int(high & 15)], hex[Int(low >> 4)], hex[Int(low & 15)]]
                } else {
                    out += [32, 32, 32, 32]
                }
                i += 2
            }
            out.append(10)
        }
        return out
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "hexdump")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var length = UInt64.max, skip: UInt64 = 0
        if let t = parsed.last("length") {
            guard let v = size(t) else { console.error("failed to parse length: " + quoted(t) + ": Invalid argument"); return 1 }
            length = v
        }
        if let t = parsed.last("skip") {
            guard let v = size(t) else { console.error("failed to parse offset: " + quoted(t) + ": Invalid argument"); return 1 }
            skip = v
        }
        let canonical = parsed.has("canonical"), squeeze = !parsed.has("no-squeezing")
        var offset: UInt64 = 0         // bytes consumed, skipped ones included
        var shown: UInt64 = 0
        var current: [UInt8] = [], previous: [UInt8] = []
        var starred = false, havePrevious = false
        func emit(_ console: inout Console<IO>) {
            let start = offset - UInt64(current.count)
            if squeeze && havePrevious && current.count == 16 && current == previous {
                if !starred { console.put([42, 10]); starred = true }
            } else {
                console.put(line(current[...], start, canonical: canonical))
                starred = false
            }
            swap(&previous, &current)
            havePrevious = true
            current.removeAll(keepingCapacity: true)
        }
        var unopened = 0
        let names = parsed.operands
        var pending = names.isEmpty ? [nil] : names.map { Optional($0) }
        pending.reverse()
        while shown < length, let name = pending.popLast() {
            let source: IO.Source
            var owned = false
            if let name {
                switch io.open(name) {
                case .success(let s): source = s; owned = true
                case .failure(let e): console.error(name, e); unopened += 1; continue
                }
            } else {
                source = io.standardInput()
            }
            let failure = forEachChunk(source) { chunk in
                var chunk = chunk
                if offset < skip {
                    let n = Int(min(UInt64(chunk.count), skip - offset))
                    offset += UInt64(n)
                    chunk = chunk.dropFirst(n)
                }
                for b in chunk {
                    if shown >= length { return false }
                    current.append(b)
                    offset += 1
                    shown += 1
                    if current.count == 16 { emit(&console) }
                }
                return shown < length
            }
            if let failure { console.error(name ?? "stdin", failure) }
            if owned { source.close() }
        }
        if !names.isEmpty && unopened == names.count {
            console.error("all input file arguments failed")
            return console.finish()
        }
        if !current.isEmpty { emit(&console) }
        if offset > 0 {
            console.put(hexDigits(offset, canonical ? 8 : 7))
            console.put(10)
        }
        return console.finish()
    }
}
