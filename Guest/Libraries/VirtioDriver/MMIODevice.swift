// MMIODevice.swift — the driver side of the virtio-mmio transport, version 2 (virtio 1.2 §4.2.2):
// register access, the status handshake (§3.1.1) and queue setup (§4.2.3.2).
import UserRuntime

public struct MMIODevice {
    /// Register offsets (virtio 1.2 §4.2.2, Table 4.1).
    public enum Register: UInt64 {
        case magic = 0x000, version = 0x004, deviceID = 0x008, vendorID = 0x00c
        case deviceFeatures = 0x010, deviceFeaturesSelect = 0x014
        case driverFeatures = 0x020, driverFeaturesSelect = 0x024
        case queueSelect = 0x030, queueSizeMax = 0x034, queueSize = 0x038, queueReady = 0x044
        case queueNotify = 0x050, interruptStatus = 0x060, interruptACK = 0x064, status = 0x070
        case queueDescLow = 0x080, queueDescHigh = 0x084, queueDriverLow = 0x090, queueDriverHigh = 0x094
        case queueDeviceLow = 0x0a0, queueDeviceHigh = 0x0a4, configGeneration = 0x0fc
    }
    /// Device status bits (§2.1).
    public static let acknowledge: UInt32 = 1, driver: UInt32 = 2, driverOK: UInt32 = 4
    public static let featuresOK: UInt32 = 8, deviceNeedsReset: UInt32 = 64, failed: UInt32 = 128
    /// VIRTIO_F_VERSION_1 (§6): feature bit 32.
    public static let featureVersion1: UInt64 = 1 << 32

    public let base: UInt64

    public init(base: UInt64) { self.base = base }

    public func read(_ r: Register) -> UInt32 { sv_user_mmio_read32(base + r.rawValue) }
    public func write(_ r: Register, _ v: UInt32) { sv_user_mmio_write32(base + r.rawValue, v) }

    /// Device-specific configuration space starts at 0x100 (§4.2.2).
    public func config32(_ offset: UInt64) -> UInt32 { sv_user_mmio_read32(base + 0x100 + offset) }
    public func config64(_ offset: UInt64) -> UInt64 {
        // §4.2.2.2: a 64-bit field is read as two 32-bit halves, retried if the generation changed.
        while true {
            let generation = read(.configGeneration)
            let value = UInt64(config32(offset)) | UInt64(config32(offset + 4)) << 32
            if read(.configGeneration) == generation { return value }
        }
    }

    /// Magic "virt", version 2 (modern), and the device id (0: no device behind this window).
    public var isModernVirtio: Bool { read(.magic) == 0x7472_6976 && read(.version) == 2 }
    public var deviceID: UInt32 { read(.deviceID) }

    /// §3.1.1 steps 1–6: reset, ACKNOWLEDGE, DRIVER, negotiate `wanted` ∩ offered (VERSION_1
    /// required), FEATURES_OK and check the device kept it. Returns the negotiated features.
    public func negotiate(wanted: UInt64) -> UInt64? {
        write(.status, 0)
        while read(.status) != 0 {}
        write(.status, MMIODevice.acknowledge)
        write(.status, MMIODevice.acknowledge | MMIODevice.driver)
        write(.deviceFeaturesSelect, 0)
        var offered = UInt64(read(.deviceFeatures))
        write(.deviceFeaturesSelect, 1)
        offered |= UInt64(read(.deviceFeatures)) << 32
        let accepted = offered & (wanted | MMIODevice.featureVersion1)
        guard accepted & MMIODevice.featureVersion1 != 0 else { fail(); return nil }
        write(.driverFeaturesSelect, 0)
        write(.driverFeatures, UInt32(truncatingIfNeeded: accepted))
        write(.driverFeaturesSelect, 1)
        write(.driverFeatures, UInt32(truncatingIfNeeded: accepted >> 32))
        write(.status, MMIODevice.acknowledge | MMIODevice.driver | MMIODevice.featuresOK)
        guard read(.status) & MMIODevice.featuresOK != 0 else { fail(); return nil }
        return accepted
    }

    /// §4.2.3.2: select queue `index`, check it is free and large enough, give it the rings.
    public func setUpQueue(_ index: UInt32, _ queue: SplitQueue) -> Bool {
        write(.queueSelect, index)
        guard read(.queueReady) == 0, read(.queueSizeMax) >= UInt32(queue.size) else { return false }
        write(.queueSize, UInt32(queue.size))
        write(.queueDescLow, UInt32(truncatingIfNeeded: queue.descriptorsPhysical))
        write(.queueDescHigh, UInt32(truncatingIfNeeded: queue.descriptorsPhysical >> 32))
        write(.queueDriverLow, UInt32(truncatingIfNeeded: queue.availablePhysical))
        write(.queueDriverHigh, UInt32(truncatingIfNeeded: queue.availablePhysical >> 32))
        write(.queueDeviceLow, UInt32(truncatingIfNeeded: queue.usedPhysical))
        write(.queueDeviceHigh, UInt32(truncatingIfNeeded: queue.usedPhysical >> 32))
        write(.queueReady, 1)
        return true
    }

    public func driverReady() {
        write(.status, read(.status) | MMIODevice.driverOK)
    }

    public func fail() { write(.status, read(.status) | MMIODevice.failed) }

    /// Reads and acknowledges the interrupt causes (§4.2.2: InterruptStatus, InterruptACK).
    public func acknowledgeInterrupt() -> UInt32 {
        let status = read(.interruptStatus)
        if status != 0 { write(.interruptACK, status) }
        return status
    }

    public func notify(queue: UInt32) {
        sv_user_memory_barrier()
        write(.queueNotify, queue)
    }
}
