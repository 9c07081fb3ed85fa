// Expr.swift — expr EXPRESSION (POSIX.1-2017 "expr"; GNU's length, substr, index, match and "+").
// GNU's grammar, lowest precedence first: | & (= == != < <= > >=) (+ -) (* / %) (:) then the
// keywords and ( ). Integers are exact at any size, as GNU's (GMP) are. Exit status: 0 when the
// result is neither empty nor 0, 1 when it is, 2 for an invalid expression, 3 for other errors.

/// A decimal integer of any size: sign and magnitude, digits least significant first.
struct BigDecimal: Equatable {
    var negative = false
    var digits: [UInt8] = []    // no leading (most significant) zeros; zero is []

    init(_ text: Substring) {
        var t = text
        if t.first == "-" { negative = true; t = t.dropFirst() }
        digits = t.utf8.reversed().map { $0 - 48 }
        normalize()
    }
    init(_ value: Int) { self.init(Substring(String(value))) }
    init(negative: Bool, digits: [UInt8]) { self.negative = negative; self.digits = digits; normalize() }

    mutating func normalize() {
        while digits.last == 0 { digits.removeLast() }
        if digits.isEmpty { negative = false }
    }

    var text: String {
        digits.isEmpty ? "0" : (negative ? "-" : "") + String(decoding: digits.reversed().map { $0 + 48 }, as: UTF8.self)
    }

    static func compareMagnitude(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    static func compare(_ a: BigDecimal, _ b: BigDecimal) -> Int {
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let m = compareMagnitude(a.digits, b.digits)
        return a.negative ? -m : m
    }

    static func addMagnitude(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var carry: UInt8 = 0
        for i in 0..<max(a.count, b.count) {
            let s = (i < a.count ? a[i] : 0) + (i < b.count ? b[i] : 0) + carry
            out.append(s % 10)
            carry = s / 10
        }
        if carry > 0 { out.append(carry) }
        return out
    }

    /// a - b for |a| >= |b|.
    static func subtractMagnitude(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var borrow = 0
        for i in 0..<a.count {
            var d = Int(a[i]) - borrow - (i < b.count ? Int(b[i]) : 0)
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 10 }
            out.append(UInt8(d))
        }
        return out
    }

    static func + (a: BigDecimal, b: BigDecimal) -> BigDecimal {
        if a.negative == b.negative { return BigDecimal(negative: a.negative, digits: addMagnitude(a.digits, b.digits)) }
        if compareMagnitude(a.digits, b.digits) >= 0 { return BigDecimal(negative: a.negative, digits: subtractMagnitude(a.digits, b.digits)) }
        return BigDecimal(negative: b.negative, digits: subtractMagnitude(b.digits, a.digits))
    }

    static prefix func - (a: BigDecimal) -> BigDecimal { BigDecimal(negative: !a.negative, digits: a.digits) }

    static func * (a: BigDecimal, b: BigDecimal) -> BigDecimal {
        var out = [Int](repeating: 0, count: a.digits.count + b.digits.count + 1)
        for (i, x) in a.digits.enumerated() {
            for (j, y) in b.digits.enumerated() { out[i + j] += Int(x) * Int(y) }
        }
        var carry = 0
        for k in out.indices { let v = out[k] + carry; out[k] = v % 10; carry = v / 10 }
        return BigDecimal(negative: a.negative != b.negative, digits: out.map { UInt8($0) })
    }

    /// Quotient truncated toward zero and the remainder with the dividend's sign (C's / and %);
    /// nil for a zero divisor.
    static func divide(_ a: BigDecimal, _ b: BigDecimal) -> (BigDecimal, BigDecimal)? {
        guard !b.digits.isEmpty else { return nil }
        var quotient = [UInt8](repeating: 0, count: a.digits.count)
        var remainder: [UInt8] = []
        var i = a.digits.count - 1
        while i >= 0 {
            remainder.insert(a.digits[i], at: 0)
            while remainder.last == 0 { remainder.removeLast() }
            var q: UInt8 = 0
            while compareMagnitude(remainder, b.digits) >= 0 {
                remainder = subtractMagnitude(remainder, b.digits)
                while remainder.last == 0 { remainder.removeLast() }
                q += 1
            }
            quotient[i] = q
            i -= 1
        }
        return (BigDecimal(negative: a.negative != b.negative, digits: quotient), BigDecimal(negative: a.negative, digits: remainder))
    }
}

public enum Expr {
    enum Failure: Error { case invalid(String), other(String) }

    enum Value {
        case integer(BigDecimal)
        case string(String)

        var text: String {
            switch self {
            case .integer(let n): return n.text
            case .string(let s): return s
            }
        }

        /// GNU's null(): the empty string, or only zeros after an optional "-".
        var isNull: Bool {
            switch self {
            case .integer(let n): return n.digits.isEmpty
            case .string(let s):
                if s.isEmpty { return true }
                var b = Substring(s)
                if b.first == "-" { b = b.dropFirst() }
                return !b.isEmpty && b.utf8.allSatisfy { $0 == 48 }
            }
        }

        var integer: BigDecimal? {
            switch self {
            case .integer(let n): return n
            case .string(let s): return Expr.looksLikeInteger(s) ? BigDecimal(Substring(s)) : nil
            }
        }
    }

    static func looksLikeInteger(_ s: String) -> Bool {
        var b = Substring(s)
        if b.first == "-" { b = b.dropFirst() }
        return !b.isEmpty && b.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    struct Parser {
        let args: [String]
        var i = 0

        var atEnd: Bool { i >= args.count }
        mutating func next(_ word: String) -> Bool {
            if i < args.count && args[i] == word { i += 1; return true }
            return false
        }

        mutating func missingArgument() -> Failure {
            .invalid(i == 0 ? "syntax error: missing argument" : "syntax error: missing argument after " + quoted(args[i - 1]))
        }

        mutating func primary(_ evaluate: Bool) throws(Failure) -> Value {
            if atEnd { throw missingArgument() }
            if next("(") {
                let v = try expression(evaluate)
                if atEnd { throw .invalid("syntax error: expecting ')' after " + quoted(args[i - 1])) }
                if !next(")") { throw .invalid("syntax error: expecting ')' instead of " + quoted(args[i])) }
                return v
            }
            if next(")") { throw .invalid("syntax error: unexpected ')'") }
            i += 1
            return .string(args[i - 1])
        }

        mutating func keyword(_ evaluate: Bool) throws(Failure) -> Value {
            if next("+") {
                if atEnd { throw missingArgument() }
                i += 1
                return .string(args[i - 1])
            }
            if next("length") {
                let r = try keyword(evaluate)
                return .integer(BigDecimal(r.text.utf8.count))
            }
            if next("match") {
                let l = try keyword(evaluate), r = try keyword(evaluate)
                return evaluate ? try colon(l, r) : .integer(BigDecimal(0))
            }
            if next("index") {
                let l = Array(try keyword(evaluate).text.utf8), r = Array(try keyword(evaluate).text.utf8)
                let position = l.firstIndex(where: { r.contains($0) }).map { $0 + 1 } ?? 0
                return .integer(BigDecimal(position))
            }
            if next("substr") {
                let s = Array(try keyword(evaluate).text.utf8)
                let p = try keyword(evaluate), n = try keyword(evaluate)
                // GNU: a position or length that is not a positive number gives "".
                guard let position = p.integer.flatMap({ small($0) }), let length = n.integer.flatMap({ small($0) }),
                      position >= 1, length >= 1, position <= s.count else { return .string("") }
                let end = min(s.count, position - 1 + min(length, s.count))
                return .string(String(decoding: s[(position - 1)..<end], as: UTF8.self))
            }
            return try primary(evaluate)
        }

        func small(_ n: BigDecimal) -> Int? {
            if n.digits.count > 15 { return n.negative ? -1 : Int.max / 4 }
            return Int(n.text)
        }

        func colon(_ l: Value, _ r: Value) throws(Failure) -> Value {
            let pattern: BasicRegex
            switch BasicRegex.compile(Array(r.text.utf8)) {
            case .success(let p): pattern = p
            case .failure(let e): throw .invalid(e.message)
            }
            let subject = Array(l.text.utf8)
            guard let m = pattern.matchPrefix(subject) else {
                return pattern.groupCount > 0 ? .string("") : .integer(BigDecimal(0))
            }
            if pattern.groupCount > 0 {
                guard let g = m.groups[1] else { return .string("") }
                return .string(String(decoding: subject[g], as: UTF8.self))
            }
            return .integer(BigDecimal(m.end))
        }

        mutating func colonLevel(_ evaluate: Bool) throws(Failure) -> Value {
            var l = try keyword(evaluate)
            while next(":") {
                let r = try keyword(evaluate)
                if evaluate { l = try colon(l, r) }
            }
            return l
        }

        func arithmetic(_ l: Value, _ r: Value) throws(Failure) -> (BigDecimal, BigDecimal) {
            guard let a = l.integer, let b = r.integer else { throw .invalid("non-integer argument") }
            return (a, b)
        }

        mutating func product(_ evaluate: Bool) throws(Failure) -> Value {
            var l = try colonLevel(evaluate)
            while true {
                let op: Int
                if next("*") { op = 0 } else if next("/") { op = 1 } else if next("%") { op = 2 } else { return l }
                let r = try colonLevel(evaluate)
                guard evaluate else { continue }
                let (a, b) = try arithmetic(l, r)
                if op == 0 { l = .integer(a * b); continue }
                guard let (q, m) = BigDecimal.divide(a, b) else { throw .invalid("division by zero") }
                l = .integer(op == 1 ? q : m)
            }
        }

        mutating func sum(_ evaluate: Bool) throws(Failure) -> Value {
            var l = try product(evaluate)
            while true {
                let plus: Bool
                if next("+") { plus = true } else if next("-") { plus = false } else { return l }
                let r = try product(evaluate)
                guard evaluate else { continue }
                let (a, b) = try arithmetic(l, r)
                l = .integer(plus ? a + b : a + -b)
            }
        }

        mutating func comparison(_ evaluate: Bool) throws(Failure) -> Value {
            var l = try sum(evaluate)
            while true {
                let ops = ["<", "<=", "=", "==", "!=", ">=", ">"]
                guard let op = ops.first(where: { next($0) }) else { return l }
                let r = try sum(evaluate)
                guard evaluate else { continue }
                let order: Int
                if looksLikeInteger(l.text) && looksLikeInteger(r.text) {
                    order = BigDecimal.compare(BigDecimal(Substring(l.text)), BigDecimal(Substring(r.text)))
                } else {
                    let a = Array(l.text.utf8), b = Array(r.text.utf8)
                    order = a == b ? 0 : a.lexicographicallyPrecedes(b) ? -1 : 1
                }
                let truth: Bool
                switch op {
                case "<": truth = order < 0
                case "<=": truth = order <= 0
                case "=", "==": truth = order == 0
                case "!=": truth = order != 0
                case ">=": truth = order >= 0
                default: truth = order > 0
                }
                l = .integer(BigDecimal(truth ? 1 : 0))
            }
        }

        mutating func conjunction(_ evaluate: Bool) throws(Failure) -> Value {
            var l = try comparison(evaluate)
            while next("&") {
                let r = try comparison(evaluate && !l.isNull)
                if l.isNull || r.isNull { l = .integer(BigDecimal(0)) }
            }
            return l
        }

        mutating func expression(_ evaluate: Bool) throws(Failure) -> Value {
            var l = try conjunction(evaluate)
            while next("|") {
                let r = try conjunction(evaluate && l.isNull)
                if l.isNull { l = r.isNull ? .integer(BigDecimal(0)) : r }
            }
            return l
        }
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "expr")
        var args = arguments
        if args.first == "--" { args.removeFirst() }
        guard !args.isEmpty else { console.usage("missing operand"); return 2 }
        var parser = Parser(args: args)
        do throws(Failure) {
            let v = try parser.expression(true)
            if !parser.atEnd { throw .invalid("syntax error: unexpected argument " + quoted(args[parser.i])) }
            console.put(v.text)
            console.put(10)
            let status = console.finish(failure: 3)
            return status != 0 ? status : v.isNull ? 1 : 0
        } catch {
            switch error {
            case .invalid(let m): console.error(m); return 2
            case .other(let m): console.error(m); return 3
            }
        }
    }
}
