// DirectoryFormat.swift — directory blocks. A directory is a B+tree keyed by the 32-bit SeaHash of
// each name (RedoxFS's H-tree, REDOX.md §1.6): index blocks route by hash, leaf blocks hold the
// entries sorted by (hash, name). Layout: docs/REDOXFS-FORMAT.md §6.

/// One name in a directory.
public struct DirectoryEntry: Equatable, Sendable {
    public var name: [UInt8]
    public var id: NodeID
    public var kind: NodeKind
    public init(name: [UInt8], id: NodeID, kind: NodeKind) {
        self.name = name
        self.id = id
        self.kind = kind
    }
}

enum DirectoryFormat {
    static let headerSize = 16
    static let leafKind: UInt8 = 1
    static let indexKind: UInt8 = 2
    static let entryHeader = 10         // hash u32, id u32, kind u8, length u8
    static let indexEntrySize = 20      // minHash u32, BlockPtr
    static let indexCapacity = (Format.blockSize - headerSize) / indexEntrySize   // 204
    static let leafSpace = Format.blockSize - headerSize
    static let maxDepth = 8

    static func nameHash(_ name: [UInt8]) -> UInt32 {
        UInt32(truncatingIfNeeded: SeaHash.hash(name))
    }

    static func validName(_ name: [UInt8]) -> FSError? {
        if name.isEmpty || name == [0x2e] || name == [0x2e, 0x2e] { return .invalidName }
        if name.count > Format.maxNameLength { return .nameTooLong }
        if name.contains(0) || name.contains(0x2f) { return .invalidName }
        return nil
    }
}

/// A leaf entry with its hash.
struct LeafEntry: Equatable {
    var hash: UInt32
    var entry: DirectoryEntry
    var encodedSize: Int { DirectoryFormat.entryHeader + entry.name.count }

    /// (hash, name) order.
    static func before(_ a: LeafEntry, _ b: LeafEntry) -> Bool {
        if a.hash != b.hash { return a.hash < b.hash }
        return a.entry.name.lexicographicallyPrecedes(b.entry.name)
    }
}

struct DirLeaf {
    var entries: [LeafEntry] = []

    var usedBytes: Int { entries.reduce(0) { $0 + $1.encodedSize } }

    func encode() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: Format.blockSize)
        store16(&b, 0, UInt16(entries.count))
        b[2] = DirectoryFormat.leafKind
        store16(&b, 4, UInt16(usedBytes))
        var at = DirectoryFormat.headerSize
        for e in entries {
            store32(&b, at, e.hash)
            store32(&b, at + 4, e.entry.id)
            b[at + 8] = e.entry.kind.rawValue
            b[at + 9] = UInt8(e.entry.name.count)
            b.replaceSubrange(at + 10..<at + 10 + e.entry.name.count, with: e.entry.name)
            at += e.encodedSize
        }
        return b
    }

    static func decode(_ b: [UInt8], block: UInt64) throws(FSError) -> DirLeaf {
        guard b.count == Format.blockSize, b[2] == DirectoryFormat.leafKind else {
            throw .corrupt(block: block, "expected a directory leaf block")
        }
        let count = Int(load16(b, 0)), used = Int(load16(b, 4))
        guard used <= DirectoryFormat.leafSpace else { throw .corrupt(block: block, "directory leaf overfull") }
        var leaf = DirLeaf()
        var at = DirectoryFormat.headerSize
        let end = at + used
        for _ in 0..<count {
            guard at + DirectoryFormat.entryHeader <= end else { throw .corrupt(block: block, "directory entry runs past the leaf") }
            let hash = load32(b, at), id = load32(b, at + 4)
            let length = Int(b[at + 9])
            guard let kind = NodeKind(rawValue: b[at + 8]) else { throw .corrupt(block: block, "directory entry has unknown type") }
            guard at + 10 + length <= end else { throw .corrupt(block: block, "directory entry name runs past the leaf") }
            let name = Array(b[at + 10..<at + 10 + length])
            guard DirectoryFormat.validName(name) == nil else { throw .corrupt(block: block, "directory entry has an invalid name") }
            guard id != 0 else { throw .corrupt(block: block, "directory entry points to node 0") }
            let e = LeafEntry(hash: hash, entry: DirectoryEntry(name: name, id: id, kind: kind))
            if let last = leaf.entries.last, !LeafEntry.before(last, e) {
                throw .corrupt(block: block, "directory leaf entries out of order")
            }
            leaf.entries.append(e)
            at += 10 + length
        }
        guard at == end else { throw .corrupt(block: block, "directory leaf byte count disagrees with its entries") }
        return leaf
    }
}

struct IndexEntry: Equatable {
    var minHash: UInt32
    var ptr: BlockPtr
}

struct DirIndex {
    var entries: [IndexEntry] = []

    func encode() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: Format.blockSize)
        store16(&b, 0, UInt16(entries.count))
        b[2] = DirectoryFormat.indexKind
        var at = DirectoryFormat.headerSize
        for e in entries {
            store32(&b, at, e.minHash)
            e.ptr.store(&b, at + 4)
            at += DirectoryFormat.indexEntrySize
        }
        return b
    }

    static func decode(_ b: [UInt8], block: UInt64) throws(FSError) -> DirIndex {
        guard b.count == Format.blockSize, b[2] == DirectoryFormat.indexKind else {
            throw .corrupt(block: block, "expected a directory index block")
        }
        let count = Int(load16(b, 0))
        guard count >= 1, count <= DirectoryFormat.indexCapacity else {
            throw .corrupt(block: block, "directory index has \(count) entries")
        }
        var index = DirIndex()
        for i in 0..<count {
            let at = DirectoryFormat.headerSize + i * DirectoryFormat.indexEntrySize
            let e = IndexEntry(minHash: load32(b, at), ptr: BlockPtr.load(b, at + 4))
            guard !e.ptr.isNull else { throw .corrupt(block: block, "directory index entry \(i) is null") }
            if let last = index.entries.last, last.minHash >= e.minHash {
                throw .corrupt(block: block, "directory index hashes out of order")
            }
            index.entries.append(e)
        }
        return index
    }

    /// The child covering `hash`: the last entry whose minHash ≤ hash, or the first.
    func route(_ hash: UInt32) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].minHash <= hash { lo = mid + 1 } else { hi = mid }
        }
        return max(lo - 1, 0)
    }
}
