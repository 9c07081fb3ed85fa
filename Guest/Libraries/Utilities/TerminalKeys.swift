// TerminalKeys.swift — the keys of a VT100/xterm keyboard from the bytes a terminal in raw mode
// sends (the pager and the editor). The cursor and editing keys are escape sequences: ESC [ A…D
// and ESC O A…D (cursor keys, ECMA-48 CSI / VT100 application mode), ESC [ H / F and ESC O H / F
// (Home/End, xterm), ESC [ n ~ (1/7 Home, 2 Insert, 3 Delete, 4/8 End, 5 PageUp, 6 PageDown; the
// VT220 "editing keypad" codes). A sequence can arrive split over reads, so the decoder keeps an
// unfinished one until more bytes come or the reader says that nothing came (`flush`: a lone ESC
// is then the Escape key). Sequences it does not know are dropped whole, never typed as text.

public enum Key: Equatable {
    /// Any other byte: a printable character (or a byte of a UTF-8 one) or a control character.
    case byte(UInt8)
    case up, down, left, right, home, end, pageUp, pageDown, delete, insert, escape
}

public struct KeyDecoder {
    var pending: [UInt8] = []
    public init() {}

    /// The keys `bytes` complete (with what was pending before).
    public mutating func feed<C: Collection>(_ bytes: C) -> [Key] where C.Element == UInt8 {
        pending.append(contentsOf: bytes)
        var keys: [Key] = []
        while !pending.isEmpty {
            guard pending[0] == 0x1b else { keys.append(.byte(pending.removeFirst())); continue }
            switch Self.sequence(pending) {
            case .incomplete: return keys
            case .key(let key, let length):
                if let key { keys.append(key) }
                pending.removeFirst(length)
            }
        }
        return keys
    }

    /// Nothing more came: an unfinished sequence is the keys typed so far (a lone ESC: Escape).
    public mutating func flush() -> [Key] {
        guard !pending.isEmpty else { return [] }
        var keys: [Key] = [.escape]
        keys += pending.dropFirst().map { Key.byte($0) }
        pending.removeAll()
        return keys
    }

    enum Parse { case incomplete, key(Key?, Int) }

    /// The key `bytes` (starting with ESC) begin with, and its length; nil for an unknown sequence.
    static func sequence(_ b: [UInt8]) -> Parse {
        guard b.count >= 2 else { return .incomplete }
        let introducer = b[1]
        guard introducer == UInt8(ascii: "[") || introducer == UInt8(ascii: "O") else {
            // ESC followed by anything else: the Escape key, then that byte as typed.
            return .key(.escape, 1)
        }
        // CSI: parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, then a final byte 0x40–0x7E
        // (ECMA-48 5.4); SS3 (ESC O) takes exactly one final byte.
        var i = 2
        if introducer == UInt8(ascii: "[") {
            while i < b.count, b[i] >= 0x20 && b[i] <= 0x3f { i += 1 }
            // an overlong run is not a key anyone typed: drop what came
            if i > 16 { return .key(nil, i) }
        }
        guard i < b.count else { return .incomplete }
        let final = b[i]
        let length = i + 1
        let parameters = b[2..<i]
        switch final {
        case UInt8(ascii: "A"): return .key(.up, length)
        case UInt8(ascii: "B"): return .key(.down, length)
        case UInt8(ascii: "C"): return .key(.right, length)
        case UInt8(ascii: "D"): return .key(.left, length)
        case UInt8(ascii: "H"): return .key(.home, length)
        case UInt8(ascii: "F"): return .key(.end, length)
        case UInt8(ascii: "~"):
            var n = 0
            for p in parameters {
                if p == UInt8(ascii: ";") { break }
                guard p >= 0x30 && p <= 0x39 else { return .key(nil, length) }
                n = min(n * 10 + Int(p - 0x30), 1000)
            }
            switch n {
            case 1, 7: return .key(.home, length)
            case 2: return .key(.insert, length)
            case 3: return .key(.delete, length)
            case 4, 8: return .key(.end, length)
            case 5: return .key(.pageUp, length)
            case 6: return .key(.pageDown, length)
            default: return .key(nil, length)
            }
        default: return .key(nil, length)
        }
    }
}
