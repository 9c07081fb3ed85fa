// PVH.swift — booting from QEMU (or any PVH loader): turn the Xen PVH start info
// (xen/include/public/arch-x86/hvm/start_info.h) into our boot info. Runs before the heap exists:
// it writes into a static page and allocates nothing.
import ABI
import Arch

/// struct hvm_start_info, version 1 (all fields little-endian).
struct HVMStartInfo {
    static let magic: UInt32 = 0x336e_c578
    // offsets
    static let magicOffset = 0, versionOffset = 4, moduleCountOffset = 12, moduleListOffset = 16
    static let commandLineOffset = 24, memoryMapOffset = 40, memoryMapEntriesOffset = 48
}

public enum PVH {
    static func virtual(_ physical: UInt64) -> UInt64 { physical &+ UInt64(SV_DIRECT_MAP_BASE) }

    /// Fills the static boot-info page from the hvm_start_info at `startInfoAddress` (physical);
    /// returns the boot info's physical address, or nil without a valid start info.
    /// `kernelEnd` is the physical end of the kernel image.
    public static func bootInfo(fromStartInfo startInfoAddress: UInt64, kernelEnd: UInt64) -> UInt64? {
        // SAFETY: the PVH loader passes the physical address of its hvm_start_info in RAM (covered
        // by the boot page tables' direct map); the magic is checked before anything else is read.
        // The boot-info page is entry.S's static page; map entries are bounded by SV_BOOT_MAX_REGIONS.
        let info = UnsafeRawPointer(bitPattern: UInt(virtual(startInfoAddress)))!
        guard info.load(fromByteOffset: HVMStartInfo.magicOffset, as: UInt32.self) == HVMStartInfo.magic else { return nil }
        let boot = UnsafeMutablePointer<sv_boot_info>(bitPattern: UInt(sv_address_of_pvh_boot_info()))!
        boot.pointee = sv_boot_info()
        boot.pointee.magic = SV_BOOT_MAGIC
        boot.pointee.version = UInt32(SV_BOOT_VERSION)
        boot.pointee.size = UInt32(MemoryLayout<sv_boot_info>.size)
        boot.pointee.flags = UInt64(SV_BOOT_FLAG_PVH)
        boot.pointee.kernel_start = UInt64(SV_KERNEL_GPA)
        boot.pointee.kernel_end = kernelEnd

        let commandLine = info.load(fromByteOffset: HVMStartInfo.commandLineOffset, as: UInt64.self)
        if commandLine != 0 {
            let c = UnsafePointer<UInt8>(bitPattern: UInt(virtual(commandLine)))!
            var n: UInt64 = 0
            while n < UInt64(SV_CMDLINE_MAX) - 1 && c[Int(n)] != 0 { n += 1 }
            boot.pointee.cmdline_addr = commandLine
            boot.pointee.cmdline_size = n
        }
        if info.load(fromByteOffset: HVMStartInfo.moduleCountOffset, as: UInt32.self) > 0 {
            // The first module is the initrd (QEMU -initrd): struct hvm_modlist_entry { paddr, size, … }.
            let list = info.load(fromByteOffset: HVMStartInfo.moduleListOffset, as: UInt64.self)
            let module = UnsafeRawPointer(bitPattern: UInt(virtual(list)))!
            boot.pointee.initrd_addr = module.load(as: UInt64.self)
            boot.pointee.initrd_size = module.load(fromByteOffset: 8, as: UInt64.self)
        }
        // The E820-style memory map: struct hvm_memmap_table_entry { addr, size, type (1 = RAM), … }.
        let version = info.load(fromByteOffset: HVMStartInfo.versionOffset, as: UInt32.self)
        let mapAddress = version >= 1 ? info.load(fromByteOffset: HVMStartInfo.memoryMapOffset, as: UInt64.self) : 0
        let entries = version >= 1 ? info.load(fromByteOffset: HVMStartInfo.memoryMapEntriesOffset, as: UInt32.self) : 0
        var count: UInt32 = 0
        withUnsafeMutableBytes(of: &boot.pointee.regions) { regions in
            let map = UnsafeRawPointer(bitPattern: UInt(virtual(mapAddress)))
            for i in 0..<Int(min(entries, UInt32(SV_BOOT_MAX_REGIONS))) {
                guard let map else { break }
                let e = map + i * 24
                let r = sv_mem_region(base: e.load(as: UInt64.self), size: e.load(fromByteOffset: 8, as: UInt64.self),
                                      type: e.load(fromByteOffset: 16, as: UInt32.self) == 1 ? UInt32(SV_MEM_RAM) : UInt32(SV_MEM_RESERVED),
                                      reserved: 0)
                regions.storeBytes(of: r, toByteOffset: i * MemoryLayout<sv_mem_region>.stride, as: sv_mem_region.self)
                count += 1
            }
        }
        boot.pointee.region_count = count
        return UInt64(UInt(bitPattern: boot)) &- UInt64(SV_DIRECT_MAP_BASE)
    }
}
