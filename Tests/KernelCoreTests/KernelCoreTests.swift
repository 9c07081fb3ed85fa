// KernelCoreTests.swift — the kernel's memory logic on the host: frame allocator, page tables,
// user-memory copies with permission checks, and the heap. The same code runs in the kernel.
import RuntimeSupport
import KernelCore
import Testing

/// A fake physical memory of `frames` pages and an allocator over all but frame 0.
final class FakePhysical {
    let base: UnsafeMutableRawPointer
    let size: UInt64
    let bitmap: UnsafeMutablePointer<UInt64>
    var frames: FrameAllocator
    var window: PhysicalMemoryWindow { PhysicalMemoryWindow(base: base, size: size) }

    init(frames count: UInt64) {
        size = count * pageSize
        base = UnsafeMutableRawPointer.allocate(byteCount: Int(size), alignment: 4096)
        base.initializeMemory(as: UInt8.self, repeating: 0xcc, count: Int(size))
        bitmap = .allocate(capacity: FrameAllocator.bitmapWords(count))
        frames = FrameAllocator(bitmap: bitmap, firstFrame: 0, frameCount: count)
        frames.release(range: PhysicalAddress(pageSize), length: size - pageSize)
    }
    deinit { base.deallocate(); bitmap.deallocate() }
}

@Test func frameAllocatorHandsOutEachFrameOnce() {
    let p = FakePhysical(frames: 200)
    var seen = Set<UInt64>()
    while let f = p.frames.allocate() {
        #expect(f.isPageAligned)
        #expect(f.value != 0)
        #expect(seen.insert(f.value).inserted)
    }
    #expect(seen.count == 199)
    #expect(p.frames.freeCount == 0)
    p.frames.free(PhysicalAddress(5 * pageSize))
    #expect(p.frames.isFree(PhysicalAddress(5 * pageSize)))
    #expect(p.frames.allocate() == PhysicalAddress(5 * pageSize))
}

@Test func frameAllocatorHandsOutTheHighestFrameOnRequest() {
    let p = FakePhysical(frames: 200)
    #expect(p.frames.allocateHighest() == PhysicalAddress(199 * pageSize))
    #expect(p.frames.allocateHighest() == PhysicalAddress(198 * pageSize))
    #expect(p.frames.freeCount == 197)
    p.frames.free(PhysicalAddress(199 * pageSize))
    #expect(p.frames.allocateHighest() == PhysicalAddress(199 * pageSize))
    while p.frames.allocate() != nil {}
    #expect(p.frames.allocateHighest() == nil)
}

@Test func physicalWindowTreatsTheMMIOHoleAsNotRAM() {
    let base = UnsafeMutableRawPointer(bitPattern: 0x1000)!
    let w = PhysicalMemoryWindow(base: base, size: 8 << 30, hole: 0xd000_0000..<(1 << 32))
    #expect(w.contains(PhysicalAddress(0xcfff_f000), length: pageSize))
    #expect(!w.contains(PhysicalAddress(0xcfff_f000), length: 2 * pageSize), "a range running into the hole")
    #expect(!w.contains(PhysicalAddress(0xd000_0000), length: pageSize))
    #expect(!w.contains(PhysicalAddress(0xffff_f000), length: pageSize))
    #expect(w.contains(PhysicalAddress(1 << 32), length: pageSize))
    #expect(w.contains(PhysicalAddress((8 << 30) - pageSize), length: pageSize))
    #expect(!w.contains(PhysicalAddress(8 << 30), length: 1))
    let plain = PhysicalMemoryWindow(base: base, size: 256 << 20)
    #expect(plain.contains(PhysicalAddress(0), length: 256 << 20))
}

@Test func mapLookupUnmap() throws {
    let p = FakePhysical(frames: 64)
    let space = AddressSpace.create(frames: &p.frames, memory: p.window)!
    let frame = p.frames.allocate()!
    try space.map(VirtualAddress(0x40_0000), to: frame, flags: [.user, .writable], frames: &p.frames, memory: p.window)
    let (found, flags) = try #require(space.lookup(VirtualAddress(0x40_0000), memory: p.window))
    #expect(found == frame)
    #expect(flags.contains(.user) && flags.contains(.writable))
    #expect(space.lookup(VirtualAddress(0x40_1000), memory: p.window) == nil)
    #expect(throws: MapError.alreadyMapped(VirtualAddress(0x40_0000))) {
        try space.map(VirtualAddress(0x40_0000), to: frame, flags: [.user], frames: &p.frames, memory: p.window)
    }
    #expect(throws: MapError.misaligned) {
        try space.map(VirtualAddress(0x40_0001), to: frame, flags: [.user], frames: &p.frames, memory: p.window)
    }
    #expect(throws: MapError.notCanonical(VirtualAddress(0xffff_8000_0000_0000))) {
        try space.map(VirtualAddress(0xffff_8000_0000_0000), to: frame, flags: [], frames: &p.frames, memory: p.window)
    }
    #expect(space.unmap(VirtualAddress(0x40_0000), memory: p.window)?.frame == frame)
    #expect(space.lookup(VirtualAddress(0x40_0000), memory: p.window) == nil)
}

@Test func effectivePermissionIsTheIntersectionOfAllLevels() throws {
    let p = FakePhysical(frames: 64)
    let space = AddressSpace.create(frames: &p.frames, memory: p.window)!
    // A supervisor page and a read-only user page in the same table.
    try space.map(VirtualAddress(0x1000), to: p.frames.allocate()!, flags: [.writable], frames: &p.frames, memory: p.window)
    try space.map(VirtualAddress(0x2000), to: p.frames.allocate()!, flags: [.user, .noExecute], frames: &p.frames, memory: p.window)
    let kernel = try #require(space.lookup(VirtualAddress(0x1000), memory: p.window))
    let user = try #require(space.lookup(VirtualAddress(0x2000), memory: p.window))
    #expect(!kernel.flags.contains(.user))
    #expect(user.flags.contains(.user) && !user.flags.contains(.writable) && user.flags.contains(.noExecute))
}

@Test func destroyReturnsEveryOwnedFrameAndTable() throws {
    let p = FakePhysical(frames: 256)
    let before = p.frames.freeCount
    let space = AddressSpace.create(frames: &p.frames, memory: p.window)!
    let shared = p.frames.allocate()!
    for i in 0..<40 {
        try space.map(VirtualAddress(0x40_0000 + UInt64(i) * pageSize), to: p.frames.allocate()!,
                      flags: [.user, .owned], frames: &p.frames, memory: p.window)
    }
    try space.map(VirtualAddress(0x3fff_ffff_f000), to: shared, flags: [.user], frames: &p.frames, memory: p.window)
    space.destroy(userSlots: 128, frames: &p.frames, memory: p.window)
    #expect(p.frames.freeCount == before - 1)      // everything but the shared, not-owned frame
    #expect(!p.frames.isFree(shared))
}

@Test func userCopiesCheckEveryPage() throws {
    let p = FakePhysical(frames: 64)
    let space = AddressSpace.create(frames: &p.frames, memory: p.window)!
    let a = p.frames.allocate()!, b = p.frames.allocate()!, k = p.frames.allocate()!
    try space.map(VirtualAddress(0x10_0000), to: a, flags: [.user, .writable], frames: &p.frames, memory: p.window)
    try space.map(VirtualAddress(0x10_1000), to: b, flags: [.user], frames: &p.frames, memory: p.window)
    try space.map(VirtualAddress(0x10_2000), to: k, flags: [.writable], frames: &p.frames, memory: p.window)
    let user = UserMemory(space: space, memory: p.window, userEnd: 0x4000_0000_0000)

    // A copy across the boundary of two user pages lands in both frames.
    var data = [UInt8](0..<32)
    try user.copyOut(to: 0x10_0ff0, from: &data, length: 16)
    #expect(p.window.pointer(a).load(fromByteOffset: 0xff0, as: UInt8.self) == 0)
    var back = [UInt8](repeating: 0, count: 16)
    try user.copyIn(from: 0x10_0ff0, length: 16, into: &back)
    #expect(back == Array(data[0..<16]))

    #expect(throws: UserMemoryError.fault(address: 0x10_1000)) {           // read-only page
        try user.copyOut(to: 0x10_0ff8, from: &data, length: 16)
    }
    #expect(throws: UserMemoryError.fault(address: 0x10_2000)) {           // supervisor page
        try user.copyIn(from: 0x10_1ff8, length: 16, into: &back)
    }
    #expect(throws: UserMemoryError.fault(address: 0x10_3000)) {           // unmapped
        try user.copyIn(from: 0x10_3000, length: 1, into: &back)
    }
    #expect(throws: UserMemoryError.fault(address: 0x3fff_ffff_fffc)) {    // leaves user space
        try user.copyIn(from: 0x3fff_ffff_fffc, length: 8, into: &back)
    }
    #expect(throws: UserMemoryError.fault(address: 0x10_0000)) {           // length wraps
        try user.checkRange(0x10_0000, UInt64.max)
    }
}

@Test func copiesBetweenTwoAddressSpacesCheckBothSides() throws {
    let p = FakePhysical(frames: 64)
    let one = AddressSpace.create(frames: &p.frames, memory: p.window)!
    let two = AddressSpace.create(frames: &p.frames, memory: p.window)!
    for i in 0..<3 {
        try one.map(VirtualAddress(0x20_0000 + UInt64(i) * 0x1000), to: p.frames.allocate()!, flags: [.user, .writable], frames: &p.frames, memory: p.window)
    }
    try two.map(VirtualAddress(0x50_0000), to: p.frames.allocate()!, flags: [.user, .writable], frames: &p.frames, memory: p.window)
    try two.map(VirtualAddress(0x50_1000), to: p.frames.allocate()!, flags: [.user, .writable], frames: &p.frames, memory: p.window)
    try two.map(VirtualAddress(0x50_2000), to: p.frames.allocate()!, flags: [.user], frames: &p.frames, memory: p.window)
    let a = UserMemory(space: one, memory: p.window, userEnd: 0x4000_0000_0000)
    let b = UserMemory(space: two, memory: p.window, userEnd: 0x4000_0000_0000)
    var data = (0..<6000).map { UInt8(truncatingIfNeeded: $0 * 7) }
    try a.copyOut(to: 0x20_0100, from: &data, length: data.count)
    // Unaligned on both sides, across page boundaries on both sides.
    try a.copy(from: 0x20_0100, to: b, at: 0x50_0200, length: 6000)
    var back = [UInt8](repeating: 0, count: 6000)
    try b.copyIn(from: 0x50_0200, length: 6000, into: &back)
    #expect(back == data)
    #expect(throws: UserMemoryError.fault(address: 0x50_2000)) {            // read-only destination page
        try a.copy(from: 0x20_0000, to: b, at: 0x50_1800, length: 4096)
    }
    #expect(throws: UserMemoryError.fault(address: 0x20_3000)) {            // unmapped source page
        try a.copy(from: 0x20_2800, to: b, at: 0x50_0000, length: 4096)
    }
    #expect(throws: UserMemoryError.fault(address: 0x3fff_ffff_f000)) {     // destination leaves user space
        try a.copy(from: 0x20_0000, to: b, at: 0x3fff_ffff_f000, length: 8192)
    }
}

@Test func heapAllocationsAreAlignedDisjointAndCoalesce() {
    let size = 1 << 20
    let region = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
    defer { region.deallocate() }
    var heap = HeapAllocator(start: region, size: size)
    var generator = SystemRandomNumberGenerator()
    var live: [(UnsafeMutableRawPointer, Int, UInt8)] = []
    for step in 0..<20_000 {
        if live.isEmpty || (Int.random(in: 0..<3, using: &generator) != 0 && live.count < 500) {
            let n = Int.random(in: 0...2000, using: &generator)
            let align = [8, 16, 64, 4096][Int.random(in: 0..<4, using: &generator)]
            guard let p = heap.allocate(size: n, alignment: align) else { continue }
            #expect(Int(bitPattern: p) % max(align, 16) == 0)
            let tag = UInt8(truncatingIfNeeded: step)
            p.initializeMemory(as: UInt8.self, repeating: tag, count: n)
            live.append((p, n, tag))
        } else {
            let i = Int.random(in: 0..<live.count, using: &generator)
            let (p, n, tag) = live.remove(at: i)
            // Nobody else wrote into this block while it was live.
            #expect((0..<n).allSatisfy { p.load(fromByteOffset: $0, as: UInt8.self) == tag })
            heap.free(p)
        }
    }
    for (p, _, _) in live { heap.free(p) }
    #expect(heap.bytesInUse == 0)
    // Fully coalesced: the whole region is one block again.
    #expect(heap.allocate(size: size - 64, alignment: 16) != nil)
}

@Test func heapRecyclesSmallBlocksBySizeClassAndReturnsThemUnderPressure() {
    let size = 64 << 10
    let region = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
    defer { region.deallocate() }
    var heap = HeapAllocator(start: region, size: size)
    // A freed small block is the next one of its class handed out (LIFO, no list walk).
    let a = heap.allocate(size: 40, alignment: 16)!
    let b = heap.allocate(size: 40, alignment: 16)!
    heap.free(a)
    #expect(heap.allocate(size: 48, alignment: 16) == a, "same class (48-byte payloads)")
    #expect(heap.allocate(size: 100, alignment: 16) != a)
    heap.free(b)
    // Fill the heap with small blocks, free them all (into the class lists), then ask for nearly
    // the whole heap: the lists must be given back and coalesced for this to fit.
    var small: [UnsafeMutableRawPointer] = []
    while let p = heap.allocate(size: 200, alignment: 16) { small.append(p) }
    #expect(small.count > 200)
    for p in small { heap.free(p) }
    let whole = heap.allocate(size: size - 1024, alignment: 16)
    #expect(whole != nil)
}

@Test func forkCopiesOwnedPagesAndSharesTheRest() throws {
    let p = FakePhysical(frames: 200)
    let w = p.window
    let parent = AddressSpace.create(frames: &p.frames, memory: w)!
    let data = p.frames.allocate()!, shared = p.frames.allocate()!
    w.pointer(data).storeBytes(of: UInt64(0x1234), as: UInt64.self)
    try parent.map(VirtualAddress(0x40_0000), to: data, flags: [.user, .writable, .owned], frames: &p.frames, memory: w)
    try parent.map(VirtualAddress(0x7f_f000), to: shared, flags: [.user], frames: &p.frames, memory: w)
    let child = AddressSpace.create(frames: &p.frames, memory: w)!
    try parent.copyUserPages(into: child, userSlots: 128, frames: &p.frames, memory: w)
    let copied = try #require(child.lookup(VirtualAddress(0x40_0000), memory: w))
    #expect(copied.frame != data, "an owned page gets its own frame")
    #expect(copied.flags.contains(.owned) && copied.flags.contains(.writable))
    #expect(w.pointer(copied.frame).load(as: UInt64.self) == 0x1234)
    w.pointer(copied.frame).storeBytes(of: UInt64(99), as: UInt64.self)
    #expect(w.pointer(data).load(as: UInt64.self) == 0x1234, "writes in the child do not reach the parent")
    #expect(child.lookup(VirtualAddress(0x7f_f000), memory: w)?.frame == shared, "shared pages stay shared")
    let before = p.frames.freeCount
    child.destroy(userSlots: 128, frames: &p.frames, memory: w)
    #expect(p.frames.freeCount > before && parent.lookup(VirtualAddress(0x40_0000), memory: w)?.frame == data)
    #expect(p.frames.isFree(copied.frame) && !p.frames.isFree(shared))
}
