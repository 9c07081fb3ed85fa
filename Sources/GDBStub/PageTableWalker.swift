// PageTableWalker.swift — guest-virtual to guest-physical translation by walking the guest's x86-64
// page tables in guest RAM (Intel SDM vol. 3A §4.5, "4-level paging and 5-level paging"), for a
// `DebugTarget` that cannot or does not want to use KVM_TRANSLATE (crosvm's `phys_addr` does this).
// It reads only page-table entries, through a closure, so it needs no KVM and is unit-testable.

/// The control-register state that decides how an address translates (from `kvm_sregs`).
public struct PagingMode: Equatable, Sendable {
    public var cr0: UInt64
    public var cr3: UInt64
    public var cr4: UInt64
    public var efer: UInt64
    public init(cr0: UInt64, cr3: UInt64, cr4: UInt64, efer: UInt64) {
        self.cr0 = cr0
        self.cr3 = cr3
        self.cr4 = cr4
        self.efer = efer
    }
    public init(_ registers: X86_64Registers) {
        self.init(cr0: registers.cr0, cr3: registers.cr3, cr4: registers.cr4, efer: registers.efer)
    }
}

public enum PageTableWalker {
    static let cr0PG: UInt64 = 1 << 31
    static let cr4PAE: UInt64 = 1 << 5
    static let cr4LA57: UInt64 = 1 << 12
    static let eferLMA: UInt64 = 1 << 10
    static let present: UInt64 = 1 << 0
    static let pageSize: UInt64 = 1 << 7
    /// Bits 51:12 of an entry: the physical address of the next table or page (MAXPHYADDR 52).
    static let addressMask: UInt64 = 0x000f_ffff_ffff_f000

    /// The translation of `address`, or nil if it is not canonical, an entry on the way is not
    /// present, an entry could not be read (`readEntry` returned nil), or the mode is not long mode
    /// with paging (32-bit paging is not walked). With paging off the address is physical.
    ///
    /// `readEntry` reads the 8-byte little-endian entry at a guest-physical address.
    public static func translate(_ address: VirtualAddress, mode: PagingMode,
                                 readEntry: (UInt64) -> UInt64?) -> UInt64? {
        let va = address.value
        guard mode.cr0 & cr0PG != 0 else { return va }
        guard mode.cr4 & cr4PAE != 0, mode.efer & eferLMA != 0 else { return nil }
        let levels = mode.cr4 & cr4LA57 != 0 ? 5 : 4
        // Canonical: bits 63:(top) are copies of bit top (47 for 4-level, 56 for 5-level).
        let top = UInt64(levels == 5 ? 56 : 47)
        let high = va >> top
        guard high == 0 || high == (UInt64.max >> top) else { return nil }

        var table = mode.cr3 & addressMask
        for level in stride(from: levels, through: 1, by: -1) {
            let shift = UInt64(12 + 9 * (level - 1))
            let index = (va >> shift) & 0x1ff
            guard let entry = readEntry(table + index * 8), entry & present != 0 else { return nil }
            // PS in a PDPTE (level 3) maps 1 GiB, in a PDE (level 2) 2 MiB; in a PTE it is PAT.
            if level == 1 || ((level == 2 || level == 3) && entry & pageSize != 0) {
                let offsetMask = (UInt64(1) << shift) - 1
                return (entry & addressMask & ~offsetMask) | (va & offsetMask)
            }
            table = entry & addressMask
        }
        return nil
    }
}
