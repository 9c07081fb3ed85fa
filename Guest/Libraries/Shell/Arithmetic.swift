// Arithmetic.swift — arithmetic expansion (XCU 2.6.4): signed 64-bit integer expressions with the
// C operators (ISO C 6.5 precedence), variables by name, and assignment operators. The text is
// tokenized once, then evaluated by precedence climbing; `live` false skips side effects on the
// untaken side of && || ?: (ISO C 6.5.13–6.5.15).

public struct ArithmeticError: Error {
    public var message: String
}

/// Binary operators, with their ISO C precedence (higher binds tighter).
enum ArithmeticOperator: UInt8 {
    case multiply, divide, remainder, add, subtract, shiftLeft, shiftRight
    case less, lessEqual, greater, greaterEqual, equal, notEqual
    case bitAnd, bitXor, bitOr, logicalAnd, logicalOr

    var precedence: Int {
        switch self {
        case .multiply, .divide, .remainder: return 10
        case .add, .subtract: return 9
        case .shiftLeft, .shiftRight: return 8
        case .less, .lessEqual, .greater, .greaterEqual: return 7
        case .equal, .notEqual: return 6
        case .bitAnd: return 5
        case .bitXor: return 4
        case .bitOr: return 3
        case .logicalAnd: return 2
        case .logicalOr: return 1
        }
    }
}

enum ArithmeticToken {
    case number(Int)
    case name(String)
    case binary(ArithmeticOperator)
    /// `=` (nil) or `op=`.
    case assign(ArithmeticOperator?)
    case not, complement, leftParen, rightParen, question, colon, end
}

struct ArithmeticEvaluator {
    let source: String
    var tokens: [ArithmeticToken] = []
    var index = 0
    let lookup: (String) -> String?
    let assign: (String, String) -> Bool

    static func evaluate(_ text: String, lookup: @escaping (String) -> String?,
                         assign: @escaping (String, String) -> Bool) throws(ArithmeticError) -> Int {
        var e = ArithmeticEvaluator(source: text, lookup: lookup, assign: assign)
        try e.tokenize()
        let v = try e.assignment(true)
        guard case .end = e.tokens[e.index] else { throw e.fail("expecting EOF") }
        return v
    }

    func fail(_ what: String) -> ArithmeticError {
        ArithmeticError(message: "arithmetic expression: \(what): \"\(source)\"")
    }

    mutating func tokenize() throws(ArithmeticError) {
        let t = Array(source.utf8)
        var i = 0
        func at(_ k: Int) -> UInt8 { i + k < t.count ? t[i + k] : 0 }
        while i < t.count {
            let c = t[i]
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            if isDigit(c) {
                var end = i
                while end < t.count && isNameChar(t[end]) { end += 1 }
                guard let v = ArithmeticEvaluator.parseNumber(Array(t[i..<end])) else { throw fail("expecting EOF") }
                tokens.append(.number(v))
                i = end
                continue
            }
            if isNameStart(c) {
                var end = i
                while end < t.count && isNameChar(t[end]) { end += 1 }
                tokens.append(.name(String(decoding: t[i..<end], as: UTF8.self)))
                i = end
                continue
            }
            let n = at(1)
            var token: ArithmeticToken
            var length = 1
            switch c {
            case 40: token = .leftParen
            case 41: token = .rightParen
            case 63: token = .question
            case 58: token = .colon
            case 126: token = .complement
            case 33: if n == 61 { token = .binary(.notEqual); length = 2 } else { token = .not }
            case 61: if n == 61 { token = .binary(.equal); length = 2 } else { token = .assign(nil) }
            case 42: token = .binary(.multiply)
            case 47: token = .binary(.divide)
            case 37: token = .binary(.remainder)
            case 43: token = .binary(.add)
            case 45: token = .binary(.subtract)
            case 94: token = .binary(.bitXor)
            case 38: if n == 38 { token = .binary(.logicalAnd); length = 2 } else { token = .binary(.bitAnd) }
            case 124: if n == 124 { token = .binary(.logicalOr); length = 2 } else { token = .binary(.bitOr) }
            case 60:
                if n == 60 { token = .binary(.shiftLeft); length = 2 }
                else if n == 61 { token = .binary(.lessEqual); length = 2 }
                else { token = .binary(.less) }
            case 62:
                if n == 62 { token = .binary(.shiftRight); length = 2 }
                else if n == 61 { token = .binary(.greaterEqual); length = 2 }
                else { token = .binary(.greater) }
            default: throw fail("expecting EOF")
            }
            // op= for the operators that have an assignment form.
            if case .binary(let op) = token, at(length) == 61 {
                switch op {
                case .multiply, .divide, .remainder, .add, .subtract, .shiftLeft, .shiftRight, .bitAnd, .bitXor, .bitOr:
                    token = .assign(op); length += 1
                default: break
                }
            }
            tokens.append(token)
            i += length
        }
        tokens.append(.end)
    }

    /// Parses an integer constant as C does: 0x hex, leading-0 octal, else decimal; saturating
    /// as strtoimax.
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

    // assignment := name (= | op=) assignment | conditional
    mutating func assignment(_ live: Bool) throws(ArithmeticError) -> Int {
        if case .name(let name) = tokens[index], case .assign(let op) = tokens[index + 1] {
            index += 2
            let rhs = try assignment(live)
            guard live else { return rhs }
            var v = rhs
            if let op { v = try apply(op, try value(of: name), rhs) }
            _ = assign(name, String(v))
            return v
        }
        return try conditional(live)
    }

    // conditional := binary(1) [? assignment : conditional]
    mutating func conditional(_ live: Bool) throws(ArithmeticError) -> Int {
        let c = try binary(1, live)
        guard case .question = tokens[index] else { return c }
        index += 1
        let a = try assignment(live && c != 0)
        guard case .colon = tokens[index] else { throw fail("expecting ':'") }
        index += 1
        let b = try conditional(live && c == 0)
        return c != 0 ? a : b
    }

    /// Precedence climbing over the binary operators of at least `minimum` precedence.
    mutating func binary(_ minimum: Int, _ live: Bool) throws(ArithmeticError) -> Int {
        var left = try unary(live)
        while case .binary(let op) = tokens[index], op.precedence >= minimum {
            index += 1
            switch op {
            case .logicalAnd:
                let right = try binary(op.precedence + 1, live && left != 0)
                left = (left != 0 && right != 0) ? 1 : 0
            case .logicalOr:
                let right = try binary(op.precedence + 1, live && left == 0)
                left = (left != 0 || right != 0) ? 1 : 0
            default:
                let right = try binary(op.precedence + 1, live)
                left = live ? try apply(op, left, right) : 0
            }
        }
        return left
    }

    func apply(_ op: ArithmeticOperator, _ a: Int, _ b: Int) throws(ArithmeticError) -> Int {
        switch op {
        case .add: return a &+ b
        case .subtract: return a &- b
        case .multiply: return a &* b
        case .divide, .remainder:
            guard b != 0 else { throw fail("division by zero") }
            if a == Int.min && b == -1 { return op == .divide ? a : 0 }
            return op == .divide ? a / b : a % b
        case .shiftLeft: return a << (b & 63)
        case .shiftRight: return a >> (b & 63)
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .bitAnd: return a & b
        case .bitXor: return a ^ b
        case .bitOr: return a | b
        case .logicalAnd: return (a != 0 && b != 0) ? 1 : 0
        case .logicalOr: return (a != 0 || b != 0) ? 1 : 0
        }
    }

    mutating func unary(_ live: Bool) throws(ArithmeticError) -> Int {
        switch tokens[index] {
        case .binary(.subtract): index += 1; return 0 &- (try unary(live))
        case .binary(.add): index += 1; return try unary(live)
        case .not: index += 1; return try unary(live) == 0 ? 1 : 0
        case .complement: index += 1; return ~(try unary(live))
        default: return try primary(live)
        }
    }

    mutating func primary(_ live: Bool) throws(ArithmeticError) -> Int {
        switch tokens[index] {
        case .leftParen:
            index += 1
            let v = try assignment(live)
            guard case .rightParen = tokens[index] else { throw fail("expecting ')'") }
            index += 1
            return v
        case .number(let v):
            index += 1
            return v
        case .name(let name):
            index += 1
            return live ? try value(of: name) : 0
        default:
            throw fail("expecting primary")
        }
    }
}
