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

/// Little-endian single accesses at a byte offset of a checked ring view (READ_ONCE / WRITE_ONCE,
/// and their acquire / release forms). An offset outside the view, or not aligned to the field, is
/// our bug: ring offsets are computed from the validated queue size, and `SplitQueue.activate`
/// checked the ring's own alignment (§2.7.1), so every field here is naturally aligned.
extension UnsafeMutableRawBufferPointer {
    @inline(__always)
    func checkedField(_ offset: Int, size: Int) -> UnsafeMutableRawPointer {
        precondition(offset >= 0 && offset + size <= count, "ring offset \(offset) outside view of \(count) bytes")
        let p = baseAddress! + offset
        precondition(Int(bitPattern: p) % size == 0, "ring field at offset \(offset) not \(size)-byte aligned")
        return p
    }

    @inline(__always)
    func readOnce16(at offset: Int) -> UInt16 {
        // SAFETY: `checkedField` checked bounds and alignment against the view.
        UInt16(littleEndian: cvirtio_load_u16(checkedField(offset, size: 2)))
    }

    /// A read of an index that publishes other entries: later reads see at least what the writer
    /// stored before it (§2.7.13.3).
    @inline(__always)
    func readAcquire16(at offset: Int) -> UInt16 {
        // SAFETY: `checkedField` checked bounds and alignment against the view.
        UInt16(littleEndian: cvirtio_load_acquire_u16(checkedField(offset, size: 2)))
    }

    @inline(__always)
    func writeOnce16(_ value: UInt16, at offset: Int) {
        // SAFETY: `checkedField` checked bounds and alignment against the view.
        cvirtio_store_u16(checkedField(offset, size: 2), value.littleEndian)
    }

    /// A write of an index that publishes entries written before it (§2.7.8.2).
    @inline(__always)
    func writeRelease16(_ value: UInt16, at offset: Int) {
        // SAFETY: `checkedField` checked bounds and alignment against the view.
        cvirtio_store_release_u16(checkedField(offset, size: 2), value.littleEndian)
    }

    @inline(__always)
    func writeOnce32(_ value: UInt32, at offset: Int) {
        // SAFETY: `checkedField` checked bounds and alignment against the view.
        cvirtio_store_u32(checkedField(offset, size: 4), value.littleEndian)
    }
}
