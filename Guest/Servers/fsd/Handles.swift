// Handles.swift — fsd's side of file descriptors (sv_fs.h, handle calls; docs/FILES.md). A handle
// is the file's node id: the kernel keeps the offsets, so the only state here is how many open
// file descriptions hold each node, which decides whether an unlinked file's data must stay.
//
// Unlinked while open: the last name of an open file is not removed but moved into the hidden
// directory /.orphans (named by node id) in the same transaction, so the data survives a crash or
// a restart of fsd; the last HCLOSE removes it. A new fsd asks the kernel which handles are still
// open (ipc_handles) and removes every orphan no one holds — after a reboot, all of them.
import ABI
import RedoxFS
import UserLib

final class OpenNodes {
    /// Open file descriptions per node (the kernel's, via OPEN, HCLOSE and ipc_handles). A list,
    /// not a Dictionary: the guest's soft-float user programs cannot link Dictionary's sizing.
    private(set) var counts: [(id: NodeID, descriptions: Int)] = []
    static let orphanDirectory: [UInt8] = Array("/.orphans".utf8)

    static func orphanPath(_ id: NodeID) -> [UInt8] { orphanDirectory + Array("/\(id)".utf8) }

    func isOpen(_ id: NodeID) -> Bool { counts.contains { $0.id == id } }

    func opened(_ id: NodeID) {
        if let i = counts.firstIndex(where: { $0.id == id }) { counts[i].descriptions += 1 } else { counts.append((id, 1)) }
    }

    /// A description closed; true when it was the last one of the node.
    func closed(_ id: NodeID) -> Bool {
        guard let i = counts.firstIndex(where: { $0.id == id }) else { return false }   // a stale or duplicate notice
        if counts[i].descriptions <= 1 { counts.remove(at: i); return true }
        counts[i].descriptions -= 1
        return false
    }

    /// After a restart: the kernel's list of open handles (one per description) is the truth.
    func reclaim(_ handles: [UInt64]) {
        counts = []
        for h in handles where h <= UInt64(UInt32.max) { opened(NodeID(h)) }
    }

    /// Moves the last name of an open file into /.orphans instead of removing it (in the open
    /// transaction). Returns false when the caller should unlink normally (not open, or more links).
    func keepIfOpen(_ fs: FileSystem<RemoteBlocks>, path: [UInt8]) throws(FSError) -> Bool {
        let info = try fs.stat(path)
        guard info.kind == .file, info.links <= 1, isOpen(info.id) else { return false }
        do { _ = try fs.makeDirectory(OpenNodes.orphanDirectory, permissions: 0o700) } catch .exists {}
        try fs.rename(path, OpenNodes.orphanPath(info.id))
        return true
    }

    /// Removes the orphan of `id`, if it is one (its last description closed). Committed by the caller.
    func removeOrphan(_ fs: FileSystem<RemoteBlocks>, _ id: NodeID) throws(FSError) -> Bool {
        do { try fs.unlink(OpenNodes.orphanPath(id)) } catch .notFound { return false }
        return true
    }

    /// At start: every orphan no open description holds goes (all of them after a reboot).
    func removeUnheldOrphans(_ fs: FileSystem<RemoteBlocks>) throws(FSError) -> Int {
        let entries: [DirectoryEntry]
        do { entries = try fs.list(OpenNodes.orphanDirectory) } catch .notFound { return 0 }
        var removed = 0
        for e in entries where !isOpen(e.id) {
            try fs.unlink(OpenNodes.orphanDirectory + [UInt8(ascii: "/")] + e.name)
            removed += 1
        }
        return removed
    }
}

/// Where a handle's node lives: the live tree or one snapshot (read-only).
enum HandleTree {
    case live(FileSystem<RemoteBlocks>)
    case snapshot(Snapshot<RemoteBlocks>)

    func stat(_ id: NodeID) throws(FSError) -> FileInfo {
        switch self {
        case .live(let fs): return try fs.stat(id: id)
        case .snapshot(let s): return try s.stat(id: id)
        }
    }
    func read(_ id: NodeID, at offset: UInt64, count: Int) throws(FSError) -> [UInt8] {
        switch self {
        case .live(let fs): return try fs.read(id: id, at: offset, count: count)
        case .snapshot(let s): return try s.read(id: id, at: offset, count: count)
        }
    }
    func list(_ id: NodeID) throws(FSError) -> [DirectoryEntry] {
        switch self {
        case .live(let fs): return try fs.list(id: id)
        case .snapshot(let s): return try s.list(id: id)
        }
    }
    func parent(ofDirectory id: NodeID) throws(FSError) -> NodeID {
        switch self {
        case .live(let fs): return try fs.parent(ofDirectory: id)
        case .snapshot(let s): return try s.parent(ofDirectory: id)
        }
    }
}

/// A handle on a file inside a snapshot: the snapshot's generation in the high 32 bits (never 0),
/// the node id in the low 32 — live handles are node ids alone, so the two never meet.
enum SnapshotHandle {
    static func encode(generation: UInt64, id: NodeID) -> UInt64? {
        guard generation > 0, generation <= UInt64(UInt32.max) else { return nil }
        return generation << 32 | UInt64(id)
    }
    static func decode(_ handle: UInt64) -> (generation: UInt64, id: NodeID) {
        (handle >> 32, NodeID(truncatingIfNeeded: handle))
    }
}

extension FileKind {
    var directoryType: UInt8 {
        switch self {
        case .directory: return UInt8(SV_DT_DIR)
        case .symlink: return UInt8(SV_DT_LNK)
        default: return UInt8(SV_DT_REG)
        }
    }
}

/// struct sv_fs_attributes of a node.
func attributes(_ info: FileInfo) -> sv_fs_attributes {
    var a = sv_fs_attributes()
    a.inode = UInt64(info.id)
    a.mode = UInt32(info.kind.modeBits) | UInt32(info.permissions & 0o7777)
    a.links = info.links
    a.uid = info.uid
    a.gid = info.gid
    a.atime_sec = info.atime.seconds
    a.atime_nsec = info.atime.nanoseconds
    a.mtime_sec = info.mtime.seconds
    a.mtime_nsec = info.mtime.nanoseconds
    a.ctime_sec = info.ctime.seconds
    a.ctime_nsec = info.ctime.nanoseconds
    a.blocks = info.blocks &* 8
    return a
}

/// sv_dirent records for directory entries from index `cookie` on, as many as fit in `capacity`:
/// the bytes and the cookie after the last one written.
func directoryRecords(_ entries: [(name: [UInt8], id: UInt64, type: UInt8)], from cookie: UInt64, capacity: Int) -> (bytes: [UInt8], next: UInt64) {
    var out: [UInt8] = []
    var index = cookie
    while index < UInt64(entries.count) {
        let e = entries[Int(index)]
        let length = (Int(SV_DIRENT_NAME_OFFSET) + e.name.count + 1 + 7) & ~7
        guard out.count + length <= capacity else { break }
        var record = [UInt8](repeating: 0, count: length)
        for i in 0..<8 { record[i] = UInt8(truncatingIfNeeded: e.id >> (8 * UInt64(i))) }
        let next = index + 1
        for i in 0..<8 { record[8 + i] = UInt8(truncatingIfNeeded: next >> (8 * UInt64(i))) }
        record[16] = UInt8(truncatingIfNeeded: length)
        record[17] = UInt8(truncatingIfNeeded: length >> 8)
        record[18] = e.type
        for (i, b) in e.name.enumerated() { record[Int(SV_DIRENT_NAME_OFFSET) + i] = b }
        out += record
        index = next
    }
    return (out, index)
}

extension Server {
    /// Whether bulk data goes through lease_map (`fsd grants`) rather than lease copies of 1 MiB.
    /// Copies are the default: measured 2–3× faster here, on PVM, where every page-table write of
    /// a mapping traps to the hypervisor (docs/FILES.md, `filetests bench`); with hardware
    /// paging (EPT) mapping is cheap and the fast-data-paths work may turn grants on for large calls.
    static let useGrants = System.arguments.contains("grants")
    /// A read moves this much per filesystem read and lease copy: few kernel entries per request.
    static let readChunk = 1 << 20

    /// OPEN: the node's id is the handle. O_CREAT makes a missing file (O_EXCL: only then),
    /// O_TRUNC empties a file opened for writing; a directory opens only for reading.
    func openFile(_ path: [UInt8], flags: UInt64, mode: UInt64) throws(FSError) -> Answer {
        let creates = flags & UInt64(SV_O_CREAT) != 0
        let writes = flags & UInt64(SV_O_ACCMODE) != UInt64(SV_O_RDONLY)
        if let (name, rest) = Server.snapshotPath(path) {
            // A snapshot's files open read-only; the handle says which snapshot (SnapshotHandle).
            guard !writes && !creates else { throw .readOnly }
            let snapshot = try filesystem.snapshot(name)
            let id = try snapshot.lookup(rest)
            let info = try snapshot.stat(id: id)
            if flags & UInt64(SV_O_DIRECTORY) != 0 && info.kind != .directory { throw .notDirectory }
            if info.kind == .symlink { throw .notFile }
            guard let handle = SnapshotHandle.encode(generation: snapshot.info.generation, id: id) else { throw .invalidPath }
            return Answer(value: handle, size: info.size, kind: FileKind(info.kind))
        }
        var id: NodeID
        do throws(FSError) {
            id = try filesystem.lookup(path)
        } catch .notFound where creates {
            id = try filesystem.createFile(path, permissions: UInt16(mode & 0o7777))
            return try opened(id)
        }
        if creates && flags & UInt64(SV_O_EXCL) != 0 { throw .exists }
        return try opened(id, flags: flags)
    }

    /// The rest of OPEN for an existing (or just made) node.
    private func opened(_ id: NodeID, flags: UInt64 = 0) throws(FSError) -> Answer {
        let writes = flags & UInt64(SV_O_ACCMODE) != UInt64(SV_O_RDONLY)
        var info = try filesystem.stat(id: id)
        if flags & UInt64(SV_O_DIRECTORY) != 0 && info.kind != .directory { throw .notDirectory }
        switch info.kind {
        case .directory: if writes { throw .isDirectory }
        case .symlink: throw .notFile          // not followed yet: ELOOP-like refusal (EINVAL)
        case .file:
            if writes && flags & UInt64(SV_O_TRUNC) != 0 && info.size > 0 {
                try filesystem.truncate(id: id, size: 0)
                info.size = 0
            }
        }
        open.opened(id)
        return Answer(value: UInt64(id), size: info.size, kind: FileKind(info.kind))
    }

    /// A handle call from the kernel (sv_fs.h). A handle that names no node is ESTALE.
    func handleCall(_ r: sv_fs_handle_request, message: Channel.Message) -> Answer {
        let op = FileOperation(rawValue: r.op)
        if r.handle > UInt64(UInt32.max) { return snapshotHandleCall(op, r, message) }
        guard r.handle > 0 else { return Answer(status: -Int64(SV_ESTALE)) }
        let id = NodeID(r.handle)
        let mutates = op == .handleWrite || op == .handleTruncate
        do {
            let answer = try performHandleCall(op, id, r, message)
            if mutates {
                if answer.status < 0 { filesystem.rollback() } else { try filesystem.commit() }
            }
            return answer
        } catch {
            if mutates { filesystem.rollback() }
            if error == .notFound { return Answer(status: -Int64(SV_ESTALE)) }
            let code = errno(error)
            if code == SV_EIO { print("fsd: \(op.name) of node \(id): \(error.description)") }
            return Answer(status: -Int64(code))
        }
    }

    func performHandleCall(_ op: FileOperation, _ id: NodeID, _ r: sv_fs_handle_request, _ message: Channel.Message) throws(FSError) -> Answer {
        switch op {
        case .handleRead:
            return try readFile(.live(filesystem), id, r, message)
        case .handleWrite:
            let info = try filesystem.stat(id: id)
            guard info.kind == .file else { throw info.kind == .directory ? .isDirectory : .notFile }
            let start = r.flags & UInt8(SV_FS_FLAG_APPEND) != 0 ? info.size : r.offset
            // At most maximumWrite per call (a short write): the transaction is held in memory.
            let length = min(min(r.count, UInt64(message.leaseLength)), UInt64(Server.maximumWrite))
            let window = Server.useGrants ? Channel.leaseMap(message.caller, offset: 0, length: Int(length)) : nil
            var buffer = [UInt8](repeating: 0, count: window == nil ? min(Server.chunk, Int(length)) : 0)
            var done = 0
            while done < Int(length) {
                let n: Int
                if let window {
                    // A copy of the caller's bytes: what is written is what was read, once.
                    n = min(Server.chunk, Int(length) - done)
                    buffer = Array(UnsafeRawBufferPointer(rebasing: window[done..<(done + n)]))
                } else {
                    n = Channel.leaseRead(message.caller, offset: done, into: &buffer, 0..<min(Server.chunk, Int(length) - done))
                    guard n > 0 else { return Answer(status: n < 0 ? Int64(n) : -Int64(SV_EFAULT)) }
                }
                try filesystem.write(id: id, at: start &+ UInt64(done), Array(buffer.prefix(n)))
                done += n
            }
            return Answer(value: UInt64(done), size: try filesystem.stat(id: id).size)
        case .handleStat:
            let info = try filesystem.stat(id: id)
            return Answer(size: info.size, kind: FileKind(info.kind), attributes: attributes(info))
        case .handleTruncate:
            let info = try filesystem.stat(id: id)
            guard info.kind == .file else { throw info.kind == .directory ? .isDirectory : .notFile }
            try filesystem.truncate(id: id, size: r.offset)
            return Answer()
        case .handleSync:
            // Every change was committed before its reply: what was written is durable already.
            _ = try filesystem.stat(id: id)
            return Answer()
        case .handleReadDirectory:
            return try readDirectory(.live(filesystem), id, r, message)
        default:
            return Answer(status: -Int64(SV_ENOSYS))
        }
    }

    /// A handle call on a snapshot's file: reads, stat and directory listings; changes are EROFS.
    /// A snapshot deleted while open makes its handles ESTALE.
    func snapshotHandleCall(_ op: FileOperation, _ r: sv_fs_handle_request, _ message: Channel.Message) -> Answer {
        let (generation, id) = SnapshotHandle.decode(r.handle)
        guard let info = filesystem.snapshotList.first(where: { $0.generation == generation }),
              let snapshot = try? filesystem.snapshot(info.name) else { return Answer(status: -Int64(SV_ESTALE)) }
        do throws(FSError) {
            switch op {
            case .handleRead:
                return try readFile(.snapshot(snapshot), id, r, message)
            case .handleStat:
                let file = try snapshot.stat(id: id)
                return Answer(size: file.size, kind: FileKind(file.kind), attributes: attributes(file))
            case .handleSync:
                return Answer()
            case .handleReadDirectory:
                return try readDirectory(.snapshot(snapshot), id, r, message)
            default:
                return Answer(status: -Int64(SV_EROFS))
            }
        } catch {
            return Answer(status: -Int64(error == .notFound ? SV_ESTALE : errno(error)))
        }
    }

    /// HREAD: the file's bytes from the request's offset into the caller's lease — through a grant
    /// (one system call for the whole read) when fsd uses them and the kernel can map it, else a
    /// lease_write per 1 MiB piece. Past the end there is nothing to copy.
    func readFile(_ tree: HandleTree, _ id: NodeID, _ r: sv_fs_handle_request, _ message: Channel.Message) throws(FSError) -> Answer {
        let info = try tree.stat(id)
        guard info.kind == .file else { throw info.kind == .directory ? .isDirectory : .notFile }
        let wanted = min(r.count, UInt64(message.leaseLength), info.size > r.offset ? info.size - r.offset : 0)
        let window = Server.useGrants ? Channel.leaseMap(message.caller, offset: 0, length: Int(wanted)) : nil
        var done: UInt64 = 0
        while done < wanted {
            let piece = try tree.read(id, at: r.offset &+ done, count: Int(min(UInt64(Server.readChunk), wanted - done)))
            if piece.isEmpty { break }
            if let window {
                // SAFETY: done + piece.count <= wanted = window.count (a read never returns more than asked).
                piece.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: window[Int(done)...]).copyMemory(from: $0) }
            } else {
                let copied = Channel.leaseWrite(message.caller, offset: Int(done), from: piece[...])
                guard copied == piece.count else { return Answer(status: copied < 0 ? Int64(copied) : -Int64(SV_EFAULT)) }
            }
            done += UInt64(piece.count)
        }
        return Answer(value: done, size: info.size)
    }

    /// HREADDIR: ".", ".." and the entries from the cookie on, as many sv_dirent records as fit.
    func readDirectory(_ tree: HandleTree, _ id: NodeID, _ r: sv_fs_handle_request, _ message: Channel.Message) throws(FSError) -> Answer {
        var entries: [(name: [UInt8], id: UInt64, type: UInt8)] = [
            ([UInt8(ascii: ".")], UInt64(id), UInt8(SV_DT_DIR)),
            ([UInt8(ascii: "."), UInt8(ascii: ".")], UInt64(try tree.parent(ofDirectory: id)), UInt8(SV_DT_DIR)),
        ]
        for e in try tree.list(id) { entries.append((e.name, UInt64(e.id), FileKind(e.kind).directoryType)) }
        let (bytes, next) = directoryRecords(entries, from: r.offset, capacity: Int(min(r.count, UInt64(message.leaseLength))))
        if bytes.isEmpty && r.offset < UInt64(entries.count) { return Answer(status: -Int64(SV_EINVAL)) }   // too small for one entry
        let written = Channel.leaseWrite(message.caller, offset: 0, from: bytes[...])
        guard written == bytes.count else { return Answer(status: written < 0 ? Int64(written) : -Int64(SV_EFAULT)) }
        return Answer(value: UInt64(bytes.count), size: next)
    }

    /// A notice from the kernel (no reply): HCLOSE — the last description of a handle closed.
    func notice(_ message: Channel.Message) {
        guard message.leaseFlags & SV_LEASE_KERNEL != 0, let r = Channel.decode(sv_fs_handle_request.self, message.request),
              r.op == UInt8(SV_FS_HCLOSE), r.handle <= UInt64(UInt32.max) else { return }
        let id = NodeID(r.handle)
        guard open.closed(id) else { return }
        do {
            if try open.removeOrphan(filesystem, id) { try filesystem.commit() }
        } catch {
            filesystem.rollback()
            print("fsd: removing unlinked node \(id): \(error.description)")
        }
    }

    /// At start: which handles are open (the kernel's list) and the orphans no one holds removed.
    func reclaim() {
        open.reclaim(Channel.openHandles())
        do {
            let removed = try open.removeUnheldOrphans(filesystem)
            if removed > 0 { try filesystem.commit() }
        } catch {
            filesystem.rollback()
            print("fsd: removing unlinked files: \(error.description)")
        }
    }
}
