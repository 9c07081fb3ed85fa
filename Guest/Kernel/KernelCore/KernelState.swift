// KernelState.swift — the kernel's state as one value the host can build and test: the process
// and thread tables, the CPUs' run queues, IPC endpoints and the device table, and the process
// life cycle (start, exit, wait, reap, kill). No globals, no hardware: the machine layer
// (Kernel/Kernel) holds one instance and does the parts that touch memory and devices.
import ABI

/// A system-call error: an errno from sv_errno.h (Linux's values).
public struct KernelError: Error, Equatable, Sendable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }
    /// The value a system call returns for it: -errno in two's complement.
    public var result: UInt64 { UInt64(bitPattern: Int64(-code)) }
}

/// What a process's end asks of the machine layer, in this order: reset the devices it drove
/// (before its DMA memory is freed), free its address space, and — for init — power off.
public struct ExitEffects {
    public var devicesToReset: [Int] = []
    public var powerOff = false
}

public final class KernelState {
    /// Live and zombie processes, in the order they were started (what `ps` lists).
    public internal(set) var processes: [Process] = []
    /// Every thread of every live process.
    public internal(set) var threads: [Thread] = []
    public var scheduler: Scheduler
    public internal(set) var ipc = EndpointTable()
    public internal(set) var devices = DeviceTable(count: 0)
    var nextPID: Int32 = 1
    var nextPipeID = 1
    var reclaimRound: UInt64 = 0
    /// Callers' pages mapped into servers for the length of a call (Grants.swift).
    public internal(set) var grants: [Grant] = []
    /// Grants of calls a signal made their callers give up, for the machine layer to unmap
    /// before those callers run again (SignalDelivery.swift, `abandonCall`).
    var abandonedGrants: [Grant] = []
    /// The clock (ns since boot) at the last timer tick: deadlines of waits are set from it.
    public internal(set) var now: UInt64 = 0
    /// Processes that signals ended, for the machine layer to finish (SignalDelivery.swift).
    var signalExits: [(Process, ExitEffects)] = []
    /// The endpoint of the console's server (ttyd), once it attached (ConsoleServer.swift).
    var consoleEndpoint: Int? = nil
    /// Kernel entries, switches and IPC messages since boot (Counters.swift).
    public var counters = KernelCounters()

    /// Live and zombie processes together; starting more fails with EAGAIN.
    public static let maximumProcesses = 256
    /// pid 1: the first process, parent of orphans; the machine powers off when it exits.
    public static let initPID: Int32 = 1

    public init(cpuCount: Int = 1) {
        scheduler = Scheduler(cpuCount: cpuCount)
    }

    public func process(_ pid: Int32) -> Process? { processes.first { $0.pid == pid } }
    public func thread(_ id: Int32) -> Thread? { threads.first { $0.id == id } }

    // ---- starting ----

    /// The pid the next process gets; EAGAIN when the table is full (processes cost kernel heap,
    /// which must never run out).
    public func reservePID() -> Result<Int32, KernelError> {
        guard processes.count < KernelState.maximumProcesses else { return .failure(.init(SV_EAGAIN)) }
        defer { nextPID += 1 }
        return .success(nextPID)
    }

    /// Adds a process built by the machine layer, with its first thread, runnable.
    public func start(_ p: Process, thread t: Thread) {
        precondition(t.pid == p.pid && process(p.pid) == nil, "a new process with a fresh pid and its own thread")
        // It starts in its parent's process group and session (init: its own).
        if let parent = process(p.parentPID) {
            p.pgid = parent.pgid
            p.sid = parent.sid
        }
        p.threads = [t]
        processes.append(p)
        threads.append(t)
        scheduler.wake(t)
    }

    // ---- ending ----

    /// Ends `p` with `status`: its threads stop, IPC drops it, its devices are released,
    /// children go to init (zombies among them are reaped), and a parent waiting for it reaps it.
    /// `signal`: the signal that ended it (0: it exited with `status`).
    public func exit(_ p: Process, status: Int32, signal: Int32 = 0) -> ExitEffects {
        var effects = ExitEffects()
        guard !p.isZombie else { return effects }
        ipcProcessEnded(p)
        for f in p.descriptors.closeAll() { release(f) }
        effects.devicesToReset = devices.release(owner: p.pid)
        for t in p.threads {
            scheduler.retire(t)
            t.completion = nil
        }
        threads.removeAll { $0.pid == p.pid }
        p.exitStatus = status
        p.terminationSignal = signal
        p.isZombie = true
        p.isStopped = false
        p.alarmDeadline = 0
        p.waitEvent = nil
        for child in processes where child.parentPID == p.pid {
            child.parentPID = KernelState.initPID
            if child.isZombie { reap(child) }
        }
        if p.pid == KernelState.initPID { effects.powerOff = true; return effects }
        if p.isSessionLeader { hangUpSession(of: p) }
        if let parent = process(p.parentPID), let waiter = parent.threads.first(where: {
            if case .waitingForChild = $0.blockReason { return waitMatches($0, p) }
            return false
        }) {
            finishWait(waiter, child: p)
        }
        // SIGCHLD (XSH 2.4.3): CLD_KILLED with the signal, or CLD_EXITED with the exit code. The
        // child may be reaped already; the parent's handler sees its pid in si_pid.
        if let parent = process(p.parentPID), !parent.isZombie {
            let info = signal != 0 ? SignalInfo(signal: Sig.CHLD, code: SigCode.cldKilled, pid: p.pid, status: signal)
                                   : SignalInfo(signal: Sig.CHLD, code: SigCode.cldExited, pid: p.pid, status: status & 0xff)
            sendSignal(to: parent, info)
        }
        return effects
    }

    /// kill(pid) by `killer`: EPERM for init, ESRCH for no such (live) process. The status is
    /// SIGKILL's (128 + 9).
    public func kill(_ pid: Int32) -> Result<(Process, ExitEffects), KernelError> {
        guard pid != KernelState.initPID else { return .failure(.init(SV_EPERM)) }
        guard let target = process(pid), !target.isZombie else { return .failure(.init(SV_ESRCH)) }
        return .success((target, exit(target, status: 128 + 9, signal: 9)))
    }

    /// Forgets a zombie. Its threads go too (they may refer back to it: the machine layer's threads
    /// hold their process).
    func reap(_ p: Process) {
        processes.removeAll { $0 === p }
        p.threads = []
    }

    // ---- waiting ----

    public enum WaitOutcome: Equatable {
        /// The child was a zombie: reaped, its status in `t.completion`.
        case reaped
        /// waitpid with WNOHANG and no child has exited: it returns 0.
        case noneYet
        /// `t` blocks until a matching child exits.
        case blocked
    }

    /// Whether `parent` has a child `pid` (0: any child), live or a zombie.
    public func hasChild(of parent: Int32, _ pid: Int32) -> Bool {
        processes.contains { $0.parentPID == parent && (pid == 0 || $0.pid == pid) }
    }

    /// Whether `t`'s wait (its selector set) has any child to wait for.
    func hasMatchingChild(_ t: Thread) -> Bool {
        processes.contains { waitMatches(t, $0) }
    }

    /// wait(pid, who) by `t`: child `pid` (0: any). ECHILD if there is no such child. `who`
    /// (checked writable by the machine layer) receives the reaped child's pid.
    public func wait(_ t: Thread, pid: Int32, whoAddress: UInt64) -> Result<WaitOutcome, KernelError> {
        t.waitWhoAddress = whoAddress
        t.waitSelector = pid == 0 ? -1 : pid
        t.waitOptions = 0
        return startWait(t, child: pid, posix: false, noHang: false)
    }

    /// Both kinds of wait: reap a zombie child `pid` (0: any) now, or (unless `noHang`) block
    /// until one exits. `posix` says which result finishWait gives (waitCompletion).
    func startWait(_ t: Thread, child pid: Int32, posix: Bool, noHang: Bool) -> Result<WaitOutcome, KernelError> {
        guard hasMatchingChild(t) else { return .failure(.init(SV_ECHILD)) }
        t.waitIsPOSIX = posix
        if let zombie = processes.first(where: { waitMatches(t, $0) && $0.isZombie }) {
            finishWait(t, child: zombie)
            return .success(.reaped)
        }
        if let changed = processes.first(where: { q in
            guard waitMatches(t, q), let e = q.waitEvent else { return false }
            if case .stopped = e { return t.waitOptions & UInt32(SV_WUNTRACED) != 0 }
            return t.waitOptions & UInt32(SV_WCONTINUED) != 0
        }) {
            finishWait(t, child: changed)
            return .success(.reaped)
        }
        if noHang { return .success(.noneYet) }
        scheduler.block(t, .waitingForChild(pid: pid))
        return .success(.blocked)
    }

    /// Completes `waiter`'s wait with `child`'s exit, and reaps the child.
    /// A child that stopped or continued is reported once and not reaped.
    func finishWait(_ waiter: Thread, child: Process) {
        waiter.completion = waitCompletion(waiter, child: child)
        scheduler.wake(waiter)
        if child.isZombie { reap(child) } else { child.waitEvent = nil }
    }

    // ---- sleeping and yielding ----

    /// sleep(ns) by `t` at time `now`: 0 is a yield; otherwise blocked until a tick at or after
    /// the deadline.
    public func sleep(_ t: Thread, nanoseconds: UInt64, now: UInt64) {
        t.completion = Completion(result: 0)
        if nanoseconds > 0 {
            scheduler.block(t, .sleeping(until: nanoseconds > UInt64.max - now ? UInt64.max : now + nanoseconds))
        } else {
            scheduler.requestPreemption(cpu: t.cpu)
        }
    }

    /// Makes runnable every thread whose sleep deadline has passed, and ends forwarded calls that
    /// waited too long for their service (on each timer tick).
    public func wakeSleepers(now: UInt64) {
        self.now = now
        expireAlarms(now: now)
        expireServiceWaits()
        wakeExpiredPollers()
        for t in threads {
            if case .sleeping(let until) = t.blockReason, until <= now { scheduler.wake(t) }
        }
    }

    /// The thread that waits in a console read, if any.
    public var consoleReader: Thread? {
        threads.first { if case .readingConsole = $0.blockReason { return true } else { return false } }
    }

    /// Blocks `t` in a console read of `length` bytes to `address`.
    public func waitForConsole(_ t: Thread, address: UInt64, length: UInt64) {
        scheduler.block(t, .readingConsole(address: address, length: length))
    }

    /// Completes a console read with `bytes` (the machine layer took them from its buffer).
    public func completeConsoleRead(_ t: Thread, bytes: [UInt8], at address: UInt64) {
        t.completion = Completion(result: UInt64(bytes.count), bytes: bytes, at: address)
        scheduler.wake(t)
    }

    /// The state `ps` shows for a process (SV_PROCESS_*).
    public func displayState(_ p: Process) -> UInt32 {
        if p.isZombie { return UInt32(SV_PROCESS_ZOMBIE) }
        if p.isStopped { return UInt32(SV_PROCESS_STOPPED) }
        return p.threads.contains { $0.isRunnable } ? UInt32(SV_PROCESS_RUNNABLE) : UInt32(SV_PROCESS_BLOCKED)
    }
}
