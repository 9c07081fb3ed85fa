// DiskBlocks.swift — blkd's disk: a virtio-blk disk as 4 KiB blocks, for the block service and as
// RedoxFS's BlockDevice (so the test programs fs and fsbench run the filesystem core the host image
// tools use straight on the ring-3 driver). Transfers go through one DMA bounce buffer, in pieces
// of at most its size.
import ABI
import RedoxFS
import UserLib
import VirtioDriver

public struct DiskBlocks: RedoxFS.BlockDevice {
    static let blockSize = BlockProtocol.blockSize
    /// The largest request the block service takes (SV_BLK_MAX_BLOCKS), so that every request is
    /// one virtio request: one doorbell, one interrupt, one copy to the caller (issue 14).
    static let bounceBytes = BlockProtocol.maximumBlocks * BlockProtocol.blockSize
    let disk: BlockDriver
    let bounce: DMABuffer
    public let blockCount: UInt64

    public init?(_ disk: BlockDriver) {
        guard let bounce = DMABuffer(bytes: DiskBlocks.bounceBytes) else { return nil }
        self.disk = disk
        self.bounce = bounce
        blockCount = disk.capacity * UInt64(BlockDriver.sectorSize) / UInt64(DiskBlocks.blockSize)
    }

    /// Moves `bytes` at `block` through the bounce buffer: `piece(offset, bounce, n)` fills the
    /// buffer's first n bytes before a write, or takes them after a read (offset: into the transfer).
    public func transfer(_ type: UInt32, block: UInt64, bytes: Int, operation: BlockDeviceError.Operation,
                         piece: (Int, DMABuffer, Int) -> Void) throws(BlockDeviceError) {
        guard bytes % DiskBlocks.blockSize == 0, block + UInt64(bytes / DiskBlocks.blockSize) <= blockCount else {
            throw BlockDeviceError(operation, block: block, code: SV_EINVAL)   // outside the disk
        }
        var done = 0
        while done < bytes {
            let n = min(DiskBlocks.bounceBytes, bytes - done)
            if type == BlockDriver.typeWrite { piece(done, bounce, n) }
            let sector = (block * UInt64(DiskBlocks.blockSize) + UInt64(done)) / UInt64(BlockDriver.sectorSize)
            let status = disk.run([.init(type: type, sector: sector, data: [(bounce.physical, UInt32(n))])])[0]
            guard status == BlockDriver.statusOK else {
                throw BlockDeviceError(operation, block: block + UInt64(done / DiskBlocks.blockSize), code: SV_EIO)
            }
            if type == BlockDriver.typeRead { piece(done, bounce, n) }
            done += n
        }
    }

    public mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try transfer(BlockDriver.typeRead, block: block, bytes: count, operation: .read) { offset, bounce, n in
            bounce.copy(0..<n, into: &out, at: offset)
        }
        return out
    }

    public mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) {
        try transfer(BlockDriver.typeWrite, block: block, bytes: bytes.count, operation: .write) { offset, bounce, n in
            bounce.copy(from: bytes, offset..<(offset + n), to: 0)
        }
    }

    public mutating func flush() throws(BlockDeviceError) {
        let status = disk.run([.init(type: BlockDriver.typeFlush, sector: 0, data: [])])[0]
        guard status == BlockDriver.statusOK else { throw BlockDeviceError(.flush, block: 0, code: SV_EIO) }
    }
}
