// HostileTests.swift — a guest that breaks the rules. Each case has a defined reaction (the table
// in docs/VIRTIO.md): a malformed chain is returned used with length 0 and the queue goes on; a
// corrupt ring sets DEVICE_NEEDS_RESET and the device stops. Never a crash, a hang, or an access
// outside guest RAM.
import Testing
import GuestMemory
import Virtio
import VirtioTestSupport

@Suite struct HostileTests {
    /// Publishes descriptor `head` (already written), kicks, and checks the reaction "used with
    /// length 0, device untouched, queue still works".
    func expectMalformed(_ d: MockDriver, _ device: RecordingDevice, _ q: DriverQueue, head: UInt16,
                         _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        q.publish(head)
        q.kick()
        #expect(device.chains.isEmpty, "the device must not see a malformed chain", sourceLocation: sourceLocation)
        #expect(q.takeUsed() == [.init(id: UInt32(head), length: 0)], sourceLocation: sourceLocation)
        #expect(d.logLines.contains(message), "log: \(d.logLines.all)", sourceLocation: sourceLocation)
        #expect(!d.status.contains(.deviceNeedsReset), sourceLocation: sourceLocation)
        // The queue keeps working (the new chain reuses the descriptors just returned).
        q.submit([d.readable([0x11])])
        #expect(device.chains.map(\.readable) == [[0x11]], sourceLocation: sourceLocation)
    }

    @Test("next index outside the descriptor table")
    func nextOutOfRange() throws {
        let (d, device, q) = try MockDriver.recording()
        let b = d.readable([1])
        q.writeDescriptor(0, address: b.address.value, length: 1, flags: Descriptor.flagNext, next: 8)
        expectMalformed(d, device, q, head: 0, "next index 8 outside a table of 8 descriptors")
    }

    @Test("looping chains terminate", arguments: [
        [(UInt16(0), UInt16(0))],                       // self loop
        [(0, 1), (1, 0)],                               // two-cycle
        [(0, 1), (1, 2), (2, 3), (3, 1)],               // loop after a prefix
    ] as [[(UInt16, UInt16)]])
    func loops(_ links: [(UInt16, UInt16)]) throws {
        let (d, device, q) = try MockDriver.recording()
        let b = d.readable([1])
        for (from, to) in links {
            q.writeDescriptor(from, address: b.address.value, length: 1, flags: Descriptor.flagNext, next: to)
        }
        expectMalformed(d, device, q, head: 0, "chain longer than 8 descriptors")
    }

    @Test("a loop inside an indirect table terminates")
    func indirectLoop() throws {
        let (d, device, q) = try MockDriver.recording()
        let b = d.readable([1])
        let table = d.allocate(32)
        q.writeDescriptor(0, address: b.address.value, length: 1, flags: Descriptor.flagNext, next: 1, table: table)
        q.writeDescriptor(1, address: b.address.value, length: 1, flags: Descriptor.flagNext, next: 0, table: table)
        q.writeDescriptor(0, address: table.value, length: 32, flags: Descriptor.flagIndirect, next: 0)
        expectMalformed(d, device, q, head: 0, "chain longer than 2 descriptors")
    }

    @Test("buffers outside guest RAM", arguments: [
        (UInt64(1 << 20), UInt32(1)),                  // just past the end
        ((1 << 20) - 4, 8),                             // straddles the end
        (0xffff_ffff_ffff_fff8, 16),                    // address + length overflows 64 bits
        (0x4000_0000_0000, 4096),                       // far away
    ] as [(UInt64, UInt32)])
    func bufferOutsideRAM(address: UInt64, length: UInt32) throws {
        let (d, device, q) = try MockDriver.recording()
        q.writeDescriptor(0, address: address, length: length, flags: Descriptor.flagWrite, next: 0)
        expectMalformed(d, device, q, head: 0, "is outside guest RAM")
    }

    @Test("indirect table errors", arguments: [
        ("length 0", UInt32(0), UInt16(0), "indirect table length 0"),
        ("length not a multiple of 16", 24, 0, "indirect table length 24"),
        ("more than 1024 entries", 16 * 1025, 0, "indirect table length 16400"),
        ("INDIRECT together with NEXT", 32, Descriptor.flagNext, "both INDIRECT and NEXT"),
    ] as [(String, UInt32, UInt16, String)])
    func indirectErrors(_ name: String, length: UInt32, extraFlags: UInt16, message: String) throws {
        let (d, device, q) = try MockDriver.recording(memorySize: 1 << 20)
        let table = d.allocate(Int(max(length, 16)))
        q.writeDescriptor(0, address: table.value, length: length, flags: Descriptor.flagIndirect | extraFlags, next: 1)
        expectMalformed(d, device, q, head: 0, message)
    }

    @Test("indirect table outside guest RAM")
    func indirectOutsideRAM() throws {
        let (d, device, q) = try MockDriver.recording()
        q.writeDescriptor(0, address: (1 << 20) - 16, length: 32, flags: Descriptor.flagIndirect, next: 0)
        expectMalformed(d, device, q, head: 0, "indirect table [0xffff0, +32) is outside guest RAM")
    }

    @Test("an indirect descriptor inside an indirect table")
    func nestedIndirect() throws {
        let (d, device, q) = try MockDriver.recording()
        let inner = d.allocate(16)
        let outer = d.allocate(16)
        q.writeDescriptor(0, address: inner.value, length: 16, flags: Descriptor.flagIndirect, next: 0, table: outer)
        q.writeDescriptor(0, address: outer.value, length: 16, flags: Descriptor.flagIndirect, next: 0)
        expectMalformed(d, device, q, head: 0, "indirect descriptor inside an indirect table")
    }

    @Test("INDIRECT without VIRTIO_F_INDIRECT_DESC negotiated")
    func indirectNotNegotiated() throws {
        let (d, device, q) = try MockDriver.recording(accept: VirtioFeature.version1)
        let table = d.allocate(16)
        let b = d.readable([1])
        q.writeDescriptor(0, address: b.address.value, length: 1, flags: 0, next: 0, table: table)
        q.writeDescriptor(0, address: table.value, length: 16, flags: Descriptor.flagIndirect, next: 0)
        expectMalformed(d, device, q, head: 0, "without VIRTIO_F_INDIRECT_DESC")
    }

    @Test("a device-readable buffer after a device-writable one (§2.7.4.2)")
    func readableAfterWritable() throws {
        let (d, device, q) = try MockDriver.recording()
        let w = d.writable(4), r = d.readable([1])
        q.writeDescriptor(0, address: w.address.value, length: 4, flags: Descriptor.flagWrite | Descriptor.flagNext, next: 1)
        q.writeDescriptor(1, address: r.address.value, length: 1, flags: 0, next: 0)
        expectMalformed(d, device, q, head: 0, "device-readable descriptor after a device-writable one")
    }

    @Test("a chain describing more than 4 GiB (§2.7.5.2)")
    func tooLarge() throws {
        // 1024 indirect entries of 8 MiB each: every buffer is inside RAM, the total is not allowed.
        let (d, device, q) = try MockDriver.recording(memorySize: 8 << 20)
        let table = d.allocate(16 * 1024)
        for i in 0 ..< 1024 {
            q.writeDescriptor(UInt16(i), address: 0, length: 8 << 20, flags: i < 1023 ? Descriptor.flagNext : 0,
                              next: UInt16(i + 1), table: table)
        }
        q.writeDescriptor(0, address: table.value, length: 16 * 1024, flags: Descriptor.flagIndirect, next: 0)
        expectMalformed(d, device, q, head: 0, "chain longer than 4 GiB")
    }

    @Test("an available-ring entry naming a descriptor outside the table sets DEVICE_NEEDS_RESET")
    func headOutOfRange() throws {
        let (d, device, q) = try MockDriver.recording()
        q.publish(200)
        q.kick()
        #expect(d.status.contains(.deviceNeedsReset))
        #expect(device.chains.isEmpty)
        #expect(d.logLines.contains("available ring names descriptor 200, queue size 8"))
        // Stopped: later notifications are ignored until reset.
        q.submit([d.readable([1])])
        #expect(device.chains.isEmpty)
    }

    @Test("avail idx jumping forward by more than the queue size, or backwards, sets DEVICE_NEEDS_RESET",
          arguments: [UInt16(9), 100, 0x8000, 0xffff])
    func availIndexJump(published: UInt16) throws {
        let (d, device, q) = try MockDriver.recording()
        q.setPublishedIndex(published)
        q.kick()
        #expect(d.status.contains(.deviceNeedsReset))
        #expect(device.chains.isEmpty)
        #expect(q.usedIndex == 0)
    }

    @Test("avail idx moving backwards after some progress sets DEVICE_NEEDS_RESET")
    func availIndexBackwards() throws {
        let (d, device, q) = try MockDriver.recording()
        for _ in 0 ..< 3 { q.submit([d.readable([1])]) }
        #expect(device.chains.count == 3)
        q.setPublishedIndex(1)
        q.kick()
        #expect(d.status.contains(.deviceNeedsReset))
        #expect(device.chains.count == 3)
    }

    @Test("the chains used before a ring error still get their used buffer notification")
    func notifyBeforeRingError() throws {
        let (d, device, q) = try MockDriver.recording()
        q.publish(q.writeChain([d.readable([1])]))
        q.setAvailableSlot(1, head: 99)
        q.setPublishedIndex(2)
        q.kick()
        #expect(device.chains.count == 1)
        #expect(q.usedIndex == 1)
        #expect(d.status.contains(.deviceNeedsReset))
        #expect(d.read(.interruptStatus) == InterruptStatus.usedBuffer.rawValue | InterruptStatus.configChange.rawValue)
    }
}
