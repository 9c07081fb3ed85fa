// Timer.swift — the TSC as the kernel's clock (the LAPIC tick is Platform's LAPIC).
import ABI
import Arch
import Platform

enum Clock {
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var tscKHz: UInt64 = 0
    nonisolated(unsafe) static var bootTSC: UInt64 = 0

    /// Nanoseconds since boot from the TSC: whole milliseconds, then the remainder, so nothing
    /// overflows (and no 128-bit division, which would need compiler-rt's __udivti3).
    static func nanoseconds() -> UInt64 {
        guard tscKHz > 0 else { return Kernel.ticks * 10_000_000 }
        let cycles = sv_rdtsc() &- bootTSC
        return cycles / tscKHz * 1_000_000 + cycles % tscKHz * 1_000_000 / tscKHz
    }
}
