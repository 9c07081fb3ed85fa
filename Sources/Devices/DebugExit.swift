// DebugExit.swift — the power-off port: a 32-bit OUT to it ends the VM with that exit status
// (port and protocol in Guest/ABI/include/sv_machine.h).

public struct DebugExit {
    public private(set) var exitStatus: UInt32? = nil
    public init() {}

    /// A guest write to the port. Narrower writes are zero-extended, as an OUT of AL/AX would be.
    public mutating func write(value: UInt32) {
        exitStatus = value
    }
}
