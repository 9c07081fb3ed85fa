// Thread.swift — a thread: what the scheduler runs. It belongs to a process (the address space,
// rights and resources) and carries only scheduling state and the result of a blocking call.
// One thread per process for now; nothing here assumes it. The kernel's machine layer subclasses
// Thread to add the saved registers and FPU state (Kernel/Kernel/UserThread.swift).

/// Why a thread is not runnable. Every blocking system call names its reason here, so the core
/// (and a host test) can see who waits for what.
public enum BlockReason: Equatable, Sendable {
    /// wait(pid): for child `pid` (0: any child) to exit.
    case waitingForChild(pid: Int32)
    /// irq_wait(device).
    case waitingForIRQ(device: Int)
    /// read(0, address, length) until console input arrives.
    case readingConsole(address: UInt64, length: UInt64)
    /// An IPC call queued at `endpoint`, not yet received by its server.
    case calling(endpoint: Int)
    /// An IPC call received by `server` (a pid), waiting for its reply.
    case awaitingReply(server: Int32)
    /// receive(endpoint): a server waiting for its next call.
    case receiving(endpoint: Int)
    /// sleep(): until the clock reaches `until` (ns since boot).
    case sleeping(until: UInt64)
    /// read() on an empty pipe (by id) that still has writers.
    case readingPipe(Int)
    /// write() to a full pipe (by id) that still has readers.
    case writingPipe(Int)
    /// A call the kernel forwards for a descriptor, while no one serves `service` (its server
    /// died and is being restarted); sent when a server names it again, EIO at the deadline.
    case awaitingService([UInt8])
    /// poll(): until a descriptor it watches changes, or the clock reaches `until` (UInt64.max: never).
    case polling(until: UInt64)
    /// pause() or sigsuspend(): until a signal runs a handler (or ends the process).
    case suspended
}

public enum ThreadState: Equatable, Sendable {
    case runnable
    case blocked(BlockReason)
    /// Its process exited; it never runs again.
    case dead
}

/// What a blocked call returns once something else completes it (a reply, a child's exit, an
/// interrupt): the result register and, optionally, bytes to store into the thread's own memory.
/// The machine layer applies it just before the thread runs again, in the thread's address space,
/// so the core never touches user memory.
public struct Completion: Equatable, Sendable {
    public var result: UInt64
    public var bytes: [UInt8]
    public var address: UInt64
    /// When storing `bytes` faults: true turns the result into EFAULT; false keeps the result
    /// (wait's `who` was checked writable when the call began).
    public var faultIsError: Bool

    public init(result: UInt64, bytes: [UInt8] = [], at address: UInt64 = 0, faultIsError: Bool = true) {
        self.result = result
        self.bytes = bytes
        self.address = address
        self.faultIsError = faultIsError
    }
}

open class Thread {
    /// Thread ids are process ids while every process has one thread.
    public let id: Int32
    /// The process it belongs to.
    public let pid: Int32
    public internal(set) var state: ThreadState = .runnable
    /// Set when a blocking call was completed by someone else; taken by the machine layer.
    public var completion: Completion? = nil
    /// The IPC call this thread is making (while .calling or .awaitingReply).
    public internal(set) var pendingCall: PendingCall? = nil
    /// Where receive() delivers the next message.
    public internal(set) var receiveAddress: UInt64 = 0
    /// Where wait() stores the pid of the child it reaped (0: nowhere).
    public internal(set) var waitWhoAddress: UInt64 = 0
    /// waitpid(): where the status word goes (0: nowhere), and that it is waitpid (result: the
    /// pid, status word stored) rather than the original wait (result: the exit status).
    public internal(set) var waitStatusAddress: UInt64 = 0
    public internal(set) var waitIsPOSIX = false
    /// The call the kernel makes on this thread's behalf for a descriptor (RemoteFiles.swift):
    /// what its reply completes. Set with pendingCall.
    public internal(set) var forwarded: ForwardedCall? = nil
    /// The service a forwarded call goes to (found again by name if its server dies).
    public internal(set) var forwardedService: [UInt8] = []
    /// While .awaitingService: when the wait ends with EIO (ns since boot).
    public internal(set) var serviceDeadline: UInt64 = 0
    /// waitpid's selector (POSIX: > 0 a pid, -1 any, 0 the caller's group, < -1 group -pid) and
    /// options (WUNTRACED, WCONTINUED).
    public internal(set) var waitSelector: Int32 = -1
    public internal(set) var waitOptions: UInt32 = 0
    /// Its process is stopped: the scheduler does not run it even when runnable.
    public internal(set) var isStopped = false
    /// A signal ended its blocking call (the completion says EINTR or restart); the machine layer
    /// drops what the call kept (a pipe transfer, a poll) instead of retrying it.
    public var interruptedBySignal = false
    /// The CPU whose run queue it is on (or last ran on).
    public internal(set) var cpu: Int = 0
    /// On a run queue now (never on two, never twice).
    var isQueued = false

    public init(id: Int32, pid: Int32) {
        self.id = id
        self.pid = pid
    }

    public var isRunnable: Bool { state == .runnable }

    public var blockReason: BlockReason? {
        if case .blocked(let r) = state { return r }
        return nil
    }
}
