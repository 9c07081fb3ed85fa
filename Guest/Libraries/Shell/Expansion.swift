// Expansion.swift — word expansion in XCU 2.6 order: tilde (2.6.1), parameter (2.6.2), command
// substitution (2.6.3), arithmetic (2.6.4), then field splitting (2.6.5), pathname expansion
// (2.6.6) and quote removal (2.6.7).
import Posix

/// Expanded text before field splitting: each byte remembers whether it was quoted and whether
/// it came from an unquoted expansion (and so may be split). Zero-width marks record "a quoted
/// empty string was here" and the field boundaries of $@.
struct ExpansionBuffer {
    static let quoted: UInt8 = 1, splittable: UInt8 = 2
    static let emptyQuote: UInt8 = 4, hardBreak: UInt8 = 8, softBreak: UInt8 = 16
    static let markers: UInt8 = 4 | 8 | 16
    var bytes: [UInt8] = []
    var flags: [UInt8] = []

    mutating func append(_ s: String, _ f: UInt8) {
        let before = bytes.count
        bytes.append(contentsOf: s.utf8)
        flags.append(contentsOf: repeatElement(f, count: bytes.count - before))
    }
    mutating func mark(_ f: UInt8) { bytes.append(0); flags.append(f) }
}

extension Shell {
    // MARK: public entry points

    /// Expands words into fields (command arguments, for-loop lists).
    func expandFields(_ words: [Word]) throws(ShellInterrupt) -> [String] {
        var result: [String] = []
        result.reserveCapacity(words.count)
        for w in words {
            // Fast path: one plain literal without glob characters.
            if w.count == 1, case .literal(let s) = w[0], !hasPatternCharacter(s) || s == "[" {
                result.append(s); continue
            }
            // Fast path: $(( … )) alone is one field — its digits and sign — unless IFS holds
            // one of them (the IFS of after the evaluation, which may assign it).
            if w.count == 1, case .arithmetic(let inner, let parsed) = w[0] {
                let v = String(try arithmetic(inner, parsed))
                if !hasFieldSeparator(v, ifs: value("IFS")) { result.append(v); continue }
                var buffer = ExpansionBuffer()
                buffer.append(v, ExpansionBuffer.splittable)
                appendFields(of: buffer, to: &result)
                continue
            }
            // Fast path: text, quotes and variables whose values need no splitting or globbing.
            if isSimpleWord(w, splitting: true) {
                var text = "", quotes = false
                if try expandSimply(w, splitting: true, into: &text, quotes: &quotes) {
                    if !text.isEmpty || quotes { result.append(text) }   // else no field (XCU 2.6.5)
                    continue
                }
            }
            var buffer = ExpansionBuffer()
            try expand(w, quoted: false, into: &buffer)
            appendFields(of: buffer, to: &result)
        }
        return result
    }

    /// The fields of an expanded word (XCU 2.6.5–2.6.7), appended to `result`.
    func appendFields(of buffer: ExpansionBuffer, to result: inout [String]) {
        // Fast path: nothing to split and nothing to glob gives at most one field as it is.
        if !buffer.flags.contains(where: { $0 & (ExpansionBuffer.splittable | ExpansionBuffer.hardBreak | ExpansionBuffer.softBreak) != 0 }) {
            var hasGlob = false
            for i in buffer.bytes.indices where buffer.flags[i] == 0 {
                let c = buffer.bytes[i]
                if c == 42 || c == 63 || c == 91 { hasGlob = true; break }
            }
            if !hasGlob {
                if buffer.flags.isEmpty { return }
                if !buffer.flags.contains(where: { $0 & ExpansionBuffer.emptyQuote != 0 }) {
                    result.append(String(decoding: buffer.bytes, as: UTF8.self))
                } else {
                    var bytes: [UInt8] = []
                    for i in buffer.bytes.indices where buffer.flags[i] & ExpansionBuffer.emptyQuote == 0 { bytes.append(buffer.bytes[i]) }
                    result.append(String(decoding: bytes, as: UTF8.self))
                }
                return
            }
        }
        for field in splitFields(buffer) {
            let pattern = Pattern(bytes: field.bytes, quoted: field.quoted)
            if !options.noglob && pattern.hasMagic {
                let matches = pathnameExpansion(pattern)
                if !matches.isEmpty { result.append(contentsOf: matches); continue }
            }
            result.append(String(decoding: field.bytes, as: UTF8.self))
        }
    }

    /// Expands a word to one string: no field splitting or pathname expansion (assignments,
    /// redirection targets, case subjects, here-documents).
    func expandString(_ word: Word) throws(ShellInterrupt) -> String {
        if word.count == 1, case .literal(let s) = word[0] { return s }
        if isSimpleWord(word, splitting: false) {
            var text = "", quotes = false
            _ = try expandSimply(word, splitting: false, into: &text, quotes: &quotes)
            return text
        }
        var buffer = ExpansionBuffer()
        try expand(word, quoted: false, into: &buffer)
        var out: [UInt8] = []
        out.reserveCapacity(buffer.bytes.count)
        // Without field splitting, $@ is joined as $* is: by the first character of IFS (dash).
        let separator = joinSeparator()
        for i in buffer.bytes.indices {
            let f = buffer.flags[i]
            if f & (ExpansionBuffer.hardBreak | ExpansionBuffer.softBreak) != 0 { out.append(contentsOf: separator) }
            else if f & ExpansionBuffer.emptyQuote == 0 { out.append(buffer.bytes[i]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Expands a word as a pattern (case, ${x%pattern}): quoted characters match literally.
    func expandPattern(_ word: Word) throws(ShellInterrupt) -> Pattern {
        var buffer = ExpansionBuffer()
        try expand(word, quoted: false, into: &buffer)
        var bytes: [UInt8] = [], quoted: [Bool] = []
        let separator = joinSeparator()
        for i in buffer.bytes.indices {
            let f = buffer.flags[i]
            if f & ExpansionBuffer.markers != 0 {
                if f & (ExpansionBuffer.hardBreak | ExpansionBuffer.softBreak) != 0 {
                    bytes.append(contentsOf: separator)
                    quoted.append(contentsOf: repeatElement(true, count: separator.count))
                }
                continue
            }
            bytes.append(buffer.bytes[i])
            quoted.append(f & ExpansionBuffer.quoted != 0)
        }
        // A backslash in unquoted text quotes the next character (e.g. from ${x:-\*}).
        return Pattern(bytes: bytes, quoted: quoted)
    }

    // MARK: the common words, without the general machinery

    /// Whether `word` is made only of text, quoted text, and $name, ${name}, ${#name} and $(( … ))
    /// (also inside double quotes), which `expandSimply` expands without an ExpansionBuffer.
    /// With `splitting` (fields), unquoted text must hold no pattern character, there is no
    /// unquoted $(( … )), and no $(( … )) beside an unquoted parameter: expandSimply may find a
    /// parameter's value needs splitting and give the word back, and by then nothing with a side
    /// effect may have run.
    func isSimpleWord(_ word: Word, splitting: Bool) -> Bool {
        var unquotedParameter = false, arithmetic = false
        for part in word {
            switch part {
            case .literal(let s):
                if splitting && hasPatternCharacter(s) { return false }
            case .quoted:
                break
            case .doubleQuoted(let inner):
                for p in inner {
                    switch p {
                    case .literal, .quoted: break
                    case .parameter(let pe): if !isSimpleParameter(pe) { return false }
                    case .arithmetic: arithmetic = true
                    default: return false
                    }
                }
            case .parameter(let pe):
                if !isSimpleParameter(pe) { return false }
                unquotedParameter = true
            case .arithmetic:
                if splitting { return false }
                arithmetic = true
            default:
                return false
            }
        }
        return !(splitting && unquotedParameter && arithmetic)
    }

    /// $name, ${name} or ${#name}, but not $@ or $* (whose parameters stay apart).
    func isSimpleParameter(_ p: ParameterExpansion) -> Bool {
        guard p.operation == .plain || p.operation == .length else { return false }
        var name = p.name.utf8.makeIterator()
        let first = name.next()
        return name.next() != nil || (first != UInt8(ascii: "@") && first != UInt8(ascii: "*"))
    }

    /// Appends the expansion of a word that isSimpleWord accepted to `text`, noting in `quotes`
    /// whether it had quotes (then it is a field even when empty). With `splitting`, returns false
    /// when an unquoted value holds an IFS or pattern character: the general path must split it.
    func expandSimply(_ word: Word, splitting: Bool, into text: inout String, quotes: inout Bool) throws(ShellInterrupt) -> Bool {
        var ifs: String?? = .none   // looked up at the first unquoted value
        for part in word {
            switch part {
            case .literal(let s):
                text += s
            case .quoted(let s):
                quotes = true
                text += s
            case .doubleQuoted(let inner):
                quotes = true
                for p in inner {
                    switch p {
                    case .literal(let s), .quoted(let s): text += s
                    case .parameter(let pe): if let v = try simpleParameterValue(pe) { text += v }
                    case .arithmetic(let parts, let parsed): text += String(try arithmetic(parts, parsed))
                    default: preconditionFailure("expandSimply: not a simple word")
                    }
                }
            case .parameter(let pe):
                guard let v = try simpleParameterValue(pe) else { continue }
                if splitting {
                    if ifs == nil { ifs = .some(value("IFS")) }
                    if hasPatternCharacter(v) || hasFieldSeparator(v, ifs: ifs!) { return false }
                }
                text += v
            case .arithmetic(let parts, let parsed):
                text += String(try arithmetic(parts, parsed))
            default:
                preconditionFailure("expandSimply: not a simple word")
            }
        }
        return true
    }

    /// The value of $name or ${#name} (XCU 2.6.2); unset is an error under `set -u`.
    func simpleParameterValue(_ p: ParameterExpansion) throws(ShellInterrupt) -> String? {
        let value = parameterValue(p.name)
        if value == nil && options.nounset {
            reportError("\(p.name): parameter not set")
            throw .exit(2)
        }
        if p.operation == .length { return String((value ?? "").utf8.count) }
        return value
    }

    /// An unquoted `*`, `?` or `[` may start a pattern (XCU 2.13).
    func hasPatternCharacter(_ s: String) -> Bool {
        s.utf8.contains { $0 == 42 || $0 == 63 || $0 == 91 }
    }

    /// Whether field splitting would cut `s` (XCU 2.6.5): it holds a byte of IFS (unset IFS is
    /// <space><tab><newline>).
    func hasFieldSeparator(_ s: String, ifs: String?) -> Bool {
        guard let ifs else { return s.utf8.contains { $0 == 32 || $0 == 9 || $0 == 10 } }
        if ifs.isEmpty { return false }
        return s.utf8.contains { ifs.utf8.contains($0) }
    }

    // MARK: parts

    /// `splitLiterals`: unquoted text inside ${x:-word} is split like the expansion it replaces.
    func expand(_ word: Word, quoted: Bool, into buffer: inout ExpansionBuffer, splitLiterals: Bool = false) throws(ShellInterrupt) {
        for part in word {
            switch part {
            case .literal(let s):
                buffer.append(s, quoted ? ExpansionBuffer.quoted : (splitLiterals ? ExpansionBuffer.splittable : 0))
            case .quoted(let s):
                if s.isEmpty { buffer.mark(ExpansionBuffer.emptyQuote) }
                buffer.append(s, ExpansionBuffer.quoted)
            case .doubleQuoted(let inner):
                // "$@" with no positional parameters is no field at all (XCU 2.5.2).
                if inner.count == 1, case .parameter(let p) = inner[0], p.name == "@", p.operation == .plain, positional.isEmpty {
                    continue
                }
                buffer.mark(ExpansionBuffer.emptyQuote)
                try expand(inner, quoted: true, into: &buffer)
            case .tilde(let user):
                // XCU 2.6.1: ~ is $HOME, ~user that user's home directory (else left as it is).
                if user.isEmpty, let home = value("HOME") { buffer.append(home, ExpansionBuffer.quoted) }
                else if !user.isEmpty, let entry = Posix.getpwnam(user) { buffer.append(entry.home, ExpansionBuffer.quoted) }
                else { buffer.append("~" + user, ExpansionBuffer.quoted) }
            case .parameter(let p):
                try expandParameter(p, quoted: quoted, into: &buffer)
            case .commandSubstitution(let command):
                let output = try commandSubstitution(command)
                buffer.append(output, quoted ? ExpansionBuffer.quoted : ExpansionBuffer.splittable)
            case .arithmetic(let inner, let parsed):
                let v = try arithmetic(inner, parsed)
                buffer.append(String(v), quoted ? ExpansionBuffer.quoted : ExpansionBuffer.splittable)
            }
        }
    }

    /// The value of $(( … )): the expression parsed with the word, or else the parts expanded
    /// (as in double quotes, XCU 2.6.4) and parsed now.
    func arithmetic(_ parts: Word, _ parsed: ArithmeticExpression?) throws(ShellInterrupt) -> Int {
        let expression: ArithmeticExpression
        if let parsed { expression = parsed } else {
            expression = ArithmeticExpression(parsing: try expandString([.doubleQuoted(parts)]))
        }
        do {
            return try expression.evaluate(self)
        } catch {
            reportError(error.message)
            throw .exit(2)
        }
    }

    /// The value of a parameter (XCU 2.5): special, positional or a variable.
    func parameterValue(_ name: String) -> String? {
        guard let c = name.utf8.first else { return nil }
        if isDigit(c) {
            guard let n = Int(name) else { return nil }
            if n == 0 { return arg0 }
            return n <= positional.count ? positional[n - 1] : nil
        }
        if name.utf8.count == 1 {
            switch c {
            case 63: return String(status)                      // ?
            case 35: return String(positional.count)            // #
            case 36: return String(shellPID)                    // $
            case 33: return lastBackgroundPID == 0 ? nil : String(lastBackgroundPID)   // !
            case 45: return options.flags                       // -
            case 64, 42: return positional.isEmpty ? nil : joinedPositional(separatorFor: c)
            default: break
            }
        }
        return variables[name]?.value
    }

    /// The first character of IFS (a space when IFS is unset, nothing when it is empty).
    func joinSeparator() -> [UInt8] {
        guard let ifs = value("IFS") else { return [32] }
        return Array(ifs.prefix(1).utf8)
    }

    func joinedPositional(separatorFor c: UInt8) -> String {
        var sep = " "
        if c == 42, let ifs = value("IFS") { sep = ifs.isEmpty ? "" : String(ifs.prefix(1)) }
        var s = ""
        for (i, p) in positional.enumerated() { if i > 0 { s += sep }; s += p }
        return s
    }

    /// XCU 2.6.2 Parameter Expansion.
    func expandParameter(_ p: ParameterExpansion, quoted: Bool, into buffer: inout ExpansionBuffer) throws(ShellInterrupt) {
        let valueFlag = quoted ? ExpansionBuffer.quoted : ExpansionBuffer.splittable
        // $@ and $* keep their parameters apart (also as the value of ${@:-…} and the like).
        let positionalList = p.name == "@" || p.name == "*"
        func appendValue(_ v: String, _ buffer: inout ExpansionBuffer) {
            guard positionalList else { buffer.append(v, valueFlag); return }
            if p.name == "*" && quoted {
                buffer.append(joinedPositional(separatorFor: 42), valueFlag)
                return
            }
            for (i, arg) in positional.enumerated() {
                if i > 0 { buffer.mark(quoted ? ExpansionBuffer.hardBreak : ExpansionBuffer.softBreak) }
                if quoted && arg.isEmpty { buffer.mark(ExpansionBuffer.emptyQuote) }
                buffer.append(arg, valueFlag)
            }
        }
        if p.operation == .plain && positionalList {
            appendValue("", &buffer)
            return
        }
        if p.operation == .bad {
            reportError("Bad substitution")
            throw .exit(2)
        }
        let value = parameterValue(p.name)
        let isSet = p.colon ? !(value ?? "").isEmpty : value != nil
        switch p.operation {
        case .plain, .length, .removeSmallestSuffix, .removeLargestSuffix, .removeSmallestPrefix, .removeLargestPrefix:
            if value == nil && options.nounset && p.name != "@" && p.name != "*" {
                reportError("\(p.name): parameter not set")
                throw .exit(2)
            }
        default: break
        }
        switch p.operation {
        case .plain:
            if let v = value { buffer.append(v, valueFlag) }
        case .bad:
            break
        case .length:
            buffer.append(String((value ?? "").utf8.count), valueFlag)
        case .useDefault:
            if isSet { appendValue(value ?? "", &buffer) } else { try expand(p.word, quoted: quoted, into: &buffer, splitLiterals: true) }
        case .useAlternative:
            if isSet { try expand(p.word, quoted: quoted, into: &buffer, splitLiterals: true) }
        case .assignDefault:
            if isSet { appendValue(value ?? "", &buffer); return }
            guard isValidName(p.name) else {
                reportError("\(p.name): cannot assign in this way"); throw .exit(2)
            }
            let v = try expandString(p.word)
            try assignOrFail(p.name, v)
            buffer.append(v, valueFlag)
        case .indicateError:
            if isSet { appendValue(value ?? "", &buffer); return }
            let message = try expandString(p.word)
            reportError("\(p.name): " + (message.isEmpty ? (p.colon ? "parameter null or not set" : "parameter not set") : message))
            throw .exit(2)
        case .removeSmallestSuffix, .removeLargestSuffix, .removeSmallestPrefix, .removeLargestPrefix:
            let pattern = try expandPattern(p.word)
            let s = Array((value ?? "").utf8)
            buffer.append(String(decoding: removePattern(pattern, from: s, p.operation), as: UTF8.self), valueFlag)
        }
    }

    func removePattern(_ pattern: Pattern, from s: [UInt8], _ op: ParameterExpansion.Operation) -> ArraySlice<UInt8> {
        switch op {
        case .removeSmallestPrefix:
            for i in 0...s.count where pattern.matches(s, 0, i) { return s[i...] }
        case .removeLargestPrefix:
            for i in stride(from: s.count, through: 0, by: -1) where pattern.matches(s, 0, i) { return s[i...] }
        case .removeSmallestSuffix:
            for i in stride(from: s.count, through: 0, by: -1) where pattern.matches(s, i, s.count) { return s[..<i] }
        case .removeLargestSuffix:
            for i in 0...s.count where pattern.matches(s, i, s.count) { return s[..<i] }
        default: break
        }
        return s[...]
    }

    /// XCU 2.6.3: runs `command` in a subshell and returns its output less trailing newlines.
    func commandSubstitution(_ command: Command) throws(ShellInterrupt) -> String {
        guard let (r, w) = try? Posix.pipe() else { reportError("pipe failed"); throw .exit(2) }
        let pid = forkChild { () throws(ShellInterrupt) in
            try? Posix.close(r)
            if w != 1 { _ = try? Posix.dup2(w, 1); try? Posix.close(w) }
            if case .simple = command { self.execDirectly = true }
            try self.eval(command)
        }
        try? Posix.close(w)
        var output: [UInt8] = []
        while let chunk = try? Posix.read(r, count: 65536), !chunk.isEmpty { output.append(contentsOf: chunk) }
        try? Posix.close(r)
        if pid > 0 { status = waitFor(pid) } else { status = 2 }
        substitutionStatus = status
        while output.last == 10 { output.removeLast() }
        output.removeAll { $0 == 0 }   // dash drops NUL bytes
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: field splitting (XCU 2.6.5)

    func splitFields(_ buffer: ExpansionBuffer) -> [(bytes: [UInt8], quoted: [Bool])] {
        let ifs = Array((value("IFS") ?? " \t\n").utf8)
        func isIFS(_ c: UInt8) -> Bool { ifs.contains(c) }
        func isWhite(_ c: UInt8) -> Bool { (c == 32 || c == 9 || c == 10) && ifs.contains(c) }
        var fields: [(bytes: [UInt8], quoted: [Bool])] = []
        var bytes: [UInt8] = [], quoted: [Bool] = []
        var hasContent = false
        func emit() { fields.append((bytes, quoted)); bytes = []; quoted = []; hasContent = false }
        let n = buffer.bytes.count
        var i = 0
        while i < n {
            let c = buffer.bytes[i], f = buffer.flags[i]
            if f & ExpansionBuffer.hardBreak != 0 { emit(); i += 1; continue }
            if f & ExpansionBuffer.softBreak != 0 { if hasContent { emit() }; i += 1; continue }
            if f & ExpansionBuffer.emptyQuote != 0 { hasContent = true; i += 1; continue }
            if f & ExpansionBuffer.splittable != 0 && isIFS(c) {
                // One delimiter: IFS white space around at most one other IFS character.
                var j = i
                while j < n && buffer.flags[j] & ExpansionBuffer.splittable != 0 && isWhite(buffer.bytes[j]) { j += 1 }
                var hard = false
                if j < n && buffer.flags[j] & ExpansionBuffer.splittable != 0 && isIFS(buffer.bytes[j]) && !isWhite(buffer.bytes[j]) {
                    hard = true
                    j += 1
                    while j < n && buffer.flags[j] & ExpansionBuffer.splittable != 0 && isWhite(buffer.bytes[j]) { j += 1 }
                }
                if hard || hasContent { emit() }
                i = j
                continue
            }
            bytes.append(c)
            quoted.append(f & ExpansionBuffer.quoted != 0)
            hasContent = true
            i += 1
        }
        if hasContent { emit() }
        return fields
    }

    // MARK: pathname expansion (XCU 2.6.6)

    func pathnameExpansion(_ pattern: Pattern) -> [String] {
        // Split into components at '/'.
        var components: [Pattern] = []
        var start = 0
        let absolute = pattern.bytes.first == 47
        for i in 0...pattern.bytes.count where i == pattern.bytes.count || pattern.bytes[i] == 47 {
            if i > start {
                components.append(Pattern(bytes: Array(pattern.bytes[start..<i]), quoted: Array(pattern.quoted[start..<i])))
            }
            start = i + 1
        }
        let trailingSlash = pattern.bytes.count > 1 && pattern.bytes.last == 47
        var paths: [String] = [absolute ? "/" : ""]
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            var next: [String] = []
            for base in paths {
                if !component.hasMagic {
                    let name = String(decoding: component.bytes, as: UTF8.self)
                    let path = base + name
                    if last {
                        if (try? Posix.lstat(path)) != nil { next.append(path) }
                    } else {
                        next.append(path + "/")
                    }
                    continue
                }
                let directory = base.isEmpty ? "." : base
                guard let names = try? Posix.readDirectory(directory) else { continue }
                var matched: [String] = []
                let dotAllowed = component.bytes.first == 46
                for name in names {
                    let b = Array(name.utf8)
                    if b.first == 46 && !dotAllowed { continue }
                    if component.matches(b) { matched.append(name) }
                }
                matched.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                for name in matched {
                    let path = base + name
                    if last && !trailingSlash {
                        next.append(path)
                    } else if let st = try? Posix.stat(path), S_ISDIR(st.mode) {
                        next.append(path + "/")
                    }
                }
            }
            paths = next
            if paths.isEmpty { return [] }
        }
        if components.isEmpty { return [] }
        return paths.map { p in
            // Directories carried a trailing "/" for joining; drop it unless the pattern had one.
            if !trailingSlash && p.utf8.count > 1 && p.utf8.last == 47 { return String(p.dropLast()) }
            return p
        }
    }
}

/// Arithmetic reads and assigns shell variables (XCU 2.6.4); a read-only one is reported and
/// the expression goes on, as dash does.
extension Shell: ArithmeticVariables {
    func arithmeticLookup(_ name: String) -> String? { value(name) }
    func arithmeticAssign(_ name: String, _ value: Int) { setVariable(name, String(value)) }
}
