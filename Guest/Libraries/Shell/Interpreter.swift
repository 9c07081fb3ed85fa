// Interpreter.swift — evaluating the tree (XCU 2.9 Shell Commands): lists, and-or lists, pipelines,
// compound commands, functions; `set -e` as dash applies it; subshells by fork.
import Posix

extension Shell {
    // MARK: running programs

    /// Runs a script: parse a complete command, run it, repeat (XCU 2.10: as dash does, the lines
    /// before a syntax error run). Returns the exit status; runs the EXIT trap.
    public func run(source: [UInt8]) -> Int32 {
        do {
            try runCommands(source, lineOffset: 1)
        } catch {
            if case .exit(let s) = error { status = s }
        }
        return finish()
    }

    /// The EXIT trap, then the status to exit with (XCU 2.14 exit, trap).
    public func finish() -> Int32 {
        if let action = traps[0] {
            traps[0] = nil
            let saved = status
            do { try evalString(action) } catch {
                if case .exit(let s) = error { return s }
            }
            status = saved
        }
        return status
    }

    /// Parses and runs `source` one complete command at a time (scripts, eval, dot).
    func runCommands(_ source: [UInt8], lineOffset: Int, tested: Bool = false) throws(ShellInterrupt) {
        let parser = Parser(source: source, lineOffset: lineOffset, aliases: { self.aliases[$0] })
        while true {
            let command: Command?
            do {
                command = try parser.parseNextCommand()
            } catch {
                currentLine = error.line
                reportError("Syntax error: \(error.message)")
                status = 2
                throw .exit(2)
            }
            guard let command else { return }
            if options.noexec { continue }
            try eval(command, tested: tested)
            try runPendingTraps()
        }
    }

    func evalString(_ text: String, tested: Bool = false) throws(ShellInterrupt) {
        try runCommands(Array(text.utf8), lineOffset: currentLine, tested: tested)
    }

    // MARK: commands

    /// Evaluates a command; `tested` marks a context where `set -e` does not apply (dash EV_TESTED).
    func eval(_ command: Command, tested: Bool = false) throws(ShellInterrupt) {
        if options.noexec { return }
        switch command {
        case .simple(let simple):
            try evalSimple(simple, tested: tested)
            try checkErrexit(tested)
            try runPendingTraps()
        case .pipeline(let commands, let negated):
            if commands.count == 1 {
                try eval(commands[0], tested: tested || negated)
            } else {
                try evalPipeline(commands)
            }
            if negated { status = status == 0 ? 1 : 0 } else { try checkErrexit(tested) }
        case .andOr(let first, let rest):
            try eval(first, tested: true)
            for (i, link) in rest.enumerated() {
                if (status == 0) == link.isAnd {
                    try eval(link.command, tested: i == rest.count - 1 ? tested : true)
                }
            }
        case .list(let items):
            for item in items {
                if item.background { try evalBackground(item.command) }
                else { try eval(item.command, tested: tested) }
                try runPendingTraps()
            }
        case .subshell(let body):
            let job = makeJob()
            let pid = forkChild(job: job, command: command) { () throws(ShellInterrupt) in
                if case .simple = body { self.execDirectly = true }
                try self.eval(body)
            }
            status = pid > 0 ? finishForeground(job) : 2
            if pid <= 0 { freeJob(job) }
            try runPendingTraps()
            try checkErrexit(tested)
        case .group(let body):
            try eval(body, tested: tested)
        case .ifClause(let clauses, let elseBody):
            for clause in clauses {
                try eval(clause.condition, tested: true)
                if status == 0 { try eval(clause.body, tested: tested); return }
            }
            if let e = elseBody { try eval(e, tested: tested) } else { status = 0 }
        case .loop(let condition, let body, let until):
            try evalLoop(tested) { () throws(ShellInterrupt) -> Bool in
                try self.eval(condition, tested: true)
                return (self.status == 0) != until
            } body: { () throws(ShellInterrupt) in try self.eval(body, tested: tested) }
        case .forLoop(let name, let words, let body):
            let values = try words.map { (w) throws(ShellInterrupt) in try expandFields(w) } ?? positional
            var index = 0
            try evalLoop(tested) { () throws(ShellInterrupt) -> Bool in
                guard index < values.count else { return false }
                try self.assignOrFail(name, values[index])
                index += 1
                return true
            } body: { () throws(ShellInterrupt) in try self.eval(body, tested: tested) }
        case .caseClause(let word, let items):
            let subject = Array(try expandString(word).utf8)
            for item in items {
                for p in item.patterns where try expandPattern(p).matches(subject) {
                    if let body = item.body { try eval(body, tested: tested) } else { status = 0 }
                    return
                }
            }
            status = 0
        case .functionDefinition(let name, let body):
            functions[name] = body
            status = 0
        case .redirected(let inner, let redirections):
            guard let saved = try applyRedirections(redirections, save: true) else {
                status = 2
                try checkErrexit(tested)
                return
            }
            defer { restore(saved) }
            try eval(inner, tested: tested)
        case .empty:
            break
        }
    }

    func checkErrexit(_ tested: Bool) throws(ShellInterrupt) {
        if options.errexit && !tested && status != 0 { throw .exit(status) }
    }

    /// while/until/for bodies with break and continue (XCU 2.14 break, continue).
    func evalLoop(_ tested: Bool, next: () throws(ShellInterrupt) -> Bool, body: () throws(ShellInterrupt) -> Void) throws(ShellInterrupt) {
        loopDepth += 1
        defer { loopDepth -= 1 }
        var last: Int32 = 0
        while true {
            guard try next() else { break }
            do {
                try body()
                last = status
            } catch {
                switch error {
                case .breakLoop(let n):
                    if n > 1 { throw .breakLoop(n - 1) }
                    last = 0
                    status = last
                    return
                case .continueLoop(let n):
                    if n > 1 { throw .continueLoop(n - 1) }
                    last = 0
                    continue
                default: throw error
                }
            }
        }
        status = last
    }

    // MARK: processes

    /// Forks; the child runs `body` as a subshell and exits with its status. Returns the child's
    /// pid to the parent, or -1 (reported) when fork failed. With `job`, the child is one of the
    /// job's processes (its process group under job control); without, it stays in the shell's
    /// (command substitution, as dash's FORK_NOJOB). `command` is what `jobs` shows for it.
    func forkChild(job: Job? = nil, background: Bool = false, command: Command? = nil,
                   _ body: () throws(ShellInterrupt) -> Void) -> Int32 {
        let pid: Int32
        do { pid = try Posix.fork() } catch {
            reportError("Cannot fork")
            return -1
        }
        if pid != 0 {
            if let job { addProcess(pid, to: job, command: command) }
            return pid
        }
        let underJobControl = job?.jobControl == true && jobControl
        enterJob(job, background: background)
        becomeSubshell()
        if background && !underJobControl {
            // XCU 2.9.3: without job control, an asynchronous list's stdin is /dev/null.
            if let fd = try? Posix.open("/dev/null", O_RDONLY), fd != 0 { _ = try? Posix.dup2(fd, 0); try? Posix.close(fd) }
        }
        do { try body() } catch {
            if case .exit(let s) = error { status = s }
        }
        Posix._exit(finish())
    }

    /// XCU 2.12: a subshell keeps ignored traps and resets the others; it is not interactive and
    /// has no jobs of its own (dash's forkchild).
    func becomeSubshell() {
        isSubshell = true
        isInteractive = false   // a subshell of an interactive shell is not interactive (XCU 2.12)
        jobControl = false
        // No jobs in a child (dash 0.5.12 as Debian ships it: `jobs | wc -l` counts none).
        jobSlots.removeAll()
        jobOrder.removeAll()
        for (sig, action) in traps where !action.isEmpty { traps[sig] = nil }
        for sig in changedDispositions { applyDisposition(sig) }
        _ = Posix.takePendingSignals()
        pendingSignals.removeAll()
    }

    /// Waits for `pid`, a child outside the job table (command substitution); returns its status
    /// as $? shows it (128 + signal when killed).
    func waitFor(_ pid: Int32) -> Int32 {
        while true {
            do {
                let (_, s) = try Posix.waitpid(pid, 0)
                return decodeStatus(s)
            } catch {
                if error == .EINTR { continue }
                return 127
            }
        }
    }

    /// $? for a wait status (XCU 2.8.2: 128 + n for a signal), reporting deaths by signal as dash.
    func decodeStatus(_ s: Int32) -> Int32 {
        if WIFEXITED(s) { return WEXITSTATUS(s) }
        guard WIFSIGNALED(s) else { return 128 + WSTOPSIG(s) }
        reportSignalDeath(s)
        return 128 + WTERMSIG(s)
    }

    /// cmd1 | cmd2 | … (XCU 2.9.2): every stage in its own child, all one job; $? is the last one's.
    func evalPipeline(_ commands: [Command]) throws(ShellInterrupt) {
        let job = makeJob()
        var input: Int32 = -1
        var started = 0
        for (i, command) in commands.enumerated() {
            var pipeRead: Int32 = -1, pipeWrite: Int32 = -1
            if i < commands.count - 1 {
                guard let p = try? Posix.pipe() else {
                    reportError("Pipe call failed")
                    if started == 0 { freeJob(job) } else { _ = finishForeground(job) }
                    throw .exit(2)
                }
                pipeRead = p.read; pipeWrite = p.write
            }
            let stdinFD = input, readEnd = pipeRead, writeEnd = pipeWrite
            let pid = forkChild(job: job, command: command) { () throws(ShellInterrupt) in
                if stdinFD >= 0 { _ = try? Posix.dup2(stdinFD, 0); try? Posix.close(stdinFD) }
                if writeEnd >= 0 { _ = try? Posix.dup2(writeEnd, 1); try? Posix.close(writeEnd); try? Posix.close(readEnd) }
                if case .simple = command { self.execDirectly = true }
                try self.eval(command)
            }
            if input >= 0 { try? Posix.close(input) }
            if pipeWrite >= 0 { try? Posix.close(pipeWrite) }
            input = pipeRead
            if pid > 0 { started += 1 }
        }
        if started == 0 { freeJob(job); status = 2; return }
        status = finishForeground(job)
        try runPendingTraps()
    }

    func evalBackground(_ command: Command) throws(ShellInterrupt) {
        // A simple command runs in the forked child itself (as dash does): the job's pid, $!, is
        // the command's, so `kill $!` ends the command and not only a shell waiting for it.
        let job = makeJob()
        let pid = forkChild(job: job, background: true, command: command) { () throws(ShellInterrupt) in
            if case .simple = command { self.execDirectly = true }
            try self.eval(command)
        }
        if pid > 0 {
            lastBackgroundPID = pid
            setCurrent(job, .running)
            // XCU 2.9.3.1: an interactive shell names the job it started ("[1] 1234").
            if isInteractive && !isSubshell { write(2, Array("[\(jobNumber(job))] \(pid)\n".utf8)) }
        } else {
            freeJob(job)
        }
        status = 0
    }

    // MARK: traps (XCU 2.14 trap)

    /// Acts on the signals that arrived (XCU 2.11 trap: "when the signal is received … the
    /// action is evaluated" — at the next point between commands, as dash does): each trapped
    /// one runs its action with $? kept; an interactive shell's own SIGINT abandons the command.
    func runPendingTraps() throws(ShellInterrupt) {
        if inTrap { return }
        collectSignals()
        while !pendingSignals.isEmpty {
            let sig = pendingSignals.removeFirst()
            if let action = traps[sig] {
                if action.isEmpty { continue }
                let saved = status
                inTrap = true
                defer { inTrap = false }
                try evalString(action)
                status = saved
            } else if sig == SIGINT && isInteractive && !isSubshell {
                pendingSignals.removeAll()
                write(2, [10])
                status = 130
                throw .interrupted
            }
        }
    }
}
