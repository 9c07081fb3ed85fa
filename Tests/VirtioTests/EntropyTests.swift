// EntropyTests.swift — virtio-rng (virtio 1.2 §5.4): writable buffers filled from the source.
import Testing
import Virtio
import VirtioTestSupport

/// A deterministic source: byte i of each fill is `seed &+ i`.
struct CountingSource: EntropySource {
    let seed: UInt8
    func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        for i in 0 ..< buffer.count { buffer[i] = seed &+ UInt8(truncatingIfNeeded: i) }
        return buffer.count
    }
}

/// A source that always fails.
struct BrokenSource: EntropySource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int { 0 }
}

@Suite struct EntropyTests {
    @Test("no features and no configuration space (§5.4.3, §5.4.4)")
    func noConfig() throws {
        let d = try MockDriver(device: EntropyDevice())
        #expect(d.deviceFeatures & VirtioFeature.deviceTypeMask == 0)
        #expect(d.readConfig(0, size: 1) == 0)
        #expect(d.guestErrors == 1)
    }

    @Test("every writable byte is filled and the used length says how many (§5.4.6)")
    func fills() throws {
        let d = try MockDriver(device: EntropyDevice(source: CountingSource(seed: 10)))
        let q = d.initialize()[0]
        let a = d.writable(3), b = d.writable(2)
        q.submit([a, b])
        #expect(q.takeUsed() == [.init(id: 0, length: 5)])
        #expect(d.bytes(of: a) == [10, 11, 12])
        #expect(d.bytes(of: b) == [10, 11])
    }

    @Test("getrandom fills the buffer")
    func getrandom() throws {
        let d = try MockDriver(device: EntropyDevice())
        let q = d.initialize()[0]
        let a = d.writable(64, fill: 0xee)
        q.submit([a])
        #expect(q.takeUsed().map(\.length) == [64])
        #expect(d.bytes(of: a) != [UInt8](repeating: 0xee, count: 64))
    }

    @Test("a request larger than 64 KiB is served partially (§5.4.6.2 allows it)")
    func cap() throws {
        let d = try MockDriver(device: EntropyDevice(source: CountingSource(seed: 0)))
        let q = d.initialize()[0]
        let big = d.writable(100_000, fill: 0xee)
        q.submit([big])
        #expect(q.takeUsed().map(\.length) == [UInt32(EntropyConfig.maxBytesPerRequest)])
        #expect(d.bytes(of: big)[EntropyConfig.maxBytesPerRequest] == 0xee)
    }

    @Test("device-readable buffers are ignored; a chain without writable bytes is used with length 0")
    func readableOnly() throws {
        let d = try MockDriver(device: EntropyDevice(source: CountingSource(seed: 0)))
        let q = d.initialize()[0]
        let r = d.readable([1, 2, 3])
        q.submit([r])
        #expect(q.takeUsed().map(\.length) == [0])
        #expect(d.bytes(of: r) == [1, 2, 3])
        #expect(d.guestErrors == 2)
    }

    @Test("a failing source gives used length 0, not a crash")
    func broken() throws {
        let d = try MockDriver(device: EntropyDevice(source: BrokenSource()))
        let q = d.initialize()[0]
        q.submit([d.writable(8)])
        #expect(q.takeUsed().map(\.length) == [0])
        #expect(d.logLines.contains("entropy source failed"))
    }
}
