// MemoryMap.swift — a process's map of its mmap regions (POSIX XSH mmap(), munmap(),
// mprotect()): which page ranges are mapped with which protection, where a new mapping fits, and
// how a range splits when part of it is unmapped or re-protected. Page tables are the machine
// layer's; this is the bookkeeping that decides what to map, unmap or change.
import ABI

public struct MappedRegion: Equatable, Sendable {
    public var start: UInt64
    /// Exclusive; page aligned like `start`.
    public var end: UInt64
    /// SV_PROT_* bits.
    public var protection: UInt32

    public init(start: UInt64, end: UInt64, protection: UInt32) {
        self.start = start
        self.end = end
        self.protection = protection
    }

    public var length: UInt64 { end - start }
}

public struct MemoryMap: Sendable {
    /// Sorted by address, never overlapping.
    public private(set) var regions: [MappedRegion] = []
    public let lowest: UInt64
    public let highest: UInt64
    /// Regions are kernel heap: a process may hold this many (PROT_NONE regions cost no frame, so
    /// frames alone would not bound them). Beyond it, calls that would add one fail with ENOMEM.
    public static let maximumRegions = 4096

    public init(lowest: UInt64 = UInt64(SV_USER_MMAP_BASE), highest: UInt64 = UInt64(SV_USER_MMAP_LIMIT)) {
        self.lowest = lowest
        self.highest = highest
    }

    public static func pageAligned(_ v: UInt64) -> Bool { v & (pageSize - 1) == 0 }

    /// `length` rounded up to whole pages; nil if zero or absurd.
    public static func pages(_ length: UInt64) -> UInt64? {
        guard length > 0, length <= (1 << 46) else { return nil }
        return (length + pageSize - 1) & ~(pageSize - 1)
    }

    /// The lowest free range of `length` bytes in [lowest, highest) at or above `hint`
    /// (falling back to the whole area), or nil if none is free.
    public func findFree(length: UInt64, hint: UInt64 = 0) -> UInt64? {
        if hint >= lowest, let found = firstGap(from: hint, length: length) { return found }
        return firstGap(from: lowest, length: length)
    }

    func firstGap(from start: UInt64, length: UInt64) -> UInt64? {
        var candidate = start
        for r in regions where r.end > candidate {
            if r.start >= candidate && r.start - candidate >= length { return candidate }
            candidate = max(candidate, r.end)
        }
        guard candidate <= highest, highest - candidate >= length else { return nil }
        return candidate
    }

    /// Whether a call that may add `pieces` regions (a split adds up to two) still fits the bound.
    public func hasRoom(for pieces: Int) -> Bool { regions.count + pieces <= MemoryMap.maximumRegions }

    /// Whether [start, end) lies inside the area.
    public func inArea(_ start: UInt64, _ end: UInt64) -> Bool { start >= lowest && end <= highest && start < end }

    /// Adds a region; the range must be free (callers remove what MAP_FIXED replaces first).
    public mutating func insert(_ region: MappedRegion) {
        precondition(region.start < region.end && !regions.contains { $0.start < region.end && region.start < $0.end },
                     "a new region goes into a free range")
        let i = regions.firstIndex { $0.start > region.start } ?? regions.count
        regions.insert(region, at: i)
    }

    /// Removes [start, end) from every region it touches, splitting regions it cuts; returns the
    /// pieces removed (the machine layer unmaps their pages).
    public mutating func remove(_ start: UInt64, _ end: UInt64) -> [MappedRegion] {
        var removed: [MappedRegion] = []
        var kept: [MappedRegion] = []
        for r in regions {
            guard r.start < end && start < r.end else { kept.append(r); continue }
            if r.start < start { kept.append(MappedRegion(start: r.start, end: start, protection: r.protection)) }
            removed.append(MappedRegion(start: max(r.start, start), end: min(r.end, end), protection: r.protection))
            if r.end > end { kept.append(MappedRegion(start: end, end: r.end, protection: r.protection)) }
        }
        regions = kept
        return removed
    }

    /// Whether every page of [start, end) is in some region (mprotect's ENOMEM otherwise).
    public func covers(_ start: UInt64, _ end: UInt64) -> Bool {
        var at = start
        for r in regions where r.end > at && r.start <= at {
            at = r.end
            if at >= end { return true }
        }
        return at >= end
    }

    /// Sets the protection of [start, end) (which `covers` must have accepted); returns the
    /// pieces with their old protection (the machine layer changes their pages).
    public mutating func protect(_ start: UInt64, _ end: UInt64, _ protection: UInt32) -> [MappedRegion] {
        let old = remove(start, end)
        for piece in old { insert(MappedRegion(start: piece.start, end: piece.end, protection: protection)) }
        return old
    }

    public func region(containing address: UInt64) -> MappedRegion? {
        regions.first { $0.start <= address && address < $0.end }
    }
}
