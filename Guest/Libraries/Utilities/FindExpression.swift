// FindExpression.swift — find's expression (POSIX.1-2017 "find", OPERANDS and "Expression"; GNU
// findutils 4.9's additions): its grammar — "( )", "!"/-not, -a/-and (or nothing), -o/-or, by
// precedence — and its primaries parsed into a tree with their arguments checked, the errors in
// GNU's words. Evaluation is Find.swift's.

struct FindExpression {
    /// A numeric argument's comparison: "+N" more than, "-N" less than, "N" exactly.
    enum Comparison { case more, less, exactly }

    indirect enum Node {
        case and(Node, Node), or(Node, Node), not(Node)
        case constant(Bool)
        case name(Glob), path(Glob)
        case type([FileInfo.Kind])
        /// -size: the comparison, N, and the unit in bytes (sizes round up to whole units).
        case size(Comparison, UInt64, UInt64)
        /// -mtime/-mmin: the comparison, N, and the period in seconds.
        case age(Comparison, Int64, Int64)
        /// -newer: the reference file's modification time.
        case newer(Int64, Int64)
        case empty
        case print(UInt8)
        /// -exec: the command words ("{}" is the path) and whether it is the "+" form; `batch`
        /// indexes the run's list of pending "+" paths.
        case exec([String], plus: Bool, batch: Int)
        case delete, prune, quit
        /// -perm: the mode and how it is compared — exactly, all of its bits (-MODE), or any (/MODE).
        case permissions(UInt32, PermissionTest)
        /// -printf: the format's pieces.
        case printf([PrintfPiece])
    }

    enum PermissionTest { case exactly, all, any }

    /// A piece of a -printf format: bytes as they are, or a directive (its letter and the
    /// flags/width/precision written before it, e.g. "-10" or ".2").
    enum PrintfPiece { case text([UInt8]), directive(UInt8, [UInt8]), stop }

    var root: Node
    /// No action in the expression: find prints what the whole of it selects.
    var printsImplicitly: Bool
    var maxDepth = Int.max, minDepth = 0
    /// -depth (or -delete): a directory after its contents.
    var depthFirst = false
    var execBatches = 0

    struct ParseError: Error { var message: String }

    /// Parses the expression; `io` stats -newer's reference file.
    static func parse<IO: TreeIO>(_ words: [String], io: IO) -> Result<FindExpression, ParseError> {
        var parser = Parser(words: words, io: io)
        do throws(ParseError) {
            if words.isEmpty { return .success(FindExpression(root: .constant(true), printsImplicitly: true)) }
            let node = try parser.or()
            if parser.i < words.count {
                if words[parser.i] == ")" { throw ParseError(message: "invalid expression; you have too many ')'") }
                throw ParseError(message: "paths must precede expression: `\(words[parser.i])'")
            }
            var e = FindExpression(root: node, printsImplicitly: !parser.sawAction)
            e.maxDepth = parser.maxDepth; e.minDepth = parser.minDepth
            e.depthFirst = parser.depthFirst; e.execBatches = parser.batches
            return .success(e)
        } catch {
            return .failure(error)
        }
    }

    /// -printf's format (GNU findutils): \ escapes (\a \b \c — stop this format — \f \n \r \t
    /// \v \\ and \NNN octal; another is printed with its backslash), and % directives with
    /// printf's flags, width and precision before the letter ("%%" is a percent sign).
    static func printfPieces(_ format: [UInt8]) -> [PrintfPiece] {
        var pieces: [PrintfPiece] = []
        var text: [UInt8] = []
        var i = 0
        func octal(_ c: UInt8) -> Bool { c >= 48 && c <= 55 }
        while i < format.count {
            let c = format[i]
            i += 1
            if c == UInt8(ascii: "\\") && i < format.count {
                let e = format[i]
                i += 1
                switch e {
                case UInt8(ascii: "a"): text.append(7)
                case UInt8(ascii: "b"): text.append(8)
                case UInt8(ascii: "f"): text.append(12)
                case UInt8(ascii: "n"): text.append(10)
                case UInt8(ascii: "r"): text.append(13)
                case UInt8(ascii: "t"): text.append(9)
                case UInt8(ascii: "v"): text.append(11)
                case UInt8(ascii: "\\"): text.append(92)
                case UInt8(ascii: "c"):
                    if !text.isEmpty { pieces.append(.text(text)) }
                    pieces.append(.stop)
                    return pieces
                case _ where octal(e):
                    var value = UInt32(e - 48)
                    var n = 1
                    while n < 3, i < format.count, octal(format[i]) { value = value * 8 + UInt32(format[i] - 48); i += 1; n += 1 }
                    text.append(UInt8(truncatingIfNeeded: value))
                default: text += [92, e]
                }
            } else if c == UInt8(ascii: "%") && i < format.count {
                if format[i] == UInt8(ascii: "%") { text.append(37); i += 1; continue }
                var spec: [UInt8] = []
                while i < format.count, "-+ #0123456789.".utf8.contains(format[i]) { spec.append(format[i]); i += 1 }
                guard i < format.count else { text.append(37); text += spec; break }
                if !text.isEmpty { pieces.append(.text(text)); text = [] }
                pieces.append(.directive(format[i], spec))
                i += 1
            } else {
                text.append(c)
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// The letters after a backslash in a -printf format that are no escape (GNU warns of them).
    static func unknownEscapes(_ format: [UInt8]) -> [UInt8] {
        var unknown: [UInt8] = []
        var i = 0
        while i + 1 < format.count {
            if format[i] == 92 {
                if !"abcfnrtv\\01234567".utf8.contains(format[i + 1]) { unknown.append(format[i + 1]) }
                i += 2
            } else {
                i += 1
            }
        }
        return unknown
    }

    struct Parser<IO: TreeIO> {
        let words: [String]
        let io: IO
        var i = 0
        var sawAction = false
        var maxDepth = Int.max, minDepth = 0
        var depthFirst = false
        var batches = 0

        func peek() -> String? { i < words.count ? words[i] : nil }

        mutating func or() throws(ParseError) -> Node {
            var left = try and()
            while let w = peek(), w == "-o" || w == "-or" {
                i += 1
                guard let next = peek(), next != ")" else { throw ParseError(message: "invalid expression; you have used a binary operator '\(w)' with nothing after it.") }
                left = .or(left, try and())
            }
            return left
        }

        mutating func and() throws(ParseError) -> Node {
            var left = try unary()
            while let w = peek(), w != "-o" && w != "-or" && w != ")" {
                if w == "-a" || w == "-and" {
                    i += 1
                    guard let next = peek(), next != ")", next != "-o", next != "-or" else {
                        throw ParseError(message: "invalid expression; you have used a binary operator '\(w)' with nothing after it.")
                    }
                }
                left = .and(left, try unary())
            }
            return left
        }

        mutating func unary() throws(ParseError) -> Node {
            guard let w = peek() else { throw ParseError(message: "invalid expression") }
            if w == "!" || w == "-not" {
                i += 1
                guard peek() != nil else { throw ParseError(message: "invalid expression; you have used a unary operator '\(w)' with nothing after it.") }
                return .not(try unary())
            }
            if w == "(" {
                i += 1
                if peek() == ")" { throw ParseError(message: "invalid expression; empty parentheses are not allowed.") }
                let inner = try or()
                guard peek() == ")" else { throw ParseError(message: "invalid expression; I was expecting to find a ')' somewhere but did not see one.") }
                i += 1
                return inner
            }
            if w == "-a" || w == "-and" || w == "-o" || w == "-or" {
                throw ParseError(message: "invalid expression; you have used a binary operator '\(w)' with nothing before it.")
            }
            i += 1
            return try primary(w)
        }

        mutating func argument(_ name: String) throws(ParseError) -> String {
            guard let a = peek() else { throw ParseError(message: "missing argument to `\(name)'") }
            i += 1
            return a
        }

        /// "+N", "-N" or "N" (decimal).
        func numeric(_ text: String, _ name: String) throws(ParseError) -> (Comparison, String) {
            var body = Substring(text)
            var c = Comparison.exactly
            if body.hasPrefix("+") { c = .more; body = body.dropFirst() } else if body.hasPrefix("-") { c = .less; body = body.dropFirst() }
            return (c, String(body))
        }

        mutating func primary(_ w: String) throws(ParseError) -> Node {
            switch w {
            case "-name", "-iname":
                let a = try argument(w)
                return .name(Glob(pattern: Array(a.utf8), ignoreCase: w == "-iname"))
            case "-path", "-ipath", "-wholename", "-iwholename":
                let a = try argument(w)
                return .path(Glob(pattern: Array(a.utf8), ignoreCase: w.hasPrefix("-i")))
            case "-type":
                let a = try argument(w)
                var kinds: [FileInfo.Kind] = []
                let letters = a.split(separator: ",", omittingEmptySubsequences: false)
                for l in letters {
                    switch l {
                    case "f": kinds.append(.regular)
                    case "d": kinds.append(.directory)
                    case "l": kinds.append(.symlink)
                    case "b", "c", "p", "s", "D": kinds.append(.other)
                    default:
                        if l.count > 1 && letters.count == 1 { throw ParseError(message: "Must separate multiple arguments to -type using: ','") }
                        throw ParseError(message: "Unknown argument to -type: \(l)")
                    }
                }
                return .type(kinds)
            case "-size":
                let a = try argument(w)
                var (c, body) = try numeric(a, w)
                var unit: UInt64 = 512
                if let last = body.utf8.last, !(last >= 48 && last <= 57) {
                    switch last {
                    case 99: unit = 1            // c
                    case 119: unit = 2           // w
                    case 98: unit = 512          // b
                    case 107: unit = 1 << 10     // k
                    case 77: unit = 1 << 20      // M
                    case 71: unit = 1 << 30      // G
                    default: throw ParseError(message: "invalid -size type `\(String(decoding: [last], as: UTF8.self))'")
                    }
                    body.removeLast()
                }
                guard let n = parseDecimal(body) else { throw ParseError(message: "invalid argument `\(a)' to `-size'") }
                if c == .exactly && a.hasPrefix("+") { c = .more }
                return .size(c, UInt64(n), unit)
            case "-mtime", "-mmin":
                let a = try argument(w)
                let (c, body) = try numeric(a, w)
                guard let n = parseDecimal(body) else { throw ParseError(message: "invalid argument `\(a)' to `\(w)'") }
                return .age(c, Int64(min(n, Int(Int32.max))), w == "-mtime" ? 86_400 : 60)
            case "-newer":
                let a = try argument(w)
                switch io.info(a, followLinks: true) {
                case .success(let info): return .newer(info.modified, info.modifiedNanoseconds)
                case .failure(let e): throw ParseError(message: "'\(a)': " + e.message)
                }
            case "-perm":
                let a = try argument(w)
                var body = Substring(a)
                var test = PermissionTest.exactly
                if body.hasPrefix("-") { test = .all; body = body.dropFirst() } else if body.hasPrefix("/") { test = .any; body = body.dropFirst() }
                // octal modes only (GNU also takes chmod's symbolic ones)
                guard !body.isEmpty, body.utf8.count <= 4, body.utf8.allSatisfy({ $0 >= 48 && $0 <= 55 }) else {
                    throw ParseError(message: "invalid mode `\(a)'")
                }
                return .permissions(body.utf8.reduce(0) { $0 * 8 + UInt32($1 - 48) }, test)
            case "-printf":
                sawAction = true
                let format = Array(try argument(w).utf8)
                for e in FindExpression.unknownEscapes(format) {
                    io.writeError(Array("find: warning: unrecognized escape `\\\(String(decoding: [e], as: UTF8.self))'\n".utf8))
                }
                return .printf(FindExpression.printfPieces(format))
            case "-empty": return .empty
            case "-true": return .constant(true)
            case "-false": return .constant(false)
            case "-print": sawAction = true; return .print(10)
            case "-print0": sawAction = true; return .print(0)
            case "-delete": sawAction = true; depthFirst = true; return .delete
            case "-prune": return .prune
            case "-quit": sawAction = true; return .quit
            case "-depth": depthFirst = true; return .constant(true)
            case "-maxdepth", "-mindepth":
                let a = try argument(w)
                guard let n = parseDecimal(a) else {
                    throw ParseError(message: "Expected a positive decimal integer argument to \(w), but got `\(a)'")
                }
                if w == "-maxdepth" { maxDepth = n } else { minDepth = n }
                return .constant(true)
            case "-exec":
                sawAction = true
                var command: [String] = []
                while let t = peek() {
                    i += 1
                    if t == ";" {
                        guard !command.isEmpty else { throw ParseError(message: "missing argument to `-exec'") }
                        return .exec(command, plus: false, batch: 0)
                    }
                    if t == "+" && command.last == "{}" {
                        command.removeLast()
                        guard !command.isEmpty else { throw ParseError(message: "missing argument to `-exec'") }
                        batches += 1
                        return .exec(command, plus: true, batch: batches - 1)
                    }
                    command.append(t)
                }
                throw ParseError(message: "missing argument to `-exec'")
            default:
                if w.hasPrefix("-") && w.count > 1 { throw ParseError(message: "unknown predicate `\(w)'") }
                throw ParseError(message: "paths must precede expression: `\(w)'")
            }
        }
    }
}
