// MMIODevice.swift — the driver side of the virtio-mmio transport, version 2 (virtio 1.2 §4.2.2):
// register access, the status handshake (§3.1.1) and queue setup (§4.2.3.2). The numbers (register
// map, status and feature bits) are VirtioSpec's, the same module the host's devices read.
import UserLib
import UserRuntime
import VirtioSpec

public struct MMIODevice {
    public let base: UInt64

    public init(base: UInt64) { self.base = base }

    public func read(_ r: MMIORegister) -> UInt32 { sv_user_mmio_read32(base + r.rawValue) }
    public func write(_ r: MMIORegister, _ v: UInt32) { sv_user_mmio_write32(base + r.rawValue, v) }

    /// Device-specific configuration space starts at 0x100 (§4.2.2).
    public func config32(_ offset: UInt64) -> UInt32 { sv_user_mmio_read32(base + MMIORegister.configOffset + offset) }
    public func config64(_ offset: UInt64) -> UInt64 {
        // §4.2.2.2: a 64-bit field is read as two 32-bit halves, retried if the generation changed.
        while true {
            let generation = read(.configGeneration)
            let value = UInt64(config32(offset)) | UInt64(config32(offset + 4)) << 32
            if read(.configGeneration) == generation { return value }
        }
    }

    /// The first device this process may drive whose type is one of `types` (device_info's
    /// virtio id; 0 — a window whose type the kernel could not read — is probed by mapping it),
    /// mapped: its index and registers. Mapping claims a device (one driver each), so windows known
    /// to be something else are never mapped.
    public static func find(_ type: VirtioDeviceID, probingUnknown: Bool = false) -> (index: Int, device: MMIODevice)? {
        var index = 0
        while let info = System.deviceInfo(index) {
            defer { index += 1 }
            guard info.virtio_id == type.rawValue || (probingUnknown && info.virtio_id == 0) else { continue }
            let base = System.deviceMap(index)
            guard base > 0 else { continue }
            let d = MMIODevice(base: UInt64(base))
            if d.isModernVirtio && d.deviceID == type.rawValue { return (index, d) }
        }
        return nil
    }

    /// Magic "virt", version 2 (modern), and the device id (0: no device behind this window).
    public var isModernVirtio: Bool { read(.magicValue) == MMIORegister.magic && read(.version) == MMIORegister.modernVersion }
    public var deviceID: UInt32 { read(.deviceID) }

    /// §3.1.1 steps 1–6: reset, ACKNOWLEDGE, DRIVER, negotiate `wanted` ∩ offered (VERSION_1
    /// required), FEATURES_OK and check the device kept it. Returns the negotiated features.
    public func negotiate(wanted: UInt64) -> UInt64? {
        write(.status, 0)
        while read(.status) != 0 {}
        write(.status, DeviceStatus.acknowledge.rawValue)
        write(.status, DeviceStatus.acknowledge.rawValue | DeviceStatus.driver.rawValue)
        write(.deviceFeaturesSel, 0)
        var offered = UInt64(read(.deviceFeatures))
        write(.deviceFeaturesSel, 1)
        offered |= UInt64(read(.deviceFeatures)) << 32
        let accepted = offered & (wanted | VirtioFeature.version1)
        guard accepted & VirtioFeature.version1 != 0 else { fail(); return nil }
        write(.driverFeaturesSel, 0)
        write(.driverFeatures, UInt32(truncatingIfNeeded: accepted))
        write(.driverFeaturesSel, 1)
        write(.driverFeatures, UInt32(truncatingIfNeeded: accepted >> 32))
        write(.status, DeviceStatus.acknowledge.rawValue | DeviceStatus.driver.rawValue | DeviceStatus.featuresOK.rawValue)
        guard read(.status) & DeviceStatus.featuresOK.rawValue != 0 else { fail(); return nil }
        return accepted
    }

    /// §4.2.3.2: select queue `index`, check it is free and large enough, give it the rings.
    public func setUpQueue(_ index: UInt32, _ queue: DriverQueue) -> Bool {
        write(.queueSel, index)
        guard read(.queueReady) == 0, read(.queueNumMax) >= UInt32(queue.size) else { return false }
        write(.queueNum, UInt32(queue.size))
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
        write(.status, read(.status) | DeviceStatus.driverOK.rawValue)
    }

    public func fail() { write(.status, read(.status) | DeviceStatus.failed.rawValue) }

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
