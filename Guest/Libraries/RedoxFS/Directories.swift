// Directories.swift — lookup, insert, remove and listing in a directory's hash B+tree
// (DirectoryFormat.swift). Leaves split at a hash boundary, so all names with one hash stay in one
// leaf; index blocks split in the middle; the tree grows at the root and shrinks there too.

extension FileSystem {
    func readLeaf(_ ptr: BlockPtr) throws(FSError) -> DirLeaf {
        try DirLeaf.decode(try readMeta(ptr), block: ptr.index)
    }

    func readIndex(_ ptr: BlockPtr) throws(FSError) -> DirIndex {
        try DirIndex.decode(try readMeta(ptr), block: ptr.index)
    }

    func directoryLookup(_ dir: Node, _ name: [UInt8]) throws(FSError) -> DirectoryEntry? {
        var ptr = dir.directoryRoot
        if ptr.isNull { return nil }
        let hash = DirectoryFormat.nameHash(name)
        var depth = dir.directoryDepth
        while depth > 0 {
            let index = try readIndex(ptr)
            ptr = index.entries[index.route(hash)].ptr
            depth -= 1
        }
        for e in try readLeaf(ptr).entries where e.hash == hash && e.entry.name == name { return e.entry }
        return nil
    }

    /// Every entry, in hash order.
    func directoryEntries(_ dir: Node) throws(FSError) -> [DirectoryEntry] {
        var result: [DirectoryEntry] = []
        if !dir.directoryRoot.isNull { try collect(dir.directoryRoot, depth: dir.directoryDepth, into: &result) }
        return result
    }

    private func collect(_ ptr: BlockPtr, depth: Int, into result: inout [DirectoryEntry]) throws(FSError) {
        if depth == 0 {
            for e in try readLeaf(ptr).entries { result.append(e.entry) }
            return
        }
        for e in try readIndex(ptr).entries { try collect(e.ptr, depth: depth - 1, into: &result) }
    }

    /// Adds an entry; throws `.exists` if the name is taken.
    func directoryInsert(_ dir: inout Node, _ entry: DirectoryEntry) throws(FSError) {
        let e = LeafEntry(hash: DirectoryFormat.nameHash(entry.name), entry: entry)
        let (root, split) = try insert(e, at: dir.directoryRoot, depth: dir.directoryDepth, &dir)
        dir.directoryRoot = root
        if let split {
            guard dir.directoryDepth < DirectoryFormat.maxDepth else { throw .hashCollision }
            var index = DirIndex()
            index.entries = [IndexEntry(minHash: 0, ptr: root), split]
            dir.directoryRoot = try writeMeta(old: .null, index.encode())
            dir.blocks &+= 1
            dir.directoryDepth += 1
        }
        dir.size &+= 1
    }

    private func insert(_ e: LeafEntry, at ptr: BlockPtr, depth: Int,
                        _ dir: inout Node) throws(FSError) -> (BlockPtr, IndexEntry?) {
        if depth == 0 {
            var leaf = ptr.isNull ? DirLeaf() : try readLeaf(ptr)
            var pos = 0
            while pos < leaf.entries.count && LeafEntry.before(leaf.entries[pos], e) { pos += 1 }
            if pos < leaf.entries.count && leaf.entries[pos].hash == e.hash && leaf.entries[pos].entry.name == e.entry.name {
                throw .exists
            }
            leaf.entries.insert(e, at: pos)
            if leaf.usedBytes <= DirectoryFormat.leafSpace {
                return (try writeDirBlock(old: ptr, leaf.encode(), &dir), nil)
            }
            // Split at the hash boundary that balances the bytes best.
            let entries = leaf.entries
            let total = leaf.usedBytes
            var best = -1, bestImbalance = Int.max, left = 0
            for k in 1..<entries.count {
                left += entries[k - 1].encodedSize
                if entries[k - 1].hash == entries[k].hash { continue }
                let right = total - left
                guard left <= DirectoryFormat.leafSpace, right <= DirectoryFormat.leafSpace else { continue }
                let imbalance = left > right ? left - right : right - left
                if imbalance < bestImbalance { best = k; bestImbalance = imbalance }
            }
            guard best > 0 else { throw .hashCollision }
            let l = DirLeaf(entries: Array(entries[..<best])), r = DirLeaf(entries: Array(entries[best...]))
            let leftPtr = try writeDirBlock(old: ptr, l.encode(), &dir)
            let rightPtr = try writeDirBlock(old: .null, r.encode(), &dir)
            return (leftPtr, IndexEntry(minHash: entries[best].hash, ptr: rightPtr))
        }
        var index = try readIndex(ptr)
        let i = index.route(e.hash)
        let (child, split) = try insert(e, at: index.entries[i].ptr, depth: depth - 1, &dir)
        index.entries[i].ptr = child
        if let split { index.entries.insert(split, at: i + 1) }
        if index.entries.count <= DirectoryFormat.indexCapacity {
            return (try writeDirBlock(old: ptr, index.encode(), &dir), nil)
        }
        let mid = index.entries.count / 2
        let l = DirIndex(entries: Array(index.entries[..<mid])), r = DirIndex(entries: Array(index.entries[mid...]))
        let leftPtr = try writeDirBlock(old: ptr, l.encode(), &dir)
        let rightPtr = try writeDirBlock(old: .null, r.encode(), &dir)
        return (leftPtr, IndexEntry(minHash: r.entries[0].minHash, ptr: rightPtr))
    }

    /// Removes the entry called `name`; throws `.notFound` if there is none.
    @discardableResult
    func directoryRemove(_ dir: inout Node, _ name: [UInt8]) throws(FSError) -> DirectoryEntry {
        guard !dir.directoryRoot.isNull else { throw .notFound }
        let hash = DirectoryFormat.nameHash(name)
        let (root, removed) = try remove(name, hash: hash, at: dir.directoryRoot, depth: dir.directoryDepth, &dir)
        dir.directoryRoot = root
        if root.isNull { dir.directoryDepth = 0 }
        // An index root with a single child is replaced by that child.
        while dir.directoryDepth > 0 {
            let index = try readIndex(dir.directoryRoot)
            guard index.entries.count == 1 else { break }
            freeTreeBlock(dir.directoryRoot)
            dir.blocks -= min(dir.blocks, 1)
            dir.directoryRoot = index.entries[0].ptr
            dir.directoryDepth -= 1
        }
        dir.size -= min(dir.size, 1)
        return removed
    }

    private func remove(_ name: [UInt8], hash: UInt32, at ptr: BlockPtr, depth: Int,
                        _ dir: inout Node) throws(FSError) -> (BlockPtr, DirectoryEntry) {
        if depth == 0 {
            var leaf = try readLeaf(ptr)
            guard let i = leaf.entries.firstIndex(where: { $0.hash == hash && $0.entry.name == name }) else {
                throw .notFound
            }
            let removed = leaf.entries.remove(at: i).entry
            if leaf.entries.isEmpty {
                freeTreeBlock(ptr)
                dir.blocks -= min(dir.blocks, 1)
                return (.null, removed)
            }
            return (try writeDirBlock(old: ptr, leaf.encode(), &dir), removed)
        }
        var index = try readIndex(ptr)
        let i = index.route(hash)
        let (child, removed) = try remove(name, hash: hash, at: index.entries[i].ptr, depth: depth - 1, &dir)
        if child.isNull {
            // Keep the first entry's lower bound when the first child goes away.
            let low = index.entries[0].minHash
            index.entries.remove(at: i)
            if index.entries.isEmpty {
                freeTreeBlock(ptr)
                dir.blocks -= min(dir.blocks, 1)
                return (.null, removed)
            }
            index.entries[0].minHash = low
        } else {
            index.entries[i].ptr = child
        }
        return (try writeDirBlock(old: ptr, index.encode(), &dir), removed)
    }

    private func writeDirBlock(old: BlockPtr, _ bytes: [UInt8], _ dir: inout Node) throws(FSError) -> BlockPtr {
        if old.isNull { dir.blocks &+= 1 }
        return try writeMeta(old: old, bytes)
    }

    /// Frees every block of a directory tree.
    func freeDirectoryTree(_ ptr: BlockPtr, depth: Int) throws(FSError) {
        if depth > 0 {
            for e in try readIndex(ptr).entries { try freeDirectoryTree(e.ptr, depth: depth - 1) }
        } else {
            try validate(ptr, maxLevel: 0)
        }
        freeTreeBlock(ptr)
    }
}
