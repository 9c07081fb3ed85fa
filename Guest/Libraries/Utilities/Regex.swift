// Regex.swift — POSIX regular expressions for the utilities (expr's ":", nl -p; POSIX.1-2017
// XBD 9.3 basic and 9.4 extended): literals, ".", bracket expressions with ranges and [:class:],
// "*", \{m,n\}, \( \) groups, back-references \1-\9, ^ and $ anchors; GNU's \+ \? in basic ones;
// in extended ones + ? | ( ) {m,n}. A backtracking matcher (greedy; single-byte atoms repeat in a
// loop, not by recursion, so ".*" on a long line does not deepen the stack). Bytes, the C locale.

struct BasicRegex {
    struct RegexError: Error { var message: String }

    indirect enum Atom {
        case byte(UInt8)
        case any
        case set([Bool])
        case group(Int, [[Piece]])
        case backReference(Int)
        case lineStart, lineEnd
        case wordBoundary(Bool)          // \b (true), \B (false)
        case wordStart, wordEnd          // \< \>
    }

    struct Piece {
        var atom: Atom
        var min = 1, max = 1
    }

    let alternatives: [[Piece]]
    let groupCount: Int

    struct Match {
        var end: Int
        var groups: [Range<Int>?]
    }

    /// Whose dialect: sed's (GNU sed: \n and \t are newline and tab; an ERE's leading "*" is an
    /// error) or grep's (GNU grep 3.8 through its dfa: \n and \t are the letters; an ERE's "*" at
    /// the start of an expression repeats nothing and is dropped; an ERE "{" that does not begin a
    /// valid interval is a literal "{").
    enum Dialect { case sed, grep }

    static func compile(_ pattern: [UInt8], extended: Bool = false, ignoreCase: Bool = false,
                        dialect: Dialect = .sed) -> Result<BasicRegex, RegexError> {
        var parser = Parser(p: pattern, extended: extended, ignoreCase: ignoreCase, dialect: dialect)
        do throws(RegexError) {
            let alternatives = try parser.alternatives(depth: 0)
            if parser.i < pattern.count { throw RegexError(message: "Unmatched ) or \\)") }
            return .success(BasicRegex(alternatives: alternatives, groupCount: parser.groups))
        } catch {
            return .failure(error)
        }
    }

    struct Parser {
        let p: [UInt8]
        let extended: Bool
        let ignoreCase: Bool
        var dialect: Dialect = .sed
        var i = 0
        var groups = 0

        func peek(_ k: Int = 0) -> UInt8? { i + k < p.count ? p[i + k] : nil }

        mutating func alternatives(depth: Int) throws(RegexError) -> [[Piece]] {
            var result: [[Piece]] = [try sequence(depth: depth)]
            while true {
                if extended && peek() == 124 { i += 1 }
                else if !extended && peek() == 92 && peek(1) == 124 { i += 2 }
                else { break }
                result.append(try sequence(depth: depth))
            }
            return result
        }

        mutating func sequence(depth: Int) throws(RegexError) -> [Piece] {
            var pieces: [Piece] = []
            while let c = peek() {
                // The end of this sequence: | or ) (escaped in basic ones).
                if extended && (c == 124 || (c == 41 && depth > 0)) { break }
                if !extended && c == 92 && (peek(1) == 124 || (peek(1) == 41 && depth > 0)) { break }
                if !extended && c == 92 && peek(1) == 41 && depth == 0 { throw RegexError(message: "Unmatched ) or \\)") }
                let atStart = pieces.isEmpty
                var atom: Atom
                if c == 94 && (extended || atStart) { i += 1; atom = .lineStart }
                else if c == 36 && (extended || isEnd(i + 1, depth)) { i += 1; atom = .lineEnd }
                else if c == 46 { i += 1; atom = .any }
                else if c == 91 { i += 1; atom = .set(try bracket()) }
                else if c == 42 && atStart && !extended { i += 1; atom = .byte(42) }   // a leading * is literal
                else if extended && c == 40 || !extended && c == 92 && peek(1) == 40 {
                    i += extended ? 1 : 2
                    groups += 1
                    let index = groups
                    let inner = try alternatives(depth: depth + 1)
                    if extended && peek() == 41 { i += 1 }
                    else if !extended && peek() == 92 && peek(1) == 41 { i += 2 }
                    else { throw RegexError(message: "Unmatched ( or \\(") }
                    atom = .group(index, inner)
                } else if c == 92 {
                    guard let e = peek(1) else { throw RegexError(message: "Trailing backslash") }
                    i += 2
                    if e >= 49 && e <= 57 {
                        let n = Int(e - 48)
                        if n > groups { throw RegexError(message: "Invalid back reference") }
                        atom = .backReference(n)
                    } else if e == 119 || e == 87 || e == 115 || e == 83 {
                        // GNU: \w word byte, \W not one, \s blank, \S not one
                        var set = [Bool](repeating: false, count: 256)
                        let test = e == 119 || e == 87 ? BasicRegex.isWord : { (b: UInt8) in b == 32 || (b >= 9 && b <= 13) }
                        for b in 0..<256 { set[b] = test(UInt8(b)) != (e == 87 || e == 83) }
                        atom = .set(set)
                    } else if e == 98 { atom = .wordBoundary(true) }
                    else if e == 66 { atom = .wordBoundary(false) }
                    else if e == 60 { atom = .wordStart }
                    else if e == 62 { atom = .wordEnd }
                    else if e == 96 { atom = .lineStart }
                    else if e == 39 { atom = .lineEnd }
                    else if e == 110 && dialect == .sed { atom = .byte(10) }
                    else if e == 116 && dialect == .sed { atom = .byte(9) }
                    else { atom = .byte(e) }
                } else if extended && (c == 42 || c == 43 || c == 63) && atStart && dialect == .grep {
                    i += 1   // GNU grep: a repetition of nothing ("*a" is "a")
                    continue
                } else if extended && (c == 42 || c == 43 || c == 63) && atStart {
                    throw RegexError(message: "Invalid preceding regular expression")
                } else if extended && c == 123 && dialect == .grep && !validInterval(i) {
                    i += 1
                    atom = .byte(c)
                } else {
                    i += 1
                    atom = .byte(c)
                }
                if ignoreCase { atom = folded(atom) }
                var piece = Piece(atom: atom)
                // Quantifiers (several may follow: a** is a*).
                while let q = peek() {
                    if q == 42 { i += 1; piece = Piece(atom: .group(0, [[piece]]), min: 0, max: Int.max) }
                    else if (extended && q == 43) || (!extended && q == 92 && peek(1) == 43) {
                        i += extended ? 1 : 2; piece = Piece(atom: .group(0, [[piece]]), min: 1, max: Int.max)
                    } else if (extended && q == 63) || (!extended && q == 92 && peek(1) == 63) {
                        i += extended ? 1 : 2; piece = Piece(atom: .group(0, [[piece]]), min: 0, max: 1)
                    } else if (extended && q == 123 && (dialect == .sed || validInterval(i))) || (!extended && q == 92 && peek(1) == 123) {
                        i += extended ? 1 : 2
                        let (lo, hi) = try interval()
                        piece = Piece(atom: .group(0, [[piece]]), min: lo, max: hi)
                    } else { break }
                    // A single-byte atom's repetition is kept flat (the loop in repeatFlat).
                    if case .group(0, let inner) = piece.atom, inner.count == 1, inner[0].count == 1,
                       inner[0][0].min == 1, inner[0][0].max == 1, inner[0][0].isSingleByte {
                        piece = Piece(atom: inner[0][0].atom, min: piece.min, max: piece.max)
                    }
                }
                pieces.append(piece)
            }
            return pieces
        }

        /// A letter as the set of both its cases (sed's I flag).
        func folded(_ atom: Atom) -> Atom {
            switch atom {
            case .byte(let c) where (c | 0x20) >= 97 && (c | 0x20) <= 122:
                var set = [Bool](repeating: false, count: 256)
                set[Int(c | 0x20)] = true; set[Int(c & ~0x20)] = true
                return .set(set)
            case .set(var set):
                for c in 65...90 where set[c] || set[c + 32] { set[c] = true; set[c + 32] = true }
                return .set(set)
            default: return atom
            }
        }

        func isEnd(_ k: Int, _ depth: Int) -> Bool {
            if k >= p.count { return true }
            if !extended && k + 1 < p.count && p[k] == 92 && (p[k + 1] == 124 || (p[k + 1] == 41 && depth > 0)) { return true }
            return false
        }

        /// An ERE "{" at `k` that starts "{m}", "{m,}", "{m,n}" or "{,n}" (GNU grep reads any
        /// other "{" as itself).
        func validInterval(_ k: Int) -> Bool {
            var j = k + 1
            var digits = 0
            while j < p.count && p[j] >= 48 && p[j] <= 57 { j += 1; digits += 1 }
            if j < p.count && p[j] == 44 {
                j += 1
                while j < p.count && p[j] >= 48 && p[j] <= 57 { j += 1; digits += 1 }
            }
            return digits > 0 && j < p.count && p[j] == 125
        }

        mutating func number() -> Int? {
            var v: Int? = nil
            while let c = peek(), c >= 48 && c <= 57 { v = min((v ?? 0) * 10 + Int(c - 48), 1 << 16); i += 1 }
            return v
        }

        mutating func interval() throws(RegexError) -> (Int, Int) {
            // GNU: "{,n}" is "{0,n}"
            let lo: Int
            if let n = number() { lo = n } else if peek() == 44 { lo = 0 } else { throw RegexError(message: "Invalid content of \\{\\}") }
            var hi = lo
            if peek() == 44 { i += 1; hi = number() ?? Int.max }
            if extended && peek() == 125 { i += 1 }
            else if !extended && peek() == 92 && peek(1) == 125 { i += 2 }
            else { throw RegexError(message: "Unmatched \\{") }
            if hi < lo { throw RegexError(message: "Invalid content of \\{\\}") }
            if lo > 32767 { throw RegexError(message: "Regular expression too big") }
            return (lo, hi)
        }

        /// After "[": the set of bytes, through the closing "]".
        mutating func bracket() throws(RegexError) -> [Bool] {
            var set = [Bool](repeating: false, count: 256)
            var negate = false
            if peek() == 94 { negate = true; i += 1 }
            var first = true
            while true {
                guard let c = peek() else { throw RegexError(message: "Unmatched [, [^, [:, [., or [=") }
                if c == 93 && !first { i += 1; break }
                first = false
                if c == 91 && peek(1) == 58 {
                    guard let close = (i + 2 < p.count ? p[(i + 2)...].firstIndex(of: 58) : nil), close + 1 < p.count, p[close + 1] == 93 else {
                        throw RegexError(message: "Unmatched [, [^, [:, [., or [=")
                    }
                    let name = String(decoding: p[(i + 2)..<close], as: UTF8.self)
                    guard let test = BasicRegex.characterClass(name) else { throw RegexError(message: "Invalid character class name") }
                    for b in 0..<256 where test(UInt8(b)) { set[b] = true }
                    i = close + 2
                    continue
                }
                var low = c
                if c == 91 && (peek(1) == 46 || peek(1) == 61), i + 4 < p.count, p[i + 3] == peek(1), p[i + 4] == 93 {
                    low = p[i + 2]; i += 5
                } else {
                    i += 1
                }
                if peek() == 45, let high = peek(1), high != 93 {
                    i += 2
                    if high < low { throw RegexError(message: "Invalid range end") }
                    for b in low...high { set[Int(b)] = true }
                } else {
                    set[Int(low)] = true
                }
            }
            if negate { for b in 0..<256 { set[b] = !set[b] } }
            return set
        }
    }

    static func isWord(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 || b >= 48 && b <= 57 || b == 95 }

    static func characterClass(_ name: String) -> ((UInt8) -> Bool)? {
        switch name {
        case "alpha": return { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }
        case "digit": return { $0 >= 48 && $0 <= 57 }
        case "alnum": return { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || $0 >= 48 && $0 <= 57 }
        case "upper": return { $0 >= 65 && $0 <= 90 }
        case "lower": return { $0 >= 97 && $0 <= 122 }
        case "space": return { $0 == 32 || ($0 >= 9 && $0 <= 13) }
        case "blank": return { $0 == 32 || $0 == 9 }
        case "punct": return { $0 > 32 && $0 < 127 && !(($0 | 0x20) >= 97 && ($0 | 0x20) <= 122) && !($0 >= 48 && $0 <= 57) }
        case "print": return { $0 >= 32 && $0 < 127 }
        case "graph": return { $0 > 32 && $0 < 127 }
        case "cntrl": return { $0 < 32 || $0 == 127 }
        case "xdigit": return { $0 >= 48 && $0 <= 57 || ($0 | 0x20) >= 97 && ($0 | 0x20) <= 102 }
        default: return nil
        }
    }

    // MARK: matching

    /// A match starting at `start` of `s` (expr's ":" anchors at the start).
    func matchPrefix(_ s: [UInt8], at start: Int = 0) -> Match? {
        var groups = [Range<Int>?](repeating: nil, count: groupCount + 1)
        var result: Match? = nil
        _ = Matcher(s: s).alternatives(alternatives, start, &groups) { end, g in
            result = Match(end: end, groups: g)
            result!.groups[0] = start..<end
            return true
        }
        return result
    }

    /// The end of a match starting at `start` that `accept` takes: with `longest`, the furthest
    /// such end (every way of matching is tried: POSIX's leftmost-longest rule, which grep -o
    /// needs); else the first one the greedy search finds. Nil when there is none.
    func matchEnd(_ s: [UInt8], at start: Int, longest: Bool, accept: (Int) -> Bool) -> Int? {
        var groups = [Range<Int>?](repeating: nil, count: groupCount + 1)
        var best: Int? = nil
        _ = Matcher(s: s).alternatives(alternatives, start, &groups) { end, _ in
            guard accept(end) else { return false }
            if best == nil || end > best! { best = end }
            return !longest || end == s.count
        }
        return best
    }

    /// The leftmost match in `s` at or after `from`.
    func firstMatch(_ s: [UInt8], from: Int = 0) -> Match? {
        var start = from
        while start <= s.count {
            if let m = matchPrefix(s, at: start) { return m }
            start += 1
        }
        return nil
    }
}

extension BasicRegex.Piece {
    var isSingleByte: Bool {
        switch atom {
        case .byte, .any, .set: return true
        default: return false
        }
    }
}

struct Matcher {
    let s: [UInt8]

    func single(_ atom: BasicRegex.Atom, _ b: UInt8) -> Bool {
        switch atom {
        case .byte(let c): return b == c
        case .any: return true
        case .set(let set): return set[Int(b)]
        default: return false
        }
    }

    func alternatives(_ alts: [[BasicRegex.Piece]], _ pos: Int, _ groups: inout [Range<Int>?],
                      _ k: (Int, [Range<Int>?]) -> Bool) -> Bool {
        for alt in alts {
            var g = groups
            if sequence(alt, 0, pos, &g, k) { groups = g; return true }
        }
        return false
    }

    func sequence(_ pieces: [BasicRegex.Piece], _ index: Int, _ pos: Int, _ groups: inout [Range<Int>?],
                  _ k: (Int, [Range<Int>?]) -> Bool) -> Bool {
        if index == pieces.count { return k(pos, groups) }
        let piece = pieces[index]
        if piece.isSingleByte {
            // Greedy, by a loop: the longest run first, then shorter.
            var n = 0
            while n < piece.max && pos + n < s.count && single(piece.atom, s[pos + n]) { n += 1 }
            while n >= piece.min {
                if sequence(pieces, index + 1, pos + n, &groups, k) { return true }
                n -= 1
            }
            return false
        }
        return repeatPiece(piece, 0, pos, &groups) { p, g in
            var g = g
            return sequence(pieces, index + 1, p, &g, k)
        }
    }

    func repeatPiece(_ piece: BasicRegex.Piece, _ count: Int, _ pos: Int, _ groups: inout [Range<Int>?],
                     _ k: (Int, [Range<Int>?]) -> Bool) -> Bool {
        if count < piece.max {
            let more = once(piece.atom, pos, &groups) { p, g in
                if p == pos && count >= piece.min { return false }   // an empty pass: no progress
                var g = g
                return repeatPiece(piece, count + 1, p, &g, k)
            }
            if more { return true }
        }
        return count >= piece.min && k(pos, groups)
    }

    func once(_ atom: BasicRegex.Atom, _ pos: Int, _ groups: inout [Range<Int>?],
              _ k: (Int, [Range<Int>?]) -> Bool) -> Bool {
        switch atom {
        case .lineStart: return pos == 0 && k(pos, groups)
        case .lineEnd: return pos == s.count && k(pos, groups)
        case .wordBoundary(let at):
            let before = pos > 0 && BasicRegex.isWord(s[pos - 1]), after = pos < s.count && BasicRegex.isWord(s[pos])
            return (before != after) == at && k(pos, groups)
        case .wordStart:
            return !(pos > 0 && BasicRegex.isWord(s[pos - 1])) && pos < s.count && BasicRegex.isWord(s[pos]) && k(pos, groups)
        case .wordEnd:
            return pos > 0 && BasicRegex.isWord(s[pos - 1]) && !(pos < s.count && BasicRegex.isWord(s[pos])) && k(pos, groups)
        case .backReference(let n):
            guard let r = groups[n] else { return false }
            guard pos + r.count <= s.count, s[r].elementsEqual(s[pos..<(pos + r.count)]) else { return false }
            return k(pos + r.count, groups)
        case .group(let index, let alts):
            return alternatives(alts, pos, &groups) { end, g in
                var g = g
                if index > 0 { g[index] = pos..<end }
                return k(end, g)
            }
        default:
            return pos < s.count && single(atom, s[pos]) && k(pos + 1, groups)
        }
    }
}
