// ConsoleConfig.swift — the console device's numbers (virtio 1.2 §5.3): queues, feature bits and
// the configuration space layout `struct virtio_console_config` (§5.3.4).

public enum ConsoleConfig {
    // The specification's numbers are VirtioSpec's (shared with the guest's driver).
    public static let receiveQueue = VirtioConsole.receiveQueue
    public static let transmitQueue = VirtioConsole.transmitQueue
    public static let defaultQueueSize: UInt16 = 256
    public static let featureSize = VirtioConsole.featureSize
    public static let featureMultiport = VirtioConsole.featureMultiport
    public static let featureEmergencyWrite = VirtioConsole.featureEmergencyWrite
    public static let columnsOffset = VirtioConsole.columnsOffset
    public static let rowsOffset = VirtioConsole.rowsOffset
    public static let maxPortsOffset = VirtioConsole.maxPortsOffset
    public static let emergencyWriteOffset = VirtioConsole.emergencyWriteOffset
    public static let size = VirtioConsole.configSize

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
