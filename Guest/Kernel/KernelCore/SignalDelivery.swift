// SignalDelivery.swift — what sending a signal does to processes (XSH 2.4, kill, setpgid, setsid),
// decided on KernelState and host-tested: kill's targets, the actions taken at generation
// (terminate, stop, continue, ignore; a handler interrupts an interruptible wait), stop and continue
// reported to the parent (waitpid, SIGCHLD), alarms, sigsuspend, process groups and sessions.
// The machine layer builds handler frames (Kernel/Kernel/SignalFrames.swift) and finishes the exits
// queued here (`takeSignalExits`: their address spaces and devices are its part).
import ABI

/// The result a blocking call is completed with when a signal interrupts it and the call may be
/// restarted (Linux's internal ERESTARTSYS, never seen by a process): the machine layer turns it
/// into EINTR, or re-runs the call when the handler has SA_RESTART.
public let restartMarker = UInt64(bitPattern: -512)

extension KernelState {
    // ---- sending ----

    /// Generates `info.signal` for `p` (sig 0 and zombies: nothing). SIGKILL, and a signal whose
    /// action is to terminate and that is not blocked, end the process now (the exit is queued for
    /// the machine layer) — except that a stopped process keeps every signal but SIGKILL and
    /// SIGCONT pending until it is continued (as Linux); a stop signal stops it; SIGCONT continues
    /// it even when blocked or ignored; a signal that runs a handler interrupts an interruptible
    /// wait (`interrupt`).
    public func sendSignal(to p: Process, _ info: SignalInfo) {
        let s = info.signal
        guard Sig.isValid(s), !p.isZombie else { return }
        if s == Sig.KILL { terminate(p, by: s); return }
        if s == Sig.CONT { continueProcess(p) }
        guard p.signals.generate(info) else { return }
        guard p.signals.isDeliverable(s), !p.isStopped || s == Sig.CONT else { return }
        switch p.signals.decide(s) {
        case .terminate:
            _ = p.signals.take(s)
            terminate(p, by: s)
        case .stop:
            _ = p.signals.take(s)
            stopProcess(p, by: s)
        case .ignore, .continue:
            _ = p.signals.take(s)
        case .handler:
            for t in p.threads { interrupt(t) }
        }
    }

    /// Ends `p` as `s`'s default action does (status 128 + s, WIFSIGNALED). The machine layer
    /// frees what it holds (takeSignalExits).
    public func terminate(_ p: Process, by s: Int32) {
        guard !p.isZombie else { return }
        let effects = exit(p, status: 128 + s, signal: s)
        signalExits.append((p, effects))
    }

    /// Exits caused by signals that the machine layer has not finished yet (address space, devices).
    public func takeSignalExits() -> [(Process, ExitEffects)] {
        defer { signalExits = [] }
        return signalExits
    }

    /// kill(pid, sig) by `sender`: POSIX's targets (pid > 0 one process, 0 the sender's group, -1
    /// all but init and the sender, < -1 the group -pid); sig 0 checks existence only. EINVAL for a
    /// bad signal, ESRCH when nothing matched, EPERM for init named directly. Init is skipped by
    /// group and broadcast sends (Linux delivers to init only signals it catches; this init
    /// catches none), so `kill(0, SIGTERM)` from its group cannot stop the machine.
    public func kill(from sender: Process, pid: Int32, signal s: Int32) -> Result<Void, KernelError> {
        guard s == 0 || Sig.isValid(s) else { return .failure(.init(SV_EINVAL)) }
        let targets: [Process]
        switch pid {
        case _ where pid > 0:
            guard pid != KernelState.initPID else { return process(pid) != nil && s == 0 ? .success(()) : .failure(.init(SV_EPERM)) }
            targets = processes.filter { $0.pid == pid && !$0.isZombie }
        case 0: targets = groupMembers(sender.pgid)
        case -1: targets = processes.filter { !$0.isZombie && $0.pid != KernelState.initPID && $0.pid != sender.pid }
        default:
            guard pid != Int32.min else { return .failure(.init(SV_ESRCH)) }
            targets = groupMembers(-pid)
        }
        guard !targets.isEmpty else { return .failure(.init(SV_ESRCH)) }
        // Only the processes the sender may signal (XSH kill); EPERM when it may signal none of
        // them (Linux: for a group or broadcast, success if at least one was allowed).
        let allowed = targets.filter { maySignal(sender, $0, s) }
        guard !allowed.isEmpty else { return .failure(.init(SV_EPERM)) }
        if s != 0 {
            for q in allowed { sendSignal(to: q, SignalInfo(signal: s, code: SigCode.user, pid: sender.pid)) }
        }
        return .success(())
    }

    /// XSH kill's permission: matching ids (Credentials.maySignal), or SIGCONT within the
    /// sender's session ("an implementation that provides extended security controls may impose
    /// further implementation-defined restrictions ... SIGCONT to a process in the same session").
    func maySignal(_ sender: Process, _ target: Process, _ s: Int32) -> Bool {
        sender.credentials.maySignal(target.credentials) || (s == Sig.CONT && sender.sid == target.sid)
    }

    /// The live members of group `pgid`, init excepted.
    func groupMembers(_ pgid: Int32) -> [Process] {
        processes.filter { $0.pgid == pgid && !$0.isZombie && $0.pid != KernelState.initPID }
    }

    /// A signal that will run a handler ends an interruptible wait: pipe reads and writes, wait,
    /// console reads, a read of a served device (the terminal) — restartable: SA_RESTART re-runs
    /// them — and sleep, poll, pause and sigsuspend (EINTR). Other IPC calls and calls forwarded to
    /// a server (files: like a disk wait on Unix) finish first, as do a server's receive and a
    /// driver's irq_wait (docs/SIGNALS.md).
    public func interrupt(_ t: Thread) {
        guard let why = t.blockReason else { return }
        let result: UInt64
        switch why {
        case .readingPipe, .writingPipe, .waitingForChild, .readingConsole: result = restartMarker
        case .sleeping, .polling, .suspended: result = KernelError(SV_EINTR).result
        case .calling, .awaitingReply, .awaitingService:
            guard abandonCall(t) else { return }
            result = restartMarker
        case .waitingForIRQ, .receiving: return
        }
        t.completion = Completion(result: result)
        t.interruptedBySignal = true
        scheduler.wake(t)
    }

    /// Gives up `t`'s forwarded read of a served device (RemoteFile.isDevice: a read that may wait
    /// without bound, XSH 2.4.3 / read's EINTR), wherever it is: parked for a service, queued at
    /// the endpoint, or received by the server. Nothing else is given up (false): a file's call
    /// finishes, and a plain IPC call is the caller's own protocol.
    ///
    /// A received call is the delicate case: the server may be slow or hostile and may still
    /// reply, use the lease or hold a grant. The call is simply forgotten here — `t` no longer
    /// waits for the server, so `client(_:of:)` finds no call: a late reply, lease copy or
    /// lease_map gets ESRCH (as for a caller that was killed) and the caller's memory is never
    /// touched again; the grants already mapped go to the machine layer to unmap before `t` runs
    /// (`takeAbandonedGrants`). The server hears of it (an SV_FS_HCANCEL notice naming the thread)
    /// before any later call of the same thread, since receive() hands out notices first: it can
    /// drop its record of the call, so a kept read can never answer the thread's next one.
    func abandonCall(_ t: Thread) -> Bool {
        guard case .read(let file, _)? = t.forwarded, file.isDevice else { return false }
        switch t.blockReason {
        case .calling(let id)?:
            ipc.endpoint(id)?.queue.removeAll { $0 === t }
        case .awaitingReply(let server)?:
            let taken = takeGrants(server: server, caller: t.id)
            abandonedGrants += taken
            if let e = ipc.endpoints.first(where: { $0.name == file.service && $0.owner == server }) {
                notify(e, KernelState.handleRequest(SV_FS_HCANCEL, handle: file.handle, offset: UInt64(UInt32(bitPattern: t.id))))
            }
        case .awaitingService?:
            break
        default:
            return false
        }
        t.pendingCall = nil
        t.forwarded = nil
        return true
    }

    /// Grants of abandoned calls (`abandonCall`), forgotten: the machine layer unmaps them from
    /// their servers before the callers run again.
    public func takeAbandonedGrants() -> [Grant] {
        defer { abandonedGrants = [] }
        return abandonedGrants
    }

    // ---- stop and continue ----

    /// Stops `p` (a stop signal's default action): its threads leave the run queues; the parent
    /// learns it (waitpid WUNTRACED, SIGCHLD unless SA_NOCLDSTOP).
    public func stopProcess(_ p: Process, by s: Int32) {
        guard !p.isZombie, !p.isStopped else { return }
        p.isStopped = true
        for t in p.threads { scheduler.stop(t) }
        for i in scheduler.cpus.indices where scheduler.cpus[i].current.map({ $0.pid == p.pid }) == true {
            scheduler.requestPreemption(cpu: i)
        }
        p.waitEvent = .stopped(s)
        notifyParent(p, code: SigCode.cldStopped, status: s)
    }

    /// SIGCONT: a stopped `p` runs again; the parent learns it (WCONTINUED, SIGCHLD).
    public func continueProcess(_ p: Process) {
        guard !p.isZombie, p.isStopped else { return }
        p.isStopped = false
        for t in p.threads { scheduler.resume(t) }
        p.waitEvent = .continued
        notifyParent(p, code: SigCode.cldContinued, status: Sig.CONT)
        // What arrived while it was stopped acts now: a handler ends its wait, a terminating
        // signal ends it (the rest is taken when it next returns to user mode).
        if let s = p.signals.nextDeliverable() {
            switch p.signals.decide(s) {
            case .handler: for t in p.threads { interrupt(t) }
            case .terminate:
                _ = p.signals.take(s)
                terminate(p, by: s)
            default: break
            }
        }
    }

    /// A child stopped or continued: a parent in waitpid with the matching option gets it; SIGCHLD
    /// goes to the parent unless its SIGCHLD action has SA_NOCLDSTOP.
    func notifyParent(_ child: Process, code: Int32, status: Int32) {
        guard let parent = process(child.parentPID), !parent.isZombie else { return }
        let option = code == SigCode.cldStopped ? UInt32(SV_WUNTRACED) : UInt32(SV_WCONTINUED)
        if let waiter = parent.threads.first(where: {
            if case .waitingForChild = $0.blockReason { return $0.waitIsPOSIX && $0.waitOptions & option != 0 && waitMatches($0, child) }
            return false
        }) {
            finishWait(waiter, child: child)
        }
        if parent.signals.action(Sig.CHLD).flags & SigFlag.NOCLDSTOP == 0 {
            sendSignal(to: parent, SignalInfo(signal: Sig.CHLD, code: code, pid: child.pid, status: status))
        }
    }

    /// Whether `child` is one `waiter`'s wait selects (waitSelector, POSIX's pid argument).
    func waitMatches(_ waiter: Thread, _ child: Process) -> Bool {
        guard child.parentPID == waiter.pid else { return false }
        let w = waiter.waitSelector
        if w > 0 { return child.pid == w }
        if w == -1 { return true }
        let group = w == 0 ? (process(waiter.pid)?.pgid ?? 0) : -w
        return child.pgid == group
    }

    // ---- alarm, pause, sigsuspend ----

    /// alarm(ns) by `p` at `now`: replaces its alarm (0 cancels); returns what the old one had left.
    public func setAlarm(_ p: Process, nanoseconds: UInt64, now: UInt64) -> UInt64 {
        let left = p.alarmDeadline == 0 ? 0 : (p.alarmDeadline > now ? p.alarmDeadline - now : 1)
        p.alarmDeadline = nanoseconds == 0 ? 0 : (nanoseconds > UInt64.max - now ? UInt64.max : now + nanoseconds)
        return left
    }

    /// SIGALRM to every process whose alarm is due (each timer tick).
    func expireAlarms(now: UInt64) {
        for p in processes where p.alarmDeadline != 0 && p.alarmDeadline <= now && !p.isZombie {
            p.alarmDeadline = 0
            sendSignal(to: p, SignalInfo(signal: Sig.ALRM, code: SigCode.kernel))
        }
    }

    /// sigsuspend(mask) (pause: the current mask) by `t`: waits with `mask` until a signal runs a
    /// handler; the old mask comes back when that handler returns. A signal already deliverable
    /// under `mask` ends it at once.
    public func suspend(_ t: Thread, mask: UInt64?) {
        guard let p = process(t.pid) else { return }
        if let mask {
            p.maskAfterSuspend = p.signals.blocked
            p.signals.setMask(mask)
        }
        if p.signals.nextDeliverable() != nil {
            t.completion = Completion(result: KernelError(SV_EINTR).result)
            return
        }
        scheduler.block(t, .suspended)
    }

    // ---- process groups and sessions ----

    /// setpgid(pid, pgid) by `caller` (XSH setpgid): pid 0 is the caller, pgid 0 is pid. ESRCH
    /// unless the target is the caller or its child; EACCES for a child that has exec'd; EPERM for
    /// a session leader, a child in another session, or a group that does not exist in the
    /// caller's session (other than the target's own pid); EINVAL for a negative pgid.
    public func setpgid(_ caller: Process, pid: Int32, pgid: Int32) -> Result<Void, KernelError> {
        guard pgid >= 0 else { return .failure(.init(SV_EINVAL)) }
        let targetPID = pid == 0 ? caller.pid : pid
        guard let target = process(targetPID), !target.isZombie,
              target === caller || target.parentPID == caller.pid else { return .failure(.init(SV_ESRCH)) }
        if target !== caller {
            guard target.sid == caller.sid else { return .failure(.init(SV_EPERM)) }
            guard !target.hasExeced else { return .failure(.init(SV_EACCES)) }
        }
        guard !target.isSessionLeader else { return .failure(.init(SV_EPERM)) }
        let group = pgid == 0 ? target.pid : pgid
        if group != target.pid {
            guard processes.contains(where: { $0.pgid == group && $0.sid == caller.sid && !$0.isZombie }) else {
                return .failure(.init(SV_EPERM))
            }
        }
        target.pgid = group
        return .success(())
    }

    /// setsid() by `p`: a new session and group, both its pid; EPERM if it leads a group already
    /// (or its pid names some other process's group).
    public func setsid(_ p: Process) -> Result<Int32, KernelError> {
        guard !processes.contains(where: { $0.pgid == p.pid && !$0.isZombie }) else { return .failure(.init(SV_EPERM)) }
        p.pgid = p.pid
        p.sid = p.pid
        return .success(p.pid)
    }

    /// getpgid(pid) / getsid(pid): pid 0 is the caller; ESRCH for no such process.
    public func getpgid(_ caller: Process, pid: Int32) -> Result<Int32, KernelError> {
        let p = pid == 0 ? caller : process(pid)
        guard let p, !p.isZombie else { return .failure(.init(SV_ESRCH)) }
        return .success(p.pgid)
    }

    public func getsid(_ caller: Process, pid: Int32) -> Result<Int32, KernelError> {
        let p = pid == 0 ? caller : process(pid)
        guard let p, !p.isZombie else { return .failure(.init(SV_ESRCH)) }
        return .success(p.sid)
    }

    /// A session leader exited: SIGHUP then SIGCONT to every other process of its session. POSIX
    /// sends them to the controlling terminal's foreground group; without a controlling terminal
    /// in the kernel, the whole session gets them (docs/SIGNALS.md).
    func hangUpSession(of leader: Process) {
        for q in processes where q.sid == leader.sid && q !== leader && !q.isZombie && q.pid != KernelState.initPID {
            sendSignal(to: q, SignalInfo(signal: Sig.HUP, code: SigCode.kernel))
            sendSignal(to: q, SignalInfo(signal: Sig.CONT, code: SigCode.kernel))
        }
    }
}
