// Files.swift — file contents: inline bytes in the node, or 128 KiB records behind the node's
// direct and indirect pointer levels (REDOX.md §1.5). A record's stored size is the smallest buddy
// level holding the file's bytes in it; bytes past the end of the file are always zero on disk, so
// a file that grows reads zeros there. A null record pointer is a hole.

extension FileSystem {
    static var recordSize: UInt64 { UInt64(Format.recordSize) }
    static var listBytes: [UInt8] { [UInt8](repeating: 0, count: Format.blockSize) }

    /// The pointer to record `r` of a non-inline node (null for a hole).
    func recordPointer(_ node: Node, _ r: UInt64) throws(FSError) -> BlockPtr {
        guard let path = Node.recordPath(r) else { return .null }
        var ptr = node.pointer(path.slot)
        for i in path.indices {
            if ptr.isNull { return .null }
            ptr = BlockPtr.load(try readMeta(ptr), i * BlockPtr.size)
        }
        return ptr
    }

    /// Sets record `r`'s pointer, copying the lists on its path; lists left empty are freed.
    func setRecordPointer(_ node: inout Node, _ r: UInt64, _ value: BlockPtr) throws(FSError) {
        guard let path = Node.recordPath(r) else { throw .fileTooLarge }
        if path.indices.isEmpty {
            node.setPointer(path.slot, value)
            return
        }
        node.setPointer(path.slot, try setInList(node.pointer(path.slot), path.indices[...], value, &node))
    }

    private func setInList(_ list: BlockPtr, _ indices: ArraySlice<Int>, _ value: BlockPtr,
                           _ node: inout Node) throws(FSError) -> BlockPtr {
        if list.isNull && value.isNull { return .null }
        var bytes = list.isNull ? FileSystem.listBytes : try readMeta(list)
        let at = indices.first! * BlockPtr.size
        let child = BlockPtr.load(bytes, at)
        let newChild = indices.count == 1 ? value : try setInList(child, indices.dropFirst(), value, &node)
        newChild.store(&bytes, at)
        if newChild.isNull && bytes.allSatisfy({ $0 == 0 }) {
            if !list.isNull {
                freeTreeBlock(list)
                node.blocks -= 1
            }
            return .null
        }
        if list.isNull { node.blocks &+= 1 }
        return try writeMeta(old: list, bytes)
    }

    /// Frees every record with index ≥ `keep` (and the lists that become empty).
    func freeRecords(_ node: inout Node, from keep: UInt64) throws(FSError) {
        for slot in 0..<Node.slotCount {
            let info = Node.slotInfo(slot)
            let span: UInt64 = 1 << UInt64(8 * info.depth)
            if info.firstRecord + span <= keep { continue }
            let p = node.pointer(slot)
            if p.isNull { continue }
            node.setPointer(slot, try freeRecordTree(p, depth: info.depth, first: info.firstRecord, keep: keep, &node))
        }
    }

    private func freeRecordTree(_ ptr: BlockPtr, depth: Int, first: UInt64, keep: UInt64,
                                _ node: inout Node) throws(FSError) -> BlockPtr {
        if depth == 0 {
            guard first >= keep else { return ptr }
            try validate(ptr, maxLevel: Format.recordLevel)
            freeTreeBlock(ptr)
            node.blocks -= min(node.blocks, ptr.blockCount)
            return .null
        }
        var bytes = try readMeta(ptr)
        let childSpan: UInt64 = 1 << UInt64(8 * (depth - 1))
        var changed = false
        for i in 0..<Node.listEntries {
            let childFirst = first + UInt64(i) * childSpan
            if childFirst + childSpan <= keep { continue }
            let child = BlockPtr.load(bytes, i * BlockPtr.size)
            if child.isNull { continue }
            try freeRecordTree(child, depth: depth - 1, first: childFirst, keep: keep, &node).store(&bytes, i * BlockPtr.size)
            changed = true
        }
        if bytes.allSatisfy({ $0 == 0 }) {
            freeTreeBlock(ptr)
            node.blocks -= min(node.blocks, 1)
            return .null
        }
        return changed ? try writeMeta(old: ptr, bytes) : ptr
    }

    /// Reads record `ptr` (validated as a record).
    func readRecord(_ ptr: BlockPtr) throws(FSError) -> [UInt8] {
        try readBlock(ptr, maxLevel: Format.recordLevel)
    }

    /// Stores `content` (the record's bytes up to `validBytes`, zero beyond) as record `r`.
    private func storeRecord(_ node: inout Node, _ r: UInt64, old: BlockPtr, _ content: [UInt8],
                             validBytes: Int) throws(FSError) {
        let level = Format.level(forBytes: validBytes)
        let size = Format.blockSize << level
        if !old.isNull, old.level == level, owned.contains(old.index) {
            _ = owned.modify(old.index) { block in
                block.bytes.withUnsafeMutableBufferPointer { dst in
                    content.withUnsafeBufferPointer { src in
                        let n = min(size, src.count)
                        dst.baseAddress!.update(from: src.baseAddress!, count: n)
                        if n < size { (dst.baseAddress! + n).update(repeating: 0, count: size - n) }
                    }
                }
            }
            operationMutated = true
            return
        }
        let bytes = content.count > size ? Array(content[0..<size]) : content
        let index = try allocate(level: level, bytes: bytes)
        if !old.isNull {
            freeTreeBlock(old)
            node.blocks -= min(node.blocks, old.blockCount)
        }
        node.blocks &+= 1 << UInt64(level)
        try setRecordPointer(&node, r, BlockPtr(index: index, level: level, hash: 0))
    }

    /// Moves inline bytes into record 0 so the file can grow past the node.
    private func leaveInline(_ node: inout Node) throws(FSError) {
        let bytes = Array(node.data[0..<Int(node.size)])
        node.flags &= ~Node.flagInline
        node.data = [UInt8](repeating: 0, count: Node.dataSize)
        if !bytes.isEmpty { try storeRecord(&node, 0, old: .null, bytes, validBytes: bytes.count) }
    }

    /// Writes `bytes` at `offset`, growing the file as needed.
    func writeData(_ node: inout Node, at offset: UInt64, _ bytes: [UInt8]) throws(FSError) {
        if bytes.isEmpty { return }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(bytes.count))
        guard !overflow, end <= Node.maxFileSize else { throw .fileTooLarge }
        let newSize = max(node.size, end)
        if node.isInline {
            if newSize <= UInt64(Node.inlineCapacity) {
                node.data.replaceSubrange(Int(offset)..<Int(end), with: bytes)
                node.size = newSize
                return
            }
            try leaveInline(&node)
        }
        let rs = FileSystem.recordSize
        var r = offset / rs
        while r * rs < end {
            let recordStart = r * rs
            let from = max(offset, recordStart), to = min(end, recordStart + rs)
            let validBytes = Int(min(rs, newSize - recordStart))
            let old = try recordPointer(node, r)
            var content: [UInt8]
            if from == recordStart && to - recordStart >= UInt64(validBytes) {
                content = Array(bytes[Int(from - offset)..<Int(to - offset)])
            } else {
                content = old.isNull ? [] : try readRecord(old)
                let need = Format.blockSize << Format.level(forBytes: validBytes)
                if content.count < need { content.append(contentsOf: [UInt8](repeating: 0, count: need - content.count)) }
                content.replaceSubrange(Int(from - recordStart)..<Int(to - recordStart),
                                        with: bytes[Int(from - offset)..<Int(to - offset)])
            }
            try storeRecord(&node, r, old: old, content, validBytes: validBytes)
            r += 1
        }
        node.size = newSize
    }

    /// Records a sequential read fetches beyond the ones it asked for: with the first, 1 MiB
    /// per device read (SV_BLK_MAX_BLOCKS blocks, one request to the disk driver).
    static var readAheadRecords: Int { 7 }

    /// Reads up to `count` bytes at `offset` (fewer at the end of the file), fetching the records
    /// it needs — and `readAhead` more — with as few device reads as their places on disk allow.
    func readData(_ node: Node, at offset: UInt64, count: Int, readAhead: Int = 0) throws(FSError) -> [UInt8] {
        guard offset < node.size, count > 0 else { return [] }
        let end = min(node.size, offset + UInt64(count))
        if node.isInline { return Array(node.data[Int(offset)..<Int(end)]) }
        // Zeros first (holes and bytes past a record's stored size stay so), then each record's
        // bytes in one bulk copy: Embedded Swift at -Osize compiles append(contentsOf:) of a slice
        // to a byte loop, ~1 ms per MiB in the file server (issue 14).
        var result = [UInt8](repeating: 0, count: Int(end - offset))
        let rs = FileSystem.recordSize
        var r = offset / rs
        prefetchRecords(node, from: r, count: Int((end - 1) / rs - r + 1), readAhead: readAhead)
        while r * rs < end {
            let recordStart = r * rs
            let from = Int(max(offset, recordStart) - recordStart), to = Int(min(end, recordStart + rs) - recordStart)
            let ptr = try recordPointer(node, r)
            if !ptr.isNull {
                let record = try readRecord(ptr)
                let stored = min(to, record.count)
                if from < stored { FileSystem.copyBytes(record, from..<stored, into: &result, at: Int(recordStart + UInt64(from) - offset)) }
            }
            r += 1
        }
        return result
    }

    /// Copies `source[range]` into `destination` at `at` with one memmove.
    static func copyBytes(_ source: [UInt8], _ range: Range<Int>, into destination: inout [UInt8], at: Int) {
        precondition(range.lowerBound >= 0 && range.upperBound <= source.count && at >= 0 && at + range.count <= destination.count)
        destination.withUnsafeMutableBytes { to in
            source.withUnsafeBytes { from in
                // SAFETY: both ranges were checked against their arrays' counts above; the arrays
                // are distinct (`destination` is inout, so it cannot alias `source`'s storage).
                UnsafeMutableRawBufferPointer(rebasing: to[at..<(at + range.count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: from[range]))
            }
        }
    }

    /// When a read needs a record that is neither cached nor owned by the transaction, brings
    /// its records `first`..<`first + count` and `readAhead` more into the record cache, one device
    /// read per run of them lying back to back on disk (a file written in one go mostly does): a
    /// sequential reader then costs one device read per readAheadRecords + 1 records. Only an
    /// optimization: a record that cannot be read or fails its checksum here is left out, and
    /// reading it for real reports why. At most half the cache is filled at once, so a long read
    /// does not evict what it fetched.
    func prefetchRecords(_ node: Node, from first: UInt64, count: Int, readAhead: Int) {
        let last = (node.size - 1) / FileSystem.recordSize
        guard first <= last else { return }
        let limit = min(UInt64(count + max(readAhead, 0)), last - first + 1, UInt64(records.capacity / 2))
        guard limit > 1 else { return }
        var missing = false
        var candidates: [BlockPtr] = []
        for i in 0..<limit {
            guard let ptr = try? recordPointer(node, first + i) else { break }
            let wanted = !ptr.isNull && ptr.level > 0 && owned[ptr.index] == nil && !records.contains(ptr)
                && (try? validate(ptr, maxLevel: Format.recordLevel)) != nil
            if wanted && i < UInt64(count) { missing = true }
            candidates.append(wanted ? ptr : .null)
        }
        guard missing else { return }
        var run: [BlockPtr] = []
        for ptr in candidates {
            if let previous = run.last, ptr.isNull || ptr.index != previous.index + previous.blockCount {
                fetchRun(run)
                run.removeAll()
            }
            if !ptr.isNull { run.append(ptr) }
        }
        fetchRun(run)
    }

    /// Sets the file size; bytes past a shrunken end are zeroed on disk so later growth reads zeros.
    func truncateData(_ node: inout Node, to size: UInt64) throws(FSError) {
        guard size <= Node.maxFileSize else { throw .fileTooLarge }
        if node.isInline {
            if size <= UInt64(Node.inlineCapacity) {
                if size < node.size {
                    for i in Int(size)..<Int(node.size) { node.data[i] = 0 }
                }
                node.size = size
                return
            }
            try leaveInline(&node)
        }
        if size < node.size {
            let rs = FileSystem.recordSize
            try freeRecords(&node, from: (size + rs - 1) / rs)
            let tail = size % rs
            if tail != 0 {
                let r = size / rs
                let old = try recordPointer(node, r)
                if !old.isNull {
                    var content = try readRecord(old)
                    let keep = Int(tail)
                    if keep < content.count {
                        for i in keep..<content.count { content[i] = 0 }
                    }
                    try storeRecord(&node, r, old: old, content, validBytes: keep)
                }
            }
        }
        node.size = size
    }

    /// Frees everything a node holds (records, lists, directory blocks).
    func freeContents(_ node: inout Node) throws(FSError) {
        switch node.kind {
        case .directory:
            if !node.directoryRoot.isNull {
                try freeDirectoryTree(node.directoryRoot, depth: node.directoryDepth)
                node.directoryRoot = .null
            }
        case .file, .symlink:
            if !node.isInline { try freeRecords(&node, from: 0) }
        }
        node.blocks = 0
    }
}
