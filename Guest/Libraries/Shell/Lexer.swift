// Lexer.swift — token recognition (XCU 2.3) and the quoting/expansion structure of words (XCU 2.2,
// 2.6): the character-level half of the parser. Words come out already split into WordParts.

/// A syntax error, reported as dash does: "sh: LINE: Syntax error: MESSAGE".
public struct SyntaxError: Error {
    public var line: Int
    public var message: String
}

enum TokenKind: Equatable {
    case word, ioNumber, newline, eof
    case andIf, orIf, doubleSemicolon, semicolon, ampersand, pipe, leftParen, rightParen
    case less, great, doubleGreat, clobber, lessAnd, greatAnd, lessGreat, doubleLess, doubleLessDash
}

struct Token {
    var kind: TokenKind
    var word: Word = []
    var start: Int = 0
    var end: Int = 0
    var line: Int = 0

    /// The text of an unquoted plain word (candidate reserved word, alias, name), else nil.
    var plainText: String? {
        guard kind == .word || kind == .ioNumber, word.count == 1, case .literal(let s) = word[0] else { return nil }
        return s
    }

    /// How dash names the token in "… unexpected" messages.
    var description: String {
        switch kind {
        case .word, .ioNumber: return plainText.map { "\"\($0)\"" } ?? "word"
        case .newline: return "newline"
        case .eof: return "end of file"
        case .andIf: return "\"&&\""
        case .orIf: return "\"||\""
        case .doubleSemicolon: return "\";;\""
        case .semicolon: return "\";\""
        case .ampersand: return "\"&\""
        case .pipe: return "\"|\""
        case .leftParen: return "\"(\""
        case .rightParen: return "\")\""
        case .less: return "\"<\""
        case .great: return "\">\""
        case .doubleGreat: return "\">>\""
        case .clobber: return "\">|\""
        case .lessAnd: return "\"<&\""
        case .greatAnd: return "\">&\""
        case .lessGreat: return "\"<>\""
        case .doubleLess: return "\"<<\""
        case .doubleLessDash: return "\"<<-\""
        }
    }
}

/// Where a run of word characters stops and how quoting works there.
enum WordContext {
    case unquoted, doubleQuoted, braceUnquoted, braceDoubleQuoted, hereDocument, arithmetic
    var isQuoted: Bool { self == .doubleQuoted || self == .braceDoubleQuoted || self == .hereDocument }
}

@inline(__always) func isNameStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
@inline(__always) func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }
@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
/// XCU 2.2 / 2.3: characters that end an unquoted word.
@inline(__always) func isMeta(_ c: UInt8) -> Bool {
    c == 32 || c == 9 || c == 10 || c == 59 || c == 38 || c == 124 || c == 60 || c == 62 || c == 40 || c == 41
}

func isValidName(_ s: String) -> Bool {
    var first = true
    for c in s.utf8 {
        if first ? !isNameStart(c) : !isNameChar(c) { return false }
        first = false
    }
    return !first
}

extension Parser {
    func lineAt(_ p: Int) -> Int {
        if p < lineCachePos { lineCachePos = 0; lineCacheLine = lineOffset }
        var i = lineCachePos, l = lineCacheLine
        let end = min(p, src.count)
        while i < end { if src[i] == 10 { l += 1 }; i += 1 }
        lineCachePos = end; lineCacheLine = l
        return l
    }

    func error(_ message: String) -> SyntaxError { SyntaxError(line: lineAt(pos), message: message) }

    @inline(__always) func at(_ offset: Int = 0) -> UInt8? {
        let i = pos + offset
        return i < src.count ? src[i] : nil
    }

    /// Skips blanks, line continuations and a comment (XCU 2.3 rules 7–9).
    func skipBlanks() {
        while pos < src.count {
            let c = src[pos]
            if c == 32 || c == 9 { pos += 1 }
            else if c == 92 && at(1) == 10 { pos += 2 }
            else if c == 35 { while pos < src.count && src[pos] != 10 { pos += 1 }; return }
            else { return }
        }
    }

    /// The next token (XCU 2.3 Token Recognition). Reading a newline reads pending here-documents.
    func scanToken() throws(SyntaxError) -> Token {
        skipBlanks()
        let start = pos
        let line = lineAt(pos)
        func op(_ k: TokenKind, _ n: Int) -> Token { pos += n; return Token(kind: k, start: start, end: pos, line: line) }
        guard let c = at() else { return Token(kind: .eof, start: pos, end: pos, line: line) }
        switch c {
        case 10:
            pos += 1
            try readPendingHereDocuments()
            return Token(kind: .newline, start: start, end: pos, line: line)
        case 38: return at(1) == 38 ? op(.andIf, 2) : op(.ampersand, 1)
        case 124: return at(1) == 124 ? op(.orIf, 2) : op(.pipe, 1)
        case 59: return at(1) == 59 ? op(.doubleSemicolon, 2) : op(.semicolon, 1)
        case 40: return op(.leftParen, 1)
        case 41: return op(.rightParen, 1)
        case 60:
            if at(1) == 60 { return at(2) == 45 ? op(.doubleLessDash, 3) : op(.doubleLess, 2) }
            if at(1) == 38 { return op(.lessAnd, 2) }
            if at(1) == 62 { return op(.lessGreat, 2) }
            return op(.less, 1)
        case 62:
            if at(1) == 62 { return op(.doubleGreat, 2) }
            if at(1) == 38 { return op(.greatAnd, 2) }
            if at(1) == 124 { return op(.clobber, 2) }
            return op(.great, 1)
        default:
            let word = try readParts(.unquoted)
            var kind = TokenKind.word
            // XCU 2.10.1: digits right before < or > are an IO_NUMBER.
            if let n = at(), n == 60 || n == 62, word.count == 1, case .literal(let s) = word[0],
               s.utf8.allSatisfy(isDigit), s.utf8.count < 10 { kind = .ioNumber }
            return Token(kind: kind, word: kind == .word ? withTilde(word) : word, start: start, end: pos, line: line)
        }
    }

    /// XCU 2.6.1: an unquoted leading `~name` (up to the first slash) becomes a tilde part.
    func withTilde(_ word: Word) -> Word {
        guard case .literal(let s)? = word.first, s.utf8.first == 126 else { return word }
        let bytes = Array(s.utf8)
        if let slash = bytes.firstIndex(of: 47) {
            var w = word
            w[0] = .literal(String(decoding: bytes[slash...], as: UTF8.self))
            w.insert(.tilde(String(decoding: bytes[1..<slash], as: UTF8.self)), at: 0)
            return w
        }
        if word.count > 1 { return word }
        return [.tilde(String(decoding: bytes[1...], as: UTF8.self))]
    }

    /// Reads word characters in `context` until its end (XCU 2.2 Quoting, 2.3 rules 4–5).
    func readParts(_ context: WordContext) throws(SyntaxError) -> Word {
        var parts: Word = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { parts.append(.literal(String(decoding: text, as: UTF8.self))); text.removeAll() }
        }
        while true {
            guard let c = at() else {
                switch context {
                case .doubleQuoted, .braceDoubleQuoted: throw error("Unterminated quoted string")
                case .braceUnquoted: throw error("Missing '}'")
                default: flush(); return parts
                }
            }
            switch context {
            case .unquoted where isMeta(c): flush(); return parts
            case .doubleQuoted where c == 34: pos += 1; flush(); return parts
            case .braceUnquoted where c == 125, .braceDoubleQuoted where c == 125: pos += 1; flush(); return parts
            default: break
            }
            switch c {
            case 39 where context == .unquoted || context == .braceUnquoted:
                // '…' (XCU 2.2.2)
                pos += 1
                let start = pos
                while pos < src.count && src[pos] != 39 { pos += 1 }
                guard pos < src.count else { throw error("Unterminated quoted string") }
                flush()
                parts.append(.quoted(String(decoding: src[start..<pos], as: UTF8.self)))
                pos += 1
            case 34 where context == .unquoted || context == .braceUnquoted || context == .braceDoubleQuoted:
                // "…" (XCU 2.2.3)
                pos += 1
                let inner = try readParts(.doubleQuoted)
                flush()
                parts.append(.doubleQuoted(inner))
            case 92:
                // Backslash (XCU 2.2.1; inside double quotes only before $ ` " \ newline).
                guard let n = at(1) else { text.append(92); pos += 1; continue }
                if n == 10 { pos += 2; continue }
                let escapes: Bool
                switch context {
                case .unquoted, .braceUnquoted, .arithmetic: escapes = true
                case .doubleQuoted: escapes = n == 36 || n == 96 || n == 34 || n == 92
                case .braceDoubleQuoted: escapes = n == 36 || n == 96 || n == 34 || n == 92 || n == 125
                case .hereDocument: escapes = n == 36 || n == 96 || n == 92
                }
                if escapes {
                    flush()
                    // A multi-byte character escaped as a whole.
                    var end = pos + 2
                    if n >= 0xC0 { while end < src.count && src[end] & 0xC0 == 0x80 { end += 1 } }
                    parts.append(.quoted(String(decoding: src[(pos + 1)..<end], as: UTF8.self)))
                    pos = end
                } else {
                    text.append(92); pos += 1
                }
            case 36:
                if let part = try readDollar(context) { flush(); parts.append(part) }
                else { text.append(36); pos += 1 }
            case 96:
                flush()
                parts.append(try readBackquote(inDoubleQuotes: context.isQuoted))
            default:
                text.append(c); pos += 1
            }
        }
    }

    /// `$…` at pos (XCU 2.6.2–2.6.4); nil when the `$` is literal.
    func readDollar(_ context: WordContext) throws(SyntaxError) -> WordPart? {
        guard let c = at(1) else { return nil }
        if c == 40 {
            if at(2) == 40, let arith = try readArithmetic() { return arith }
            pos += 2
            let body = try parseSubstitutionBody()
            return .commandSubstitution(body)
        }
        if c == 123 { pos += 2; return try readBraceParameter(context) }
        if isNameStart(c) {
            var end = pos + 1
            while end < src.count && isNameChar(src[end]) { end += 1 }
            let name = String(decoding: src[(pos + 1)..<end], as: UTF8.self)
            pos = end
            return .parameter(ParameterExpansion(name: name, operation: .plain, colon: false, word: []))
        }
        if isDigit(c) || c == 64 || c == 42 || c == 35 || c == 63 || c == 45 || c == 36 || c == 33 {
            pos += 2
            return .parameter(ParameterExpansion(name: String(decoding: [c], as: UTF8.self), operation: .plain, colon: false, word: []))
        }
        return nil
    }

    /// $(( … )): finds the matching `))`; nil if there is none (then it is $( ( … ) )).
    func readArithmetic() throws(SyntaxError) -> WordPart? {
        var i = pos + 3, depth = 0
        while i < src.count {
            let c = src[i]
            if c == 40 { depth += 1 }
            else if c == 41 {
                if depth == 0 {
                    guard i + 1 < src.count, src[i + 1] == 41 else { return nil }
                    let inner = Parser(source: Array(src[(pos + 3)..<i]), lineOffset: lineAt(pos), aliases: aliases)
                    let parts = try inner.readParts(.arithmetic)
                    pos = i + 2
                    // Plain text has the same value at every expansion: parse it now, once.
                    var text = ""
                    for part in parts {
                        guard case .literal(let s) = part else { return .arithmetic(parts, parsed: nil) }
                        text += s
                    }
                    return .arithmetic(parts, parsed: ArithmeticExpression(parsing: text))
                }
                depth -= 1
            }
            i += 1
        }
        throw error("Missing '))'")
    }

    /// ${…} after the brace (XCU 2.6.2).
    func readBraceParameter(_ context: WordContext) throws(SyntaxError) -> WordPart {
        func readName() -> String? {
            guard let c = at() else { return nil }
            var end = pos
            if isNameStart(c) { while end < src.count && isNameChar(src[end]) { end += 1 } }
            else if isDigit(c) { while end < src.count && isDigit(src[end]) { end += 1 } }
            else if c == 64 || c == 42 || c == 35 || c == 63 || c == 45 || c == 36 || c == 33 { end += 1 }
            else { return nil }
            defer { pos = end }
            return String(decoding: src[pos..<end], as: UTF8.self)
        }
        /// Skips to the closing brace; dash reports a bad substitution only when it is expanded.
        func badSubstitution() throws(SyntaxError) -> WordPart {
            while let c = at(), c != 125 { pos += 1 }
            guard at() == 125 else { throw error("Missing '}'") }
            pos += 1
            return .parameter(ParameterExpansion(name: "", operation: .bad, colon: false, word: []))
        }
        // ${#name}: length, unless it is ${#} or ${#op…} on $#.
        if at() == 35, let n = at(1), n != 125, !(n == 45 || n == 61 || n == 63 || n == 43 || n == 58 || n == 37 || n == 35 && at(2) == 125) {
            pos += 1
            guard let name = readName(), at() == 125 else { return try badSubstitution() }
            pos += 1
            return .parameter(ParameterExpansion(name: name, operation: .length, colon: false, word: []))
        }
        guard let name = readName() else { return try badSubstitution() }
        guard let c = at() else { throw error("Missing '}'") }
        if c == 125 {
            pos += 1
            return .parameter(ParameterExpansion(name: name, operation: .plain, colon: false, word: []))
        }
        var colon = false
        var operation: ParameterExpansion.Operation
        if c == 58 { colon = true; pos += 1 }
        switch at() {
        case 45: operation = .useDefault; pos += 1
        case 61: operation = .assignDefault; pos += 1
        case 63: operation = .indicateError; pos += 1
        case 43: operation = .useAlternative; pos += 1
        case 37 where !colon:
            pos += 1
            if at() == 37 { pos += 1; operation = .removeLargestSuffix } else { operation = .removeSmallestSuffix }
        case 35 where !colon:
            pos += 1
            if at() == 35 { pos += 1; operation = .removeLargestPrefix } else { operation = .removeSmallestPrefix }
        default: return try badSubstitution()
        }
        var word = try readParts(context.isQuoted ? .braceDoubleQuoted : .braceUnquoted)
        if !context.isQuoted { word = withTilde(word) }
        return .parameter(ParameterExpansion(name: name, operation: operation, colon: colon, word: word))
    }

    /// `…` (XCU 2.6.3): backslash keeps its meaning only before $ ` \ (and " inside double quotes).
    func readBackquote(inDoubleQuotes: Bool) throws(SyntaxError) -> WordPart {
        let startLine = lineAt(pos)
        pos += 1
        var text: [UInt8] = []
        while true {
            guard let c = at() else { throw error("EOF in backquote substitution") }
            pos += 1
            if c == 96 { break }
            if c == 92, let n = at(), n == 36 || n == 96 || n == 92 || (inDoubleQuotes && n == 34) {
                text.append(n); pos += 1
            } else {
                text.append(c)
            }
        }
        let inner = Parser(source: text, lineOffset: startLine, aliases: aliases)
        return .commandSubstitution(try inner.parseProgram())
    }

    /// Reads the bodies of here-documents whose operator was on the line just ended (XCU 2.7.4).
    func readPendingHereDocuments() throws(SyntaxError) {
        let docs = pendingHereDocuments
        pendingHereDocuments.removeAll()
        for doc in docs {
            var body: [UInt8] = []
            let delimiter = Array(doc.delimiter.utf8)
            while pos < src.count {
                var end = pos
                while end < src.count && src[end] != 10 { end += 1 }
                var lineStart = pos
                if doc.stripTabs { while lineStart < end && src[lineStart] == 9 { lineStart += 1 } }
                let line = src[lineStart..<end]
                pos = min(end + 1, src.count)
                if line.elementsEqual(delimiter) { break }
                body.append(contentsOf: line)
                body.append(10)
            }
            if doc.quoted {
                doc.body = [.quoted(String(decoding: body, as: UTF8.self))]
            } else {
                let inner = Parser(source: body, lineOffset: lineAt(pos), aliases: aliases)
                doc.body = [.doubleQuoted(try inner.readParts(.hereDocument))]
            }
        }
    }
}
