// Pattern.swift — pattern matching notation (XCU 2.13): `*`, `?`, bracket expressions, with quoted
// characters matching only themselves. Bytes, so any encoding passes through.

/// A pattern: bytes plus, per byte, whether it was quoted (and so is not special).
public struct Pattern {
    var bytes: [UInt8]
    var quoted: [Bool]

    public init(bytes: [UInt8], quoted: [Bool]) { self.bytes = bytes; self.quoted = quoted }
    public init(literal s: String) { bytes = Array(s.utf8); quoted = [Bool](repeating: true, count: bytes.count) }

    /// True if the pattern has an unquoted `*`, `?` or a `[` that opens a bracket expression.
    public var hasMagic: Bool {
        for i in bytes.indices where !quoted[i] {
            let c = bytes[i]
            if c == 42 || c == 63 { return true }
            if c == 91 && bracket(at: i, 0) != nil { return true }
        }
        return false
    }

    /// XCU 2.13.1–2.13.2: does the whole of `s` match?
    public func matches(_ s: [UInt8]) -> Bool { matches(s, 0, s.count) }

    /// Matches s[from..<to] against the whole pattern (backtracking over the last `*`).
    func matches(_ s: [UInt8], _ from: Int, _ to: Int) -> Bool {
        var p = 0, i = from
        var starP = -1, starI = 0
        while i < to || p < bytes.count {
            if p < bytes.count {
                let c = bytes[p]
                if !quoted[p] && c == 42 {
                    starP = p; starI = i; p += 1; continue
                }
                if i < to {
                    if !quoted[p] && c == 63 { p += 1; i += 1; continue }
                    if !quoted[p] && c == 91, let (ok, next) = bracket(at: p, s[i]) {
                        if ok { p = next; i += 1; continue }
                    } else if c == s[i] { p += 1; i += 1; continue }
                }
            }
            if starP >= 0 && starI < to {
                starI += 1; i = starI; p = starP + 1; continue
            }
            return false
        }
        return true
    }

    /// A bracket expression starting at p (XCU 2.13.1, RE bracket expressions with `!` for `^`):
    /// (matched, index after `]`), or nil if there is no closing `]` (then `[` is literal).
    func bracket(at start: Int, _ c: UInt8) -> (Bool, Int)? {
        var p = start + 1
        var negate = false
        if p < bytes.count && !quoted[p] && (bytes[p] == 33 || bytes[p] == 94) { negate = true; p += 1 }
        var matched = false
        var first = true
        while p < bytes.count {
            let b = bytes[p]
            if b == 93 && !quoted[p] && !first { return (matched != negate, p + 1) }
            first = false
            // [:class:]
            if b == 91 && !quoted[p] && p + 1 < bytes.count && bytes[p + 1] == 58 {
                var q = p + 2
                while q + 1 < bytes.count && !(bytes[q] == 58 && bytes[q + 1] == 93) { q += 1 }
                if q + 1 < bytes.count {
                    let name = String(decoding: bytes[(p + 2)..<q], as: UTF8.self)
                    if characterClass(name, c) { matched = true }
                    p = q + 2
                    continue
                }
            }
            var low = b
            p += 1
            if p + 1 < bytes.count && bytes[p] == 45 && !(bytes[p + 1] == 93 && !quoted[p + 1]) {
                let high = bytes[p + 1]
                if low <= c && c <= high { matched = true }
                p += 2
                continue
            }
            if low == c { matched = true }
            low = 0
        }
        return nil
    }
}

func characterClass(_ name: String, _ c: UInt8) -> Bool {
    switch name {
    case "alpha": return (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    case "digit": return c >= 48 && c <= 57
    case "alnum": return characterClass("alpha", c) || characterClass("digit", c)
    case "upper": return c >= 65 && c <= 90
    case "lower": return c >= 97 && c <= 122
    case "space": return c == 32 || (c >= 9 && c <= 13)
    case "blank": return c == 32 || c == 9
    case "punct": return c > 32 && c < 127 && !characterClass("alnum", c)
    case "print": return c >= 32 && c < 127
    case "graph": return c > 32 && c < 127
    case "cntrl": return c < 32 || c == 127
    case "xdigit": return characterClass("digit", c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    default: return false
    }
}
