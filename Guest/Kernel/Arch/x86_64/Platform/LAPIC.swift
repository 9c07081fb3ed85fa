// LAPIC.swift — the local APIC (xAPIC MMIO at SV_LAPIC_GPA through the direct map; SDM Vol. 3
// §11.5.4): the periodic tick, end of interrupt, and the legacy 8259 PICs kept out of the way.
import ABI
import Arch

public enum LAPIC {
    /// Through the kernel's direct map of guest-physical memory (sv_machine.h).
    static var base: UInt64 { UInt64(SV_DIRECT_MAP_BASE) + UInt64(SV_LAPIC_GPA) }
    static let spuriousRegister: UInt64 = 0xf0
    static let eoiRegister: UInt64 = 0xb0
    static let timerLVT: UInt64 = 0x320
    static let timerInitialCount: UInt64 = 0x380
    static let timerDivide: UInt64 = 0x3e0
    static let taskPriority: UInt64 = 0x80

    public static func write(_ register: UInt64, _ value: UInt32) { sv_mmio_write32(base + register, value) }
    public static func read(_ register: UInt64) -> UInt32 { sv_mmio_read32(base + register) }

    /// Software-enables the APIC (SVR bit 8) with the spurious vector, and accepts every priority.
    /// Until this runs, interrupts the IOAPIC sends are dropped (SDM Vol. 3 §11.4.7.2), so it comes
    /// before any interrupt source is routed.
    public static func enable() {
        write(spuriousRegister, 0x100 | UInt32(Vector.spurious))
        write(taskPriority, 0)
    }

    /// Starts a periodic timer on `vector`. KVM's (and QEMU's) APIC timer counts at 1 GHz with
    /// divide-by-1, so `periodNanoseconds` is the initial count.
    public static func startTimer(vector: UInt64, periodNanoseconds: UInt32) {
        write(timerDivide, 0xb)                                  // divide by 1
        write(timerLVT, UInt32(vector) | 1 << 17)                // periodic
        write(timerInitialCount, periodNanoseconds)
    }

    public static func endOfInterrupt() { write(eoiRegister, 0) }
}

/// The legacy 8259 PICs. Uninitialised (PVH boot, no firmware) they deliver IRQ 0 (the PIT) as
/// vector 8, indistinguishable from a double fault. Remap them above the exceptions and mask every
/// line: this kernel takes its interrupts from the local APIC (and, later, the IOAPIC).
public enum LegacyPIC {
    public static func disable() {
        let master: UInt16 = 0x20, slave: UInt16 = 0xa0
        sv_outb(master, 0x11); sv_outb(slave, 0x11)            // ICW1: initialise, ICW4 follows
        sv_outb(master + 1, 0xf0); sv_outb(slave + 1, 0xf8)    // ICW2: vector bases 0xf0 and 0xf8
        sv_outb(master + 1, 0x04); sv_outb(slave + 1, 0x02)    // ICW3: cascade on IRQ 2
        sv_outb(master + 1, 0x01); sv_outb(slave + 1, 0x01)    // ICW4: 8086 mode
        sv_outb(master + 1, 0xff); sv_outb(slave + 1, 0xff)    // mask everything
    }
}

