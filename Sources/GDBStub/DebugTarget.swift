// DebugTarget.swift — what the VMM implements so gdb can debug the guest: threads (vCPUs), registers,
// guest-virtual memory, breakpoints, run control. The stub never sees KVM; the VMM never sees packets.

/// A gdb thread id. Each vCPU is one thread: vCPU n is thread n + 1 (gdb reserves 0 for "any thread"
/// and -1 for "all threads", so ids start at 1, as in Firecracker's `tid_to_vcpuid`).
public struct ThreadID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Int
    public init(_ value: Int) {
        precondition(value > 0, "gdb thread ids start at 1")
        self.value = value
    }
    /// The thread of vCPU `index` (0-based).
    public init(vcpu index: Int) { self.init(index + 1) }
    /// The 0-based vCPU index of this thread.
    public var vcpuIndex: Int { value - 1 }
    public static func < (a: ThreadID, b: ThreadID) -> Bool { a.value < b.value }
    public var description: String { "thread \(value)" }
}

/// A guest-virtual address, as gdb sends it. The target translates it through the guest's page
/// tables (the CR3 of the thread the access is made for).
public struct VirtualAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public static func < (a: VirtualAddress, b: VirtualAddress) -> Bool { a.value < b.value }
    /// `self + offset`, or nil on overflow past 2^64.
    public func adding(_ offset: UInt64) -> VirtualAddress? {
        let (sum, overflow) = value.addingReportingOverflow(offset)
        return overflow ? nil : VirtualAddress(sum)
    }
    public var description: String { "0x" + String(value, radix: 16) }
}

/// Why a target operation failed. The session turns each case into an `E` reply (see `StubErrno`).
public enum DebugTargetError: Error, Equatable, Sendable {
    /// No live vCPU has this thread id.
    case noSuchThread(ThreadID)
    /// The address is not mapped in the guest's page tables (or the page maps outside guest RAM).
    case unmapped(VirtualAddress)
    /// The target refused a value (e.g. a register write KVM rejected), naming what.
    case rejected(String)
    /// No free debug register (x86 has four, DR0–DR3, shared by hw breakpoints and watchpoints).
    case noResources
    /// The VMM failed underneath (an ioctl failed), naming the operation.
    case failed(String)
}

/// What gdb asks to plant with `Z0`–`Z4`. `length` is gdb's "kind": 1 for x86 breakpoints, the
/// watched byte count (1, 2, 4, 8) for watchpoints.
public struct Breakpoint: Hashable, Sendable {
    public enum Kind: Int, Hashable, Sendable, CaseIterable {
        /// `Z0`: an `int3` written into guest memory.
        case software = 0
        /// `Z1`: an instruction breakpoint in a debug register.
        case hardware = 1
        /// `Z2`: stop after a write to [address, address + length).
        case writeWatch = 2
        /// `Z3`: stop after a read (x86 cannot do read-only: KVM targets answer `.unsupported`).
        case readWatch = 3
        /// `Z4`: stop after a read or a write.
        case accessWatch = 4
    }
    public var kind: Kind
    public var address: VirtualAddress
    public var length: Int
    public init(kind: Kind, address: VirtualAddress, length: Int) {
        self.kind = kind
        self.address = address
        self.length = length
    }
    public var isWatchpoint: Bool { kind.rawValue >= 2 }
}

/// The result of inserting or removing a breakpoint. `.unsupported` is an empty reply, which tells gdb
/// to fall back (for `Z0`: write the `int3` itself with `M`/`X`) or to report that it cannot.
public enum BreakpointResult: Equatable, Sendable {
    case ok
    case unsupported
    case failed(DebugTargetError)
}

/// What one thread does when the target resumes.
public enum ResumeAction: Equatable, Sendable {
    /// Run until something stops the target. `signal` is gdb's signal to deliver (`C`/`vCont;C`); a VM
    /// has no signals, so a VMM may ignore it.
    case `continue`(signal: UInt8?)
    /// Execute one instruction, then stop with `.step` (KVM_GUESTDBG_SINGLESTEP).
    case step(signal: UInt8?)
}

/// A resume request: the threads to run and how. Threads not in `actions` stay stopped (gdb's vCont
/// rule: "threads that don't match any action remain in their current state").
public struct ResumePlan: Equatable, Sendable {
    public var actions: [ThreadID: ResumeAction]
    public init(_ actions: [ThreadID: ResumeAction]) { self.actions = actions }
    /// The threads that step, ascending.
    public var steppingThreads: [ThreadID] {
        actions.compactMap { if case .step = $0.value { return $0.key } else { return nil } }.sorted()
    }
}

/// Why the target stopped, as reported to gdb in a stop reply.
public enum StopReason: Equatable, Sendable {
    /// Initial state: stopped before the first instruction (`--gdb-wait`), or stopped for the attach.
    /// Reported as `T05` (SIGTRAP), as QEMU does for `-S`.
    case attached
    /// A step (`s`, `vCont;s`) completed. `T05`.
    case step
    /// One of gdb's `Z0` breakpoints was hit; RIP points *at* the `int3` (KVM leaves it there).
    /// `T05swbreak:;` so gdb does not apply its x86 decr_pc_after_break.
    case softwareBreakpoint
    /// A `Z1` breakpoint (debug register) fired. `T05hwbreak:;`.
    case hardwareBreakpoint
    /// A watchpoint fired after an access to `address` (the watched address gdb planted).
    /// `T05watch:`/`rwatch:`/`awatch:` with the address.
    case watchpoint(Breakpoint.Kind, address: VirtualAddress)
    /// gdb's Ctrl-C (`\x03`) stopped the target. `T02` (SIGINT).
    case interrupted
    /// Any other stop with a gdb signal number (e.g. 5 for a guest's own `int3`, 11 for a fault).
    case signal(UInt8)
    /// The guest is gone (powered off, exited with `code`). `W` reply; gdb considers the process dead.
    case exited(code: UInt8)
    /// The set of loaded programs changed (`libraries()`). `T05library:;`: gdb re-reads the list,
    /// loads the new symbols, re-plants its breakpoints and resumes by itself (unless the user set
    /// `stop-on-solib-events`).
    case librariesChanged
}

/// A program whose symbols gdb should load (`qXfer:libraries:read`, gdb manual "Library List Format").
public struct LoadedLibrary: Equatable, Sendable {
    /// The file on the host (an unstripped ELF).
    public var path: String
    /// Where its first loadable segment is in the guest (gdb relocates the file by the difference
    /// from the segment's linked address: a program loaded where it was linked has offset 0).
    public var segmentAddress: UInt64
    public init(path: String, segmentAddress: UInt64) {
        self.path = path
        self.segmentAddress = segmentAddress
    }
}

/// One stop of the whole target (all-stop mode: every thread is stopped when this is reported).
public struct StopEvent: Equatable, Sendable {
    /// The thread that caused the stop; gdb makes it the current thread.
    public var thread: ThreadID
    public var reason: StopReason
    public init(thread: ThreadID, reason: StopReason) {
        self.thread = thread
        self.reason = reason
    }
}

/// The debugged machine, as the VMM exposes it to the stub.
///
/// Threading: `GDBServer` calls every method from its one session thread, never concurrently;
/// the implementation synchronises with its own vCPU threads. All-stop: while the target is stopped,
/// every vCPU is paused; `resume` starts the threads in the plan and returns at once; the next
/// `waitForStop` that returns an event means every vCPU has been paused again.
///
/// Memory: every address is guest-virtual. The session splits accesses so that one call never
/// crosses a 4 KiB page boundary (`DebugTargetPageSize`); the target translates the page through the
/// page tables of the given thread (CR3, CR4.PAE/LA57, EFER.LMA; 4 KiB, 2 MiB and 1 GiB pages) and
/// throws `.unmapped` when the walk fails. A target may translate with KVM_TRANSLATE or a software
/// walk of guest RAM.
public protocol DebugTarget: AnyObject {
    /// Stops every vCPU if it is running and returns why the target is stopped. Called once when a gdb
    /// connects, before any packet is served (gdb expects a stopped target on `target remote`).
    func attach() -> StopEvent

    /// The live threads (one per vCPU), ascending. Never empty.
    func threads() -> [ThreadID]

    /// A short description gdb shows in `info threads` (`qThreadExtraInfo`), e.g. "vCPU 0".
    func threadDescription(_ thread: ThreadID) -> String?

    /// Reads the full register file of a stopped thread.
    func readRegisters(thread: ThreadID) throws(DebugTargetError) -> X86_64Registers

    /// Writes the full register file of a stopped thread. `changed` lists the registers gdb changed
    /// (all of them for `G`, one for `P`), so a VMM can skip unchanged groups (KVM_SET_SREGS, MSRs).
    func writeRegisters(_ registers: X86_64Registers, changed: Set<X86_64Register>, thread: ThreadID)
        throws(DebugTargetError)

    /// Reads `count` bytes at `address`, translated for `thread`; the range never crosses a page.
    func readMemory(at address: VirtualAddress, count: Int, thread: ThreadID) throws(DebugTargetError)
        -> [UInt8]

    /// Writes `bytes` at `address`, translated for `thread`; the range never crosses a page.
    func writeMemory(_ bytes: [UInt8], at address: VirtualAddress, thread: ThreadID)
        throws(DebugTargetError)

    /// Plants a breakpoint or watchpoint on every vCPU. `thread` is the translation context for
    /// software breakpoints (the `int3` goes to the guest-physical address behind `address`).
    func insertBreakpoint(_ breakpoint: Breakpoint, thread: ThreadID) -> BreakpointResult

    /// Removes one planted with `insertBreakpoint`; removing an unknown one is `.ok` (gdb may retry).
    func removeBreakpoint(_ breakpoint: Breakpoint, thread: ThreadID) -> BreakpointResult

    /// Resumes the threads in `plan` (others stay stopped) and returns without waiting.
    func resume(_ plan: ResumePlan) throws(DebugTargetError)

    /// Asks a running target to stop (gdb's Ctrl-C); the next `waitForStop` reports `.interrupted`
    /// unless another stop won the race. A no-op when stopped.
    func interrupt()

    /// Waits up to `timeoutMilliseconds` for the running target to stop; nil on timeout. Returns nil at
    /// once when the target is not running.
    func waitForStop(timeoutMilliseconds: Int) -> StopEvent?

    /// gdb detached (`D`) or went away: remove every breakpoint and watchpoint gdb planted, clear
    /// single-step, and let every vCPU run freely.
    func detach()

    /// gdb killed the target (`k`, `vKill`): the VMM shuts the guest down.
    func kill()

    /// The programs loaded now beside the main executable, for gdb's symbols; nil when the target
    /// does not report libraries (then `qXfer:libraries:read` is not offered).
    func libraries() -> [LoadedLibrary]?

    /// gdb's `monitor COMMAND` (qRcmd): the text to print (newline-terminated lines; "" prints
    /// nothing), or nil when the target has no monitor commands. Called while the target is stopped.
    func monitor(_ command: String) -> String?
}

extension DebugTarget {
    public func libraries() -> [LoadedLibrary]? { nil }

    public func monitor(_ command: String) -> String? { nil }

    public func threadDescription(_ thread: ThreadID) -> String? { "vCPU \(thread.vcpuIndex)" }
}

/// The session splits memory accesses at this boundary: the smallest x86 page.
public let DebugTargetPageSize: UInt64 = 4096
