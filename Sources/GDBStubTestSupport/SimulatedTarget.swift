// SimulatedTarget.swift — a `DebugTarget` test double: a tiny x86-64 machine with one or two vCPUs,
// guest RAM holding real 4-level page tables (4 KiB, 2 MiB and 1 GiB mappings, and holes), and an
// interpreter for the handful of real x86-64 instructions its built-in program uses, so gdb's own
// disassembler, `stepi`, breakpoints and watchpoints all agree with what "runs".
import GDBStub
import Synchronization
import Glibc

/// A `DebugTarget` over a simulated machine. Like the VMM's, it is driven from one thread (the
/// server's); `interrupt` may come from any thread.
public final class SimulatedTarget: DebugTarget, @unchecked Sendable {
    public struct Thread {
        public var registers: X86_64Registers
        public var halted = false
        var action: ResumeAction? = nil
    }

    public private(set) var ram: [UInt8]
    public private(set) var threadStates: [Thread]
    public private(set) var softwareBreakpoints: Set<UInt64> = []
    /// Debug-register slots (DR0–DR3): hardware breakpoints and watchpoints share them.
    public private(set) var debugSlots: [Breakpoint] = []
    public private(set) var running = false
    public private(set) var detachCount = 0
    public private(set) var attachCount = 0
    public private(set) var killed = false
    /// Every resume plan, in order (for tests of vCont handling).
    public private(set) var resumeHistory: [ResumePlan] = []
    /// Register writes: which registers changed in each call (for tests of `G`/`P`).
    public private(set) var registerWriteHistory: [Set<X86_64Register>] = []
    /// Instructions executed, all threads.
    public private(set) var instructionsExecuted = 0
    let interruptRequested = Atomic<Bool>(false)
    let resumeCounter = Atomic<Int>(0)
    /// How many times the target was resumed; safe to read from any thread (tests wait on it).
    public var resumeCount: Int { resumeCounter.load(ordering: .acquiring) }
    var pendingStop: StopEvent? = nil
    /// What `libraries()` reports (nil: the target offers no library list).
    public var loadedLibraries: [LoadedLibrary]? = nil

    /// Builds the machine with its program loaded, every thread stopped before its first instruction.
    public init(threadCount: Int = 2) {
        precondition(threadCount >= 1 && threadCount <= 2, "the simulated program has code for two vCPUs")
        ram = SimulatedProgram.buildRAM()
        threadStates = (0..<threadCount).map { i in Thread(registers: SimulatedProgram.initialRegisters(vcpu: i)) }
    }

    // MARK: - Introspection for tests

    public func registers(of thread: ThreadID) -> X86_64Registers { threadStates[thread.vcpuIndex].registers }

    public func setRegisters(_ r: X86_64Registers, of thread: ThreadID) { threadStates[thread.vcpuIndex].registers = r }

    /// Reads guest-virtual memory through the page tables (nil if any byte is unmapped).
    public func peek(_ address: UInt64, count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var at = address
        while out.count < count {
            let chunk = min(count - out.count, Int(DebugTargetPageSize - at % DebugTargetPageSize))
            guard let pa = translate(VirtualAddress(at)), pa + UInt64(chunk) <= UInt64(ram.count) else { return nil }
            out += ram[Int(pa)..<Int(pa) + chunk]
            at &+= UInt64(chunk)
        }
        return out
    }

    public func peek64(_ address: UInt64) -> UInt64? {
        peek(address, count: 8).map { b in (0..<8).reduce(0) { $0 | UInt64(b[$1]) << (8 * UInt64($1)) } }
    }

    // MARK: - DebugTarget

    public func attach() -> StopEvent {
        attachCount += 1
        if running {
            return stopAll(StopEvent(thread: ThreadID(1), reason: .interrupted))
        }
        return StopEvent(thread: ThreadID(1), reason: .attached)
    }

    public func threads() -> [ThreadID] { (0..<threadStates.count).map { ThreadID(vcpu: $0) } }

    func check(_ thread: ThreadID) throws(DebugTargetError) -> Int {
        guard thread.vcpuIndex < threadStates.count else { throw .noSuchThread(thread) }
        return thread.vcpuIndex
    }

    public func readRegisters(thread: ThreadID) throws(DebugTargetError) -> X86_64Registers {
        threadStates[try check(thread)].registers
    }

    public func writeRegisters(_ registers: X86_64Registers, changed: Set<X86_64Register>, thread: ThreadID)
        throws(DebugTargetError) {
        let i = try check(thread)
        // Like KVM_SET_SREGS: a 64-bit kernel cannot turn paging or long mode off under itself.
        if changed.contains(.cr0) && registers.cr0 & (1 << 31) == 0 { throw .rejected("cr0.PG cannot be cleared") }
        threadStates[i].registers = registers
        registerWriteHistory.append(changed)
    }

    public func readMemory(at address: VirtualAddress, count: Int, thread: ThreadID) throws(DebugTargetError)
        -> [UInt8] {
        _ = try check(thread)
        precondition(address.value / DebugTargetPageSize == (address.value + UInt64(count - 1)) / DebugTargetPageSize,
                     "the session must split accesses at page boundaries")
        guard let pa = translate(address), pa + UInt64(count) <= UInt64(ram.count) else { throw .unmapped(address) }
        return Array(ram[Int(pa)..<Int(pa) + count])
    }

    public func writeMemory(_ bytes: [UInt8], at address: VirtualAddress, thread: ThreadID) throws(DebugTargetError) {
        _ = try check(thread)
        precondition(address.value / DebugTargetPageSize == (address.value + UInt64(bytes.count - 1)) / DebugTargetPageSize,
                     "the session must split accesses at page boundaries")
        guard let pa = translate(address), pa + UInt64(bytes.count) <= UInt64(ram.count) else { throw .unmapped(address) }
        ram.replaceSubrange(Int(pa)..<Int(pa) + bytes.count, with: bytes)
    }

    public func insertBreakpoint(_ bp: Breakpoint, thread: ThreadID) -> BreakpointResult {
        switch bp.kind {
        case .software:
            guard bp.length == 1 else { return .failed(.rejected("x86 breakpoint kind must be 1")) }
            guard translate(bp.address) != nil else { return .failed(.unmapped(bp.address)) }
            softwareBreakpoints.insert(bp.address.value)
            return .ok
        case .readWatch:
            // x86 debug registers cannot watch reads alone (R/W = 11 is read *or* write).
            return .unsupported
        case .hardware, .writeWatch, .accessWatch:
            if debugSlots.contains(bp) { return .ok }
            if bp.kind == .hardware {
                guard bp.length == 1 else { return .failed(.rejected("x86 breakpoint kind must be 1")) }
            } else {
                guard [1, 2, 4, 8].contains(bp.length), bp.address.value % UInt64(bp.length) == 0 else {
                    return .failed(.rejected("x86 watchpoints cover 1, 2, 4 or 8 aligned bytes"))
                }
            }
            guard debugSlots.count < 4 else { return .failed(.noResources) }
            debugSlots.append(bp)
            return .ok
        }
    }

    public func removeBreakpoint(_ bp: Breakpoint, thread: ThreadID) -> BreakpointResult {
        switch bp.kind {
        case .software: softwareBreakpoints.remove(bp.address.value)
        case .readWatch: return .unsupported
        default: debugSlots.removeAll { $0 == bp }
        }
        return .ok
    }

    public func resume(_ plan: ResumePlan) throws(DebugTargetError) {
        precondition(!running, "resume while running")
        for t in plan.actions.keys { _ = try check(t) }
        resumeHistory.append(plan)
        for i in threadStates.indices {
            threadStates[i].action = plan.actions[ThreadID(vcpu: i)]
            // A resumed vCPU leaves `hlt` (as if woken); it will usually halt again soon.
            if threadStates[i].action != nil { threadStates[i].halted = false }
        }
        interruptRequested.store(false, ordering: .relaxed)
        running = true
        resumeCounter.add(1, ordering: .releasing)
    }

    public func interrupt() {
        interruptRequested.store(true, ordering: .relaxed)
    }

    public func waitForStop(timeoutMilliseconds: Int) -> StopEvent? {
        guard running else { return nil }
        let deadline = monotonicMilliseconds() + timeoutMilliseconds
        var rounds = 0
        while true {
            if interruptRequested.exchange(false, ordering: .relaxed) {
                let first = threadStates.indices.first { threadStates[$0].action != nil } ?? 0
                return stopAll(StopEvent(thread: ThreadID(vcpu: first), reason: .interrupted))
            }
            var active = false
            for i in threadStates.indices where threadStates[i].action != nil && !threadStates[i].halted {
                active = true
                if let reason = execute(vcpu: i) {
                    return stopAll(StopEvent(thread: ThreadID(vcpu: i), reason: reason))
                }
            }
            rounds += 1
            if !active {
                // Every running vCPU sits in `hlt`: nothing happens until an interrupt.
                let left = deadline - monotonicMilliseconds()
                if left <= 0 { return nil }
                usleep(UInt32(min(left, 2) * 1000))
            } else if rounds % 512 == 0 && monotonicMilliseconds() >= deadline {
                return nil
            }
        }
    }

    public func detach() {
        detachCount += 1
        softwareBreakpoints.removeAll()
        debugSlots.removeAll()
        // Let the machine run freely: nothing executes in the simulation until the next attach.
        for i in threadStates.indices { threadStates[i].action = .continue(signal: nil) }
        running = true
    }

    public func libraries() -> [LoadedLibrary]? { loadedLibraries }

    public func kill() {
        killed = true
        running = false
        for i in threadStates.indices { threadStates[i].action = nil }
    }

    func stopAll(_ event: StopEvent) -> StopEvent {
        running = false
        for i in threadStates.indices { threadStates[i].action = nil }
        return event
    }

    // MARK: - The machine

    func translate(_ address: VirtualAddress) -> UInt64? {
        PageTableWalker.translate(address, mode: PagingMode(threadStates[0].registers)) { pa in
            guard pa % 8 == 0, pa + 8 <= UInt64(ram.count) else { return nil }
            let i = Int(pa)
            return (0..<8).reduce(UInt64(0)) { $0 | UInt64(ram[i + $1]) << (8 * UInt64($1)) }
        }
    }

    func load(_ address: UInt64, count: Int) -> [UInt8]? { peek(address, count: count) }

    func store(_ address: UInt64, _ bytes: [UInt8]) -> Bool {
        var pas: [Int] = []
        for i in 0..<bytes.count {
            guard let pa = translate(VirtualAddress(address &+ UInt64(i))), pa < UInt64(ram.count) else { return false }
            pas.append(Int(pa))
        }
        for (i, pa) in pas.enumerated() { ram[pa] = bytes[i] }
        return true
    }

    /// Hardware register number (ModRM encoding: rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi) → gdb's order.
    static let gprIndex = [0, 2, 3, 1, 7, 6, 4, 5]

    /// Runs one instruction of `vcpu`; returns why the machine stops, if it does.
    func execute(vcpu: Int) -> StopReason? {
        var r = threadStates[vcpu].registers
        let pc = r.rip
        if softwareBreakpoints.contains(pc) { return .softwareBreakpoint }
        if debugSlots.contains(where: { $0.kind == .hardware && $0.address.value == pc }) { return .hardwareBreakpoint }
        guard let code = load(pc, count: 1), let op = code.first else { return .signal(11) }
        var length = 1
        var nextRIP: UInt64? = nil
        var access: (address: UInt64, count: Int, write: Bool)? = nil
        var reason: StopReason? = nil

        func fetch(_ n: Int) -> [UInt8]? { load(pc, count: n) }
        func le32(_ b: [UInt8], _ at: Int) -> Int64 {
            Int64(Int32(bitPattern: UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24))
        }

        switch op {
        case 0x90:  // nop
            break
        case 0xf4:  // hlt
            threadStates[vcpu].halted = true
        case 0xcc:  // int3 that is not ours: the guest's own breakpoint → SIGTRAP after it
            reason = .signal(5)
        case 0xeb:  // jmp rel8
            guard let b = fetch(2) else { return .signal(11) }
            nextRIP = pc &+ 2 &+ UInt64(bitPattern: Int64(Int8(bitPattern: b[1])))
        case 0xe6:  // out imm8, al — port 0xf4 is the debug-exit port: the machine powers off
            guard let b = fetch(2) else { return .signal(11) }
            length = 2
            if b[1] == 0xf4 { return .exited(code: UInt8(truncatingIfNeeded: r.gpr[0])) }
        case 0x48:  // REX.W
            guard let b = fetch(3) else { return .signal(11) }
            let modrm = b[2]
            let mod = modrm >> 6, reg = Int((modrm >> 3) & 7), rm = Int(modrm & 7)
            switch (b[1], mod) {
            case (0xff, 3) where reg == 0:  // inc r64
                length = 3
                r.gpr[Self.gprIndex[rm]] &+= 1
            case (0x83, 3) where reg == 0:  // add r64, imm8
                guard let c = fetch(4) else { return .signal(11) }
                length = 4
                r.gpr[Self.gprIndex[rm]] &+= UInt64(bitPattern: Int64(Int8(bitPattern: c[3])))
            case (0x89, 0) where rm == 5, (0x8b, 0) where rm == 5:  // mov [rip+d32], r64 / mov r64, [rip+d32]
                guard let c = fetch(7) else { return .signal(11) }
                length = 7
                let target = pc &+ 7 &+ UInt64(bitPattern: le32(c, 3))
                if b[1] == 0x89 {
                    let v = r.gpr[Self.gprIndex[reg]]
                    guard store(target, (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }) else { return .signal(11) }
                    access = (target, 8, true)
                } else {
                    guard let v = load(target, count: 8) else { return .signal(11) }
                    r.gpr[Self.gprIndex[reg]] = (0..<8).reduce(0) { $0 | UInt64(v[$1]) << (8 * UInt64($1)) }
                    access = (target, 8, false)
                }
            case (0x89, 3):  // mov r64, r64
                length = 3
                r.gpr[Self.gprIndex[rm]] = r.gpr[Self.gprIndex[reg]]
            default:
                return .signal(4)  // SIGILL: not in our instruction set
            }
        default:
            return .signal(4)
        }
        r.rip = nextRIP ?? pc &+ UInt64(length)
        threadStates[vcpu].registers = r
        instructionsExecuted += 1
        if let access, let hit = debugSlots.first(where: { bp in
            bp.isWatchpoint && (bp.kind == .accessWatch || access.write)
                && access.address < bp.address.value + UInt64(bp.length)
                && bp.address.value < access.address + UInt64(access.count)
        }) {
            // Data breakpoints are traps: they report after the access, RIP past the instruction.
            return .watchpoint(hit.kind, address: hit.address)
        }
        return finishStep(vcpu: vcpu, reason: reason)
    }

    func finishStep(vcpu: Int, reason: StopReason?) -> StopReason? {
        if reason == nil, case .step = threadStates[vcpu].action { return .step }
        return reason
    }
}

/// CLOCK_MONOTONIC in milliseconds.
public func monotonicMilliseconds() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int(ts.tv_sec) * 1000 + Int(ts.tv_nsec) / 1_000_000
}
