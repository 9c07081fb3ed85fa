// AllocLog.swift — the allocation log: how the buddy allocator persists (REDOX.md §1.7). Each commit
// appends one or more blocks listing the blocks it allocated (with their birth generation) and the
// committed blocks it freed; mount replays the chain oldest first. When the chain grows long, a
// commit squashes it into a compact base listing every allocated block.
// Layout: docs/REDOXFS-FORMAT.md §7.

struct AllocLogBlock {
    static let capacity = 254
    static let flagBase: UInt32 = 1
    static let freeBit: UInt64 = 1 << 63

    struct Entry: Equatable {
        var index: UInt64
        var level: Int
        /// Birth generation for an allocation; ignored for a free.
        var generation: UInt64
        var isFree: Bool
    }

    var prev: BlockPtr = .null
    var generation: UInt64 = 0
    var flags: UInt32 = 0
    var entries: [Entry] = []

    func encode() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: Format.blockSize)
        prev.store(&b, 0)
        store64(&b, 16, generation)
        store32(&b, 24, UInt32(entries.count))
        store32(&b, 28, flags)
        for (i, e) in entries.enumerated() {
            let at = 32 + i * 16
            store64(&b, at, e.index << 8 | UInt64(e.level))
            store64(&b, at + 8, (e.generation & ~AllocLogBlock.freeBit) | (e.isFree ? AllocLogBlock.freeBit : 0))
        }
        return b
    }

    static func decode(_ b: [UInt8], block: UInt64) throws(FSError) -> AllocLogBlock {
        guard b.count == Format.blockSize else { throw .corrupt(block: block, "allocation log block has the wrong size") }
        var l = AllocLogBlock()
        l.prev = BlockPtr.load(b, 0)
        l.generation = load64(b, 16)
        let count = Int(load32(b, 24))
        l.flags = load32(b, 28)
        guard count <= capacity else { throw .corrupt(block: block, "allocation log block claims \(count) entries") }
        guard l.flags & ~flagBase == 0 else { throw .corrupt(block: block, "allocation log block has unknown flags") }
        for i in 0..<count {
            let at = 32 + i * 16
            let addr = load64(b, at), info = load64(b, at + 8)
            guard addr & 0xF0 == 0 else { throw .corrupt(block: block, "allocation log entry \(i) has a compressed address") }
            l.entries.append(Entry(index: addr >> 8, level: Int(addr & 0xF), generation: info & ~freeBit,
                                   isFree: info & freeBit != 0))
        }
        return l
    }
}

/// The snapshot table: one block of named, read-only roots (docs/REDOXFS-FORMAT.md §8).
public struct SnapshotInfo: Equatable, Sendable {
    public var name: [UInt8]
    /// The generation whose tree the snapshot keeps.
    public var generation: UInt64
    public var time: Timestamp
    var tree: BlockPtr
    var nextNodeID: UInt64
}

public enum SnapshotTable {
    public static let capacity = 31
    public static let maxNameLength = 80
    static let entrySize = 128

    static func encode(_ snapshots: [SnapshotInfo]) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: Format.blockSize)
        store32(&b, 0, UInt32(snapshots.count))
        for (i, s) in snapshots.enumerated() {
            let at = 32 + i * entrySize
            s.tree.store(&b, at)
            store64(&b, at + 16, s.generation)
            store64(&b, at + 24, UInt64(bitPattern: s.time.seconds))
            store64(&b, at + 32, s.nextNodeID)
            b[at + 40] = UInt8(s.name.count)
            store32(&b, at + 44, s.time.nanoseconds)
            b.replaceSubrange(at + 48..<at + 48 + s.name.count, with: s.name)
        }
        return b
    }

    static func decode(_ b: [UInt8], block: UInt64) throws(FSError) -> [SnapshotInfo] {
        guard b.count == Format.blockSize else { throw .corrupt(block: block, "snapshot table has the wrong size") }
        let count = Int(load32(b, 0))
        guard count <= capacity else { throw .corrupt(block: block, "snapshot table claims \(count) entries") }
        var result: [SnapshotInfo] = []
        for i in 0..<count {
            let at = 32 + i * entrySize
            let length = Int(b[at + 40])
            guard length >= 1, length <= maxNameLength else { throw .corrupt(block: block, "snapshot \(i) has a bad name length") }
            let s = SnapshotInfo(name: Array(b[at + 48..<at + 48 + length]), generation: load64(b, at + 16),
                                 time: Timestamp(seconds: Int64(bitPattern: load64(b, at + 24)), nanoseconds: load32(b, at + 44)),
                                 tree: BlockPtr.load(b, at), nextNodeID: load64(b, at + 32))
            guard !s.tree.isNull else { throw .corrupt(block: block, "snapshot \(i) has no tree") }
            if result.contains(where: { $0.name == s.name }) { throw .corrupt(block: block, "snapshot names repeat") }
            result.append(s)
        }
        return result
    }
}
