// SignalCalls.swift — the signal and process-group system calls (sv_syscall.h 15, 53–62): each
// checks the caller's pointers in its address space and lets KernelCore decide (Signals.swift,
// SignalDelivery.swift there). Handlers run on the way out of the kernel (SignalFrames.deliver).
import ABI
import Arch
import Platform
import KernelCore

enum SignalCalls {
    static func signalNumber(_ v: UInt64) -> Int32 { v <= 64 ? Int32(v) : -1 }

    /// kill(pid, sig).
    static func kill(_ t: UserThread, pid: UInt64, signal: UInt64) -> UInt64 {
        let s = signalNumber(signal)
        guard s >= 0 else { return Syscalls.errno(SV_EINVAL) }
        return Syscalls.result(kernel.kill(from: t.process, pid: Int32(truncatingIfNeeded: pid), signal: s).map { 0 })
    }

    /// sigaction(sig, new, old): `old` receives the previous action (when not 0).
    static func sigaction(_ t: UserThread, signal: UInt64, new: UInt64, old: UInt64) -> UInt64 {
        let s = signalNumber(signal)
        guard Sig.isValid(s) else { return Syscalls.errno(SV_EINVAL) }
        var action: SignalAction? = nil
        if new != 0 {
            guard let a = try? t.userMemory.load(sv_sigaction.self, from: new, initial: sv_sigaction()) else { return Syscalls.errno(SV_EFAULT) }
            action = SignalAction(handler: a.handler, flags: a.flags, restorer: a.restorer, mask: a.mask)
        }
        if old != 0 {
            do { try t.userMemory.checkRange(old, 32) } catch { return Syscalls.errno(SV_EFAULT) }
        }
        switch t.process.signals.setAction(s, action) {
        case .failure(let e): return e.result
        case .success(let previous):
            guard old != 0 else { return 0 }
            let o = sv_sigaction(handler: previous.handler, flags: previous.flags, restorer: previous.restorer, mask: previous.mask)
            return (try? t.userMemory.store(value: o, at: old)) != nil ? 0 : Syscalls.errno(SV_EFAULT)
        }
    }

    /// sigprocmask(how, set, old).
    static func sigprocmask(_ t: UserThread, how: UInt64, set: UInt64, old: UInt64) -> UInt64 {
        var mask: UInt64? = nil
        if set != 0 {
            guard let m = try? t.userMemory.load(UInt64.self, from: set, initial: 0) else { return Syscalls.errno(SV_EFAULT) }
            mask = m
        }
        if old != 0 {
            do { try t.userMemory.checkRange(old, 8) } catch { return Syscalls.errno(SV_EFAULT) }
        }
        guard how <= 2 else { return Syscalls.errno(SV_EINVAL) }
        switch t.process.signals.changeMask(how: Int32(how), mask) {
        case .failure(let e): return e.result
        case .success(let previous):
            guard old != 0 else { return 0 }
            return (try? t.userMemory.storeUInt64(previous, at: old)) != nil ? 0 : Syscalls.errno(SV_EFAULT)
        }
    }

    /// sigpending(out): the pending signals that are blocked (XSH sigpending).
    static func sigpending(_ t: UserThread, out: UInt64) -> UInt64 {
        let s = t.process.signals
        return (try? t.userMemory.storeUInt64(s.pending & s.blocked, at: out)) != nil ? 0 : Syscalls.errno(SV_EFAULT)
    }

    /// sigsuspend(mask) (mask 0: pause()). The result (EINTR) comes when a handler runs.
    static func sigsuspend(_ t: UserThread, mask address: UInt64) {
        var mask: UInt64? = nil
        if address != 0 {
            guard let m = try? t.userMemory.load(UInt64.self, from: address, initial: 0) else {
                t.context.rax = Syscalls.errno(SV_EFAULT)
                return
            }
            mask = m
        }
        t.context.rax = Syscalls.errno(SV_EINTR)
        kernel.suspend(t, mask: mask)
    }

    /// alarm(ns) -> what the previous alarm had left (ns).
    static func alarm(_ t: UserThread, nanoseconds: UInt64) -> UInt64 {
        kernel.setAlarm(t.process, nanoseconds: nanoseconds, now: Clock.nanoseconds())
    }

    static func pid(_ v: UInt64) -> Int32 { Int32(truncatingIfNeeded: v) }

    static func setpgid(_ t: UserThread, pid p: UInt64, pgid: UInt64) -> UInt64 {
        guard Int64(bitPattern: p) >= 0, Int64(bitPattern: p) <= Int64(Int32.max) else { return Syscalls.errno(SV_ESRCH) }
        guard Int64(bitPattern: pgid) >= 0, Int64(bitPattern: pgid) <= Int64(Int32.max) else { return Syscalls.errno(SV_EINVAL) }
        return Syscalls.result(kernel.setpgid(t.process, pid: pid(p), pgid: pid(pgid)).map { 0 })
    }

    static func getpgid(_ t: UserThread, pid p: UInt64) -> UInt64 {
        guard Int64(bitPattern: p) >= 0, Int64(bitPattern: p) <= Int64(Int32.max) else { return Syscalls.errno(SV_ESRCH) }
        return Syscalls.result(kernel.getpgid(t.process, pid: pid(p)).map { UInt64($0) })
    }

    static func getsid(_ t: UserThread, pid p: UInt64) -> UInt64 {
        guard Int64(bitPattern: p) >= 0, Int64(bitPattern: p) <= Int64(Int32.max) else { return Syscalls.errno(SV_ESRCH) }
        return Syscalls.result(kernel.getsid(t.process, pid: pid(p)).map { UInt64($0) })
    }

    static func setsid(_ t: UserThread) -> UInt64 {
        Syscalls.result(kernel.setsid(t.process).map { UInt64($0) })
    }
}
