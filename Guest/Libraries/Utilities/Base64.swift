// Base64.swift — base64 [-d] [-i] [-w COLS] [FILE]: RFC 4648 §4's alphabet with "=" padding, as
// GNU coreutils' base64. Encoding wraps lines at 76 columns (-w 0: no wrapping); decoding skips
// newlines (and, with -i, every byte outside the alphabet) and stops at the first other byte with
// "invalid input", exit 1. Streams: input is taken three bytes (encoding) or four symbols
// (decoding) at a time, so memory stays bounded.

public enum Base64 {
    static let specs = [OptionSpec("d", "decode"), OptionSpec("i", "ignore-garbage"), OptionSpec("w", "wrap", argument: true)]
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "base64")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var wrap = 76
        if let w = parsed.last("wrap") {
            guard let n = parseDecimal(w) else { console.error("invalid wrap size: " + quoted(w)); return 1 }
            wrap = n
        }
        guard parsed.operands.count <= 1 else { console.usage("extra operand " + quoted(parsed.operands[1])); return 1 }
        let name = parsed.operands.first ?? "-"
        guard let input = console.openInput(name) else { return 1 }
        defer { input.close() }
        let failure: SystemError?
        if parsed.has("decode") {
            var decoder = Decoder(ignoreGarbage: parsed.has("ignore-garbage"))
            failure = forEachChunk(input.source) { chunk in
                decoder.feed(chunk, into: &console)
                return !decoder.invalid
            }
            if failure == nil && !decoder.invalid { decoder.finish(into: &console) }
            if decoder.invalid { console.error("invalid input") }
        } else {
            var encoder = Encoder(wrap: wrap)
            failure = forEachChunk(input.source) { chunk in encoder.feed(chunk, into: &console); return true }
            encoder.finish(into: &console)
        }
        if let failure { console.error(name, failure) }
        return console.finish()
    }

    struct Encoder {
        let wrap: Int
        var pending: [UInt8] = []
        var column = 0

        mutating func emit<IO>(_ symbol: UInt8, into console: inout Console<IO>) {
            if wrap > 0 && column == wrap { console.put(10); column = 0 }
            console.put(symbol)
            column += 1
        }

        mutating func group<IO>(_ a: UInt8, _ b: UInt8?, _ c: UInt8?, into console: inout Console<IO>) {
            let bits = UInt32(a) << 16 | UInt32(b ?? 0) << 8 | UInt32(c ?? 0)
            emit(alphabet[Int(bits >> 18 & 63)], into: &console)
            emit(alphabet[Int(bits >> 12 & 63)], into: &console)
            emit(b == nil ? 61 : alphabet[Int(bits >> 6 & 63)], into: &console)
            emit(c == nil ? 61 : alphabet[Int(bits & 63)], into: &console)
        }

        mutating func feed<IO>(_ chunk: ArraySlice<UInt8>, into console: inout Console<IO>) {
            pending.append(contentsOf: chunk)
            var i = 0
            while i + 3 <= pending.count {
                group(pending[i], pending[i + 1], pending[i + 2], into: &console)
                i += 3
            }
            pending.removeFirst(i)
        }

        mutating func finish<IO>(into console: inout Console<IO>) {
            if pending.count == 1 { group(pending[0], nil, nil, into: &console) }
            if pending.count == 2 { group(pending[0], pending[1], nil, into: &console) }
            if column > 0 && wrap > 0 { console.put(10) }   // -w 0: no newline at all (GNU)
        }
    }

    struct Decoder {
        let ignoreGarbage: Bool
        var quad: [UInt8] = []
        /// "=" seen: only padding and newlines may follow in this group.
        var padding = 0
        var invalid = false

        static func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 65...90: return byte - 65
            case 97...122: return byte - 71
            case 48...57: return byte + 4
            case 43: return 62
            case 47: return 63
            default: return nil
            }
        }

        mutating func flushQuad<IO>(into console: inout Console<IO>) {
            let symbols = quad.count
            guard symbols >= 2 else { if symbols == 1 { invalid = true }; quad = []; return }
            var bits: UInt32 = 0
            for i in 0..<4 { bits = bits << 6 | UInt32(i < symbols ? quad[i] : 0) }
            console.put(UInt8(bits >> 16 & 255))
            if symbols >= 3 { console.put(UInt8(bits >> 8 & 255)) }
            if symbols == 4 { console.put(UInt8(bits & 255)) }
            quad = []
        }

        mutating func feed<IO>(_ chunk: ArraySlice<UInt8>, into console: inout Console<IO>) {
            for byte in chunk where !invalid {
                if byte == 10 { continue }
                if byte == 61 {
                    // "=" pads the group to four: "xx==" or "xxx="
                    guard quad.count >= 2 || padding > 0 else { if !ignoreGarbage { invalid = true }; continue }
                    padding += 1
                    if quad.count + padding == 4 { flushQuad(into: &console); padding = 0 }
                    continue
                }
                guard let v = Decoder.value(byte) else {
                    // GNU decodes the symbols before the bad byte ("YW*" gives "a"), then fails
                    if !ignoreGarbage { if quad.count >= 2 { flushQuad(into: &console) }; invalid = true }
                    continue
                }
                if padding > 0 { invalid = true; continue }   // data after "=" within a group
                quad.append(v)
                if quad.count == 4 { flushQuad(into: &console) }
            }
        }

        mutating func finish<IO>(into console: inout Console<IO>) {
            // GNU decodes a final unpadded group ("YQ" → "a") and reports it as invalid input
            // when incomplete; padding left open is invalid too.
            let unterminated = !quad.isEmpty || padding > 0
            if !quad.isEmpty { flushQuad(into: &console) }
            if unterminated { invalid = true }
        }
    }
}

/// printenv [-0] [NAME…]: the whole environment, or the value of each NAME; exit 1 when a NAME
/// is not set (GNU coreutils; 2 for a bad option).
public enum Printenv {
    static let specs = [OptionSpec("0", "null")]

    public static func run<IO: ProcessIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "printenv")
        guard let parsed = console.options(arguments, specs) else { return 2 }
        let end: UInt8 = parsed.has("null") ? 0 : 10
        let environment = io.environment()
        if parsed.operands.isEmpty {
            for entry in environment { console.put(entry); console.put(end) }
            return console.finish()
        }
        var missing = false
        for name in parsed.operands {
            // a name with "=" is never a variable's name (GNU prints nothing for it)
            let match = name.contains("=") ? nil : environment.last { $0.hasPrefix(name + "=") }
            if let match { console.put(match.utf8.dropFirst(name.utf8.count + 1)); console.put(end) } else { missing = true }
        }
        let status = console.finish()
        return status != 0 ? status : (missing ? 1 : 0)
    }
}
