// Arithmetic.swift — arithmetic expansion (XCU 2.6.4): signed 64-bit integer expressions with the
// C operators (ISO C 6.5 precedence), variables by name, and assignment operators.

public struct ArithmeticError: Error {
    public var message: String
}

/// Evaluates one expression. `lookup` reads a variable, `assign` sets one.
struct ArithmeticEvaluator {
    let text: [UInt8]
    var pos = 0
    let lookup: (String) -> String?
    let assign: (String, String) -> Bool

    init(_ text: String, lookup: @escaping (String) -> String?, assign: @escaping (String, String) -> Bool) {
        self.text = Array(text.utf8)
        self.lookup = lookup
        self.assign = assign
    }

    static func evaluate(_ text: String, lookup: @escaping (String) -> String?,
                         assign: @escaping (String, String) -> Bool) throws(ArithmeticError) -> Int {
        var e = ArithmeticEvaluator(text, lookup: lookup, assign: assign)
        let v = try e.assignment(true)
        e.skipSpace()
        if e.pos < e.text.count { throw e.fail("expecting EOF") }
        return v
    }

    func fail(_ what: String) -> ArithmeticError {
        ArithmeticError(message: "arithmetic expression: \(what): \"\(String(decoding: text, as: UTF8.self))\"")
    }

    mutating func skipSpace() {
        while pos < text.count, text[pos] == 32 || text[pos] == 9 || text[pos] == 10 || text[pos] == 13 { pos += 1 }
    }

    /// Consumes `op` if it is next (and is not the start of a longer operator in `unless`).
    mutating func take(_ op: String, unless longer: [String] = []) -> Bool {
        skipSpace()
        let o = Array(op.utf8)
        guard pos + o.count <= text.count, text[pos..<(pos + o.count)].elementsEqual(o) else { return false }
        for l in longer {
            let b = Array(l.utf8)
            if pos + b.count <= text.count && text[pos..<(pos + b.count)].elementsEqual(b) { return false }
        }
        pos += o.count
        return true
    }

    /// Parses an integer constant as C does: 0x hex, leading-0 octal, else decimal.
    static func parseNumber(_ s: [UInt8]) -> Int? {
        var i = 0
        while i < s.count && (s[i] == 32 || s[i] == 9 || s[i] == 10) { i += 1 }
        var end = s.count
        while end > i && (s[end - 1] == 32 || s[end - 1] == 9 || s[end - 1] == 10) { end -= 1 }
        var negative = false
        if i < end && (s[i] == 45 || s[i] == 43) { negative = s[i] == 45; i += 1 }
        guard i < end else { return nil }
        var radix = 10
        if s[i] == 48 && i + 1 < end && (s[i + 1] == 120 || s[i + 1] == 88) { radix = 16; i += 2; guard i < end else { return nil } }
        else if s[i] == 48 && i + 1 < end { radix = 8; i += 1 }
        var v = 0
        while i < end {
            let c = s[i]
            let d: Int
            if c >= 48 && c <= 57 { d = Int(c) - 48 }
            else if c >= 97 && c <= 102 { d = Int(c) - 87 }
            else if c >= 65 && c <= 70 { d = Int(c) - 55 }
            else { return nil }
            guard d < radix else { return nil }
            // Saturates as strtoimax does.
            let (m, o1) = v.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            v = o1 || o2 ? Int.max : a
            i += 1
        }
        return negative ? 0 &- v : v
    }

    func value(of name: String) throws(ArithmeticError) -> Int {
        guard let s = lookup(name), !s.isEmpty else { return 0 }
        guard let v = ArithmeticEvaluator.parseNumber(Array(s.utf8)) else {
            throw ArithmeticError(message: "Illegal number: \(s)")
        }
        return v
    }

    // assignment: name op= assignment | conditional
    mutating func assignment(_ live: Bool) throws(ArithmeticError) -> Int {
        skipSpace()
        let save = pos
        if pos < text.count, isNameStart(text[pos]) {
            var end = pos
            while end < text.count && isNameChar(text[end]) { end += 1 }
            let name = String(decoding: text[pos..<end], as: UTF8.self)
            pos = end
            skipSpace()
            let ops = ["<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "="]
            for op in ops {
                let o = Array(op.utf8)
                if pos + o.count <= text.count && text[pos..<(pos + o.count)].elementsEqual(o) {
                    if op == "=" && pos + 1 < text.count && text[pos + 1] == 61 { break }
                    pos += o.count
                    let rhs = try assignment(live)
                    guard live else { return rhs }
                    var v = rhs
                    if op != "=" {
                        let old = try value(of: name)
                        v = try binary(String(op.dropLast()), old, rhs)
                    }
                    _ = assign(name, String(v))
                    return v
                }
            }
            pos = save
        }
        return try conditional(live)
    }

    mutating func conditional(_ live: Bool) throws(ArithmeticError) -> Int {
        let c = try binaryLevel(0, live)
        if take("?") {
            let a = try assignment(live && c != 0)
            guard take(":") else { throw fail("expecting ':'") }
            let b = try conditional(live && c == 0)
            return c != 0 ? a : b
        }
        return c
    }

    /// Binary operators by precedence, lowest first (ISO C 6.5.5–6.5.14).
    static let levels: [[String]] = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="],
                                     ["<=", ">=", "<", ">"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]]

    mutating func binaryLevel(_ level: Int, _ live: Bool) throws(ArithmeticError) -> Int {
        if level == ArithmeticEvaluator.levels.count { return try unary(live) }
        var left = try binaryLevel(level + 1, live)
        outer: while true {
            for op in ArithmeticEvaluator.levels[level] {
                // Do not take `|` of `||`, `&` of `&&`, `<` of `<<`, or an assignment operator.
                var longer: [String] = [op + "="]
                if op == "|" || op == "&" || op == "<" || op == ">" { longer.append(op + op) }
                if op == "<<" || op == ">>" { longer = [op + "="] }
                if op == "==" || op == "!=" || op == "<=" || op == ">=" { longer = [] }
                if take(op, unless: longer) {
                    if op == "&&" {
                        let right = try binaryLevel(level + 1, live && left != 0)
                        left = (left != 0 && right != 0) ? 1 : 0
                    } else if op == "||" {
                        let right = try binaryLevel(level + 1, live && left == 0)
                        left = (left != 0 || right != 0) ? 1 : 0
                    } else {
                        let right = try binaryLevel(level + 1, live)
                        left = live ? try binary(op, left, right) : 0
                    }
                    continue outer
                }
            }
            return left
        }
    }

    func binary(_ op: String, _ a: Int, _ b: Int) throws(ArithmeticError) -> Int {
        switch op {
        case "+": return a &+ b
        case "-": return a &- b
        case "*": return a &* b
        case "/", "%":
            guard b != 0 else { throw ArithmeticError(message: "arithmetic expression: division by zero: \"\(String(decoding: text, as: UTF8.self))\"") }
            if a == Int.min && b == -1 { return op == "/" ? a : 0 }
            return op == "/" ? a / b : a % b
        case "<<": return a << (b & 63)
        case ">>": return a >> (b & 63)
        case "<": return a < b ? 1 : 0
        case "<=": return a <= b ? 1 : 0
        case ">": return a > b ? 1 : 0
        case ">=": return a >= b ? 1 : 0
        case "==": return a == b ? 1 : 0
        case "!=": return a != b ? 1 : 0
        case "&": return a & b
        case "^": return a ^ b
        case "|": return a | b
        default: throw fail("unknown operator")
        }
    }

    mutating func unary(_ live: Bool) throws(ArithmeticError) -> Int {
        skipSpace()
        if take("-") { return 0 &- (try unary(live)) }
        if take("+") { return try unary(live) }
        if take("!", unless: ["!="]) { return try unary(live) == 0 ? 1 : 0 }
        if take("~") { return ~(try unary(live)) }
        return try primary(live)
    }

    mutating func primary(_ live: Bool) throws(ArithmeticError) -> Int {
        skipSpace()
        guard pos < text.count else { throw fail("expecting primary") }
        let c = text[pos]
        if c == 40 {
            pos += 1
            let v = try assignment(live)
            guard take(")") else { throw fail("expecting ')'") }
            return v
        }
        if isDigit(c) {
            var end = pos
            while end < text.count && isNameChar(text[end]) { end += 1 }
            guard let v = ArithmeticEvaluator.parseNumber(Array(text[pos..<end])) else { throw fail("expecting EOF") }
            pos = end
            return v
        }
        if isNameStart(c) {
            var end = pos
            while end < text.count && isNameChar(text[end]) { end += 1 }
            let name = String(decoding: text[pos..<end], as: UTF8.self)
            pos = end
            return live ? try value(of: name) : 0
        }
        throw fail("expecting primary")
    }
}
