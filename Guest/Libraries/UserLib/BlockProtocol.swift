// BlockProtocol.swift — the messages of the block service ("disk0", served by blkd, the virtio-blk
// driver process; its client is the file server). Blocks are 4 KiB; data moves through the
// caller's lease. Every call is idempotent (the same blocks, the same data), so a client whose call
// was cut off by a driver restart (EPIPE) simply repeats it.
//
//   request:  [op u8][0 × 7][block u64][count u64]          (24 bytes)
//   reply:    [status i64: ≥ 0 ok, -errno][value u64]        (16 bytes)
//
//   op      block / count        lease                       value
//   info    —                    —                           the disk's size in blocks
//   read    first / blocks       written: the blocks         blocks read
//   write   first / blocks       read: the blocks            blocks written
//   flush   —                    —                           — (every completed write is durable)

public enum BlockOperation: UInt8 {
    case info = 1, read, write, flush
}

public enum BlockProtocol {
    public static let requestSize = 24
    public static let replySize = 16
    public static let blockSize = 4096
    /// The most one read or write moves (larger transfers are split by the client).
    public static let maximumBlocks = 256

    public static func request(_ op: BlockOperation, block: UInt64 = 0, count: UInt64 = 0) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: requestSize)
        r[0] = op.rawValue
        FileProtocol.put(&r, 8, block)
        FileProtocol.put(&r, 16, count)
        return r
    }

    public static func reply(status: Int64, value: UInt64 = 0) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: replySize)
        FileProtocol.put(&r, 0, UInt64(bitPattern: status))
        FileProtocol.put(&r, 8, value)
        return r
    }
}
