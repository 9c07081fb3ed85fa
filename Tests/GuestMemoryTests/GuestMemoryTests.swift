// GuestMemoryTests.swift — every guest-controlled access is bounds-checked, overflow included.
import GuestMemory
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
