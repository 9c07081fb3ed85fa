// FileSystem.swift — mount, format, block I/O with checksum verification, block ownership within a
// transaction, and the ordered copy-on-write commit. The node table is in NodeTable.swift, file data
// in Files.swift, directories in Directories.swift, the path-level API in Operations.swift.
//
// Transactions: every change goes into the open transaction. Blocks it allocates are "owned": they
// are free in the committed state, so they may be rewritten in place until the commit, and their
// checksums are computed once, bottom-up, when it commits. Committed blocks are never overwritten;
// a committed block that the transaction replaces is freed only after the new header is durable.

public struct MountOptions: Sendable {
    /// Refuse every change; a damaged allocation log or snapshot table does not stop the mount.
    public var readOnly: Bool
    /// Verify every block's checksum. Only the fuzzer turns this off, to reach the structural checks.
    public var verifyChecksums: Bool
    /// How many file records (up to 128 KiB each) to keep after reading them (RecordCache.swift).
    public var cachedRecords: Int
    public init(readOnly: Bool = false, verifyChecksums: Bool = true, cachedRecords: Int = 32) {
        self.readOnly = readOnly
        self.verifyChecksums = verifyChecksums
        self.cachedRecords = cachedRecords
    }
}

struct OwnedBlock {
    var bytes: [UInt8]
    var level: Int
}

struct CachedBlock {
    var hash: UInt64
    var bytes: [UInt8]
}

/// Where node lookups start: the open transaction's tree, or a committed root (a snapshot's, or the
/// committed header's for fsck).
enum TreeSelector {
    case live
    case committed(BlockPtr)
}

public final class FileSystem<Device: BlockDevice> {
    public private(set) var device: Device
    /// The last committed header.
    public private(set) var header: Header
    public let readOnly: Bool
    let verifyChecksums: Bool
    /// Supplies timestamps for new and changed nodes (the core has no clock of its own).
    public var clock: () -> Timestamp = { .zero }

    var allocator: Allocator
    /// Why the allocation log could not be replayed (read-only mounts only; fsck reports it).
    var allocationDamage: FSError?
    var snapshotDamage: FSError?
    /// Blocks of the allocation log chain, oldest first.
    var logChain: [UInt64] = []
    var committedSnapshots: [SnapshotInfo] = []
    /// Header slots whose checksum failed at mount (torn writes or bit rot).
    public private(set) var damagedSlots: [UInt64] = []

    // ---- the open transaction ----
    var treeRoot: BlockPtr
    var nextNodeID: UInt64
    var snapshots: [SnapshotInfo] = []
    var pendingSnapshot: [UInt8]? = nil
    var snapshotsChanged = false
    var dirtyNodes = IntMap<Node>()
    var owned = IntMap<OwnedBlock>()
    /// Committed blocks this transaction stopped using; released once the new header is durable.
    var pendingFrees: [UInt64] = []
    public internal(set) var hasUncommittedChanges = false
    var operationMutated = false
    var poisoned = false

    var cache = IntMap<CachedBlock>()
    let cacheLimit = 4096
    /// File records read recently (level 1 and up; level-0 blocks live in `cache`).
    var records: RecordCache
    /// The node and offset where the last file read ended: a read starting there reads ahead.
    var lastRead: (id: UInt64, end: UInt64) = (0, 0)

    /// Commit squashes the allocation log once its chain exceeds this many blocks beyond its compact size.
    static var logSquashSlack: Int { 64 }

    init(device: Device, header: Header, allocator: Allocator, options: MountOptions) {
        self.device = device
        self.header = header
        self.allocator = allocator
        self.readOnly = options.readOnly
        self.verifyChecksums = options.verifyChecksums
        records = RecordCache(capacity: options.cachedRecords)
        treeRoot = header.tree
        nextNodeID = header.nextNodeID
    }

    // MARK: - Format and mount

    /// Creates an empty filesystem over the whole device and commits it (generation 1).
    public static func format(_ device: Device, uuid: [UInt8], now: Timestamp = .zero) throws(FSError) -> FileSystem {
        var device = device
        let blocks = device.blockCount
        guard blocks >= Format.minimumBlocks else { throw .deviceTooSmall(blocks: blocks) }
        // Wipe the ring first, so no header of an earlier filesystem on this device can win at mount.
        do {
            try device.write(block: 0, [UInt8](repeating: 0, count: Int(Format.headerRing) * Format.blockSize))
            try device.flush()
        } catch { throw .device(error) }
        let header = Header(uuid: uuid, blocks: blocks)
        let fs = FileSystem(device: device, header: header,
                            allocator: Allocator(start: Format.firstDataBlock, end: blocks), options: MountOptions())
        fs.clock = { now }
        var root = Node(kind: .directory, permissions: 0o755, now: now)
        root.links = 2
        root.parent = Format.rootID
        fs.putNode(Format.rootID, root)
        try fs.commit()
        return fs
    }

    /// Mounts the newest valid header in the ring.
    public static func mount(_ device: Device, options: MountOptions = MountOptions()) throws(FSError) -> FileSystem {
        var device = device
        let deviceBlocks = device.blockCount
        guard deviceBlocks >= Format.headerRing else { throw .noValidHeader }
        let ring: [UInt8]
        do { ring = try device.read(block: 0, count: Int(Format.headerRing) * Format.blockSize) } catch {
            throw .device(error)
        }
        var best: Header? = nil
        var foreign: UInt64? = nil
        var damaged: [UInt64] = []
        for slot in 0..<Int(Format.headerRing) {
            let bytes = Array(ring[slot * Format.blockSize..<(slot + 1) * Format.blockSize])
            switch Header.decode(bytes) {
            case .success(let h):
                // A header only counts in the slot its generation names.
                guard h.slot == UInt64(slot) else { damaged.append(UInt64(slot)); continue }
                if best == nil || h.generation > best!.generation { best = h }
            case .failure(.damaged): damaged.append(UInt64(slot))
            case .failure(.foreign(let v)): foreign = v
            case .failure(.empty): break
            }
        }
        guard let header = best else {
            if let v = foreign { throw .unsupportedVersion(v) }
            throw .noValidHeader
        }
        guard header.features == 0 else { throw .unsupportedFeatures(header.features) }
        guard header.blocks >= Format.minimumBlocks else { throw .corrupt(block: header.slot, "header size \(header.blocks) blocks is below the minimum") }
        guard header.blocks <= deviceBlocks else { throw .sizeMismatch(header: header.blocks, device: deviceBlocks) }
        guard header.nextNodeID >= 2, header.nextNodeID <= UInt64(UInt32.max) + 1 else {
            throw .corrupt(block: header.slot, "header next node id \(header.nextNodeID) out of range")
        }
        let fs = FileSystem(device: device, header: header,
                            allocator: Allocator(start: Format.firstDataBlock, end: Format.firstDataBlock), options: options)
        fs.damagedSlots = damaged
        // The snapshot table and the allocation log are needed to write, not to read: a read-only
        // mount records their damage for fsck and goes on.
        do {
            if !header.snapshots.isNull {
                fs.committedSnapshots = try SnapshotTable.decode(try fs.readMeta(header.snapshots), block: header.snapshots.index)
                fs.snapshots = fs.committedSnapshots
            }
        } catch {
            if !options.readOnly { throw error }
            fs.snapshotDamage = error
        }
        do {
            try fs.replayAllocationLog()
        } catch {
            if !options.readOnly { throw error }
            fs.allocationDamage = error
        }
        return fs
    }

    /// Reads the allocation log chain and rebuilds the allocator from it.
    func replayAllocationLog() throws(FSError) {
        var chain: [(UInt64, AllocLogBlock)] = []
        var ptr = header.alloc
        while !ptr.isNull {
            guard chain.count < Int(header.blocks) else { throw .corrupt(block: ptr.index, "allocation log chain does not end") }
            let block = try AllocLogBlock.decode(try readMeta(ptr), block: ptr.index)
            chain.append((ptr.index, block))
            if block.flags & AllocLogBlock.flagBase != 0 { break }
            ptr = block.prev
        }
        // Replay oldest first: allocations insert, frees must match an allocation exactly.
        var live = IntMap<UInt64>()
        for (blockIndex, block) in chain.reversed() {
            for e in block.entries {
                guard e.level <= Format.maxLevel else { throw .corrupt(block: blockIndex, "allocation log entry has level \(e.level)") }
                if e.isFree {
                    guard let info = live.remove(e.index), Int(info & 0xFF) == e.level else {
                        throw .corrupt(block: blockIndex, "allocation log frees block \(e.index), which is not allocated")
                    }
                } else {
                    guard !live.contains(e.index) else {
                        throw .corrupt(block: blockIndex, "allocation log allocates block \(e.index) twice")
                    }
                    live.insert(e.index, e.generation << 8 | UInt64(e.level))
                }
            }
        }
        var blocks: [(index: UInt64, level: Int, birth: UInt64)] = []
        blocks.reserveCapacity(live.count)
        live.forEach { index, info in blocks.append((index, Int(info & 0xFF), info >> 8)) }
        switch Allocator.rebuild(start: Format.firstDataBlock, end: header.blocks, blocks: blocks) {
        case .success(let a): allocator = a
        case .failure(let f): throw .corrupt(block: header.alloc.index, "allocation log: block \(f.index): \(f.reason)")
        }
        logChain = chain.reversed().map { $0.0 }
    }

    // MARK: - Reading blocks

    /// Checks that a pointer names blocks inside the filesystem's data area.
    func validate(_ ptr: BlockPtr, maxLevel: Int) throws(FSError) {
        guard !ptr.isNull else { throw .corrupt(block: 0, "unexpected null block pointer") }
        guard ptr.decompressedLevel == 0 else {
            throw .corrupt(block: ptr.index, "block is marked compressed (not supported by this version)")
        }
        guard ptr.level <= maxLevel else { throw .corrupt(block: ptr.index, "block pointer has level \(ptr.level), at most \(maxLevel) allowed here") }
        guard ptr.index >= Format.firstDataBlock, ptr.index < header.blocks,
              ptr.blockCount <= header.blocks - ptr.index else {
            throw .corrupt(block: ptr.index, "block pointer lies outside the filesystem")
        }
    }

    /// Reads a block and verifies its checksum; owned blocks come from the transaction.
    func readBlock(_ ptr: BlockPtr, maxLevel: Int) throws(FSError) -> [UInt8] {
        try validate(ptr, maxLevel: maxLevel)
        if let o = owned[ptr.index] {
            guard o.level == ptr.level else { throw .corrupt(block: ptr.index, "block pointer level disagrees with the block") }
            return o.bytes
        }
        if ptr.level == 0, let c = cache[ptr.index], c.hash == ptr.hash { return c.bytes }
        if ptr.level > 0, let r = records.lookup(ptr) { return r }
        let bytes: [UInt8]
        do { bytes = try device.read(block: ptr.index, count: ptr.byteCount) } catch { throw .device(error) }
        try keepVerified(ptr, bytes)
        return bytes
    }

    /// Checks `bytes` against `ptr`'s checksum and keeps them in the cache for their level.
    func keepVerified(_ ptr: BlockPtr, _ bytes: [UInt8]) throws(FSError) {
        if verifyChecksums {
            let actual = SeaHash.hash(bytes)
            guard actual == ptr.hash else { throw .checksumMismatch(block: ptr.index, expected: ptr.hash, actual: actual) }
        }
        if ptr.level == 0 { remember(ptr.index, hash: ptr.hash, bytes) } else { records.insert(ptr, bytes) }
    }

    /// One device read for records lying back to back on disk; each is verified before it is kept.
    func fetchRun(_ run: [BlockPtr]) {
        guard let first = run.first, let last = run.last else { return }
        let bytes = (last.index + last.blockCount - first.index) * UInt64(Format.blockSize)
        guard let all = try? device.read(block: first.index, count: Int(bytes)) else { return }
        var at = 0
        for ptr in run {
            try? keepVerified(ptr, Array(all[at..<at + ptr.byteCount]))
            at += ptr.byteCount
        }
    }

    /// A metadata block: always one 4 KiB block.
    func readMeta(_ ptr: BlockPtr) throws(FSError) -> [UInt8] {
        try readBlock(ptr, maxLevel: 0)
    }

    func remember(_ index: UInt64, hash: UInt64, _ bytes: [UInt8]) {
        if cache.count >= cacheLimit { cache.removeAll() }
        cache.insert(index, CachedBlock(hash: hash, bytes: bytes))
    }

    // MARK: - Allocation within the transaction

    /// Blocks kept back for the commit itself (nodes, tree lists, log), so ordinary operations run
    /// out of space before a commit can.
    var reserveBlocks: UInt64 {
        // One block per dirty node, its share of new level-0..3 lists, and the log blocks.
        64 + UInt64(dirtyNodes.count) + UInt64(dirtyNodes.count / 64) + UInt64(owned.count / 128)
    }

    /// Allocates an owned block holding `bytes` (padded to the level's size).
    func allocate(level: Int, bytes: [UInt8], reserve: Bool = true) throws(FSError) -> UInt64 {
        guard !readOnly else { throw .readOnly }
        let size: UInt64 = 1 << UInt64(level)
        if reserve && allocator.freeBlocks < size + reserveBlocks { throw .noSpace }
        guard let index = allocator.allocate(level: level, generation: header.generation + 1) else { throw .noSpace }
        for i in index..<index + size { cache.remove(i) }
        records.invalidate(index..<index + size)
        var b = bytes
        let full = Format.blockSize << level
        if b.count < full { b.append(contentsOf: [UInt8](repeating: 0, count: full - b.count)) }
        owned.insert(index, OwnedBlock(bytes: b, level: level))
        hasUncommittedChanges = true
        operationMutated = true
        return index
    }

    /// The birth generation of the newest snapshot, 0 if there is none.
    var latestSnapshotGeneration: UInt64 {
        committedSnapshots.reduce(0) { max($0, $1.generation) }
    }

    /// Stops using a block of the live tree. An owned block returns to the allocator at once. A
    /// committed block is freed after the commit, unless it was born no later than the newest
    /// snapshot: then that snapshot still holds it, and deleting the snapshot reclaims it.
    func freeTreeBlock(_ ptr: BlockPtr) {
        hasUncommittedChanges = true
        operationMutated = true
        if owned.remove(ptr.index) != nil {
            allocator.release(ptr.index)
            return
        }
        guard let birth = allocator.birth(of: ptr.index) else { return }  // inconsistent image: fsck reports it
        if birth > latestSnapshotGeneration { pendingFrees.append(ptr.index) }
    }

    /// Stops using a block outside the snapshot-shared tree (log, snapshot table).
    func freeMetaBlock(_ index: UInt64) {
        if owned.remove(index) != nil {
            allocator.release(index)
            return
        }
        if allocator.birth(of: index) != nil { pendingFrees.append(index) }
    }

    /// Updates an owned block in place, or copies a committed one into a new owned block.
    /// Returns the (possibly new) pointer; its hash is filled in at commit.
    func writeMeta(old: BlockPtr, _ bytes: [UInt8], reserve: Bool = true) throws(FSError) -> BlockPtr {
        if !old.isNull, owned.modify(old.index, { $0.bytes = bytes }) != nil {
            operationMutated = true
            hasUncommittedChanges = true
            return old
        }
        let index = try allocate(level: 0, bytes: bytes, reserve: reserve)
        if !old.isNull { freeTreeBlock(old) }
        return BlockPtr(index: index, level: 0, hash: 0)
    }

    // MARK: - Commit and rollback

    /// Makes every change since the last commit durable, atomically: after a power cut the
    /// filesystem shows either all of them or none. Returns when the new header has been flushed.
    public func commit() throws(FSError) {
        guard !poisoned else { throw .needsRemount }
        guard hasUncommittedChanges else { return }
        guard !readOnly else { throw .readOnly }
        var wroteToDevice = false
        do {
            try commitTransaction(wroteToDevice: &wroteToDevice)
        } catch {
            // Before the first device write nothing is lost: go back to the committed state. After
            // it, whether the header reached the disk is unknown: only a remount can tell.
            if wroteToDevice { poisoned = true } else { rollback() }
            throw error
        }
    }

    private func commitTransaction(wroteToDevice: inout Bool) throws(FSError) {
        let generation = header.generation + 1
        // 1. Nodes: finish their children's checksums, then store each in a fresh block.
        for key in dirtyNodes.sortedKeys {
            var node = dirtyNodes[key]!
            finalizeNodeChildren(&node)
            let id = NodeID(truncatingIfNeeded: key)
            let list = try ownTreePath(id, reserve: false)
            let slot = Int(id & 0xFF) * BlockPtr.size
            let old = BlockPtr.load(owned[list]!.bytes, slot)
            let index = try allocate(level: 0, bytes: node.encode(), reserve: false)
            if !old.isNull { freeTreeBlock(old) }
            _ = owned.modify(list) { BlockPtr(index: index, level: 0, hash: 0).store(&$0.bytes, slot) }
        }
        dirtyNodes.removeAll()
        // 2. The node table, bottom-up.
        treeRoot = finalizeTreeList(treeRoot, level: 3)
        // 3. Snapshots.
        if let name = pendingSnapshot {
            snapshots.append(SnapshotInfo(name: name, generation: generation, time: clock(), tree: treeRoot,
                                          nextNodeID: nextNodeID))
        }
        var snapshotPtr = header.snapshots
        if snapshotsChanged {
            if !snapshotPtr.isNull { freeMetaBlock(snapshotPtr.index) }
            snapshotPtr = .null
            if !snapshots.isEmpty {
                let bytes = SnapshotTable.encode(snapshots)
                let index = try allocate(level: 0, bytes: bytes, reserve: false)
                snapshotPtr = BlockPtr(index: index, level: 0, hash: SeaHash.hash(bytes))
            }
        }
        // 4. The allocation log records this transaction's allocations and frees.
        let allocPtr = try writeAllocationLog(generation: generation)
        // 5. Data and tree blocks, then a flush: they must be durable before the header names them.
        try writeOwnedBlocks(wroteToDevice: &wroteToDevice)
        do { try device.flush() } catch { throw .device(error) }
        // 6. The header, then a flush: the commit point.
        var newHeader = header
        newHeader.generation = generation
        newHeader.tree = treeRoot
        newHeader.alloc = allocPtr
        newHeader.snapshots = snapshotPtr
        newHeader.nextNodeID = nextNodeID
        do {
            try device.write(block: newHeader.slot, newHeader.encode())
            try device.flush()
        } catch { throw .device(error) }
        // 7. Only now may the blocks the old tree used be reused.
        pendingFrees.sort()
        var previous: UInt64 = 0
        for index in pendingFrees where index != previous {
            previous = index
            if allocator.birth(of: index) != nil { allocator.release(index) }
            cache.remove(index)
        }
        owned.forEach { index, block in
            if block.level == 0 { remember(index, hash: SeaHash.hash(block.bytes), block.bytes) }
        }
        owned.removeAll()
        pendingFrees = []
        header = newHeader
        committedSnapshots = snapshots
        pendingSnapshot = nil
        snapshotsChanged = false
        hasUncommittedChanges = false
    }

    /// Discards every change since the last commit.
    public func rollback() {
        for index in owned.sortedKeys { allocator.release(index) }
        owned.removeAll()
        dirtyNodes.removeAll()
        pendingFrees = []
        treeRoot = header.tree
        nextNodeID = header.nextNodeID
        snapshots = committedSnapshots
        pendingSnapshot = nil
        snapshotsChanged = false
        hasUncommittedChanges = false
    }

    /// Writes owned blocks in address order, merging neighbours into single device writes.
    private func writeOwnedBlocks(wroteToDevice: inout Bool) throws(FSError) {
        // Runs of blocks lying back to back (at most 4 MiB each), one device write per run.
        var runs: [[UInt64]] = []
        var runBlocks: UInt64 = 0
        for index in owned.sortedKeys {
            let blocks = UInt64(owned[index]!.bytes.count / Format.blockSize)
            if let last = runs.last, let first = last.first, first + runBlocks == index, runBlocks * UInt64(Format.blockSize) < 4 << 20 {
                runs[runs.count - 1].append(index)
                runBlocks += blocks
            } else {
                runs.append([index])
                runBlocks = blocks
            }
        }
        for run in runs {
            // The run's bytes gathered with one bulk copy per block (FileSystem.copyBytes: append
            // would copy byte by byte here).
            var total = 0
            for index in run { total += owned[index]!.bytes.count }
            var bytes = [UInt8](repeating: 0, count: total)
            var at = 0
            for index in run {
                let block = owned[index]!.bytes
                FileSystem.copyBytes(block, 0..<block.count, into: &bytes, at: at)
                at += block.count
            }
            wroteToDevice = true
            do { try device.write(block: run[0], bytes) } catch { throw .device(error) }
        }
    }

    /// Appends this transaction's log block(s), or squashes the whole log when it has grown long.
    private func writeAllocationLog(generation: UInt64) throws(FSError) -> BlockPtr {
        let cap = AllocLogBlock.capacity
        let compact = (allocator.allocated.count + cap - 1) / cap
        let squash = logChain.count + 1 > compact + FileSystem.logSquashSlack
        if squash {
            for index in logChain { freeMetaBlock(index) }
        }
        var frees = pendingFrees
        frees.sort()
        // The log blocks list themselves: n blocks must hold the other entries plus n.
        let others = squash ? allocator.allocated.count - uniqueCount(frees) : owned.count + uniqueCount(frees)
        var n = 1
        while n * cap < others + n { n += 1 }
        var logBlocks: [UInt64] = []
        for _ in 0..<n { logBlocks.append(try allocate(level: 0, bytes: [], reserve: false)) }
        var entries: [AllocLogBlock.Entry] = []
        if squash {
            for index in allocator.allocated.sortedKeys where !contains(frees, index) {
                let info = allocator.allocated[index]!
                entries.append(.init(index: index, level: Int(info & 0xFF), generation: info >> 8, isFree: false))
            }
        } else {
            for index in owned.sortedKeys {
                entries.append(.init(index: index, level: owned[index]!.level, generation: generation, isFree: false))
            }
            var previous: UInt64 = 0
            for index in frees where index != previous {
                previous = index
                entries.append(.init(index: index, level: allocator.level(of: index) ?? 0, generation: 0, isFree: true))
            }
        }
        var prev = squash ? BlockPtr.null : header.alloc
        for (i, index) in logBlocks.enumerated() {
            var block = AllocLogBlock()
            block.prev = prev
            block.generation = generation
            block.flags = squash && i == 0 ? AllocLogBlock.flagBase : 0
            block.entries = Array(entries[min(i * cap, entries.count)..<min((i + 1) * cap, entries.count)])
            let bytes = block.encode()
            _ = owned.modify(index) { $0.bytes = bytes }
            prev = BlockPtr(index: index, level: 0, hash: SeaHash.hash(bytes))
        }
        logChain = (squash ? [] : logChain) + logBlocks
        return prev
    }

    private func uniqueCount(_ sorted: [UInt64]) -> Int {
        var count = 0, previous: UInt64 = 0
        for x in sorted where x != previous { count += 1; previous = x }
        return count
    }

    private func contains(_ sorted: [UInt64], _ x: UInt64) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == x
    }

    // MARK: - Finalizing checksums

    /// The pointer with its hash computed, for an owned leaf (record, node, directory leaf).
    func finalizeLeaf(_ ptr: BlockPtr) -> BlockPtr {
        guard let block = owned[ptr.index] else { return ptr }
        return BlockPtr(addr: ptr.addr, hash: SeaHash.hash(block.bytes))
    }

    /// Finalizes an owned list of 256 pointers whose children are finalized by `child`.
    func finalizeList(_ ptr: BlockPtr, _ child: (BlockPtr) -> BlockPtr) -> BlockPtr {
        guard var block = owned[ptr.index] else { return ptr }
        var changed = false
        for i in 0..<Format.blockSize / BlockPtr.size {
            let p = BlockPtr.load(block.bytes, i * BlockPtr.size)
            if p.isNull || !owned.contains(p.index) { continue }
            child(p).store(&block.bytes, i * BlockPtr.size)
            changed = true
        }
        if changed { owned.insert(ptr.index, block) }
        return BlockPtr(addr: ptr.addr, hash: SeaHash.hash(block.bytes))
    }

    func finalizeNodeChildren(_ node: inout Node) {
        if node.kind == .directory {
            let root = node.directoryRoot
            if !root.isNull { node.directoryRoot = finalizeDirectory(root, depth: node.directoryDepth) }
            return
        }
        if node.isInline { return }
        for slot in 0..<Node.slotCount {
            let p = node.pointer(slot)
            if p.isNull || !owned.contains(p.index) { continue }
            node.setPointer(slot, finalizeRecordList(p, depth: Node.slotInfo(slot).depth))
        }
    }

    func finalizeRecordList(_ ptr: BlockPtr, depth: Int) -> BlockPtr {
        if depth == 0 { return finalizeLeaf(ptr) }
        return finalizeList(ptr) { self.finalizeRecordList($0, depth: depth - 1) }
    }

    func finalizeDirectory(_ ptr: BlockPtr, depth: Int) -> BlockPtr {
        guard depth > 0, var block = owned[ptr.index] else { return finalizeLeaf(ptr) }
        var index = DirIndex()
        // Owned index blocks were written by us, so they decode.
        let count = Int(load16(block.bytes, 0))
        for i in 0..<count {
            let at = DirectoryFormat.headerSize + i * DirectoryFormat.indexEntrySize
            index.entries.append(IndexEntry(minHash: load32(block.bytes, at), ptr: BlockPtr.load(block.bytes, at + 4)))
        }
        for i in 0..<index.entries.count where owned.contains(index.entries[i].ptr.index) {
            index.entries[i].ptr = finalizeDirectory(index.entries[i].ptr, depth: depth - 1)
        }
        block.bytes = index.encode()
        owned.insert(ptr.index, block)
        return BlockPtr(addr: ptr.addr, hash: SeaHash.hash(block.bytes))
    }

    /// Finalizes the node table; lists left empty are freed.
    func finalizeTreeList(_ ptr: BlockPtr, level: Int) -> BlockPtr {
        if ptr.isNull || !owned.contains(ptr.index) { return ptr }
        let result = finalizeList(ptr) { level == 0 ? self.finalizeLeaf($0) : self.finalizeTreeList($0, level: level - 1) }
        if owned[ptr.index]!.bytes.allSatisfy({ $0 == 0 }) {
            freeTreeBlock(ptr)
            return .null
        }
        return result
    }
}
