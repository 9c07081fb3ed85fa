// Traps.swift — kernel_trap, the one function every kernel entry calls (Arch/entry.S), and the
// idle loop. User faults end the process with a message; a fault in kernel code is a panic.
import ABI
import Arch
import Platform
import KernelCore

enum Kernel {
    /// Set while the idle loop waits with interrupts enabled; a kernel-mode interrupt is legal then.
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var idling = false
    /// The scheduler tick (a global, not a constant, so a debugger can change it before the timer starts).
    nonisolated(unsafe) static var timerPeriodMilliseconds: UInt64 = 10
}

@_cdecl("kernel_trap")
// SAFETY: entry.S passes `entryFrame`, filled with the state it saved.
func kernelTrap(_ frame: UnsafeMutablePointer<sv_trap_frame>) -> UInt64 {
    let f = frame.pointee
    if f.cs & 3 == 0 {
        // Kernel mode. Legal only while idling, or inside entry.S's exit window on PVM, where an
        // interrupt pending when the VIF byte was set arrives (entry.S, exit_common); the current
        // process's context is intact in its Process, so the exit simply starts over.
        let inWindow = f.rip >= sv_address_of_exit_window_start() && f.rip < sv_address_of_exit_window_end()
        guard (Kernel.idling || inWindow) && f.vector >= 32 else {
            panicFromTrap(f)
        }
        Kernel.idling = false
        kernel.counters.interrupts &+= 1
        handleInterrupt(f.vector, fromUser: false)
    } else if let t = CPULocal.current {
        t.context = f
        t.needsFullRestore = f.vector != UInt64(SV_VECTOR_SYSCALL)
        count(entry: f.vector)
        switch f.vector {
        case UInt64(SV_VECTOR_SYSCALL): Syscalls.dispatch(t)
        case Vector.debug where Debugger.enabled, Vector.breakpoint where Debugger.enabled: Debugger.userTrap(t)
        case Vector.pageFault where MemoryCalls.growStack(t, faultAddress: sv_read_cr2(), error: f.error): break
        case 0..<32: userException(t, f)
        default: handleInterrupt(f.vector, fromUser: true)
        }
    } else {
        panic("entry from user mode with no current process")
    }
    return Dispatch.exit(through: entryFrame)
}

/// Counts an entry from user mode by its kind (KernelCore Counters.swift).
func count(entry vector: UInt64) {
    switch vector {
    case UInt64(SV_VECTOR_SYSCALL): kernel.counters.syscalls &+= 1
    case Vector.pageFault:
        kernel.counters.exceptions &+= 1
        kernel.counters.pageFaults &+= 1
    case 0..<32: kernel.counters.exceptions &+= 1
    default: kernel.counters.interrupts &+= 1
    }
}

/// The frame entry.S leaves through (the top of the IST1 stack).
var entryFrame: UnsafeMutablePointer<sv_trap_frame> {
    // SAFETY: entry.S reserves one sv_trap_frame at the top of the IST1 stack; the kernel runs
    // with interrupts off, so only the current entry uses it.
    UnsafeMutablePointer<sv_trap_frame>(bitPattern: UInt(sv_address_of_entry_frame()))!
}

/// Timer and device interrupts.
func handleInterrupt(_ vector: UInt64, fromUser: Bool) {
    switch vector {
    case Vector.timer:
        kernel.counters.timerTicks &+= 1
        LAPIC.endOfInterrupt()
        if fromUser { kernel.scheduler.requestPreemption(cpu: CPULocal.index) }
        kernel.wakeSleepers(now: Clock.nanoseconds())
    case Vector.spurious:
        break   // no EOI for spurious interrupts (SDM Vol. 3 §11.9)
    case _ where vector == ConsoleInput.vector && ConsoleInput.enabled:
        ConsoleInput.interrupt()
    case _ where Devices.isDeviceVector(vector):
        Devices.interrupt(vector: vector)
    default:
        LAPIC.endOfInterrupt()
    }
}

/// The killed program's callers, for the host's crash report (swiftvm symbolizes them with the
/// program's ELF): user code keeps frame pointers (toolset.json, Swift's default), so [rbp] is the
/// caller's rbp and [rbp + 8] a return address. Every load goes through the process's own memory
/// checks — the chain is the program's, so hostile — and the walk ends at a bad link, a chain that
/// does not climb the stack, or 16 frames.
func logUserBacktrace(_ t: UserThread, rbp start: UInt64) {
    let user = t.userMemory
    var rbp = start
    for _ in 0..<16 {
        guard rbp != 0, rbp & 7 == 0, rbp < UInt64(SV_USER_END) - 16,
              let next = try? user.load(UInt64.self, from: rbp, initial: 0),
              let returnAddress = try? user.load(UInt64.self, from: rbp + 8, initial: 0),
              returnAddress != 0 else { return }
        log("  user backtrace: \(hex(returnAddress))")
        guard next > rbp else { return }
        rbp = next
    }
}

func userException(_ t: UserThread, _ f: sv_trap_frame) {
    let p = t.process
    let signal = Vector.signal(f.vector)
    // A handler for the fault's signal, not blocked: it runs (Dispatch delivers it on the way out).
    // Blocked, ignored or default — and a fault inside the handler, which blocks its own signal —
    // end the process as before (Linux's force_sig does the same for blocked or ignored faults).
    if case .handler = p.signals.decide(signal), p.signals.blocked & Sig.bit(signal) == 0 {
        let address = f.vector == Vector.pageFault ? sv_read_cr2() : f.rip
        let code: Int32
        switch signal {
        case Sig.SEGV: code = f.vector == Vector.pageFault && f.error & 1 != 0 ? SigCode.segvAccErr : SigCode.segvMapErr
        case Sig.ILL: code = SigCode.illIllOpn
        case Sig.FPE: code = f.vector == 0 ? SigCode.fpeIntDiv : SigCode.fpeFltInv
        case Sig.BUS: code = SigCode.busAdrAln
        default: code = SigCode.kernel
        }
        kernel.sendSignal(to: p, SignalInfo(signal: signal, code: code, address: address))
        return
    }
    var detail = ""
    if f.vector == Vector.pageFault {
        let address = sv_read_cr2()
        let access = f.error & 2 != 0 ? "write" : (f.error & 16 != 0 ? "execute" : "read")
        let why = f.error & 1 != 0 ? "protection violation" : "not mapped"
        detail = " at \(hex(address)) (\(access), \(why))"
    }
    log("pid \(p.pid) (\(p.displayName)): \(Vector.name(f.vector))\(detail), rip \(hex(f.rip)), error \(hex(f.error)) — killed (signal \(signal))")
    logUserBacktrace(t, rbp: f.rbp)
    if Debugger.reportsFaults {
        // Let gdb see the fault (as a signal) before the process goes, and the VMM write its core.
        var context = t.context
        if Debugger.stop(&context, reason: UInt32(SV_DEBUG_REASON_FAULT), userCR3: p.space.root.value) == UInt32(SV_DEBUG_RESUME_KILL) {
            Power.off(status: 0)
        }
    }
    Syscalls.terminate(p, status: 128 + signal, signal: signal)
}

/// Nothing is runnable: wait for interrupts. Entered from entry.S on a fresh kernel stack; an
/// interrupt re-enters the kernel through kernel_trap, which never returns here.
@_cdecl("kernel_idle")
func kernelIdle() -> Never {
    Console.flush()
    Kernel.idling = true
    while true { Platform.enableInterruptsAndHalt() }
}
