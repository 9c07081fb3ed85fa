// FileProtocol.swift — the messages of the file service ("fs", served by fsd). Stateless and
// path-based, and every change is committed before the reply, so a client can repeat a call to a
// restarted server and nothing it was told is done is lost.
//
//   request:  [op u8][flags u8][0 u16][0 u32][a u64][b u64][path …]     (header 24 bytes)
//   reply:    [status i64: ≥ 0 ok, -errno][value u64][size u64][kind u8][0 × 7]   (32 bytes)
//
//   op           path          a / b             lease                 value        size / kind
//   stat         path          —                 —                     —            size / kind
//   list         directory     —                 written: "k name\n"…  bytes        total bytes needed
//   read         file          offset / count    written: the data     bytes read   —
//   write        file          offset            read: the data        bytes        — (flags: create, truncate;
//                                                                                    at most 1 MiB per call)
//   mkdir, unlink, rmdir       —                 —
//   rename       from          —                 read: the new path
//   truncate     file          size
//   check        —             —                 written: the report   problems     report bytes
//   snapshot     name          —                 —                                          (creates; commits)
//   deleteSnapshot name        —                 —
//   snapshots    —             —                 written: "generation name\n"…  bytes     total bytes needed
//   statistics   —             —                 —                     free blocks  total blocks (4 KiB)
//
// A path "/@NAME/…" reads inside snapshot NAME (stat, list, read); changing it is EROFS.
public enum FileOperation: UInt8 {
    case stat = 1, list, read, write, makeDirectory, unlink, removeDirectory, rename, truncate, check,
         snapshot, deleteSnapshot, snapshots, statistics
}

public enum FileKind: UInt8 {
    case none = 0, file = 1, directory = 2, symlink = 3
    public var letter: String { self == .directory ? "d" : self == .symlink ? "l" : "f" }
}

public enum FileProtocol {
    public static let headerSize = 24
    public static let replySize = 32
    public static let maximumPath = 256 - 24
    public static let flagCreate: UInt8 = 1, flagTruncate: UInt8 = 2

    public static func request(_ op: FileOperation, path: [UInt8], a: UInt64 = 0, b: UInt64 = 0, flags: UInt8 = 0) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: headerSize)
        r[0] = op.rawValue
        r[1] = flags
        put(&r, 8, a)
        put(&r, 16, b)
        return r + path
    }

    public static func reply(status: Int64, value: UInt64 = 0, size: UInt64 = 0, kind: FileKind = .none) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: replySize)
        put(&r, 0, UInt64(bitPattern: status))
        put(&r, 8, value)
        put(&r, 16, size)
        r[24] = kind.rawValue
        return r
    }

    public static func put(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
        for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }

    public static func get(_ b: [UInt8], _ at: Int) -> UInt64 {
        guard b.count >= at + 8 else { return 0 }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(b[at + i]) << (8 * UInt64(i)) }
        return v
    }
}
