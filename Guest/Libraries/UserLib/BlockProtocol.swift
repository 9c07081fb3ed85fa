// BlockProtocol.swift — the Swift face of the block protocol declared in ABI sv_blk.h: typed
// operations and the one encoder and decoder of its requests and replies, used by the client
// (fsd's RemoteBlocks) and the server (blkd). The numbers live in the header only.
import ABI

/// An operation of the block service (SV_BLK_*).
public struct BlockOperation: RawRepresentable, Equatable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ value: Int32) { rawValue = UInt8(value) }

    public static let info = BlockOperation(SV_BLK_INFO), read = BlockOperation(SV_BLK_READ)
    public static let write = BlockOperation(SV_BLK_WRITE), flush = BlockOperation(SV_BLK_FLUSH)
}

public enum BlockProtocol {
    public static let service = SV_BLK_SERVICE
    public static let requestSize = MemoryLayout<sv_blk_request>.size
    public static let replySize = MemoryLayout<sv_blk_reply>.size
    public static let blockSize = Int(SV_BLK_BLOCK_SIZE)
    /// The most one read or write moves (larger transfers are split by the client).
    public static let maximumBlocks = Int(SV_BLK_MAX_BLOCKS)

    public static func request(_ op: BlockOperation, block: UInt64 = 0, count: UInt64 = 0) -> [UInt8] {
        var r = sv_blk_request()
        r.op = op.rawValue
        r.block = block
        r.count = count
        return Channel.encode(r)
    }

    /// A request; nil if it is too short to be one.
    public static func decodeRequest(_ bytes: [UInt8]) -> sv_blk_request? { Channel.decode(sv_blk_request.self, bytes) }

    public static func reply(status: Int64, value: UInt64 = 0) -> [UInt8] {
        Channel.encode(sv_blk_reply(status: status, value: value))
    }

    /// A reply's value, or the errno it carries (EIO for one too short to be a reply).
    public static func decodeReply(_ bytes: [UInt8]) -> Result<UInt64, Errno> { Channel.decodeStatus(sv_blk_reply.self, bytes) }
}
