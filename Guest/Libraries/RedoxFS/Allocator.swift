// Allocator.swift — the in-memory buddy allocator (REDOX.md §1.7). Its persistent form is the
// allocation log (AllocLog.swift); mount replays the log into `allocated` and derives the free lists
// as the complement. Each allocated block remembers its birth generation, which tells whether a
// snapshot may still hold it (Snapshots in docs/REDOXFS-FORMAT.md §8).

struct Allocator {
    /// Free blocks per level, each list sorted descending so the lowest address is `last`.
    private(set) var free: [[UInt64]]
    /// Allocated blocks: index → birth generation << 8 | level.
    private(set) var allocated = IntMap<UInt64>()
    private(set) var freeBlocks: UInt64 = 0
    let start: UInt64
    let end: UInt64

    /// An allocator over [start, end) with everything free.
    init(start: UInt64, end: UInt64) {
        self.start = start
        self.end = end
        free = [[UInt64]](repeating: [], count: Format.maxLevel + 1)
        addFreeRange(start, end)
        for l in 0..<free.count { free[l].reverse() }
    }

    /// An allocator whose allocated set is `blocks` (index, level, birth); the rest of [start, end)
    /// is free. Returns a description of the first inconsistency instead if blocks overlap or lie
    /// outside the range.
    static func rebuild(start: UInt64, end: UInt64,
                        blocks: [(index: UInt64, level: Int, birth: UInt64)]) -> Result<Allocator, AllocatorInconsistency> {
        var a = Allocator(emptyStart: start, end: end)
        let sorted = blocks.sorted { $0.index < $1.index }
        var cursor = start
        for b in sorted {
            let size: UInt64 = 1 << UInt64(b.level)
            guard b.level <= Format.maxLevel, b.index >= start, b.index <= end, size <= end - b.index,
                  b.index % size == 0 else {
                return .failure(AllocatorInconsistency(index: b.index, reason: "allocated block lies outside the filesystem or is misaligned"))
            }
            guard b.index >= cursor else {
                return .failure(AllocatorInconsistency(index: b.index, reason: "allocated blocks overlap"))
            }
            a.addFreeRange(cursor, b.index)
            a.allocated.insert(b.index, b.birth << 8 | UInt64(b.level))
            cursor = b.index + size
        }
        a.addFreeRange(cursor, end)
        for l in 0..<a.free.count { a.free[l].reverse() }
        return .success(a)
    }

    private init(emptyStart: UInt64, end: UInt64) {
        start = emptyStart
        self.end = end
        free = [[UInt64]](repeating: [], count: Format.maxLevel + 1)
    }

    /// Appends [s, e) to the free lists as maximal aligned buddy blocks, in ascending order.
    private mutating func addFreeRange(_ s: UInt64, _ e: UInt64) {
        var s = s
        while s < e {
            var level = 0
            while level < Format.maxLevel {
                let next: UInt64 = 1 << UInt64(level + 1)
                if s % next != 0 || next > e - s { break }
                level += 1
            }
            free[level].append(s)
            freeBlocks += 1 << UInt64(level)
            s += 1 << UInt64(level)
        }
    }

    /// Allocates a block of 4096 << `level` bytes, lowest address first within the smallest fitting
    /// level, recording `generation` as its birth. Returns nil when no block is large enough.
    mutating func allocate(level: Int, generation: UInt64) -> UInt64? {
        var l = level
        while l <= Format.maxLevel && free[l].isEmpty { l += 1 }
        guard l <= Format.maxLevel else { return nil }
        let index = free[l].removeLast()
        // Split down to the requested level, keeping the lower half each time.
        while l > level {
            l -= 1
            insertFree(index + (1 << UInt64(l)), level: l)
        }
        freeBlocks -= 1 << UInt64(level)
        allocated.insert(index, generation << 8 | UInt64(level))
        return index
    }

    /// Returns an allocated block, merging it with its free buddies.
    mutating func release(_ index: UInt64) {
        guard let info = allocated.remove(index) else {
            preconditionFailure("RedoxFS allocator: releasing block \(index) that is not allocated")
        }
        var level = Int(info & 0xFF)
        var index = index
        freeBlocks += 1 << UInt64(level)
        while level < Format.maxLevel {
            let buddy = index ^ (1 << UInt64(level))
            guard let at = position(of: buddy, level: level) else { break }
            free[level].remove(at: at)
            index = min(index, buddy)
            level += 1
        }
        insertFree(index, level: level)
    }

    func birth(of index: UInt64) -> UInt64? {
        allocated[index].map { $0 >> 8 }
    }

    func level(of index: UInt64) -> Int? {
        allocated[index].map { Int($0 & 0xFF) }
    }

    /// Index in free[level] (sorted descending) of `index`, if present.
    private func position(of index: UInt64, level: Int) -> Int? {
        let list = free[level]
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] > index { lo = mid + 1 } else { hi = mid }
        }
        return lo < list.count && list[lo] == index ? lo : nil
    }

    private mutating func insertFree(_ index: UInt64, level: Int) {
        var lo = 0, hi = free[level].count
        while lo < hi {
            let mid = (lo + hi) / 2
            if free[level][mid] > index { lo = mid + 1 } else { hi = mid }
        }
        free[level].insert(index, at: lo)
    }
}

struct AllocatorInconsistency: Error, Equatable {
    var index: UInt64
    var reason: String
}
