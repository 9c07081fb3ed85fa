// Header.swift — the filesystem header (superblock), one 4 KiB block written round-robin into a
// ring of 256 slots (REDOX.md §1.3). The header is the root of the checksum tree; its own checksum
// covers bytes 0..<4072. Layout: docs/REDOXFS-FORMAT.md §3.

public struct Header: Equatable, Sendable {
    static let hashOffset = 4088
    static let hashedBytes = 4072
    static let keySlotsOffset = 128
    /// Incompatible-feature bits. None is implemented yet; they reserve the format's room for
    /// compression and encryption, and a mount refuses any bit it does not know.
    public static let featureLZ4: UInt64 = 1 << 0
    public static let featureAESXTS: UInt64 = 1 << 1

    public var uuid: [UInt8]
    /// Size of the filesystem in 4 KiB blocks.
    public var blocks: UInt64
    public var generation: UInt64
    /// Root of the node table (a level-3 tree list).
    public var tree: BlockPtr
    /// Newest block of the allocation log.
    public var alloc: BlockPtr
    /// The snapshot table, or null.
    public var snapshots: BlockPtr
    /// Reserved for unlinked-but-open nodes (upstream's release list); null in this version.
    public var orphans: BlockPtr
    /// Next never-used node id.
    public var nextNodeID: UInt64
    public var features: UInt64

    public init(uuid: [UInt8], blocks: UInt64) {
        self.uuid = uuid.count == 16 ? uuid : [UInt8](repeating: 0, count: 16)
        self.blocks = blocks
        generation = 0
        tree = .null
        alloc = .null
        snapshots = .null
        orphans = .null
        nextNodeID = UInt64(Format.rootID) + 1
        features = 0
    }

    /// The 4096-byte encoding with its checksum filled in.
    public func encode() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: Format.blockSize)
        for i in 0..<8 { b[i] = Format.signature[i] }
        store64(&b, 8, Format.version)
        for i in 0..<16 { b[16 + i] = uuid[i] }
        store64(&b, 32, blocks * UInt64(Format.blockSize))
        store64(&b, 40, generation)
        tree.store(&b, 48)
        alloc.store(&b, 64)
        snapshots.store(&b, 80)
        orphans.store(&b, 96)
        store64(&b, 112, nextNodeID)
        store64(&b, 120, features)
        // 128..<3200: 64 key slots of 48 bytes, reserved for AES-XTS (zero); 4072..<4088 reserved
        // for the encrypted hash (zero).
        store64(&b, Header.hashOffset, SeaHash.hash(b, 0..<Header.hashedBytes))
        return b
    }

    /// Why a header slot is not usable.
    public enum SlotState: Error, Equatable, Sendable {
        case empty          // no signature: never written (or wiped)
        case damaged        // signature present, checksum wrong: a torn write or bit rot
        case foreign(UInt64) // a valid checksum but another version
    }

    /// Decodes and validates one slot.
    public static func decode(_ b: [UInt8]) -> Result<Header, SlotState> {
        guard b.count >= Format.blockSize, Array(b[0..<8]) == Format.signature else { return .failure(.empty) }
        guard load64(b, hashOffset) == SeaHash.hash(b, 0..<hashedBytes) else { return .failure(.damaged) }
        let version = load64(b, 8)
        guard version == Format.version else { return .failure(.foreign(version)) }
        var h = Header(uuid: Array(b[16..<32]), blocks: load64(b, 32) / UInt64(Format.blockSize))
        h.generation = load64(b, 40)
        h.tree = BlockPtr.load(b, 48)
        h.alloc = BlockPtr.load(b, 64)
        h.snapshots = BlockPtr.load(b, 80)
        h.orphans = BlockPtr.load(b, 96)
        h.nextNodeID = load64(b, 112)
        h.features = load64(b, 120)
        return .success(h)
    }

    /// The ring slot this header is written to.
    public var slot: UInt64 { generation % Format.headerRing }
}
