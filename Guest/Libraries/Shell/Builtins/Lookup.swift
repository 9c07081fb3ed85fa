// Lookup.swift — what a name means: type, command (-v -V, and bypassing functions), alias,
// unalias (XCU 2.3.1 Alias Substitution, 2.9.1.1 Command Search).
import Posix

extension Shell {
    /// One line of `type` / `command -V` output for `name`; nil when not found.
    func describe(_ name: String) -> String? {
        if Shell.reservedWords.contains(name) { return "\(name) is a shell keyword" }
        if let a = aliases[name] { return "\(name) is an alias for \(a)" }
        if Shell.specialBuiltins.contains(name) { return "\(name) is a special shell builtin" }
        if functions[name] != nil { return "\(name) is a shell function" }
        if Shell.regularBuiltins.contains(name) { return "\(name) is a shell builtin" }
        if let path = findCommand(name), (try? Posix.access(path, X_OK)) != nil {
            return "\(name) is \(path)"
        }
        return nil
    }

    func builtinType(_ args: [String]) -> Int32 {
        var result: Int32 = 0
        for name in args {
            if let d = describe(name) { out(d + "\n") } else { out("\(name): not found\n"); result = 127 }
        }
        return result
    }

    /// command [-p] [-v|-V] name [arg…]
    func builtinCommand(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        var args = args[...]
        var mode: UInt8 = 0
        while let a = args.first, a.hasPrefix("-"), a.utf8.count > 1 {
            args = args.dropFirst()
            if a == "--" { break }
            for c in a.utf8.dropFirst() {
                if c == 118 { mode = 118 } else if c == 86 { mode = 86 } else if c == 112 { } else {
                    reportError("command: Illegal option -\(String(decoding: [c], as: UTF8.self))")
                    return 2
                }
            }
        }
        guard let name = args.first else { return 0 }
        if mode == 118 {
            // dash: only the first name.
            if Shell.reservedWords.contains(name) || functions[name] != nil || Shell.specialBuiltins.contains(name)
                || Shell.regularBuiltins.contains(name) { out(name + "\n"); return 0 }
            if let a = aliases[name] { out("alias \(name)=\(shellQuoted(a))\n"); return 0 }
            if let path = findCommand(name), (try? Posix.access(path, X_OK)) != nil {
                out(path + "\n")
                return 0
            }
            return 127
        }
        if mode == 86 {
            if let d = describe(name) { out(d + "\n"); return 0 }
            out("\(name): not found\n")
            return 127
        }
        // Run name, skipping functions.
        let argv = Array(args)
        if Shell.specialBuiltins.contains(name) && name != "exit" {
            // XCU command: a special builtin's errors do not end the shell under `command`.
            do { return try runBuiltin(name, argv) ?? 0 } catch {
                if case .exit(let s) = error { return s }
                throw error
            }
        }
        if let s = try runBuiltin(name, argv) { return s }
        guard let path = findCommand(name) else {
            reportError("\(name): not found")
            return 127
        }
        let env = environmentForChild([])
        let job = makeJob()
        let pid = forkChild(job: job) { () throws(ShellInterrupt) in self.execute(path, argv, env) }
        if pid <= 0 { freeJob(job); return 2 }
        return finishForeground(job)
    }

    func builtinAlias(_ args: [String]) -> Int32 {
        if args.isEmpty {
            for name in aliases.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                out("\(name)=\(shellQuoted(aliases[name] ?? ""))\n")
            }
            return 0
        }
        var result: Int32 = 0
        for arg in args {
            let b = Array(arg.utf8)
            if let eq = b.firstIndex(of: 61) {
                aliases[String(decoding: b[..<eq], as: UTF8.self)] = String(decoding: b[(eq + 1)...], as: UTF8.self)
            } else if let v = aliases[arg] {
                out("\(arg)=\(shellQuoted(v))\n")
            } else {
                reportError("alias: \(arg) not found")
                result = 1
            }
        }
        return result
    }

    func builtinUnalias(_ args: [String]) -> Int32 {
        if args.first == "-a" { aliases.removeAll(); return 0 }
        var result: Int32 = 0
        for name in args {
            if aliases.removeValue(forKey: name) == nil { reportError("unalias: \(name) not found"); result = 1 }
        }
        return result
    }
}
