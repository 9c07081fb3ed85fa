// SplitQueue.swift — the device side of one split virtqueue (virtio 1.2 §2.7): the configuration
// the driver writes through the transport, and the ring walk — pop available chains, push used
// elements, decide whether the driver wants a used buffer notification (§2.7.7, EVENT_IDX), and
// re-arm available buffer notifications (§2.7.10). All 16-bit ring indices wrap at 65536 (§2.7.13.3).
//
// Guest memory layout (virtio 1.2 §2.7, size = queue size, all little-endian):
//
//   descriptor table  16 * size        align 16   struct virtq_desc[size]
//   available ring     6 + 2 * size    align 2    flags | idx | ring[size] | used_event
//   used ring          6 + 8 * size    align 4    flags | idx | {id, len}[size] | avail_event
import CVirtio
import GuestMemory

/// One split virtqueue. A value type owned by the transport (under its lock); devices receive it
/// `inout` while they process a notification.
public struct SplitQueue {
    /// QueueNumMax: the largest size the device accepts.
    public let maxSize: UInt16
    /// QueueNum as written by the driver (the device's maximum until then).
    public internal(set) var size: UInt16
    /// QueueDesc, QueueDriver, QueueDevice (virtio 1.2 §4.2.2).
    public internal(set) var descriptorTable = GuestAddress(0)
    public internal(set) var availableRing = GuestAddress(0)
    public internal(set) var usedRing = GuestAddress(0)
    /// QueueReady: the driver enabled the queue and its configuration passed `activate`.
    public internal(set) var isReady = false

    /// Index into the available ring of the next chain to pop (the device's "last_avail_idx").
    public private(set) var nextAvailable: UInt16 = 0
    /// The used idx the device publishes next.
    public private(set) var nextUsed: UInt16 = 0

    var eventIndex = false
    var indirect = false
    var memory: GuestMemory?
    var descriptors = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var available = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var used = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    /// The avail idx last read from guest memory (chains up to it are known to be published).
    var publishedAvailable: UInt16 = 0
    /// Used idx at the last notification decision ("signalled_used" in Linux vhost).
    var usedAtLastDecision: UInt16 = 0

    public init(maxSize: UInt16) {
        precondition(maxSize > 0 && maxSize.nonzeroBitCount == 1 && maxSize <= 32768,
                     "queue maximum \(maxSize) must be a power of 2 up to 32768 (virtio 1.2 §2.7)")
        self.maxSize = maxSize
        self.size = maxSize
    }

    /// Back to the state after device reset (§2.4): not ready, default size, addresses 0.
    mutating func reset() {
        self = SplitQueue(maxSize: maxSize)
    }

    /// Checks the driver's configuration and maps the three areas (QueueReady = 1).
    mutating func activate(memory: GuestMemory, features: UInt64) throws(QueueConfigError) {
        guard size != 0 else { throw .sizeZero }
        guard size.nonzeroBitCount == 1 else { throw .sizeNotPowerOfTwo(size) }
        guard size <= maxSize else { throw .sizeAboveMaximum(size: size, maximum: maxSize) }
        let n = UInt64(size)
        func area(_ which: QueueConfigError.Area, _ address: GuestAddress, length: UInt64, alignment: UInt64)
            throws(QueueConfigError) -> UnsafeMutableRawBufferPointer {
            // §2.7.1: each part aligned as the table says. (We rely on it for single-instruction
            // idx accesses.)
            guard address.value % alignment == 0 else { throw .misaligned(which, address: address.value, alignment: alignment) }
            guard let view = try? memory.bytes(at: address, length: length) else {
                throw .outsideGuestMemory(which, address: address.value, length: length)
            }
            return view
        }
        descriptors = try area(.descriptorTable, descriptorTable, length: 16 * n, alignment: 16)
        available = try area(.availableRing, availableRing, length: 6 + 2 * n, alignment: 2)
        used = try area(.usedRing, usedRing, length: 6 + 8 * n, alignment: 4)
        self.memory = memory
        eventIndex = features & VirtioFeature.eventIndex != 0
        indirect = features & VirtioFeature.indirectDescriptors != 0
        nextAvailable = 0
        nextUsed = 0
        publishedAvailable = 0
        usedAtLastDecision = 0
        isReady = true
    }

    /// The driver wrote 0 to QueueReady: stop using the queue.
    mutating func deactivate() {
        isReady = false
        memory = nil
    }

    // MARK: - Ring offsets (§2.7.6, §2.7.8)

    var usedEventOffset: Int { 4 + 2 * Int(size) }   // in the available ring
    var availEventOffset: Int { 4 + 8 * Int(size) }  // in the used ring

    // MARK: - Consuming available buffers

    /// A chain taken from the available ring.
    public enum Popped {
        /// A valid chain for the device to serve.
        case chain(DescriptorChain)
        /// A malformed chain: the device must return `head` as used with length 0 and not touch it.
        case malformed(head: UInt16, ChainError)
    }

    /// Whether the driver has published chains the device has not popped yet.
    public mutating func hasAvailable() -> Bool {
        guard isReady else { return false }
        if publishedAvailable == nextAvailable { refreshPublished() }
        return publishedAvailable != nextAvailable
    }

    private mutating func refreshPublished() {
        // §2.7.13.3: the driver exposes descriptors and ring entries before idx; read them after
        // it (an acquire load: smp_rmb in Linux's vhost).
        publishedAvailable = available.readAcquire16(at: 2)
    }

    /// Pops the next available chain, or nil if there is none.
    ///
    /// Throws when the ring itself is corrupt (an avail idx jump, a head outside the table): the
    /// caller must stop the device (DEVICE_NEEDS_RESET). A malformed chain is not an error here:
    /// it comes back as `.malformed` and costs only itself.
    public mutating func pop() throws(QueueError) -> Popped? {
        guard isReady, let memory else { return nil }
        if publishedAvailable == nextAvailable { refreshPublished() }
        let pending = publishedAvailable &- nextAvailable
        if pending == 0 { return nil }
        // A well-behaved driver never has more than `size` chains outstanding (§2.7.13: the ring is
        // as large as the table). Anything else is a decremented or garbage idx: the device cannot
        // tell which entries are real, so it stops rather than spin over 65535 stale entries.
        guard pending <= size else {
            throw .availableIndexJump(seen: nextAvailable, published: publishedAvailable, size: size)
        }
        let slot = Int(nextAvailable & (size - 1))
        let head = available.readOnce16(at: 4 + 2 * slot)
        nextAvailable &+= 1
        guard head < size else { throw .headOutOfRange(head: head, size: size) }
        do {
            let chain = try DescriptorChain.walk(head: head, table: descriptors, tableSize: Int(size),
                                                 memory: memory, indirectAllowed: indirect)
            return .chain(chain)
        } catch {
            return .malformed(head: head, error)
        }
    }

    // MARK: - Returning used buffers

    /// Puts `head` into the used ring with `length` bytes written and publishes the new used idx:
    /// element first, then idx (§2.7.8.2 "The device MUST set len prior to updating the used idx").
    public mutating func addUsed(head: UInt16, length: UInt32) {
        precondition(isReady, "addUsed on a queue that is not ready")
        let slot = Int(nextUsed & (size - 1))
        used.writeOnce32(UInt32(head), at: 4 + 8 * slot)
        used.writeOnce32(length, at: 8 + 8 * slot)
        nextUsed &+= 1
        // A release store: the element is visible before the idx that publishes it (smp_wmb).
        used.writeRelease16(nextUsed, at: 2)
    }

    /// Whether the driver wants a used buffer notification for the elements added since the last
    /// call (virtio 1.2 §2.7.7.2). With EVENT_IDX: iff used_event lies in [old, new) modulo 2^16,
    /// the kernel's `vring_need_event`; without: iff the avail flags lack VIRTQ_AVAIL_F_NO_INTERRUPT.
    public mutating func needsNotification() -> Bool {
        guard isReady else { return false }
        let new = nextUsed
        let old = usedAtLastDecision
        usedAtLastDecision = new
        if new == old { return false }
        // The used idx store must be visible before we read the driver's suppression state, or a
        // driver that just re-enabled interrupts could miss this notification.
        cvirtio_fence_full()
        if eventIndex {
            let usedEvent = available.readOnce16(at: usedEventOffset)
            return new &- usedEvent &- 1 < new &- old
        }
        return available.readOnce16(at: 0) & 1 == 0
    }

    /// Asks the driver to notify for the next chain it publishes (§2.7.10: with EVENT_IDX, write
    /// avail_event = the next index we will look at; without, the used flags stay 0), then re-reads
    /// avail idx. Returns true if chains were published meanwhile: the caller must keep popping,
    /// because the driver may have checked avail_event before our write and not notified.
    public mutating func armNotification() -> Bool {
        guard isReady else { return false }
        if eventIndex {
            used.writeOnce16(nextAvailable, at: availEventOffset)
            cvirtio_fence_full()
        }
        refreshPublished()
        return publishedAvailable != nextAvailable
    }
}
