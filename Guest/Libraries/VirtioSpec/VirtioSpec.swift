// VirtioSpec.swift — the numbers of the virtio 1.2 specification, for both sides of the bus: the
// host's devices (Sources/Virtio) and the guest's driver (Guest/Libraries/VirtioDriver) compile
// this one module by path, as they share ABI. Device IDs (§5), device status bits (§2.1), reserved
// feature bits (§6), the virtio-mmio register map (§4.2.2), InterruptStatus bits, split-virtqueue
// descriptor flags (§2.7.5) and virtio-blk's numbers (§5.2).
//
// A pure-Swift module rather than a C header: these are typed Swift values on both sides (raw-value
// enums, option sets) — a C header's macros import as untyped Int32 and cannot be enum raw values —
// and no C code reads them. It must compile as Embedded Swift (the host build checks that).

/// Virtio device IDs (virtio 1.2 §5). Only the devices swiftvm implements.
public enum VirtioDeviceID: UInt32, Sendable {
    case block = 2
    case console = 3
    case entropy = 4
}

/// The `device status` field (virtio 1.2 §2.1).
public struct DeviceStatus: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let acknowledge = DeviceStatus(rawValue: 1)
    public static let driver = DeviceStatus(rawValue: 2)
    public static let driverOK = DeviceStatus(rawValue: 4)
    public static let featuresOK = DeviceStatus(rawValue: 8)
    public static let deviceNeedsReset = DeviceStatus(rawValue: 64)
    public static let failed = DeviceStatus(rawValue: 128)

    /// Every bit the specification defines.
    public static let all: DeviceStatus = [.acknowledge, .driver, .driverOK, .featuresOK, .deviceNeedsReset, .failed]

    public var description: String {
        var parts: [String] = []
        if contains(.acknowledge) { parts.append("ACKNOWLEDGE") }
        if contains(.driver) { parts.append("DRIVER") }
        if contains(.featuresOK) { parts.append("FEATURES_OK") }
        if contains(.driverOK) { parts.append("DRIVER_OK") }
        if contains(.deviceNeedsReset) { parts.append("DEVICE_NEEDS_RESET") }
        if contains(.failed) { parts.append("FAILED") }
        let unknown = rawValue & ~DeviceStatus.all.rawValue
        if unknown != 0 { parts.append("0x" + String(unknown, radix: 16)) }
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}

/// Device-independent feature bits (virtio 1.2 §6) as masks over the 64-bit feature word.
public enum VirtioFeature {
    /// VIRTIO_F_INDIRECT_DESC (28): descriptors may point to indirect tables (§2.7.5.3).
    public static let indirectDescriptors: UInt64 = 1 << 28
    /// VIRTIO_F_EVENT_IDX (29): used_event / avail_event notification suppression (§2.7.7, §2.7.10).
    public static let eventIndex: UInt64 = 1 << 29
    /// VIRTIO_F_VERSION_1 (32): a modern (non-legacy) device; swiftvm requires it.
    public static let version1: UInt64 = 1 << 32

    /// The bits the transport itself offers for every device.
    public static let transportOffered: UInt64 = indirectDescriptors | eventIndex | version1

    /// Bits a device type may define: 0–23 and 50–63 of the first 64 (virtio 1.2 §2.2). Bits 24–40
    /// belong to the queue/transport, 41–49 are reserved.
    public static let deviceTypeMask: UInt64 = ((1 << 24) - 1) | ~((1 << 50) - 1)
}

/// InterruptStatus / InterruptACK bits (virtio 1.2 §4.2.2).
public struct InterruptStatus: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// "Used Buffer Notification": a buffer was used in at least one queue.
    public static let usedBuffer = InterruptStatus(rawValue: 1)
    /// "Configuration Change Notification" (also raised for DEVICE_NEEDS_RESET, §2.1.2).
    public static let configChange = InterruptStatus(rawValue: 2)
    public static let all: InterruptStatus = [.usedBuffer, .configChange]
}

/// The virtio-mmio version 2 register map (virtio 1.2 §4.2.2, table "MMIO Device Register Layout").
/// Offsets from the window base; all control registers are 32 bits wide.
public enum MMIORegister: UInt64, Sendable {
    case magicValue = 0x000
    case version = 0x004
    case deviceID = 0x008
    case vendorID = 0x00c
    case deviceFeatures = 0x010
    case deviceFeaturesSel = 0x014
    case driverFeatures = 0x020
    case driverFeaturesSel = 0x024
    case queueSel = 0x030
    case queueNumMax = 0x034
    case queueNum = 0x038
    case queueReady = 0x044
    case queueNotify = 0x050
    case interruptStatus = 0x060
    case interruptACK = 0x064
    case status = 0x070
    case queueDescLow = 0x080
    case queueDescHigh = 0x084
    case queueDriverLow = 0x090
    case queueDriverHigh = 0x094
    case queueDeviceLow = 0x0a0
    case queueDeviceHigh = 0x0a4
    case shmSel = 0x0ac
    case shmLenLow = 0x0b0
    case shmLenHigh = 0x0b4
    case shmBaseLow = 0x0b8
    case shmBaseHigh = 0x0bc
    case queueReset = 0x0c0
    case configGeneration = 0x0fc

    /// Device-specific configuration space starts here (§4.2.2 "Config").
    public static let configOffset: UInt64 = 0x100
    /// "virt" little-endian (§4.2.2 MagicValue).
    public static let magic: UInt32 = 0x7472_6976
    /// The modern virtio-mmio version (§4.2.2: "The device MUST return value 0x2").
    public static let modernVersion: UInt32 = 2
}

/// Split-virtqueue descriptor (virtio 1.2 §2.7.5 `struct virtq_desc`): le64 addr, le32 len,
/// le16 flags, le16 next — 16 bytes — and its flags.
public enum VirtqueueDescriptor {
    public static let size = 16
    /// VIRTQ_DESC_F_NEXT: the buffer continues via `next`.
    public static let flagNext: UInt16 = 1
    /// VIRTQ_DESC_F_WRITE: the buffer is device write-only (otherwise device read-only).
    public static let flagWrite: UInt16 = 2
    /// VIRTQ_DESC_F_INDIRECT: the buffer is a table of descriptors (§2.7.5.3).
    public static let flagIndirect: UInt16 = 4
}

/// The block device's numbers (virtio 1.2 §5.2).
public enum VirtioBlock {
    /// Capacity and request sectors are 512 bytes (§5.2.4, §5.2.6), whatever blk_size says.
    public static let sectorSize = 512

    // Feature bits (§5.2.3).
    public static let featureSizeMax: UInt64 = 1 << 1
    public static let featureSegMax: UInt64 = 1 << 2
    public static let featureReadOnly: UInt64 = 1 << 5
    public static let featureBlockSize: UInt64 = 1 << 6
    public static let featureFlush: UInt64 = 1 << 9
    public static let featureDiscard: UInt64 = 1 << 13
    public static let featureWriteZeroes: UInt64 = 1 << 14

    // Request types (§5.2.6).
    public static let typeIn: UInt32 = 0
    public static let typeOut: UInt32 = 1
    public static let typeFlush: UInt32 = 4
    public static let typeGetID: UInt32 = 8
    public static let typeGetLifetime: UInt32 = 10
    public static let typeDiscard: UInt32 = 11
    public static let typeWriteZeroes: UInt32 = 13
    public static let typeSecureErase: UInt32 = 14

    /// `struct virtio_blk_req` header (§5.2.6): le32 type, le32 reserved, le64 sector.
    public static let headerSize = 16
    /// VIRTIO_BLK_T_GET_ID answers a NUL-padded string of up to 20 bytes (§5.2.6).
    public static let idLength = 20
}

/// The request status byte (virtio 1.2 §5.2.6).
public enum BlockStatus: UInt8, Sendable {
    case ok = 0
    /// VIRTIO_BLK_S_IOERR: "device or driver error".
    case ioError = 1
    /// VIRTIO_BLK_S_UNSUPP: a request the device does not support.
    case unsupported = 2
}

/// virtio-console's numbers (virtio 1.2 §5.3), for one port (no MULTIPORT).
public enum VirtioConsole {
    /// §5.3.2: receiveq(port0) and transmitq(port0); the control queues exist only with MULTIPORT.
    public static let receiveQueue = 0
    public static let transmitQueue = 1
    /// VIRTIO_CONSOLE_F_SIZE (0): `cols` and `rows` are valid.
    public static let featureSize: UInt64 = 1 << 0
    /// VIRTIO_CONSOLE_F_MULTIPORT (1).
    public static let featureMultiport: UInt64 = 1 << 1
    /// VIRTIO_CONSOLE_F_EMERG_WRITE (2): `emerg_wr` is valid.
    public static let featureEmergencyWrite: UInt64 = 1 << 2
    /// Offsets in `struct virtio_console_config { le16 cols; le16 rows; le32 max_nr_ports; le32 emerg_wr; }` (§5.3.4).
    public static let columnsOffset = 0
    public static let rowsOffset = 2
    public static let maxPortsOffset = 4
    public static let emergencyWriteOffset = 8
    public static let configSize = 12
}
