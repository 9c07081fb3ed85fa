// Md5sum.swift — md5sum [-c] [--status] [--quiet] [-w] [-b|-t] [FILE…]: RFC 1321's MD5 of each
// input as GNU coreutils prints it ("HASH  NAME"; "-" for standard input), and -c, which reads
// such lines and checks each file ("NAME: OK" / "NAME: FAILED", a summary warning on standard
// error, exit 1 when any failed). Streams each input through the 64-byte block function.

/// RFC 1321's digest, fed in pieces.
struct MD5 {
    var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    var block: [UInt8] = []
    var length: UInt64 = 0

    /// RFC 1321 §3.4: the per-step shift amounts and the table T[i] = floor(2^32 · |sin(i + 1)|).
    static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                   5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                   4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                   6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    static let table: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]

    mutating func compress(_ bytes: ArraySlice<UInt8>) {
        var m = [UInt32](repeating: 0, count: 16)
        var i = bytes.startIndex
        for w in 0..<16 {
            m[w] = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            i += 4
        }
        var (a, b, c, d) = state
        for step in 0..<64 {
            var f: UInt32, g: Int
            switch step {
            case 0..<16: f = (b & c) | (~b & d); g = step
            case 16..<32: f = (d & b) | (~d & c); g = (5 * step + 1) % 16
            case 32..<48: f = b ^ c ^ d; g = (3 * step + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * step) % 16
            }
            f = f &+ a &+ MD5.table[step] &+ m[g]
            a = d; d = c; c = b
            let s = MD5.shifts[step]
            b = b &+ (f << s | f >> (32 - s))
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }

    mutating func update(_ bytes: ArraySlice<UInt8>) {
        length &+= UInt64(bytes.count)
        var rest = bytes
        if !block.isEmpty {
            let take = min(64 - block.count, rest.count)
            block.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if block.count < 64 { return }
            compress(block[...])
            block.removeAll(keepingCapacity: true)
        }
        while rest.count >= 64 {
            compress(rest.prefix(64))
            rest = rest.dropFirst(64)
        }
        block.append(contentsOf: rest)
    }

    /// RFC 1321 §3.1-3.2: a 1 bit, zeros to 56 mod 64, the bit length little-endian.
    mutating func finish() -> [UInt8] {
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        while (block.count + tail.count) % 64 != 56 { tail.append(0) }
        for i in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        let saved = length
        update(tail[...])
        length = saved
        var digest: [UInt8] = []
        for word in [state.0, state.1, state.2, state.3] {
            for i in 0..<4 { digest.append(UInt8(truncatingIfNeeded: word >> (8 * UInt32(i)))) }
        }
        return digest
    }
}

public enum Md5sum {
    static let specs = [OptionSpec("b", "binary"), OptionSpec("t", "text"), OptionSpec("c", "check"), OptionSpec("w", "warn"),
                        OptionSpec(nil, "status"), OptionSpec(nil, "quiet"), OptionSpec(nil, "strict"), OptionSpec("z", "zero"),
                        OptionSpec(nil, "tag"), OptionSpec(nil, "ignore-missing")]
    static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for byte in digest { out.append(hexDigits[Int(byte >> 4)]); out.append(hexDigits[Int(byte & 15)]) }
        return out
    }

    /// The digest of a stream, or the read error.
    static func digest<Source: ByteSource>(_ source: Source) -> Result<[UInt8], SystemError> {
        var md5 = MD5()
        if let e = forEachChunk(source, { md5.update($0); return true }) { return .failure(e) }
        return .success(md5.finish())
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "md5sum")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let binary = parsed.options.last { $0.key == "binary" || $0.key == "text" }?.key == "binary"
        if parsed.has("check") { return check(parsed, &console) }
        let end: UInt8 = parsed.has("zero") ? 0 : 10
        for name in parsed.operands.isEmpty ? ["-"] : parsed.operands {
            guard let input = console.openInput(name) else { continue }
            defer { input.close() }
            switch digest(input.source) {
            case .failure(let e): console.error(name, e)
            case .success(let d):
                if parsed.has("tag") {
                    console.put("MD5 (" + name + ") = "); console.put(hex(d))
                } else {
                    console.put(hex(d)); console.put(binary ? " *" : "  "); console.put(name)
                }
                console.put(end)
            }
        }
        return console.finish()
    }

    /// One line of a check list: "HASH  NAME", "HASH *NAME" or the BSD form "MD5 (NAME) = HASH".
    static func parseLine(_ line: [UInt8]) -> (hash: [UInt8], name: String)? {
        var bytes = line[...]
        if bytes.last == 10 { bytes = bytes.dropLast() }
        if bytes.last == 13 { bytes = bytes.dropLast() }
        if bytes.starts(with: "MD5 (".utf8), let close = bytes.lastIndex(of: 41),
           bytes[close...].starts(with: ") = ".utf8) {
            let name = bytes[(bytes.startIndex + 5)..<close], hash = bytes[(close + 4)...]
            guard hash.count == 32 else { return nil }
            return (Array(hash), String(decoding: name, as: UTF8.self))
        }
        while bytes.first == 32 || bytes.first == 9 { bytes = bytes.dropFirst() }
        guard bytes.count > 33 else { return nil }
        let hash = bytes.prefix(32)
        guard hash.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }) else { return nil }
        let rest = bytes.dropFirst(32)
        // GNU: a space, then " " (text) or "*" (binary) if there is one, then the name
        guard rest.first == 32 else { return nil }
        var name = rest.dropFirst()
        if name.first == 32 || name.first == 42 { name = name.dropFirst() }
        guard !name.isEmpty else { return nil }
        return (Array(hash.map { (65...70).contains($0) ? $0 + 32 : $0 }), String(decoding: name, as: UTF8.self))
    }

    static func check<IO: ToolIO>(_ parsed: ParsedOptions, _ console: inout Console<IO>) -> Int32 {
        let status = parsed.has("status"), quiet = parsed.has("quiet"), warn = parsed.has("warn")
        let ignoreMissing = parsed.has("ignore-missing")
        for list in parsed.operands.isEmpty ? ["-"] : parsed.operands {
            guard let input = console.openInput(list) else { continue }
            defer { input.close() }
            var reader = LineReader(input.source)
            var line: [UInt8] = []
            var number = 0, improper = 0, failed = 0, unreadable = 0, properLines = 0
            while reader.next(&line) {
                number += 1
                guard let entry = parseLine(line) else {
                    improper += 1
                    if warn { console.error("\(list): \(number): improperly formatted MD5 checksum line") }
                    continue
                }
                properLines += 1
                let result: Result<[UInt8], SystemError>
                if entry.name == "-" {
                    result = digest(console.io.standardInput())
                } else {
                    switch console.io.open(entry.name) {
                    case .failure(let e): result = .failure(e)
                    case .success(let s): result = digest(s); s.close()
                    }
                }
                switch result {
                case .failure(let e):
                    if ignoreMissing && e == .ENOENT { continue }
                    unreadable += 1
                    // the reason goes to stderr even under --status (GNU's)
                    console.error(entry.name, e)
                    if !status { console.put(entry.name + ": FAILED open or read\n") }
                case .success(let d):
                    if hex(d) == entry.hash {
                        if !status && !quiet { console.put(entry.name + ": OK\n") }
                    } else {
                        failed += 1
                        if !status { console.put(entry.name + ": FAILED\n") }
                    }
                }
            }
            if let e = reader.error { console.error(list, e); continue }
            if properLines == 0 {
                console.error("\(list == "-" ? "'standard input'" : list): no properly formatted checksum lines found")
                continue
            }
            if !status {
                // GNU's summary warnings, on standard error, without failing the run for the
                // improper lines alone
                let failedBefore = console.failed
                if improper > 0 { console.error("WARNING: \(improper) line\(improper == 1 ? " is" : "s are") improperly formatted") }
                if unreadable > 0 { console.error("WARNING: \(unreadable) listed file\(unreadable == 1 ? "" : "s") could not be read") }
                if failed > 0 { console.error("WARNING: \(failed) computed checksum\(failed == 1 ? "" : "s") did NOT match") }
                console.failed = failedBefore
            }
            if failed > 0 || unreadable > 0 || (parsed.has("strict") && improper > 0) { console.failed = true }
        }
        return console.finish()
    }
}
