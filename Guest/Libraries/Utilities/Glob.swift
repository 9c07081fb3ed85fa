// Glob.swift — shell patterns as fnmatch(3) matches them without flags (POSIX.1-2017 XCU 2.13.1,
// "Patterns Matching a Single Character", and 2.13.2): "*" any string (slashes and leading dots
// included, as find -name and -path use it), "?" any byte, "[…]" a bracket expression ("!" or
// "^" negates, ranges, [:class:]), "\" quotes the next byte. Bytes, the C locale; optional case
// folding (find -iname, -ipath). The matcher backtracks only to the last "*": linear space.

struct Glob {
    let pattern: [UInt8]
    let ignoreCase: Bool

    static func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

    /// Whether `name` matches the whole pattern.
    func matches(_ name: [UInt8]) -> Bool {
        var p = 0, n = 0
        var starP = -1, starN = 0
        while n < name.count {
            if p < pattern.count {
                let c = pattern[p]
                if c == 42 {   // "*": remember where to come back to
                    starP = p; starN = n; p += 1
                    continue
                }
                if c == 63 { p += 1; n += 1; continue }
                if c == 91, let (matched, next) = bracket(at: p, name[n]) {
                    if matched { p = next; n += 1; continue }
                } else {
                    var literal = c, step = 1
                    if c == 92 && p + 1 < pattern.count { literal = pattern[p + 1]; step = 2 }
                    if same(literal, name[n]) { p += step; n += 1; continue }
                }
            }
            // A mismatch: let the last "*" take one more byte, or fail.
            guard starP >= 0 else { return false }
            starN += 1; n = starN; p = starP + 1
        }
        while p < pattern.count && pattern[p] == 42 { p += 1 }
        return p == pattern.count
    }

    func same(_ a: UInt8, _ b: UInt8) -> Bool { ignoreCase ? Glob.fold(a) == Glob.fold(b) : a == b }

    /// The bracket expression at `start` ("["): whether `byte` is in it and the index after "]";
    /// nil when there is no closing "]" (then "[" is an ordinary byte).
    func bracket(at start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.count && (pattern[i] == 33 || pattern[i] == 94) { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < pattern.count {
            let c = pattern[i]
            if c == 93 && !first { return (matched != negate, i + 1) }
            first = false
            if c == 91 && i + 1 < pattern.count && pattern[i + 1] == 58 {
                // [:class:]
                var j = i + 2
                while j + 1 < pattern.count && !(pattern[j] == 58 && pattern[j + 1] == 93) { j += 1 }
                guard j + 1 < pattern.count else { return nil }
                let name = String(decoding: pattern[(i + 2)..<j], as: UTF8.self)
                if let test = BasicRegex.characterClass(name) {
                    if test(byte) || (ignoreCase && (test(Glob.fold(byte)) || test(byte & ~0x20))) { matched = true }
                }
                i = j + 2
                continue
            }
            var low = c
            if c == 92 && i + 1 < pattern.count { i += 1; low = pattern[i] }
            i += 1
            if i + 1 < pattern.count && pattern[i] == 45 && pattern[i + 1] != 93 {
                var high = pattern[i + 1]
                i += 2
                if high == 92 && i < pattern.count { high = pattern[i]; i += 1 }
                if low <= byte && byte <= high { matched = true }
                if ignoreCase {
                    let f = Glob.fold(byte), u = byte >= 97 && byte <= 122 ? byte & ~0x20 : byte
                    if (low <= f && f <= high) || (low <= u && u <= high) { matched = true }
                }
            } else if same(low, byte) {
                matched = true
            }
        }
        return nil
    }
}
