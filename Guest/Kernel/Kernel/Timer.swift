// Timer.swift — the TSC as the kernel's clock (the LAPIC tick is Platform's LAPIC).
import ABI
import Arch
import Platform
import KernelCore

enum Clock {
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var tscKHz: UInt64 = 0
    nonisolated(unsafe) static var bootTSC: UInt64 = 0
    /// Unix time in nanoseconds at the moment `nanoseconds()` was 0 (from the RTC at boot; 0 if
    /// no clock answered).
    nonisolated(unsafe) static var realtimeAtBoot: Int64 = 0

    /// Reads the real-time clock once, at boot.
    static func initializeRealtime() {
        guard let seconds = RTC.unixSeconds() else { log("no real-time clock: the wall clock starts at 1970"); return }
        realtimeAtBoot = seconds &* 1_000_000_000 &- Int64(nanoseconds())
    }

    /// clock_gettime(clock, timespec).
    static func get(_ t: UserThread, clock: UInt64, out: UInt64) -> UInt64 {
        let now = Int64(nanoseconds())
        let value: Int64
        switch clock {
        case UInt64(SV_CLOCK_REALTIME): value = realtimeAtBoot &+ now
        case UInt64(SV_CLOCK_MONOTONIC): value = now
        default: return Syscalls.errno(SV_EINVAL)
        }
        let spec = sv_timespec(tv_sec: value / 1_000_000_000, tv_nsec: value % 1_000_000_000)
        do { try t.userMemory.store(value: spec, at: out) } catch { return Syscalls.errno(SV_EFAULT) }
        return 0
    }

    /// Nanoseconds since boot from the TSC: whole milliseconds, then the remainder, so nothing
    /// overflows (and no 128-bit division, which would need compiler-rt's __udivti3).
    static func nanoseconds() -> UInt64 {
        // Without a TSC rate, 10 ms per timer tick (the LAPIC timer's period); before the kernel
        // state exists no tick has happened.
        guard tscKHz > 0 else { return (kernel?.counters.timerTicks ?? 0) &* 10_000_000 }
        let cycles = sv_rdtsc() &- bootTSC
        return cycles / tscKHz * 1_000_000 + cycles % tscKHz * 1_000_000 / tscKHz
    }
}
