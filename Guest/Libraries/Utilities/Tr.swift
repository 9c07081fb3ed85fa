// Tr.swift — tr [-cdst] SET1 [SET2]: translate, delete or squeeze bytes (POSIX tr, bytes as GNU
// tr treats them). Sets: characters, backslash escapes (\\ \a \b \f \n \r \t \v \NNN octal),
// ranges a-z, classes [:alpha:] …, repeats [c*N] and [c*] (SET2), equivalence [=c=].
// Streams in chunks: its whole state is two 256-entry tables.

public enum Tr {
    static let specs = [
        OptionSpec("c", "complement"), OptionSpec("C", key: "complement"), OptionSpec("d", "delete"),
        OptionSpec("s", "squeeze-repeats"), OptionSpec("t", "truncate-set1"),
    ]

    /// One element of a parsed set: a byte, or "repeat this byte to fill SET2" ([c*] / [c*0]).
    /// `caseClass` marks where a [:upper:] or [:lower:] starts: GNU requires one in SET2 to face
    /// one in SET1 ("misaligned [:upper:] and/or [:lower:] construct").
    enum Element { case byte(UInt8), fill(UInt8), caseClass }

    static func classBytes(_ name: String) -> [UInt8]? {
        let all = (0...255).map { UInt8($0) }
        switch name {
        case "alnum": return all.filter { isAlpha($0) || isDigit($0) }
        case "alpha": return all.filter(isAlpha)
        case "blank": return [9, 32]
        case "cntrl": return all.filter { $0 < 32 || $0 == 127 }
        case "digit": return all.filter(isDigit)
        case "graph": return all.filter { $0 > 32 && $0 < 127 }
        case "lower": return all.filter { $0 >= 97 && $0 <= 122 }
        case "print": return all.filter { $0 >= 32 && $0 < 127 }
        case "punct": return all.filter { $0 > 32 && $0 < 127 && !isAlpha($0) && !isDigit($0) }
        case "space": return [9, 10, 11, 12, 13, 32]
        case "upper": return all.filter { $0 >= 65 && $0 <= 90 }
        case "xdigit": return all.filter { isDigit($0) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102) }
        default: return nil
        }
    }
    static func isAlpha(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// The bytes of a set as written (escapes resolved, ranges and classes expanded).
    static func parseSet(_ text: String, isSet2: Bool) -> Result<[Element], OptionError> {
        let s = Array(text.utf8)
        var out: [Element] = []
        var i = 0
        /// One possibly escaped character at i.
        func character() -> UInt8 {
            if s[i] == UInt8(ascii: "\\") && i + 1 < s.count {
                i += 1
                let c = s[i]
                if c >= 48 && c <= 55 {
                    var value = 0, digits = 0
                    while i < s.count && digits < 3 && s[i] >= 48 && s[i] <= 55 && value * 8 + Int(s[i] - 48) <= 255 {
                        value = value * 8 + Int(s[i] - 48); i += 1; digits += 1
                    }
                    return UInt8(value)
                }
                i += 1
                switch c {
                case UInt8(ascii: "a"): return 7
                case UInt8(ascii: "b"): return 8
                case UInt8(ascii: "f"): return 12
                case UInt8(ascii: "n"): return 10
                case UInt8(ascii: "r"): return 13
                case UInt8(ascii: "t"): return 9
                case UInt8(ascii: "v"): return 11
                default: return c
                }
            }
            i += 1
            return s[i - 1]
        }
        while i < s.count {
            if s[i] == UInt8(ascii: "[") && i + 1 < s.count {
                // [:class:]  [=c=]  [c*N]
                if s[i + 1] == UInt8(ascii: ":"), let close = findClose(s, from: i + 2, ":") {
                    let name = String(decoding: s[(i + 2)..<close], as: UTF8.self)
                    guard let bytes = classBytes(name) else { return .failure(.message("invalid character class " + quoted(name))) }
                    if isSet2 && name != "upper" && name != "lower" {
                        return .failure(.message("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'"))
                    }
                    if name == "upper" || name == "lower" { out.append(.caseClass) }
                    out += bytes.map { .byte($0) }
                    i = close + 2
                    continue
                }
                if s[i + 1] == UInt8(ascii: "="), let close = findClose(s, from: i + 2, "="), close == i + 3 {
                    out.append(.byte(s[i + 2]))
                    i = close + 2
                    continue
                }
                let save = i
                i += 1
                let c = character()
                if i < s.count && s[i] == UInt8(ascii: "*"), let close = s[i...].firstIndex(of: UInt8(ascii: "]")) {
                    let digits = s[(i + 1)..<close]
                    if !isSet2 { return .failure(.message("the [c*] repeat construct may not appear in string1")) }
                    let octal = digits.first == 48
                    var n = 0
                    var valid = true
                    for d in digits {
                        guard d >= 48 && d <= (octal ? 55 : 57) else { valid = false; break }
                        n = min(n * (octal ? 8 : 10) + Int(d - 48), 1 << 30)
                    }
                    if valid {
                        if n == 0 { out.append(.fill(c)) } else { out += [Element](repeating: .byte(c), count: n) }
                        i = close + 1
                        continue
                    }
                    return .failure(.message(quoted(String(decoding: digits, as: UTF8.self)) + ": invalid repeat count in [c*n] construct"))
                }
                i = save
            }
            let c = character()
            if i + 1 < s.count && s[i] == UInt8(ascii: "-") {
                i += 1
                let end = character()
                guard end >= c else {
                    return .failure(.message("range-endpoints of '\(rangeText(c, end))' are in reverse collating sequence order"))
                }
                out += (c...end).map { .byte($0) }
                continue
            }
            out.append(.byte(c))
        }
        return .success(out)
    }

    static func rangeText(_ a: UInt8, _ b: UInt8) -> String { String(decoding: [a, 45, b], as: UTF8.self) }

    static func findClose(_ s: [UInt8], from: Int, _ mark: Unicode.Scalar) -> Int? {
        var j = from
        while j + 1 < s.count {
            if s[j] == UInt8(mark.value) && s[j + 1] == UInt8(ascii: "]") { return j }
            j += 1
        }
        return nil
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "tr")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let complement = parsed.has("complement"), delete = parsed.has("delete")
        let squeeze = parsed.has("squeeze-repeats"), truncate = parsed.has("truncate-set1")
        let operands = parsed.operands
        let translating = !delete && operands.count >= 2
        let needed = delete && squeeze ? 2 : (delete || squeeze && !translating ? 1 : 2)
        if operands.isEmpty { console.usage("missing operand"); return 1 }
        if operands.count < needed {
            console.usage((needed == 2 && delete ? "missing operand after " : "missing operand after ") + quoted(operands[0])
                          + (needed == 2 && !squeeze ? "\nTwo strings must be given when translating." : "\nTwo strings must be given when both deleting and squeezing repeats."))
            return 1
        }
        if operands.count > needed {
            console.usage("extra operand " + quoted(operands[needed])
                          + (delete && !squeeze && operands.count == 2 ? "\nOnly one string may be given when deleting without squeezing repeats." : ""))
            return 1
        }
        var set1: [UInt8] = []
        var caseClasses1: [Int] = []   // where SET1's [:upper:]/[:lower:] start
        switch parseSet(operands[0], isSet2: false) {
        case .failure(.message(let m)): console.error(m); return 1
        case .success(let elements):
            for e in elements {
                if case .byte(let b) = e { set1.append(b) } else { caseClasses1.append(set1.count) }
            }
        }
        if complement {
            var member = [Bool](repeating: false, count: 256)
            for b in set1 { member[Int(b)] = true }
            set1 = (0...255).filter { !member[$0] }.map { UInt8($0) }
        }
        var set2: [UInt8] = []
        if operands.count == 2 {
            switch parseSet(operands[1], isSet2: translating) {
            case .failure(.message(let m)): console.error(m); return 1
            case .success(let elements):
                // [c*] fills SET2 to SET1's length
                let fixed = elements.filter { if case .byte = $0 { return true }; return false }.count
                for e in elements {
                    switch e {
                    case .byte(let b): set2.append(b)
                    case .fill(let b): set2 += [UInt8](repeating: b, count: max(0, set1.count - fixed))
                    case .caseClass:
                        if translating && (complement || !caseClasses1.contains(set2.count)) {
                            console.error("misaligned [:upper:] and/or [:lower:] construct"); return 1
                        }
                    }
                }
            }
        }
        if translating && set2.isEmpty && !set1.isEmpty {
            console.error("when not truncating set1, string2 must be non-empty"); return 1
        }
        var map = (0...255).map { UInt8($0) }
        var deleted = [Bool](repeating: false, count: 256)
        var squeezed = [Bool](repeating: false, count: 256)
        if translating {
            let length = truncate ? min(set1.count, set2.count) : set1.count
            for i in 0..<length { map[Int(set1[i])] = i < set2.count ? set2[i] : set2[set2.count - 1] }
            if squeeze { for b in set2 { squeezed[Int(b)] = true } }
        } else {
            if delete { for b in set1 { deleted[Int(b)] = true } }
            let squeezeSet = delete ? set2 : set1
            if squeeze { for b in squeezeSet { squeezed[Int(b)] = true } }
        }
        var last: Int = -1
        let failure = forEachChunk(io.standardInput()) { chunk in
            for byte in chunk {
                if deleted[Int(byte)] { continue }
                let c = map[Int(byte)]
                if squeezed[Int(c)] && Int(c) == last { continue }
                last = Int(c)
                console.put(c)
            }
            return console.writeFailed == nil
        }
        if let failure { console.error("read error", failure) }
        return console.finish()
    }
}
