// Arithmetic.swift — arithmetic expansion (XCU 2.6.4): signed 64-bit integer expressions with the
// C operators (ISO C 6.5 precedence), variables by name, and assignment operators. The text is
// tokenized and parsed into a tree once — at parse time for a $(( … )) written without expansions
// inside, so a loop does not read its arithmetic again on every iteration — and the tree is
// evaluated; `live` false skips side effects on the untaken side of && || ?: (ISO C 6.5.13–6.5.15).
//
// dash evaluates while it parses (arith_yacc.c), so in a malformed expression the operands before
// the error are evaluated — assignments made, "division by zero" reported — before the syntax
// error is. The tree keeps that order: a syntax error becomes a node where the parser met it, and
// parse order is evaluation order (left operand, right operand, then the operator), so evaluation
// reaches it exactly when dash's parser would have.

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

enum ArithmeticUnaryOperator { case negate, plus, not, complement }

/// An expression tree. Parse order is evaluation order (see the header).
indirect enum ArithmeticNode {
    case number(Int)
    case variable(String)
    case unary(ArithmeticUnaryOperator, ArithmeticNode)
    case binary(ArithmeticOperator, ArithmeticNode, ArithmeticNode)
    case conditional(ArithmeticNode, ArithmeticNode, ArithmeticNode)
    /// name = value, or name op= value (nil: plain `=`).
    case assign(String, ArithmeticOperator?, ArithmeticNode)
    /// A syntax error met here.
    case syntaxError(String)
    /// The node, then a syntax error (a missing `)`, text after the expression).
    case syntaxErrorAfter(ArithmeticNode, String)
}

/// Where arithmetic reads and assigns variables (the shell).
protocol ArithmeticVariables {
    func arithmeticLookup(_ name: String) -> String?
    func arithmeticAssign(_ name: String, _ value: Int)
}

/// A parsed arithmetic expression, with its text for error messages (dash quotes it in them).
public struct ArithmeticExpression {
    let source: String
    let root: ArithmeticNode

    init(parsing source: String) {
        self.source = source
        var parser = ArithmeticParser()
        root = parser.parse(source)
    }

    func fail(_ what: String) -> ArithmeticError {
        ArithmeticError(message: "arithmetic expression: \(what): \"\(source)\"")
    }

    func evaluate<V: ArithmeticVariables>(_ variables: V) throws(ArithmeticError) -> Int {
        try evaluate(root, true, variables)
    }

    func evaluate<V: ArithmeticVariables>(_ node: ArithmeticNode, _ live: Bool, _ variables: V) throws(ArithmeticError) -> Int {
        switch node {
        case .number(let v):
            return v
        case .variable(let name):
            return live ? try value(of: name, variables) : 0
        case .unary(let op, let operand):
            let v = try evaluate(operand, live, variables)
            switch op {
            case .negate: return 0 &- v
            case .plus: return v
            case .not: return v == 0 ? 1 : 0
            case .complement: return ~v
            }
        case .binary(let op, let leftNode, let rightNode):
            let left = try evaluate(leftNode, live, variables)
            switch op {
            case .logicalAnd:
                let right = try evaluate(rightNode, live && left != 0, variables)
                return (left != 0 && right != 0) ? 1 : 0
            case .logicalOr:
                let right = try evaluate(rightNode, live && left == 0, variables)
                return (left != 0 || right != 0) ? 1 : 0
            default:
                let right = try evaluate(rightNode, live, variables)
                return live ? try apply(op, left, right) : 0
            }
        case .conditional(let condition, let ifTrue, let ifFalse):
            let c = try evaluate(condition, live, variables)
            let a = try evaluate(ifTrue, live && c != 0, variables)
            let b = try evaluate(ifFalse, live && c == 0, variables)
            return c != 0 ? a : b
        case .assign(let name, let op, let valueNode):
            var v = try evaluate(valueNode, live, variables)
            guard live else { return v }
            if let op { v = try apply(op, try value(of: name, variables), v) }
            variables.arithmeticAssign(name, v)
            return v
        case .syntaxError(let what):
            throw fail(what)
        case .syntaxErrorAfter(let operand, let what):
            _ = try evaluate(operand, live, variables)
            throw fail(what)
        }
    }

    func value<V: ArithmeticVariables>(of name: String, _ variables: V) throws(ArithmeticError) -> Int {
        guard let s = variables.arithmeticLookup(name), !s.isEmpty else { return 0 }
        guard let v = parseArithmeticNumber(s.utf8) else {
            throw ArithmeticError(message: "Illegal number: \(s)")
        }
        return v
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
}

/// Parses an integer constant as C does: 0x hex, leading-0 octal, else decimal, with optional
/// blanks around and a sign; saturating as strtoimax. nil if anything else is in the text.
/// One pass over the bytes, so a variable's value is read where it is stored.
func parseArithmeticNumber<S: Sequence>(_ bytes: S) -> Int? where S.Element == UInt8 {
    @inline(__always) func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 }
    var state = NumberState.leading
    var negative = false
    var radix = 10
    var v = 0
    for c in bytes {
        switch state {
        case .leading where isBlank(c):
            continue
        case .leading, .sign:
            if state == .leading && (c == 45 || c == 43) { negative = c == 45; state = .sign; continue }
            if isBlank(c) { return nil }   // a blank after the sign
            if c == 48 { state = .zero; continue }
            fallthrough
        case .digits:
            if isBlank(c) { state = .trailing; continue }
            let d: Int
            if c >= 48 && c <= 57 { d = Int(c) - 48 }
            else if c >= 97 && c <= 102 { d = Int(c) - 87 }
            else if c >= 65 && c <= 70 { d = Int(c) - 55 }
            else { return nil }
            guard d < radix else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            v = o1 || o2 ? Int.max : a
            state = .digits
        case .zero:
            // A leading 0: "0x" starts hex, another digit octal; "0" alone is zero.
            if c == 120 || c == 88 { radix = 16; state = .hexPrefix; continue }
            if isBlank(c) { state = .trailing; continue }
            radix = 8
            state = .digits
            guard c >= 48 && c <= 55 else { return nil }
            v = Int(c) - 48
        case .hexPrefix:
            guard let d = hexDigit(c) else { return nil }
            v = d
            state = .digits
        case .trailing:
            guard isBlank(c) else { return nil }
        }
    }
    switch state {
    case .leading, .sign, .hexPrefix: return nil
    case .zero, .digits, .trailing: return negative ? 0 &- v : v
    }
}

/// Where parseArithmeticNumber is in the text: before it, after a sign, after a leading 0,
/// after "0x", in the digits, in the blanks after them.
private enum NumberState { case leading, sign, zero, hexPrefix, digits, trailing }

private func hexDigit(_ c: UInt8) -> Int? {
    if c >= 48 && c <= 57 { return Int(c) - 48 }
    if c >= 97 && c <= 102 { return Int(c) - 87 }
    if c >= 65 && c <= 70 { return Int(c) - 55 }
    return nil
}

enum ArithmeticToken {
    case number(Int)
    case name(String)
    case binary(ArithmeticOperator)
    /// `=` (nil) or `op=`.
    case assign(ArithmeticOperator?)
    case not, complement, leftParen, rightParen, question, colon, end
}

struct ArithmeticSyntaxError: Error { var what: String }

/// Builds the tree by precedence climbing, in the order dash's evaluating parser reads. At the
/// first syntax error it returns what it has with the error node last, and reads no further.
struct ArithmeticParser {
    var tokens: [ArithmeticToken] = []
    var index = 0
    var failed = false

    mutating func parse(_ source: String) -> ArithmeticNode {
        do { try tokenize(source) } catch { return .syntaxError(error.what) }
        let root = assignment()
        if failed { return root }
        guard case .end = tokens[index] else { return .syntaxErrorAfter(root, "expecting EOF") }
        return root
    }

    mutating func error(_ what: String) -> ArithmeticNode {
        failed = true
        return .syntaxError(what)
    }

    // assignment := name (= | op=) assignment | conditional
    mutating func assignment() -> ArithmeticNode {
        // The `.end` token that closes the list makes tokens[index + 1] exist after a name.
        if case .name(let name) = tokens[index], case .assign(let op) = tokens[index + 1] {
            index += 2
            return .assign(name, op, assignment())
        }
        return conditional()
    }

    // conditional := binary(1) [? assignment : conditional]
    mutating func conditional() -> ArithmeticNode {
        let c = binary(1)
        guard !failed, case .question = tokens[index] else { return c }
        index += 1
        let a = assignment()
        if failed { return .conditional(c, a, .number(0)) }
        guard case .colon = tokens[index] else { return .conditional(c, a, error("expecting ':'")) }
        index += 1
        return .conditional(c, a, conditional())
    }

    /// Precedence climbing over the binary operators of at least `minimum` precedence.
    mutating func binary(_ minimum: Int) -> ArithmeticNode {
        var left = unary()
        while !failed, case .binary(let op) = tokens[index], op.precedence >= minimum {
            index += 1
            left = .binary(op, left, binary(op.precedence + 1))
        }
        return left
    }

    mutating func unary() -> ArithmeticNode {
        switch tokens[index] {
        case .binary(.subtract): index += 1; return .unary(.negate, unary())
        case .binary(.add): index += 1; return .unary(.plus, unary())
        case .not: index += 1; return .unary(.not, unary())
        case .complement: index += 1; return .unary(.complement, unary())
        default: return primary()
        }
    }

    mutating func primary() -> ArithmeticNode {
        switch tokens[index] {
        case .leftParen:
            index += 1
            let inner = assignment()
            if failed { return inner }
            guard case .rightParen = tokens[index] else {
                failed = true
                return .syntaxErrorAfter(inner, "expecting ')'")
            }
            index += 1
            return inner
        case .number(let v):
            index += 1
            return .number(v)
        case .name(let name):
            index += 1
            return .variable(name)
        default:
            return error("expecting primary")
        }
    }

    mutating func tokenize(_ source: String) throws(ArithmeticSyntaxError) {
        let t = Array(source.utf8)
        var i = 0
        func at(_ k: Int) -> UInt8 { i + k < t.count ? t[i + k] : 0 }
        while i < t.count {
            let c = t[i]
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            if isDigit(c) {
                var end = i
                while end < t.count && isNameChar(t[end]) { end += 1 }
                guard let v = parseArithmeticNumber(t[i..<end]) else { throw ArithmeticSyntaxError(what: "expecting EOF") }
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
            default: throw ArithmeticSyntaxError(what: "expecting EOF")
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
}
