// PageTableWalkerTests.swift — guest-virtual → guest-physical translation over the simulated
// machine's real page tables (4 KiB, 2 MiB, 1 GiB mappings and holes), plus the mode checks.
import Testing
@testable import GDBStub
import GDBStubTestSupport

@Suite("Page-table walker")
struct PageTableWalkerTests {
    static let target = SimulatedTarget(threadCount: 1)

    static func translate(_ va: UInt64, mode: PagingMode? = nil) -> UInt64? {
        let ram = target.ram
        let regs = target.registers(of: ThreadID(1))
        return PageTableWalker.translate(VirtualAddress(va), mode: mode ?? PagingMode(regs)) { pa in
            guard pa + 8 <= UInt64(ram.count) else { return nil }
            return (0..<8).reduce(UInt64(0)) { $0 | UInt64(ram[Int(pa) + $1]) << (8 * UInt64($1)) }
        }
    }

    typealias P = SimulatedProgram
    static let translations: [(UInt64, UInt64?)] = [
        (P.codeBase, 0x10000),
        (P.codeBase + 0xfff, 0x10fff),
        (P.data + 0x123, 0x11123),
        (P.hole, nil),                                  // PT entry not present
        (P.hole + 0xfff, nil),
        (P.data2, 0x12000),
        (P.directMap + 0x1_2345, 0x1_2345),             // 2 MiB page
        (P.directMap + 0x1f_ffff, 0x1f_ffff),
        (P.unbacked + 0x1234_5678, 0x4000_0000 + 0x1234_5678),  // 1 GiB page
        (P.codeBase + 0x40_0000, nil),                  // PD entry not present
        (0x0000_7fff_ffff_f000, nil),                   // PML4 entry not present
        (0x0000_8000_0000_0000, nil),                   // not canonical
        (0xffff_7fff_ffff_ffff, nil),                   // not canonical
    ]

    @Test("4-level translations", arguments: translations)
    func translation(va: UInt64, pa: UInt64?) {
        #expect(Self.translate(va) == pa)
    }

    @Test func pagingOffMeansIdentity() {
        let mode = PagingMode(cr0: 0x11, cr3: 0x1000, cr4: 0, efer: 0)
        #expect(Self.translate(0x1234_5678, mode: mode) == 0x1234_5678)
    }

    @Test func thirtyTwoBitPagingIsNotWalked() {
        let mode = PagingMode(cr0: 0x8000_0011, cr3: 0x1000, cr4: 0, efer: 0)
        #expect(Self.translate(0x1000, mode: mode) == nil)
    }

    @Test func fiveLevelPagingWalksOneMoreLevel() {
        // LA57 with CR3 → a PML5 whose entry 511 points at the PML4 at 0x1000: the same mappings,
        // now under 57-bit canonical addresses (bits 63:56 copy bit 56).
        var ram = [UInt8](repeating: 0, count: 0x20_0000)
        let base = Self.target.ram
        ram.replaceSubrange(0..<base.count, with: base)
        let pml5 = 0x5000
        let entry: UInt64 = 0x1000 | 7
        for b in 0..<8 { ram[pml5 + 511 * 8 + b] = UInt8(truncatingIfNeeded: entry >> (8 * UInt64(b))) }
        let mode = PagingMode(cr0: 0x8000_0033, cr3: UInt64(pml5), cr4: 0x6a0 | (1 << 12), efer: 0xd01)
        let read: (UInt64) -> UInt64? = { pa in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(ram[Int(pa) + $1]) << (8 * UInt64($1)) }
        }
        #expect(PageTableWalker.translate(VirtualAddress(0xffff_ffff_8000_1008), mode: mode, readEntry: read) == 0x11008)
        #expect(PageTableWalker.translate(VirtualAddress(0xfeff_ffff_8000_1008), mode: mode, readEntry: read) == nil)
    }

    @Test func unreadableTableIsAFailedWalk() {
        let mode = PagingMode(cr0: 0x8000_0033, cr3: 0x4000_0000_0000, cr4: 0x6a0, efer: 0xd01)
        #expect(Self.translate(SimulatedProgram.codeBase, mode: mode) == nil)
    }
}
