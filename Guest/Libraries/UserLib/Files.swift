// Files.swift — files for user programs, through the file service (ABI sv_fs.h, FileProtocol.swift).
// A call that finds the server gone (EPIPE: fsd crashed or was killed) looks the service up again,
// waiting for init to restart it, and repeats the call (ServiceConnection): every call is idempotent
// or committed before its reply, and the repeats whose answer differs are mapped back here.
import ABI

public enum Files {
    /// The file service, found (and found again after a restart) by name.
    // SAFETY (nonisolated(unsafe)): a user process is one thread; the connection is only an
    // endpoint cache, and every call goes through `call` below.
    nonisolated(unsafe) static var connection = ServiceConnection(FileProtocol.service, patienceNanoseconds: patienceNanoseconds)
    /// How long a call waits for the service to be (re)started before it reports EPIPE.
    static let patienceNanoseconds: UInt64 = 10_000_000_000

    public struct Status {
        public var kind: FileKind
        public var size: UInt64
    }

    /// One request lending `buffer[range]` (what the programs' calls use).
    static func call(_ op: FileOperation, _ path: String, a: UInt64 = 0, b: UInt64 = 0, flags: UInt8 = 0,
                     lending buffer: inout [UInt8], _ range: Range<Int>, leaseFlags: Int32) -> Result<(value: UInt64, size: UInt64, kind: FileKind), Errno> {
        // SAFETY: the slice is bounds-checked by Array and stays valid and unaliased (inout) for
        // the whole call, repeats included.
        buffer.withUnsafeMutableBytes {
            call(op, path, a: a, b: b, flags: flags, lease: UnsafeMutableRawBufferPointer(rebasing: $0[range]), leaseFlags: leaseFlags)
        }
    }

    /// Sends one request, finding (and re-finding) the server. `lease` must stay valid for the
    /// call: the lending variant above, or the C library's buffer (CBridge, the export layer).
    static func call(_ op: FileOperation, _ path: String, a: UInt64 = 0, b: UInt64 = 0, flags: UInt8 = 0,
                     lease: UnsafeMutableRawBufferPointer? = nil, leaseFlags: Int32 = 0) -> Result<(value: UInt64, size: UInt64, kind: FileKind), Errno> {
        let bytes = Array(Paths.absolute(path).utf8)
        guard bytes.count <= FileProtocol.maximumPath else { return .failure(Errno(SV_ENAMETOOLONG)) }
        let request = FileProtocol.request(op, path: bytes, a: a, b: b, flags: flags)
        switch connection.call(request, lease: lease, leaseFlags: leaseFlags) {
        case .failure(let e):
            return .failure(e)
        case .success(let (reply, repeated)):
            let answer = FileProtocol.decodeReply(reply)
            // The first server may have committed the change and died before replying: then the
            // repeat finds it done, which is what the caller asked for.
            if repeated, case .failure(let e) = answer,
               op == .makeDirectory && e.code == SV_EEXIST || (op == .unlink || op == .removeDirectory) && e.code == SV_ENOENT {
                return .success((0, 0, .none))
            }
            return answer
        }
    }

    public static func stat(_ path: String) -> Result<Status, Errno> {
        call(.stat, path).map { Status(kind: $0.kind, size: $0.size) }
    }

    /// The lines of a listing call (list, snapshots): all of them or, when the lease was too small,
    /// none and the size needed (sv_fs.h) — then asked again with that much room.
    static func listing(_ op: FileOperation, _ path: String, capacity first: Int) -> Result<[ArraySlice<UInt8>], Errno> {
        var capacity = first
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            switch call(op, path, lending: &buffer, 0..<capacity, leaseFlags: SV_LEASE_WRITE) {
            case .failure(let e): return .failure(e)
            case .success(let (written, needed, _)):
                if needed > UInt64(capacity) { capacity = Int(needed); continue }
                return .success(buffer.prefix(Int(written)).split(separator: UInt8(ascii: "\n")))
            }
        }
    }

    /// The entries of a directory: (name, kind), in the server's order.
    public static func list(_ path: String) -> Result<[(name: String, kind: FileKind)], Errno> {
        listing(.list, path, capacity: 16 << 10).map { lines in
            lines.filter { $0.count >= 3 }.map { line -> (name: String, kind: FileKind) in
                (name: String(decoding: line.dropFirst(2), as: UTF8.self), kind: FileKind(listLetter: line[line.startIndex]))
            }
        }
    }

    /// A whole file.
    public static func read(_ path: String) -> Result<[UInt8], Errno> {
        // The first call reads up to 64 KiB and learns the file's size from the reply; the rest
        // comes in one call sized to it (exec of a 1 MiB program: 2 requests, not 17). One more
        // byte than the size is asked so that a file grown in between is read on, not cut short.
        // The size is the server's word: taken only as a buffer size, and capped.
        var out: [UInt8] = []
        var chunk = 64 << 10
        while true {
            var buffer = [UInt8](repeating: 0, count: chunk)
            let r = call(.read, path, a: UInt64(out.count), b: UInt64(chunk), lending: &buffer, 0..<chunk, leaseFlags: SV_LEASE_WRITE)
            switch r {
            case .failure(let e): return .failure(e)
            case .success(let (n, size, _)):
                let got = Int(min(n, UInt64(chunk)))
                out += buffer.prefix(got)
                if got < chunk { return .success(out) }
                let left = size > UInt64(out.count) ? size - UInt64(out.count) : 0
                chunk = Int(min(max(left + 1, UInt64(64 << 10)), UInt64(maximumReadCall)))
            }
        }
    }

    /// The most one path READ asks for (a buffer of this size is lent for the call).
    static let maximumReadCall = 64 << 20

    /// Writes `data` at `offset`; `create` makes the file if missing, `truncate` empties it first.
    public static func write(_ path: String, _ data: [UInt8], offset: UInt64 = 0, create: Bool = true, truncate: Bool = true) -> Result<Void, Errno> {
        var copy = data
        var flags = (create ? FileProtocol.flagCreate : 0) | (truncate ? FileProtocol.flagTruncate : 0)
        var done = 0
        // The server may write less than asked (at most 1 MiB a call): go on from where it stopped.
        repeat {
            let r = call(.write, path, a: offset + UInt64(done), flags: flags, lending: &copy, done..<data.count, leaseFlags: SV_LEASE_READ)
            switch r {
            case .failure(let e): return .failure(e)
            case .success(let (written, _, _)):
                guard written > 0 || done == copy.count else { return .failure(Errno(SV_EIO)) }
                done += Int(written)
            }
            flags = 0   // created and emptied by the first call
        } while done < copy.count
        return .success(())
    }

    /// Appends `data` to the end of a file, creating it if missing.
    public static func append(_ path: String, _ data: [UInt8]) -> Result<Void, Errno> {
        var size: UInt64 = 0
        switch stat(path) {
        case .success(let status): size = status.size
        case .failure(let e) where e.code == SV_ENOENT: break
        case .failure(let e): return .failure(e)
        }
        return write(path, data, offset: size, create: true, truncate: false)
    }

    /// The filesystem's own consistency check (fsck), run by the server: the report's lines and
    /// the number of problems found.
    public static func check() -> Result<(report: String, problems: Int), Errno> {
        let capacity = 16 << 10
        var buffer = [UInt8](repeating: 0, count: capacity)
        return call(.check, "/", lending: &buffer, 0..<capacity, leaseFlags: SV_LEASE_WRITE).map {
            (String(decoding: buffer.prefix(Int(min($0.size, UInt64(buffer.count)))), as: UTF8.self), Int($0.value))
        }
    }

    /// Makes snapshot `name` of everything committed (its files then read at "/@name/…").
    public static func snapshot(_ name: String) -> Result<Void, Errno> { call(.snapshot, "/" + name).map { _ in () } }
    public static func deleteSnapshot(_ name: String) -> Result<Void, Errno> { call(.deleteSnapshot, "/" + name).map { _ in () } }

    /// The snapshots: (generation, name), oldest first.
    public static func snapshots() -> Result<[(generation: UInt64, name: String)], Errno> {
        listing(.snapshots, "/", capacity: 4 << 10).map { lines in
            var out: [(generation: UInt64, name: String)] = []
            for line in lines {
                guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { continue }
                let generation = UInt64(String(decoding: line[line.startIndex..<space], as: UTF8.self)) ?? 0
                out.append((generation, String(decoding: line[(space + 1)...], as: UTF8.self)))
            }
            return out
        }
    }

    /// The filesystem's size and free space, in 4 KiB blocks.
    public static func statistics() -> Result<(totalBlocks: UInt64, freeBlocks: UInt64), Errno> {
        call(.statistics, "/").map { ($0.size, $0.value) }
    }

    /// mkdir: a directory with `mode` less the umask (fsd applies it); nil: 0777 less the umask.
    public static func makeDirectory(_ path: String, mode: UInt32? = nil) -> Result<Void, Errno> {
        guard let mode else { return call(.makeDirectory, path).map { _ in () } }
        return call(.makeDirectory, path, a: UInt64(mode & 0o7777), flags: UInt8(SV_FS_FLAG_MODE)).map { _ in () }
    }
    public static func unlink(_ path: String) -> Result<Void, Errno> { call(.unlink, path).map { _ in () } }
    public static func removeDirectory(_ path: String) -> Result<Void, Errno> { call(.removeDirectory, path).map { _ in () } }

    /// chmod: the permission bits (0o7777) of `path`.
    public static func changeMode(_ path: String, _ mode: UInt32) -> Result<Void, Errno> {
        call(.setAttributes, path, a: UInt64(mode & 0o7777), flags: UInt8(SV_FS_SET_MODE)).map { _ in () }
    }

    /// chown: the owner and group of `path` (nil: leave it).
    public static func changeOwner(_ path: String, uid: UInt32?, gid: UInt32?) -> Result<Void, Errno> {
        let a = UInt64(uid ?? UInt32.max) | UInt64(gid ?? UInt32.max) << 32
        return call(.setAttributes, path, a: a, flags: UInt8(SV_FS_SET_OWNER)).map { _ in () }
    }

    /// utimes: the modification time of `path` (ns since 1970).
    public static func setModificationTime(_ path: String, nanoseconds: Int64) -> Result<Void, Errno> {
        call(.setAttributes, path, b: UInt64(bitPattern: nanoseconds), flags: UInt8(SV_FS_SET_TIMES)).map { _ in () }
    }

    public static func rename(_ from: String, to: String) -> Result<Void, Errno> {
        var target = Array(Paths.absolute(to).utf8)
        let length = target.count
        return call(.rename, from, lending: &target, 0..<length, leaseFlags: SV_LEASE_READ).map { _ in () }
    }
}
