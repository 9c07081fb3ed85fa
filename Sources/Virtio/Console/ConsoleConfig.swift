// ConsoleConfig.swift — the console device's numbers (virtio 1.2 §5.3): queues, feature bits and
// the configuration space layout `struct virtio_console_config` (§5.3.4).

public enum ConsoleConfig {
    /// §5.3.2: receiveq(port0) and transmitq(port0); the control queues exist only with MULTIPORT.
    public static let receiveQueue = 0
    public static let transmitQueue = 1
    public static let defaultQueueSize: UInt16 = 256

    /// VIRTIO_CONSOLE_F_SIZE (0): `cols` and `rows` are valid.
    public static let featureSize: UInt64 = 1 << 0
    /// VIRTIO_CONSOLE_F_MULTIPORT (1): not offered — swiftvm's console has one port.
    public static let featureMultiport: UInt64 = 1 << 1
    /// VIRTIO_CONSOLE_F_EMERG_WRITE (2): `emerg_wr` is valid.
    public static let featureEmergencyWrite: UInt64 = 1 << 2

    /// Offsets in `struct virtio_console_config { le16 cols; le16 rows; le32 max_nr_ports; le32 emerg_wr; }`.
    public static let columnsOffset = 0
    public static let rowsOffset = 2
    public static let maxPortsOffset = 4
    public static let emergencyWriteOffset = 8
    public static let size = 12

    /// Host input held for the guest until it posts receive buffers; beyond this, input is dropped.
    public static let defaultInputCapacity = 64 * 1024
    /// Guest output is copied out of a chain in pieces of at most this many bytes…
    public static let outputChunk = 4096
    /// …and handed to the host once per notification, or whenever this much has gathered.
    public static let outputBatch = 64 * 1024

    static func bytes(columns: UInt16, rows: UInt16) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: size)
        b[columnsOffset] = UInt8(truncatingIfNeeded: columns)
        b[columnsOffset + 1] = UInt8(truncatingIfNeeded: columns >> 8)
        b[rowsOffset] = UInt8(truncatingIfNeeded: rows)
        b[rowsOffset + 1] = UInt8(truncatingIfNeeded: rows >> 8)
        b[maxPortsOffset] = 1
        // emerg_wr reads 0: it is a write-only field in practice.
        return b
    }
}
