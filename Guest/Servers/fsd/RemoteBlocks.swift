// RemoteBlocks.swift — the disk as RedoxFS sees it (its BlockDevice protocol), served by the driver
// process blkd over IPC (ABI sv_blk.h, UserLib/BlockProtocol.swift). A call cut off because blkd died (EPIPE) is
// repeated against the restarted driver: reads and writes of whole blocks are idempotent, and so
// is a flush, so the filesystem above never notices.
import ABI
import RedoxFS
import UserLib

struct RemoteBlocks: RedoxFS.BlockDevice {
    /// How long to wait for a restarted driver before reporting an I/O error.
    static let patienceNanoseconds: UInt64 = 10_000_000_000
    var connection = ServiceConnection(BlockProtocol.service, patienceNanoseconds: patienceNanoseconds)
    private(set) var blockCount: UInt64

    /// Connects to the driver (waiting for it to come up); nil if it never does.
    init?() {
        blockCount = 0
        var nothing: [UInt8] = []
        guard case .success(let count) = call(.info, block: 0, count: 0, lending: &nothing, 0..<0, flags: 0, operation: .read) else { return nil }
        blockCount = count
    }

    /// One call, finding (and re-finding) the driver: every block call may be repeated as it is.
    /// Its value, or the failure as RedoxFS sees it (a driver that stays away is EIO).
    mutating func call(_ op: BlockOperation, block: UInt64, count: UInt64, lending buffer: inout [UInt8], _ range: Range<Int>,
                       flags: Int32, operation: BlockDeviceError.Operation) -> Result<UInt64, BlockDeviceError> {
        connection.call(BlockProtocol.request(op, block: block, count: count), lending: &buffer, range, leaseFlags: flags)
            .flatMap { BlockProtocol.decodeReply($0.reply) }
            .mapError { BlockDeviceError(operation, block: block, code: $0.code == SV_EPIPE ? SV_EIO : $0.code) }
    }

    /// A WRITE of `bytes[range]` lent read-only, straight from the caller's array: lending through
    /// `inout` would first copy the whole (up to 4 MiB) run, byte by byte as Embedded Swift
    /// compiles that copy (issue 14).
    mutating func write(block: UInt64, count: UInt64, from bytes: [UInt8], _ range: Range<Int>) -> Result<UInt64, BlockDeviceError> {
        bytes.withUnsafeBytes { raw in
            // SAFETY: `range` lies within the array (the caller's arithmetic, checked by the slice),
            // the storage stays alive for the call, and the lease is SV_LEASE_READ only: the kernel
            // lets the driver read these bytes and never write them, so the mutable pointer type
            // the call takes is never written through.
            let lease = UnsafeMutableRawBufferPointer(mutating: UnsafeRawBufferPointer(rebasing: raw[range]))
            return connection.call(BlockProtocol.request(.write, block: block, count: count), lease: lease, leaseFlags: SV_LEASE_READ)
                .flatMap { BlockProtocol.decodeReply($0.reply) }
                .mapError { BlockDeviceError(.write, block: block, code: $0.code == SV_EPIPE ? SV_EIO : $0.code) }
        }
    }

    mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let blocks = min((count - done) / BlockProtocol.blockSize, BlockProtocol.maximumBlocks)
            let first = block + UInt64(done / BlockProtocol.blockSize)
            let r = call(.read, block: first, count: UInt64(blocks), lending: &out, done..<(done + blocks * BlockProtocol.blockSize),
                         flags: SV_LEASE_WRITE, operation: .read)
            if case .failure(let e) = r { throw e }
            done += blocks * BlockProtocol.blockSize
        }
        return out
    }

    mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) {
        var done = 0
        while done < bytes.count {
            let blocks = min((bytes.count - done) / BlockProtocol.blockSize, BlockProtocol.maximumBlocks)
            let first = block + UInt64(done / BlockProtocol.blockSize)
            let r = write(block: first, count: UInt64(blocks), from: bytes, done..<(done + blocks * BlockProtocol.blockSize))
            if case .failure(let e) = r { throw e }
            done += blocks * BlockProtocol.blockSize
        }
    }

    mutating func flush() throws(BlockDeviceError) {
        var nothing: [UInt8] = []
        if case .failure(let e) = call(.flush, block: 0, count: 0, lending: &nothing, 0..<0, flags: 0, operation: .flush) { throw e }
    }
}
