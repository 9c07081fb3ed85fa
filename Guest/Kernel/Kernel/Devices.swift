// Devices.swift — what the kernel does for user-mode drivers: it knows the devices from the boot
// info, maps a device's MMIO window into a driver, hands out DMA memory, and turns device
// interrupts into wake-ups (the microkernel does not drive devices itself).
import ABI
import Arch
import KernelCore
import Platform
import VirtioSpec

/// The machine's side of the device calls: the devices from the boot info, their interrupt pins,
/// MMIO windows, DMA memory and resets. Who owns a device and its pending interrupts are
/// KernelCore's (DeviceTable).
enum Devices {
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var descriptions: [DeviceDescription] = []

    static func initialize(boot: BootInfo) {
        // Boot-info devices, then command-line ones not already known (same window).
        descriptions = boot.devices
        for d in boot.commandLineDevices() where !descriptions.contains(where: { $0.mmioBase == d.mmioBase }) {
            descriptions.append(DeviceDescription(mmioBase: d.mmioBase, mmioSize: d.mmioSize, irq: d.irq,
                                                  virtioID: probeDeviceID(d)))
        }
        for d in descriptions {
            log("device: virtio-mmio at \(hex(d.mmioBase)) (\(d.mmioSize) bytes), irq \(d.irq), virtio id \(d.virtioID)")
        }
        kernel.setDeviceCount(descriptions.count)
        for d in descriptions where d.irq < 24 {   // one IOAPIC, 24 pins
            IOAPIC.route(pin: d.irq, vector: UInt32(SV_IRQ_VECTOR_BASE) + d.irq)
        }
    }

    /// A device announced on the command line (Linux's `virtio_mmio.device=`, as QEMU's microvm
    /// does) comes without its type: read it from the device (virtio 1.2 §4.2.2: MagicValue
    /// 0x74726976 at 0x000, DeviceID at 0x008; 0 means no device). Only windows inside the MMIO
    /// hole the direct map covers uncached are read.
    static func probeDeviceID(_ d: DeviceDescription) -> UInt32 {
        guard d.mmioBase >= UInt64(SV_VIRTIO_MMIO_BASE), d.mmioBase < 1 << 32, d.mmioSize >= 0x100,
              d.mmioBase + d.mmioSize <= 1 << 32 else { return 0 }
        let base = Memory.virtual(d.mmioBase)
        guard sv_mmio_read32(base + MMIORegister.magicValue.rawValue) == MMIORegister.magic else { return 0 }
        return sv_mmio_read32(base + MMIORegister.deviceID.rawValue)
    }

    static func isDeviceVector(_ vector: UInt64) -> Bool {
        vector >= UInt64(SV_IRQ_VECTOR_BASE) && vector < UInt64(SV_IRQ_VECTOR_BASE) + 24
    }

    /// A device interrupt: wake the waiting driver, or remember it for the next irq_wait. The driver
    /// acknowledges the device (InterruptACK) before it looks at its queues, so a cause that comes
    /// later raises a new edge.
    static func interrupt(vector: UInt64) {
        let pin = UInt32(vector - UInt64(SV_IRQ_VECTOR_BASE))
        LAPIC.endOfInterrupt()
        for (index, d) in descriptions.enumerated() where d.irq == pin { kernel.deviceInterrupted(index) }
    }

    /// device_map(index): maps the device's window uncached at SV_USER_DEVICE_BASE + index * stride
    /// and returns the address of its first register (windows need not be page aligned: QEMU's
    /// microvm packs 512-byte virtio-mmio windows eight to a page, so a driver can then reach its
    /// page neighbours too — page granularity is all the MMU offers).
    static func map(_ p: UserProcess, index: Int) -> UInt64 {
        if case .failure(let e) = kernel.claimDevice(index, by: p) { return e.result }
        let d = descriptions[index]
        let pageOffset = d.mmioBase & (pageSize - 1)
        let size = min((pageOffset + d.mmioSize + pageSize - 1) & ~(pageSize - 1), UInt64(SV_USER_DEVICE_STRIDE))
        let base = UInt64(SV_USER_DEVICE_BASE) + UInt64(index) * UInt64(SV_USER_DEVICE_STRIDE)
        if p.space.lookup(VirtualAddress(base), memory: Memory.window!) != nil { return base + pageOffset }
        var offset: UInt64 = 0
        while offset < size {
            do {
                try p.space.map(VirtualAddress(base + offset), to: PhysicalAddress((d.mmioBase & ~(pageSize - 1)) + offset),
                                flags: [.user, .writable, .uncached, .noExecute], frames: &Memory.frames!, memory: Memory.window!)
            } catch {
                return Syscalls.errno(SV_ENOMEM)
            }
            offset += pageSize
        }
        return base + pageOffset
    }

    /// A driver ended: before its DMA memory is freed (and reused), its device is reset, so no
    /// device still holds a ring or buffer address in that memory (virtio 1.2 §4.2.2.1: writing 0
    /// to Status resets the device; §2.4.1: once the driver reads 0 back, the device no longer
    /// touches the old rings). The next driver to map the device starts from a clean reset.
    /// A device that still reports a status after `resetTimeout` may yet write into that memory:
    /// it is quarantined (no driver gets it again) and the driver's DMA frames are never reused.
    /// Returns whether the device reset.
    static func reset(_ index: Int, endedDriver p: UserProcess) -> Bool {
        let status = Memory.virtual(descriptions[index].mmioBase) + MMIORegister.status.rawValue
        sv_mmio_write32(status, 0)
        // Polled by time, not by count: each read is a VM exit, whose price varies several-fold
        // between hosts (HOST.md). The spec sets no bound; a healthy device answers at once.
        let deadline = Clock.nanoseconds() + resetTimeout
        var last = sv_mmio_read32(status)
        var polls = 0   // a bound too, should the clock not advance (no TSC rate: it counts timer ticks)
        while last != 0 && Clock.nanoseconds() < deadline && polls < 1_000_000 { last = sv_mmio_read32(status); polls += 1 }
        if last == 0 {
            log("device \(index): its driver (pid \(p.pid)) ended; device reset")
            return true
        }
        kernel.quarantineDevice(index)
        let kept = keepDMAMemory(of: p)
        log("device \(index): its driver (pid \(p.pid)) ended and the device did not reset within \(resetTimeout / 1_000_000) ms (status 0x\(String(last, radix: 16))): quarantined — no driver gets it again, and the \(kept / 1024) KiB of DMA memory it may still write are never reused")
        return false
    }

    /// How long a reset may take before the device counts as wedged.
    static let resetTimeout: UInt64 = 100_000_000

    /// Takes `p`'s DMA pages out of its address space without freeing them, so destroying the
    /// space cannot hand them to anyone while a quarantined device may still write them. Returns
    /// the bytes kept.
    static func keepDMAMemory(of p: UserProcess) -> UInt64 {
        var kept: UInt64 = 0
        var va = UInt64(SV_USER_DMA_BASE)
        while va < p.dmaNext {
            if p.space.unmap(VirtualAddress(va), memory: Memory.window!) != nil { kept += pageSize }
            va += pageSize
        }
        return kept
    }

    static let maximumDMA: UInt64 = 4 << 20

    /// dma_alloc(bytes, physical_out): zeroed, physically contiguous, owned by the process.
    static func allocateDMA(_ t: UserThread, bytes: UInt64, physicalOut: UInt64) -> UInt64 {
        let p = t.process
        guard bytes > 0, bytes <= maximumDMA else { return Syscalls.errno(SV_EINVAL) }
        let pages = (bytes + pageSize - 1) / pageSize
        guard p.dmaNext + pages * pageSize <= UInt64(SV_USER_DMA_LIMIT) else { return Syscalls.errno(SV_ENOMEM) }
        do { try t.userMemory.checkRange(physicalOut, 8) } catch { return Syscalls.errno(SV_EFAULT) }
        guard let first = Memory.frames!.allocateContiguous(Int(pages)) else { return Syscalls.errno(SV_ENOMEM) }
        let w = Memory.window!
        let base = p.dmaNext
        for i in 0..<pages {
            let frame = PhysicalAddress(first.value + i * pageSize)
            w.zeroPage(frame)
            do {
                try p.space.map(VirtualAddress(base + i * pageSize), to: frame, flags: [.user, .writable, .noExecute, .owned],
                                frames: &Memory.frames!, memory: w)
            } catch {
                // Frames already mapped are freed with the address space; free the rest now.
                for j in i..<pages { Memory.frames!.free(PhysicalAddress(first.value + j * pageSize)) }
                return Syscalls.errno(SV_ENOMEM)
            }
        }
        p.dmaNext += pages * pageSize
        do { try t.userMemory.storeUInt64(first.value, at: physicalOut) } catch { return Syscalls.errno(SV_EFAULT) }
        return base
    }

    /// device_info(index, out): copies the device's sv_device description out.
    static func info(_ t: UserThread, index: Int, out: UInt64) -> UInt64 {
        guard index >= 0 && index < descriptions.count else { return Syscalls.errno(SV_ENODEV) }
        let d = descriptions[index]
        let record = sv_device(mmio_base: d.mmioBase, mmio_size: d.mmioSize, kind: UInt32(SV_DEVICE_VIRTIO_MMIO),
                               irq: d.irq, virtio_id: d.virtioID, reserved: 0)
        do { try t.userMemory.store(value: record, at: out) } catch {
            return Syscalls.errno(SV_EFAULT)
        }
        return 0
    }
}
