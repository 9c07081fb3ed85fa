// GuestDebugger.swift — the VMM's `DebugTarget`: what gdb's stub sees of the guest. One vCPU.
//
// Two ways a stop reaches us, one protocol for gdb:
// - the debug channel (ABI/include/sv_debug.h): on PVM, #DB and #BP go to the guest's own IDT
//   (HOST.md rule 8), so the kernel reports them — and its faults and panics — with one OUT;
//   registers live in the kernel's sv_debug_state page while the vCPU waits inside that OUT;
// - KVM itself: gdb's Ctrl-C (the vCPU is kicked out of KVM_RUN), `--gdb-wait` (stopped before the
//   first instruction), and KVM_EXIT_DEBUG (single-step exits while the kernel is still emulated
//   on PVM; every debug exit on hardware KVM, where KVM_SET_GUEST_DEBUG works natively).
//
// gdb threads are the guest's processes (thread id = pid) plus the kernel (thread id 2^31-1, the vCPU
// itself): at each channel stop the kernel publishes its process table (ProcessSnapshot), and each
// process thread reads that process's saved registers and translates through that process's own
// page tables. At a KVM stop (Ctrl-C, --gdb-wait) the kernel published nothing: the kernel thread
// is the only one.
//
// Symbols: gdb holds one program's symbols beside the kernel's — the program that started last
// (`libraries()`, `T05library`): each program start (sv_debug.h SV_DEBUG_REASON_STARTED) is a
// library event gdb handles by itself (it loads NAME.elf from the symbol directory, re-plants its
// breakpoints and resumes).
//
// Software breakpoints at user addresses belong to a program, not to an address space: gdb plants
// one while it holds that program's symbols; we write the int3 into every live instance of that
// program and into each new one when it starts, and into no other address space. The loader and
// fork copy every page (no frame is shared between user address spaces, and the shared entry area
// lies above SV_USER_END), so an int3 written through one process's page tables is seen by that
// process alone.
//
// Host threads: the vCPU thread calls `vcpuStopped` and blocks there until gdb resumes; the stub's thread
// calls the DebugTarget methods. Registers of a KVM stop are read through a `VCPUHandle` while the
// vCPU is outside KVM_RUN; memory is guest RAM, walked with the stopped context's page tables.
import ABI
import CKVM
import GDBStub
import Glibc
import GuestMemory
import KVM

/// Where the registers of the current stop live.
enum StopContext: Equatable {
    /// The kernel's sv_debug_state page at this guest-physical address.
    case channel(UInt64)
    /// In KVM (kvm_regs / kvm_sregs).
    case kvm
}

/// What the vCPU thread does after a stop.
enum DebugCommand: Equatable {
    case resume
    case kill
}

final class GuestDebugger: DebugTarget, @unchecked Sendable {
    let memory: GuestMemory
    let vcpu: any VCPUDebugAccess
    /// Kicks the vCPU out of KVM_RUN (VCPUKicker.kick on a real one).
    let kick: @Sendable () -> Void
    /// The kernel: the vCPU's own context (the stop's registers when the CPU was in kernel mode).
    static let kernelThread = ThreadID(Int(Int32.max))
    /// Where the unstripped NAME.elf files are (first match wins).
    let symbolDirectories: [String]
    /// Whether the guest's debug registers trigger. Measured: on this host's PVM an instruction
    /// breakpoint in DR0/DR7 never fires in native mode (the kernel's `test.debugregs` experiment;
    /// the same kernel under QEMU TCG takes the #DB), so Z1–Z4 are refused there and gdb falls back
    /// to software watchpoints.
    let hardwareBreakpointsWork: Bool

    // Shared between the vCPU thread and the stub's thread, guarded by `monitor`.
    let monitor = Monitor()
    var stopped = false
    var context: StopContext = .kvm
    /// The stop not yet handed to `waitForStop`/`attach`.
    var pendingEvent: StopEvent? = nil
    var currentEvent: StopEvent? = nil
    var resumeAction: ResumeAction? = nil
    var interruptRequested = false
    var killed = false
    var exitedCode: UInt8? = nil
    /// The processes at the current channel stop (nil at a KVM stop).
    var snapshot: ProcessSnapshot? = nil
    /// A gdb session is attached (program starts are reported to it, else they resume at once).
    var sessionAttached = false
    /// The program whose symbols gdb holds (the one that started last).
    var libraryProgram: String? = nil
    /// `monitor stop-at-exec NAME…`: programs whose start stops the guest for gdb.
    var stopAtExecPrograms: [String] = []

    // Owned by the stub's thread (only touched while the vCPU is stopped).
    /// Software breakpoints by guest-virtual address.
    var softwareBreakpoints: [UInt64: SoftwareBreakpoint] = [:]
    /// Library lookups by program name (nil: no such file).
    var libraryCache: [String: LoadedLibrary?] = [:]
    /// DR0–DR3.
    var slots: [Breakpoint?] = [nil, nil, nil, nil]
    var lastResumeWasStep = false

    init(memory: GuestMemory, vcpu: any VCPUDebugAccess, kick: @escaping @Sendable () -> Void, hardwareBreakpointsWork: Bool,
         symbolDirectories: [String] = []) {
        self.hardwareBreakpointsWork = hardwareBreakpointsWork
        self.symbolDirectories = symbolDirectories
        self.memory = memory
        self.vcpu = vcpu
        self.kick = kick
    }

    // MARK: - vCPU thread

    /// The vCPU stopped (`reason` nil: derive it from the channel page). Blocks until gdb resumes,
    /// then applies the resume (step flag, debug registers) to the stopped context.
    func vcpuStopped(context: StopContext, reason: StopReason?) -> DebugCommand {
        var snapshot: ProcessSnapshot? = nil
        if case .channel(let address) = context, let state = try? channelState(address) {
            snapshot = ProcessSnapshot.read(state.raw, memory: memory)
        }
        let stopThread = snapshot.map { $0.stoppedPID > 0 ? ThreadID(Int($0.stoppedPID)) : Self.kernelThread } ?? Self.kernelThread
        let event = StopEvent(thread: stopThread, reason: reason ?? channelStopReason(context))
        return monitor.withLock {
            if killed { return .kill }
            self.context = context
            self.snapshot = snapshot
            stopped = true
            currentEvent = event
            pendingEvent = event
            resumeAction = nil
            monitor.broadcast()
            while resumeAction == nil && !killed { monitor.wait() }
            stopped = false
            if killed { return .kill }
            let action = resumeAction!
            resumeAction = nil
            apply(action, to: context)
            return .resume
        }
    }

    /// The kernel wrote to the debug channel: a stop for gdb, or a notification handled here.
    func channelMessage(at address: UInt64) -> DebugCommand {
        guard let state = try? channelState(address) else { return vcpuStopped(context: .channel(address), reason: nil) }
        switch state.reason {
        case UInt32(SV_DEBUG_REASON_SPACE_GONE):
            // Breakpoints planted in that address space vanish with it; never write into its frames again.
            let space = state.raw.user_cr3
            monitor.withLock {
                for (va, var bp) in softwareBreakpoints {
                    bp.plantings.removeAll { $0.space == space }
                    softwareBreakpoints[va] = bp
                }
            }
            return .resume
        case UInt32(SV_DEBUG_REASON_STARTED), UInt32(SV_DEBUG_REASON_EXEC):
            // A program starts: its instances get the program's breakpoints before its first
            // instruction, and gdb (if one is attached) switches to its symbols. At a stop-at-exec
            // program, gdb then sees the stop as well (with the program's symbols loaded).
            let snapshot = ProcessSnapshot.read(state.raw, memory: memory)
            let started = snapshot.processes.first(where: { $0.cr3 != 0 && $0.cr3 == state.raw.user_cr3 })
            let stopAtExec = state.reason == UInt32(SV_DEBUG_REASON_EXEC)
                || started.map { p in monitor.withLock { sessionAttached && stopAtExecPrograms.contains(p.name) } } ?? false
            guard let started else {
                return stopAtExec ? vcpuStopped(context: .channel(address), reason: nil) : .resume
            }
            let attached = monitor.withLock {
                self.snapshot = snapshot
                for (va, bp) in softwareBreakpoints where bp.program == started.name {
                    plant(at: va, in: started, paging: state.raw)
                }
                if sessionAttached { libraryProgram = started.name }
                return sessionAttached
            }
            if attached && vcpuStopped(context: .channel(address), reason: .librariesChanged) == .kill { return .kill }
            return stopAtExec ? vcpuStopped(context: .channel(address), reason: nil) : .resume
        default:
            // A stop in a process whose program gdb holds no symbols for (a fault, a stray int3):
            // a library event first, so the stop is shown with that program's symbols.
            let snapshot = ProcessSnapshot.read(state.raw, memory: memory)
            if let stopped = snapshot.process(snapshot.stoppedPID) {
                let switched = monitor.withLock {
                    guard sessionAttached, libraryProgram != stopped.name else { return false }
                    libraryProgram = stopped.name
                    return true
                }
                if switched && vcpuStopped(context: .channel(address), reason: .librariesChanged) == .kill { return .kill }
            }
            return vcpuStopped(context: .channel(address), reason: nil)
        }
    }

    /// Whether gdb asked for a stop (Ctrl-C); the run loop checks this when KVM_RUN was interrupted.
    func takeInterruptRequest() -> Bool {
        monitor.withLock {
            defer { interruptRequested = false }
            return interruptRequested
        }
    }

    var isKilled: Bool { monitor.withLock { killed } }

    /// The guest is gone: gdb gets a `W` reply. Waits (bounded) until gdb has seen it.
    func guestExited(code: UInt8) {
        monitor.withLock {
            exitedCode = code
            pendingEvent = StopEvent(thread: Self.kernelThread, reason: .exited(code: code))
            monitor.broadcast()
            var waited = 0
            while pendingEvent != nil && waited < 40 { monitor.wait(milliseconds: 50); waited += 1 }
        }
    }

    /// Writes the resume into the stopped context: the channel page's `resume` and debug registers,
    /// or KVM's guest-debug controls.
    func apply(_ action: ResumeAction, to context: StopContext) {
        let step: Bool
        if case .step = action { step = true } else { step = false }
        lastResumeWasStep = step
        switch context {
        case .channel(let address):
            _ = try? memory.store(UInt32(step ? SV_DEBUG_RESUME_STEP : SV_DEBUG_RESUME_CONTINUE),
                                  at: GuestAddress(address + UInt64(ChannelLayout.resume)))
            writeDebugRegisters(toChannel: address)
            // Single-stepping from a channel stop is the kernel's job (TF); KVM must not step too.
            try? vcpu.setGuestDebug(kvmGuestDebug(step: false))
        case .kvm:
            // The guest's own debug registers carry the hardware breakpoints (the kernel reloads
            // them from the channel page at every channel stop); KVM only single-steps.
            if var registers = try? vcpu.debugRegisters() {
                let control = debugControl
                registers.db.0 = control.addresses[0]
                registers.db.1 = control.addresses[1]
                registers.db.2 = control.addresses[2]
                registers.db.3 = control.addresses[3]
                registers.dr7 = control.dr7 | 0x400
                try? vcpu.setDebugRegisters(registers)
            }
            try? vcpu.setGuestDebug(kvmGuestDebug(step: step))
        }
    }

    // MARK: - DebugTarget (the stub's thread)

    func attach() -> StopEvent {
        monitor.withLock {
            sessionAttached = true
            if !stopped && exitedCode == nil {
                interruptRequested = true
                kick()
                while !stopped && exitedCode == nil { monitor.wait() }
            }
            pendingEvent = nil
            if let code = exitedCode { return StopEvent(thread: Self.kernelThread, reason: .exited(code: code)) }
            // Whatever stopped it, gdb connecting sees an attached, stopped target.
            return StopEvent(thread: currentEvent?.thread ?? Self.kernelThread, reason: currentEvent?.reason == .interrupted ? .attached : currentEvent?.reason ?? .attached)
        }
    }

    func threads() -> [ThreadID] {
        let processes = monitor.withLock { snapshot?.processes ?? [] }
        return processes.map { ThreadID(Int($0.pid)) } + [Self.kernelThread]
    }

    func threadDescription(_ thread: ThreadID) -> String? {
        if thread == Self.kernelThread { return "kernel, vCPU 0" }
        return process(thread)?.description
    }

    /// The process behind a thread id at this stop (nil: the kernel thread, or no such process).
    func process(_ thread: ThreadID) -> DebugProcess? {
        guard thread != Self.kernelThread, let pid = Int32(exactly: thread.value) else { return nil }
        return monitor.withLock { snapshot?.process(pid) }
    }

    /// Whether the thread's registers are the stop's own (the kernel's, or the process stopped in
    /// user mode); any other process's are the ones the kernel saved for it.
    func isLive(_ thread: ThreadID) -> Bool {
        thread == Self.kernelThread || monitor.withLock { snapshot.map { Int($0.stoppedPID) == thread.value } ?? false }
    }

    func readRegisters(thread: ThreadID) throws(DebugTargetError) -> X86_64Registers {
        guard isLive(thread) else {
            guard let p = process(thread) else { throw .noSuchThread(thread) }
            return p.registers
        }
        switch monitor.withLock({ context }) {
        case .channel(let address):
            return try channelState(address).registers
        case .kvm:
            do {
                let r = try vcpu.registers(), s = try vcpu.specialRegisters()
                var out = X86_64Registers()
                out.gpr = [r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15]
                out.rip = r.rip
                out.eflags = UInt32(truncatingIfNeeded: r.rflags)
                out.segments = [s.cs, s.ss, s.ds, s.es, s.fs, s.gs].map { UInt32($0.selector) }
                out.fsBase = s.fs.base
                out.gsBase = s.gs.base
                out.kernelGSBase = (try? vcpu.readMSR(0xc000_0102)) ?? 0
                out.cr0 = s.cr0; out.cr2 = s.cr2; out.cr3 = s.cr3; out.cr4 = s.cr4; out.cr8 = s.cr8; out.efer = s.efer
                return out
            } catch {
                throw .failed("\(error)")
            }
        }
    }

    func writeRegisters(_ registers: X86_64Registers, changed: Set<X86_64Register>, thread: ThreadID) throws(DebugTargetError) {
        guard isLive(thread) else {
            guard let p = process(thread) else { throw .noSuchThread(thread) }
            throw .rejected("pid \(p.pid) is not the stopped thread: its registers are the kernel's saved copy (read-only)")
        }
        switch monitor.withLock({ context }) {
        case .channel(let address):
            // The kernel applies general registers, rip and the arithmetic flags; the rest is not
            // gdb's to change in a stopped kernel or process.
            var state = try channelState(address)
            state.setGeneralRegisters(from: registers)
            do {
                try memory.write(at: GuestAddress(address), bytes: state.bytes)
                try memory.store(UInt32(1), at: GuestAddress(address + UInt64(ChannelLayout.registersChanged)))
            } catch {
                throw .failed("writing the debug channel page: \(error)")
            }
        case .kvm:
            do {
                var r = try vcpu.registers()
                let g = registers.gpr
                r.rax = g[0]; r.rbx = g[1]; r.rcx = g[2]; r.rdx = g[3]; r.rsi = g[4]; r.rdi = g[5]; r.rbp = g[6]; r.rsp = g[7]
                r.r8 = g[8]; r.r9 = g[9]; r.r10 = g[10]; r.r11 = g[11]; r.r12 = g[12]; r.r13 = g[13]; r.r14 = g[14]; r.r15 = g[15]
                r.rip = registers.rip
                r.rflags = r.rflags & ~0xffff_ffff | UInt64(registers.eflags)
                try vcpu.setRegisters(r)
            } catch {
                throw .rejected("\(error)")
            }
        }
    }

    func readMemory(at address: VirtualAddress, count: Int, thread: ThreadID) throws(DebugTargetError) -> [UInt8] {
        let physical = try translate(address, thread: thread)
        do { return try memory.read(at: GuestAddress(physical), count: count) } catch { throw .unmapped(address) }
    }

    func writeMemory(_ bytes: [UInt8], at address: VirtualAddress, thread: ThreadID) throws(DebugTargetError) {
        let physical = try translate(address, thread: thread)
        do { try memory.write(at: GuestAddress(physical), bytes: bytes) } catch { throw .unmapped(address) }
        // A write over a planted int3 changes what the int3 will restore (the range lies in one page).
        for (va, var bp) in softwareBreakpoints {
            for i in bp.plantings.indices where bp.plantings[i].physical >= physical && bp.plantings[i].physical - physical < UInt64(bytes.count) {
                bp.plantings[i].original = bytes[Int(bp.plantings[i].physical - physical)]
                _ = try? memory.store(UInt8(0xcc), at: GuestAddress(bp.plantings[i].physical))
            }
            softwareBreakpoints[va] = bp
        }
    }

    func insertBreakpoint(_ breakpoint: Breakpoint, thread: ThreadID) -> BreakpointResult {
        switch breakpoint.kind {
        case .software:
            return insertSoftwareBreakpoint(at: breakpoint.address, thread: thread)
        case .readWatch:
            return .unsupported   // x86 cannot watch reads only (gdb falls back to an access watchpoint)
        case .hardware, .writeWatch, .accessWatch:
            guard hardwareBreakpointsWork else { return .unsupported }
            if slots.contains(breakpoint) { return .ok }
            guard let free = slots.firstIndex(where: { $0 == nil }) else { return .failed(.noResources) }
            guard breakpoint.kind == .hardware || [1, 2, 4, 8].contains(breakpoint.length) else {
                return .failed(.rejected("watch length \(breakpoint.length)"))
            }
            slots[free] = breakpoint
            return .ok
        }
    }

    func removeBreakpoint(_ breakpoint: Breakpoint, thread: ThreadID) -> BreakpointResult {
        switch breakpoint.kind {
        case .software:
            if let bp = softwareBreakpoints.removeValue(forKey: breakpoint.address.value) {
                for p in bp.plantings { _ = try? memory.store(p.original, at: GuestAddress(p.physical)) }
            }
        default:
            if let i = slots.firstIndex(of: breakpoint) { slots[i] = nil }
        }
        return .ok
    }

    func resume(_ plan: ResumePlan) throws(DebugTargetError) {
        // One vCPU runs every process: any thread resumed resumes the machine; a step steps the vCPU.
        guard !plan.actions.isEmpty else { return }
        let action = plan.actions.values.first { if case .step = $0 { return true } else { return false } } ?? plan.actions.values.first!
        monitor.withLock {
            guard stopped else { return }
            resumeAction = action
            monitor.broadcast()
        }
    }

    func interrupt() {
        monitor.withLock {
            guard !stopped else { return }
            interruptRequested = true
            kick()
        }
    }

    func waitForStop(timeoutMilliseconds: Int) -> StopEvent? {
        monitor.withLock {
            if pendingEvent == nil { monitor.wait(milliseconds: timeoutMilliseconds) }
            defer { pendingEvent = nil }
            return pendingEvent
        }
    }

    func detach() {
        for (_, bp) in softwareBreakpoints {
            for p in bp.plantings { _ = try? memory.store(p.original, at: GuestAddress(p.physical)) }
        }
        softwareBreakpoints.removeAll()
        slots = [nil, nil, nil, nil]
        monitor.withLock {
            sessionAttached = false
            libraryProgram = nil
            if stopped {
                resumeAction = .continue(signal: nil)
                monitor.broadcast()
            }
        }
    }

    func kill() {
        monitor.withLock {
            killed = true
            monitor.broadcast()
        }
        kick()
    }

    /// The program gdb should hold symbols for (`T05library` at each program start).
    func monitor(_ text: String) -> String? {
        switch MonitorCommand.parse(text) {
        case .help:
            return MonitorCommand.helpText
        case .unknown(let text):
            return "Unknown monitor command \"\(text)\". " + "Try \"monitor help\".\n"
        case .stopAtExec(let names):
            return monitor.withLock {
                for name in names where !stopAtExecPrograms.contains(name) { stopAtExecPrograms.append(name) }
                return stopAtExecPrograms.isEmpty
                    ? "No program stops the guest when it starts.\n"
                    : "The guest stops when one of these starts: " + stopAtExecPrograms.joined(separator: " ") + "\n"
            }
        case .stopAtExecOff:
            monitor.withLock { stopAtExecPrograms = [] }
            return "No program stops the guest when it starts.\n"
        case .ps, .ipc, .mem:
            guard let snapshot = monitor.withLock({ snapshot }) else { return MonitorCommand.noTable }
            var report = MonitorReport(snapshot: snapshot)
            switch MonitorCommand.parse(text) {
            case .ps: return report.ps()
            case .ipc: return report.ipc()
            default:
                for p in snapshot.processes where p.cr3 != 0 {
                    let mappings = UserMappings.walk(root: p.cr3, userEnd: UInt64(SV_USER_END)) { gpa in
                        try? self.memory.load(UInt64.self, at: GuestAddress(gpa))
                    }
                    report.residentPages[p.pid] = mappings.reduce(0) { $0 + $1.size / MonitorReport.pageSize }
                }
                return report.mem()
            }
        }
    }

    func libraries() -> [LoadedLibrary]? {
        guard !symbolDirectories.isEmpty else { return nil }
        guard let name = monitor.withLock({ libraryProgram }) else { return [] }
        if let cached = libraryCache[name] { return cached.map { [$0] } ?? [] }
        let found = ProgramSymbols.library(named: name, in: symbolDirectories)
        libraryCache[name] = found
        return found.map { [$0] } ?? []
    }

    // MARK: - Software breakpoints

    /// A software breakpoint: where its int3 is written. `program` nil: a kernel address (one
    /// planting, seen by every address space), or a user address planted at a KVM stop, when the
    /// kernel published no processes (one planting, in the address space of that stop).
    struct SoftwareBreakpoint {
        var program: String?
        var plantings: [Planting]
    }

    struct Planting: Equatable {
        /// The address space (CR3) the int3 was written through; 0 for kernel addresses.
        var space: UInt64
        var physical: UInt64
        var original: UInt8
    }

    func insertSoftwareBreakpoint(at address: VirtualAddress, thread: ThreadID) -> BreakpointResult {
        let va = address.value
        if softwareBreakpoints[va] != nil { return .ok }
        let (context, snapshot, symbolProgram) = monitor.withLock { (self.context, self.snapshot, libraryProgram) }
        guard va < UInt64(SV_USER_END), let snapshot, case .channel(let page) = context, let state = try? channelState(page).raw else {
            do {
                let physical = try translate(address, thread: thread)
                let original = try memory.load(UInt8.self, at: GuestAddress(physical))
                try memory.store(UInt8(0xcc), at: GuestAddress(physical))
                let space = va < UInt64(SV_USER_END) ? (process(thread)?.cr3 ?? currentUserSpace) : 0
                softwareBreakpoints[va] = SoftwareBreakpoint(program: nil, plantings: [Planting(space: space, physical: physical, original: original)])
                return .ok
            } catch let error as DebugTargetError {
                return .failed(error)
            } catch {
                return .failed(.unmapped(address))
            }
        }
        // The program whose symbols gdb resolved the address with; without any, the thread's own.
        guard let owner = symbolProgram ?? process(thread)?.name ?? snapshot.process(snapshot.currentPID)?.name else {
            return .failed(.unmapped(address))
        }
        softwareBreakpoints[va] = SoftwareBreakpoint(program: owner, plantings: [])
        let instances = snapshot.processes.filter { $0.name == owner && $0.cr3 != 0 }
        for p in instances { plant(at: va, in: p, paging: state) }
        // Live instances but the address maps in none: refuse (gdb says it cannot insert it). No
        // instance yet: it is planted when the program starts.
        if !instances.isEmpty && softwareBreakpoints[va]!.plantings.isEmpty {
            softwareBreakpoints[va] = nil
            return .failed(.unmapped(address))
        }
        return .ok
    }

    /// Writes the int3 of breakpoint `va` into process `p`'s address space (once). Takes no lock:
    /// the caller holds `monitor` or runs on the stub's thread while the vCPU is stopped.
    func plant(at va: UInt64, in p: DebugProcess, paging s: sv_debug_state) {
        guard p.cr3 != 0, var bp = softwareBreakpoints[va], !bp.plantings.contains(where: { $0.space == p.cr3 }) else { return }
        let mode = PagingMode(cr0: s.cr0, cr3: p.cr3, cr4: s.cr4, efer: s.efer)
        guard let physical = PageTableWalker.translate(VirtualAddress(va), mode: mode, readEntry: { gpa in
                  try? memory.load(UInt64.self, at: GuestAddress(gpa))
              }),
              !bp.plantings.contains(where: { $0.physical == physical }),
              let original = try? memory.load(UInt8.self, at: GuestAddress(physical)),
              (try? memory.store(UInt8(0xcc), at: GuestAddress(physical))) != nil else { return }
        bp.plantings.append(Planting(space: p.cr3, physical: physical, original: original))
        softwareBreakpoints[va] = bp
    }

    // MARK: - Stops, registers, translation

    /// The address space user addresses are translated in at this stop.
    var currentUserSpace: UInt64 {
        switch monitor.withLock({ context }) {
        case .channel(let page): return (try? channelState(page))?.raw.user_cr3 ?? 0
        case .kvm: return (try? vcpu.specialRegisters())?.cr3 ?? 0
        }
    }

    /// The stop reason the kernel reported through the channel.
    func channelStopReason(_ context: StopContext) -> StopReason {
        guard case .channel(let address) = context, let state = try? channelState(address) else { return .signal(5) }
        if lastResumeWasStep && (state.reason == UInt32(SV_DEBUG_REASON_DEBUG) || state.reason == UInt32(SV_DEBUG_REASON_BREAKPOINT)) {
            return .step
        }
        switch state.reason {
        case UInt32(SV_DEBUG_REASON_BREAKPOINT):
            // Ours only if planted in the address space that hit it (kernel addresses: everywhere).
            guard let bp = softwareBreakpoints[state.raw.rip] else { return .signal(5) }
            let ours = state.raw.rip >= UInt64(SV_USER_END) || bp.plantings.contains { $0.space == state.raw.user_cr3 }
            return ours ? .softwareBreakpoint : .signal(5)
        case UInt32(SV_DEBUG_REASON_DEBUG):
            for i in 0..<4 where state.raw.dr6 & (1 << UInt64(i)) != 0 {
                guard let bp = slots[i] else { continue }
                return bp.kind == .hardware ? .hardwareBreakpoint : .watchpoint(bp.kind, address: bp.address)
            }
            return state.raw.dr6 & (1 << 14) != 0 ? .step : .signal(5)
        case UInt32(SV_DEBUG_REASON_PANIC):
            return .signal(state.raw.vector == 13 || state.raw.vector == 14 ? 11 : 6)
        case UInt32(SV_DEBUG_REASON_EXEC):
            return .signal(5)
        case UInt32(SV_DEBUG_REASON_FAULT):
            switch state.raw.vector {
            case 0, 16, 19: return .signal(8)    // SIGFPE
            case 6: return .signal(4)            // SIGILL
            default: return .signal(11)          // SIGSEGV
            }
        default:
            return .signal(5)
        }
    }

    func channelState(_ address: UInt64) throws(DebugTargetError) -> ChannelState {
        do {
            let bytes = try memory.read(at: GuestAddress(address), count: MemoryLayout<sv_debug_state>.size)
            return ChannelState(bytes: bytes)
        } catch {
            throw .failed("reading the debug channel page: \(error)")
        }
    }

    /// Guest-virtual → guest-physical. The kernel's direct map is the same in every address space it
    /// builds, so it is translated arithmetically (gdb can read kernel data while a process is
    /// stopped, whose page tables do not map the kernel); user addresses go through the current
    /// process's page tables, everything else through the stopped context's CR3.
    /// A process thread's user addresses go through that process's page tables, its kernel
    /// addresses through the kernel's.
    func translate(_ address: VirtualAddress, thread: ThreadID = GuestDebugger.kernelThread) throws(DebugTargetError) -> UInt64 {
        let va = address.value
        let directMap = UInt64(SV_DIRECT_MAP_BASE)
        if va >= directMap && memory.contains(GuestAddress(va - directMap), length: 1) { return va - directMap }
        let mode: PagingMode
        switch monitor.withLock({ context }) {
        case .channel(let page):
            let s = try channelState(page).raw
            let kernelCR3 = ProcessSnapshot.isPageTableRoot(s.kernel_cr3, memory: memory) ? s.kernel_cr3 : s.cr3
            let cr3: UInt64
            if va >= UInt64(SV_USER_END) {
                cr3 = s.user_mode != 0 ? kernelCR3 : s.cr3
            } else if let p = process(thread) {
                guard p.cr3 != 0 else { throw .unmapped(address) }
                cr3 = p.cr3
            } else {
                cr3 = s.user_cr3 != 0 ? s.user_cr3 : s.cr3
            }
            mode = PagingMode(cr0: s.cr0, cr3: cr3, cr4: s.cr4, efer: s.efer)
        case .kvm:
            guard let s = try? vcpu.specialRegisters() else { throw .failed("KVM_GET_SREGS") }
            mode = PagingMode(cr0: s.cr0, cr3: s.cr3, cr4: s.cr4, efer: s.efer)
        }
        guard let physical = PageTableWalker.translate(address, mode: mode, readEntry: { gpa in
            try? memory.load(UInt64.self, at: GuestAddress(gpa))
        }) else { throw .unmapped(address) }
        return physical
    }

    /// DR7 for the planted hardware breakpoints and watchpoints (SDM Vol. 3 §17.2.4): local enable,
    /// R/W (00 execute, 01 write, 11 read or write) and LEN (00 1, 01 2, 11 4, 10 8 bytes).
    var debugControl: (addresses: [UInt64], dr7: UInt64) {
        var dr7: UInt64 = 0
        var addresses: [UInt64] = [0, 0, 0, 0]
        for (i, slot) in slots.enumerated() {
            guard let bp = slot else { continue }
            addresses[i] = bp.address.value
            let rw: UInt64 = bp.kind == .hardware ? 0 : bp.kind == .writeWatch ? 1 : 3
            let len: UInt64 = bp.kind == .hardware ? 0 : [1: 0, 2: 1, 4: 3, 8: 2][bp.length] ?? 0
            dr7 |= 1 << UInt64(2 * i) | rw << UInt64(16 + 4 * i) | len << UInt64(18 + 4 * i)
        }
        return (addresses, dr7)
    }

    func writeDebugRegisters(toChannel address: UInt64) {
        let control = debugControl
        for i in 0..<4 {
            _ = try? memory.store(control.addresses[i], at: GuestAddress(address + UInt64(ChannelLayout.debugRegisters + 8 * i)))
        }
        _ = try? memory.store(control.dr7, at: GuestAddress(address + UInt64(ChannelLayout.dr7)))
    }

    /// KVM_SET_GUEST_DEBUG (KVM api.rst) only for single-stepping a stop KVM reported (Ctrl-C,
    /// `--gdb-wait`): breakpoints are int3s and debug registers the guest kernel reports through the
    /// channel, on PVM (where KVM never sees them, HOST.md rule 8) and on hardware KVM alike. A KVM
    /// single step ends in KVM_EXIT_DEBUG (hardware KVM, or PVM while the kernel is still emulated)
    /// or in the guest's #DB handler, which reports it through the channel (PVM native mode).
    func kvmGuestDebug(step: Bool) -> kvm_guest_debug {
        var debug = kvm_guest_debug()
        if step { debug.control = UInt32(KVM_GUESTDBG_ENABLE) | UInt32(KVM_GUESTDBG_SINGLESTEP) }
        return debug
    }
}

/// Byte offsets in struct sv_debug_state (checked against the C layout in the unit tests).
enum ChannelLayout {
    static let resume = MemoryLayout<sv_debug_state>.offset(of: \sv_debug_state.resume)!
    static let registersChanged = MemoryLayout<sv_debug_state>.offset(of: \sv_debug_state.registers_changed)!
    static let debugRegisters = MemoryLayout<sv_debug_state>.offset(of: \sv_debug_state.dr)!
    static let dr7 = MemoryLayout<sv_debug_state>.offset(of: \sv_debug_state.dr7)!
}

/// The channel page, decoded.
struct ChannelState {
    var raw: sv_debug_state

    init(bytes: [UInt8]) {
        raw = bytes.withUnsafeBytes { $0.loadUnaligned(as: sv_debug_state.self) }
    }

    var reason: UInt32 { raw.reason }

    var bytes: [UInt8] {
        withUnsafeBytes(of: raw) { Array($0) }
    }

    var registers: X86_64Registers {
        var r = X86_64Registers()
        let s = raw
        r.gpr = [s.rax, s.rbx, s.rcx, s.rdx, s.rsi, s.rdi, s.rbp, s.rsp, s.r8, s.r9, s.r10, s.r11, s.r12, s.r13, s.r14, s.r15]
        r.rip = s.rip
        r.eflags = UInt32(truncatingIfNeeded: s.rflags)
        // ds/es hold the stack selector in this kernel; fs/gs are unused (0).
        r.segments = [UInt32(s.cs), UInt32(s.ss), UInt32(s.ss), UInt32(s.ss), 0, 0]
        r.cr0 = s.cr0; r.cr2 = s.cr2; r.cr3 = s.cr3; r.cr4 = s.cr4; r.efer = s.efer
        return r
    }

    mutating func setGeneralRegisters(from r: X86_64Registers) {
        let g = r.gpr
        raw.rax = g[0]; raw.rbx = g[1]; raw.rcx = g[2]; raw.rdx = g[3]; raw.rsi = g[4]; raw.rdi = g[5]; raw.rbp = g[6]; raw.rsp = g[7]
        raw.r8 = g[8]; raw.r9 = g[9]; raw.r10 = g[10]; raw.r11 = g[11]; raw.r12 = g[12]; raw.r13 = g[13]; raw.r14 = g[14]; raw.r15 = g[15]
        raw.rip = r.rip
        raw.rflags = raw.rflags & ~0xffff_ffff | UInt64(r.eflags)
    }
}
