// Dispatch.swift — leaving the kernel: KernelCore's scheduler picks the thread; this file applies
// what its blocked call was completed with, switches the FPU state, and turns its saved context
// into the frame entry.S leaves through.
import ABI
import Arch
import Platform
import KernelCore

/// This CPU's machine state (one CPU for now: index 0). The trap frame is the entry area's
/// (`entryFrame`); the FPU registers belong to `fpuOwner`.
enum CPULocal {
    static let index = 0
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var fpuOwner: UserThread? = nil

    /// The thread this CPU runs; nil before the kernel state exists (a debugger stop early in boot).
    static var current: UserThread? {
        guard let state = kernel else { return nil }
        return state.scheduler.current(cpu: index)?.user
    }
}

enum Dispatch {
    /// Chooses what runs next and prepares `frame` for entry.S: returns the user CR3, or 0 to idle.
    /// SAFETY: `frame` is `entryFrame` (entry.S's exit frame for this CPU).
    static func exit(through frame: UnsafeMutablePointer<sv_trap_frame>) -> UInt64 {
        Syscalls.finishSignalExits()
        // Calls a signal interrupted in their server (KernelCore abandonCall): the caller's pages
        // leave the server before the caller runs and may reuse them.
        IPCCalls.revoke(kernel.takeAbandonedGrants())
        while let next = kernel.scheduler.pickNext(cpu: CPULocal.index)?.user {
            if next.interruptedBySignal {
                // A signal ended its wait: what the call kept is dropped, not retried; a pipe
                // transfer that moved bytes returns their count (XSH read/write).
                next.interruptedBySignal = false
                if let io = next.pendingIO, io.done > 0 { next.completion = Completion(result: io.done) }
                next.pendingIO = nil
                next.pendingPoll = nil
            }
            // A pipe read or write woken to try again; if it must wait again, run someone else.
            if next.pendingIO != nil && !PipeIO.resume(next) { continue }
            if next.pendingPoll != nil && !PollCalls.resume(next) { continue }
            applyCompletion(next)
            // A signal may end or stop it (SIGPIPE from the retried write, a pending default action).
            guard next.state != .dead, SignalFrames.deliver(next) else {
                Syscalls.finishSignalExits()
                continue
            }
            if prepareFrame(frame, for: next) {
                countSwitch(to: next)
                if next !== CPULocal.fpuOwner {
                    if let old = CPULocal.fpuOwner { sv_fxsave(old.fpuState) }
                    sv_fxrstor(next.fpuState)
                    CPULocal.fpuOwner = next
                }
                ThreadAreaCalls.load(next)
                if let kernelHalf = next.process.kernelHalf {
                    // The hypervisor flips to the user half (+4 KiB) on SYSRETQ; the kernel only
                    // switches halves when the process changes.
                    if Platform.loadedCR3 != kernelHalf.value {
                        sv_write_cr3(kernelHalf.value)
                        Platform.loadedCR3 = kernelHalf.value
                        EntryConstants.pointer.pointee.kernel_cr3 = kernelHalf.value
                    }
                    return UInt64(SV_CR3_ALREADY_LOADED)
                }
                return next.process.space.root.value
            }
            // The saved state cannot be returned to (see prepareFrame): the process is killed.
            Syscalls.terminate(next.process, status: 128 + 11, signal: 11)
        }
        return 0
    }

    // SAFETY (globals): changed only by kernel code, which runs on one CPU with interrupts off.
    /// The thread and process the CPU last returned to (ids, so nothing dead is kept alive).
    nonisolated(unsafe) static var lastThread: Int32 = 0
    nonisolated(unsafe) static var lastProcess: Int32 = 0

    /// Counts a return to user mode in another thread or another address space.
    static func countSwitch(to next: UserThread) {
        guard next.id != lastThread else { return }
        lastThread = next.id
        kernel.counters.threadSwitches &+= 1
        if next.process.pid != lastProcess {
            lastProcess = next.process.pid
            kernel.counters.spaceSwitches &+= 1
        }
    }

    /// A blocked call that something else completed (KernelCore.Completion): its result goes to
    /// rax, its bytes into the thread's own memory — here, in its address space, never earlier.
    static func applyCompletion(_ t: UserThread) {
        guard let c = t.completion else { return }
        t.completion = nil
        var result = c.result
        if !c.bytes.isEmpty {
            let stored = (try? t.userMemory.store(c.bytes, at: c.address)) != nil
            if !stored && c.faultIsError { result = Syscalls.errno(SV_EFAULT) }
        }
        t.context.rax = result
    }

    /// rflags a user process may hold: the arithmetic flags, TF, DF, AC; IF and bit 1 always set.
    /// IOPL, NT, RF, VM and ID are the kernel's (SDM Vol. 1 §3.4.3).
    static func sanitizedFlags(_ rflags: UInt64) -> UInt64 { rflags & 0x4_0dd5 | 0x202 }

    /// Writes `t`'s context into the entry frame and picks the exit. Every value comes from the
    /// process and is checked: rip must be a canonical user address (SYSRETQ to a non-canonical
    /// rip faults in kernel mode on Intel), flags are sanitized, selectors are fixed.
    /// Returns false if the context cannot be entered (then the process must be killed).
    static func prepareFrame(_ frame: UnsafeMutablePointer<sv_trap_frame>, for t: UserThread) -> Bool {
        var f = t.context
        let p = t.process
        guard f.rip < UInt64(SV_USER_END), f.rsp < UInt64(SV_USER_END) else {
            log("pid \(p.pid) (\(p.displayName)): bad return address \(hex(f.rip)) — killed")
            return false
        }
        f.cs = UInt64(SV_SEL_USER_CS)
        f.ss = UInt64(SV_SEL_USER_SS)
        f.rflags = sanitizedFlags(f.rflags)
        f.vector = UInt64(SV_EXIT_SYSRET)
        if t.needsFullRestore {
            if Platform.isPVM {
                // HOST.md rule 4: park rcx, r11 and an IRETQ frame below the red zone and SYSRETQ
                // to the user stub (`pop rcx; pop r11; iretq`, entry.S).
                let parked = (f.rsp &- 128 &- 56) & ~15
                let words: [UInt64] = [f.rcx, f.r11, f.rip, UInt64(SV_SEL_USER_CS), f.rflags, f.rsp, UInt64(SV_SEL_USER_SS)]
                var stored = true
                for (i, word) in words.enumerated() where stored {
                    stored = (try? t.userMemory.storeUInt64(word, at: parked + UInt64(i * 8))) != nil
                }
                guard stored else {
                    log("pid \(p.pid) (\(p.displayName)): stack \(hex(f.rsp)) not writable on interrupt return — killed")
                    return false
                }
                f.rip = UInt64(SV_USER_STUB_VA)
                f.rsp = parked
                f.rflags = 0x202
            } else {
                f.vector = UInt64(SV_EXIT_IRET)
            }
        }
        frame.pointee = f
        return true
    }
}
