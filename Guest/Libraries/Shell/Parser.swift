// Parser.swift — recursive descent over the XCU 2.10.2 Shell Grammar, one complete command at a
// time (so a script runs up to its first syntax error, as dash does), with alias substitution
// (XCU 2.3.1) at command-name positions.

public final class Parser {
    var src: [UInt8]
    var pos = 0
    let lineOffset: Int
    var lineCachePos = 0
    var lineCacheLine: Int
    var peeked: Token?
    var pendingHereDocuments: [HereDocument] = []
    let aliases: (String) -> String?
    /// Alias substitutions in progress: (name, end of its text in src), to stop recursion.
    var activeAliases: [(name: String, end: Int)] = []
    var checkAliasOnNextWord = false

    public init(source: [UInt8], lineOffset: Int = 1, aliases: @escaping (String) -> String? = { _ in nil }) {
        self.src = source
        self.lineOffset = lineOffset
        self.lineCacheLine = lineOffset
        self.aliases = aliases
    }

    /// The line of the next token (for error messages and $LINENO).
    public var currentLine: Int { lineAt(peeked?.start ?? pos) }

    // MARK: tokens

    func peek() throws(SyntaxError) -> Token {
        if let t = peeked { return t }
        let t = try scanToken()
        peeked = t
        return t
    }
    @discardableResult func next() throws(SyntaxError) -> Token {
        let t = try peek()
        peeked = nil
        return t
    }
    func unexpected(_ t: Token, expecting: String? = nil) -> SyntaxError {
        var m = "\(t.description) unexpected"
        if let e = expecting { m += " (expecting \(e))" }
        return SyntaxError(line: t.line, message: m)
    }
    func skipNewlines() throws(SyntaxError) {
        while try peek().kind == .newline { try next() }
    }
    func isReserved(_ t: Token, _ word: String) -> Bool { t.plainText == word }
    func expectReserved(_ word: String) throws(SyntaxError) {
        let t = try next()
        guard isReserved(t, word) else { throw unexpected(t, expecting: "\"\(word)\"") }
    }

    /// XCU 2.3.1: replaces an alias name at a command-name position by its value.
    func substituteAlias() throws(SyntaxError) {
        while true {
            let t = try peek()
            guard t.kind == .word, let name = t.plainText, let value = aliases(name) else { return }
            activeAliases.removeAll { $0.end <= t.start }
            if activeAliases.contains(where: { $0.name == name }) { return }
            let bytes = Array(value.utf8)
            src.replaceSubrange(t.start..<t.end, with: bytes)
            let delta = bytes.count - (t.end - t.start)
            for i in activeAliases.indices { activeAliases[i].end += delta }
            activeAliases.append((name, t.start + bytes.count))
            if lineCachePos > t.start { lineCachePos = 0; lineCacheLine = lineOffset }
            pos = t.start
            peeked = nil
            // A value ending in a blank makes the next word a command-name position too.
            checkAliasOnNextWord = bytes.last == 32 || bytes.last == 9
        }
    }

    // MARK: programs

    /// The next complete command (XCU 2.10.2 complete_command), or nil at end of input.
    public func parseNextCommand() throws(SyntaxError) -> Command? {
        try skipNewlines()
        if try peek().kind == .eof { return nil }
        let list = try parseList(topLevel: true)
        let t = try next()
        guard t.kind == .newline || t.kind == .eof else { throw unexpected(t) }
        return list
    }

    /// A whole program (eval strings, backquotes).
    public func parseProgram() throws(SyntaxError) -> Command {
        var commands: [(command: Command, background: Bool)] = []
        while let c = try parseNextCommand() { commands.append((c, false)) }
        return commands.count == 1 ? commands[0].command : .list(commands)
    }

    /// $( … ) after the parenthesis: a compound list up to the matching `)`.
    func parseSubstitutionBody() throws(SyntaxError) -> Command {
        let saved = peeked
        peeked = nil
        let body = try parseCompoundList(allowEmpty: true)
        let t = try next()
        guard t.kind == .rightParen else { throw unexpected(t, expecting: "\")\"") }
        peeked = saved
        return body
    }

    /// Whether `t` can begin a command.
    func startsCommand(_ t: Token) -> Bool {
        switch t.kind {
        case .word:
            if let s = t.plainText {
                switch s {
                case "then", "else", "elif", "fi", "do", "done", "esac", "}": return false
                default: return true
                }
            }
            return true
        case .ioNumber, .less, .great, .doubleGreat, .clobber, .lessAnd, .greatAnd, .lessGreat,
             .doubleLess, .doubleLessDash, .leftParen: return true
        default: return false
        }
    }

    /// list (top level): and-or lists separated by ; or &, ending at a newline.
    func parseList(topLevel: Bool) throws(SyntaxError) -> Command {
        var items: [(command: Command, background: Bool)] = []
        while true {
            let command = try parseAndOr()
            let t = try peek()
            if t.kind == .semicolon || t.kind == .ampersand {
                try next()
                items.append((command, t.kind == .ampersand))
                let n = try peek()
                if n.kind == .newline || n.kind == .eof || !startsCommand(n) { break }
            } else {
                items.append((command, false))
                break
            }
        }
        return items.count == 1 && !items[0].background ? items[0].command : .list(items)
    }

    /// compound_list (XCU 2.10.2): newline-separated too; ends before a reserved word or `)`.
    func parseCompoundList(allowEmpty: Bool = false) throws(SyntaxError) -> Command {
        var items: [(command: Command, background: Bool)] = []
        try skipNewlines()
        while true {
            let t = try peek()
            guard startsCommand(t) else { break }
            let command = try parseAndOr()
            let s = try peek()
            if s.kind == .semicolon || s.kind == .ampersand {
                try next()
                items.append((command, s.kind == .ampersand))
            } else if s.kind == .newline {
                items.append((command, false))
            } else {
                items.append((command, false))
                break
            }
            try skipNewlines()
        }
        if items.isEmpty {
            if allowEmpty { return .empty }
            throw unexpected(try peek())
        }
        return items.count == 1 && !items[0].background ? items[0].command : .list(items)
    }

    func parseAndOr() throws(SyntaxError) -> Command {
        let first = try parsePipeline()
        var rest: [(isAnd: Bool, command: Command)] = []
        while true {
            let t = try peek()
            guard t.kind == .andIf || t.kind == .orIf else { break }
            try next()
            try skipNewlines()
            rest.append((t.kind == .andIf, try parsePipeline()))
        }
        return rest.isEmpty ? first : .andOr(first, rest)
    }

    func parsePipeline() throws(SyntaxError) -> Command {
        var negated = false
        if isReserved(try peek(), "!") { try next(); negated = true }
        var commands = [try parseCommand()]
        while try peek().kind == .pipe {
            try next()
            try skipNewlines()
            commands.append(try parseCommand())
        }
        return commands.count == 1 && !negated ? commands[0] : .pipeline(commands, negated: negated)
    }

    // MARK: commands (XCU 2.9)

    func parseCommand() throws(SyntaxError) -> Command {
        try substituteAlias()
        let t = try peek()
        if t.kind == .leftParen {
            try next()
            let body = try parseCompoundList()
            let close = try next()
            guard close.kind == .rightParen else { throw unexpected(close, expecting: "\")\"") }
            return try withRedirections(.subshell(body))
        }
        if let s = t.plainText {
            switch s {
            case "{":
                try next()
                let body = try parseCompoundList()
                try expectReserved("}")
                return try withRedirections(.group(body))
            case "if": return try withRedirections(try parseIf())
            case "while", "until":
                try next()
                let condition = try parseCompoundList()
                let body = try parseDoGroup()
                return try withRedirections(.loop(condition: condition, body: body, until: s == "until"))
            case "for": return try withRedirections(try parseFor())
            case "case": return try withRedirections(try parseCase())
            case "then", "else", "elif", "fi", "do", "done", "esac", "}", "in", "!":
                throw unexpected(t)
            default: break
            }
        }
        guard t.kind == .word || t.kind == .ioNumber || isRedirectionOperator(t.kind) else { throw unexpected(t) }
        return try parseSimpleCommand()
    }

    func withRedirections(_ command: Command) throws(SyntaxError) -> Command {
        var redirections: [Redirection] = []
        while let r = try parseRedirection() { redirections.append(r) }
        return redirections.isEmpty ? command : .redirected(command, redirections)
    }

    func parseIf() throws(SyntaxError) -> Command {
        try next()
        var clauses: [(condition: Command, body: Command)] = []
        var elseBody: Command?
        while true {
            let condition = try parseCompoundList()
            try expectReserved("then")
            let body = try parseCompoundList()
            clauses.append((condition, body))
            let t = try next()
            if isReserved(t, "elif") { continue }
            if isReserved(t, "else") {
                elseBody = try parseCompoundList()
                try expectReserved("fi")
            } else if !isReserved(t, "fi") {
                throw unexpected(t, expecting: "\"fi\"")
            }
            return .ifClause(clauses, elseBody: elseBody)
        }
    }

    func parseDoGroup() throws(SyntaxError) -> Command {
        try expectReserved("do")
        let body = try parseCompoundList()
        try expectReserved("done")
        return body
    }

    func parseFor() throws(SyntaxError) -> Command {
        try next()
        let nameToken = try next()
        guard let name = nameToken.plainText, isValidName(name) else { throw SyntaxError(line: nameToken.line, message: "Bad for loop variable") }
        var words: [Word]?
        try skipNewlines()
        let t = try peek()
        if isReserved(t, "in") {
            try next()
            var list: [Word] = []
            while try peek().kind == .word { list.append(try next().word) }
            let sep = try next()
            guard sep.kind == .semicolon || sep.kind == .newline else { throw unexpected(sep, expecting: "\"do\"") }
            words = list
            try skipNewlines()
        } else if t.kind == .semicolon {
            try next()
            try skipNewlines()
        }
        return .forLoop(name: name, words: words, body: try parseDoGroup())
    }

    func parseCase() throws(SyntaxError) -> Command {
        try next()
        let subject = try next()
        guard subject.kind == .word else { throw unexpected(subject) }
        try skipNewlines()
        try expectReserved("in")
        var items: [CaseItem] = []
        while true {
            try skipNewlines()
            var t = try peek()
            if isReserved(t, "esac") { try next(); break }
            if t.kind == .leftParen { try next(); t = try peek() }
            var patterns: [Word] = []
            while true {
                let p = try next()
                guard p.kind == .word else { throw unexpected(p, expecting: "\")\"") }
                patterns.append(p.word)
                let s = try next()
                if s.kind == .pipe { continue }
                guard s.kind == .rightParen else { throw unexpected(s, expecting: "\")\"") }
                break
            }
            let body = try parseCompoundList(allowEmpty: true)
            items.append(CaseItem(patterns: patterns, body: { if case .empty = body { return nil }; return body }()))
            let end = try next()
            if end.kind == .doubleSemicolon { continue }
            if isReserved(end, "esac") { break }
            throw unexpected(end, expecting: "\";;\"")
        }
        return .caseClause(subject.word, items)
    }

    func isRedirectionOperator(_ k: TokenKind) -> Bool {
        switch k {
        case .less, .great, .doubleGreat, .clobber, .lessAnd, .greatAnd, .lessGreat, .doubleLess, .doubleLessDash: return true
        default: return false
        }
    }

    /// io_redirect (XCU 2.7), or nil if the next token does not start one.
    func parseRedirection() throws(SyntaxError) -> Redirection? {
        var t = try peek()
        var fd: Int32?
        if t.kind == .ioNumber {
            guard let s = t.plainText, let n = Int32(s) else { return nil }
            fd = n
            try next()
            t = try peek()
        }
        guard isRedirectionOperator(t.kind) else { return nil }
        try next()
        let target = try next()
        guard target.kind == .word else { throw unexpected(target) }
        let kind: Redirection.Kind
        switch t.kind {
        case .less: kind = .input
        case .great: kind = .output
        case .doubleGreat: kind = .append
        case .clobber: kind = .clobber
        case .lessAnd: kind = .duplicateInput
        case .greatAnd: kind = .duplicateOutput
        case .lessGreat: kind = .readWrite
        default: kind = .hereDocument
        }
        let isInput = kind == .input || kind == .duplicateInput || kind == .readWrite || kind == .hereDocument
        var r = Redirection(fd: fd ?? (isInput ? 0 : 1), kind: kind, target: target.word, hereDocument: nil)
        if kind == .hereDocument {
            var delimiter = ""
            var quoted = false
            func flatten(_ w: Word) {
                for p in w {
                    switch p {
                    case .literal(let s): delimiter += s
                    case .quoted(let s): delimiter += s; quoted = true
                    case .doubleQuoted(let inner): quoted = true; flatten(inner)
                    case .tilde(let s): delimiter += "~" + s
                    default: delimiter += "$"
                    }
                }
            }
            flatten(target.word)
            // $name in a delimiter is literal text: take it from the source.
            if target.word.contains(where: { if case .parameter = $0 { return true }; if case .commandSubstitution = $0 { return true }; return false }) {
                delimiter = String(decoding: src[target.start..<target.end], as: UTF8.self)
            }
            let doc = HereDocument(delimiter: delimiter, stripTabs: t.kind == .doubleLessDash, quoted: quoted)
            pendingHereDocuments.append(doc)
            r.hereDocument = doc
        }
        return r
    }

    /// simple_command (XCU 2.9.1): assignments, words and redirections in any order.
    func parseSimpleCommand() throws(SyntaxError) -> Command {
        var command = SimpleCommand(assignments: [], words: [], redirections: [], line: try peek().line)
        while true {
            if let r = try parseRedirection() { command.redirections.append(r); continue }
            if checkAliasOnNextWord && !command.words.isEmpty {
                checkAliasOnNextWord = false
                try substituteAlias()
            }
            let t = try peek()
            guard t.kind == .word else { break }
            try next()
            if command.words.isEmpty, let a = assignment(t.word) {
                command.assignments.append(a)
                continue
            }
            if command.words.isEmpty && command.assignments.isEmpty && command.redirections.isEmpty,
               let name = t.plainText, try peek().kind == .leftParen {
                return try parseFunction(name: name, line: t.line)
            }
            command.words.append(t.word)
        }
        if command.words.isEmpty && command.assignments.isEmpty && command.redirections.isEmpty {
            throw unexpected(try peek())
        }
        return .simple(command)
    }

    /// NAME=value as the leading literal of a word (XCU 2.10.2 rule 7).
    func assignment(_ word: Word) -> Assignment? {
        guard case .literal(let s)? = word.first else { return nil }
        let bytes = Array(s.utf8)
        guard let eq = bytes.firstIndex(of: 61), eq > 0 else { return nil }
        let name = String(decoding: bytes[..<eq], as: UTF8.self)
        guard isValidName(name) else { return nil }
        var value = Array(word.dropFirst())
        let rest = String(decoding: bytes[(eq + 1)...], as: UTF8.self)
        if !rest.isEmpty { value.insert(.literal(rest), at: 0) }
        return Assignment(name: name, value: assignmentTildes(value))
    }

    /// XCU 2.6.1: in an assignment, a tilde prefix may also follow any unquoted `:`.
    func assignmentTildes(_ word: Word) -> Word {
        var out: Word = []
        for (index, part) in word.enumerated() {
            guard case .literal(let s) = part else { out.append(part); continue }
            let b = Array(s.utf8)
            var segmentStart = 0
            var i = 0
            var atStart = index == 0
            while i <= b.count {
                if atStart && i < b.count && b[i] == 126 {
                    // ~name ends at '/', ':' or the end of the word.
                    var j = i + 1
                    while j < b.count && b[j] != 47 && b[j] != 58 { j += 1 }
                    if j < b.count || index == word.count - 1 {
                        if i > segmentStart { out.append(.literal(String(decoding: b[segmentStart..<i], as: UTF8.self))) }
                        out.append(.tilde(String(decoding: b[(i + 1)..<j], as: UTF8.self)))
                        segmentStart = j
                        i = j
                        atStart = false
                        continue
                    }
                }
                atStart = i < b.count && b[i] == 58
                i += 1
            }
            if segmentStart < b.count { out.append(.literal(String(decoding: b[segmentStart...], as: UTF8.self))) }
        }
        return out
    }

    /// fname ( ) linebreak function_body (XCU 2.9.5).
    func parseFunction(name: String, line: Int) throws(SyntaxError) -> Command {
        guard isValidName(name) else { throw SyntaxError(line: line, message: "Bad function name") }
        try next()
        let close = try next()
        guard close.kind == .rightParen else { throw unexpected(close, expecting: "\")\"") }
        try skipNewlines()
        let t = try peek()
        guard let s = t.plainText, ["{", "(", "if", "while", "until", "for", "case"].contains(s) || t.kind == .leftParen else {
            if t.kind == .leftParen { return .functionDefinition(name: name, body: try parseCommand()) }
            throw unexpected(t)
        }
        return .functionDefinition(name: name, body: try parseCommand())
    }
}
