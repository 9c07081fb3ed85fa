// BusTests.swift — the machine's virtio-mmio slots: window and IRQ assignment, MMIO routing by
// address, the Linux command line, and the eventfd paths KVM will drive (ioeventfd → loop → device
// → irqfd), exercised by signalling the eventfds the way KVM would.
import Glibc
import Testing
import Synchronization
import EventLoop
import GuestMemory
import Virtio
import VirtioBus
import VirtioTestSupport

@Suite struct BusTests {
    @Test("devices get consecutive 4 KiB windows and IRQs; one eventfd per queue")
    func layout() throws {
        let memory = try GuestMemory(size: 1 << 20)
        let bus = VirtioBus(memory: memory, loop: try EventLoop(), base: 0xd000_0000, irqBase: 5)
        let a = try bus.add(EntropyDevice())
        let b = try bus.add(ConsoleDevice(output: { _ in }))
        #expect((a.base, a.irq, a.queueEventFDs.count) == (0xd000_0000, 5, 1))
        #expect((b.base, b.irq, b.queueEventFDs.count) == (0xd000_1000, 6, 2))
        #expect(b.notifyAddress == 0xd000_1050)
        #expect(b.deviceID == .console)
        #expect(bus.linuxCommandLine == "virtio_mmio.device=4K@0xd0000000:5 virtio_mmio.device=4K@0xd0001000:6")
    }

    @Test("MMIO accesses are routed by address; addresses outside every window are not claimed")
    func routing() throws {
        let memory = try GuestMemory(size: 1 << 20)
        let bus = VirtioBus(memory: memory, loop: try EventLoop(), base: 0xd000_0000, irqBase: 5)
        try bus.add(EntropyDevice())
        try bus.add(ConsoleDevice(output: { _ in }))
        #expect(bus.read(address: 0xd000_0000, size: 4) == 0x7472_6976)
        #expect(bus.read(address: 0xd000_1008, size: 4) == UInt64(VirtioDeviceID.console.rawValue))
        #expect(bus.read(address: 0xd000_2000, size: 4) == nil)
        #expect(bus.read(address: 0xcfff_fffc, size: 4) == nil)
        #expect(bus.write(address: 0xd000_1070, size: 4, value: 1))
        #expect(bus.slots[1].transport.status == .acknowledge)
        #expect(!bus.write(address: 0xd000_2070, size: 4, value: 1))
    }

    @Test("a queue eventfd signal (what KVM_IOEVENTFD does) is served on the loop and raises the irqfd")
    func eventfdPaths() throws {
        let memory = try GuestMemory(size: 1 << 20)
        let loop = try EventLoop(name: "bus-test")
        let bus = VirtioBus(memory: memory, loop: loop, base: 0xd000_0000, irqBase: 5)
        let slot = try bus.add(EntropyDevice(source: CountingSource(seed: 40)))
        try loop.start()
        defer { loop.shutdown() }

        let driver = MockDriver(attachingTo: slot.transport)
        let q = driver.initialize()[0]
        let buffer = driver.writable(4)
        q.publish(q.writeChain([buffer]))
        slot.queueEventFDs[0].signal()           // the guest's doorbell, as KVM would deliver it
        #expect(eventually { q.usedIndex == 1 })
        #expect(driver.bytes(of: buffer) == [40, 41, 42, 43])
        #expect(eventually { slot.interruptEventFD.drain() >= 1 })
        #expect(driver.read(.interruptStatus) == InterruptStatus.usedBuffer.rawValue)

        // A QueueNotify that exits to the VMM (no ioeventfd installed) takes the same path.
        let second = driver.writable(2)
        q.publish(q.writeChain([second]))
        _ = bus.write(address: slot.base + MMIOTransport.queueNotifyOffset, size: 4, value: 0)
        #expect(eventually { q.usedIndex == 2 })
        #expect(driver.bytes(of: second) == [40, 41])
    }

    @Test("a driver on another thread, suppressing doorbells with EVENT_IDX, loses no notification (§2.7.10)")
    func concurrentDriver() throws {
        let memory = try GuestMemory(size: 1 << 20)
        let loop = try EventLoop(name: "race-test")
        let bus = VirtioBus(memory: memory, loop: loop, base: 0xd000_0000, irqBase: 5)
        let slot = try bus.add(EntropyDevice(source: CountingSource(seed: 0), queueSize: 16))
        try loop.start()
        defer { loop.shutdown() }

        let driver = MockDriver(attachingTo: slot.transport)
        let q = driver.initialize()[0]
        #expect(driver.transport.negotiatedFeatures & VirtioFeature.eventIndex != 0)
        let buffers = (0 ..< 16).map { _ in driver.writable(8) }
        let total = 50_000
        var submitted = 0, completed = 0, doorbells = 0
        // A lost notification shows as no progress at all; a slow machine (a CPU hog, TSan) only
        // as slow progress. So the test gives up after 20 s without a completion, not after 20 s.
        var lastProgress = timespec()
        clock_gettime(CLOCK_MONOTONIC, &lastProgress)
        while completed < total {
            while submitted - completed < 16 && submitted < total {
                let old = q.availableIndex
                q.publish(q.writeChain([buffers[submitted % 16]]))
                // The driver's side of §2.7.13.4: publish idx, full barrier, then read avail_event.
                atomicMemoryFence(ordering: .sequentiallyConsistent)
                let event = q.availableEvent
                if q.availableIndex &- event &- 1 < q.availableIndex &- old {
                    slot.queueEventFDs[0].signal()
                    doorbells += 1
                }
                submitted += 1
            }
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            let returned = q.takeUsed().count
            completed += returned
            // The device cannot return more than was submitted: more means the driver misread the
            // used idx (a torn 16-bit read once counted 65 536 phantom completions here).
            guard completed <= submitted else {
                Issue.record("completed \(completed) > submitted \(submitted) (used idx \(q.usedIndex), last seen \(q.lastSeenUsed))")
                break
            }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            if returned > 0 { lastProgress = now } else if now.tv_sec - lastProgress.tv_sec > 20 { break }
        }
        #expect(completed == total, "stalled after \(completed) of \(total) (\(doorbells) doorbells)")
        #expect(doorbells < total)   // suppression did suppress
        #expect(!driver.status.contains(.deviceNeedsReset))
    }
}
