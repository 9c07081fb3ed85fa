// Variables.swift — builtins over variables and parameters: export, readonly, unset, set, shift,
// local, read, getopts (XCU 2.14 and the utilities' pages).
import Posix

extension Shell {
    /// export / readonly [-p] [name[=value]…]
    func builtinExport(_ which: String, _ args: [String]) throws(ShellInterrupt) -> Int32 {
        var args = args[...]
        if args.first == "--" { args = args.dropFirst() }
        if args.isEmpty || args.first == "-p" {
            for name in variables.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                guard let v = variables[name], which == "export" ? v.exported : v.readonly else { continue }
                if let value = v.value { out("\(which) \(name)=\(shellQuoted(value))\n") } else { out("\(which) \(name)\n") }
            }
            return 0
        }
        for arg in args {
            let b = Array(arg.utf8)
            let eq = b.firstIndex(of: 61)
            let name = eq.map { String(decoding: b[..<$0], as: UTF8.self) } ?? arg
            guard isValidName(name) else { reportError("\(which): \(name): bad variable name"); throw .exit(2) }
            if let eq { try assignOrFail(name, String(decoding: b[(eq + 1)...], as: UTF8.self)) }
            var v = variables[name] ?? Variable(value: nil)
            if which == "export" { v.exported = true } else { v.readonly = true }
            variables[name] = v
        }
        return 0
    }

    /// unset [-v|-f] name…
    func builtinUnset(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        var functionsOnly = false
        var args = args[...]
        while let a = args.first, a.hasPrefix("-") {
            if a == "-f" { functionsOnly = true } else if a == "-v" { functionsOnly = false } else if a == "--" { args = args.dropFirst(); break }
            args = args.dropFirst()
        }
        for name in args {
            if functionsOnly { functions[name] = nil; continue }
            guard isValidName(name) else { reportError("unset: \(name): bad variable name"); throw .exit(2) }
            if variables[name]?.readonly == true {
                reportError("unset: \(name): is read only")
                throw .exit(2)
            }
            variables[name] = nil
            if name == "PATH" { commandPathCache.removeAll() }
        }
        return 0
    }

    /// set [-+efuxCnva] [-o option] [--] [arg…]; no arguments lists the variables.
    func builtinSet(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        if args.isEmpty {
            for name in variables.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                if let value = variables[name]?.value { out("\(name)=\(shellQuoted(value))\n") }
            }
            return 0
        }
        var i = 0
        while i < args.count {
            let a = args[i]
            let b = Array(a.utf8)
            if a == "--" { i += 1; positional = Array(args[i...]); resetGetopts(); return 0 }
            guard b.count >= 1, b[0] == 45 || b[0] == 43 else { break }
            if a == "-" { i += 1; break }
            let on = b[0] == 45
            if b.count == 2 && b[1] == 111 {
                // -o name / +o name; alone: list the options.
                if i + 1 >= args.count {
                    // dash's option table, in its order.
                    let names = ["errexit", "noglob", "ignoreeof", "interactive", "monitor", "noexec", "stdin", "xtrace",
                                 "verbose", "vi", "emacs", "noclobber", "allexport", "notify", "nounset", "privileged",
                                 "nolog", "debug"]
                    var text = on ? "Current option settings\n" : ""
                    for n in names {
                        if on {
                            var padded = n
                            while padded.utf8.count < 16 { padded += " " }
                            text += padded + (option(n) ? "on" : "off") + "\n"
                        } else {
                            text += "set \(option(n) ? "-" : "+")o \(n)\n"
                        }
                    }
                    out(text)
                    return 0
                }
                guard setOption(args[i + 1], on) else { reportError("set: Illegal option -o \(args[i + 1])"); throw .exit(2) }
                i += 2
                continue
            }
            for c in b.dropFirst() {
                let name: String
                switch c {
                case 101: name = "errexit"
                case 102: name = "noglob"
                case 110: name = "noexec"
                case 117: name = "nounset"
                case 118: name = "verbose"
                case 120: name = "xtrace"
                case 97: name = "allexport"
                case 67: name = "noclobber"
                case 104, 98, 109, 105, 115, 69, 86: continue
                default:
                    reportError("set: Illegal option \(on ? "-" : "+")\(String(decoding: [c], as: UTF8.self))")
                    throw .exit(2)
                }
                _ = setOption(name, on)
            }
            i += 1
        }
        if i < args.count || args.last == "-" { positional = Array(args[i...]); resetGetopts() }
        return 0
    }

    func option(_ name: String) -> Bool {
        switch name {
        case "errexit": return options.errexit
        case "noglob": return options.noglob
        case "noexec": return options.noexec
        case "nounset": return options.nounset
        case "verbose": return options.verbose
        case "xtrace": return options.xtrace
        case "allexport": return options.allexport
        case "noclobber": return options.noclobber
        default: return false
        }
    }

    func setOption(_ name: String, _ on: Bool) -> Bool {
        switch name {
        case "errexit": options.errexit = on
        case "noglob": options.noglob = on
        case "noexec": options.noexec = on
        case "nounset": options.nounset = on
        case "verbose": options.verbose = on
        case "xtrace": options.xtrace = on
        case "allexport": options.allexport = on
        case "noclobber": options.noclobber = on
        case "monitor", "interactive", "emacs", "vi", "ignoreeof", "notify", "nolog": break
        default: return false
        }
        return true
    }

    func builtinShift(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        var n = 1
        if let a = args.first {
            guard let v = Int(a), v >= 0 else { reportError("shift: Illegal number: \(a)"); throw .exit(2) }
            n = v
        }
        guard n <= positional.count else { reportError("shift: can't shift that many"); throw .exit(2) }
        positional.removeFirst(n)
        resetGetopts()
        return 0
    }

    /// local name[=value]…: restored when the function returns (dash).
    func builtinLocal(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        guard functionDepth > 0, !localFrames.isEmpty else { reportError("local: not in a function"); throw .exit(2) }
        for arg in args {
            let b = Array(arg.utf8)
            let eq = b.firstIndex(of: 61)
            let name = eq.map { String(decoding: b[..<$0], as: UTF8.self) } ?? arg
            guard isValidName(name) else { reportError("local: \(name): bad variable name"); return 2 }
            if !localFrames[localFrames.count - 1].contains(where: { $0.name == name }) {
                localFrames[localFrames.count - 1].append((name, variables[name]))
            }
            if let eq { if !setVariable(name, String(decoding: b[(eq + 1)...], as: UTF8.self)) { return 2 } }
        }
        return 0
    }

    /// read [-r] [-p prompt] name… (XCU read): one line, split by IFS, the last name takes the rest.
    func builtinRead(_ args: [String]) -> Int32 {
        var raw = false
        var args = args[...]
        while let a = args.first, a.hasPrefix("-"), a != "-" {
            args = args.dropFirst()
            if a == "--" { break }
            if a == "-r" { raw = true }
            else if a == "-p" { if let p = args.first { write(2, Array(p.utf8)); args = args.dropFirst() } }
            else { reportError("read: Illegal option \(a)"); return 2 }
        }
        let names = Array(args)
        if names.isEmpty { reportError("read: arg count"); return 2 }
        if let bad = names.first(where: { !isValidName($0) }) { reportError("read: \(bad): bad variable name"); return 2 }
        // Bytes with whether each was escaped by a backslash (escaped bytes never split).
        var bytes: [UInt8] = [], escaped: [Bool] = []
        var sawEOF = false
        // One byte, or nil at end of file, on an error, or when a signal with a trap (or an
        // interactive shell's SIGINT) ends the wait: then, as dash, read's status is 1 with what
        // came so far, and the trap runs after it (XCU 2.11). Other caught signals read on. One
        // that came just before the wait (noted by the handler, so it cannot end the read) counts.
        func byte() -> UInt8? {
            while true {
                if hasInterruptingSignalPending() { return nil }
                do { return try Posix.read(0, count: 1, interruptible: true).first } catch {
                    if error == .EINTR && !hasInterruptingSignalPending() { continue }
                    return nil
                }
            }
        }
        while true {
            guard let c = byte() else { sawEOF = true; break }
            if c == 10 { break }
            if c == 92 && !raw {
                guard let d = byte() else { sawEOF = true; break }
                if d == 10 { continue }
                bytes.append(d); escaped.append(true)
                continue
            }
            bytes.append(c); escaped.append(false)
        }
        let ifs = Array((value("IFS") ?? " \t\n").utf8)
        func isIFS(_ i: Int) -> Bool { !escaped[i] && ifs.contains(bytes[i]) }
        func isWhite(_ i: Int) -> Bool { isIFS(i) && (bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10) }
        var i = 0
        while i < bytes.count && isWhite(i) { i += 1 }
        for (k, name) in names.enumerated() {
            var field: [UInt8] = []
            if k == names.count - 1 {
                // The rest of the line, less trailing IFS white space.
                var end = bytes.count
                while end > i && isWhite(end - 1) { end -= 1 }
                field = Array(bytes[i..<end])
                // A single trailing non-white IFS delimiter is dropped too (as dash).
                if end > i && isIFS(end - 1) && !isWhite(end - 1) {
                    var j = i, delimiters = 0
                    while j < end { if isIFS(j) && !isWhite(j) { delimiters += 1 }; j += 1 }
                    if delimiters == 1 {
                        field.removeLast()
                        var k = end - 1
                        while k > i && isWhite(k - 1) { field.removeLast(); k -= 1 }
                    }
                }
                i = bytes.count
            } else {
                while i < bytes.count && !isIFS(i) { field.append(bytes[i]); i += 1 }
                // Skip one delimiter: white space around at most one non-white IFS byte.
                while i < bytes.count && isWhite(i) { i += 1 }
                if i < bytes.count && isIFS(i) { i += 1; while i < bytes.count && isWhite(i) { i += 1 } }
            }
            if !setVariable(name, String(decoding: field, as: UTF8.self)) { return 2 }
        }
        return sawEOF ? 1 : 0
    }

    /// New positional parameters restart getopts (dash).
    func resetGetopts() {
        getoptsIndex = 1
        getoptsNextChar = 0
    }

    /// getopts optstring name [arg…] (XCU getopts), with OPTIND/OPTARG.
    func builtinGetopts(_ args: [String]) -> Int32 {
        guard args.count >= 2 else { reportError("getopts: usage: getopts optstring var [arg]"); return 2 }
        let optstring = Array(args[0].utf8)
        let name = args[1]
        let list = args.count > 2 ? Array(args[2...]) : positional
        let silent = optstring.first == 58
        // dash keeps its own index: set from OPTIND when OPTIND is assigned, reset by set --,
        // shift and function calls; OPTIND is only written back.
        var index = max(getoptsIndex, 1)
        func storeIndex(_ i: Int) {
            getoptsIndex = i
            if variables["OPTIND"]?.readonly != true {
                var v = variables["OPTIND"] ?? Variable(value: nil)
                v.value = String(i)
                variables["OPTIND"] = v
            }
        }
        func finish() -> Int32 {
            storeIndex(index)
            getoptsNextChar = 0
            setVariable(name, "?")
            variables["OPTARG"] = nil
            return 1
        }
        if getoptsNextChar == 0 {
            guard index <= list.count else { return finish() }
            let arg = Array(list[index - 1].utf8)
            guard arg.count > 1, arg[0] == 45 else { return finish() }
            if arg == [45, 45] { index += 1; return finish() }
            getoptsNextChar = 1
        }
        let arg = Array(list[index - 1].utf8)
        let c = arg[getoptsNextChar]
        getoptsNextChar += 1
        func advanceIfDone() {
            if getoptsNextChar >= arg.count { index += 1; getoptsNextChar = 0 }
        }
        let letter = String(decoding: [c], as: UTF8.self)
        guard c != 58, let at = optstring.firstIndex(of: c) else {
            advanceIfDone()
            if silent { setVariable("OPTARG", letter) } else {
                write(2, Array("Illegal option -\(letter)\n".utf8))
                variables["OPTARG"] = nil
            }
            setVariable(name, "?")
            storeIndex(index)
            return 0
        }
        if at + 1 < optstring.count && optstring[at + 1] == 58 {
            if getoptsNextChar < arg.count {
                setVariable("OPTARG", String(decoding: arg[getoptsNextChar...], as: UTF8.self))
                index += 1; getoptsNextChar = 0
            } else if index < list.count {
                setVariable("OPTARG", list[index])
                index += 2; getoptsNextChar = 0
            } else {
                index += 1; getoptsNextChar = 0
                if silent { setVariable(name, ":"); setVariable("OPTARG", letter) } else {
                    write(2, Array("No arg for -\(letter) option\n".utf8))
                    setVariable(name, "?"); variables["OPTARG"] = nil
                }
                storeIndex(index)
                return 0
            }
        } else {
            advanceIfDone()
            variables["OPTARG"] = nil
        }
        setVariable(name, letter)
        storeIndex(index)
        return 0
    }
}

extension Shell {
    /// Options given on the command line (`sh -e -x …`), as `set` takes them.
    public func setOptions(_ args: [String]) -> Bool {
        do { _ = try builtinSet(args + ["--"] + positional) } catch { return false }
        return true
    }
}
