// RemoteBlocks.swift — the disk as RedoxFS sees it (its BlockDevice protocol), served by the driver
// process blkd over IPC (UserLib/BlockProtocol.swift). A call cut off because blkd died (EPIPE) is
// repeated against the restarted driver: reads and writes of whole blocks are idempotent, and so
// is a flush, so the filesystem above never notices.
import ABI
import RedoxFS
import UserLib

struct RemoteBlocks: RedoxFS.BlockDevice {
    static let service = "disk0"
    /// How long to wait for a restarted driver before reporting an I/O error.
    static let patienceNanoseconds: UInt64 = 10_000_000_000
    var endpoint = 0
    private(set) var blockCount: UInt64

    /// Connects to the driver (waiting for it to come up); nil if it never does.
    init?() {
        endpoint = 0
        blockCount = 0
        guard case .success(let reply) = call(.info, block: 0, count: 0, lease: nil, flags: 0, operation: .read) else { return nil }
        blockCount = FileProtocol.get(reply, 8)
    }

    /// One call, finding (and re-finding) the driver.
    mutating func call(_ op: BlockOperation, block: UInt64, count: UInt64, lease: UnsafeMutableRawBufferPointer?,
                       flags: Int32, operation: BlockDeviceError.Operation) -> Result<[UInt8], BlockDeviceError> {
        let request = BlockProtocol.request(op, block: block, count: count)
        var deadline: UInt64 = 0
        while true {
            if endpoint <= 0 { endpoint = IPC.lookup(RemoteBlocks.service) }
            if endpoint > 0 {
                switch IPC.call(endpoint, request: request, lease: lease, leaseFlags: flags) {
                case .success(let reply) where reply.count >= BlockProtocol.replySize:
                    let status = Int64(bitPattern: FileProtocol.get(reply, 0))
                    guard status >= 0 else { return .failure(BlockDeviceError(operation, block: block, code: Int32(truncatingIfNeeded: -status))) }
                    return .success(reply)
                case .success:
                    return .failure(BlockDeviceError(operation, block: block, code: SV_EIO))
                case .failure(let e) where e.code != SV_EPIPE:
                    return .failure(BlockDeviceError(operation, block: block, code: e.code))
                case .failure:
                    endpoint = 0   // the driver went away: wait for init to start it again
                }
            }
            let now = System.clock()
            if deadline == 0 { deadline = now + RemoteBlocks.patienceNanoseconds }
            guard now < deadline else { return .failure(BlockDeviceError(operation, block: block, code: SV_EIO)) }
            System.sleep(nanoseconds: 1_000_000)
        }
    }

    mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let blocks = min((count - done) / BlockProtocol.blockSize, BlockProtocol.maximumBlocks)
            let first = block + UInt64(done / BlockProtocol.blockSize)
            let r = out.withUnsafeMutableBytes {
                call(.read, block: first, count: UInt64(blocks),
                     lease: UnsafeMutableRawBufferPointer(rebasing: $0[done..<(done + blocks * BlockProtocol.blockSize)]),
                     flags: SV_LEASE_WRITE, operation: .read)
            }
            if case .failure(let e) = r { throw e }
            done += blocks * BlockProtocol.blockSize
        }
        return out
    }

    mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) {
        var copy = bytes
        var done = 0
        while done < bytes.count {
            let blocks = min((bytes.count - done) / BlockProtocol.blockSize, BlockProtocol.maximumBlocks)
            let first = block + UInt64(done / BlockProtocol.blockSize)
            let r = copy.withUnsafeMutableBytes {
                call(.write, block: first, count: UInt64(blocks),
                     lease: UnsafeMutableRawBufferPointer(rebasing: $0[done..<(done + blocks * BlockProtocol.blockSize)]),
                     flags: SV_LEASE_READ, operation: .write)
            }
            if case .failure(let e) = r { throw e }
            done += blocks * BlockProtocol.blockSize
        }
    }

    mutating func flush() throws(BlockDeviceError) {
        if case .failure(let e) = call(.flush, block: 0, count: 0, lease: nil, flags: 0, operation: .flush) { throw e }
    }
}
