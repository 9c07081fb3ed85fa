// BootLayout.swift — puts a kernel into guest RAM the way sv_boot.h promises: PT_LOADs at their
// physical addresses, the initrd after the kernel, the command line, the boot info, a GDT with
// Linux's selector layout, and page tables mapping the direct map (HOST.md rules 1 and 6).
import ABI
import ELF
import GuestMemory

/// A virtio-mmio device as the boot info describes it.
public struct BootDevice: Sendable {
    public var mmioBase: UInt64
    public var mmioSize: UInt64
    public var irq: UInt32
    public var virtioID: UInt32
    public init(mmioBase: UInt64, mmioSize: UInt64, irq: UInt32, virtioID: UInt32) {
        self.mmioBase = mmioBase; self.mmioSize = mmioSize; self.irq = irq; self.virtioID = virtioID
    }
}

/// What the vCPU needs to start: the entry point and the guest-physical page-table root.
public struct BootState: Sendable {
    public var entry: UInt64
    public var pageTableRoot: UInt64
    public var gdtBase: UInt64
    public var bootInfoAddress: UInt64
    public var kernelEnd: UInt64
}

public enum BootLayout {
    static let pageSize: UInt64 = 4096
    /// The direct map covers guest-physical [0, 4 GiB): RAM, the virtio windows, IOAPIC and LAPIC.
    static let directMapSize: UInt64 = 4 << 30

    /// Loads `kernel` and `initrd` and writes every boot structure. Throws if anything does not fit.
    public static func prepare(memory: GuestMemory, kernel: [UInt8], kernelPath: String,
                               initrd: [UInt8]?, initrdPath: String?, commandLine: String,
                               flags: UInt64, tscKHz: UInt64, devices: [BootDevice]) throws(MachineError) -> BootState {
        let elf: ELFFile
        // Result rather than a typed-throws closure: Swift 6.3.1 crashes in IRGen on typed-throws
        // closures passed to rethrows functions.
        let parsed: Result<ELFFile, ELFError> = kernel.withUnsafeBytes { bytes in
            Result { () throws(ELFError) in try ELFFile(bytes: bytes) }
        }
        switch parsed {
        case .success(let e): elf = e
        case .failure(let error): throw .badKernel(path: kernelPath, error)
        }
        do {
            try elf.checkPlacement(lower: UInt64(SV_KERNEL_GPA), upper: memory.lowSize, physical: true)
        } catch {
            throw .kernelDoesNotFit(path: kernelPath, detail: "\(error)")
        }
        // The entry is a direct-map virtual address (sv_boot.h).
        guard elf.entry >= UInt64(SV_DIRECT_MAP_BASE), elf.entry - UInt64(SV_DIRECT_MAP_BASE) < memory.lowSize else {
            throw .kernelDoesNotFit(path: kernelPath, detail: "entry 0x\(String(elf.entry, radix: 16)) is not a direct-map address of guest RAM")
        }
        var kernelEnd: UInt64 = 0
        do {
            for s in elf.segments {
                let copied: Result<Void, GuestMemoryError> = kernel.withUnsafeBytes { bytes in
                    let file = UnsafeRawBufferPointer(rebasing: bytes[Int(s.fileOffset)..<Int(s.fileOffset + s.fileSize)])
                    return Result { () throws(GuestMemoryError) in try memory.write(at: GuestAddress(s.physicalAddress), from: file) }
                }
                try copied.get()
                try memory.fill(at: GuestAddress(s.physicalAddress + s.fileSize), length: s.memorySize - s.fileSize, with: 0)
                kernelEnd = max(kernelEnd, s.physicalEnd)
            }
            kernelEnd = roundUp(kernelEnd, pageSize)

            var initrdAddress: UInt64 = 0
            if let initrd {
                initrdAddress = kernelEnd
                let size = UInt64(initrd.count)
                guard initrdAddress + size <= memory.lowSize else {
                    throw MachineError.initrdDoesNotFit(path: initrdPath ?? "initrd", size: size, memory: memory.size)
                }
                try memory.write(at: GuestAddress(initrdAddress), bytes: initrd)
            }

            let cmdline = Array(commandLine.utf8)
            guard cmdline.count < Int(SV_CMDLINE_MAX) else { throw MachineError.commandLineTooLong(cmdline.count) }
            try memory.fill(at: GuestAddress(UInt64(SV_CMDLINE_GPA)), length: UInt64(SV_CMDLINE_MAX), with: 0)
            try memory.write(at: GuestAddress(UInt64(SV_CMDLINE_GPA)), bytes: cmdline)

            try writeBootInfo(memory: memory, flags: flags, tscKHz: tscKHz, cmdlineSize: UInt64(cmdline.count),
                              initrdAddress: initrdAddress, initrdSize: UInt64(initrd?.count ?? 0),
                              kernelEnd: kernelEnd, devices: devices)
            try writeGDT(memory: memory)
            try writePageTables(memory: memory)
        } catch let error as MachineError {
            throw error
        } catch let error as GuestMemoryError {
            throw .memory(error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        return BootState(entry: elf.entry, pageTableRoot: UInt64(SV_BOOT_PT_GPA),
                         gdtBase: UInt64(SV_DIRECT_MAP_BASE) + UInt64(SV_BOOT_GDT_GPA), bootInfoAddress: UInt64(SV_BOOT_INFO_GPA),
                         kernelEnd: kernelEnd)
    }

    static func writeBootInfo(memory: GuestMemory, flags: UInt64, tscKHz: UInt64, cmdlineSize: UInt64,
                              initrdAddress: UInt64, initrdSize: UInt64, kernelEnd: UInt64,
                              devices: [BootDevice]) throws(GuestMemoryError) {
        let base = GuestAddress(UInt64(SV_BOOT_INFO_GPA))
        try memory.fill(at: base, length: pageSize, with: 0)
        func field(_ offset: Int?) -> GuestAddress { GuestAddress(base.value + UInt64(offset!)) }
        typealias B = sv_boot_info
        try memory.store(SV_BOOT_MAGIC, at: field(MemoryLayout<B>.offset(of: \.magic)))
        try memory.store(UInt32(SV_BOOT_VERSION), at: field(MemoryLayout<B>.offset(of: \.version)))
        try memory.store(UInt32(MemoryLayout<B>.size), at: field(MemoryLayout<B>.offset(of: \.size)))
        try memory.store(flags, at: field(MemoryLayout<B>.offset(of: \.flags)))
        try memory.store(tscKHz, at: field(MemoryLayout<B>.offset(of: \.tsc_khz)))
        try memory.store(SV_CMDLINE_GPA, at: field(MemoryLayout<B>.offset(of: \.cmdline_addr)))
        try memory.store(cmdlineSize, at: field(MemoryLayout<B>.offset(of: \.cmdline_size)))
        try memory.store(initrdAddress, at: field(MemoryLayout<B>.offset(of: \.initrd_addr)))
        try memory.store(initrdSize, at: field(MemoryLayout<B>.offset(of: \.initrd_size)))
        try memory.store(SV_KERNEL_GPA, at: field(MemoryLayout<B>.offset(of: \.kernel_start)))
        try memory.store(kernelEnd, at: field(MemoryLayout<B>.offset(of: \.kernel_end)))

        // Memory map: the low 1 MiB holds boot structures (reserved); RAM from the kernel on, up
        // to the MMIO hole, and past 4 GiB what did not fit below it.
        var regions: [(UInt64, UInt64, UInt32)] = [
            (0, UInt64(SV_KERNEL_GPA), UInt32(SV_MEM_RESERVED)),
            (UInt64(SV_KERNEL_GPA), memory.lowSize - UInt64(SV_KERNEL_GPA), UInt32(SV_MEM_RAM)),
        ]
        for high in memory.regions.dropFirst() { regions.append((high.guestPhysical, high.size, UInt32(SV_MEM_RAM))) }
        let regionsBase = field(MemoryLayout<B>.offset(of: \.regions)).value
        for (i, r) in regions.enumerated() {
            let at = regionsBase + UInt64(i * MemoryLayout<sv_mem_region>.stride)
            try memory.store(r.0, at: GuestAddress(at))
            try memory.store(r.1, at: GuestAddress(at + 8))
            try memory.store(r.2, at: GuestAddress(at + 16))
        }
        try memory.store(UInt32(regions.count), at: field(MemoryLayout<B>.offset(of: \.region_count)))

        precondition(devices.count <= Int(SV_BOOT_MAX_DEVICES), "more devices than the boot info holds")
        let devicesBase = field(MemoryLayout<B>.offset(of: \.devices)).value
        for (i, d) in devices.enumerated() {
            let at = devicesBase + UInt64(i * MemoryLayout<sv_device>.stride)
            try memory.store(d.mmioBase, at: GuestAddress(at))
            try memory.store(d.mmioSize, at: GuestAddress(at + 8))
            try memory.store(UInt32(SV_DEVICE_VIRTIO_MMIO), at: GuestAddress(at + 16))
            try memory.store(d.irq, at: GuestAddress(at + 20))
            try memory.store(d.virtioID, at: GuestAddress(at + 24))
        }
        try memory.store(UInt32(devices.count), at: field(MemoryLayout<B>.offset(of: \.device_count)))
    }

    /// The boot GDT: Linux's layout (HOST.md rule 1). The kernel loads its own right after boot.
    static let gdtEntries: [UInt64] = [
        0,                      // 0x00 null
        0,                      // 0x08 unused
        0x00af_9a00_0000_ffff,  // 0x10 kernel code, 64-bit
        0x00cf_9200_0000_ffff,  // 0x18 kernel data
        0x00cf_fa00_0000_ffff,  // 0x20 user code, 32-bit (selector 0x23)
        0x00cf_f200_0000_ffff,  // 0x28 user data (0x2b)
        0x00af_fa00_0000_ffff,  // 0x30 user code, 64-bit (0x33)
    ]

    static func writeGDT(memory: GuestMemory) throws(GuestMemoryError) {
        for (i, e) in gdtEntries.enumerated() {
            try memory.store(e, at: GuestAddress(UInt64(SV_BOOT_GDT_GPA) + UInt64(i * 8)))
        }
    }

    /// PML4[UInt64(SV_DIRECT_MAP_BASE) >> 39] → one PDPT → four PDs of 2 MiB pages covering [0, 4 GiB).
    /// U=1 at every level: on PVM the kernel cannot touch U=0 pages in native mode (HOST.md rule 6).
    static func writePageTables(memory: GuestMemory) throws(GuestMemoryError) {
        let present: UInt64 = 1, writable: UInt64 = 2, user: UInt64 = 4, large: UInt64 = 0x80
        let pml4 = UInt64(SV_BOOT_PT_GPA), pdpt = pml4 + pageSize, firstPD = pdpt + pageSize
        try memory.fill(at: GuestAddress(pml4), length: 6 * pageSize, with: 0)
        let slot = (UInt64(SV_DIRECT_MAP_BASE) >> 39) & 511
        try memory.store(pdpt | present | writable | user, at: GuestAddress(pml4 + slot * 8))
        for g in 0..<UInt64(4) {
            let pd = firstPD + g * pageSize
            try memory.store(pd | present | writable | user, at: GuestAddress(pdpt + g * 8))
            for i in 0..<UInt64(512) {
                let physical = g << 30 | i << 21
                try memory.store(physical | present | writable | user | large, at: GuestAddress(pd + i * 8))
            }
        }
    }

    static func roundUp(_ v: UInt64, _ to: UInt64) -> UInt64 { (v + to - 1) / to * to }
}
