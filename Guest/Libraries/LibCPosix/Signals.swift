// Signals.swift — signals, process groups and sessions for C programs (XSH <signal.h>,
// <unistd.h>): the kernel's calls (sv_syscall.h 15, 53–62) with errno set on failure. sigaction
// always passes the restorer (UserRuntime's sv_user_restore_rt), which x86-64 requires
// (docs/SIGNALS.md).
//
// The C library's struct sigaction (LibC/include/signal.h, glibc's x86-64 layout, 32 bytes):
// the handler at 0, sa_mask (64 bits) at 8, sa_flags (int) at 16, sa_restorer at 24.
import UserRuntime

private let SA_RESTORER: UInt64 = 0x0400_0000, SA_RESTART: Int32 = 0x1000_0000
private let NSIG: Int32 = 65

/// A system call's result: the value, or -1 with errno set.
func checkedCall(_ r: Int64) -> Int {
    if r < 0 { setErrno(Int32(truncatingIfNeeded: -r)); return -1 }
    return Int(r)
}

/// An Int32 argument as the kernel takes it (sign-extended to 64 bits).
@inline(__always) func argument(_ v: Int32) -> UInt64 { UInt64(bitPattern: Int64(v)) }

/// SAFETY: `action` and `old`, when not NULL, are the caller's struct sigaction (32 bytes, above).
@_cdecl("sigaction")
public func sigaction(_ sig: Int32, _ action: UnsafeRawPointer?, _ old: UnsafeMutableRawPointer?) -> Int32 {
    var new = sv_sigaction(), previous = sv_sigaction()
    if let action {
        new.handler = action.load(as: UInt64.self)
        new.mask = action.load(fromByteOffset: 8, as: UInt64.self)
        new.flags = UInt64(UInt32(bitPattern: action.load(fromByteOffset: 16, as: Int32.self))) | SA_RESTORER
        let restorer: @convention(c) () -> Void = sv_user_restore_rt
        new.restorer = UInt64(UInt(bitPattern: unsafeBitCast(restorer, to: UnsafeRawPointer.self)))
    }
    let r = withUnsafePointer(to: &new) { newPointer in
        withUnsafeMutablePointer(to: &previous) { oldPointer in
            sv_syscall3(Int64(SV_SYS_SIGACTION), argument(sig), action == nil ? 0 : UInt64(UInt(bitPattern: newPointer)),
                        old == nil ? 0 : UInt64(UInt(bitPattern: oldPointer)))
        }
    }
    if checkedCall(r) < 0 { return -1 }
    if let old {
        old.storeBytes(of: previous.handler, as: UInt64.self)
        old.storeBytes(of: previous.mask, toByteOffset: 8, as: UInt64.self)
        old.storeBytes(of: Int32(truncatingIfNeeded: previous.flags & ~SA_RESTORER), toByteOffset: 16, as: Int32.self)
        old.storeBytes(of: 0 as Int32, toByteOffset: 20, as: Int32.self)
        old.storeBytes(of: 0 as UInt64, toByteOffset: 24, as: UInt64.self)
    }
    return 0
}

/// signal(): BSD semantics as glibc gives them (SA_RESTART, the handler stays installed); the
/// previous handler, or SIG_ERR (-1).
@_cdecl("signal")
public func signal(_ sig: Int32, _ handler: UnsafeRawPointer?) -> UnsafeRawPointer? {
    var action: (UInt64, UInt64, Int32, Int32, UInt64) = (UInt64(UInt(bitPattern: handler)), 0, SA_RESTART, 0, 0)
    var old: (UInt64, UInt64, Int32, Int32, UInt64) = (0, 0, 0, 0, 0)
    let r = withUnsafePointer(to: &action) { a in withUnsafeMutablePointer(to: &old) { sigaction(sig, a, $0) } }
    return r < 0 ? UnsafeRawPointer(bitPattern: -1) : UnsafeRawPointer(bitPattern: UInt(old.0))
}

private func validSignal(_ sig: Int32) -> Bool { sig >= 1 && sig < NSIG }

// sigset_t is one 64-bit word: bit s-1 for signal s.
@_cdecl("sigemptyset")
public func sigemptyset(_ set: UnsafeMutablePointer<UInt64>) -> Int32 { set.pointee = 0; return 0 }
@_cdecl("sigfillset")
public func sigfillset(_ set: UnsafeMutablePointer<UInt64>) -> Int32 { set.pointee = ~0; return 0 }
@_cdecl("sigaddset")
public func sigaddset(_ set: UnsafeMutablePointer<UInt64>, _ sig: Int32) -> Int32 {
    guard validSignal(sig) else { setErrno(EINVAL); return -1 }
    set.pointee |= 1 << UInt64(sig - 1)
    return 0
}
@_cdecl("sigdelset")
public func sigdelset(_ set: UnsafeMutablePointer<UInt64>, _ sig: Int32) -> Int32 {
    guard validSignal(sig) else { setErrno(EINVAL); return -1 }
    set.pointee &= ~(1 << UInt64(sig - 1))
    return 0
}
@_cdecl("sigismember")
public func sigismember(_ set: UnsafePointer<UInt64>, _ sig: Int32) -> Int32 {
    guard validSignal(sig) else { setErrno(EINVAL); return -1 }
    return Int32((set.pointee >> UInt64(sig - 1)) & 1)
}

@_cdecl("sigprocmask")
public func sigprocmask(_ how: Int32, _ set: UnsafePointer<UInt64>?, _ old: UnsafeMutablePointer<UInt64>?) -> Int32 {
    Int32(checkedCall(sv_syscall3(Int64(SV_SYS_SIGPROCMASK), argument(how), UInt64(UInt(bitPattern: set)), UInt64(UInt(bitPattern: old)))))
}

/// One thread per process: the thread's mask is the process's. Returns the error, as POSIX says.
@_cdecl("pthread_sigmask")
public func pthreadSigmask(_ how: Int32, _ set: UnsafePointer<UInt64>?, _ old: UnsafeMutablePointer<UInt64>?) -> Int32 {
    let r = sv_syscall3(Int64(SV_SYS_SIGPROCMASK), argument(how), UInt64(UInt(bitPattern: set)), UInt64(UInt(bitPattern: old)))
    return r < 0 ? Int32(truncatingIfNeeded: -r) : 0
}

@_cdecl("sigpending")
public func sigpending(_ set: UnsafeMutablePointer<UInt64>) -> Int32 {
    Int32(checkedCall(sv_syscall1(Int64(SV_SYS_SIGPENDING), UInt64(UInt(bitPattern: set)))))
}

// Waiting for a signal, and sending one, first shows what was printed (the wait may be long,
// the signal may end this process).
@_cdecl("sigsuspend")
public func sigsuspend(_ mask: UnsafePointer<UInt64>) -> Int32 {
    standardOutputFlush()
    return Int32(checkedCall(sv_syscall1(Int64(SV_SYS_SIGSUSPEND), UInt64(UInt(bitPattern: mask)))))
}

@_cdecl("pause")
public func pause() -> Int32 {
    standardOutputFlush()
    return Int32(checkedCall(sv_syscall1(Int64(SV_SYS_SIGSUSPEND), 0)))
}

@_cdecl("kill")
public func kill(_ pid: Int32, _ sig: Int32) -> Int32 {
    standardOutputFlush()
    return Int32(checkedCall(sv_syscall2(Int64(SV_SYS_KILL), argument(pid), argument(sig))))
}

@_cdecl("raise")
public func raise(_ sig: Int32) -> Int32 { kill(cGetpid(), sig) }

@_cdecl("killpg")
public func killpg(_ group: Int32, _ sig: Int32) -> Int32 {
    if group < 0 { setErrno(EINVAL); return -1 }
    return kill(0 &- group, sig)
}

/// alarm(): the seconds the previous alarm had left, rounded to the nearest (at least 1), as Linux.
@_cdecl("alarm")
public func alarm(_ seconds: UInt32) -> UInt32 {
    let left = sv_syscall1(Int64(SV_SYS_ALARM), UInt64(seconds) * 1_000_000_000)
    if left <= 0 { return 0 }
    return Swift.max(1, UInt32(truncatingIfNeeded: (left + 500_000_000) / 1_000_000_000))
}

@_cdecl("setpgid")
public func setpgid(_ pid: Int32, _ group: Int32) -> Int32 {
    Int32(checkedCall(sv_syscall2(Int64(SV_SYS_SETPGID), argument(pid), argument(group))))
}
@_cdecl("getpgid")
public func getpgid(_ pid: Int32) -> Int32 { Int32(checkedCall(sv_syscall1(Int64(SV_SYS_GETPGID), argument(pid)))) }
@_cdecl("getpgrp")
public func getpgrp() -> Int32 { getpgid(0) }
@_cdecl("setpgrp")
public func setpgrp() -> Int32 { setpgid(0, 0) }
@_cdecl("setsid")
public func setsid() -> Int32 { Int32(checkedCall(sv_syscall0(Int64(SV_SYS_SETSID)))) }
@_cdecl("getsid")
public func getsid(_ pid: Int32) -> Int32 { Int32(checkedCall(sv_syscall1(Int64(SV_SYS_GETSID), argument(pid)))) }

/// glibc's descriptions (sysdeps/generic/siglist.h), so messages match the host's.
private let descriptions: [StaticString] = [
    "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted", "Bus error",
    "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
    "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued", "Stopped (signal)",
    "Stopped", "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded",
    "File size limit exceeded", "Virtual timer expired", "Profiling timer expired", "Window changed",
    "I/O possible", "Power failure", "Bad system call",
]

/// strsignal's buffer for a signal without a fixed description (the next call may reuse it).
nonisolated(unsafe) private let unknownSignal = UnsafeMutablePointer<CChar>.allocate(capacity: 32)

@_cdecl("strsignal")
public func strsignal(_ sig: Int32) -> UnsafeMutablePointer<CChar> {
    if sig >= 1 && sig <= 31 {
        return UnsafeMutableRawPointer(mutating: descriptions[Int(sig) - 1].utf8Start).assumingMemoryBound(to: CChar.self)
    }
    // glibc keeps 32 and 33 for its threads: its real-time signals start at 34.
    let text = sig >= 34 && sig <= 64 ? "Real-time signal \(sig - 34)" : "Unknown signal \(sig)"
    var n = 0
    for b in text.utf8 where n < 31 { unknownSignal[n] = CChar(bitPattern: b); n += 1 }
    unknownSignal[n] = 0
    return unknownSignal
}

/// psignal (POSIX): "message: description" on standard error (unbuffered: one write).
@_cdecl("psignal")
public func psignal(_ sig: Int32, _ message: UnsafePointer<CChar>?) {
    var line: [UInt8] = []
    if let message, message.pointee != 0 { line += cStringBytes(message); line += [0x3A, 0x20] }
    line += cStringBytes(strsignal(sig))
    line.append(0x0A)
    _ = line.withUnsafeBytes { cWrite(2, $0.baseAddress!, $0.count) }
}

/// psiginfo: psignal for the signal the siginfo_t names (si_signo, its first int).
@_cdecl("psiginfo")
public func psiginfo(_ info: UnsafePointer<Int32>, _ message: UnsafePointer<CChar>?) { psignal(info.pointee, message) }
