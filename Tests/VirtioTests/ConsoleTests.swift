// ConsoleTests.swift — virtio-console, single port (virtio 1.2 §5.3): output, buffered input,
// emergency write, and console size.
import Testing
import Synchronization
import Virtio
import VirtioTestSupport

/// Collects console output, and how many calls brought it.
final class OutputCollector: Sendable {
    let bytes = Mutex<[UInt8]>([])
    let calls = Mutex(0)
    var sink: ConsoleOutputSink { { b in self.bytes.withLock { $0 += b }; self.calls.withLock { $0 += 1 } } }
    var all: [UInt8] { bytes.withLock { $0 } }
    var callCount: Int { calls.withLock { $0 } }
}

@Suite struct ConsoleTests {
    func make(inputCapacity: Int = ConsoleConfig.defaultInputCapacity) throws -> (MockDriver, ConsoleDevice, OutputCollector, rx: DriverQueue, tx: DriverQueue) {
        let out = OutputCollector()
        let console = ConsoleDevice(output: out.sink, inputCapacity: inputCapacity)
        let d = try MockDriver(device: console)
        let queues = d.initialize()
        return (d, console, out, queues[ConsoleConfig.receiveQueue], queues[ConsoleConfig.transmitQueue])
    }

    @Test("offers SIZE and EMERG_WRITE but not MULTIPORT (§5.3.3); MULTIPORT cannot be accepted")
    func features() throws {
        let d = try MockDriver(device: ConsoleDevice(output: { _ in }))
        let f = d.deviceFeatures
        #expect(f & ConsoleConfig.featureSize != 0)
        #expect(f & ConsoleConfig.featureEmergencyWrite != 0)
        #expect(f & ConsoleConfig.featureMultiport == 0)
        #expect(!d.negotiate(accept: VirtioFeature.version1 | ConsoleConfig.featureMultiport))
    }

    @Test("transmitq bytes reach the output in order; the device writes nothing (used length 0)")
    func output() throws {
        let (d, _, out, _, tx) = try make()
        tx.submit([d.readable(Array("hel".utf8)), d.readable(Array("lo".utf8))])
        tx.submit([d.readable(Array(" world".utf8))], indirect: true)
        #expect(String(decoding: out.all, as: UTF8.self) == "hello world")
        #expect(tx.takeUsed().map(\.length) == [0, 0])
    }

    @Test("the chains of one notification reach the host in one output call (one write, not one per line)")
    func oneWritePerNotification() throws {
        let (d, _, out, _, tx) = try make()
        let lines = (0 ..< 50).map { Array("line \($0)\n".utf8) }
        for line in lines { tx.publish(tx.writeChain([d.readable(line)])) }
        tx.kick()
        #expect(out.all == lines.flatMap { $0 })
        #expect(out.callCount == 1)
        #expect(tx.takeUsed().count == 50)
    }

    @Test("a notification with more than a batch of output is cut every 64 KiB")
    func batchLimit() throws {
        let (d, _, out, _, tx) = try make()
        let block = [UInt8](repeating: 0x2e, count: 16 * 1024)
        for _ in 0 ..< 5 { tx.publish(tx.writeChain([d.readable(block)])) }
        tx.kick()
        #expect(out.all.count == 5 * block.count)
        #expect(out.callCount == 2)
    }

    @Test("output larger than one chunk is streamed in pieces")
    func largeOutput() throws {
        let (d, _, out, _, tx) = try make()
        let text = (0 ..< 10_000).map { UInt8(truncatingIfNeeded: $0) }
        tx.submit([d.readable(text)])
        #expect(out.all == text)
    }

    @Test("device-writable buffers in the transmitq are ignored (§5.3.6.1)")
    func writableInTransmit() throws {
        let (d, _, out, _, tx) = try make()
        let w = d.writable(4, fill: 0x77)
        tx.submit([d.readable([0x41]), w])
        #expect(out.all == [0x41])
        #expect(d.bytes(of: w) == [0x77, 0x77, 0x77, 0x77])
        #expect(d.logLines.contains("device-writable buffers"))
    }

    @Test("input waits until the guest posts a receive buffer")
    func inputBeforeBuffers() throws {
        let (d, console, _, rx, _) = try make()
        #expect(console.sendInput(Array("ls\n".utf8)) == 3)
        #expect(rx.usedIndex == 0)
        let buffer = d.writable(16)
        rx.submit([buffer])
        #expect(rx.takeUsed() == [.init(id: 0, length: 3)])
        #expect(Array(d.bytes(of: buffer).prefix(3)) == Array("ls\n".utf8))
    }

    @Test("receive buffers wait until input arrives; input then raises an interrupt")
    func buffersBeforeInput() throws {
        let (d, console, _, rx, _) = try make()
        let buffer = d.writable(8)
        rx.submit([buffer])
        #expect(rx.usedIndex == 0)
        let before = d.interrupt.signals
        console.sendInput([0x61, 0x62])
        #expect(rx.takeUsed() == [.init(id: 0, length: 2)])
        #expect(Array(d.bytes(of: buffer).prefix(2)) == [0x61, 0x62])
        #expect(d.interrupt.signals == before + 1)
    }

    @Test("input larger than one buffer spans several receive chains")
    func inputSpansBuffers() throws {
        let (d, console, _, rx, _) = try make()
        let a = d.writable(4), b = d.writable(4)
        rx.publish(rx.writeChain([a]))
        rx.publish(rx.writeChain([b]))
        rx.kick()
        console.sendInput(Array("abcdef".utf8))
        #expect(rx.takeUsed().map(\.length) == [4, 2])
        #expect(d.bytes(of: a) == Array("abcd".utf8))
        #expect(Array(d.bytes(of: b).prefix(2)) == Array("ef".utf8))
    }

    @Test("the input buffer is bounded: excess input is dropped and counted")
    func boundedInput() throws {
        let (_, console, _, _, _) = try make(inputCapacity: 16)
        #expect(console.sendInput([UInt8](repeating: 1, count: 20)) == 16)
        #expect(console.sendInput([2]) == 0)
        #expect(console.droppedInputBytes == 5)
    }

    @Test("a receive chain without writable bytes is used with length 0 and the input stays queued")
    func readableOnlyReceive() throws {
        let (d, console, _, rx, _) = try make()
        rx.submit([d.readable([1, 2])])
        console.sendInput([0x7a])
        #expect(rx.takeUsed() == [.init(id: 0, length: 0)])
        let buffer = d.writable(1)
        rx.submit([buffer])
        #expect(rx.takeUsed().map(\.length) == [1])
        #expect(d.bytes(of: buffer) == [0x7a])
    }

    @Test("emerg_wr works even on an unconfigured device (§5.3.5.1)")
    func emergencyWrite() throws {
        let out = OutputCollector()
        let d = try MockDriver(device: ConsoleDevice(output: out.sink))
        #expect(d.status == [])
        d.transport.write(offset: MMIORegister.configOffset + 8, size: 4, value: 0x1234_5621)
        #expect(out.all == [0x21])
    }

    @Test("other config writes are ignored")
    func readOnlyConfig() throws {
        let (d, _, _, _, _) = try make()
        d.transport.write(offset: MMIORegister.configOffset, size: 2, value: 7)
        #expect(d.readConfig(0, size: 2) == 80)
        #expect(d.logLines.contains("only emerg_wr is writable"))
    }

    @Test("resize updates cols/rows, bumps ConfigGeneration and raises a config interrupt (§5.3.6)")
    func resize() throws {
        let (d, console, _, _, _) = try make()
        #expect(d.readConfig(0, size: 2) == 80)
        #expect(d.readConfig(2, size: 2) == 25)
        let generation = d.read(.configGeneration)
        console.resize(columns: 120, rows: 50)
        #expect(d.readConfig(0, size: 2) == 120)
        #expect(d.readConfig(2, size: 2) == 50)
        #expect(d.read(.configGeneration) == generation &+ 1)
        #expect(d.read(.interruptStatus) & InterruptStatus.configChange.rawValue != 0)
    }

    @Test("before DRIVER_OK a resize changes ConfigGeneration but sends no interrupt")
    func resizeBeforeDriverOK() throws {
        let console = ConsoleDevice(output: { _ in })
        let d = try MockDriver(device: console)
        console.resize(columns: 1, rows: 1)
        #expect(d.read(.configGeneration) == 1)
        #expect(d.read(.interruptStatus) == 0)
        #expect(d.interrupt.signals == 0)
    }
}
