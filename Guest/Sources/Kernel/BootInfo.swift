// BootInfo.swift — the boot information (sv_boot.h), read once through the direct map and
// checked: a kernel booted with garbage stops with a clear message.
import ABI

struct MemoryRegion {
    var base: UInt64
    var size: UInt64
    var type: UInt32
}

struct DeviceDescription {
    var mmioBase: UInt64
    var mmioSize: UInt64
    var irq: UInt32
    var virtioID: UInt32
}

struct BootInfo {
    var flags: UInt64
    var tscKHz: UInt64
    var commandLine: [UInt8]
    var initrdAddress: UInt64
    var initrdSize: UInt64
    var kernelEnd: UInt64
    var regions: [MemoryRegion]
    var devices: [DeviceDescription]

    /// The raw structure at guest-physical `address`, checked without allocating (the heap does
    /// not exist yet when this runs).
    static func raw(physical address: UInt64) -> UnsafePointer<sv_boot_info> {
        let p = UnsafePointer<sv_boot_info>(bitPattern: UInt(UInt64(SV_DIRECT_MAP_BASE) + address))!
        guard p.pointee.magic == SV_BOOT_MAGIC, p.pointee.version == UInt32(SV_BOOT_VERSION) else {
            Console.write("[kernel] PANIC: bad boot info magic or version\n")
            Power.off(status: panicExitStatus)
        }
        return p
    }

    /// Copies the structure into Swift values (needs the heap).
    init(_ raw: UnsafePointer<sv_boot_info>) {
        let info = raw.pointee
        flags = info.flags
        tscKHz = info.tsc_khz
        initrdAddress = info.initrd_addr
        initrdSize = info.initrd_size
        kernelEnd = info.kernel_end
        var line: [UInt8] = []
        if info.cmdline_addr != 0 {
            let c = UnsafePointer<UInt8>(bitPattern: UInt(UInt64(SV_DIRECT_MAP_BASE) + info.cmdline_addr))!
            var i = 0
            while i < Int(min(info.cmdline_size, UInt64(SV_CMDLINE_MAX))) && c[i] != 0 { line.append(c[i]); i += 1 }
        }
        commandLine = line
        regions = []
        devices = []
        withUnsafeBytes(of: info.regions) { raw in
            for i in 0..<Int(min(info.region_count, UInt32(SV_BOOT_MAX_REGIONS))) {
                let r = raw.load(fromByteOffset: i * MemoryLayout<sv_mem_region>.stride, as: sv_mem_region.self)
                regions.append(MemoryRegion(base: r.base, size: r.size, type: r.type))
            }
        }
        withUnsafeBytes(of: info.devices) { raw in
            for i in 0..<Int(min(info.device_count, UInt32(SV_BOOT_MAX_DEVICES))) {
                let d = raw.load(fromByteOffset: i * MemoryLayout<sv_device>.stride, as: sv_device.self)
                devices.append(DeviceDescription(mmioBase: d.mmio_base, mmioSize: d.mmio_size, irq: d.irq, virtioID: d.virtio_id))
            }
        }
    }

    /// The value of `key=value` on the command line, if present.
    func option(_ key: StaticString) -> [UInt8]? {
        var k: [UInt8] = []
        key.withUTF8Buffer { k.append(contentsOf: $0) }
        for word in commandLine.split(separator: UInt8(ascii: " ")) {
            let w = Array(word)
            if w.count > k.count, w[k.count] == UInt8(ascii: "="), Array(w[0..<k.count]) == k {
                return Array(w[(k.count + 1)...])
            }
            if w == k { return [] }
        }
        return nil
    }
}
