// Node.swift — the node (inode), one 4 KiB block (REDOX.md §1.5). Small files and symlinks keep
// their bytes inline in the node; larger ones point to 128 KiB records through direct and indirect
// levels; a directory points to the root of its hash tree. Layout: docs/REDOXFS-FORMAT.md §5.

public enum NodeKind: UInt8, Equatable, Sendable {
    case file = 1
    case directory = 2
    case symlink = 3

    /// The S_IFMT bits of `mode`.
    public var modeBits: UInt16 {
        switch self {
        case .file: return 0x8000
        case .directory: return 0x4000
        case .symlink: return 0xA000
        }
    }

    public var name: String {
        switch self {
        case .file: return "file"
        case .directory: return "directory"
        case .symlink: return "symlink"
        }
    }

    init?(mode: UInt16) {
        switch mode & 0xF000 {
        case 0x8000: self = .file
        case 0x4000: self = .directory
        case 0xA000: self = .symlink
        default: return nil
        }
    }
}

struct Node: Equatable {
    static let dataOffset = 256
    static let dataSize = Format.blockSize - dataOffset   // 3840
    /// Bytes a file or symlink keeps inside the node.
    static let inlineCapacity = dataSize
    static let flagInline: UInt32 = 1

    // Record pointer levels: 128 direct, 64 single-, 32 double-, 16 triple-indirect (240 × 16 = 3840).
    static let directCount = 128
    static let level1Slot = 128, level1Count = 64
    static let level2Slot = 192, level2Count = 32
    static let level3Slot = 224, level3Count = 16
    static let listEntries = 256
    static let maxRecords: UInt64 = 128 + 64 * 256 + 32 * 65536 + 16 * 16_777_216
    static let maxFileSize: UInt64 = maxRecords * UInt64(Format.recordSize)

    var mode: UInt16
    var flags: UInt32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
    var links: UInt32 = 0
    /// Directories: the id of the directory holding this one (the root holds itself). Others: 0.
    var parent: UInt32 = 0
    var size: UInt64 = 0
    /// 4 KiB blocks held by this node's records, record lists and directory blocks.
    var blocks: UInt64 = 0
    var atime = Timestamp.zero
    var mtime = Timestamp.zero
    var ctime = Timestamp.zero
    var btime = Timestamp.zero
    var recordLevel: UInt32 = 0
    /// Inline bytes, record pointers or the directory root (dataSize bytes).
    var data: [UInt8]

    init(kind: NodeKind, permissions: UInt16, now: Timestamp) {
        mode = kind.modeBits | (permissions & 0o7777)
        data = [UInt8](repeating: 0, count: Node.dataSize)
        atime = now; mtime = now; ctime = now; btime = now
        if kind != .directory {
            flags = Node.flagInline
            recordLevel = UInt32(Format.recordLevel)
        }
    }

    var kind: NodeKind { NodeKind(mode: mode)! }
    var isInline: Bool { flags & Node.flagInline != 0 }

    func pointer(_ slot: Int) -> BlockPtr { BlockPtr.load(data, slot * BlockPtr.size) }
    mutating func setPointer(_ slot: Int, _ p: BlockPtr) { p.store(&data, slot * BlockPtr.size) }

    // Directories: the hash-tree root and its depth (0: the root is a leaf).
    var directoryRoot: BlockPtr {
        get { pointer(0) }
        set { setPointer(0, newValue) }
    }
    var directoryDepth: Int {
        get { Int(data[16]) }
        set { data[16] = UInt8(newValue) }
    }

    func encode() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: Format.blockSize)
        store16(&b, 0, mode)
        store32(&b, 4, flags)
        store32(&b, 8, uid)
        store32(&b, 12, gid)
        store32(&b, 16, links)
        store32(&b, 20, parent)
        store64(&b, 24, size)
        store64(&b, 32, blocks)
        store64(&b, 40, UInt64(bitPattern: atime.seconds))
        store64(&b, 48, UInt64(bitPattern: mtime.seconds))
        store64(&b, 56, UInt64(bitPattern: ctime.seconds))
        store64(&b, 64, UInt64(bitPattern: btime.seconds))
        store32(&b, 72, atime.nanoseconds)
        store32(&b, 76, mtime.nanoseconds)
        store32(&b, 80, ctime.nanoseconds)
        store32(&b, 84, btime.nanoseconds)
        store32(&b, 88, recordLevel)
        b.replaceSubrange(Node.dataOffset..<Format.blockSize, with: data)
        return b
    }

    /// Decodes and checks the fields every later step relies on; `block` names the block in errors.
    static func decode(_ b: [UInt8], block: UInt64) throws(FSError) -> Node {
        guard b.count == Format.blockSize else { throw .corrupt(block: block, "node block has the wrong size") }
        let mode = load16(b, 0)
        guard let kind = NodeKind(mode: mode) else {
            throw .corrupt(block: block, "node has unknown type bits 0x\(String(mode & 0xF000, radix: 16))")
        }
        var n = Node(kind: kind, permissions: 0, now: .zero)
        n.mode = mode
        n.flags = load32(b, 4)
        n.uid = load32(b, 8)
        n.gid = load32(b, 12)
        n.links = load32(b, 16)
        n.parent = load32(b, 20)
        n.size = load64(b, 24)
        n.blocks = load64(b, 32)
        n.atime = Timestamp(seconds: Int64(bitPattern: load64(b, 40)), nanoseconds: load32(b, 72))
        n.mtime = Timestamp(seconds: Int64(bitPattern: load64(b, 48)), nanoseconds: load32(b, 76))
        n.ctime = Timestamp(seconds: Int64(bitPattern: load64(b, 56)), nanoseconds: load32(b, 80))
        n.btime = Timestamp(seconds: Int64(bitPattern: load64(b, 64)), nanoseconds: load32(b, 84))
        n.recordLevel = load32(b, 88)
        n.data = Array(b[Node.dataOffset..<Format.blockSize])
        guard n.flags & ~Node.flagInline == 0 else { throw .corrupt(block: block, "node has unknown flags") }
        switch kind {
        case .directory:
            guard !n.isInline else { throw .corrupt(block: block, "directory node marked inline") }
            guard n.directoryDepth <= DirectoryFormat.maxDepth else {
                throw .corrupt(block: block, "directory hash tree deeper than \(DirectoryFormat.maxDepth)")
            }
        case .file, .symlink:
            guard n.recordLevel == UInt32(Format.recordLevel) else {
                throw .corrupt(block: block, "node record level \(n.recordLevel), expected \(Format.recordLevel)")
            }
            guard n.size <= Node.maxFileSize else { throw .corrupt(block: block, "file size \(n.size) exceeds the maximum") }
            if n.isInline && n.size > UInt64(Node.inlineCapacity) {
                throw .corrupt(block: block, "inline file size \(n.size) exceeds \(Node.inlineCapacity)")
            }
        }
        return n
    }

    /// Where record `r`'s pointer lives: the node slot and the indices in each list below it.
    static func recordPath(_ r: UInt64) -> (slot: Int, indices: [Int])? {
        var r = r
        if r < 128 { return (Int(r), []) }
        r -= 128
        if r < 64 * 256 { return (level1Slot + Int(r >> 8), [Int(r & 255)]) }
        r -= 64 * 256
        if r < 32 * 65536 { return (level2Slot + Int(r >> 16), [Int((r >> 8) & 255), Int(r & 255)]) }
        r -= 32 * 65536
        if r < 16 * 16_777_216 {
            return (level3Slot + Int(r >> 24), [Int((r >> 16) & 255), Int((r >> 8) & 255), Int(r & 255)])
        }
        return nil
    }

    /// The number of list levels below `slot`, and the first record it covers.
    static func slotInfo(_ slot: Int) -> (depth: Int, firstRecord: UInt64) {
        if slot < level1Slot { return (0, UInt64(slot)) }
        if slot < level2Slot { return (1, 128 + UInt64(slot - level1Slot) * 256) }
        if slot < level3Slot { return (2, 128 + 64 * 256 + UInt64(slot - level2Slot) * 65536) }
        return (3, 128 + 64 * 256 + 32 * 65536 + UInt64(slot - level3Slot) * 16_777_216)
    }
    static let slotCount = 240
}
