// TransportTests.swift — the virtio-mmio register file and status state machine (virtio 1.2 §4.2,
// §2.1, §2.2, §3.1), driven only through register reads and writes as a guest driver would.
import Testing
import GuestMemory
import Virtio
import VirtioTestSupport

@Suite struct TransportTests {
    @Test("identification registers (§4.2.2.1)", arguments: [VirtioDeviceID.entropy, .console, .block])
    func identification(id: VirtioDeviceID) throws {
        let device: any VirtioDevice = switch id {
        case .entropy: EntropyDevice()
        case .console: ConsoleDevice(output: { _ in })
        case .block: BlockDevice(backend: try FileBlockBackend(fileDescriptor: 0, readOnly: true, size: 4096))
        }
        let d = try MockDriver(device: device)
        #expect(d.read(.magicValue) == 0x7472_6976)
        #expect(d.read(.version) == 2)
        #expect(d.read(.deviceID) == id.rawValue)
        #expect(d.read(.vendorID) == MMIOTransport.vendorID)
        #expect(d.status == [])
        #expect(d.transport.queueCount == (id == .console ? 2 : 1))
    }

    @Test("offered features: VERSION_1, INDIRECT_DESC and EVENT_IDX on every device (§6)")
    func offeredFeatures() throws {
        let d = try MockDriver(device: EntropyDevice())
        let f = d.deviceFeatures
        #expect(f & VirtioFeature.version1 != 0)
        #expect(f & VirtioFeature.indirectDescriptors != 0)
        #expect(f & VirtioFeature.eventIndex != 0)
        d.write(.deviceFeaturesSel, 2)
        #expect(d.read(.deviceFeatures) == 0)
    }

    @Test("the full initialisation sequence reaches DRIVER_OK (§3.1.1)")
    func initialisation() throws {
        let d = try MockDriver(device: EntropyDevice())
        let accepted = VirtioFeature.version1 | VirtioFeature.eventIndex
        #expect(d.negotiate(accept: accepted))
        #expect(d.transport.negotiatedFeatures == accepted)
        _ = d.setUpQueue(0)
        d.driverOK()
        #expect(d.status == [.acknowledge, .driver, .featuresOK, .driverOK])
        #expect(d.guestErrors == 0)
    }

    @Test("FEATURES_OK is refused for an invalid feature set (§2.2.2)", arguments: [
        ("no VERSION_1", UInt64(0)),
        ("VERSION_1 plus ACCESS_PLATFORM (not offered)", VirtioFeature.version1 | 1 << 33),
        ("VERSION_1 plus RING_PACKED (not offered)", VirtioFeature.version1 | 1 << 34),
        ("VERSION_1 plus a device bit not offered", VirtioFeature.version1 | 1 << 7),
    ])
    func featuresRefused(_ name: String, accept: UInt64) throws {
        let d = try MockDriver(device: EntropyDevice())
        #expect(!d.negotiate(accept: accept), "\(name)")
        #expect(d.status == [.acknowledge, .driver])
        #expect(d.transport.negotiatedFeatures == 0)
        #expect(d.guestErrors == 1)
    }

    @Test("feature bits above 63 accepted by the driver make FEATURES_OK fail")
    func featuresAbove63() throws {
        let d = try MockDriver(device: EntropyDevice())
        d.addStatus(.acknowledge)
        d.addStatus(.driver)
        d.writeDriverFeatures(VirtioFeature.version1)
        d.write(.driverFeaturesSel, 2)
        d.write(.driverFeatures, 1)
        d.addStatus(.featuresOK)
        #expect(!d.status.contains(.featuresOK))
    }

    @Test("DriverFeatures writes outside DRIVER..FEATURES_OK are ignored (§3.1.1)")
    func lateFeatureWrite() throws {
        let d = try MockDriver(device: EntropyDevice())
        d.writeDriverFeatures(VirtioFeature.version1)      // before DRIVER: ignored
        #expect(d.guestErrors == 2)
        #expect(d.negotiate(accept: VirtioFeature.version1))
        d.writeDriverFeatures(VirtioFeature.version1 | VirtioFeature.eventIndex)  // after FEATURES_OK: ignored
        #expect(d.transport.negotiatedFeatures == VirtioFeature.version1)
    }

    // (status before, value written): DRIVER without ACKNOWLEDGE, FEATURES_OK without DRIVER,
    // DRIVER_OK without FEATURES_OK, clearing DRIVER, clearing ACKNOWLEDGE.
    @Test("status writes that skip a step or clear bits are ignored (§2.1.1, §3.1.1)", arguments: [
        (UInt32(0), UInt32(2)), (1, 9), (3, 7), (3, 1), (3, 2),
    ])
    func badStatusTransitions(fromRaw: UInt32, writeRaw: UInt32) throws {
        let from = DeviceStatus(rawValue: fromRaw), write = DeviceStatus(rawValue: writeRaw)
        let d = try MockDriver(device: EntropyDevice())
        for bit in [DeviceStatus.acknowledge, .driver] where from.contains(bit) { d.addStatus(bit) }
        #expect(d.status == from)
        d.write(.status, write.rawValue)
        #expect(d.status == from)
        #expect(d.guestErrors == 1)
    }

    @Test("FAILED stops the device until reset (§2.1.1)")
    func failed() throws {
        let d = try MockDriver(device: EntropyDevice())
        let q = d.initialize()[0]
        d.addStatus(.failed)
        #expect(d.status.contains(.failed))
        q.submit([d.writable(8)])
        #expect(q.usedIndex == 0)
        d.write(.status, DeviceStatus([.acknowledge, .driver, .failed, .driverOK]).rawValue)
        #expect(d.status == [.acknowledge, .driver, .featuresOK, .driverOK, .failed])
        d.write(.status, 0)
        #expect(d.status == [])
    }

    @Test("FAILED written alone is accepted and keeps the other bits")
    func failedAlone() throws {
        let d = try MockDriver(device: EntropyDevice())
        d.addStatus(.acknowledge)
        d.write(.status, DeviceStatus.failed.rawValue)
        #expect(d.status == [.acknowledge, .failed])
    }

    @Test("reset clears status, features, QueueReady and InterruptStatus but not ConfigGeneration (§2.4, §4.2.2.1)")
    func reset() throws {
        let console = ConsoleDevice(output: { _ in })
        let d = try MockDriver(device: console)
        let queues = d.initialize()
        queues[1].submit([d.readable([0x41])])
        #expect(d.read(.interruptStatus) == 1)
        console.resize(columns: 100, rows: 40)
        let generation = d.read(.configGeneration)
        #expect(generation == 1)
        d.write(.status, 0)
        #expect(d.status == [])
        #expect(d.read(.interruptStatus) == 0)
        #expect(d.transport.negotiatedFeatures == 0)
        for q in 0 ..< 2 {
            d.write(.queueSel, UInt32(q))
            #expect(d.read(.queueReady) == 0)
            #expect(d.transport.queue(q)?.size == d.transport.queue(q)?.maxSize)
        }
        #expect(d.read(.configGeneration) == generation)
        // The device can be initialised again and works.
        let again = d.initialize()
        again[1].submit([d.readable([0x42])])
        #expect(again[1].takeUsed() == [.init(id: 0, length: 0)])
    }

    @Test("control registers answer only aligned 32-bit accesses (§4.2.2.2)", arguments: [
        (UInt64(0x000), 1), (0x000, 2), (0x000, 8), (0x002, 4), (0x070, 2),
    ])
    func badAccessSize(offset: UInt64, size: Int) throws {
        let d = try MockDriver(device: EntropyDevice())
        #expect(d.transport.read(offset: offset, size: size) == 0)
        d.transport.write(offset: offset, size: size, value: 1)
        #expect(d.status == [])
        #expect(d.guestErrors == 2)
    }

    @Test("undefined offsets and write-only registers read 0; read-only registers ignore writes", arguments: [
        UInt64(0x018), 0x028, 0x0f8, 0x014, 0x020, 0x050, 0x064, 0x080,
    ])
    func undefinedAndWriteOnly(offset: UInt64) throws {
        let d = try MockDriver(device: EntropyDevice())
        #expect(d.transport.read(offset: offset, size: 4) == 0)
        d.write(.magicValue, 0)
        d.write(.deviceID, 9)
        #expect(d.read(.magicValue) == 0x7472_6976)
        #expect(d.read(.deviceID) == VirtioDeviceID.entropy.rawValue)
    }

    @Test("no shared memory regions: SHMLen reads -1 and SHMBase ~0 (§4.2.2)")
    func sharedMemory() throws {
        let d = try MockDriver(device: EntropyDevice())
        d.write(.shmSel, 0)
        for r in [MMIORegister.shmLenLow, .shmLenHigh, .shmBaseLow, .shmBaseHigh] { #expect(d.read(r) == 0xffff_ffff) }
        #expect(d.read(.queueReset) == 0)
        d.write(.queueReset, 1)   // VIRTIO_F_RING_RESET is not offered
        #expect(d.read(.queueReset) == 0)
        #expect(d.guestErrors == 1)
    }

    @Test("a queue that does not exist has QueueNumMax 0 and ignores configuration")
    func missingQueue() throws {
        let d = try MockDriver(device: EntropyDevice())
        #expect(d.negotiate())
        d.write(.queueSel, 5)
        #expect(d.read(.queueNumMax) == 0)
        #expect(d.read(.queueReady) == 0)
        d.write(.queueNum, 8)
        d.write(.queueReady, 1)
        #expect(d.read(.queueReady) == 0)
        #expect(!d.status.contains(.deviceNeedsReset))
    }

    @Test("queue configuration before FEATURES_OK is ignored")
    func queueBeforeFeatures() throws {
        let d = try MockDriver(device: EntropyDevice())
        d.addStatus(.acknowledge)
        d.addStatus(.driver)
        d.write(.queueSel, 0)
        d.write(.queueNum, 16)
        d.write(.queueReady, 1)
        #expect(d.read(.queueReady) == 0)
        #expect(d.transport.queue(0)?.size == EntropyConfig.defaultQueueSize)
    }

    @Test("queue configuration while QueueReady is 1 is ignored (§4.2.2.2)")
    func queueWhileReady() throws {
        let d = try MockDriver(device: EntropyDevice())
        #expect(d.negotiate())
        let q = d.setUpQueue(0, size: 16)
        d.write(.queueNum, 32)
        d.write(.queueDescLow, 0x8000)
        #expect(d.transport.queue(0)?.size == 16)
        #expect(d.transport.queue(0)?.descriptorTable == q.descriptorTable)
        // QueueReady = 0, then reconfiguration is allowed.
        d.write(.queueReady, 0)
        #expect(d.read(.queueReady) == 0)
        d.write(.queueNum, 32)
        #expect(d.transport.queue(0)?.size == 32)
    }

    enum BadQueue: String, CaseIterable { case sizeZero, sizeNotPowerOfTwo, sizeAboveMax, descMisaligned, availMisaligned, usedMisaligned, outsideRAM, addressOverflow }

    @Test("QueueReady with an invalid queue sets DEVICE_NEEDS_RESET and the queue stays off (§2.7, §4.2.2.2)",
          arguments: BadQueue.allCases)
    func badQueueConfig(_ bad: BadQueue) throws {
        let d = try MockDriver(device: EntropyDevice(queueSize: 64))
        #expect(d.negotiate())
        d.write(.queueSel, 0)
        var size: UInt32 = 16, desc: UInt64 = 0x4000, avail: UInt64 = 0x5000, used: UInt64 = 0x6000
        switch bad {
        case .sizeZero: size = 0
        case .sizeNotPowerOfTwo: size = 12
        case .sizeAboveMax: size = 128
        case .descMisaligned: desc = 0x4008
        case .availMisaligned: avail = 0x5001
        case .usedMisaligned: used = 0x6002
        case .outsideRAM: used = d.memory.size - 8
        case .addressOverflow: desc = 0xffff_ffff_ffff_fff0
        }
        d.write(.queueNum, size)
        d.write(.queueDescLow, UInt32(truncatingIfNeeded: desc)); d.write(.queueDescHigh, UInt32(desc >> 32))
        d.write(.queueDriverLow, UInt32(truncatingIfNeeded: avail)); d.write(.queueDriverHigh, UInt32(avail >> 32))
        d.write(.queueDeviceLow, UInt32(truncatingIfNeeded: used)); d.write(.queueDeviceHigh, UInt32(used >> 32))
        d.write(.queueReady, 1)
        #expect(d.read(.queueReady) == 0)
        #expect(d.status.contains(.deviceNeedsReset))
        // Not live yet: no configuration change interrupt (§2.1.2 applies after DRIVER_OK).
        #expect(d.interrupt.signals == 0)
        // The device stays stopped until reset; reset clears DEVICE_NEEDS_RESET.
        d.write(.status, 0)
        #expect(d.status == [])
    }

    @Test("QueueNum above 16 bits sets DEVICE_NEEDS_RESET")
    func queueNumTooLarge() throws {
        let d = try MockDriver(device: EntropyDevice())
        #expect(d.negotiate())
        d.write(.queueSel, 0)
        d.write(.queueNum, 0x10008)
        #expect(d.status.contains(.deviceNeedsReset))
    }

    @Test("DEVICE_NEEDS_RESET after DRIVER_OK raises a configuration change interrupt (§2.1.2)")
    func needsResetInterrupt() throws {
        let (d, _, q) = try MockDriver.recording()
        q.setPublishedIndex(100)   // more than the queue size: the ring is corrupt
        q.kick()
        #expect(d.status.contains(.deviceNeedsReset))
        #expect(d.read(.interruptStatus) == InterruptStatus.configChange.rawValue)
        #expect(d.interrupt.signals == 1)
        // A driver echoing the bit back neither sets nor clears it.
        d.write(.status, d.status.rawValue)
        #expect(d.status.contains(.deviceNeedsReset))
        d.write(.status, d.status.subtracting(.deviceNeedsReset).rawValue)
        #expect(d.status.contains(.deviceNeedsReset))
    }

    @Test("InterruptACK clears the acknowledged bits only; undefined bits are ignored (§4.2.2)")
    func interruptAck() throws {
        let console = ConsoleDevice(output: { _ in })
        let d = try MockDriver(device: console)
        let queues = d.initialize()
        queues[1].submit([d.readable([1])])
        console.resize(columns: 1, rows: 1)
        #expect(d.read(.interruptStatus) == 3)
        #expect(d.transport.isInterruptPending)
        d.write(.interruptACK, 0xfffffffd)  // acknowledges used-buffer (bit 0) plus undefined bits
        #expect(d.read(.interruptStatus) == 2)
        d.write(.interruptACK, 2)
        #expect(d.read(.interruptStatus) == 0)
        #expect(!d.transport.isInterruptPending)
    }

    @Test("notifications before DRIVER_OK consume nothing; DRIVER_OK serves what is queued (§2.1.2)")
    func notifyBeforeDriverOK() throws {
        let device = RecordingDevice()
        let d = try MockDriver(device: device)
        #expect(d.negotiate())
        let q = d.setUpQueue(0)
        q.submit([d.readable([1, 2, 3])])
        #expect(device.chains.isEmpty)
        #expect(q.usedIndex == 0)
        #expect(d.interrupt.signals == 0)
        d.driverOK()
        #expect(device.chains.map(\.readable) == [[1, 2, 3]])
        #expect(q.usedIndex == 1)
    }

    @Test("QueueNotify for a queue the device does not have is ignored")
    func notifyUnknownQueue() throws {
        let (d, device, _) = try MockDriver.recording()
        d.write(.queueNotify, 7)
        d.write(.queueNotify, 0xffff_0000)  // upper bits are not a queue index
        #expect(device.chains.isEmpty)
        #expect(!d.status.contains(.deviceNeedsReset))
        #expect(d.guestErrors == 1)
    }

    @Test("a queue set to QueueReady 0 is no longer served")
    func queueDisabled() throws {
        let (d, device, q) = try MockDriver.recording()
        d.write(.queueSel, 0)
        d.write(.queueReady, 0)
        q.submit([d.readable([9])])
        #expect(device.chains.isEmpty)
    }

    @Test("config space reads outside the space read 0")
    func configOutOfRange() throws {
        let d = try MockDriver(device: ConsoleDevice(output: { _ in }, columns: 132, rows: 43))
        #expect(d.readConfig(0, size: 2) == 132)
        #expect(d.readConfig(2, size: 2) == 43)
        #expect(d.readConfig(0, size: 4) == 43 << 16 | 132)
        #expect(d.readConfig(12, size: 4) == 0)
        #expect(d.readConfig(10, size: 4) == 0)
        #expect(d.readConfig(0, size: 3) == 0)
        #expect(d.readConfig(0xeff, size: 1) == 0)
        #expect(d.guestErrors == 4)
    }

    @Test("with a queue notifier, QueueNotify is forwarded instead of served inline")
    func queueNotifierRouting() throws {
        let kicks = LogCollector()
        let device = RecordingDevice()
        let d = try MockDriver(device: device, queueNotifier: { kicks.sink("kick \($0)") })
        let q = d.initialize()[0]
        q.submit([d.readable([5])])
        #expect(device.chains.isEmpty)
        #expect(kicks.all == ["kick 0", "kick 0"])   // DRIVER_OK kicks the ready queue, then the guest's QueueNotify
        d.transport.queueNotified(0)
        #expect(device.chains.count == 1)
    }

    @Test("Linux command-line declaration", arguments: [
        (UInt64(0xd000_0000), UInt64(0x1000), UInt32(5), "virtio_mmio.device=4K@0xd0000000:5"),
        (0xd000_1000, 0x200, 6, "virtio_mmio.device=512@0xd0001000:6"),
        (0xd000_0000, 0x10_0000, 7, "virtio_mmio.device=1M@0xd0000000:7"),
    ])
    func commandLine(base: UInt64, size: UInt64, irq: UInt32, expected: String) {
        #expect(MMIOTransport.linuxCommandLineArgument(base: base, size: size, irq: irq) == expected)
    }
}
