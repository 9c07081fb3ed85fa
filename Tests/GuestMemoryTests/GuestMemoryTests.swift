// GuestMemoryTests.swift — every guest-controlled access is bounds-checked, overflow included.
import Glibc
import GuestMemory
import Synchronization
import Testing

@Test func readsAndWritesInside() throws {
    let m = try GuestMemory(size: 0x10000)
    try m.store(UInt32(0xdead_beef), at: GuestAddress(0x100))
    #expect(try m.load(UInt32.self, at: GuestAddress(0x100)) == 0xdead_beef)
    #expect(try m.load(UInt8.self, at: GuestAddress(0x100)) == 0xef)      // little-endian
    try m.write(at: GuestAddress(0xfff0), bytes: Array(repeating: 9, count: 16))
    #expect(try m.read(at: GuestAddress(0xfff0), count: 16) == Array(repeating: 9, count: 16))
    try m.fill(at: GuestAddress(0), length: 0x10000, with: 1)
    #expect(try m.load(UInt64.self, at: GuestAddress(0xfff8)) == 0x0101_0101_0101_0101)
}

let outOfBounds: [(UInt64, UInt64)] = [
    (0x10000, 1), (0xffff, 2), (0xfff9, 8), (UInt64.max, 1), (UInt64.max - 3, 8), (0, 0x10001), (1, UInt64.max),
]

@Test(arguments: outOfBounds)
func rejectsOutOfBounds(address: UInt64, length: UInt64) throws {
    let m = try GuestMemory(size: 0x10000)
    #expect(throws: GuestMemoryError.outOfBounds(address: address, length: length)) {
        _ = try m.bytes(at: GuestAddress(address), length: length)
    }
}

@Test func zeroLengthAtTheEndIsAllowed() throws {
    let m = try GuestMemory(size: 0x1000)
    #expect(try m.bytes(at: GuestAddress(0x1000), length: 0).count == 0)
    #expect(throws: GuestMemoryError.self) { _ = try m.bytes(at: GuestAddress(0x1001), length: 0) }
}

@Test func rejectsBadSizes() {
    #expect(throws: GuestMemoryError.badSize(0)) { _ = try GuestMemory(size: 0) }
    #expect(throws: GuestMemoryError.badSize(4097)) { _ = try GuestMemory(size: 4097) }
}

@Test func addressArithmeticReportsOverflow() {
    #expect(GuestAddress(UInt64.max).adding(1) == nil)
    #expect(GuestAddress(1).adding(2) == GuestAddress(3))
}

@Test func singleAccessFieldsAreLittleEndianAndChecked() throws {
    let m = try GuestMemory(size: 0x1000)
    try m.storeOnce(UInt16(0xbeef), at: GuestAddress(0x102), releasing: true)
    #expect(try m.load(UInt8.self, at: GuestAddress(0x102)) == 0xef)
    #expect(try m.loadOnce(UInt16.self, at: GuestAddress(0x102), acquiring: true) == 0xbeef)
    try m.storeOnce(UInt64(0x0102_0304_0506_0708), at: GuestAddress(0x108))
    #expect(try m.loadOnce(UInt32.self, at: GuestAddress(0x10c)) == 0x0102_0304)
    #expect(throws: GuestMemoryError.misaligned(address: 0x101, alignment: 2)) { _ = try m.loadOnce(UInt16.self, at: GuestAddress(0x101)) }
    #expect(throws: GuestMemoryError.misaligned(address: 0x104, alignment: 8)) { try m.storeOnce(UInt64(1), at: GuestAddress(0x104)) }
    #expect(throws: GuestMemoryError.outOfBounds(address: 0x1000, length: 4)) { _ = try m.loadOnce(UInt32.self, at: GuestAddress(0x1000)) }
}

/// The bug of issue 16: a ring idx moving 0x00ff → 0x0100 read as 0x01ff or 0x0000 when its two
/// bytes are loaded separately. A single-access load sees only values that were stored.
@Test func aSingleAccessLoadNeverSeesHalfOfAStore() throws {
    let m = try GuestMemory(size: 0x1000)
    let field = GuestAddress(0x802)
    try m.storeOnce(UInt16(0x00ff), at: field)
    let done = Atomic<Bool>(false)
    let writer = startThread {
        var flip = false
        while !done.load(ordering: .relaxed) {
            try! m.storeOnce(flip ? UInt16(0x00ff) : 0x0100, at: field)
            flip.toggle()
        }
    }
    var torn = 0
    for _ in 0 ..< 2_000_000 {
        let v = try m.loadOnce(UInt16.self, at: field)
        if v != 0x00ff && v != 0x0100 { torn += 1 }
    }
    done.store(true, ordering: .relaxed)
    pthread_join(writer, nil)
    #expect(torn == 0)
}

/// Runs `body` on a new thread (this test target has no HostSupport).
func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, Unmanaged.passRetained(Box(body)).toOpaque())
    precondition(rc == 0, "pthread_create: \(rc)")
    return thread
}

@Test func ramPastTheHoleContinuesAtFourGiB() throws {
    // 8 GiB with the hole at 0xd0000000: 3.25 GiB low, 4.75 GiB from 4 GiB; nothing in between.
    let m = try GuestMemory(size: 8 << 30, holeStart: 0xd000_0000)
    #expect(m.regions == [GuestMemory.Region(guestPhysical: 0, size: 0xd000_0000, hostOffset: 0),
                          GuestMemory.Region(guestPhysical: 1 << 32, size: (8 << 30) - 0xd000_0000, hostOffset: 0xd000_0000)])
    #expect(m.lowSize == 0xd000_0000)
    #expect(m.contains(GuestAddress(0xcfff_fff8), length: 8))
    #expect(!m.contains(GuestAddress(0xcfff_fff8), length: 16), "a range running into the hole")
    #expect(!m.contains(GuestAddress(0xd000_0000), length: 1))
    #expect(!m.contains(GuestAddress(0xffff_ffff), length: 1))
    let top = GuestAddress((1 << 32) + (8 << 30) - 0xd000_0000 - 8)
    #expect(m.contains(top, length: 8))
    #expect(!m.contains(GuestAddress(top.value + 8), length: 1))
    // The high region is the host mapping's tail: what is written at 4 GiB is at hostBase + low.
    try m.store(UInt64(0x1122_3344_5566_7788), at: GuestAddress(1 << 32))
    #expect(m.hostBase.load(fromByteOffset: 0xd000_0000, as: UInt64.self) == 0x1122_3344_5566_7788)
    try m.store(UInt64(42), at: top)
    #expect(try m.load(UInt64.self, at: top) == 42)
    #expect(throws: GuestMemoryError.self) { try m.load(UInt32.self, at: GuestAddress(0xe000_0000)) }
    // Below the hole everything is one region, as before.
    let small = try GuestMemory(size: 64 << 20, holeStart: 0xd000_0000)
    #expect(small.regions.count == 1 && small.lowSize == 64 << 20)
}
