// DebugExit.swift — the power-off port: a 32-bit OUT to it ends the VM with that exit status
// (port and protocol in Guest/ABI/include/sv_machine.h). Nothing to keep: the write is the end.

public enum DebugExit {
    /// The exit status a guest write of `bytes` (the OUT's data, little-endian) asks for. Narrower
    /// writes are zero-extended, as an OUT of AL/AX would be.
    public static func status(written bytes: some Collection<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for (i, byte) in bytes.prefix(4).enumerated() { value |= UInt32(byte) << (8 * UInt32(i)) }
        return value
    }
}
