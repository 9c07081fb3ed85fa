// JobBuiltins.swift — jobs, fg, bg and wait (XCU 2.11 and their pages), over the job table
// (Jobs.swift) and dash's behaviour: its messages, its output formats, its statuses.
import Posix

extension Shell {
    /// jobs [-l | -p] [job_id…]: every job (current first) or the named ones; done ones are
    /// shown once and forgotten.
    func builtinJobs(_ args: [String]) -> Int32 {
        var mode = JobListing.normal
        var operands = args[...]
        while let a = operands.first, a.hasPrefix("-"), a != "-" {
            operands = operands.dropFirst()
            if a == "--" { break }
            for ch in a.utf8.dropFirst() {
                switch ch {
                case UInt8(ascii: "l"): mode = .pids
                case UInt8(ascii: "p"): mode = .groups
                default:
                    reportError("jobs: Illegal option -\(Character(Unicode.Scalar(ch)))")
                    return 2
                }
            }
        }
        pollJobs()
        var text = ""
        var result: Int32 = 0
        if operands.isEmpty {
            for job in jobOrder { text += showJob(job, mode) }
        } else {
            for a in operands {
                guard let job = findJob(a, builtin: "jobs") else { result = 2; continue }
                text += showJob(job, mode)
            }
        }
        out(text)
        return result
    }

    /// fg [job_id…], bg [job_id…] (default: the current job): continue jobs with SIGCONT, in the
    /// foreground (given the terminal, waited for) or the background.
    func builtinForegroundBackground(_ name: String, _ args: [String]) throws(ShellInterrupt) -> Int32 {
        var operands = args[...]
        if operands.first == "--" { operands = operands.dropFirst() }
        let foreground = name == "fg"
        var result: Int32 = 0
        var index = operands.startIndex
        repeat {
            let spec = index < operands.endIndex ? operands[index] : nil
            guard let job = findJob(spec, builtin: name, needsJobControl: true) else { return 2 }
            var line = ""
            if !foreground {
                setCurrent(job, .running)
                line += "[\(jobNumber(job))] "
            }
            line += job.processes.first?.command ?? ""
            for p in job.processes.dropFirst() { line += " | " + p.command }
            out(line + "\n")
            result = continueJob(job, foreground: foreground)
            if foreground { try runPendingTraps() }
            index = operands.index(after: index)
        } while index < operands.endIndex
        return result
    }

    /// Continues `job` (dash's restartjob): the terminal first for the foreground, then SIGCONT
    /// to its process group; a foreground job is waited for and its status returned.
    func continueJob(_ job: Job, foreground: Bool) -> Int32 {
        guard job.state != .done else { return foreground ? finishForeground(job) : 0 }
        job.state = .running
        if foreground { try? Posix.tcsetpgrp(terminalFD, job.processGroup) }
        try? Posix.kill(-job.processGroup, SIGCONT)
        for i in job.processes.indices where WIFSTOPPED(job.processes[i].status) { job.processes[i].status = -1 }
        return foreground ? finishForeground(job) : 0
    }

    /// wait [pid | job_id …] (XCU wait): every job, or the named ones; a trapped signal ends the
    /// wait with 128 + its number, its trap run first (dash's waitcmd).
    func builtinWait(_ args: [String]) throws(ShellInterrupt) -> Int32 {
        var operands = args[...]
        if operands.first == "--" { operands = operands.dropFirst() }
        if operands.isEmpty {
            while true {
                for job in jobOrder where job.state != .running { job.waited = true }
                guard let job = jobOrder.first(where: { $0.state == .running }) else { return 0 }
                guard waitForJob(job, interruptible: true, report: false) else { return try interruptedWait() }
            }
        }
        var result: Int32 = 127
        for a in operands {
            let job: Job
            if a.hasPrefix("%") {
                guard let j = findJob(a, builtin: "wait") else { return 2 }
                job = j
            } else {
                guard let pid = Int32(a), pid >= 0 else { reportError("wait: Illegal number: \(a)"); return 2 }
                // The job whose last process has that pid ($! names it); any other pid is not
                // this shell's child to wait for (dash leaves the status as it was).
                guard let j = jobOrder.first(where: { $0.processes.last?.pid == pid }) else { continue }
                job = j
            }
            guard waitForJob(job, interruptible: true) else { return try interruptedWait() }
            job.waited = true
            result = jobStatus(job)
        }
        return result
    }

    /// A trapped signal interrupted `wait`: its trap runs; wait's status is 128 + the signal.
    func interruptedWait() throws(ShellInterrupt) -> Int32 {
        collectSignals()
        let sig = pendingSignals.first { traps[$0].map { !$0.isEmpty } ?? ($0 == SIGINT) } ?? 0
        try runPendingTraps()
        return 128 + sig
    }
}
