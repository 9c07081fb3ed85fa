// Clocks.swift — reading the clocks and sleeping (C11 7.27.2, XSH <time.h>, <unistd.h>,
// <sys/time.h>): the kernel's clock_gettime and SV_SYS_CLOCK (ns since boot) and its sleep, which
// a signal handler ends early (EINTR).
// struct timespec and struct timeval are two 64-bit words each (seconds, then ns or µs).
// SAFETY: each such pointer is the caller's struct (XSH: otherwise undefined).
import UserRuntime

private let EINTR64: Int64 = 4
private let nanosecondsPerSecond: UInt64 = 1_000_000_000

/// The time since boot, in ns.
private func monotonicNanoseconds() -> UInt64 { UInt64(bitPattern: sv_syscall0(Int64(SV_SYS_CLOCK))) }

/// SAFETY: `ts` is the caller's struct timespec.
@_cdecl("clock_gettime")
public func clockGettime(_ clock: Int32, _ ts: UnsafeMutablePointer<Int64>) -> Int32 {
    var s = sv_timespec()
    let r = withUnsafeMutablePointer(to: &s) { sv_syscall2(Int64(SV_SYS_CLOCK_GETTIME), argument(clock), UInt64(UInt(bitPattern: $0))) }
    if checkedCall(r) < 0 { return -1 }
    ts[0] = s.tv_sec
    ts[1] = s.tv_nsec
    return 0
}

/// timespec_get (C11 7.27.2.5): `base` (TIME_UTC, 1) on success, else 0.
@_cdecl("timespec_get")
public func timespecGet(_ ts: UnsafeMutablePointer<Int64>, _ base: Int32) -> Int32 {
    base == 1 && clockGettime(0, ts) == 0 ? base : 0
}

@_cdecl("time")
public func time(_ t: UnsafeMutablePointer<Int64>?) -> Int64 {
    var ts: (Int64, Int64) = (0, 0)
    let ok = withUnsafeMutablePointer(to: &ts) { $0.withMemoryRebound(to: Int64.self, capacity: 2) { clockGettime(0, $0) } } == 0
    let now = ok ? ts.0 : -1
    t?.pointee = now
    return now
}

/// clock (C11 7.27.2.1) in µs (CLOCKS_PER_SEC 1000000): the time since boot stands in for the
/// processor time (no per-process CPU accounting yet).
@_cdecl("clock")
public func clock() -> Int { Int(monotonicNanoseconds() / 1000) }

/// nanosleep (XSH): EINVAL for a negative time or ns outside 0…999,999,999; EINTR when a handler
/// ran, with the time still to sleep in `remaining`.
@_cdecl("nanosleep")
public func nanosleep(_ duration: UnsafePointer<Int64>, _ remaining: UnsafeMutablePointer<Int64>?) -> Int32 {
    let seconds = duration[0], fraction = duration[1]
    guard seconds >= 0, fraction >= 0, fraction <= 999_999_999 else { setErrno(EINVAL); return -1 }
    let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: nanosecondsPerSecond)
    let ns = overflow ? UInt64.max : whole &+ UInt64(fraction)
    standardOutputFlush()
    let start = monotonicNanoseconds()
    if sv_syscall1(Int64(SV_SYS_SLEEP), ns == 0 ? 1 : ns) == -EINTR64 {
        let slept = monotonicNanoseconds() &- start
        let left = slept < ns ? ns - slept : 0
        if let remaining {
            remaining[0] = Int64(left / nanosecondsPerSecond)
            remaining[1] = Int64(left % nanosecondsPerSecond)
        }
        setErrno(EINTR)
        return -1
    }
    if let remaining { remaining[0] = 0; remaining[1] = 0 }
    return 0
}

/// sleep(): the whole seconds left when a handler ended it (glibc's sleep drops the fraction).
@_cdecl("sleep")
public func sleep(_ seconds: UInt32) -> UInt32 {
    var t: (Int64, Int64) = (Int64(seconds), 0)
    let r = withUnsafeMutablePointer(to: &t) { $0.withMemoryRebound(to: Int64.self, capacity: 2) { nanosleep($0, $0) } }
    return r < 0 ? UInt32(truncatingIfNeeded: t.0) : 0
}

@_cdecl("usleep")
public func usleep(_ microseconds: UInt) -> Int32 {
    var t: (Int64, Int64) = (Int64(microseconds / 1_000_000), Int64(microseconds % 1_000_000) * 1000)
    return withUnsafeMutablePointer(to: &t) { $0.withMemoryRebound(to: Int64.self, capacity: 2) { nanosleep($0, nil) } }
}

/// gettimeofday (XSH): the time zone argument is obsolete (the guest's zone is UTC) and ignored.
@_cdecl("gettimeofday")
public func gettimeofday(_ tv: UnsafeMutablePointer<Int64>?, _ zone: UnsafeMutableRawPointer?) -> Int32 {
    var ts: (Int64, Int64) = (0, 0)
    let r = withUnsafeMutablePointer(to: &ts) { $0.withMemoryRebound(to: Int64.self, capacity: 2) { clockGettime(0, $0) } }
    if r < 0 { return -1 }
    if let tv { tv[0] = ts.0; tv[1] = ts.1 / 1000 }
    return 0
}
