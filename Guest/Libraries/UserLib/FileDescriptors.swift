// FileDescriptors.swift — files as descriptors for Swift programs (sv_syscall.h 43–49): open routes
// the path in the kernel (a kernel device under /dev, else the file server), and read/write/
// lseek/fstat/… on the descriptor go to whoever owns it. Relative paths are made absolute here
// against the working directory (the kernel has none). Raw pointers stay in this file.
import ABI
import UserRuntime

/// What stat and fstat report (struct sv_stat's fields a program uses).
public struct FileStatus: Equatable {
    /// S_IF* type bits and permission bits.
    public var mode: UInt32
    public var size: UInt64
    public var inode: UInt64
    public var links: UInt32
    public var modified: (seconds: Int64, nanoseconds: Int64)
    public var changed: (seconds: Int64, nanoseconds: Int64)
    /// The device a character device is (st_rdev).
    public var device: UInt64
    /// 512-byte blocks held (st_blocks).
    public var blocks: UInt64
    /// The owner and group (st_uid, st_gid).
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0

    init(_ s: sv_stat) {
        mode = s.st_mode
        size = UInt64(max(s.st_size, 0))
        inode = s.st_ino
        links = UInt32(truncatingIfNeeded: s.st_nlink)
        modified = (s.st_mtime_sec, s.st_mtime_nsec)
        changed = (s.st_ctime_sec, s.st_ctime_nsec)
        device = s.st_rdev
        blocks = UInt64(max(s.st_blocks, 0))
        uid = s.st_uid
        gid = s.st_gid
    }

    public var isDirectory: Bool { mode & UInt32(SV_S_IFMT) == UInt32(SV_S_IFDIR) }
    public var isRegular: Bool { mode & UInt32(SV_S_IFMT) == UInt32(SV_S_IFREG) }

    public static func == (a: FileStatus, b: FileStatus) -> Bool {
        a.mode == b.mode && a.size == b.size && a.inode == b.inode && a.links == b.links
            && a.modified == b.modified && a.changed == b.changed && a.device == b.device && a.blocks == b.blocks
    }
}

extension Unix {
    /// The bytes of `path` made absolute (Paths.absolute), as the kernel takes them.
    static func withPath<R>(_ path: String, _ body: (UInt64, UInt64) -> R) -> R {
        var absolute = Paths.absolute(path)
        // SAFETY: the string's UTF-8 bytes are valid for the call; the kernel copies `count` of them.
        return absolute.withUTF8 { body(UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count)) }
    }

    /// open(path, flags, mode) -> fd. flags: SV_O_* (Linux's O_* values).
    public static func open(_ path: String, _ flags: Int32, mode: UInt32 = 0o644) -> Result<Int32, Errno> {
        let r = withPath(path) { address, count in
            sv_syscall4(Int64(SV_SYS_OPEN), address, count, UInt64(UInt32(bitPattern: flags)), UInt64(mode))
        }
        return result(r).map { Int32($0) }
    }

    /// lseek(fd, offset, whence) -> the new offset.
    public static func lseek(_ fd: Int32, _ offset: Int64, _ whence: Int32) -> Result<Int64, Errno> {
        result(sv_syscall3(Int64(SV_SYS_LSEEK), UInt64(bitPattern: Int64(fd)), UInt64(bitPattern: offset), UInt64(bitPattern: Int64(whence))))
            .map { Int64($0) }
    }

    public static func fstat(_ fd: Int32) -> Result<FileStatus, Errno> {
        var s = sv_stat()
        // SAFETY: the kernel stores one sv_stat into the local.
        let r = withUnsafeMutablePointer(to: &s) { sv_syscall2(Int64(SV_SYS_FSTAT), UInt64(bitPattern: Int64(fd)), UInt64(UInt(bitPattern: $0))) }
        return result(r).map { _ in FileStatus(s) }
    }

    public static func stat(_ path: String) -> Result<FileStatus, Errno> {
        var s = sv_stat()
        let r = withPath(path) { address, count in
            // SAFETY: as in fstat.
            withUnsafeMutablePointer(to: &s) { sv_syscall3(Int64(SV_SYS_STAT), address, count, UInt64(UInt(bitPattern: $0))) }
        }
        return result(r).map { _ in FileStatus(s) }
    }

    public static func ftruncate(_ fd: Int32, _ length: UInt64) -> Result<Int, Errno> {
        result(sv_syscall2(Int64(SV_SYS_FTRUNCATE), UInt64(bitPattern: Int64(fd)), length))
    }

    public static func fsync(_ fd: Int32) -> Result<Int, Errno> {
        result(sv_syscall1(Int64(SV_SYS_FSYNC), UInt64(bitPattern: Int64(fd))))
    }

    /// getdents64: raw sv_dirent records into `buffer`; the bytes written (0 at the end).
    public static func getdents(_ fd: Int32, into buffer: inout [UInt8]) -> Result<Int, Errno> {
        // SAFETY: the kernel (through the server's lease) writes at most buffer.count bytes.
        buffer.withUnsafeMutableBytes { b in
            result(sv_syscall3(Int64(SV_SYS_GETDENTS), UInt64(bitPattern: Int64(fd)), UInt64(UInt(bitPattern: b.baseAddress)), UInt64(b.count)))
        }
    }

    /// One directory entry from getdents.
    public struct DirectoryEntry {
        public var name: String
        public var inode: UInt64
        /// SV_DT_*.
        public var type: UInt8
    }

    /// The sv_dirent records in `bytes`, checked: a record that does not fit, or whose name is
    /// not NUL-terminated within it, ends the list (the server's bytes are not trusted).
    public static func parseDirectoryEntries(_ bytes: ArraySlice<UInt8>) -> [DirectoryEntry] {
        var entries: [DirectoryEntry] = []
        var at = bytes.startIndex
        let nameOffset = Int(SV_DIRENT_NAME_OFFSET)
        while bytes.endIndex - at > nameOffset {
            var inode: UInt64 = 0
            for i in 0..<8 { inode |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            let length = Int(bytes[at + 16]) | Int(bytes[at + 17]) << 8
            guard length > nameOffset, length <= bytes.endIndex - at else { break }
            let record = bytes[at..<(at + length)]
            guard let end = record[(at + nameOffset)...].firstIndex(of: 0) else { break }
            entries.append(DirectoryEntry(name: String(decoding: bytes[(at + nameOffset)..<end], as: UTF8.self),
                                          inode: inode, type: bytes[at + 18]))
            at += length
        }
        return entries
    }

    /// The names in a directory, without "." and "..", in the server's order.
    public static func readDirectory(_ path: String) -> Result<[String], Errno> {
        readDirectoryEntries(path).map { entries in entries.map { $0.name } }
    }

    /// The bytes each getdents call may fill: a directory of a few thousand entries in one call
    /// (each call is a round trip to the file server, which lists the directory anew).
    static let directoryBufferSize = 64 << 10

    /// The entries of a directory (name, inode, type), without "." and "..", in the server's order.
    public static func readDirectoryEntries(_ path: String) -> Result<[DirectoryEntry], Errno> {
        let fd: Int32
        switch open(path, SV_O_RDONLY | SV_O_DIRECTORY | SV_O_CLOEXEC) {
        case .failure(let e): return .failure(e)
        case .success(let d): fd = d
        }
        defer { _ = close(fd) }
        var entries: [DirectoryEntry] = []
        var buffer = [UInt8](repeating: 0, count: directoryBufferSize)
        while true {
            switch getdents(fd, into: &buffer) {
            case .failure(let e): return .failure(e)
            case .success(0): return .success(entries)
            case .success(let n):
                for e in parseDirectoryEntries(buffer[0..<n]) where e.name != "." && e.name != ".." { entries.append(e) }
            }
        }
    }
}

extension Unix {
    /// poll(fds, timeout): how many descriptors have events (their `revents` filled in); a
    /// negative timeout waits for ever.
    public static func poll(_ fds: inout [sv_pollfd], timeoutMilliseconds: Int32) -> Result<Int, Errno> {
        // SAFETY: the kernel reads and writes exactly fds.count pollfds of the array's storage.
        fds.withUnsafeMutableBufferPointer { b in
            result(sv_syscall3(Int64(SV_SYS_POLL), UInt64(UInt(bitPattern: b.baseAddress)), UInt64(b.count),
                               UInt64(bitPattern: Int64(timeoutMilliseconds))))
        }
    }
}
