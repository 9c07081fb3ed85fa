// DiskBlocks.swift — a virtio-blk disk as 4 KiB blocks for RedoxFS (its BlockDevice protocol), so
// the filesystem core the host image tools use runs in a ring-3 guest program over the ring-3
// driver. Transfers go through one DMA bounce buffer, in pieces of at most its size.
import RedoxFS
import UserLib

public struct DiskBlocks: RedoxFS.BlockDevice {
    static let blockSize = 4096
    static let bounceBytes = 256 << 10
    let disk: VirtioDriver.BlockDevice
    let bounce: (address: UInt64, physical: UInt64)
    public let blockCount: UInt64

    public init?(_ disk: VirtioDriver.BlockDevice) {
        guard let bounce = System.dmaAlloc(DiskBlocks.bounceBytes) else { return nil }
        self.disk = disk
        self.bounce = bounce
        blockCount = disk.capacity * UInt64(VirtioDriver.BlockDevice.sectorSize) / UInt64(DiskBlocks.blockSize)
    }

    public func transfer(_ type: UInt32, block: UInt64, bytes: Int, operation: BlockDeviceError.Operation,
                  piece: (Int, UnsafeMutableRawBufferPointer) -> Void) throws(BlockDeviceError) {
        guard bytes % DiskBlocks.blockSize == 0, block + UInt64(bytes / DiskBlocks.blockSize) <= blockCount else {
            throw BlockDeviceError(operation, block: block, code: 22)   // EINVAL: outside the disk
        }
        var done = 0
        while done < bytes {
            let n = min(DiskBlocks.bounceBytes, bytes - done)
            let buffer = UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: UInt(bounce.address)), count: n)
            if type == VirtioDriver.BlockDevice.typeWrite { piece(done, buffer) }
            let sector = (block * UInt64(DiskBlocks.blockSize) + UInt64(done)) / UInt64(VirtioDriver.BlockDevice.sectorSize)
            let status = disk.run([.init(type: type, sector: sector, data: [(bounce.physical, UInt32(n))])])[0]
            guard status == VirtioDriver.BlockDevice.statusOK else {
                throw BlockDeviceError(operation, block: block + UInt64(done / DiskBlocks.blockSize), code: 5)   // EIO
            }
            if type == VirtioDriver.BlockDevice.typeRead { piece(done, buffer) }
            done += n
        }
    }

    public mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        // Result, not a throwing closure: withUnsafeMutableBytes rethrows untyped errors.
        let result: Result<Void, BlockDeviceError> = out.withUnsafeMutableBytes { target in
            Result { () throws(BlockDeviceError) in
                try transfer(VirtioDriver.BlockDevice.typeRead, block: block, bytes: count, operation: .read) { offset, buffer in
                    UnsafeMutableRawBufferPointer(rebasing: target[offset..<(offset + buffer.count)]).copyMemory(from: UnsafeRawBufferPointer(buffer))
                }
            }
        }
        try result.get()
        return out
    }

    public mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) {
        let result: Result<Void, BlockDeviceError> = bytes.withUnsafeBytes { source in
            Result { () throws(BlockDeviceError) in
                try transfer(VirtioDriver.BlockDevice.typeWrite, block: block, bytes: bytes.count, operation: .write) { offset, buffer in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + buffer.count)]))
                }
            }
        }
        try result.get()
    }

    public mutating func flush() throws(BlockDeviceError) {
        let status = disk.run([.init(type: VirtioDriver.BlockDevice.typeFlush, sector: 0, data: [])])[0]
        guard status == VirtioDriver.BlockDevice.statusOK else { throw BlockDeviceError(.flush, block: 0, code: 5) }
    }
}
