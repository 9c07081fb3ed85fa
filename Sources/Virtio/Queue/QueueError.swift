// QueueError.swift — what can be wrong with a virtqueue, sorted by the reaction it gets: a bad
// queue configuration or a corrupt ring stops the device (DEVICE_NEEDS_RESET); a bad descriptor
// chain costs only that chain (it is returned used with length 0). docs/VIRTIO.md has the table.

/// The driver's queue configuration, checked when it writes 1 to QueueReady (virtio 1.2 §2.7,
/// §4.2.3.2). Reaction: the queue stays not ready and the device sets DEVICE_NEEDS_RESET.
public enum QueueConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The parts of a split virtqueue (virtio 1.2 §2.7 table).
    public enum Area: String, Sendable { case descriptorTable = "descriptor table", availableRing = "available ring", usedRing = "used ring" }

    case sizeZero
    case sizeNotPowerOfTwo(UInt16)
    case sizeAboveMaximum(size: UInt16, maximum: UInt16)
    case misaligned(Area, address: UInt64, alignment: UInt64)
    case outsideGuestMemory(Area, address: UInt64, length: UInt64)

    public var description: String {
        switch self {
        case .sizeZero: return "queue size 0"
        case .sizeNotPowerOfTwo(let s): return "queue size \(s) is not a power of 2 (virtio 1.2 §2.7)"
        case .sizeAboveMaximum(let s, let m): return "queue size \(s) exceeds QueueNumMax \(m) (virtio 1.2 §4.2.2.2)"
        case .misaligned(let a, let addr, let al): return "\(a.rawValue) at 0x\(String(addr, radix: 16)) is not \(al)-byte aligned (virtio 1.2 §2.7.1)"
        case .outsideGuestMemory(let a, let addr, let l): return "\(a.rawValue) [0x\(String(addr, radix: 16)), +\(l)) is outside guest RAM"
        }
    }
}

/// The ring itself cannot be trusted any more. Reaction: DEVICE_NEEDS_RESET, no further buffers are
/// consumed from any queue of the device until the driver resets it.
public enum QueueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// avail `idx` moved by more than the queue size since the device last looked: the driver
    /// either decremented it (§2.7.6.1 forbids it) or exposed more chains than the ring holds.
    case availableIndexJump(seen: UInt16, published: UInt16, size: UInt16)
    /// An available-ring entry names a descriptor outside the table.
    case headOutOfRange(head: UInt16, size: UInt16)

    public var description: String {
        switch self {
        case .availableIndexJump(let s, let p, let n):
            return "avail idx jumped from \(s) to \(p), more than the queue size \(n) (virtio 1.2 §2.7.6.1)"
        case .headOutOfRange(let h, let n): return "available ring names descriptor \(h), queue size \(n)"
        }
    }
}

/// One descriptor chain is malformed (virtio 1.2 §2.7.5, §2.7.5.3, §2.7.4.2). Reaction: the device
/// does not touch the chain's buffers, returns its head in the used ring with length 0 and goes on.
public enum ChainError: Error, Equatable, Sendable, CustomStringConvertible {
    case nextOutOfRange(next: UInt16, tableSize: Int)
    /// More descriptors than the table holds: the chain loops (§2.7.5.2 forbids loops).
    case tooManyDescriptors(limit: Int)
    /// VIRTQ_DESC_F_INDIRECT without VIRTIO_F_INDIRECT_DESC negotiated (§2.7.5.3.1).
    case indirectNotNegotiated
    /// VIRTQ_DESC_F_INDIRECT inside an indirect table (§2.7.5.3.1).
    case nestedIndirect
    /// VIRTQ_DESC_F_INDIRECT together with VIRTQ_DESC_F_NEXT (§2.7.5.3.1).
    case indirectWithNext
    /// An indirect table whose length is 0, not a multiple of 16, or above the supported maximum.
    case badIndirectTableLength(UInt32)
    case indirectTableOutsideGuestMemory(address: UInt64, length: UInt32)
    case bufferOutsideGuestMemory(address: UInt64, length: UInt32)
    /// A device-readable descriptor after a device-writable one (§2.7.4.2).
    case readableAfterWritable
    /// The chain describes more than 2^32 bytes (§2.7.5.2).
    case tooLarge

    public var description: String {
        switch self {
        case .nextOutOfRange(let n, let t): return "next index \(n) outside a table of \(t) descriptors"
        case .tooManyDescriptors(let l): return "chain longer than \(l) descriptors (a loop?)"
        case .indirectNotNegotiated: return "indirect descriptor without VIRTIO_F_INDIRECT_DESC"
        case .nestedIndirect: return "indirect descriptor inside an indirect table"
        case .indirectWithNext: return "descriptor has both INDIRECT and NEXT"
        case .badIndirectTableLength(let l): return "indirect table length \(l) is not a non-zero multiple of 16 within the limit"
        case .indirectTableOutsideGuestMemory(let a, let l): return "indirect table [0x\(String(a, radix: 16)), +\(l)) is outside guest RAM"
        case .bufferOutsideGuestMemory(let a, let l): return "buffer [0x\(String(a, radix: 16)), +\(l)) is outside guest RAM"
        case .readableAfterWritable: return "device-readable descriptor after a device-writable one"
        case .tooLarge: return "chain longer than 4 GiB"
        }
    }
}
