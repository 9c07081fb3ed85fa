// MockDriver.swift — the driver side of a virtio-mmio device, for tests: it owns fake guest RAM,
// talks to an `MMIOTransport` only through its registers (as a guest would), negotiates features,
// lays out split rings and hands out buffers. rust-vmm's virtio-queue `mock.rs` is the model.
import GuestMemory
import HostSupport
import Synchronization
import Virtio

/// An `InterruptLine` that counts its signals.
public final class CountingInterrupt: InterruptLine {
    let count = Atomic<Int>(0)
    public init() {}
    public func signal() { count.add(1, ordering: .relaxed) }
    public var signals: Int { count.load(ordering: .relaxed) }
}

/// Collects every line a `DeviceLog` prints.
public final class LogCollector: Sendable {
    let lines = PthreadLocked<[String]>([])
    public init() {}
    public var sink: DeviceLog.Sink { { line in self.lines.withLock { $0.append(line) } } }
    public var all: [String] { lines.withLock { $0 } }
    public func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// A guest driver for one device: RAM, a bump allocator, and register access.
public final class MockDriver {
    public let memory: GuestMemory
    public let transport: MMIOTransport
    public let interrupt = CountingInterrupt()
    public let logLines = LogCollector()
    public let log: DeviceLog
    var nextFree: UInt64

    /// - Parameters:
    ///   - memorySize: guest RAM size (allocation starts at 4 KiB, so address 0 stays unused).
    ///   - queueNotifier: passed to the transport; nil serves notifications synchronously.
    ///   - interrupt: the device's interrupt line; by default `self.interrupt`, which counts.
    public init(device: any VirtioDevice, memorySize: UInt64 = 1 << 20,
                queueNotifier: (@Sendable (Int) -> Void)? = nil, interrupt line: (any InterruptLine)? = nil) throws {
        memory = try GuestMemory(size: memorySize)
        log = DeviceLog(label: "test-\(device.deviceID)", burst: 10_000, sink: logLines.sink)
        transport = MMIOTransport(device: device, memory: memory, interrupt: line ?? interrupt,
                                  queueNotifier: queueNotifier, log: log)
        nextFree = 0x1000
    }

    /// A driver for a transport built elsewhere (e.g. by `VirtioBus`). Its guest RAM is the
    /// transport's; allocation starts at `allocationStart` so several drivers can share that RAM.
    /// `interrupt` and `logLines` are not connected in this case.
    public init(attachingTo transport: MMIOTransport, allocationStart: UInt64 = 0x1000) {
        self.transport = transport
        memory = transport.memory
        log = transport.log
        nextFree = allocationStart
    }

    // MARK: Registers

    public func read(_ register: MMIORegister) -> UInt32 {
        UInt32(truncatingIfNeeded: transport.read(offset: register.rawValue, size: 4))
    }

    public func write(_ register: MMIORegister, _ value: UInt32) {
        transport.write(offset: register.rawValue, size: 4, value: UInt64(value))
    }

    public var status: DeviceStatus { DeviceStatus(rawValue: read(.status)) }
    public var guestErrors: Int { log.guestErrorCount }

    /// Reads `size` bytes of the configuration space at `offset`.
    public func readConfig(_ offset: UInt64, size: Int) -> UInt64 {
        transport.read(offset: MMIORegister.configOffset + offset, size: size)
    }

    public var deviceFeatures: UInt64 {
        write(.deviceFeaturesSel, 0)
        let low = UInt64(read(.deviceFeatures))
        write(.deviceFeaturesSel, 1)
        return UInt64(read(.deviceFeatures)) << 32 | low
    }

    public func writeDriverFeatures(_ features: UInt64) {
        write(.driverFeaturesSel, 0)
        write(.driverFeatures, UInt32(truncatingIfNeeded: features))
        write(.driverFeaturesSel, 1)
        write(.driverFeatures, UInt32(truncatingIfNeeded: features >> 32))
    }

    /// Sets `bits` in the status register the way drivers do (read, or, write).
    public func addStatus(_ bits: DeviceStatus) {
        write(.status, status.union(bits).rawValue)
    }

    /// virtio 1.2 §3.1.1 steps 1–6: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, re-read.
    /// `accept` defaults to everything offered. Returns whether FEATURES_OK stuck.
    @discardableResult
    public func negotiate(accept: UInt64? = nil) -> Bool {
        write(.status, 0)
        addStatus(.acknowledge)
        addStatus(.driver)
        writeDriverFeatures(accept ?? deviceFeatures)
        addStatus(.featuresOK)
        return status.contains(.featuresOK)
    }

    /// Sets DRIVER_OK (§3.1.1 step 8).
    public func driverOK() { addStatus(.driverOK) }

    /// Negotiates, sets up every queue with its maximum size (or `queueSize`) and sets DRIVER_OK.
    public func initialize(accept: UInt64? = nil, queueSize: UInt16? = nil) -> [DriverQueue] {
        precondition(negotiate(accept: accept), "feature negotiation failed")
        let queues = (0 ..< transport.queueCount).map { setUpQueue($0, size: queueSize) }
        driverOK()
        return queues
    }

    // MARK: Memory

    /// Allocates zeroed guest memory.
    public func allocate(_ length: Int, alignment: UInt64 = 16) -> GuestAddress {
        let start = (nextFree + alignment - 1) / alignment * alignment
        nextFree = start + UInt64(max(length, 1))
        precondition(nextFree <= memory.size, "mock guest RAM exhausted")
        return GuestAddress(start)
    }

    /// A device-readable buffer holding `bytes`.
    public func readable(_ bytes: [UInt8]) -> DriverQueue.Buffer {
        let a = allocate(bytes.count)
        try! memory.write(at: a, bytes: bytes)
        return DriverQueue.Buffer(address: a, length: UInt32(bytes.count), writable: false)
    }

    /// A device-writable buffer of `length` bytes, pre-filled with `fill`.
    public func writable(_ length: Int, fill: UInt8 = 0xee) -> DriverQueue.Buffer {
        let a = allocate(length)
        try! memory.fill(at: a, length: UInt64(length), with: fill)
        return DriverQueue.Buffer(address: a, length: UInt32(length), writable: true)
    }

    public func bytes(of buffer: DriverQueue.Buffer) -> [UInt8] {
        try! memory.read(at: buffer.address, count: Int(buffer.length))
    }

    /// Allocates and enables queue `index` (§4.2.3.2). Traps if the queue does not exist: tests that
    /// want a refusal drive the registers themselves.
    public func setUpQueue(_ index: Int, size: UInt16? = nil) -> DriverQueue {
        write(.queueSel, UInt32(index))
        precondition(read(.queueReady) == 0, "queue \(index) already in use")
        let max = UInt16(read(.queueNumMax))
        precondition(max > 0, "queue \(index) not available")
        let n = size ?? max
        let q = DriverQueue(driver: self, index: index, size: n)
        write(.queueNum, UInt32(n))
        q.configure()
        write(.queueReady, 1)
        return q
    }
}

/// The driver's view of one split virtqueue in mock guest RAM.
public final class DriverQueue {
    public struct Buffer: Sendable {
        public let address: GuestAddress
        public let length: UInt32
        public let writable: Bool
        public init(address: GuestAddress, length: UInt32, writable: Bool) {
            self.address = address
            self.length = length
            self.writable = writable
        }
    }

    public struct Used: Equatable, Sendable {
        public let id: UInt32
        public let length: UInt32
        public init(id: UInt32, length: UInt32) {
            self.id = id
            self.length = length
        }
    }

    public unowned let driver: MockDriver
    public let index: Int
    public let size: UInt16
    public let descriptorTable: GuestAddress
    public let availableRing: GuestAddress
    public let usedRing: GuestAddress
    /// The driver's avail idx (published with `publish`).
    public var availableIndex: UInt16 = 0
    /// Next used idx the driver has not looked at.
    public var lastSeenUsed: UInt16 = 0
    var nextDescriptor: UInt16 = 0

    init(driver: MockDriver, index: Int, size: UInt16) {
        self.driver = driver
        self.index = index
        self.size = size
        let n = Int(max(size, 1))
        descriptorTable = driver.allocate(16 * n, alignment: 16)
        availableRing = driver.allocate(6 + 2 * n, alignment: 2)
        usedRing = driver.allocate(6 + 8 * n, alignment: 4)
    }

    /// Writes the three area addresses of the selected queue.
    func configure() {
        func pair(_ low: MMIORegister, _ high: MMIORegister, _ a: GuestAddress) {
            driver.write(low, UInt32(truncatingIfNeeded: a.value))
            driver.write(high, UInt32(truncatingIfNeeded: a.value >> 32))
        }
        pair(.queueDescLow, .queueDescHigh, descriptorTable)
        pair(.queueDriverLow, .queueDriverHigh, availableRing)
        pair(.queueDeviceLow, .queueDeviceHigh, usedRing)
    }

    var memory: GuestMemory { driver.memory }

    // MARK: Descriptors

    /// Writes descriptor `i` of the table at `table` (the queue's own table by default).
    public func writeDescriptor(_ i: UInt16, address: UInt64, length: UInt32, flags: UInt16, next: UInt16,
                                table: GuestAddress? = nil) {
        let base = (table ?? descriptorTable).value + 16 * UInt64(i)
        try! memory.store(address, at: GuestAddress(base))
        try! memory.store(length, at: GuestAddress(base + 8))
        try! memory.store(flags, at: GuestAddress(base + 12))
        try! memory.store(next, at: GuestAddress(base + 14))
    }

    /// Takes `count` consecutive free descriptor slots (wrapping).
    func takeDescriptors(_ count: Int) -> [UInt16] {
        (0 ..< count).map { _ in
            defer { nextDescriptor = (nextDescriptor &+ 1) % size }
            return nextDescriptor
        }
    }

    /// Writes `buffers` as a direct chain and returns its head (not yet published).
    public func writeChain(_ buffers: [Buffer]) -> UInt16 {
        precondition(!buffers.isEmpty)
        let slots = takeDescriptors(buffers.count)
        for (k, b) in buffers.enumerated() {
            let last = k == buffers.count - 1
            let flags = (b.writable ? Descriptor.flagWrite : 0) | (last ? 0 : Descriptor.flagNext)
            writeDescriptor(slots[k], address: b.address.value, length: b.length, flags: flags, next: last ? 0 : slots[k + 1])
        }
        return slots[0]
    }

    /// Writes `buffers` into a fresh indirect table and one descriptor pointing to it; returns the head.
    public func writeIndirectChain(_ buffers: [Buffer]) -> UInt16 {
        let table = driver.allocate(16 * buffers.count, alignment: 16)
        for (k, b) in buffers.enumerated() {
            let last = k == buffers.count - 1
            let flags = (b.writable ? Descriptor.flagWrite : 0) | (last ? 0 : Descriptor.flagNext)
            writeDescriptor(UInt16(k), address: b.address.value, length: b.length, flags: flags,
                            next: last ? 0 : UInt16(k + 1), table: table)
        }
        let head = takeDescriptors(1)[0]
        writeDescriptor(head, address: table.value, length: UInt32(16 * buffers.count), flags: Descriptor.flagIndirect, next: 0)
        return head
    }

    // MARK: Available ring

    /// Puts `head` into the next available slot and publishes the new avail idx (§2.7.13). Every
    /// ring field the device may read at the same time is written with one access (`storeOnce`);
    /// the idx store is a release, so the descriptors and the slot are visible before it (§2.7.13
    /// step 3: "The driver performs a suitable memory barrier").
    public func publish(_ head: UInt16) {
        try! memory.storeOnce(head, at: GuestAddress(availableRing.value + 4 + 2 * UInt64(availableIndex % size)))
        availableIndex &+= 1
        try! memory.storeOnce(availableIndex, at: GuestAddress(availableRing.value + 2), releasing: true)
    }

    /// Writes a raw avail idx (for hostile tests).
    public func setPublishedIndex(_ value: UInt16) {
        try! memory.storeOnce(value, at: GuestAddress(availableRing.value + 2), releasing: true)
    }

    /// Writes a raw available ring slot (for hostile tests).
    public func setAvailableSlot(_ slot: UInt16, head: UInt16) {
        try! memory.storeOnce(head, at: GuestAddress(availableRing.value + 4 + 2 * UInt64(slot)))
    }

    /// Available buffer notification (QueueNotify, §4.2.3.3).
    public func kick() { driver.write(.queueNotify, UInt32(index)) }

    /// Writes, publishes and kicks a direct chain; returns its head.
    @discardableResult
    public func submit(_ buffers: [Buffer], indirect: Bool = false) -> UInt16 {
        let head = indirect ? writeIndirectChain(buffers) : writeChain(buffers)
        publish(head)
        kick()
        return head
    }

    /// avail flags (VIRTQ_AVAIL_F_NO_INTERRUPT = 1).
    public var availableFlags: UInt16 {
        get { try! memory.loadOnce(at: availableRing) }
        set { try! memory.storeOnce(newValue, at: availableRing) }
    }

    /// used_event (EVENT_IDX; after the available ring).
    public var usedEvent: UInt16 {
        get { try! memory.loadOnce(at: GuestAddress(availableRing.value + 4 + 2 * UInt64(size))) }
        set { try! memory.storeOnce(newValue, at: GuestAddress(availableRing.value + 4 + 2 * UInt64(size))) }
    }

    // MARK: Used ring

    // The device thread writes these fields while the driver reads them: one access each, or a
    // read can combine the bytes of two writes (issue 16: a torn used idx made `takeUsed` run 65 535
    // entries ahead of the device).

    /// used idx, read with acquire ordering: the used elements it covers are visible after it
    /// (virtio 1.2 §2.7.8.2; Linux's virtqueue_get_buf reads idx, then `virtio_rmb`).
    public var usedIndex: UInt16 { try! memory.loadOnce(at: GuestAddress(usedRing.value + 2), acquiring: true) }
    public var usedFlags: UInt16 { try! memory.loadOnce(at: usedRing) }

    /// avail_event (EVENT_IDX; after the used ring).
    public var availableEvent: UInt16 { try! memory.loadOnce(at: GuestAddress(usedRing.value + 4 + 8 * UInt64(size))) }

    /// The used elements the device added since the last call. Reads used idx once (acquire), then
    /// the elements up to it, each field with one access.
    public func takeUsed() -> [Used] {
        var out: [Used] = []
        let end = usedIndex
        while lastSeenUsed != end {
            let base = usedRing.value + 4 + 8 * UInt64(lastSeenUsed % size)
            out.append(Used(id: try! memory.loadOnce(at: GuestAddress(base)),
                            length: try! memory.loadOnce(at: GuestAddress(base + 4))))
            lastSeenUsed &+= 1
        }
        return out
    }
}
