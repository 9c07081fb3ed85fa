// JobControl.swift — the terminal and process groups of an interactive shell (XCU 2.11 Job
// Control, XBD 11.1.2 the foreground process group), and the signal dispositions the shell
// itself keeps (XCU sh "ASYNCHRONOUS EVENTS", 2.11, 2.12), as dash does:
// * the interactive shell leads its own process group and holds the terminal; each job it
//   forks gets a process group of its own (setpgid in the parent and in the child, so neither
//   order of running can leave a process outside it), and a foreground job gets the terminal
//   (tcsetpgrp) until it ends or stops, then the shell takes it back;
// * the interactive shell catches SIGINT (a Ctrl-C abandons the command being run) and ignores
//   SIGQUIT and SIGTERM, and with job control SIGTSTP, SIGTTIN, SIGTTOU; its children get the
//   defaults back (unless `trap '' SIG` ignores one: that is inherited, XCU 2.11 trap);
// * a signal ignored when the shell started stays ignored (XCU trap: "Signals that were ignored on
//   entry to a non-interactive shell cannot be trapped or reset"; dash applies it to every shell).
// Without a terminal that answers tcgetpgrp (the kernel console, a pipe) there is no job control:
// jobs run in the shell's own process group, as in a script.
import Posix

extension Shell {
    /// The signals whose disposition the shell decides (XCU 2.11, sh).
    static let managedSignals: [Int32] = [SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU]

    /// Turns job control on for an interactive shell (dash's setjobctl): finds the terminal,
    /// makes the shell a process group leader and that group the terminal's foreground.
    func enableJobControl() {
        var fd: Int32 = -1
        if let t = try? Posix.open("/dev/tty", O_RDWR | O_CLOEXEC) {
            fd = t
        } else {
            for candidate in [Int32(2), 1, 0] where Posix.isatty(candidate) { fd = (try? Posix.dup(candidate)) ?? -1; break }
        }
        guard fd >= 0 else { return }
        // Above the descriptors scripts use (dash keeps it at 10 or more), closed on exec.
        if fd < 10, let high = try? Posix.fcntl(fd, F_DUPFD_CLOEXEC, 10) { try? Posix.close(fd); fd = high }
        guard let foreground = try? Posix.tcgetpgrp(fd) else { try? Posix.close(fd); return }
        let mine = Posix.getpgrp()
        // Another live group holds the terminal: this shell was started in the background. dash
        // stops itself with SIGTTIN until it is brought to the foreground; this shell runs
        // without job control instead of waiting (no terminal server here sends SIGTTIN yet).
        if foreground > 1 && foreground != mine && (try? Posix.kill(-foreground, 0)) != nil {
            try? Posix.close(fd)
            return
        }
        terminalFD = fd
        jobControl = true
        for sig in [SIGTSTP, SIGTTIN, SIGTTOU] { applyDisposition(sig) }
        let pid = Posix.getpid()
        initialProcessGroup = mine
        if mine != pid { try? Posix.setpgid(0, pid) }
        shellProcessGroup = Posix.getpgrp()
        do { try Posix.tcsetpgrp(fd, shellProcessGroup) } catch {
            jobControl = false
            terminalFD = -1
            try? Posix.close(fd)
            for sig in [SIGTSTP, SIGTTIN, SIGTTOU] { applyDisposition(sig) }
        }
    }

    /// Gives the terminal back to the group the shell started in (at exit).
    func disableJobControl() {
        guard jobControl else { return }
        if initialProcessGroup > 0 && initialProcessGroup != shellProcessGroup {
            try? Posix.setpgid(0, initialProcessGroup)
            try? Posix.tcsetpgrp(terminalFD, initialProcessGroup)
        }
        jobControl = false
    }

    /// The shell's group holds the terminal again (after a foreground job ended or stopped).
    func takeTerminal() {
        guard jobControl else { return }
        try? Posix.tcsetpgrp(terminalFD, shellProcessGroup)
    }

    /// In a forked child of a job: its process group (the job's first process), the terminal for a
    /// foreground job, and the signal dispositions a job starts with.
    func enterJob(_ job: Job?, background: Bool) {
        if let job, job.jobControl && jobControl {
            let group = job.processes.first?.pid ?? Posix.getpid()
            try? Posix.setpgid(0, group)   // may fail: the parent did it first
            if !background { try? Posix.tcsetpgrp(terminalFD, group) }
        } else if background {
            // XCU 2.11: without job control an asynchronous list ignores SIGINT and SIGQUIT,
            // and that cannot be undone in it (dash: S_HARD_IGN).
            for sig in [SIGINT, SIGQUIT] {
                _ = try? Posix.setSignalDisposition(sig, .ignore)
                entryDispositions[sig] = .ignore
                changedDispositions.insert(sig)
            }
        }
        if terminalFD >= 0 { try? Posix.close(terminalFD); terminalFD = -1 }
    }

    /// In the parent, after forking a process of `job`: record it and put it in the job's group.
    func addProcess(_ pid: Int32, to job: Job, command: Command?) {
        let text = jobControl ? command.map { commandText($0) } ?? "" : ""
        job.processes.append(Job.Process(pid: pid, status: -1, command: text))
        if job.jobControl { try? Posix.setpgid(pid, job.processGroup) }
    }

    // MARK: signal dispositions

    /// The disposition `sig` has when no trap is set: the interactive shell's own, else default.
    func baseDisposition(_ sig: Int32) -> SignalDisposition {
        guard isInteractive && !isSubshell else { return .default }
        switch sig {
        case SIGINT: return .caught
        case SIGQUIT, SIGTERM: return .ignore
        case SIGTSTP, SIGTTIN, SIGTTOU: return jobControl ? .ignore : .default
        default: return .default
        }
    }

    /// Sets `sig`'s disposition from its trap, or the shell's own; never for a signal ignored on
    /// entry (see the header).
    func applyDisposition(_ sig: Int32) {
        guard sig > 0 && sig != SIGKILL && sig != SIGSTOP else { return }
        if entryDispositions[sig] == nil {
            entryDispositions[sig] = (try? Posix.signalDisposition(sig)) ?? .default
        }
        // Ignored on entry: fixed — except the job control stops, which an interactive shell with
        // job control ignores anyway (dash does not fix those under -m).
        if entryDispositions[sig] == .ignore && !([SIGTSTP, SIGTTIN, SIGTTOU].contains(sig) && jobControl) { return }
        let wanted: SignalDisposition
        if let action = traps[sig] { wanted = action.isEmpty ? .ignore : .caught } else { wanted = baseDisposition(sig) }
        _ = try? Posix.setSignalDisposition(sig, wanted)
        changedDispositions.insert(sig)
    }

    /// Whether `sig` was ignored when the shell started, so a trap on it does nothing.
    func isIgnoredOnEntry(_ sig: Int32) -> Bool {
        if entryDispositions[sig] == nil { entryDispositions[sig] = (try? Posix.signalDisposition(sig)) ?? .default }
        return entryDispositions[sig] == .ignore
    }

    // MARK: pending signals

    /// Moves the caught signals from the backend into `pendingSignals` (kept sorted: traps run in
    /// signal-number order, as dash runs them).
    func collectSignals() {
        for sig in Posix.takePendingSignals() { noteSignal(sig) }
    }

    /// Marks `sig` as arrived (for the shell's own use: a foreground job's Ctrl-C).
    func noteSignal(_ sig: Int32) {
        guard !pendingSignals.contains(sig) else { return }
        pendingSignals.append(sig)
        pendingSignals.sort()
    }

    /// A signal arrived that ends `wait` early: one with a trap action, or an interactive shell's
    /// own SIGINT (a Ctrl-C while it waits for background jobs abandons the wait, as in dash).
    func hasInterruptingSignalPending() -> Bool {
        collectSignals()
        return pendingSignals.contains { sig in
            if let action = traps[sig] { return !action.isEmpty }
            return sig == SIGINT && isInteractive && !isSubshell
        }
    }
}
