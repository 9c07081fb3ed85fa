// Debugger.swift — the kernel's half of the debug channel (ABI/include/sv_debug.h). On PVM the VMM
// never sees #DB or #BP (HOST.md rule 8), so with a debugger attached the kernel hands each stop to
// the VMM's gdb stub through one OUT, and applies what gdb changed when the OUT completes.
import ABI
import Arch
import Platform
import KernelCore

enum Debugger {
    /// SV_BOOT_FLAG_DEBUGGER: a gdb stub is attached.
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var enabled = false
    /// Report user faults through the channel: with a debugger, or for the VMM's core files
    /// (SV_BOOT_FLAG_CORE_DUMPS) without one.
    nonisolated(unsafe) static var reportsFaults = false

    static var state: UnsafeMutablePointer<sv_debug_state> {
        // SAFETY: entry.S reserves this page for one sv_debug_state; the VMM reads and writes it
        // only while the vCPU is stopped in the OUT below.
        UnsafeMutablePointer<sv_debug_state>(bitPattern: UInt(sv_address_of_debug_state_page()))!
    }

    /// `debug.stop-at-exec=NAME`: stop in the debugger when program NAME is about to start, so gdb
    /// can plant breakpoints in its (private) text.
    nonisolated(unsafe) static var stopAtExec: [UInt8]? = nil

    static let trapFlag: UInt64 = 1 << 8
    static let resumeFlag: UInt64 = 1 << 16

    /// Reports `frame` as stopped and waits for gdb; returns SV_DEBUG_RESUME_*. Registers gdb changed
    /// are written back into `frame`; a step sets TF, anything else clears it.
    static func stop(_ frame: inout sv_trap_frame, reason: UInt32, userCR3: UInt64) -> UInt32 {
        let s = state
        let f = frame
        s.pointee = sv_debug_state()
        s.pointee.magic = SV_DEBUG_MAGIC
        s.pointee.reason = reason
        s.pointee.vector = UInt32(truncatingIfNeeded: f.vector)
        s.pointee.user_mode = f.cs & 3 == 3 ? 1 : 0
        s.pointee.error_code = f.error
        if f.vector == Vector.debug { s.pointee.dr6 = sv_read_dr6() }
        s.pointee.rax = f.rax; s.pointee.rbx = f.rbx; s.pointee.rcx = f.rcx; s.pointee.rdx = f.rdx
        s.pointee.rsi = f.rsi; s.pointee.rdi = f.rdi; s.pointee.rbp = f.rbp; s.pointee.rsp = f.rsp
        s.pointee.r8 = f.r8; s.pointee.r9 = f.r9; s.pointee.r10 = f.r10; s.pointee.r11 = f.r11
        s.pointee.r12 = f.r12; s.pointee.r13 = f.r13; s.pointee.r14 = f.r14; s.pointee.r15 = f.r15
        s.pointee.rip = f.rip
        s.pointee.rflags = f.rflags & ~trapFlag
        s.pointee.cs = f.cs
        s.pointee.ss = f.ss
        s.pointee.cr0 = sv_read_cr0()
        s.pointee.cr2 = sv_read_cr2()
        // The address space the stopped code ran in: the process's for user code, the kernel's
        // (or the current process's kernel half) for kernel code.
        s.pointee.cr3 = f.cs & 3 == 3 ? userCR3 : Platform.loadedCR3
        s.pointee.cr4 = sv_read_cr4()
        s.pointee.efer = sv_rdmsr(0xc000_0080)
        s.pointee.user_cr3 = userCR3
        s.pointee.kernel_cr3 = Memory.kernelSpace?.root.value ?? 0
        s.pointee.total_frames = Memory.frames.map { UInt64($0.frameCount) } ?? 0
        s.pointee.free_frames = Memory.frames.map { UInt64($0.freeCount) } ?? 0
        ProcessTable.publish(into: s, mayAllocate: reason != UInt32(SV_DEBUG_REASON_PANIC))
        Console.flush()

        sv_outl(UInt16(SV_PORT_DEBUG), UInt32(truncatingIfNeeded: Memory.physical(UInt64(UInt(bitPattern: s))).value))

        if s.pointee.registers_changed != 0 {
            frame.rax = s.pointee.rax; frame.rbx = s.pointee.rbx; frame.rcx = s.pointee.rcx; frame.rdx = s.pointee.rdx
            frame.rsi = s.pointee.rsi; frame.rdi = s.pointee.rdi; frame.rbp = s.pointee.rbp; frame.rsp = s.pointee.rsp
            frame.r8 = s.pointee.r8; frame.r9 = s.pointee.r9; frame.r10 = s.pointee.r10; frame.r11 = s.pointee.r11
            frame.r12 = s.pointee.r12; frame.r13 = s.pointee.r13; frame.r14 = s.pointee.r14; frame.r15 = s.pointee.r15
            frame.rip = s.pointee.rip
            // Only the arithmetic and direction flags are gdb's to change; IF, IOPL and the rest stay.
            frame.rflags = frame.rflags & ~0x0cd5 | s.pointee.rflags & 0x0cd5
        }
        frame.rflags &= ~trapFlag
        let resume = s.pointee.resume
        if resume == UInt32(SV_DEBUG_RESUME_STEP) { frame.rflags |= trapFlag }
        // RF: do not re-trigger an instruction breakpoint on the instruction we return to.
        if f.vector == Vector.debug { frame.rflags |= resumeFlag; sv_write_dr6(0) }
        loadDebugRegisters()
        return resume
    }

    /// DR0–DR3 and DR7 as gdb planted them (hardware breakpoints and watchpoints).
    static func loadDebugRegisters() {
        let s = state.pointee
        sv_write_dr7(0)
        sv_write_dr0(s.dr.0); sv_write_dr1(s.dr.1); sv_write_dr2(s.dr.2); sv_write_dr3(s.dr.3)
        sv_write_dr7(s.dr7)
    }

    static func reason(for vector: UInt64) -> UInt32 {
        vector == Vector.breakpoint ? UInt32(SV_DEBUG_REASON_BREAKPOINT) : UInt32(SV_DEBUG_REASON_DEBUG)
    }

    /// A new process (spawn) or program (exec) is about to run: stop if gdb asked to see this
    /// program start; otherwise tell the VMM, so gdb learns the new program (an exec event: it loads
    /// the program's symbols and plants its pending breakpoints before the first instruction).
    static func processStarting(_ t: UserThread) {
        guard enabled else { return }
        let reason = stopAtExec.map { $0 == t.process.name } ?? false ? SV_DEBUG_REASON_EXEC : SV_DEBUG_REASON_STARTED
        if stop(&t.context, reason: UInt32(reason), userCR3: t.process.space.root.value) == UInt32(SV_DEBUG_RESUME_KILL) {
            Power.off(status: 0)
        }
    }

    /// The address space with root `cr3` is about to be freed: breakpoints planted in it must not
    /// be "restored" into frames that will belong to someone else.
    static func addressSpaceGone(_ cr3: UInt64) {
        guard enabled else { return }
        var frame = sv_trap_frame()
        frame.cs = UInt64(SV_SEL_KERNEL_CS)
        _ = stop(&frame, reason: UInt32(SV_DEBUG_REASON_SPACE_GONE), userCR3: cr3)
    }

    /// #BP or #DB in user mode.
    static func userTrap(_ t: UserThread) {
        if t.context.vector == Vector.breakpoint { t.context.rip &-= 1 }   // report the int3's own address
        if stop(&t.context, reason: reason(for: t.context.vector), userCR3: t.process.space.root.value) == UInt32(SV_DEBUG_RESUME_KILL) {
            Power.off(status: 0)
        }
    }
}

/// #BP or #DB in kernel code with a debugger attached (entry.S kernel_debug_entry): report it and
/// return to the stopped code, which gdb may have changed.
@_cdecl("kernel_debug_trap")
// SAFETY: `frame` is the IST3 frame entry.S built for this #DB/#BP and passes to this function.
func kernelDebugTrap(_ frame: UnsafeMutablePointer<sv_trap_frame>) {
    var f = frame.pointee
    if f.vector == Vector.breakpoint { f.rip &-= 1 }
    let resume = Debugger.stop(&f, reason: Debugger.reason(for: f.vector), userCR3: CPULocal.current?.process.space.root.value ?? 0)
    if resume == UInt32(SV_DEBUG_RESUME_KILL) { Power.off(status: 0) }
    // The return stays in the kernel: selectors are not gdb's to change.
    f.cs = frame.pointee.cs
    f.ss = frame.pointee.ss
    frame.pointee = f
}
