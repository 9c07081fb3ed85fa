// Builtins.swift — the builtin utilities (XCU 2.14 Special Built-In Utilities and the regular
// ones a shell must provide), and their dispatch.
import Posix

extension Shell {
    /// XCU 2.14: errors in these are fatal and their assignments persist.
    static let specialBuiltins: Set<String> = [":", ".", "break", "continue", "eval", "exec", "exit", "export",
                                               "readonly", "return", "set", "shift", "times", "trap", "unset"]
    static let regularBuiltins: Set<String> = ["cd", "pwd", "echo", "printf", "test", "[", "true", "false", "read",
                                               "wait", "kill", "type", "command", "alias", "unalias", "umask",
                                               "getopts", "local", "jobs", "fg", "bg", "hash"]
    enum BuiltinKind { case special, regular }
    /// Both lists in one table, so finding a command costs one lookup (a loop runs `[` or `test`
    /// on every iteration).
    static let builtinKinds: [String: BuiltinKind] = {
        var kinds: [String: BuiltinKind] = [:]
        for name in specialBuiltins { kinds[name] = .special }
        for name in regularBuiltins { kinds[name] = .regular }
        return kinds
    }()
    static let reservedWords: Set<String> = ["!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi",
                                             "for", "if", "in", "then", "until", "while"]

    /// Runs builtin `name`; nil if there is none of that name.
    func runBuiltin(_ name: String, _ argv: [String]) throws(ShellInterrupt) -> Int32? {
        // The ones a loop runs on every iteration first, on the arguments where they lie.
        switch name {
        case ":", "true": return 0
        case "false": return 1
        case "test": return builtinTest(argv.dropFirst())
        case "[":
            guard argv.count > 1, argv.last == "]" else { reportError("[: missing ]"); return 2 }
            return builtinTest(argv.dropFirst().dropLast())
        default: break
        }
        let args = Array(argv.dropFirst())
        switch name {
        case "echo": return builtinEcho(args)
        case "printf": return builtinPrintf(args)
        case "cd": return builtinCd(args)
        case "pwd": return builtinPwd(args)
        case "umask": return builtinUmask(args)
        case "break", "continue": return try builtinLoopControl(name, args)
        case "return": return try builtinReturn(args)
        case "exit": return try builtinExit(args)
        case "eval": return try builtinEval(args)
        case ".": return try builtinDot(args)
        case "exec": return try builtinExec(args)
        case "export", "readonly": return try builtinExport(name, args)
        case "unset": return try builtinUnset(args)
        case "set": return try builtinSet(args)
        case "shift": return try builtinShift(args)
        case "local": return try builtinLocal(args)
        case "read": return builtinRead(args)
        case "getopts": return builtinGetopts(args)
        case "trap": return try builtinTrap(args)
        case "wait": return try builtinWait(args)
        case "kill": return builtinKill(args)
        case "times": return builtinTimes()
        case "type": return builtinType(args)
        case "command": return try builtinCommand(args)
        case "alias": return builtinAlias(args)
        case "unalias": return builtinUnalias(args)
        case "hash": return 0
        case "jobs": return builtinJobs(args)
        case "fg", "bg": return try builtinForegroundBackground(name, args)
        default: return nil
        }
    }

    /// A value quoted for reuse as shell input, as dash prints it (its single_quote): runs without
    /// a quote inside '…', runs of quotes inside "…".
    func shellQuoted(_ s: String) -> String {
        let b = Array(s.utf8)
        if b.isEmpty { return "''" }
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            var j = i
            while j < b.count && b[j] != 39 { j += 1 }
            if j > i { out.append(39); out.append(contentsOf: b[i..<j]); out.append(39) }
            i = j
            while j < b.count && b[j] == 39 { j += 1 }
            if j > i { out.append(34); out.append(contentsOf: b[i..<j]); out.append(34) }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }
}
