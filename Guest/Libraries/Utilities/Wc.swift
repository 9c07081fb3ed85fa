// Wc.swift — wc [-clmwL] [FILE…]: newline, word, character and byte counts (and the longest
// line's width), in GNU's order and column widths. Streams in chunks.
// Words are GNU's C-locale words: a word starts at a printable non-space byte and ends at a
// space; other control bytes neither start nor end one. Characters (-m) are UTF-8 characters,
// invalid and incomplete sequences not counted (GNU wc -m under glibc's UTF-8 locale).

public enum Wc {
    static let specs = [
        OptionSpec("c", "bytes"), OptionSpec("m", "chars"), OptionSpec("l", "lines"),
        OptionSpec("w", "words"), OptionSpec("L", "max-line-length"),
    ]

    struct Counts {
        var lines: UInt64 = 0, words: UInt64 = 0, characters: UInt64 = 0, bytes: UInt64 = 0
        var longest: UInt64 = 0
    }

    /// The counting state machine, carried across chunks.
    struct Counter {
        var counts = Counts()
        var inWord = false
        var linePosition: UInt64 = 0
        var pending = 0          // UTF-8 continuation bytes still expected
        var low: UInt8 = 0x80, high: UInt8 = 0xBF   // the valid range of the next continuation byte

        mutating func add(_ chunk: ArraySlice<UInt8>, characters: Bool, width: Bool) {
            counts.bytes += UInt64(chunk.count)
            for byte in chunk {
                switch byte {
                case 10:
                    counts.lines += 1
                    endLine(); inWord = false
                case 13, 12:
                    endLine(); inWord = false
                case 9:
                    linePosition += 8 - linePosition % 8
                    inWord = false
                case 32:
                    linePosition += 1
                    inWord = false
                case 11:
                    inWord = false
                default:
                    if byte >= 33 && byte <= 126 {
                        linePosition += 1
                        if !inWord { counts.words += 1; inWord = true }
                    }
                }
                if characters { decode(byte) }
            }
        }

        mutating func endLine() {
            if linePosition > counts.longest { counts.longest = linePosition }
            linePosition = 0
        }

        /// UTF-8 as glibc's decoder takes it (what GNU wc -m counts): overlong forms and surrogates
        /// are invalid, but the original 5- and 6-byte forms up to 0x7FFFFFFF count (beyond RFC 3629).
        mutating func decode(_ byte: UInt8) {
            if pending > 0 {
                if byte >= low && byte <= high {
                    low = 0x80; high = 0xBF
                    pending -= 1
                    if pending == 0 { counts.characters += 1 }
                    return
                }
                pending = 0; low = 0x80; high = 0xBF   // an invalid sequence: start again at this byte
            }
            switch byte {
            case 0x00...0x7F: counts.characters += 1
            case 0xC2...0xDF: pending = 1
            case 0xE0: pending = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED: pending = 2; high = 0x9F
            case 0xF0: pending = 3; low = 0x90
            case 0xF1...0xF7: pending = 3
            case 0xF8: pending = 4; low = 0x88
            case 0xF9...0xFB: pending = 4
            case 0xFC: pending = 5; low = 0x84
            case 0xFD: pending = 5
            default: break
            }
        }
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "wc")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var lines = parsed.has("lines"), words = parsed.has("words"), characters = parsed.has("chars")
        var bytes = parsed.has("bytes")
        let longest = parsed.has("max-line-length")
        if !(lines || words || characters || bytes || longest) { lines = true; words = true; bytes = true }
        let shown = [lines, words, characters, bytes, longest].filter { $0 }.count
        let names = parsed.operands.isEmpty ? ["-"] : parsed.operands

        // GNU's column width: the digits of the regular files' total size, at least 7 when any
        // input is not a regular file; 1 when only one count of one input is printed.
        var width = 1
        if !(names.count == 1 && shown == 1) {
            var total: UInt64 = 0
            var minimum = 1
            for name in names {
                guard let status = io.status(name == "-" ? nil : name) else { continue }
                if status.isRegularFile { total += status.size } else { minimum = 7 }
            }
            while total >= 10 { width += 1; total /= 10 }
            width = max(width, minimum)
        }

        var sum = Counts()
        for name in names {
            guard let input = console.openInput(name) else { continue }
            var counter = Counter()
            let failure = forEachChunk(input.source) { chunk in
                counter.add(chunk, characters: characters, width: longest)
                return true
            }
            counter.endLine()
            input.close()
            if let failure { console.error(name, failure) }
            let c = counter.counts
            print(c, name == "-" && parsed.operands.isEmpty ? nil : name, width, lines, words, characters, bytes, longest, &console)
            sum.lines += c.lines; sum.words += c.words; sum.characters += c.characters; sum.bytes += c.bytes
            sum.longest = max(sum.longest, c.longest)
        }
        if names.count > 1 { print(sum, "total", width, lines, words, characters, bytes, longest, &console) }
        return console.finish()
    }

    static func print<IO: ToolIO>(_ c: Counts, _ name: String?, _ width: Int,
                                  _ lines: Bool, _ words: Bool, _ characters: Bool, _ bytes: Bool, _ longest: Bool,
                                  _ out: inout Console<IO>) {
        var first = true
        for (on, value) in [(lines, c.lines), (words, c.words), (characters, c.characters), (bytes, c.bytes), (longest, c.longest)] where on {
            if !first { out.put(32) }
            first = false
            out.put(padded(Int(value), width: width))
        }
        if let name { out.put(32); out.put(name) }
        out.put(10)
    }
}
