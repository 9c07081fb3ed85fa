// Descriptor.swift — one split-virtqueue descriptor (virtio 1.2 §2.7.5 `struct virtq_desc`) and the
// READ_ONCE/WRITE_ONCE accessors for ring memory the guest changes concurrently.
import CVirtio
import VirtioSpec

/// A descriptor as read (once) from guest memory. The device acts only on this copy, never on a
/// second read of the same guest bytes, so a guest racing its own ring cannot make a checked value
/// differ from a used one.
public struct Descriptor: Equatable, Sendable {
    /// `struct virtq_desc` is 16 bytes: le64 addr, le32 len, le16 flags, le16 next.
    public static let size = VirtqueueDescriptor.size

    /// VIRTQ_DESC_F_NEXT: the buffer continues via `next`.
    public static let flagNext = VirtqueueDescriptor.flagNext
    /// VIRTQ_DESC_F_WRITE: the buffer is device write-only (otherwise device read-only).
    public static let flagWrite = VirtqueueDescriptor.flagWrite
    /// VIRTQ_DESC_F_INDIRECT: the buffer is a table of descriptors (§2.7.5.3).
    public static let flagIndirect = VirtqueueDescriptor.flagIndirect

    public var address: UInt64
    public var length: UInt32
    public var flags: UInt16
    public var next: UInt16

    public init(address: UInt64, length: UInt32, flags: UInt16, next: UInt16) {
        self.address = address
        self.length = length
        self.flags = flags
        self.next = next
    }

    /// Reads descriptor `index` of the table `table` (a checked host view of guest memory).
    init(table: UnsafeMutableRawBufferPointer, index: Int) {
        let offset = index * Descriptor.size
        precondition(offset >= 0 && offset + Descriptor.size <= table.count, "descriptor \(index) outside its table view")
        // SAFETY: the 16 bytes lie inside `table`, a view GuestMemory bounds-checked.
        let p = table.baseAddress! + offset
        address = UInt64(littleEndian: cvirtio_read_u64(p))
        length = UInt32(littleEndian: cvirtio_read_u32(p + 8))
        flags = UInt16(littleEndian: cvirtio_read_u16(p + 12))
        next = UInt16(littleEndian: cvirtio_read_u16(p + 14))
    }

    public var hasNext: Bool { flags & Descriptor.flagNext != 0 }
    public var isWritable: Bool { flags & Descriptor.flagWrite != 0 }
    public var isIndirect: Bool { flags & Descriptor.flagIndirect != 0 }
}

/// Little-endian READ_ONCE / WRITE_ONCE at a byte offset of a checked ring view. An offset outside
/// the view is our bug (ring offsets are computed from the validated queue size).
extension UnsafeMutableRawBufferPointer {
    @inline(__always)
    func readOnce16(at offset: Int) -> UInt16 {
        precondition(offset >= 0 && offset + 2 <= count, "ring offset \(offset) outside view of \(count) bytes")
        // SAFETY: checked just above against the view's bounds.
        return UInt16(littleEndian: cvirtio_read_u16(baseAddress! + offset))
    }

    @inline(__always)
    func writeOnce16(_ value: UInt16, at offset: Int) {
        precondition(offset >= 0 && offset + 2 <= count, "ring offset \(offset) outside view of \(count) bytes")
        // SAFETY: checked just above against the view's bounds.
        cvirtio_write_u16(baseAddress! + offset, value.littleEndian)
    }

    @inline(__always)
    func writeOnce32(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= count, "ring offset \(offset) outside view of \(count) bytes")
        // SAFETY: checked just above against the view's bounds.
        cvirtio_write_u32(baseAddress! + offset, value.littleEndian)
    }
}
