// DriverQueue.swift — the driver side of a split virtqueue (virtio 1.2 §2.7; the host's device side
// is Virtio's SplitQueue): descriptor table, available ring, used ring in one DMA allocation; chains from a free list; completions read from
// the used ring. The rings' indices and entries go through the runtime's volatile accessors (the
// device changes them behind the compiler; `available`/`used` are addresses inside `ring`, laid out
// by init). Memory ordering per §2.7.13: descriptors and ring entry before the index, the
// index before the notification (barriers in `publish`), the used index before its entries.
import UserRuntime
import VirtioSpec

public struct DriverQueue {
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
    /// The ring memory; the descriptor table is at its start.
    let ring: DMABuffer
    let available: UInt64, used: UInt64
    public let descriptorsPhysical: UInt64, availablePhysical: UInt64, usedPhysical: UInt64
    var freeHead: UInt16 = 0
    public private(set) var freeCount: UInt16
    var nextAvailable: UInt16 = 0
    var lastUsed: UInt16 = 0
    /// Chain length by head, to return the descriptors when the chain completes.
    var chainLengths: [UInt16]

    /// Lays the queue out in `memory` (at least `DriverQueue.bytes(size)` bytes, zeroed). `size` is
    /// a power of two (§2.7).
    public init(size: UInt16, memory: DMABuffer) {
        precondition(size > 0 && size & (size - 1) == 0 && memory.count >= DriverQueue.bytes(size))
        let address = memory.address, physical = memory.physical
        self.size = size
        let descBytes = UInt64(size) * UInt64(VirtqueueDescriptor.size)
        let availBytes = 6 + 2 * UInt64(size)
        ring = memory
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
        let front = (UInt64(size) * UInt64(VirtqueueDescriptor.size) + 6 + 2 * UInt64(size) + 3) & ~3
        return Int(front + 6 + 8 * UInt64(size))
    }

    /// `struct virtq_desc` (§2.7.5): le64 addr, le32 len, le16 flags, le16 next.
    func writeDescriptor(_ i: UInt16, physical: UInt64, length: UInt32, flags: UInt16, next: UInt16) {
        let d = Int(i) * VirtqueueDescriptor.size
        ring.store(physical, at: d)
        ring.store(length, at: d + 8)
        ring.store(flags, at: d + 12)
        ring.store(next, at: d + 14)
    }

    func descriptorNext(_ i: UInt16) -> UInt16 { ring.load(UInt16.self, at: Int(i) * VirtqueueDescriptor.size + 14) }

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
                            flags: (last ? 0 : VirtqueueDescriptor.flagNext) | (b.deviceWrites ? VirtqueueDescriptor.flagWrite : 0),
                            next: last ? 0 : next)
            if last { freeHead = next } else { i = next }
        }
        freeCount -= UInt16(count)
        chainLengths[Int(head)] = UInt16(count)
        sv_user_volatile_write16(available + 4 + 2 * UInt64(nextAvailable % size), head)
        nextAvailable &+= 1
        return head
    }

    /// Asks the device not to interrupt for this queue's used buffers (VIRTQ_AVAIL_F_NO_INTERRUPT,
    /// §2.7.7 — only a hint without EVENT_IDX): for a queue the driver reclaims by polling.
    public func suppressInterrupts() { sv_user_volatile_write16(available, 1) }

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
        ring.store(freeHead, at: Int(tail) * VirtqueueDescriptor.size + 14)
        freeHead = head
        freeCount += chainLengths[Int(head)]
        chainLengths[Int(head)] = 0
        return (head, written)
    }
}
