// AST.swift — the syntax tree the parser builds (XCU 2.9 Shell Commands, 2.10 Shell Grammar).

/// One piece of a word as written (XCU 2.2 Quoting, 2.6 Word Expansions).
public indirect enum WordPart {
    /// Unquoted text: subject to pathname expansion (its glob characters are live).
    case literal(String)
    /// Text quoted by '…' or a backslash: taken literally.
    case quoted(String)
    /// "…": the parts inside are expanded but not split or globbed.
    case doubleQuoted([WordPart])
    /// `~` or `~user` at the start of a word (XCU 2.6.1).
    case tilde(String)
    case parameter(ParameterExpansion)
    /// $( … ) or ` … ` (XCU 2.6.3).
    case commandSubstitution(Command)
    /// $(( … )) (XCU 2.6.4): the parts are expanded, then evaluated. When the parts are plain
    /// text (nothing to expand), the expression is parsed once, with the word: `parsed`.
    case arithmetic([WordPart], parsed: ArithmeticExpression?)
}

public typealias Word = [WordPart]

/// ${name op word} (XCU 2.6.2 Parameter Expansion).
public struct ParameterExpansion {
    public enum Operation {
        case plain, length
        case useDefault, assignDefault, indicateError, useAlternative   // - = ? +
        case removeSmallestSuffix, removeLargestSuffix, removeSmallestPrefix, removeLargestPrefix
        /// A malformed ${…}: as in dash, an error only when it is expanded.
        case bad
    }
    public var name: String
    public var operation: Operation
    /// True for the `:` forms (null counts as unset).
    public var colon: Bool
    public var word: Word
}

/// A redirection (XCU 2.7). `fd` is the explicit or default descriptor.
public struct Redirection {
    public enum Kind { case input, output, append, clobber, readWrite, duplicateInput, duplicateOutput, hereDocument }
    public var fd: Int32
    public var kind: Kind
    public var target: Word
    /// For here-documents: the body, filled in when the parser reaches the next newline.
    public var hereDocument: HereDocument?
}

/// A here-document body (XCU 2.7.4); a class because the parser fills it in after the command.
public final class HereDocument {
    public var delimiter: String
    public var stripTabs: Bool
    /// Quoted delimiter: the body is taken literally.
    public var quoted: Bool
    public var body: Word = []
    init(delimiter: String, stripTabs: Bool, quoted: Bool) {
        self.delimiter = delimiter; self.stripTabs = stripTabs; self.quoted = quoted
    }
}

/// NAME=word before a command (XCU 2.9.1).
public struct Assignment {
    public var name: String
    public var value: Word
}

public struct SimpleCommand {
    public var assignments: [Assignment]
    public var words: [Word]
    public var redirections: [Redirection]
    public var line: Int
}

public struct CaseItem {
    public var patterns: [Word]
    public var body: Command?
    /// `;&` is not POSIX 2017; every item ends with `;;`.
}

/// A command tree (XCU 2.9). Lists carry `&` per element; and-or lists the operator per link.
public indirect enum Command {
    case simple(SimpleCommand)
    /// cmd1 | cmd2 … ; `negated` for a leading `!` (XCU 2.9.2).
    case pipeline([Command], negated: Bool)
    /// a && b || c (XCU 2.9.3): `rest` holds (isAnd, pipeline) links.
    case andOr(Command, [(isAnd: Bool, command: Command)])
    /// Sequential and asynchronous lists (XCU 2.9.3).
    case list([(command: Command, background: Bool)])
    case subshell(Command)
    case group(Command)
    case ifClause([(condition: Command, body: Command)], elseBody: Command?)
    case loop(condition: Command, body: Command, until: Bool)
    case forLoop(name: String, words: [Word]?, body: Command)
    case caseClause(Word, [CaseItem])
    case functionDefinition(name: String, body: Command)
    /// A compound command with redirections (XCU 2.9.4).
    case redirected(Command, [Redirection])
    /// Nothing (an empty program or list).
    case empty
}
