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
        // SAFETY: the VMM (or PVH.bootInfo) put a whole sv_boot_info at `address` in RAM, which the
        // direct map covers; its magic and version are checked before any other field is used.
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
            // SAFETY: cmdline_addr/size come from the boot info and are bounded by SV_CMDLINE_MAX.
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

    /// Devices named on the command line in Linux's syntax (Documentation/admin-guide/
    /// kernel-parameters.txt, virtio_mmio.device): `virtio_mmio.device=<size>@<base>:<irq>[:<id>]`,
    /// size decimal with an optional K/M suffix, base hex (0x…) or decimal. QEMU's microvm passes its
    /// virtio-mmio devices this way; the swiftvm VMM writes them there too. Malformed entries are
    /// reported and skipped.
    func commandLineDevices() -> [DeviceDescription] {
        var result: [DeviceDescription] = []
        let prefix = Array("virtio_mmio.device=".utf8)
        for word in commandLine.split(separator: UInt8(ascii: " ")) {
            let w = Array(word)
            guard w.count > prefix.count, Array(w[0..<prefix.count]) == prefix else { continue }
            let spec = Array(w[prefix.count...])
            guard let at = spec.firstIndex(of: UInt8(ascii: "@")),
                  let size = BootInfo.parseNumber(Array(spec[0..<at])) else { log("bad virtio_mmio.device entry"); continue }
            let rest = spec[(at + 1)...].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { Array($0) }
            guard rest.count >= 2, let base = BootInfo.parseNumber(rest[0]), let irq = BootInfo.parseNumber(rest[1]),
                  irq < 256, size > 0 else { log("bad virtio_mmio.device entry"); continue }
            // The device id is read from the device itself (virtio-mmio DeviceID register).
            result.append(DeviceDescription(mmioBase: base, mmioSize: size, irq: UInt32(irq), virtioID: 0))
        }
        return result
    }

    /// Decimal or 0x-hex, with an optional K/M/G suffix.
    static func parseNumber(_ text: [UInt8]) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var digits = text[...]
        var scale: UInt64 = 1
        switch digits.last! {
        case UInt8(ascii: "K"), UInt8(ascii: "k"): scale = 1 << 10; digits = digits.dropLast()
        case UInt8(ascii: "M"), UInt8(ascii: "m"): scale = 1 << 20; digits = digits.dropLast()
        case UInt8(ascii: "G"), UInt8(ascii: "g"): scale = 1 << 30; digits = digits.dropLast()
        default: break
        }
        var radix: UInt64 = 10
        if digits.count > 2, digits[digits.startIndex] == UInt8(ascii: "0"),
           digits[digits.startIndex + 1] == UInt8(ascii: "x") || digits[digits.startIndex + 1] == UInt8(ascii: "X") {
            radix = 16
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for c in digits {
            let d: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: d = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: d = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            value = a
        }
        let (scaled, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : scaled
    }

    /// The words after `--`: arguments for init (as on Linux).
    var initArguments: [[UInt8]] {
        let words = commandLine.split(separator: UInt8(ascii: " ")).map { Array($0) }
        guard let dashes = words.firstIndex(of: Array("--".utf8)) else { return [] }
        return Array(words[(dashes + 1)...])
    }

    /// The value of `key=value` on the command line, if present (before any `--`).
    func option(_ key: StaticString) -> [UInt8]? {
        var k: [UInt8] = []
        key.withUTF8Buffer { k.append(contentsOf: $0) }
        for word in commandLine.split(separator: UInt8(ascii: " ")) {
            let w = Array(word)
            if w == Array("--".utf8) { break }
            if w.count > k.count, w[k.count] == UInt8(ascii: "="), Array(w[0..<k.count]) == k {
                return Array(w[(k.count + 1)...])
            }
            if w == k { return [] }
        }
        return nil
    }
}
