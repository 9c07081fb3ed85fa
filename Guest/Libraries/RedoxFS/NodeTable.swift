// NodeTable.swift — the node table: a 4-level radix tree of 256-entry lists indexed by the bytes
// of a 32-bit node id, most significant first (REDOX.md §1.4). Level-0 lists point to node blocks.
// Changed nodes live decoded in `dirtyNodes` until commit, which stores them and copies the lists
// on their paths.

extension FileSystem {
    /// The node table entry for `id`, following `tree`. Nil if the id is free.
    func treeEntry(_ id: NodeID, in tree: TreeSelector) throws(FSError) -> BlockPtr? {
        var ptr: BlockPtr
        switch tree {
        case .live: ptr = treeRoot
        case .committed(let root): ptr = root
        }
        var level = 3
        while level >= 0 {
            if ptr.isNull { return nil }
            let list = try readMeta(ptr)
            let slot = Int((id >> UInt32(8 * level)) & 0xFF)
            ptr = BlockPtr.load(list, slot * BlockPtr.size)
            level -= 1
        }
        return ptr.isNull ? nil : ptr
    }

    /// Reads node `id`, or nil if the id is free.
    func readNode(_ id: NodeID, in tree: TreeSelector) throws(FSError) -> Node? {
        if case .live = tree, let n = dirtyNodes[UInt64(id)] { return n }
        guard let ptr = try treeEntry(id, in: tree) else { return nil }
        return try Node.decode(try readMeta(ptr), block: ptr.index)
    }

    /// Reads a node that a directory entry (or the caller) says exists.
    func node(_ id: NodeID, in tree: TreeSelector = .live) throws(FSError) -> Node {
        guard let n = try readNode(id, in: tree) else {
            throw .corrupt(block: 0, "node \(id) is referenced but missing from the node table")
        }
        return n
    }

    func putNode(_ id: NodeID, _ node: Node) {
        dirtyNodes.insert(UInt64(id), node)
        hasUncommittedChanges = true
        operationMutated = true
    }

    /// Makes the lists on `id`'s path owned (creating missing ones) and returns the level-0 list.
    func ownTreePath(_ id: NodeID, reserve: Bool = true) throws(FSError) -> UInt64 {
        let zero = [UInt8](repeating: 0, count: Format.blockSize)
        treeRoot = try writeMeta(old: treeRoot, treeRoot.isNull ? zero : try readMeta(treeRoot), reserve: reserve)
        var list = treeRoot.index
        var level = 3
        while level > 0 {
            let slot = Int((id >> UInt32(8 * level)) & 0xFF) * BlockPtr.size
            let child = BlockPtr.load(owned[list]!.bytes, slot)
            let newChild = try writeMeta(old: child, child.isNull ? zero : try readMeta(child), reserve: reserve)
            _ = owned.modify(list) { newChild.store(&$0.bytes, slot) }
            list = newChild.index
            level -= 1
        }
        return list
    }

    /// Removes node `id` from the table (its own blocks must already be freed).
    func removeNode(_ id: NodeID) throws(FSError) {
        dirtyNodes.remove(UInt64(id))
        operationMutated = true
        hasUncommittedChanges = true
        guard let old = try treeEntry(id, in: .live) else { return }
        let list = try ownTreePath(id, reserve: false)
        _ = owned.modify(list) { BlockPtr.null.store(&$0.bytes, Int(id & 0xFF) * BlockPtr.size) }
        freeTreeBlock(old)
    }

    /// A node id that is neither in the table nor dirty. Ids are handed out in order; after the
    /// 32-bit space is used up once, the table is searched for a hole.
    func allocateNodeID() throws(FSError) -> NodeID {
        if nextNodeID <= UInt64(UInt32.max) {
            let id = NodeID(nextNodeID)
            nextNodeID += 1
            return id
        }
        if let id = try firstFreeID(treeRoot, level: 3, base: 0) { return id }
        throw .noFreeNodeIDs
    }

    /// The lowest id ≥ 2 under `ptr` (covering ids base ..< base + 256^(level+1)) that is free.
    private func firstFreeID(_ ptr: BlockPtr, level: Int, base: UInt64) throws(FSError) -> NodeID? {
        let span: UInt64 = 1 << UInt64(8 * (level + 1))
        if ptr.isNull {
            var id = max(base, 2)
            while id < base + span {
                if !dirtyNodes.contains(id) { return NodeID(id) }
                id += 1
            }
            return nil
        }
        let list = try readMeta(ptr)
        let child: UInt64 = span >> 8
        for i in 0..<256 {
            let p = BlockPtr.load(list, i * BlockPtr.size)
            let childBase = base + UInt64(i) * child
            if childBase + child <= 2 { continue }
            if level == 0 {
                if p.isNull && !dirtyNodes.contains(childBase) && childBase >= 2 { return NodeID(childBase) }
            } else if let id = try firstFreeID(p, level: level - 1, base: childBase) {
                return id
            }
        }
        return nil
    }
}
