// fsd — the file server: RedoxFS on the disk that the driver process blkd serves ("disk0",
// fsd/RemoteBlocks.swift), served to every other process as "fs" over IPC
// (ABI sv_fs.h, UserLib/FileProtocol.swift). It is an ordinary user process without device rights: if it
// crashes or is killed, init starts a new fsd, which mounts the last committed state. Every change is committed before
// its reply, so a client that saw "done" never loses it, and a client whose call was cut off
// (EPIPE) repeats it against the new server (UserLib/Files.swift).
//   fsd [crash-after N | grants]   (crash-after: die on the Nth request — for the restart tests;
//                          grants: move bulk data by mapping the caller's buffer, Handles.swift)
// Exit status 2: nothing to serve (no disk it may drive, or not RedoxFS); init leaves it stopped.
import ABI
import RedoxFS
import UserLib

/// Exit status 2: there is nothing to serve (no disk this process may drive, or not RedoxFS), so
/// init does not restart it; any other end of fsd is a failure init recovers from.
let nothingToServe: Int32 = 2

func fail(_ message: String, status: Int32 = 1) -> Never {
    print("fsd: " + message)
    System.exit(status)
}

/// The errno a client sees for a filesystem error (sv_errno.h; Linux's values and meanings).
func errno(_ error: FSError) -> Int32 {
    switch error {
    case .notFound, .snapshotNotFound: return SV_ENOENT
    case .exists, .snapshotExists: return SV_EEXIST
    case .notDirectory: return SV_ENOTDIR
    case .isDirectory: return SV_EISDIR
    case .notEmpty: return SV_ENOTEMPTY
    case .invalidName, .invalidPath, .notFile, .notSymlink, .wouldCreateLoop: return SV_EINVAL
    case .nameTooLong: return SV_ENAMETOOLONG
    case .noSpace, .noFreeNodeIDs, .tooManySnapshots: return SV_ENOSPC
    case .fileTooLarge: return SV_EFBIG
    case .tooManyLinks: return SV_EMLINK
    case .readOnly: return SV_EROFS
    case .rootDirectory: return SV_EBUSY
    default: return SV_EIO     // the device, damage found on the way, or a state the server never enters
    }
}

extension FileKind {
    /// The protocol's kind of a RedoxFS node.
    init(_ kind: NodeKind) {
        switch kind {
        case .file: self = .file
        case .directory: self = .directory
        case .symlink: self = .symlink
        }
    }
}

/// One call's reply: the FileProtocol reply fields, or an errno; STAT and HSTAT add the attributes.
struct Answer {
    var status: Int64 = 0
    var value: UInt64 = 0
    var size: UInt64 = 0
    var kind: FileKind = .none
    var attributes: sv_fs_attributes? = nil

    var bytes: [UInt8] {
        let reply = FileProtocol.reply(status: status, value: value, size: size, kind: kind)
        guard status >= 0, let a = attributes else { return reply }
        return reply + Channel.encode(a)
    }
}

final class Server {
    let filesystem: FileSystem<RemoteBlocks>
    /// Open file descriptions per node (Handles.swift).
    let open = OpenNodes()

    init(filesystem: FileSystem<RemoteBlocks>) { self.filesystem = filesystem }
    /// Data moves between a client's lease and the filesystem this much at a time: a whole write
    /// call (SV_FS_WRITE_MAX) in one lease copy, since each copy is a kernel entry (issue 14).
    static let chunk = 1 << 20
    /// The most one write call changes (sv_fs.h: the reply says how much was written).
    static let maximumWrite = FileProtocol.maximumWrite

    /// The live tree or one snapshot, for the calls that only read.
    enum View {
        case live(FileSystem<RemoteBlocks>, [UInt8])
        case snapshot(Snapshot<RemoteBlocks>, [UInt8])

        func stat() throws(FSError) -> FileInfo {
            switch self {
            case .live(let fs, let path): return try fs.stat(path)
            case .snapshot(let s, let path): return try s.stat(path)
            }
        }
        func list() throws(FSError) -> [DirectoryEntry] {
            switch self {
            case .live(let fs, let path): return try fs.list(path)
            case .snapshot(let s, let path): return try s.list(path)
            }
        }
        func read(id: NodeID, at offset: UInt64, count: Int) throws(FSError) -> [UInt8] {
            switch self {
            case .live(let fs, _): return try fs.read(id: id, at: offset, count: count)
            case .snapshot(let s, _): return try s.read(id: id, at: offset, count: count)
            }
        }
    }

    /// "/@NAME/rest" → (NAME, "/rest"); nil for a path in the live tree.
    static func snapshotPath(_ path: [UInt8]) -> (name: [UInt8], rest: [UInt8])? {
        guard path.count >= 3, path[0] == UInt8(ascii: "/"), path[1] == UInt8(ascii: "@") else { return nil }
        let afterAt = path[2...]
        guard let slash = afterAt.firstIndex(of: UInt8(ascii: "/")) else { return (Array(afterAt), [UInt8(ascii: "/")]) }
        return (Array(path[2..<slash]), Array(path[slash...]))
    }

    func view(_ path: [UInt8]) throws(FSError) -> View {
        guard let (name, rest) = Server.snapshotPath(path) else { return .live(filesystem, path) }
        return .snapshot(try filesystem.snapshot(name), rest)
    }

    /// The snapshot call's name: the path without its leading "/" (or "/@").
    func snapshotName(_ path: [UInt8]) -> [UInt8] {
        if let (name, _) = Server.snapshotPath(path) { return name }
        return Array(path.drop { $0 == UInt8(ascii: "/") })
    }

    func handle(_ message: Channel.Message) -> Answer {
        if let first = message.request.first, FileOperation(rawValue: first).isHandleCall {
            // Only the kernel makes handle calls: it issued the handle, and it keeps the counts right.
            guard message.leaseFlags & SV_LEASE_KERNEL != 0 else { return Answer(status: -Int64(SV_EPERM)) }
            guard let request = Channel.decode(sv_fs_handle_request.self, message.request) else { return Answer(status: -Int64(SV_EINVAL)) }
            return handleCall(request, message: message)
        }
        guard let (request, path) = FileProtocol.decodeRequest(message.request), FileOperation(rawValue: request.op).isKnown else {
            return Answer(status: -Int64(SV_ENOSYS))
        }
        if request.op == UInt8(SV_FS_OPEN) && message.leaseFlags & SV_LEASE_KERNEL == 0 { return Answer(status: -Int64(SV_EPERM)) }
        let op = FileOperation(rawValue: request.op), a = request.a, b = request.b
        let mutates = ![.stat, .list, .read, .check, .snapshots, .statistics].contains(op)
            && !(op == .open && request.a & UInt64(SV_O_CREAT | SV_O_TRUNC) == 0)
        // "/@NAME/…" is inside snapshot NAME: readable, never changed.
        if mutates, Server.snapshotPath(path) != nil, op != .snapshot, op != .deleteSnapshot { return Answer(status: -Int64(SV_EROFS)) }
        // Who may do this: the identity the kernel stamped on the message (Permissions.swift).
        if let denied = refusal(op, path: path, a: a, flags: request.flags, message: message) { return Answer(status: -Int64(denied)) }
        let created = nodeToCreate(op, path: path, a: a, flags: request.flags)
        do {
            let answer = try perform(op, path: path, a: a, b: b, flags: request.flags, message: message)
            // A new node belongs to its creator, with the mode it asked for less its umask.
            if answer.status >= 0, let created { try ownCreated(created, op: op, a: a, b: b, flags: request.flags, message: message) }
            if mutates {
                // A lease the client took back (EFAULT) leaves nothing half-done either.
                if answer.status < 0 { filesystem.rollback() } else { try filesystem.commit() }
            }
            return answer
        } catch {
            // A change that failed half-way is discarded: the tree stays at the last commit.
            if mutates { filesystem.rollback() }
            let code = errno(error)
            if code == SV_EIO { print("fsd: \(op.name) \(String(decoding: path, as: UTF8.self)): \(error.description)") }
            return Answer(status: -Int64(code))
        }
    }

    func perform(_ op: FileOperation, path: [UInt8], a: UInt64, b: UInt64, flags: UInt8,
                 message: Channel.Message) throws(FSError) -> Answer {
        switch op {
        case .stat:
            let info = try view(path).stat()
            return Answer(size: info.size, kind: FileKind(info.kind), attributes: attributes(info))
        case .open:
            return try openFile(path, flags: a, mode: b)
        case .list:
            // "k name\n" per entry; all of it or (when the lease is too small) none, with the size needed.
            var text: [UInt8] = []
            for entry in try view(path).list() {
                text += [FileKind(entry.kind).listLetter, UInt8(ascii: " ")] + entry.name + [UInt8(ascii: "\n")]
            }
            guard text.count <= message.leaseLength else { return Answer(value: 0, size: UInt64(text.count)) }
            let written = Channel.leaseWrite(message.caller, offset: 0, from: text[...])
            return Answer(status: written < 0 ? Int64(written) : 0, value: UInt64(max(written, 0)), size: UInt64(text.count))
        case .read:
            let source = try view(path)
            let info = try source.stat()
            guard info.kind == .file else { throw info.kind == .directory ? .isDirectory : .notFile }
            let wanted = min(b, UInt64(message.leaseLength))
            var done: UInt64 = 0
            while done < wanted {
                let piece = try source.read(id: info.id, at: a &+ done, count: Int(min(UInt64(Server.chunk), wanted - done)))
                if piece.isEmpty { break }
                let copied = Channel.leaseWrite(message.caller, offset: Int(done), from: piece[...])
                guard copied == piece.count else { return Answer(status: copied < 0 ? Int64(copied) : -Int64(SV_EFAULT)) }
                done += UInt64(piece.count)
            }
            return Answer(value: done, size: info.size)
        case .write:
            let id: NodeID
            do {
                id = try filesystem.lookup(path)
            } catch .notFound where flags & FileProtocol.flagCreate != 0 {
                id = try filesystem.createFile(path)
            }
            let info = try filesystem.stat(id: id)
            guard info.kind == .file else { throw info.kind == .directory ? .isDirectory : .notFile }
            if flags & FileProtocol.flagTruncate != 0 { try filesystem.truncate(id: id, size: 0) }
            // At most maximumWrite per call (a short write, as POSIX allows): the open transaction
            // is held in memory until the commit, so one call must not be able to exhaust it.
            let length = min(message.leaseLength, Server.maximumWrite)
            var buffer = [UInt8](repeating: 0, count: min(Server.chunk, length))
            var done = 0
            while done < length {
                let n = Channel.leaseRead(message.caller, offset: done, into: &buffer, 0..<min(Server.chunk, length - done))
                guard n > 0 else { return Answer(status: n < 0 ? Int64(n) : -Int64(SV_EFAULT)) }
                try filesystem.write(id: id, at: a &+ UInt64(done), Array(buffer.prefix(n)))
                done += n
            }
            return Answer(value: UInt64(done))
        case .makeDirectory:
            _ = try filesystem.makeDirectory(path)
            return Answer()
        case .unlink:
            if try !open.keepIfOpen(filesystem, path: path) { try filesystem.unlink(path) }
            return Answer()
        case .removeDirectory:
            try filesystem.removeDirectory(path)
            return Answer()
        case .rename:
            guard message.leaseLength > 0, message.leaseLength <= 4096 else { throw .invalidPath }
            var target = [UInt8](repeating: 0, count: message.leaseLength)
            let n = Channel.leaseRead(message.caller, offset: 0, into: &target, 0..<message.leaseLength)
            guard n == message.leaseLength else { return Answer(status: -Int64(SV_EFAULT)) }
            guard Server.snapshotPath(target) == nil else { throw .readOnly }
            // A file replaced by the rename keeps its data while it is open (Handles.swift).
            if (try? filesystem.stat(target)) != nil, (try? filesystem.lookup(path)) != (try? filesystem.lookup(target)) {
                _ = try open.keepIfOpen(filesystem, path: target)
            }
            try filesystem.rename(path, target)
            return Answer()
        case .setAttributes:
            if flags & UInt8(SV_FS_SET_OWNER) != 0 {
                try changeOwner(path, a: a)
                return Answer()
            }
            let id = try filesystem.lookup(path)
            let mode: UInt16? = flags & UInt8(SV_FS_SET_MODE) != 0 ? allowedMode(UInt16(a & 0o7777), path: path, message: message) : nil
            let ns = Int64(bitPattern: b)
            let seconds = ns >= 0 ? ns / 1_000_000_000 : (ns + 1) / 1_000_000_000 - 1
            let time: Timestamp? = flags & UInt8(SV_FS_SET_TIMES) != 0
                ? Timestamp(seconds: seconds, nanoseconds: UInt32(ns - seconds * 1_000_000_000)) : nil
            try filesystem.setAttributes(id: id, permissions: mode, mtime: time)
            return Answer()
        case .truncate:
            try filesystem.truncate(id: try filesystem.lookup(path), size: a)
            return Answer()
        case .snapshot:
            try filesystem.createSnapshot(snapshotName(path))
            return Answer()
        case .deleteSnapshot:
            try filesystem.deleteSnapshot(snapshotName(path))
            return Answer()
        case .statistics:
            let s = filesystem.statistics()
            return Answer(value: s.freeBlocks, size: s.totalBlocks)
        case .snapshots:
            var text: [UInt8] = []
            for s in filesystem.snapshotList { text += Array("\(s.generation) ".utf8) + s.name + [UInt8(ascii: "\n")] }
            guard text.count <= message.leaseLength else { return Answer(value: 0, size: UInt64(text.count)) }
            let written = Channel.leaseWrite(message.caller, offset: 0, from: text[...])
            return Answer(status: written < 0 ? Int64(written) : 0, value: UInt64(max(written, 0)), size: UInt64(text.count))
        default:   // SV_FS_CHECK (handle lets only known operations through)
            precondition(op == .check)
            let report = try filesystem.check()
            var text = ""
            for problem in report.problems { text += problem.description + "\n" }
            text += "\(report.problems.isEmpty ? "clean" : "DAMAGED"): \(report.directories) directories, \(report.files) files\n"
            var bytes = Array(text.utf8)
            if bytes.count > message.leaseLength { bytes = Array(bytes.prefix(message.leaseLength)) }
            let written = Channel.leaseWrite(message.caller, offset: 0, from: bytes[...])
            return Answer(status: written < 0 ? Int64(written) : 0, value: UInt64(report.problems.count), size: UInt64(max(written, 0)))
        }
    }
}

/// How many file records (128 KiB each) fsd keeps after reading them (RedoxFS RecordCache): a
/// sixteenth of the machine's free memory at start, at most 32 (4 MiB) — in a small guest the
/// cache must not take the memory the programs it serves need. Under 4 records there is no
/// read-ahead (it fills at most half the cache at once).
func cachedRecords() -> Int {
    guard let memory = Unix.memoryInfo() else { return 4 }
    let freeBytes = memory.free &* 4096
    return Int(min(max(freeBytes / 16 / UInt64(128 << 10), 2), 32))
}

func main() -> Never {
    var crashAfter = CrashAfter("fsd")

    // Claim the name first: a second fsd exits here, before it mounts (two writers would corrupt).
    let endpoint = Channel.serve(FileProtocol.service)
    guard endpoint > 0 else { fail("cannot serve \"fs\" (error \(-endpoint))") }
    guard let blocks = RemoteBlocks() else { fail("no disk: the block service \(BlockProtocol.service) never answered", status: nothingToServe) }
    let filesystem: FileSystem<RemoteBlocks>
    do {
        filesystem = try FileSystem.mount(blocks, options: MountOptions(readOnly: false, cachedRecords: cachedRecords()))
    } catch {
        fail("cannot mount the disk: \(error.description)", status: nothingToServe)
    }
    let statistics = filesystem.statistics()
    print("fsd: serving RedoxFS generation \(statistics.generation), \(statistics.freeBlocks) of \(statistics.totalBlocks) blocks free (pid \(System.getpid()))")

    // Files get the wall-clock time (creation, modification, status change).
    filesystem.clock = {
        guard case .success(let now) = Unix.clock(SV_CLOCK_REALTIME) else { return .zero }
        return Timestamp(seconds: now.seconds, nanoseconds: UInt32(truncatingIfNeeded: now.nanoseconds))
    }
    let server = Server(filesystem: filesystem)
    server.reclaim()
    var next = Channel.receive(endpoint)
    while true {
        switch next {
        case .failure(let e):
            fail("receive: \(e.description)")
        case .success(let message) where message.caller == UInt64(SV_IPC_CALLER_KERNEL):
            server.notice(message)
            next = Channel.receive(endpoint)
        case .success(let message):
            crashAfter.request()
            next = Channel.replyAndReceive(endpoint, caller: message.caller, reply: server.handle(message).bytes)
        }
    }
}

main()
