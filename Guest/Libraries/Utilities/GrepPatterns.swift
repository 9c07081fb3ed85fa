// GrepPatterns.swift — grep's pattern list and where it matches in a line (POSIX.1-2017 "grep":
// a line is selected when any pattern matches it; GNU's -w and -x constraints; -o's matches are
// leftmost-longest over all patterns). Fixed strings (-F, and patterns with no special character)
// are compared byte by byte; the rest are BasicRegex in grep's dialect.

struct GrepPatterns {
    enum Kind {
        case fixed([[UInt8]])
        case regex([BasicRegex])
    }

    let kind: Kind
    let ignoreCase: Bool
    /// -w: the match is neither preceded nor followed by a word byte (letter, digit, "_").
    let wholeWords: Bool
    /// -x: the match is the whole line.
    let wholeLine: Bool

    /// Compiles the patterns (each line of each -e/-f text is one pattern); the error is GNU's
    /// message ("Unmatched [, [^, …").
    static func compile(_ patterns: [[UInt8]], extended: Bool, fixed: Bool, ignoreCase: Bool,
                        wholeWords: Bool, wholeLine: Bool) -> Result<GrepPatterns, BasicRegex.RegexError> {
        let special: [UInt8] = extended ? Array("\\.[]*^$+?(){}|".utf8) : Array("\\.[]*^$".utf8)
        // A pattern with no special byte is a fixed string: searched without the regex engine.
        if fixed || patterns.allSatisfy({ $0.allSatisfy { !special.contains($0) } }) {
            let folded = ignoreCase ? patterns.map { $0.map(lower) } : patterns
            return .success(GrepPatterns(kind: .fixed(folded), ignoreCase: ignoreCase, wholeWords: wholeWords, wholeLine: wholeLine))
        }
        var compiled: [BasicRegex] = []
        for p in patterns {
            switch BasicRegex.compile(p, extended: extended, ignoreCase: ignoreCase, dialect: .grep) {
            case .success(let r): compiled.append(r)
            case .failure(let e): return .failure(e)
            }
        }
        return .success(GrepPatterns(kind: .regex(compiled), ignoreCase: ignoreCase, wholeWords: wholeWords, wholeLine: wholeLine))
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

    /// Whether the match start..<end meets -w and -x.
    func acceptable(_ line: [UInt8], _ start: Int, _ end: Int) -> Bool {
        if wholeLine { return start == 0 && end == line.count }
        if wholeWords {
            if start > 0 && BasicRegex.isWord(line[start - 1]) { return false }
            if end < line.count && BasicRegex.isWord(line[end]) { return false }
            // GNU: an empty match is a word match only on a line with no word at that point
            // (grep -w '' selects empty lines and lines without word bytes around the gap).
        }
        return true
    }

    /// The leftmost match at or after `from` (with `longest`, the longest one there, over all
    /// patterns), honouring -w and -x; nil when there is none.
    func find(in line: [UInt8], from: Int, longest: Bool) -> Range<Int>? {
        var start = from
        let lastStart = wholeLine ? min(0, line.count) : line.count
        // One fixed string: only where its first byte is can it start (a scan, not a compare per byte).
        var firstByte: UInt8? = nil
        if case .fixed(let strings) = kind, strings.count == 1, let f = strings[0].first, !ignoreCase || !(f | 0x20 >= 97 && f | 0x20 <= 122) {
            firstByte = f
        }
        while start <= lastStart {
            if let f = firstByte {
                guard let next = line[start...].firstIndex(of: f) else { return nil }
                start = next
            }
            if wholeWords && start > 0 && BasicRegex.isWord(line[start - 1]) { start += 1; continue }
            var best: Int? = nil
            switch kind {
            case .fixed(let strings):
                for s in strings where start + s.count <= line.count && (best == nil || s.count + start > best!) {
                    var same = true
                    var k = 0
                    while k < s.count {
                        let b = ignoreCase ? GrepPatterns.lower(line[start + k]) : line[start + k]
                        if b != s[k] { same = false; break }
                        k += 1
                    }
                    if same && acceptable(line, start, start + s.count) { best = start + s.count }
                }
            case .regex(let regexes):
                for r in regexes {
                    if let end = r.matchEnd(line, at: start, longest: longest, accept: { acceptable(line, start, $0) }),
                       best == nil || end > best! {
                        best = end
                        if !longest { break }
                    }
                }
            }
            if let best { return start..<best }
            start += 1
        }
        return nil
    }
}
