// Operations.swift — the path-level API the host tools and the guest's filesystem server use.
// Paths are byte strings; '/' separates components, "." is skipped and ".." goes to the parent.
// Every mutating operation checks its arguments before it changes anything; if it fails after it
// started changing the transaction (out of space, I/O error, corruption), the whole open
// transaction is rolled back so no half-done operation can ever be committed.

/// What `stat` reports about a node.
public struct FileInfo: Equatable, Sendable {
    public var id: NodeID
    public var kind: NodeKind
    public var permissions: UInt16
    public var uid: UInt32
    public var gid: UInt32
    public var links: UInt32
    public var size: UInt64
    /// 4 KiB blocks held by the node's data (not counting the node block).
    public var blocks: UInt64
    public var atime: Timestamp
    public var mtime: Timestamp
    public var ctime: Timestamp
    public var btime: Timestamp
}

/// Space and state of a mounted filesystem.
public struct FileSystemStatistics: Equatable, Sendable {
    public var uuid: [UInt8]
    public var generation: UInt64
    public var totalBlocks: UInt64
    public var freeBlocks: UInt64
    public var allocatedBlocks: UInt64
    public var snapshots: Int
    public var nextNodeID: UInt64
}

extension FileSystem {
    // MARK: - Paths

    static func components(_ path: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        for b in path {
            if b == 0x2f {
                if !current.isEmpty { result.append(current); current = [] }
            } else {
                current.append(b)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    func resolve(_ path: [UInt8], in tree: TreeSelector) throws(FSError) -> NodeID {
        try walk(FileSystem.components(path)[...], in: tree)
    }

    private func walk(_ components: ArraySlice<[UInt8]>, in tree: TreeSelector) throws(FSError) -> NodeID {
        var id = Format.rootID
        for c in components {
            if c.contains(0) { throw .invalidPath }
            if c == [0x2e] { continue }
            let n = try node(id, in: tree)
            guard n.kind == .directory else { throw .notDirectory }
            if c == [0x2e, 0x2e] { id = n.parent == 0 ? Format.rootID : n.parent; continue }
            if c.count > Format.maxNameLength { throw .nameTooLong }
            guard let e = try directoryLookup(n, c) else { throw .notFound }
            id = e.id
        }
        return id
    }

    /// The directory that would hold `path`'s last component, and that component.
    func resolveParent(_ path: [UInt8]) throws(FSError) -> (parent: NodeID, name: [UInt8]) {
        let parts = FileSystem.components(path)
        guard let name = parts.last else { throw .rootDirectory }
        if let e = DirectoryFormat.validName(name) { throw e }
        let parent = try walk(parts.dropLast(), in: .live)
        guard try node(parent).kind == .directory else { throw .notDirectory }
        return (parent, name)
    }

    func info(_ id: NodeID, _ n: Node) -> FileInfo {
        FileInfo(id: id, kind: n.kind, permissions: n.mode & 0o7777, uid: n.uid, gid: n.gid, links: n.links,
                 size: n.size, blocks: n.blocks, atime: n.atime, mtime: n.mtime, ctime: n.ctime, btime: n.btime)
    }

    /// Runs a mutating operation: refuses it on a read-only or failed filesystem, and rolls the
    /// transaction back if the operation fails after it began changing it.
    func mutate<R>(_ body: () throws(FSError) -> R) throws(FSError) -> R {
        guard !readOnly else { throw .readOnly }
        guard !poisoned else { throw .needsRemount }
        operationMutated = false
        do {
            return try body()
        } catch {
            if operationMutated { rollback() }
            throw error
        }
    }

    // MARK: - Reading

    public func lookup(_ path: [UInt8]) throws(FSError) -> NodeID { try resolve(path, in: .live) }

    public func stat(_ path: [UInt8]) throws(FSError) -> FileInfo {
        let id = try resolve(path, in: .live)
        return info(id, try node(id))
    }

    public func stat(id: NodeID) throws(FSError) -> FileInfo {
        guard let n = try readNode(id, in: .live) else { throw .notFound }
        return info(id, n)
    }

    /// The entries of a directory, sorted by name.
    public func list(_ path: [UInt8]) throws(FSError) -> [DirectoryEntry] {
        try listDirectory(try resolve(path, in: .live), in: .live)
    }

    /// The entries of directory `id` (an open handle's), sorted by name.
    public func list(id: NodeID) throws(FSError) -> [DirectoryEntry] { try listDirectory(id, in: .live) }

    /// The directory holding directory `id` (the root holds itself).
    public func parent(ofDirectory id: NodeID) throws(FSError) -> NodeID {
        let n = try node(id)
        guard n.kind == .directory else { throw .notDirectory }
        return n.parent == 0 ? Format.rootID : n.parent
    }

    func listDirectory(_ id: NodeID, in tree: TreeSelector) throws(FSError) -> [DirectoryEntry] {
        let n = try node(id, in: tree)
        guard n.kind == .directory else { throw .notDirectory }
        var entries = try directoryEntries(n)
        entries.sort { $0.name.lexicographicallyPrecedes($1.name) }
        return entries
    }

    /// Reads up to `count` bytes of a file at `offset`.
    public func read(id: NodeID, at offset: UInt64, count: Int) throws(FSError) -> [UInt8] {
        try readFile(id, at: offset, count: count, in: .live)
    }

    func readFile(_ id: NodeID, at offset: UInt64, count: Int, in tree: TreeSelector) throws(FSError) -> [UInt8] {
        guard let n = try readNode(id, in: tree) else { throw .notFound }
        guard n.kind == .file else { throw n.kind == .directory ? .isDirectory : .notFile }
        // A read that goes on where the last one on this file ended is sequential: read ahead.
        let sequential = lastRead.id == UInt64(id) && lastRead.end == offset && offset > 0
        let bytes = try readData(n, at: offset, count: count, readAhead: sequential ? FileSystem.readAheadRecords : 0)
        lastRead = (UInt64(id), offset + UInt64(bytes.count))
        return bytes
    }

    public func readLink(_ path: [UInt8]) throws(FSError) -> [UInt8] {
        try readLink(try resolve(path, in: .live), in: .live)
    }

    func readLink(_ id: NodeID, in tree: TreeSelector) throws(FSError) -> [UInt8] {
        let n = try node(id, in: tree)
        guard n.kind == .symlink else { throw .notSymlink }
        return try readData(n, at: 0, count: Int(min(n.size, 1 << 20)))
    }

    public func statistics() -> FileSystemStatistics {
        FileSystemStatistics(uuid: header.uuid, generation: header.generation, totalBlocks: header.blocks,
                             freeBlocks: allocator.freeBlocks,
                             allocatedBlocks: header.blocks - Format.firstDataBlock - allocator.freeBlocks,
                             snapshots: committedSnapshots.count, nextNodeID: nextNodeID)
    }

    // MARK: - Creating

    private func create(_ path: [UInt8], kind: NodeKind, permissions: UInt16, uid: UInt32, gid: UInt32,
                        content: [UInt8]) throws(FSError) -> NodeID {
        try mutate { () throws(FSError) -> NodeID in
            let (parentID, name) = try resolveParent(path)
            var parent = try node(parentID)
            if try directoryLookup(parent, name) != nil { throw .exists }
            if kind == .directory && parent.links == UInt32.max { throw .tooManyLinks }
            let now = clock()
            let id = try allocateNodeID()
            var n = Node(kind: kind, permissions: permissions, now: now)
            n.uid = uid
            n.gid = gid
            if kind == .directory {
                n.links = 2
                n.parent = parentID
                parent.links += 1
            } else {
                n.links = 1
                try writeData(&n, at: 0, content)
            }
            try directoryInsert(&parent, DirectoryEntry(name: name, id: id, kind: kind))
            parent.mtime = now
            parent.ctime = now
            putNode(id, n)
            putNode(parentID, parent)
            return id
        }
    }

    @discardableResult
    public func createFile(_ path: [UInt8], permissions: UInt16 = 0o644, uid: UInt32 = 0,
                           gid: UInt32 = 0) throws(FSError) -> NodeID {
        try create(path, kind: .file, permissions: permissions, uid: uid, gid: gid, content: [])
    }

    @discardableResult
    public func makeDirectory(_ path: [UInt8], permissions: UInt16 = 0o755, uid: UInt32 = 0,
                              gid: UInt32 = 0) throws(FSError) -> NodeID {
        try create(path, kind: .directory, permissions: permissions, uid: uid, gid: gid, content: [])
    }

    @discardableResult
    public func makeSymlink(_ path: [UInt8], target: [UInt8], uid: UInt32 = 0, gid: UInt32 = 0) throws(FSError) -> NodeID {
        guard !target.isEmpty, target.count <= 4096, !target.contains(0) else { throw .invalidPath }
        return try create(path, kind: .symlink, permissions: 0o777, uid: uid, gid: gid, content: target)
    }

    /// Adds another name for an existing file or symlink.
    public func link(_ existing: [UInt8], _ newPath: [UInt8]) throws(FSError) {
        try mutate { () throws(FSError) in
            let id = try resolve(existing, in: .live)
            var target = try node(id)
            guard target.kind != .directory else { throw .isDirectory }
            guard target.links < UInt32.max else { throw .tooManyLinks }
            let (parentID, name) = try resolveParent(newPath)
            var parent = try node(parentID)
            if try directoryLookup(parent, name) != nil { throw .exists }
            let now = clock()
            try directoryInsert(&parent, DirectoryEntry(name: name, id: id, kind: target.kind))
            parent.mtime = now
            putNode(parentID, parent)
            target.links += 1
            target.ctime = now
            putNode(id, target)
        }
    }

    // MARK: - Changing files

    public func write(id: NodeID, at offset: UInt64, _ bytes: [UInt8]) throws(FSError) {
        try mutate { () throws(FSError) in
            guard var n = try readNode(id, in: .live) else { throw .notFound }
            guard n.kind == .file else { throw n.kind == .directory ? .isDirectory : .notFile }
            try writeData(&n, at: offset, bytes)
            n.mtime = clock()
            n.ctime = n.mtime
            putNode(id, n)
        }
    }

    public func truncate(id: NodeID, size: UInt64) throws(FSError) {
        try mutate { () throws(FSError) in
            guard var n = try readNode(id, in: .live) else { throw .notFound }
            guard n.kind == .file else { throw n.kind == .directory ? .isDirectory : .notFile }
            try truncateData(&n, to: size)
            n.mtime = clock()
            n.ctime = n.mtime
            putNode(id, n)
        }
    }

    /// Changes any of the permissions, owner and times of a node.
    public func setAttributes(id: NodeID, permissions: UInt16? = nil, uid: UInt32? = nil, gid: UInt32? = nil,
                              atime: Timestamp? = nil, mtime: Timestamp? = nil) throws(FSError) {
        try mutate { () throws(FSError) in
            guard var n = try readNode(id, in: .live) else { throw .notFound }
            if let p = permissions { n.mode = (n.mode & 0xF000) | (p & 0o7777) }
            if let u = uid { n.uid = u }
            if let g = gid { n.gid = g }
            if let a = atime { n.atime = a }
            if let m = mtime { n.mtime = m }
            n.ctime = clock()
            putNode(id, n)
        }
    }

    // MARK: - Removing and renaming

    /// Drops one link to a node, destroying it with its contents when none is left.
    private func dropLink(_ id: NodeID) throws(FSError) {
        var n = try node(id)
        if n.kind == .directory || n.links <= 1 {
            try freeContents(&n)
            try removeNode(id)
        } else {
            n.links -= 1
            n.ctime = clock()
            putNode(id, n)
        }
    }

    /// Removes a file or symlink name.
    public func unlink(_ path: [UInt8]) throws(FSError) {
        try mutate { () throws(FSError) in
            let (parentID, name) = try resolveParent(path)
            var parent = try node(parentID)
            guard let e = try directoryLookup(parent, name) else { throw .notFound }
            guard e.kind != .directory else { throw .isDirectory }
            try directoryRemove(&parent, name)
            parent.mtime = clock()
            putNode(parentID, parent)
            try dropLink(e.id)
        }
    }

    /// Removes an empty directory.
    public func removeDirectory(_ path: [UInt8]) throws(FSError) {
        try mutate { () throws(FSError) in
            let (parentID, name) = try resolveParent(path)
            var parent = try node(parentID)
            guard let e = try directoryLookup(parent, name) else { throw .notFound }
            guard e.kind == .directory else { throw .notDirectory }
            guard try node(e.id).size == 0 else { throw .notEmpty }
            try directoryRemove(&parent, name)
            parent.links -= min(parent.links, 1)
            parent.mtime = clock()
            putNode(parentID, parent)
            try dropLink(e.id)
        }
    }

    /// Moves `from` to `to`, replacing a file at `to` or an empty directory (when `from` is one).
    public func rename(_ from: [UInt8], _ to: [UInt8]) throws(FSError) {
        try mutate { () throws(FSError) in
            let (srcParent, srcName) = try resolveParent(from)
            let (dstParent, dstName) = try resolveParent(to)
            guard let src = try directoryLookup(try node(srcParent), srcName) else { throw .notFound }
            let dst = try directoryLookup(try node(dstParent), dstName)
            if let dst, dst.id == src.id { return }
            if src.kind == .directory {
                // The destination must not lie inside the directory being moved.
                var id = dstParent
                var steps = 0
                while true {
                    if id == src.id { throw .wouldCreateLoop }
                    if id == Format.rootID { break }
                    id = try node(id).parent
                    steps += 1
                    if steps > 1 << 16 { throw .corrupt(block: 0, "directory parent chain does not reach the root") }
                }
                if let dst {
                    guard dst.kind == .directory else { throw .notDirectory }
                    guard try node(dst.id).size == 0 else { throw .notEmpty }
                }
            } else if let dst, dst.kind == .directory {
                throw .isDirectory
            }
            let now = clock()
            if let dst {
                var p = try node(dstParent)
                try directoryRemove(&p, dstName)
                if dst.kind == .directory { p.links -= min(p.links, 1) }
                putNode(dstParent, p)
                try dropLink(dst.id)
            }
            var sp = try node(srcParent)
            try directoryRemove(&sp, srcName)
            sp.mtime = now
            if src.kind == .directory { sp.links -= min(sp.links, 1) }
            putNode(srcParent, sp)
            var dp = try node(dstParent)
            try directoryInsert(&dp, DirectoryEntry(name: dstName, id: src.id, kind: src.kind))
            dp.mtime = now
            if src.kind == .directory { dp.links += 1 }
            putNode(dstParent, dp)
            var moved = try node(src.id)
            moved.ctime = now
            if src.kind == .directory { moved.parent = dstParent }
            putNode(src.id, moved)
        }
    }
}

// MARK: - Byte-path conveniences for String callers

extension FileSystem {
    public func lookup(_ path: String) throws(FSError) -> NodeID { try lookup(Array(path.utf8)) }
    public func stat(_ path: String) throws(FSError) -> FileInfo { try stat(Array(path.utf8)) }
    public func list(_ path: String) throws(FSError) -> [DirectoryEntry] { try list(Array(path.utf8)) }
}
