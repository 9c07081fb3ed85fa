// Jobs.swift — the job table (XCU 2.11 Job Control, and the jobs, fg, bg, wait and kill pages):
// every command the shell forks is a job; background and stopped jobs stay in the table until
// they are reported. The model is dash's (its jobs.c), so `jobs`, `wait` and the notices match it:
// * numbers are table slots, the lowest free one taken; a job is freed once its end is reported
//   (`jobs`, the notice before a prompt) — or, without job control, when it is reused after `wait`;
// * the current (%+) and previous (%-) jobs are the first two of `jobOrder`: a new or continued
//   background job goes after the stopped ones, a newly stopped job to the front.
// Waiting records each process's wait status; a job runs while any process does, is stopped when
// none runs and one is stopped, and is done when all have ended.
import Posix

final class Job {
    enum State: Equatable { case running, stopped, done }
    struct Process {
        var pid: Int32
        /// The wait status; -1 while it runs.
        var status: Int32
        /// What `jobs` shows (dash's command text; empty without job control, as in dash).
        var command: String
    }
    var processes: [Process] = []
    var state = State.running
    /// The wait status that stopped it (what `jobs` reports for a stopped job).
    var stopStatus: Int32 = 0
    /// Changed state since last reported (the notice before a prompt).
    var changed = false
    /// Created under job control: its processes are in their own process group.
    var jobControl: Bool
    /// `wait` saw it end (without job control the slot may then be reused).
    var waited = false

    init(jobControl: Bool) { self.jobControl = jobControl }

    /// The process group: the first process's pid (XCU 2.11).
    var processGroup: Int32 { processes.first?.pid ?? 0 }
}

extension Shell {
    /// A new job in the lowest free slot; it becomes the current job (dash's makejob).
    func makeJob() -> Job {
        let job = Job(jobControl: jobControl)
        var slot: Int? = nil
        for (i, j) in jobSlots.enumerated() {
            guard let j else { slot = i; break }
            if j.state == .done && j.waited && !jobControl {
                freeJob(j)
                slot = i
                break
            }
        }
        // freeJob drops trailing empty slots, so the chosen one may now be past the end.
        if let s = slot, s < jobSlots.count { jobSlots[s] = job } else { jobSlots.append(job) }
        jobOrder.insert(job, at: 0)
        return job
    }

    func jobNumber(_ job: Job) -> Int { (jobSlots.firstIndex { $0 === job } ?? 0) + 1 }

    func freeJob(_ job: Job) {
        if let i = jobSlots.firstIndex(where: { $0 === job }) { jobSlots[i] = nil }
        while jobSlots.last.map({ $0 == nil }) == true { jobSlots.removeLast() }
        jobOrder.removeAll { $0 === job }
    }

    enum JobPosition { case running, stopped }

    /// Moves `job` in the current-job order (dash's set_curjob).
    func setCurrent(_ job: Job, _ position: JobPosition) {
        jobOrder.removeAll { $0 === job }
        var at = 0
        if position == .running {
            while at < jobOrder.count && jobOrder[at].state == .stopped { at += 1 }
        }
        jobOrder.insert(job, at: at)
    }

    /// Records a wait status for `pid`; returns its job. A stop or continue updates the state.
    @discardableResult
    func recordStatus(_ pid: Int32, _ status: Int32) -> Job? {
        guard let job = jobOrder.first(where: { j in j.state != .done && j.processes.contains { $0.pid == pid } }) else { return nil }
        for i in job.processes.indices where job.processes[i].pid == pid {
            job.processes[i].status = WIFCONTINUED(status) ? -1 : status
        }
        var state = Job.State.done
        for p in job.processes {
            if p.status == -1 { state = .running; break }
            if WIFSTOPPED(p.status) { job.stopStatus = p.status; state = .stopped }
        }
        if state != job.state {
            job.state = state
            if state != .running { job.changed = true }
            if state == .stopped { setCurrent(job, .stopped) }
        }
        return job
    }

    /// Collects what happened to every job without blocking (before a prompt, `jobs`).
    func pollJobs() {
        let flags = WNOHANG | (jobControl ? WUNTRACED | WCONTINUED : 0)
        for job in jobOrder where job.state != .done {
            for p in job.processes where p.status == -1 || WIFSTOPPED(p.status) {
                while let (pid, s) = try? Posix.waitpid(p.pid, flags), pid == p.pid {
                    recordStatus(pid, s)
                    if !WIFSTOPPED(s) && !WIFCONTINUED(s) { break }
                    if flags & WCONTINUED == 0 { break }
                    if WIFSTOPPED(s) { break }
                }
            }
        }
    }

    /// Waits until `job` is no longer running (ended, or stopped under job control). With
    /// `interruptible`, a signal with a trap ends the wait early: false is returned (XCU wait).
    /// `report`: say which signal killed a process (dash does for the job it was asked to wait
    /// for: a foreground job, `wait` with an operand).
    func waitForJob(_ job: Job, interruptible: Bool, report: Bool = true) -> Bool {
        let flags = jobControl ? WUNTRACED : 0
        // Under job control the job is its own process group: wait for any of its processes.
        var byGroup = job.jobControl
        while job.state == .running {
            if interruptible && hasInterruptingSignalPending() { return false }
            let target = byGroup ? -job.processGroup : (job.processes.first { $0.status == -1 }?.pid ?? 0)
            do {
                let (pid, s) = try Posix.waitpid(target, flags)
                if pid > 0 {
                    recordStatus(pid, s)
                    if report { reportSignalDeath(s) }
                }
            } catch {
                if error == .EINTR { continue }
                // No child in the group (setpgid failed in both parent and child): one by one.
                if byGroup { byGroup = false; continue }
                // No such child (reaped elsewhere): it is gone; as dash, its status is unknown.
                for i in job.processes.indices where job.processes[i].pid == target {
                    job.processes[i].status = 127 << 8
                }
                recordStatus(target, 127 << 8)
            }
        }
        return true
    }

    /// $? for a job (dash's getstatus): the last process's exit status, 128 + the signal that
    /// ended or stopped it.
    func jobStatus(_ job: Job) -> Int32 {
        let s = job.state == .stopped ? job.stopStatus : (job.processes.last?.status ?? 0)
        if WIFEXITED(s) { return WEXITSTATUS(s) }
        if WIFSTOPPED(s) { return 128 + WSTOPSIG(s) }
        return 128 + WTERMSIG(s)
    }

    /// Runs a foreground job to its end or stop: waits, takes the terminal back, frees it when done
    /// and returns $?. A job ended by SIGINT under job control interrupts the shell too (dash:
    /// the shell did not see the Ctrl-C the terminal sent the job's group, so it raises it).
    func finishForeground(_ job: Job) -> Int32 {
        _ = waitForJob(job, interruptible: false)
        let st = jobStatus(job)
        if job.jobControl {
            takeTerminal()
            if job.state == .done, let last = job.processes.last, WIFSIGNALED(last.status), WTERMSIG(last.status) == SIGINT {
                noteSignal(SIGINT)
            }
        }
        if job.state == .done { freeJob(job) }
        return st
    }

    /// The message dash prints when a foreground process is killed by a signal (not INT or PIPE).
    func reportSignalDeath(_ s: Int32) {
        guard WIFSIGNALED(s) else { return }
        let sig = WTERMSIG(s)
        if sig == SIGINT || sig == SIGPIPE { return }
        var text = signalDescription(sig)
        if WCOREDUMP(s) { text += " (core dumped)" }
        write(2, Array((text + "\n").utf8))
    }

    /// glibc's strsignal texts (what dash prints).
    func signalDescription(_ sig: Int32) -> String {
        let names = ["", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap",
                     "Aborted", "Bus error", "Floating point exception", "Killed", "User defined signal 1",
                     "Segmentation fault", "User defined signal 2", "Broken pipe", "Alarm clock", "Terminated",
                     "Stack fault", "Child exited", "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)",
                     "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded",
                     "Virtual timer expired", "Profiling timer expired", "Window changed", "I/O possible",
                     "Power failure", "Bad system call"]
        if sig > 0 && Int(sig) < names.count { return names[Int(sig)] }
        if sig >= 34 && sig <= 64 { return "Real-time signal \(sig - 34)" }
        return "Unknown signal \(sig)"
    }

    /// A job's state as `jobs` shows it (dash's sprint_status).
    func jobStateText(_ job: Job) -> String {
        if job.state == .running { return "Running" }
        let s = job.state == .stopped ? job.stopStatus : (job.processes.last?.status ?? 0)
        if WIFEXITED(s) { return WEXITSTATUS(s) == 0 ? "Done" : "Done(\(WEXITSTATUS(s)))" }
        var text = signalDescription(WIFSTOPPED(s) ? WSTOPSIG(s) : WTERMSIG(s))
        if !WIFSTOPPED(s) && WCOREDUMP(s) { text += " (core dumped)" }
        return text
    }

    enum JobListing { case normal, pids, groups }

    /// One line of `jobs` (dash's showjob): "[N] + State    command", with -l the pid after the
    /// mark, with -p only the process group. A done job is freed once shown.
    func showJob(_ job: Job, _ mode: JobListing) -> String {
        defer {
            job.changed = false
            if job.state == .done { freeJob(job) }
        }
        if mode == .groups { return "\(job.processGroup)\n" }
        let mark = jobOrder.first === job ? "+" : (jobOrder.count > 1 && jobOrder[1] === job ? "-" : " ")
        var line = "[\(jobNumber(job))] \(mark) "
        let indent = line.utf8.count
        if mode == .pids { line += "\(job.processGroup) " }
        line += jobStateText(job)
        // dash pads with "%*c": to column 33, and at least one space.
        line += String(repeating: " ", count: max(33 - line.utf8.count, 1))
        guard let first = job.processes.first else { return line + "\n" }
        line += first.command
        if mode == .pids {
            for p in job.processes.dropFirst() {
                line += " |\n" + String(repeating: " ", count: indent) + "\(p.pid) "
                let col = indent + "\(p.pid) ".utf8.count
                line += String(repeating: " ", count: max(33 - col, 1)) + p.command
            }
            return line + "\n"
        }
        for p in job.processes.dropFirst() { line += " | " + p.command }
        return line + "\n"
    }

    /// The jobs that changed state since they were last shown (before a prompt: XCU 2.11).
    func notifyChangedJobs() {
        pollJobs()
        var text = ""
        for job in jobOrder where job.changed { text += showJob(job, .normal) }
        if !text.isEmpty { write(2, Array(text.utf8)) }
    }

    /// A job named by a job id (XCU 3.204: %%, %+, %, %-, %N, %string, %?string), nil after
    /// reporting why not (dash's getjob and its messages). `needsJobControl`: fg and bg.
    func findJob(_ name: String?, builtin: String, needsJobControl: Bool = false) -> Job? {
        func fail(_ message: String) -> Job? {
            reportError("\(builtin): \(message)")
            return nil
        }
        var found: Job? = nil
        let label = name ?? "(null)"
        if let name {
            guard name.hasPrefix("%") else { return fail("No such job: \(name)") }
            let rest = String(name.dropFirst())
            if rest.isEmpty || rest == "+" || rest == "%" {
                guard let j = jobOrder.first else { return fail("No current job") }
                found = j
            } else if rest == "-" {
                guard jobOrder.count > 1 else { return fail("No previous job") }
                found = jobOrder[1]
            } else if let n = Int(rest), rest.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                guard n > 0 && n <= jobSlots.count, let j = jobSlots[n - 1] else { return fail("No such job: \(name)") }
                found = j
            } else {
                let substring = rest.hasPrefix("?")
                let text = substring ? String(rest.dropFirst()) : rest
                for j in jobOrder {
                    let command = j.processes.first?.command ?? ""
                    let hit = substring ? command.containsText(text) : command.hasPrefix(text)
                    guard hit else { continue }
                    if found != nil { return fail("\(name): ambiguous") }
                    found = j
                }
                guard found != nil else { return fail("No such job: \(name)") }
            }
        } else {
            guard let j = jobOrder.first else { return fail("No current job") }
            found = j
        }
        if needsJobControl, let j = found, !j.jobControl { return fail("job \(label) not created under job control") }
        return found
    }

    /// Whether any job is stopped (the warning before an interactive shell exits).
    var hasStoppedJobs: Bool { jobOrder.contains { $0.state == .stopped } }
}

extension String {
    /// `self` contains `other` as a substring (byte-wise; Embedded Swift has no Foundation).
    func containsText(_ other: String) -> Bool {
        let a = Array(utf8), b = Array(other.utf8)
        if b.isEmpty { return true }
        if b.count > a.count { return false }
        for i in 0...(a.count - b.count) where a[i..<(i + b.count)].elementsEqual(b) { return true }
        return false
    }
}
