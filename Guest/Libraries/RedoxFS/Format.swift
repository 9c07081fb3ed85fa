// Format.swift — on-disk constants, little-endian byte access and the 16-byte block pointer.
// The layouts are drawn in docs/REDOXFS-FORMAT.md; keep the two in step.

/// Format-wide constants (docs/REDOXFS-FORMAT.md §1).
public enum Format {
    /// Every structure is one 4 KiB block; data records are buddy-sized multiples of it.
    public static let blockSize = 4096
    public static let blockShift: UInt64 = 12
    /// File data is stored in records of 4096 << 5 = 128 KiB, as in RedoxFS (RECORD_LEVEL).
    public static let recordLevel = 5
    public static let recordSize = blockSize << recordLevel
    /// Headers are written round-robin into this many slots at the start of the filesystem.
    public static let headerRing: UInt64 = 256
    /// The first block the allocator may hand out (everything below is the header ring).
    public static let firstDataBlock: UInt64 = headerRing
    /// "RedoxFS\0", as upstream; our version number tells the two formats apart.
    public static let signature: [UInt8] = [0x52, 0x65, 0x64, 0x6f, 0x78, 0x46, 0x53, 0x00]
    /// 'S' 'W' variant 1: the swiftvm dialect of RedoxFS (not upstream's VERSION 8).
    public static let version: UInt64 = 0x5357_0001
    /// The largest buddy level the allocator tracks (4096 << 30 = 4 TiB free extents).
    public static let maxLevel = 30
    /// Node id 1 is the root directory; 0 is the null id.
    public static let rootID: NodeID = 1
    /// Longest name in a directory entry (one length byte).
    public static let maxNameLength = 255
    /// A filesystem needs the header ring plus room for its first tree, node, log and some data.
    public static let minimumBlocks: UInt64 = headerRing + 64
}

public typealias NodeID = UInt32

/// A point in time: seconds and nanoseconds since the Unix epoch.
public struct Timestamp: Equatable, Sendable {
    public var seconds: Int64
    public var nanoseconds: UInt32
    public init(seconds: Int64, nanoseconds: UInt32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    public static let zero = Timestamp(seconds: 0)
}

// MARK: - Little-endian access to byte arrays

@inline(__always) func load8(_ b: [UInt8], _ at: Int) -> UInt8 { b[at] }
@inline(__always) func load16(_ b: [UInt8], _ at: Int) -> UInt16 {
    UInt16(b[at]) | UInt16(b[at + 1]) << 8
}
@inline(__always) func load32(_ b: [UInt8], _ at: Int) -> UInt32 {
    UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
}
@inline(__always) func load64(_ b: [UInt8], _ at: Int) -> UInt64 {
    UInt64(load32(b, at)) | UInt64(load32(b, at + 4)) << 32
}
@inline(__always) func store16(_ b: inout [UInt8], _ at: Int, _ v: UInt16) {
    b[at] = UInt8(truncatingIfNeeded: v)
    b[at + 1] = UInt8(truncatingIfNeeded: v >> 8)
}
@inline(__always) func store32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
    for i in 0..<4 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
}
@inline(__always) func store64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
    for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
}

// MARK: - Block pointers

/// A reference to a block: its address and the SeaHash of its stored bytes (REDOX.md §1.2).
/// Because every parent holds its children's hashes, the header is the root of a Merkle tree and a
/// mismatch anywhere is detected on the way down.
///
/// ```
/// addr bits 0..3   buddy level: the block spans 4096 << level bytes
/// addr bits 4..7   decompressed level (0 = stored uncompressed; reserved for LZ4)
/// addr bits 8..63  block index in 4 KiB units from the start of the filesystem (0 = null)
/// hash             SeaHash of the stored bytes
/// ```
public struct BlockPtr: Equatable, Sendable {
    public static let size = 16
    public static let null = BlockPtr(addr: 0, hash: 0)

    public var addr: UInt64
    public var hash: UInt64

    public init(addr: UInt64, hash: UInt64) {
        self.addr = addr
        self.hash = hash
    }

    public init(index: UInt64, level: Int, hash: UInt64) {
        self.addr = index << 8 | UInt64(level & 0xF)
        self.hash = hash
    }

    public var index: UInt64 { addr >> 8 }
    public var level: Int { Int(addr & 0xF) }
    public var decompressedLevel: Int { Int((addr >> 4) & 0xF) }
    public var isNull: Bool { index == 0 }
    /// Bytes stored in the block.
    public var byteCount: Int { Format.blockSize << level }
    /// 4 KiB blocks covered.
    public var blockCount: UInt64 { 1 << UInt64(level) }

    static func load(_ b: [UInt8], _ at: Int) -> BlockPtr {
        BlockPtr(addr: load64(b, at), hash: load64(b, at + 8))
    }
    func store(_ b: inout [UInt8], _ at: Int) {
        store64(&b, at, addr)
        store64(&b, at + 8, hash)
    }
}

extension Format {
    /// The smallest buddy level whose block holds `bytes` bytes.
    static func level(forBytes bytes: Int) -> Int {
        var level = 0
        while (Format.blockSize << level) < bytes { level += 1 }
        return level
    }
}
