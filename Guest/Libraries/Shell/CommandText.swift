// CommandText.swift — a command as `jobs`, `fg` and the job notices show it: the tree written
// back as text the way dash's cmdtxt does (its jobs.c): words as typed but with quotes shown as
// "…", $x as ${x}, command substitutions as $(...), bodies of functions as { ... }, here-documents
// as <<..., redirections with their descriptor ("1>file").

extension Shell {
    func commandText(_ command: Command) -> String {
        var text = ""
        appendText(command, to: &text)
        return text
    }

    private func appendText(_ command: Command, to t: inout String) {
        switch command {
        case .simple(let c):
            var first = true
            for a in c.assignments {
                if !first { t += " " }
                first = false
                t += a.name + "=" + wordText(a.value)
            }
            for w in c.words {
                if !first { t += " " }
                first = false
                t += wordText(w)
            }
            for r in c.redirections { t += " " + redirectionText(r) }
        case .pipeline(let commands, let negated):
            if negated { t += "!" }
            for (i, c) in commands.enumerated() {
                if i > 0 { t += " | " }
                appendText(c, to: &t)
            }
        case .andOr(let first, let rest):
            appendText(first, to: &t)
            for link in rest {
                t += link.isAnd ? " && " : " || "
                appendText(link.command, to: &t)
            }
        case .list(let items):
            for (i, item) in items.enumerated() {
                if i > 0 { t += "; " }
                appendText(item.command, to: &t)
            }
        case .subshell(let body):
            t += "("
            appendText(body, to: &t)
            t += ")"
        case .group(let body):
            appendText(body, to: &t)
        case .ifClause(let clauses, let elseBody):
            // dash shows only the first test and body (elif is an if in the else part there).
            for (i, clause) in clauses.enumerated() {
                t += i == 0 ? "if " : "; else if "
                appendText(clause.condition, to: &t)
                t += "; then "
                appendText(clause.body, to: &t)
            }
            if let e = elseBody {
                t += "; else "
                appendText(e, to: &t)
            }
            for _ in clauses { t += "; fi" }
        case .loop(let condition, let body, let until):
            t += until ? "until " : "while "
            appendText(condition, to: &t)
            t += "; do "
            appendText(body, to: &t)
            t += "; done"
        case .forLoop(let name, let words, let body):
            t += "for " + name + " in "
            if let words {
                for (i, w) in words.enumerated() { if i > 0 { t += " " }; t += wordText(w) }
            }
            t += "; do "
            appendText(body, to: &t)
            t += "; done"
        case .caseClause(let word, let items):
            t += "case " + wordText(word) + " in "
            for item in items {
                for (i, p) in item.patterns.enumerated() { if i > 0 { t += "|" }; t += wordText(p) }
                t += ") "
                if let b = item.body { appendText(b, to: &t) }
                t += ";; "
            }
            t += "esac"
        case .functionDefinition(let name, _):
            t += name + "() { ... }"
        case .redirected(let inner, let redirections):
            appendText(inner, to: &t)
            for r in redirections { t += " " + redirectionText(r) }
        case .empty:
            break
        }
    }

    private func redirectionText(_ r: Redirection) -> String {
        let op: String
        switch r.kind {
        case .input: op = "<"
        case .output: op = ">"
        case .append: op = ">>"
        case .clobber: op = ">|"
        case .readWrite: op = "<>"
        case .duplicateInput: op = "<&"
        case .duplicateOutput: op = ">&"
        case .hereDocument: return "\(r.fd)<<..."
        }
        return "\(r.fd)" + op + wordText(r.target)
    }

    /// A word as dash's cmdputs writes it back.
    func wordText(_ word: Word) -> String {
        var t = ""
        for part in word { t += partText(part, quoted: false) }
        return t
    }

    private func partText(_ part: WordPart, quoted: Bool) -> String {
        switch part {
        case .literal(let s): return s
        case .quoted(let s): return quoted ? escaped(s) : "\"" + escaped(s) + "\""
        case .doubleQuoted(let parts):
            var t = "\""
            for p in parts { t += partText(p, quoted: true) }
            return t + "\""
        case .tilde(let user): return "~" + user
        case .parameter(let p):
            var t = p.operation == .length ? "${#" : "${"
            t += p.name
            let ops: [ParameterExpansion.Operation: String] = [
                .useDefault: "-", .assignDefault: "=", .indicateError: "?", .useAlternative: "+",
                .removeSmallestSuffix: "%", .removeLargestSuffix: "%%", .removeSmallestPrefix: "#", .removeLargestPrefix: "##"]
            if let op = ops[p.operation] {
                if p.colon { t += ":" }
                t += op
                for w in p.word { t += partText(w, quoted: quoted) }
            }
            return t + "}"
        case .commandSubstitution: return "$(...)"
        case .arithmetic(let parts, _):
            var t = "$(("
            for p in parts { t += partText(p, quoted: quoted) }
            return t + "))"
        }
    }

    /// Inside quotes dash writes \ " ' $ with a backslash before them.
    private func escaped(_ s: String) -> String {
        var out: [UInt8] = []
        for b in s.utf8 {
            if b == 92 || b == 34 || b == 39 || b == 36 { out.append(92) }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
