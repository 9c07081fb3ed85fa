// Hex.swift — the hex and binary encodings of the remote protocol: two hex digits per byte for
// register and memory data, big-endian hex numbers with leading zeros suppressed for addresses and
// lengths, and `}`-escaping for binary data (gdb manual "Overview", "Binary data").

enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of one ASCII hex digit (either case), or nil.
    @inline(__always)
    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Two lower-case hex digits per byte.
    static func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return out
    }

    /// Decodes pairs of hex digits; nil on an odd count or a non-hex character.
    static func decodeBytes(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var i = text.startIndex
        while i < text.endIndex {
            guard let hi = value(text[i]), let lo = value(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// A non-empty hex number of at most 64 bits; nil if empty, not hex, or too large.
    static func number(_ text: ArraySlice<UInt8>) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var v: UInt64 = 0
        for c in text {
            guard let d = value(c), v >> 60 == 0 else { return nil }
            v = v << 4 | UInt64(d)
        }
        return v
    }

    /// A hex number with leading zeros suppressed ("0" for zero), as the protocol writes numbers.
    static func number(_ value: UInt64) -> [UInt8] {
        Array(String(value, radix: 16).utf8)
    }

    /// Two hex digits, as in signal numbers and checksums.
    static func byte(_ value: UInt8) -> [UInt8] {
        [digits[Int(value >> 4)], digits[Int(value & 0xf)]]
    }

    /// Text as hex digits (qThreadExtraInfo, qRcmd output).
    static func encode(text: String) -> [UInt8] { encode(Array(text.utf8)) }
}

/// Binary data inside packets (`X`, `qXfer` replies): `$`, `#`, `}` and `*` are sent as `}` followed
/// by the byte XOR 0x20 (gdb manual "Overview": `*` must be escaped too because it starts a
/// run-length encoding).
enum BinaryEscaping {
    static let escape = UInt8(ascii: "}")

    @inline(__always)
    static func needsEscape(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "$") || b == UInt8(ascii: "#") || b == UInt8(ascii: "}") || b == UInt8(ascii: "*")
    }

    static func escape<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if needsEscape(b) {
                out.append(escape)
                out.append(b ^ 0x20)
            } else {
                out.append(b)
            }
        }
        return out
    }

    /// Undoes `escape`; nil if the data ends in a lone `}`.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == escape {
                guard i + 1 < bytes.endIndex else { return nil }
                out.append(bytes[i + 1] ^ 0x20)
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
