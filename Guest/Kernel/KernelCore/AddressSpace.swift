// AddressSpace.swift — x86-64 4-level page tables (SDM Vol. 3 §4.5): create, map 4 KiB pages,
// translate with permission checks, and tear down. Pure logic over a PhysicalMemoryWindow, so the
// host unit-tests the very code the kernel runs.

public struct PageFlags: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let present = PageFlags(rawValue: 1 << 0)
    public static let writable = PageFlags(rawValue: 1 << 1)
    public static let user = PageFlags(rawValue: 1 << 2)
    public static let uncached = PageFlags(rawValue: 1 << 4)
    public static let largePage = PageFlags(rawValue: 1 << 7)
    /// Software bit (SDM: bits 9–11 are ignored by the MMU): the frame belongs to this address
    /// space and is freed with it. Shared pages (the entry area) do not carry it.
    public static let owned = PageFlags(rawValue: 1 << 9)
    public static let noExecute = PageFlags(rawValue: 1 << 63)
}

public enum MapError: Error, Equatable {
    case outOfMemory
    case alreadyMapped(VirtualAddress)
    case notCanonical(VirtualAddress)
    case misaligned
}

public struct AddressSpace {
    static let addressMask: UInt64 = 0x000f_ffff_ffff_f000
    public let root: PhysicalAddress

    public init(root: PhysicalAddress) { self.root = root }

    /// A new, empty address space (a zeroed PML4).
    public static func create(frames: inout FrameAllocator, memory: PhysicalMemoryWindow) -> AddressSpace? {
        guard let root = frames.allocate() else { return nil }
        memory.zeroPage(root)
        return AddressSpace(root: root)
    }

    @inline(__always)
    static func index(_ va: VirtualAddress, level: Int) -> Int {
        Int((va.value >> UInt64(12 + 9 * level)) & 511)
    }

    /// Maps the 4 KiB page at `virtual` to `physical` with `flags` (present is implied).
    /// Intermediate tables are created as needed with `tableFlags` (present | writable, plus user
    /// when the leaf is a user page; on x86 the effective permission is the AND of all levels).
    public func map(_ virtual: VirtualAddress, to physical: PhysicalAddress, flags: PageFlags,
                    frames: inout FrameAllocator, memory: PhysicalMemoryWindow) throws(MapError) {
        guard virtual.isPageAligned, physical.isPageAligned else { throw .misaligned }
        guard virtual.value < 0x0000_8000_0000_0000 else { throw .notCanonical(virtual) }
        var tableFlags: PageFlags = [.present, .writable]
        if flags.contains(.user) { tableFlags.insert(.user) }
        var table = root
        for level in stride(from: 3, to: 0, by: -1) {
            let entries = memory.table(table)
            let i = AddressSpace.index(virtual, level: level)
            var entry = entries[i]
            if entry & PageFlags.present.rawValue == 0 {
                guard let next = frames.allocate() else { throw .outOfMemory }
                memory.zeroPage(next)
                entry = next.value | tableFlags.rawValue
                entries[i] = entry
            } else if entry & PageFlags.largePage.rawValue != 0 {
                throw .alreadyMapped(virtual)
            } else if tableFlags.contains(.user) && entry & PageFlags.user.rawValue == 0 {
                entries[i] = entry | PageFlags.user.rawValue
            }
            table = PhysicalAddress(entry & AddressSpace.addressMask)
        }
        let leaf = memory.table(table)
        let i = AddressSpace.index(virtual, level: 0)
        guard leaf[i] & PageFlags.present.rawValue == 0 else { throw .alreadyMapped(virtual) }
        leaf[i] = physical.value | flags.union(.present).rawValue
    }

    /// The leaf entry for `virtual`: its frame and flags, or nil if not mapped.
    public func lookup(_ virtual: VirtualAddress, memory: PhysicalMemoryWindow) -> (frame: PhysicalAddress, flags: PageFlags)? {
        guard virtual.value < 0x0000_8000_0000_0000 else { return nil }
        var table = root
        var effective = PageFlags.user.union(.writable)
        var noExecute = false
        for level in stride(from: 3, through: 0, by: -1) {
            let entry = memory.table(table)[AddressSpace.index(virtual, level: level)]
            guard entry & PageFlags.present.rawValue != 0 else { return nil }
            effective = effective.intersection(PageFlags(rawValue: entry & (PageFlags.user.rawValue | PageFlags.writable.rawValue)))
            if entry & PageFlags.noExecute.rawValue != 0 { noExecute = true }
            if level == 0 || entry & PageFlags.largePage.rawValue != 0 {
                let pageMask: UInt64 = level == 0 ? 0xfff : (UInt64(1) << UInt64(12 + 9 * level)) - 1
                let frame = (entry & AddressSpace.addressMask & ~pageMask) | (virtual.value & pageMask & ~0xfff)
                var flags = effective.union(.present)
                if noExecute { flags.insert(.noExecute) }
                if entry & PageFlags.owned.rawValue != 0 { flags.insert(.owned) }
                return (PhysicalAddress(frame), flags)
            }
            table = PhysicalAddress(entry & AddressSpace.addressMask)
        }
        return nil
    }

    /// Removes the mapping of `virtual`; returns the frame it mapped, if any.
    public func unmap(_ virtual: VirtualAddress, memory: PhysicalMemoryWindow) -> (frame: PhysicalAddress, flags: PageFlags)? {
        var table = root
        for level in stride(from: 3, to: 0, by: -1) {
            let entry = memory.table(table)[AddressSpace.index(virtual, level: level)]
            guard entry & PageFlags.present.rawValue != 0, entry & PageFlags.largePage.rawValue == 0 else { return nil }
            table = PhysicalAddress(entry & AddressSpace.addressMask)
        }
        let leaf = memory.table(table)
        let i = AddressSpace.index(virtual, level: 0)
        let entry = leaf[i]
        guard entry & PageFlags.present.rawValue != 0 else { return nil }
        leaf[i] = 0
        return (PhysicalAddress(entry & AddressSpace.addressMask), PageFlags(rawValue: entry & ~AddressSpace.addressMask))
    }

    /// Frees every table of PML4 slots `[0, slots)` and every `owned` leaf frame in them, then the
    /// PML4 itself. Slots at and above `slots` (shared kernel-provided chains) are left alone.
    public func destroy(userSlots slots: Int, frames: inout FrameAllocator, memory: PhysicalMemoryWindow) {
        let pml4 = memory.table(root)
        for i in 0..<slots where pml4[i] & PageFlags.present.rawValue != 0 {
            AddressSpace.freeTable(PhysicalAddress(pml4[i] & AddressSpace.addressMask), level: 2,
                                   frames: &frames, memory: memory)
        }
        frames.free(root)
    }

    static func freeTable(_ table: PhysicalAddress, level: Int, frames: inout FrameAllocator, memory: PhysicalMemoryWindow) {
        let entries = memory.table(table)
        for i in 0..<512 {
            let e = entries[i]
            guard e & PageFlags.present.rawValue != 0 else { continue }
            if level == 0 {
                if e & PageFlags.owned.rawValue != 0 { frames.free(PhysicalAddress(e & addressMask)) }
            } else if e & PageFlags.largePage.rawValue == 0 {
                freeTable(PhysicalAddress(e & addressMask), level: level - 1, frames: &frames, memory: memory)
            }
        }
        frames.free(table)
    }

    /// fork: maps into `child` every 4 KiB page of PML4 slots `[0, slots)` with the same flags —
    /// a fresh frame with a copy of the contents for `owned` pages, the same frame for shared ones
    /// (the entry stub, device windows). On running out of frames the child is left partly built
    /// (its owner destroys it).
    public func copyUserPages(into child: AddressSpace, userSlots slots: Int,
                              frames: inout FrameAllocator, memory: PhysicalMemoryWindow) throws(MapError) {
        let pml4 = memory.table(root)
        for i in 0..<slots where pml4[i] & PageFlags.present.rawValue != 0 {
            try AddressSpace.copyTable(PhysicalAddress(pml4[i] & AddressSpace.addressMask), level: 2,
                                       base: UInt64(i) << 39, into: child, frames: &frames, memory: memory)
        }
    }

    static func copyTable(_ table: PhysicalAddress, level: Int, base: UInt64, into child: AddressSpace,
                          frames: inout FrameAllocator, memory: PhysicalMemoryWindow) throws(MapError) {
        let entries = memory.table(table)
        for i in 0..<512 {
            let e = entries[i]
            guard e & PageFlags.present.rawValue != 0 else { continue }
            let va = base | UInt64(i) << UInt64(12 + 9 * level)
            if level > 0 {
                guard e & PageFlags.largePage.rawValue == 0 else { continue }   // user spaces have none
                try copyTable(PhysicalAddress(e & addressMask), level: level - 1, base: va, into: child,
                              frames: &frames, memory: memory)
                continue
            }
            let flags = PageFlags(rawValue: e & ~addressMask & ~PageFlags.present.rawValue)
            var frame = PhysicalAddress(e & addressMask)
            if flags.contains(.owned) {
                guard let copy = frames.allocate() else { throw .outOfMemory }
                memory.pointer(copy).copyMemory(from: memory.pointer(frame), byteCount: Int(pageSize))
                frame = copy
            }
            do {
                try child.map(VirtualAddress(va), to: frame, flags: flags, frames: &frames, memory: memory)
            } catch {
                if flags.contains(.owned) { frames.free(frame) }
                throw error
            }
        }
    }

    /// Points PML4 slot `slot` at an existing table chain (shared; not freed by `destroy`).
    public func share(slot: Int, entry: UInt64, memory: PhysicalMemoryWindow) {
        memory.table(root)[slot] = entry
    }

    public func entry(slot: Int, memory: PhysicalMemoryWindow) -> UInt64 {
        memory.table(root)[slot]
    }
}
