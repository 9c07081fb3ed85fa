// Control.swift — builtins that steer execution: break, continue, return, exit, eval, ., exec,
// trap, wait, kill, times (XCU 2.14 and the utilities' pages).
import Posix

extension Shell {
    func builtinLoopControl(_ name: String, _ args: [String]) throws(ShellInterrupt) -> Int32 {
        var n = 1
        if let a = args.first {
            guard let v = Int(a), v > 0 else { reportError("\(name): Illegal number: \(a)"); throw .exit(2) }
            n = v
        }
        guard loopDepth > 0 else { return 0 }
        n = min(n, loopDepth)
        throw name == "break" ? .breakLoop(n) : .continueLoop(n)
    }

    func builtinReturn(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        if let a = args.first {
            guard let v = Int(a), v >= 0 else { reportError("return: Illegal number: \(a)"); throw .exit(2) }
            status = Int32(truncatingIfNeeded: v)
        }
        if functionDepth == 0 && dotDepth == 0 { throw .exit(status) }
        throw .returnFromFunction
    }

    func builtinExit(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        if let a = args.first {
            guard let v = Int(a), v >= 0 else { reportError("exit: Illegal number: \(a)"); throw .exit(2) }
            exitRequested = true
            throw .exit(Int32(truncatingIfNeeded: v & 0xff))
        }
        exitRequested = true
        throw .exit(status)
    }

    func builtinEval(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        var text = ""
        for (i, a) in args.enumerated() { if i > 0 { text += " " }; text += a }
        status = 0
        try evalString(text, tested: testedContext)
        return status
    }

    /// . file (XCU dot): a name without a slash is looked up in PATH.
    func builtinDot(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        guard let file = args.first else { return 0 }
        var path: String? = file
        if !file.utf8.contains(47) {
            path = nil
            for dir in (value("PATH") ?? "").split(separator: ":", omittingEmptySubsequences: false) {
                let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + file
                if let st = try? Posix.stat(candidate), S_ISREG(st.mode) { path = candidate; break }
            }
        }
        guard let p = path, let source = readWholeFile(p) else {
            reportError(".: cannot open \(file): No such file")
            throw .exit(2)
        }
        let savedPositional = positional
        if args.count > 1 { positional = Array(args[1...]) }
        dotDepth += 1
        defer {
            dotDepth -= 1
            if args.count > 1 { positional = savedPositional }
        }
        status = 0
        do {
            try runCommands(source, lineOffset: 1)   // dash: `set -e` applies inside even when tested
        } catch {
            guard case .returnFromFunction = error else { throw error }
        }
        return status
    }

    /// exec [command [arg…]]: replace the shell; without a command the redirections stay.
    func builtinExec(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        guard let name = args.first else {
            // The saved descriptors are dropped so the redirections persist: see evalSimple.
            keepRedirections = true
            return 0
        }
        guard let path = findCommand(name) else {
            reportError("exec: \(name): not found")
            throw .exit(127)
        }
        execute(path, args, environmentForChild(specialBuiltinAssignments))
    }

    /// trap [action condition…]; trap alone lists the traps (XCU trap).
    func builtinTrap(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        var args = args[...]
        if args.first == "--" { args = args.dropFirst() }
        if args.isEmpty {
            for sig in traps.keys.sorted() {
                guard let action = traps[sig] else { continue }
                out("trap -- \(shellQuoted(action)) \(signalNames[Int(sig)])\n")
            }
            return 0
        }
        var action: String? = args.removeFirst()
        // A first operand that is a signal number means "reset" (XCU trap).
        if let a = action, Int(a) != nil { args.insert(a, at: args.startIndex); action = nil }
        if action == "-" { action = nil }
        var result: Int32 = 0
        for condition in args {
            guard let sig = signalNumber(condition) else {
                reportError("trap: \(condition): bad trap")
                result = 1
                continue
            }
            if sig == 9 || sig == 19 { continue }
            traps[sig] = action
            if sig != 0 { applyDisposition(sig) }
        }
        return result
    }

    /// A signal by name (INT, SIGINT, EXIT) or number.
    func signalNumber(_ s: String) -> Int32? {
        if let n = Int32(s) { return n >= 0 && n < Int32(signalNames.count) ? n : nil }
        var name = s.uppercased()
        if name.hasPrefix("SIG") { name = String(name.dropFirst(3)) }
        if let i = signalNames.firstIndex(of: name) { return Int32(i) }
        return nil
    }

    /// kill [-s sig | -sig] pid… and kill -l [status].
    func builtinKill(_ args: [String]) -> Int32 {
        var args = args[...]
        var sig = SIGTERM
        guard let first = args.first else { reportError("kill: usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]"); return 2 }
        if first == "-l" {
            // dash's list: numbers for unnamed signals, real-time signals relative to RTMIN/RTMAX.
            func name(_ n: Int) -> String {
                if n < signalNames.count && n != 16 && n > 0 { return signalNames[n] }
                if n == 34 { return "RTMIN" }
                if n > 34 && n < 50 { return "RTMIN+\(n - 34)" }
                if n >= 50 && n < 64 { return "RTMAX-\(64 - n)" }
                if n == 64 { return "RTMAX" }
                return String(n)
            }
            if let s = args.dropFirst().first {
                guard var n = Int(s) else { reportError("kill: Illegal number: \(s)"); return 2 }
                if n > 128 { n -= 128 }
                guard n > 0 && n <= 64 else { reportError("kill: invalid signal number or exit status: \(s)"); return 2 }
                out(name(n) + "\n")
                return 0
            }
            var text = ""
            for n in 0...64 { text += name(n) + "\n" }
            out(text)
            return 0
        }
        if first == "-s" {
            guard args.count > 1, let n = signalNumber(args[args.startIndex + 1]) else { reportError("kill: invalid signal"); return 2 }
            sig = n
            args = args.dropFirst(2)
        } else if first.hasPrefix("-") && first != "--" {
            guard let n = signalNumber(String(first.dropFirst())) else {
                reportError("kill: invalid signal number or name: \(first.dropFirst())")
                return 2
            }
            sig = n
            args = args.dropFirst()
        }
        if args.first == "--" { args = args.dropFirst() }
        var result: Int32 = 0
        for a in args {
            // A job id signals the job's process group (dash: even without job control, where
            // no such group exists and kill says so).
            var stoppedJob: Job? = nil
            let pid: Int32
            if a.hasPrefix("%") {
                guard let job = findJob(a, builtin: "kill") else { result = 2; continue }
                pid = -job.processGroup
                if job.state == .stopped && job.jobControl { stoppedJob = job }
            } else {
                guard let n = Int32(a) else { reportError("kill: Illegal number: \(a)"); result = 2; continue }
                pid = n
            }
            do { try Posix.kill(pid, sig) } catch {
                reportError("kill: \(error.message)")
                result = 1
                continue
            }
            // A stopped job would keep the signal pending until continued: continue it (bash
            // does; dash leaves it stopped), so `kill %1` ends a stopped job too.
            if stoppedJob != nil && sig != SIGKILL && sig != SIGCONT { try? Posix.kill(pid, SIGCONT) }
        }
        return result
    }

    func builtinTimes() -> Int32 {
        let t = Posix.times()
        let hz = max(Posix.clockTicksPerSecond(), 1)
        func format(_ ticks: Int64) -> String {
            let seconds = ticks / hz, fraction = (ticks % hz) * 1_000_000 / hz
            var f = String(fraction)
            while f.utf8.count < 6 { f = "0" + f }
            return "\(seconds / 60)m\(seconds % 60).\(f)s"
        }
        out("\(format(t.user)) \(format(t.system))\n\(format(t.childrenUser)) \(format(t.childrenSystem))\n")
        return 0
    }
}
