// SimpleCommand.swift — XCU 2.9.1 Simple Commands: expansion, assignments, command search
// (special builtins, functions, builtins, PATH) and execution by fork + execve.
import Posix

extension Shell {
    func evalSimple(_ c: SimpleCommand, tested: Bool) throws(ShellInterrupt) {
        let direct = execDirectly
        execDirectly = false
        currentLine = c.line
        substitutionStatus = nil
        let argv = try expandFields(c.words)
        if argv.isEmpty {
            // XCU 2.9.1: no command name: assignments affect the shell, redirections happen in a subshell-like way.
            var trace: [String] = []
            for a in c.assignments {
                let v = try expandString(a.value)
                if options.xtrace { trace.append(a.name + "=" + v) }
                try assignOrFail(a.name, v)
            }
            if options.xtrace && !trace.isEmpty { xtrace(trace) }
            if !c.redirections.isEmpty {
                guard let saved = try applyRedirections(c.redirections, save: true) else { status = 2; return }
                restore(saved)
            }
            status = substitutionStatus ?? 0
            return
        }
        var assignments: [(name: String, value: String)] = []
        for a in c.assignments { assignments.append((a.name, try expandString(a.value))) }
        if options.xtrace { xtrace(assignments.map { $0.name + "=" + $0.value } + argv) }
        let name = argv[0]
        let builtin = Shell.builtinKinds[name]

        if builtin == .special {
            // XCU 2.14: assignments stay; errors (redirections too) are fatal.
            for a in assignments { try assignOrFail(a.name, a.value) }
            guard let saved = try applyRedirections(c.redirections, save: true) else { throw .exit(2) }
            keepRedirections = false
            defer {
                if keepRedirections {
                    for s in saved { if let copy = s.saved { try? Posix.close(copy) } }
                    keepRedirections = false
                } else {
                    restore(saved)
                }
            }
            testedContext = tested
            specialBuiltinAssignments = assignments
            status = try runBuiltin(name, argv) ?? 0
            return
        }
        if !functions.isEmpty, let body = functions[name] {
            let savedVariables = pushTemporary(assignments)
            defer { popTemporary(savedVariables) }
            guard let saved = try applyRedirections(c.redirections, save: true) else { status = 2; return }
            defer { restore(saved) }
            try callFunction(body, argv, tested: tested)
            return
        }
        if builtin == .regular {
            let savedVariables = pushTemporary(assignments)
            defer { popTemporary(savedVariables) }
            guard let saved = try applyRedirections(c.redirections, save: true) else { status = 2; return }
            defer { restore(saved) }
            testedContext = tested
            status = try runBuiltin(name, argv) ?? 0
            return
        }
        guard let path = findCommand(name) else {
            // The message goes where the command's stderr would have gone.
            let saved = try applyRedirections(c.redirections, save: true)
            reportError("\(name): not found")
            if let saved { restore(saved) }
            status = 127
            return
        }
        let env = environmentForChild(assignments)
        if direct {
            guard try applyRedirections(c.redirections, save: false) != nil else { Posix._exit(2) }
            execute(path, argv, env)
        }
        let job = makeJob()
        let pid = forkChild(job: job, command: .simple(c)) { () throws(ShellInterrupt) in
            guard try self.applyRedirections(c.redirections, save: false) != nil else { throw .exit(2) }
            self.execute(path, argv, env)
        }
        if pid > 0 { status = finishForeground(job) } else { freeJob(job); status = 2 }
    }

    func xtrace(_ words: [String]) {
        var line = value("PS4") ?? "+ "
        for (i, w) in words.enumerated() { if i > 0 { line += " " }; line += w }
        write(2, Array((line + "\n").utf8))
    }

    /// Variables assigned for one builtin or function call (XCU 2.9.1), to be restored after.
    func pushTemporary(_ assignments: [(name: String, value: String)]) -> [(String, Variable?)] {
        var saved: [(String, Variable?)] = []
        for a in assignments {
            saved.append((a.name, variables[a.name]))
            if variables[a.name]?.readonly == true { reportError("\(a.name): is read only"); continue }
            variables[a.name] = Variable(value: a.value, exported: true)
        }
        return saved
    }
    func popTemporary(_ saved: [(String, Variable?)]) {
        for (name, v) in saved.reversed() { variables[name] = v }
    }

    func callFunction(_ body: Command, _ argv: [String], tested: Bool) throws(ShellInterrupt) {
        let savedPositional = positional
        let savedLoopDepth = loopDepth
        let savedGetopts = (getoptsIndex, getoptsNextChar)
        positional = Array(argv.dropFirst())
        getoptsIndex = 1
        getoptsNextChar = 0
        loopDepth = 0
        functionDepth += 1
        localFrames.append([])
        defer {
            if let frame = localFrames.popLast() {
                for (name, v) in frame.reversed() { variables[name] = v }
            }
            functionDepth -= 1
            loopDepth = savedLoopDepth
            positional = savedPositional
            (getoptsIndex, getoptsNextChar) = savedGetopts
        }
        do {
            try eval(body, tested: tested)
        } catch {
            guard case .returnFromFunction = error else { throw error }
        }
    }

    func environmentForChild(_ assignments: [(name: String, value: String)]) -> [String] {
        var env: [String] = []
        for (name, v) in variables where v.exported {
            guard let value = v.value, !assignments.contains(where: { $0.name == name }) else { continue }
            env.append(name + "=" + value)
        }
        for a in assignments { env.append(a.name + "=" + a.value) }
        return env
    }

    /// XCU 2.9.1.1 Command Search and Execution: a name with a slash is a path; otherwise PATH.
    func findCommand(_ name: String) -> String? {
        if name.utf8.contains(47) { return name }
        if let cached = commandPathCache[name] { return cached }
        // dash: with PATH unset nothing is searched.
        guard let path = value("PATH") else { return nil }
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            if let st = try? Posix.stat(candidate), S_ISREG(st.mode), (try? Posix.access(candidate, X_OK)) != nil {
                commandPathCache[name] = candidate
                return candidate
            }
        }
        return nil
    }

    /// execve, or run the file as a script when it is not a binary (XCU 2.9.1.1 e.i.b, ENOEXEC).
    func execute(_ path: String, _ argv: [String], _ env: [String]) -> Never {
        do {
            try Posix.execve(path, argv, env)
        } catch {
            if error == .ENOEXEC, let source = readWholeFile(path) {
                // Become a fresh shell running the script (dash does the same, without a new exec).
                functions.removeAll(); aliases.removeAll(); traps.removeAll()
                var fresh: [String: Variable] = [:]
                for entry in env {
                    let b = Array(entry.utf8)
                    guard let eq = b.firstIndex(of: 61) else { continue }
                    fresh[String(decoding: b[..<eq], as: UTF8.self)] = Variable(value: String(decoding: b[(eq + 1)...], as: UTF8.self), exported: true)
                }
                fresh["IFS"] = Variable(value: " \t\n")
                variables = fresh
                commandPathCache.removeAll()
                options = ShellOptions()
                arg0 = path
                positional = Array(argv.dropFirst())
                status = 0
                Posix._exit(run(source: source))
            }
            if error == .ENOENT { reportError("\(argv[0]): not found"); Posix._exit(127) }
            reportError("\(argv[0]): \(error.message)")
            Posix._exit(126)
        }
    }

    func readWholeFile(_ path: String) -> [UInt8]? {
        guard let fd = try? Posix.open(path, O_RDONLY | O_CLOEXEC) else { return nil }
        defer { try? Posix.close(fd) }
        var bytes: [UInt8] = []
        while true {
            guard let chunk = try? Posix.read(fd, count: 65536) else { return nil }
            if chunk.isEmpty { return bytes }
            bytes.append(contentsOf: chunk)
        }
    }
}
