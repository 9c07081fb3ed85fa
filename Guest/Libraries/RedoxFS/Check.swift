// Check.swift — fsck and scrub. Walks every tree (the live one and each snapshot), reads every
// reachable block and verifies its checksum, checks each structure's invariants (sizes, link
// counts, directory order and hashes, block accounting, zeroed bytes past the end of files), that
// no block is referenced twice within a tree, and that the allocation log marks as allocated
// exactly the blocks that something reaches. Each problem names where it was found.

public struct CheckProblem: Equatable, Sendable {
    /// "live" or "snapshot NAME", then the path or node, or "allocation log", "header".
    public var location: String
    public var message: String
    public var description: String { "\(location): \(message)" }
}

public struct CheckReport: Sendable {
    public var problems: [CheckProblem] = []
    /// Things worth knowing that are not damage (a torn header slot after a power cut, say).
    public var notes: [String] = []
    public var trees = 0
    public var nodes = 0
    public var directories = 0
    public var files = 0
    public var symlinks = 0
    public var fileBytes: UInt64 = 0
    public var reachableBlocks: UInt64 = 0
    public var allocatedBlocks: UInt64 = 0
    public var isClean: Bool { problems.isEmpty }
}

struct BlockUse {
    var level: Int
    var hash: UInt64
    var tree: Int
    var owner: UInt32
    var verified: Bool
}

struct NodeSummary {
    var kind: NodeKind
    var links: UInt32
    var parent: UInt32
    var block: UInt64
    var refs: UInt32 = 0
    var subdirs: UInt32 = 0
    var referencedBy: UInt32 = 0
    var path: [UInt8]? = nil
}

extension FileSystem {
    /// Checks the committed state. Throws only if there are uncommitted changes.
    public func check(maxProblems: Int = 1000) throws(FSError) -> CheckReport {
        guard !hasUncommittedChanges else { throw .uncommittedChanges }
        var checker = Checker(fs: self, maxProblems: maxProblems)
        checker.run()
        return checker.report
    }
}

struct Checker<Device: BlockDevice> {
    let fs: FileSystem<Device>
    let maxProblems: Int
    var report = CheckReport()
    var uses = IntMap<BlockUse>()
    var treeName = "live"
    var treeNumber = 0

    init(fs: FileSystem<Device>, maxProblems: Int) {
        self.fs = fs
        self.maxProblems = maxProblems
    }

    mutating func problem(_ location: String, _ message: String) {
        if report.problems.count < maxProblems { report.problems.append(CheckProblem(location: location, message: message)) }
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    func nodeLocation(_ id: NodeID, _ summaries: IntMap<NodeSummary>) -> String {
        if let p = summaries[UInt64(id)]?.path { return "\(treeName):\(text(p)) (node \(id))" }
        return "\(treeName): node \(id)"
    }

    /// Records a reference to `ptr` from `owner` in the current tree. Returns false when the block
    /// was already referenced in this tree (the problem is reported) or conflicts with another tree.
    mutating func use(_ ptr: BlockPtr, owner: UInt32, at location: String) -> Bool {
        if let u = uses[ptr.index] {
            if u.tree == treeNumber {
                problem(location, "block \(ptr.index) is referenced twice (also by node \(u.owner))")
                return false
            }
            if u.level != ptr.level || u.hash != ptr.hash {
                problem(location, "block \(ptr.index) is shared with another tree but its pointers disagree")
                return false
            }
            _ = uses.modify(ptr.index) { $0.tree = treeNumber }
            return true
        }
        uses.insert(ptr.index, BlockUse(level: ptr.level, hash: ptr.hash, tree: treeNumber, owner: owner, verified: false))
        return true
    }

    mutating func run() {
        for slot in fs.damagedSlots {
            report.notes.append("header slot \(slot) is damaged (a torn write or bit rot); generation \(fs.header.generation) was mounted")
        }
        if let e = fs.allocationDamage { problem("allocation log", e.description) }
        if let e = fs.snapshotDamage { problem("snapshot table", e.description) }

        treeNumber = 1
        treeName = "live"
        checkTree(fs.header.tree, nextNodeID: fs.header.nextNodeID)
        for (i, s) in fs.committedSnapshots.enumerated() {
            treeNumber = i + 2
            treeName = "snapshot \(text(s.name))"
            if s.generation > fs.header.generation {
                problem(treeName, "snapshot generation \(s.generation) is newer than the filesystem's \(fs.header.generation)")
            }
            checkTree(s.tree, nextNodeID: s.nextNodeID)
        }
        report.trees = fs.committedSnapshots.count + 1

        // Blocks outside the trees: the allocation log chain and the snapshot table.
        treeNumber = -1
        for index in fs.logChain {
            _ = use(BlockPtr(index: index, level: 0, hash: 0), owner: 0, at: "allocation log")
        }
        if !fs.header.snapshots.isNull {
            _ = use(fs.header.snapshots, owner: 0, at: "snapshot table")
        }
        checkAllocation()
    }

    // MARK: - One tree

    mutating func checkTree(_ root: BlockPtr, nextNodeID: UInt64) {
        var summaries = IntMap<NodeSummary>()
        if root.isNull {
            problem(treeName, "the node table is empty")
            return
        }
        walkTreeList(root, level: 3, base: 0, &summaries)
        guard let rootSummary = summaries[UInt64(Format.rootID)] else {
            problem(treeName, "the root directory (node 1) is missing")
            return
        }
        guard rootSummary.kind == .directory else {
            problem(treeName, "the root (node 1) is not a directory")
            return
        }
        for id in summaries.sortedKeys where id >= nextNodeID {
            problem("\(treeName): node \(id)", "node id is not below the next free id \(nextNodeID)")
        }
        // Breadth-first from the root: paths, references, directory structure.
        _ = summaries.modify(UInt64(Format.rootID)) { $0.path = [] }
        var queue: [NodeID] = [Format.rootID]
        var head = 0
        while head < queue.count {
            let dirID = queue[head]
            head += 1
            let location = nodeLocation(dirID, summaries)
            let entries: [DirectoryEntry]
            do {
                guard let dir = try fs.readNode(dirID, in: .committed(root)) else { continue }
                entries = checkDirectory(dir, id: dirID, at: location)
            } catch {
                problem(location, error.description)
                continue
            }
            let dirPath = summaries[UInt64(dirID)]!.path ?? []
            for e in entries {
                let childPath = dirPath + [0x2f] + e.name
                guard var s = summaries[UInt64(e.id)] else {
                    problem(location, "entry \"\(text(e.name))\" points to node \(e.id), which does not exist")
                    continue
                }
                if s.kind != e.kind {
                    problem(location, "entry \"\(text(e.name))\" says its type is \(e.kind.name) but node \(e.id) is a \(s.kind.name)")
                }
                s.refs += 1
                if s.kind == .directory {
                    _ = summaries.modify(UInt64(dirID)) { $0.subdirs += 1 }
                    if e.id == Format.rootID || s.path != nil {
                        problem(location, "directory node \(e.id) is reachable by more than one name (\"\(text(e.name))\")")
                        summaries.insert(UInt64(e.id), s)
                        continue
                    }
                    s.referencedBy = dirID
                    s.path = childPath
                    queue.append(e.id)
                } else if s.path == nil {
                    s.path = childPath
                }
                summaries.insert(UInt64(e.id), s)
            }
        }
        // Per node: reachability, link counts, contents.
        for key in summaries.sortedKeys {
            let id = NodeID(truncatingIfNeeded: key)
            let s = summaries[key]!
            let location = nodeLocation(id, summaries)
            report.nodes += 1
            guard s.path != nil else {
                problem(location, "node is not reachable from the root directory (orphan)")
                continue
            }
            switch s.kind {
            case .directory:
                report.directories += 1
                if id != Format.rootID && s.refs != 1 { problem(location, "directory has \(s.refs) names") }
                if s.links != 2 + s.subdirs { problem(location, "link count \(s.links), expected \(2 + s.subdirs)") }
                let expectedParent = id == Format.rootID ? Format.rootID : s.referencedBy
                if s.parent != expectedParent { problem(location, "parent field \(s.parent), expected \(expectedParent)") }
            case .file, .symlink:
                if s.kind == .file { report.files += 1 } else { report.symlinks += 1 }
                if s.links != s.refs { problem(location, "link count \(s.links) but \(s.refs) directory entries") }
                do {
                    if let n = try fs.readNode(id, in: .committed(root)) { checkContents(n, id: id, at: location) }
                } catch {
                    problem(location, error.description)
                }
            }
        }
    }

    /// Walks a node-table list; level-0 entries are node blocks, which are decoded and summarized.
    mutating func walkTreeList(_ ptr: BlockPtr, level: Int, base: UInt64, _ summaries: inout IntMap<NodeSummary>) {
        let location = "\(treeName): node table"
        guard use(ptr, owner: 0, at: location) else { return }
        let list: [UInt8]
        do {
            try fs.validate(ptr, maxLevel: 0)
            list = try fs.readMeta(ptr)
        } catch {
            problem("\(location) (ids \(base)…)", error.description)
            return
        }
        let span: UInt64 = 1 << UInt64(8 * level)
        for i in 0..<256 {
            let p = BlockPtr.load(list, i * BlockPtr.size)
            if p.isNull { continue }
            let childBase = base + UInt64(i) * span
            if level > 0 {
                walkTreeList(p, level: level - 1, base: childBase, &summaries)
                continue
            }
            let id = NodeID(truncatingIfNeeded: childBase)
            let nodeLocation = "\(treeName): node \(id)"
            if id == 0 { problem(nodeLocation, "node id 0 is in use"); continue }
            guard use(p, owner: id, at: nodeLocation) else { continue }
            do {
                try fs.validate(p, maxLevel: 0)
                let n = try Node.decode(try fs.readMeta(p), block: p.index)
                summaries.insert(UInt64(id), NodeSummary(kind: n.kind, links: n.links, parent: n.parent, block: p.index))
            } catch {
                problem(nodeLocation, error.description)
            }
        }
    }

    // MARK: - Directories

    /// Checks a directory's hash tree; returns its entries.
    mutating func checkDirectory(_ dir: Node, id: NodeID, at location: String) -> [DirectoryEntry] {
        var entries: [DirectoryEntry] = []
        var blocks: UInt64 = 0
        if !dir.directoryRoot.isNull {
            walkDirectory(dir.directoryRoot, depth: dir.directoryDepth, low: 0, high: UInt64(UInt32.max) + 1,
                          owner: id, at: location, &entries, &blocks)
        } else if dir.directoryDepth != 0 {
            problem(location, "empty directory with hash-tree depth \(dir.directoryDepth)")
        }
        if UInt64(entries.count) != dir.size { problem(location, "directory size \(dir.size) but \(entries.count) entries") }
        if blocks != dir.blocks { problem(location, "block count \(dir.blocks) but the directory uses \(blocks)") }
        return entries
    }

    mutating func walkDirectory(_ ptr: BlockPtr, depth: Int, low: UInt64, high: UInt64, owner: NodeID,
                                at location: String, _ entries: inout [DirectoryEntry], _ blocks: inout UInt64) {
        guard use(ptr, owner: owner, at: location) else { return }
        blocks += 1
        do {
            try fs.validate(ptr, maxLevel: 0)
            if depth == 0 {
                let leaf = try fs.readLeaf(ptr)
                if leaf.entries.isEmpty { problem(location, "directory leaf block \(ptr.index) is empty") }
                for e in leaf.entries {
                    if e.hash != DirectoryFormat.nameHash(e.entry.name) {
                        problem(location, "entry \"\(text(e.entry.name))\" is stored under the wrong hash")
                    } else if UInt64(e.hash) < low || UInt64(e.hash) >= high {
                        problem(location, "entry \"\(text(e.entry.name))\" is in the wrong leaf for its hash")
                    }
                    entries.append(e.entry)
                }
                return
            }
            let index = try fs.readIndex(ptr)
            for (i, e) in index.entries.enumerated() {
                let childLow = i == 0 ? low : UInt64(e.minHash)
                let childHigh = i + 1 < index.entries.count ? UInt64(index.entries[i + 1].minHash) : high
                if i > 0 && (childLow < low || childLow >= high) {
                    problem(location, "directory index block \(ptr.index) routes outside its range")
                }
                walkDirectory(e.ptr, depth: depth - 1, low: childLow, high: childHigh, owner: owner, at: location,
                              &entries, &blocks)
            }
        } catch {
            problem(location, error.description)
        }
    }

    // MARK: - File contents

    mutating func checkContents(_ n: Node, id: NodeID, at location: String) {
        report.fileBytes += n.size
        if n.isInline {
            if n.blocks != 0 { problem(location, "inline file has block count \(n.blocks)") }
            if n.data[Int(n.size)...].contains(where: { $0 != 0 }) { problem(location, "bytes past the end of the inline file are not zero") }
            return
        }
        let rs = UInt64(Format.recordSize)
        let records = (n.size + rs - 1) / rs
        var blocks: UInt64 = 0
        for slot in 0..<Node.slotCount {
            let p = n.pointer(slot)
            if p.isNull { continue }
            let info = Node.slotInfo(slot)
            walkRecords(p, depth: info.depth, first: info.firstRecord, records: records, node: n, owner: id,
                        at: location, &blocks)
        }
        if blocks != n.blocks { problem(location, "block count \(n.blocks) but the file uses \(blocks)") }
    }

    mutating func walkRecords(_ ptr: BlockPtr, depth: Int, first: UInt64, records: UInt64, node: Node, owner: NodeID,
                              at location: String, _ blocks: inout UInt64) {
        let span: UInt64 = 1 << UInt64(8 * depth)
        if first >= records {
            problem(location, "record \(first) lies beyond the end of the file (size \(node.size))")
        }
        guard use(ptr, owner: owner, at: location) else { return }
        do {
            if depth == 0 {
                try fs.validate(ptr, maxLevel: Format.recordLevel)
                blocks += ptr.blockCount
                guard !uses[ptr.index]!.verified else { return }
                _ = uses.modify(ptr.index) { $0.verified = true }
                let bytes = try fs.readRecord(ptr)   // the scrub: every data record's checksum
                let recordStart = first * UInt64(Format.recordSize)
                if recordStart < node.size {
                    let valid = Int(min(node.size - recordStart, UInt64(bytes.count)))
                    if bytes[valid...].contains(where: { $0 != 0 }) {
                        problem(location, "record \(first) has non-zero bytes past the end of the file")
                    }
                }
                return
            }
            try fs.validate(ptr, maxLevel: 0)
            blocks += 1
            let list = try fs.readMeta(ptr)
            var any = false
            let childSpan = span >> 8
            for i in 0..<Node.listEntries {
                let p = BlockPtr.load(list, i * BlockPtr.size)
                if p.isNull { continue }
                any = true
                walkRecords(p, depth: depth - 1, first: first + UInt64(i) * childSpan, records: records, node: node,
                            owner: owner, at: location, &blocks)
            }
            if !any { problem(location, "record list block \(ptr.index) is empty") }
        } catch {
            problem(location, error.description)
        }
    }

    // MARK: - Allocation

    mutating func checkAllocation() {
        var used: [(index: UInt64, level: Int)] = []
        uses.forEach { index, u in used.append((index, u.level)) }
        used.sort { $0.index < $1.index }
        report.reachableBlocks = used.reduce(0) { $0 + (1 << UInt64($1.level)) }
        for i in 1..<max(used.count, 1) where used[i - 1].index + (1 << UInt64(used[i - 1].level)) > used[i].index {
            problem("blocks", "block \(used[i - 1].index) (level \(used[i - 1].level)) overlaps block \(used[i].index)")
        }
        guard fs.allocationDamage == nil else { return }
        let allocated = fs.allocator.allocated
        report.allocatedBlocks = fs.header.blocks - Format.firstDataBlock - fs.allocator.freeBlocks
        for (index, level) in used {
            guard let info = allocated[index] else {
                let owner = uses[index]!.owner
                problem("allocation log", "block \(index) is in use\(owner != 0 ? " by node \(owner)" : "") but not allocated")
                continue
            }
            if Int(info & 0xFF) != level {
                problem("allocation log", "block \(index) is allocated at level \(info & 0xFF) but used at level \(level)")
            }
        }
        for index in allocated.sortedKeys where !uses.contains(index) {
            problem("allocation log", "block \(index) is allocated but nothing uses it (leaked)")
        }
    }
}
