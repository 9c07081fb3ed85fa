// IOAPIC.swift — the I/O APIC (82093AA datasheet §3.2), reached through the kernel's direct map.
import ABI
import Arch

/// The I/O APIC (82093AA datasheet §3.2): one redirection entry per interrupt pin.
public enum IOAPIC {
    static var base: UInt64 { UInt64(SV_DIRECT_MAP_BASE) + UInt64(SV_IOAPIC_GPA) }

    static func write(_ register: UInt32, _ value: UInt32) {
        sv_mmio_write32(base, register)          // IOREGSEL
        sv_mmio_write32(base + 0x10, value)      // IOWIN
    }

    /// Routes `pin` to `vector` on CPU 0, edge-triggered, active high. Edge-triggered works for
    /// both kinds of sources virtio-mmio devices use: a level line (QEMU: high while
    /// InterruptStatus is not zero, so every new cause after the driver's InterruptACK is a new
    /// edge) and a pulse (swiftvm's irqfd). The pin is never masked, so no edge is lost: one that
    /// arrives before the driver waits is remembered (KernelCore's DeviceTable.pending).
    public static func route(pin: UInt32, vector: UInt32) {
        write(0x11 + 2 * pin, 0)                                      // destination APIC 0
        write(0x10 + 2 * pin, vector)
    }
}

