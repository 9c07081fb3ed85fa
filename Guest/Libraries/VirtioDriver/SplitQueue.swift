// SplitQueue.swift — the driver side of a split virtqueue (virtio 1.2 §2.7): descriptor table,
// available ring, used ring in one DMA allocation; chains from a free list; completions read from
// the used ring. Memory ordering per §2.7.13: descriptors and ring entry before the index, the
// index before the notification (barriers in `publish`), the used index before its entries.
import UserRuntime

public struct SplitQueue {
    public struct Buffer {
        public var physical: UInt64
        public var length: UInt32
        /// The device writes it (VIRTQ_DESC_F_WRITE).
        public var deviceWrites: Bool
        public init(physical: UInt64, length: UInt32, deviceWrites: Bool) {
            self.physical = physical
            self.length = length
            self.deviceWrites = deviceWrites
        }
    }

    public let size: UInt16
    let descriptors: UInt64, available: UInt64, used: UInt64
    public let descriptorsPhysical: UInt64, availablePhysical: UInt64, usedPhysical: UInt64
    var freeHead: UInt16 = 0
    public private(set) var freeCount: UInt16
    var nextAvailable: UInt16 = 0
    var lastUsed: UInt16 = 0
    /// Chain length by head, to return the descriptors when the chain completes.
    var chainLengths: [UInt16]

    /// Lays the queue out in `memory` (virtual `address`, physical `physical`, at least
    /// `SplitQueue.bytes(size)` bytes, zeroed). `size` is a power of two (§2.7).
    public init(size: UInt16, address: UInt64, physical: UInt64) {
        precondition(size > 0 && size & (size - 1) == 0)
        self.size = size
        let descBytes = UInt64(size) * 16
        let availBytes = 6 + 2 * UInt64(size)
        descriptors = address
        descriptorsPhysical = physical
        available = address + descBytes
        availablePhysical = physical + descBytes
        let usedOffset = (descBytes + availBytes + 3) & ~3   // used ring: 4-byte aligned (§2.7)
        used = address + usedOffset
        usedPhysical = physical + usedOffset
        freeCount = size
        chainLengths = [UInt16](repeating: 0, count: Int(size))
        for i in 0..<size {   // free list through the `next` fields
            writeDescriptor(i, physical: 0, length: 0, flags: 0, next: i &+ 1)
        }
    }

    public static func bytes(_ size: UInt16) -> Int {
        let front = (UInt64(size) * 16 + 6 + 2 * UInt64(size) + 3) & ~3
        return Int(front + 6 + 8 * UInt64(size))
    }

    static let flagNext: UInt16 = 1, flagWrite: UInt16 = 2

    func writeDescriptor(_ i: UInt16, physical: UInt64, length: UInt32, flags: UInt16, next: UInt16) {
        let d = UnsafeMutableRawPointer(bitPattern: UInt(descriptors + UInt64(i) * 16))!
        d.storeBytes(of: physical, as: UInt64.self)
        d.storeBytes(of: length, toByteOffset: 8, as: UInt32.self)
        d.storeBytes(of: flags, toByteOffset: 12, as: UInt16.self)
        d.storeBytes(of: next, toByteOffset: 14, as: UInt16.self)
    }

    func descriptorNext(_ i: UInt16) -> UInt16 {
        UnsafeRawPointer(bitPattern: UInt(descriptors + UInt64(i) * 16 + 14))!.load(as: UInt16.self)
    }

    /// Puts a chain in the available ring (not yet visible: call `publish`). Nil if the queue lacks
    /// free descriptors.
    public mutating func add(_ buffers: [Buffer]) -> UInt16? {
        add(count: buffers.count) { buffers[$0] }
    }

    /// The same without an array: `buffer(n)` gives the n-th buffer of a chain of `count` (the hot
    /// path of a driver allocates nothing per request).
    public mutating func add(count: Int, _ buffer: (Int) -> Buffer) -> UInt16? {
        guard count > 0, count <= Int(freeCount) else { return nil }
        let head = freeHead
        var i = head
        for n in 0..<count {
            let b = buffer(n)
            let next = descriptorNext(i)
            let last = n == count - 1
            writeDescriptor(i, physical: b.physical, length: b.length,
                            flags: (last ? 0 : SplitQueue.flagNext) | (b.deviceWrites ? SplitQueue.flagWrite : 0),
                            next: last ? 0 : next)
            if last { freeHead = next } else { i = next }
        }
        freeCount -= UInt16(count)
        chainLengths[Int(head)] = UInt16(count)
        sv_user_volatile_write16(available + 4 + 2 * UInt64(nextAvailable % size), head)
        nextAvailable &+= 1
        return head
    }

    /// Makes everything added visible to the device (the index after the entries, §2.7.13).
    public func publish() {
        sv_user_memory_barrier()
        sv_user_volatile_write16(available + 2, nextAvailable)
    }

    /// The next completed chain: its head and the bytes the device wrote. Returns the descriptors.
    public mutating func popUsed() -> (head: UInt16, written: UInt32)? {
        let usedIndex = sv_user_volatile_read16(used + 2)
        guard usedIndex != lastUsed else { return nil }
        sv_user_memory_barrier()
        let entry = used + 4 + 8 * UInt64(lastUsed % size)
        let head = UInt16(truncatingIfNeeded: sv_user_volatile_read32(entry))
        let written = sv_user_volatile_read32(entry + 4)
        lastUsed &+= 1
        guard head < size, chainLengths[Int(head)] > 0 else { return (head, written) }   // device bug: ignore
        // Return the chain to the free list.
        var tail = head
        for _ in 1..<chainLengths[Int(head)] { tail = descriptorNext(tail) }
        let d = UnsafeMutableRawPointer(bitPattern: UInt(descriptors + UInt64(tail) * 16))!
        d.storeBytes(of: freeHead, toByteOffset: 14, as: UInt16.self)
        freeHead = head
        freeCount += chainLengths[Int(head)]
        chainLengths[Int(head)] = 0
        return (head, written)
    }
}
