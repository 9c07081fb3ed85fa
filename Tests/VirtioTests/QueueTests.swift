// QueueTests.swift — split-virtqueue rules (virtio 1.2 §2.7): chains, indirect tables, the used
// ring, notification suppression with and without EVENT_IDX, and 16-bit index wrap-around.
import Testing
import GuestMemory
import Virtio
import VirtioTestSupport

@Suite struct QueueTests {
    @Test("a direct chain: readable then writable buffers, head and used length in the used ring (§2.7.8)")
    func directChain() throws {
        let (d, device, q) = try MockDriver.recording(usedLength: 5)
        let head = q.submit([d.readable([1, 2]), d.readable([3]), d.writable(7)])
        #expect(device.chains == [.init(head: head, readable: [1, 2, 3], writableLength: 7, segmentLengths: [2, 1, 7], descriptorCount: 3)])
        #expect(q.takeUsed() == [.init(id: UInt32(head), length: 5)])
        #expect(q.usedIndex == 1)
    }

    @Test("an indirect chain (§2.7.5.3)")
    func indirectChain() throws {
        let (d, device, q) = try MockDriver.recording()
        let head = q.submit([d.readable([7, 8, 9]), d.writable(4), d.writable(2)], indirect: true)
        #expect(device.chains == [.init(head: head, readable: [7, 8, 9], writableLength: 6, segmentLengths: [3, 4, 2], descriptorCount: 4)])
        #expect(q.takeUsed().map(\.id) == [UInt32(head)])
    }

    @Test("direct descriptors followed by one indirect descriptor (§2.7.5.3.2: the device MUST handle it)")
    func directThenIndirect() throws {
        let (d, device, q) = try MockDriver.recording()
        let first = d.readable([1])
        let table = d.allocate(32)
        let second = d.readable([2]), third = d.writable(3)
        q.writeDescriptor(0, address: second.address.value, length: 1, flags: Descriptor.flagNext, next: 1, table: table)
        q.writeDescriptor(1, address: third.address.value, length: 3, flags: Descriptor.flagWrite, next: 0, table: table)
        q.writeDescriptor(0, address: first.address.value, length: 1, flags: Descriptor.flagNext, next: 1)
        // The WRITE flag on the descriptor naming a table is ignored (§2.7.5.3.2).
        q.writeDescriptor(1, address: table.value, length: 32, flags: Descriptor.flagIndirect | Descriptor.flagWrite, next: 0)
        q.publish(0)
        q.kick()
        #expect(device.chains.map(\.readable) == [[1, 2]])
        #expect(device.chains.map(\.writableLength) == [3])
    }

    @Test("zero-length descriptors are legal and carry no bytes")
    func zeroLength() throws {
        let (d, device, q) = try MockDriver.recording()
        let empty = DriverQueue.Buffer(address: GuestAddress(0), length: 0, writable: false)
        q.submit([empty, d.readable([4]), DriverQueue.Buffer(address: GuestAddress(0), length: 0, writable: true)])
        #expect(device.chains.map(\.segmentLengths) == [[1]])
        #expect(device.chains.map(\.descriptorCount) == [3])
        #expect(q.takeUsed().count == 1)
    }

    @Test("several chains published before one notification are all used, with one interrupt")
    func batching() throws {
        let (d, device, q) = try MockDriver.recording()
        for i in 0 ..< 5 { q.publish(q.writeChain([d.readable([UInt8(i)])])) }
        q.kick()
        #expect(device.chains.map(\.readable) == [[0], [1], [2], [3], [4]])
        #expect(q.takeUsed().count == 5)
        #expect(d.interrupt.signals == 1)
        #expect(d.read(.interruptStatus) == InterruptStatus.usedBuffer.rawValue)
    }

    @Test("without EVENT_IDX, VIRTQ_AVAIL_F_NO_INTERRUPT suppresses interrupts (§2.7.7.2)")
    func noInterruptFlag() throws {
        let (d, _, q) = try MockDriver.recording(accept: VirtioFeature.version1)
        q.availableFlags = 1
        q.submit([d.readable([1])])
        #expect(q.usedIndex == 1)
        #expect(d.interrupt.signals == 0)
        q.availableFlags = 0
        q.submit([d.readable([2])])
        #expect(d.interrupt.signals == 1)
    }

    @Test("with EVENT_IDX the device interrupts when used idx passes used_event, ignoring the flags (§2.7.7.2)")
    func usedEvent() throws {
        let (d, _, q) = try MockDriver.recording()
        q.availableFlags = 1     // "MUST ignore the lower bit of flags"
        q.usedEvent = 2          // interrupt when the entry with index 2 is written
        var signals: [Int] = []
        for i in 0 ..< 4 {
            q.submit([d.readable([UInt8(i)])])
            signals.append(d.interrupt.signals)
        }
        #expect(signals == [0, 0, 1, 1])
    }

    @Test("EVENT_IDX decision for a batch and across the 16-bit wrap", arguments: [
        // (used_event, chains in the batch, expected interrupt)
        (UInt16(0), 1, true), (0, 3, true), (2, 2, false), (2, 3, true), (65535, 3, false),
    ])
    func usedEventBatch(usedEvent: UInt16, count: Int, expected: Bool) throws {
        let (d, _, q) = try MockDriver.recording()
        q.usedEvent = usedEvent
        for i in 0 ..< count { q.publish(q.writeChain([d.readable([UInt8(i)])])) }
        q.kick()
        #expect((d.interrupt.signals == 1) == expected)
    }

    @Test("with EVENT_IDX the device publishes avail_event = next index it will read (§2.7.10)")
    func availEvent() throws {
        let (d, _, q) = try MockDriver.recording()
        for _ in 0 ..< 3 { q.submit([d.readable([0])]) }
        #expect(q.availableEvent == 3)
        #expect(q.usedFlags == 0)
    }

    @Test("avail_event is re-armed even when a batch fills the whole ring (found by BusTests.concurrentDriver)")
    func availEventAfterFullRing() throws {
        let (d, device, q) = try MockDriver.recording(queueSize: 8)
        for i in 0 ..< 8 { q.publish(q.writeChain([d.readable([UInt8(i)])])) }
        q.kick()
        #expect(device.chains.count == 8)
        #expect(q.availableEvent == 8)
    }

    @Test("without EVENT_IDX the used flags stay 0 (notifications wanted) and avail_event is untouched")
    func noEventIndex() throws {
        let (d, _, q) = try MockDriver.recording(accept: VirtioFeature.version1)
        q.submit([d.readable([0])])
        #expect(q.usedFlags == 0)
        #expect(q.availableEvent == 0)
    }

    @Test("avail and used indices wrap at 65536 (§2.7.13.3)")
    func wrapAround() throws {
        let (d, device, q) = try MockDriver.recording(queueSize: 8, usedLength: 1)
        let buffer = d.readable([0x5a])
        let total = 65536 + 24
        var done = 0
        while done < total {
            for _ in 0 ..< 8 { q.publish(q.writeChain([buffer])) }
            q.kick()
            done += 8
            let used = q.takeUsed()
            precondition(used.count == 8, "batch at \(done) used \(used.count)")
        }
        #expect(device.chains.count == total)
        #expect(q.usedIndex == UInt16(truncatingIfNeeded: total))
        #expect(q.availableIndex == UInt16(truncatingIfNeeded: total))
        #expect(!d.status.contains(.deviceNeedsReset))
        #expect(d.guestErrors == 0)
    }

    @Test("a driver that keeps publishing cannot keep the device busy forever: the budget hands control back")
    func budget() throws {
        let kicks = LogCollector()
        // The device "sees" a new chain published while it serves each one, like a driver on another CPU.
        final class Publisher: @unchecked Sendable { var queue: DriverQueue?; var buffer: DriverQueue.Buffer? }
        let publisher = Publisher()
        let device = RecordingDevice(queueSize: 8, onChain: {
            if let q = publisher.queue, let b = publisher.buffer { q.publish(q.writeChain([b])) }
        })
        let d = try MockDriver(device: device, queueNotifier: { kicks.sink("\($0)") })
        let q = d.initialize()[0]
        publisher.queue = q
        publisher.buffer = d.readable([1])
        q.publish(q.writeChain([publisher.buffer!]))
        d.transport.queueNotified(0)
        // One call uses at most one queue's worth of chains, then re-notifies itself.
        #expect(device.chains.count == 8)
        #expect(kicks.all.last == "0")
        #expect(!d.status.contains(.deviceNeedsReset))
    }
}
