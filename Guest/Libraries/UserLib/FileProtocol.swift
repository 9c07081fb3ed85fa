// FileProtocol.swift — the Swift face of the file protocol declared in ABI sv_fs.h (operations,
// kinds, flags, the request and reply structs): the one encoder and decoder, used by the client
// (Files, and through it the C library) and by the server fsd. The numbers live in the header only.
import ABI

/// An operation of the file service (SV_FS_*).
public struct FileOperation: RawRepresentable, Equatable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ value: Int32) { rawValue = UInt8(value) }

    public static let stat = FileOperation(SV_FS_STAT), list = FileOperation(SV_FS_LIST)
    public static let read = FileOperation(SV_FS_READ), write = FileOperation(SV_FS_WRITE)
    public static let makeDirectory = FileOperation(SV_FS_MKDIR), unlink = FileOperation(SV_FS_UNLINK)
    public static let removeDirectory = FileOperation(SV_FS_RMDIR), rename = FileOperation(SV_FS_RENAME)
    public static let truncate = FileOperation(SV_FS_TRUNCATE), check = FileOperation(SV_FS_CHECK)
    public static let snapshot = FileOperation(SV_FS_SNAPSHOT), deleteSnapshot = FileOperation(SV_FS_DELETE_SNAPSHOT)
    public static let snapshots = FileOperation(SV_FS_SNAPSHOTS), statistics = FileOperation(SV_FS_STATISTICS)
    public static let open = FileOperation(SV_FS_OPEN), setAttributes = FileOperation(SV_FS_SETATTR)
    public static let handleRead = FileOperation(SV_FS_HREAD), handleWrite = FileOperation(SV_FS_HWRITE)
    public static let handleStat = FileOperation(SV_FS_HSTAT), handleTruncate = FileOperation(SV_FS_HTRUNCATE)
    public static let handleSync = FileOperation(SV_FS_HSYNC), handleClose = FileOperation(SV_FS_HCLOSE)
    public static let handleReadDirectory = FileOperation(SV_FS_HREADDIR)

    /// A path call the header defines (struct sv_fs_request and a path).
    public var isKnown: Bool { rawValue >= UInt8(SV_FS_STAT) && rawValue <= UInt8(SV_FS_OPEN) || rawValue == UInt8(SV_FS_SETATTR) }
    /// A handle call (struct sv_fs_handle_request), made only by the kernel.
    public var isHandleCall: Bool { rawValue >= UInt8(SV_FS_HREAD) && rawValue <= UInt8(SV_FS_HREADDIR) }

    /// The operation's name, for the file server's messages (Embedded Swift cannot print a value
    /// it has no description for).
    public var name: String {
        let names: [(FileOperation, String)] = [
            (.stat, "stat"), (.list, "list"), (.read, "read"), (.write, "write"), (.makeDirectory, "mkdir"),
            (.unlink, "unlink"), (.removeDirectory, "rmdir"), (.rename, "rename"), (.truncate, "truncate"),
            (.check, "check"), (.snapshot, "snapshot"), (.deleteSnapshot, "delete-snapshot"), (.snapshots, "snapshots"),
            (.statistics, "statistics"), (.open, "open"), (.setAttributes, "setattr"), (.handleRead, "read"),
            (.handleWrite, "write"), (.handleStat, "stat"), (.handleTruncate, "truncate"), (.handleSync, "sync"),
            (.handleClose, "close"), (.handleReadDirectory, "readdir"),
        ]
        return names.first { $0.0 == self }?.1 ?? "operation \(rawValue)"
    }
}

/// What a path names (SV_FS_KIND_*), and its letter in a LIST line (SV_FS_LETTER_*).
public struct FileKind: RawRepresentable, Equatable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ value: Int32) { rawValue = UInt8(value) }

    public static let none = FileKind(SV_FS_KIND_NONE), file = FileKind(SV_FS_KIND_FILE)
    public static let directory = FileKind(SV_FS_KIND_DIRECTORY), symlink = FileKind(SV_FS_KIND_SYMLINK)

    /// The LIST line's letter (anything that is not a directory or symlink is listed as a file).
    public var listLetter: UInt8 {
        UInt8(self == .directory ? SV_FS_LETTER_DIRECTORY : self == .symlink ? SV_FS_LETTER_SYMLINK : SV_FS_LETTER_FILE)
    }
    public init(listLetter: UInt8) {
        self = listLetter == UInt8(SV_FS_LETTER_DIRECTORY) ? .directory : listLetter == UInt8(SV_FS_LETTER_SYMLINK) ? .symlink : .file
    }
    /// The letter as text ("f", "d", "l"), for listings.
    public var letter: String { String(decoding: [listLetter], as: UTF8.self) }
}

public enum FileProtocol {
    public static let service = SV_FS_SERVICE
    public static let requestSize = MemoryLayout<sv_fs_request>.size
    public static let replySize = MemoryLayout<sv_fs_reply>.size
    public static let maximumPath = Int(SV_FS_PATH_MAX)
    public static let maximumWrite = Int(SV_FS_WRITE_MAX)
    public static let flagCreate = UInt8(SV_FS_FLAG_CREATE), flagTruncate = UInt8(SV_FS_FLAG_TRUNCATE)

    public static func request(_ op: FileOperation, path: [UInt8], a: UInt64 = 0, b: UInt64 = 0, flags: UInt8 = 0) -> [UInt8] {
        var r = sv_fs_request()
        r.op = op.rawValue
        r.flags = flags
        r.a = a
        r.b = b
        return Channel.encode(r) + path
    }

    /// A request's header and path; nil if it is too short to hold the header.
    public static func decodeRequest(_ bytes: [UInt8]) -> (header: sv_fs_request, path: [UInt8])? {
        guard let header = Channel.decode(sv_fs_request.self, bytes) else { return nil }
        return (header, Array(bytes[requestSize...]))
    }

    public static func reply(status: Int64, value: UInt64 = 0, size: UInt64 = 0, kind: FileKind = .none) -> [UInt8] {
        var r = sv_fs_reply()
        r.status = status
        r.value = value
        r.size = size
        r.kind = kind.rawValue
        return Channel.encode(r)
    }

    /// A reply's fields, or the errno it carries (EIO for one too short to be a reply).
    public static func decodeReply(_ bytes: [UInt8]) -> Result<(value: UInt64, size: UInt64, kind: FileKind), Errno> {
        guard let r = Channel.decode(sv_fs_reply.self, bytes) else { return .failure(Errno(SV_EIO)) }
        guard r.status >= 0 else { return .failure(Errno(Int32(truncatingIfNeeded: -r.status))) }
        return .success((r.value, r.size, FileKind(rawValue: r.kind)))
    }
}
