// Scheduler.swift — the process table and round-robin scheduling, and the exit path that turns
// the chosen process's saved context into the frame entry.S leaves through.
import ABI
import Arch
import KernelCore

enum Scheduler {
    nonisolated(unsafe) static var processes: [Process] = []
    nonisolated(unsafe) static var current: Process? = nil
    /// The process whose registers the FPU holds (see FPU).
    nonisolated(unsafe) static var fpuOwner: Process? = nil
    nonisolated(unsafe) static var nextPID: Int32 = 1
    /// Set by the timer: the current process used up its time slice.
    nonisolated(unsafe) static var preemptRequested = false

    /// Live and zombie processes together; spawn fails with EAGAIN beyond this.
    static let maximumProcesses = 256

    static func add(_ p: Process) { processes.append(p) }

    static func allocatePID() -> Int32 {
        defer { nextPID += 1 }
        return nextPID
    }

    /// Makes runnable every process whose sleep() deadline has passed (called on each timer tick).
    static func wakeSleepers(now: UInt64) {
        for p in processes {
            if case .sleeping(let until) = p.state, until <= now { p.state = .runnable }
        }
    }

    static func process(_ pid: Int32) -> Process? {
        processes.first { $0.pid == pid }
    }

    /// The next process to run: the current one unless it blocked, exited or was preempted, then
    /// the next runnable one in table order after it.
    static func pickNext() -> Process? {
        if let c = current, c.state == .runnable, !preemptRequested { return c }
        preemptRequested = false
        let start = current.flatMap { c in processes.firstIndex { $0 === c } } ?? -1
        let n = processes.count
        for step in 1...max(n, 1) where n > 0 {
            let p = processes[(start + step) % n]
            if p.state == .runnable { return p }
        }
        return nil
    }

    /// Chooses what runs next and prepares `frame` for entry.S: returns the user CR3, or 0 to idle.
    static func exit(through frame: UnsafeMutablePointer<sv_trap_frame>) -> UInt64 {
        while let next = pickNext() {
            if prepareFrame(frame, for: next) {
                if next !== fpuOwner {
                    if let old = fpuOwner { sv_fxsave(old.fpuState) }
                    sv_fxrstor(next.fpuState)
                    fpuOwner = next
                }
                current = next
                if let kernelHalf = next.kernelHalf {
                    // The hypervisor flips to the user half (+4 KiB) on SYSRETQ; the kernel only
                    // switches halves when the process changes.
                    if Platform.loadedCR3 != kernelHalf.value {
                        sv_write_cr3(kernelHalf.value)
                        Platform.loadedCR3 = kernelHalf.value
                        EntryConstants.pointer.pointee.kernel_cr3 = kernelHalf.value
                    }
                    return UInt64(SV_CR3_ALREADY_LOADED)
                }
                return next.space.root.value
            }
            // The saved state cannot be returned to (see prepareFrame): the process is killed.
            current = next
            Syscalls.terminate(next, status: 128 + 11)
        }
        current = nil
        return 0
    }

    /// rflags a user process may hold: the arithmetic flags, TF, DF, AC; IF and bit 1 always set.
    /// IOPL, NT, RF, VM and ID are the kernel's (SDM Vol. 1 §3.4.3).
    static func sanitizedFlags(_ rflags: UInt64) -> UInt64 { rflags & 0x4_0dd5 | 0x202 }

    /// Writes `p`'s context into the entry frame and picks the exit. Every value comes from the
    /// process and is checked: rip must be a canonical user address (SYSRETQ to a non-canonical
    /// rip faults in kernel mode on Intel), flags are sanitized, selectors are fixed.
    /// Returns false if the context cannot be entered (then the process must be killed).
    static func prepareFrame(_ frame: UnsafeMutablePointer<sv_trap_frame>, for p: Process) -> Bool {
        var f = p.context
        guard f.rip < UInt64(SV_USER_END), f.rsp < UInt64(SV_USER_END) else {
            log("pid \(p.pid) (\(p.displayName)): bad return address \(hex(f.rip)) — killed")
            return false
        }
        f.cs = UInt64(SV_SEL_USER_CS)
        f.ss = UInt64(SV_SEL_USER_SS)
        f.rflags = sanitizedFlags(f.rflags)
        f.vector = UInt64(SV_EXIT_SYSRET)
        if p.needsFullRestore {
            if Platform.isPVM {
                // HOST.md rule 4: park rcx, r11 and an IRETQ frame below the red zone and SYSRETQ
                // to the user stub (`pop rcx; pop r11; iretq`, entry.S).
                let parked = (f.rsp &- 128 &- 56) & ~15
                let words: [UInt64] = [f.rcx, f.r11, f.rip, UInt64(SV_SEL_USER_CS), f.rflags, f.rsp, UInt64(SV_SEL_USER_SS)]
                let stored = words.withUnsafeBytes { b in
                    (try? p.userMemory.copyOut(to: parked, from: b.baseAddress!, length: b.count)) != nil
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
