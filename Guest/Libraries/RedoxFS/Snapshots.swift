// Snapshots.swift — named, read-only snapshots. A snapshot is a committed node-table root kept in
// the snapshot table; it shares every block with the live tree until the live tree replaces one.
// The live tree never frees a replaced block born at or before the newest snapshot's generation
// (that snapshot holds it); deleting a snapshot sweeps: every allocated block that the live tree
// and the remaining snapshots no longer reach is freed. Format: docs/REDOXFS-FORMAT.md §8.

extension FileSystem {
    public var snapshotList: [SnapshotInfo] { committedSnapshots }

    /// Commits the open transaction and keeps its result as snapshot `name`.
    public func createSnapshot(_ name: [UInt8]) throws(FSError) {
        guard !readOnly else { throw .readOnly }
        guard !poisoned else { throw .needsRemount }
        guard !name.isEmpty, name.count <= SnapshotTable.maxNameLength, !name.contains(0), !name.contains(0x2f) else {
            throw .invalidName
        }
        if committedSnapshots.contains(where: { $0.name == name }) { throw .snapshotExists }
        guard committedSnapshots.count < SnapshotTable.capacity else { throw .tooManySnapshots }
        pendingSnapshot = name
        snapshotsChanged = true
        hasUncommittedChanges = true
        try commit()
    }

    /// Deletes snapshot `name` and frees the blocks only it held. Commits.
    public func deleteSnapshot(_ name: [UInt8]) throws(FSError) {
        guard !readOnly else { throw .readOnly }
        guard let i = committedSnapshots.firstIndex(where: { $0.name == name }) else { throw .snapshotNotFound }
        try commit()
        operationMutated = false
        do {
            snapshots.remove(at: i)
            snapshotsChanged = true
            hasUncommittedChanges = true
            // Sweep: mark what the live tree and the remaining snapshots reach.
            var reached = IntMap<Bool>()
            try markTree(header.tree, &reached)
            for s in snapshots { try markTree(s.tree, &reached) }
            for index in logChain { reached.insert(index, true) }
            if !header.snapshots.isNull { reached.insert(header.snapshots.index, true) }
            for index in allocator.allocated.sortedKeys where !reached.contains(index) {
                pendingFrees.append(index)
            }
            try commit()
        } catch {
            rollback()
            throw error
        }
    }

    /// Marks every block reachable from a node-table root (records by pointer, without reading them).
    func markTree(_ root: BlockPtr, _ reached: inout IntMap<Bool>) throws(FSError) {
        try markTreeList(root, level: 3, &reached)
    }

    private func markTreeList(_ ptr: BlockPtr, level: Int, _ reached: inout IntMap<Bool>) throws(FSError) {
        if ptr.isNull || reached.contains(ptr.index) { return }
        let list = try readMeta(ptr)
        reached.insert(ptr.index, true)
        for i in 0..<256 {
            let p = BlockPtr.load(list, i * BlockPtr.size)
            if p.isNull { continue }
            if level > 0 {
                try markTreeList(p, level: level - 1, &reached)
            } else if !reached.contains(p.index) {
                let n = try Node.decode(try readMeta(p), block: p.index)
                reached.insert(p.index, true)
                try markNode(n, &reached)
            }
        }
    }

    private func markNode(_ n: Node, _ reached: inout IntMap<Bool>) throws(FSError) {
        if n.kind == .directory {
            if !n.directoryRoot.isNull { try markDirectory(n.directoryRoot, depth: n.directoryDepth, &reached) }
            return
        }
        if n.isInline { return }
        for slot in 0..<Node.slotCount {
            let p = n.pointer(slot)
            if !p.isNull { try markRecords(p, depth: Node.slotInfo(slot).depth, &reached) }
        }
    }

    private func markRecords(_ ptr: BlockPtr, depth: Int, _ reached: inout IntMap<Bool>) throws(FSError) {
        if reached.contains(ptr.index) { return }
        if depth == 0 {
            try validate(ptr, maxLevel: Format.recordLevel)
            reached.insert(ptr.index, true)
            return
        }
        let list = try readMeta(ptr)
        reached.insert(ptr.index, true)
        for i in 0..<Node.listEntries {
            let p = BlockPtr.load(list, i * BlockPtr.size)
            if !p.isNull { try markRecords(p, depth: depth - 1, &reached) }
        }
    }

    private func markDirectory(_ ptr: BlockPtr, depth: Int, _ reached: inout IntMap<Bool>) throws(FSError) {
        if reached.contains(ptr.index) { return }
        try validate(ptr, maxLevel: 0)
        reached.insert(ptr.index, true)
        if depth > 0 {
            for e in try readIndex(ptr).entries { try markDirectory(e.ptr, depth: depth - 1, &reached) }
        }
    }

    /// A read-only view of snapshot `name`.
    public func snapshot(_ name: [UInt8]) throws(FSError) -> Snapshot<Device> {
        guard let s = committedSnapshots.first(where: { $0.name == name }) else { throw .snapshotNotFound }
        return Snapshot(fs: self, info: s)
    }
}

/// A read-only view of one snapshot; it reads through the filesystem it came from.
public struct Snapshot<Device: BlockDevice> {
    let fs: FileSystem<Device>
    public let info: SnapshotInfo

    var tree: TreeSelector { .committed(info.tree) }

    public func lookup(_ path: [UInt8]) throws(FSError) -> NodeID { try fs.resolve(path, in: tree) }

    public func stat(_ path: [UInt8]) throws(FSError) -> FileInfo {
        let id = try fs.resolve(path, in: tree)
        return fs.info(id, try fs.node(id, in: tree))
    }

    public func list(_ path: [UInt8]) throws(FSError) -> [DirectoryEntry] {
        try fs.listDirectory(try fs.resolve(path, in: tree), in: tree)
    }

    public func read(id: NodeID, at offset: UInt64, count: Int) throws(FSError) -> [UInt8] {
        try fs.readFile(id, at: offset, count: count, in: tree)
    }

    public func stat(id: NodeID) throws(FSError) -> FileInfo {
        guard let n = try fs.readNode(id, in: tree) else { throw .notFound }
        return fs.info(id, n)
    }

    public func list(id: NodeID) throws(FSError) -> [DirectoryEntry] { try fs.listDirectory(id, in: tree) }

    /// The directory holding directory `id` in the snapshot (the root holds itself).
    public func parent(ofDirectory id: NodeID) throws(FSError) -> NodeID {
        let n = try fs.node(id, in: tree)
        guard n.kind == .directory else { throw .notDirectory }
        return n.parent == 0 ? Format.rootID : n.parent
    }

    public func readLink(_ path: [UInt8]) throws(FSError) -> [UInt8] {
        try fs.readLink(try fs.resolve(path, in: tree), in: tree)
    }
}
