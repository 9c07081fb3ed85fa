// FSError.swift — every way a filesystem operation can fail. Corruption is always an error, never
// silently returned data; each corruption case names the block and what was wrong with it.

public enum FSError: Error, Equatable, Sendable {
    // ---- the device ----
    case device(BlockDeviceError)
    // ---- the image as a whole ----
    case noValidHeader
    case unsupportedVersion(UInt64)
    case unsupportedFeatures(UInt64)
    case deviceTooSmall(blocks: UInt64)
    case sizeMismatch(header: UInt64, device: UInt64)
    // ---- damage found on the way down the tree ----
    case checksumMismatch(block: UInt64, expected: UInt64, actual: UInt64)
    case corrupt(block: UInt64, String)
    // ---- usage ----
    case notFound
    case exists
    case notDirectory
    case isDirectory
    case notFile
    case notSymlink
    case notEmpty
    case invalidName
    case nameTooLong
    case invalidPath
    case noSpace
    case fileTooLarge
    case tooManyLinks
    case noFreeNodeIDs
    case hashCollision
    case wouldCreateLoop
    case rootDirectory
    case readOnly
    case uncommittedChanges
    case needsRemount
    case snapshotNotFound
    case snapshotExists
    case tooManySnapshots
}

extension FSError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .device(let e):
            return "device \(e.operation.name) failed at block \(e.block) (errno \(e.code))"
        case .noValidHeader: return "no valid RedoxFS header (not an image, or every header slot is damaged)"
        case .unsupportedVersion(let v):
            return "unsupported RedoxFS version \(v) (expected \(Format.version); upstream RedoxFS images are not supported)"
        case .unsupportedFeatures(let f): return "image uses unsupported features 0x\(String(f, radix: 16))"
        case .deviceTooSmall(let b): return "device too small (\(b) blocks, need at least \(Format.minimumBlocks))"
        case .sizeMismatch(let h, let d): return "header says \(h) blocks but the device has only \(d)"
        case .checksumMismatch(let b, let e, let a):
            return "checksum mismatch in block \(b) (expected 0x\(String(e, radix: 16)), found 0x\(String(a, radix: 16)))"
        case .corrupt(let b, let what): return "corrupt block \(b): \(what)"
        case .notFound: return "no such file or directory"
        case .exists: return "already exists"
        case .notDirectory: return "not a directory"
        case .isDirectory: return "is a directory"
        case .notFile: return "not a regular file"
        case .notSymlink: return "not a symbolic link"
        case .notEmpty: return "directory not empty"
        case .invalidName: return "invalid name"
        case .nameTooLong: return "name too long (at most \(Format.maxNameLength) bytes)"
        case .invalidPath: return "invalid path"
        case .noSpace: return "no space left on the filesystem"
        case .fileTooLarge: return "file too large"
        case .tooManyLinks: return "too many links"
        case .noFreeNodeIDs: return "no free node ids"
        case .hashCollision: return "too many names with the same hash in one directory"
        case .wouldCreateLoop: return "cannot move a directory into itself"
        case .rootDirectory: return "cannot remove or move the root directory"
        case .readOnly: return "filesystem is read-only"
        case .uncommittedChanges: return "filesystem has uncommitted changes"
        case .needsRemount: return "an earlier commit failed; remount the filesystem"
        case .snapshotNotFound: return "no such snapshot"
        case .snapshotExists: return "snapshot already exists"
        case .tooManySnapshots: return "too many snapshots (at most \(SnapshotTable.capacity))"
        }
    }
}
