// MemoryMapTests.swift — the mmap bookkeeping on the host: first-fit placement, hints, splitting
// by munmap and mprotect, coverage for mprotect's ENOMEM.
import ABI
import KernelCore
import Testing

let rw = UInt32(SV_PROT_READ | SV_PROT_WRITE)

@Test func mappingsGoToTheLowestFreeRange() {
    var m = MemoryMap(lowest: 0x10000, highest: 0x20000)
    #expect(m.findFree(length: 0x2000) == 0x10000)
    m.insert(MappedRegion(start: 0x10000, end: 0x12000, protection: rw))
    m.insert(MappedRegion(start: 0x13000, end: 0x14000, protection: rw))
    #expect(m.findFree(length: 0x1000) == 0x12000, "the hole between two regions")
    #expect(m.findFree(length: 0x2000) == 0x14000, "too small a hole is skipped")
    #expect(m.findFree(length: 0x1000, hint: 0x18000) == 0x18000, "a free hint is honoured")
    #expect(m.findFree(length: 0x10000) == nil, "no room")
    #expect(m.findFree(length: 0xc000) == 0x14000)
}

@Test func unmappingSplitsRegions() {
    var m = MemoryMap(lowest: 0x10000, highest: 0x40000)
    m.insert(MappedRegion(start: 0x10000, end: 0x20000, protection: rw))
    let removed = m.remove(0x12000, 0x14000)
    #expect(removed == [MappedRegion(start: 0x12000, end: 0x14000, protection: rw)])
    #expect(m.regions == [MappedRegion(start: 0x10000, end: 0x12000, protection: rw),
                          MappedRegion(start: 0x14000, end: 0x20000, protection: rw)])
    #expect(m.remove(0x30000, 0x31000).isEmpty, "unmapping nothing is fine (POSIX)")
    #expect(m.remove(0x11000, 0x15000).count == 2, "one range can cut two regions")
    #expect(m.region(containing: 0x11fff) == nil && m.region(containing: 0x10fff) != nil)
}

@Test func protectSplitsAndNeedsFullCoverage() {
    var m = MemoryMap(lowest: 0x10000, highest: 0x40000)
    m.insert(MappedRegion(start: 0x10000, end: 0x14000, protection: rw))
    m.insert(MappedRegion(start: 0x14000, end: 0x16000, protection: UInt32(SV_PROT_READ)))
    #expect(m.covers(0x11000, 0x16000))
    #expect(!m.covers(0x11000, 0x17000), "a hole at the end")
    #expect(!m.covers(0xf000, 0x11000), "a hole at the start")
    let old = m.protect(0x13000, 0x15000, UInt32(SV_PROT_NONE))
    #expect(old == [MappedRegion(start: 0x13000, end: 0x14000, protection: rw),
                    MappedRegion(start: 0x14000, end: 0x15000, protection: UInt32(SV_PROT_READ))])
    #expect(m.region(containing: 0x13800)?.protection == UInt32(SV_PROT_NONE))
    #expect(m.region(containing: 0x12800)?.protection == rw)
    #expect(m.region(containing: 0x15800)?.protection == UInt32(SV_PROT_READ))
    #expect(m.regions.count == 4)
}

@Test func theNumberOfRegionsIsBounded() {
    var m = MemoryMap(lowest: 0x10000, highest: 0x10000 + UInt64(MemoryMap.maximumRegions + 10) * 0x2000)
    var at: UInt64 = 0x10000
    while m.hasRoom(for: 1) {
        m.insert(MappedRegion(start: at, end: at + 0x1000, protection: UInt32(SV_PROT_NONE)))
        at += 0x2000
    }
    #expect(m.regions.count == MemoryMap.maximumRegions)
    #expect(!m.hasRoom(for: 1) && m.hasRoom(for: 0))
}
