// BlockDevice.swift — what the filesystem needs from storage: block reads and writes, and a flush
// that makes every completed write durable. The flush is the ordering barrier RedoxFS lacks
// (REDOX.md §1.8): a commit flushes data and tree blocks before it writes the header, and flushes
// the header before it returns.

/// Why a device operation failed. `code` is the host errno (or a device status) so it is never lost.
public struct BlockDeviceError: Error, Equatable, Sendable {
    /// The failed operation. A struct rather than an enum: a payload-less enum is implicitly
    /// Hashable, which drags Hasher's random seeding (arc4random_buf) into the guest.
    public struct Operation: Equatable, Sendable {
        let code: UInt8
        public static let read = Operation(code: 0)
        public static let write = Operation(code: 1)
        public static let flush = Operation(code: 2)
        public var name: String { code == 0 ? "read" : code == 1 ? "write" : "flush" }
    }
    public var operation: Operation
    public var block: UInt64
    public var code: Int32

    public init(_ operation: Operation, block: UInt64, code: Int32) {
        self.operation = operation
        self.block = block
        self.code = code
    }
}

/// Storage in 4 KiB blocks. Reads and writes cover whole blocks; `flush` returns when every write that
/// completed before it is durable.
public protocol BlockDevice {
    /// Size of the device in 4 KiB blocks.
    var blockCount: UInt64 { get }
    /// Reads `count` bytes (a multiple of 4096) starting at block `block`.
    mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8]
    /// Writes `bytes` (a multiple of 4096) starting at block `block`. Not durable until `flush`.
    mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError)
    /// Makes every completed write durable.
    mutating func flush() throws(BlockDeviceError)
}

/// A device in memory: the tests', the fuzzer's and the guest's RAM disks.
public struct MemoryDevice: BlockDevice {
    public var bytes: [UInt8]

    public init(blocks: UInt64) {
        bytes = [UInt8](repeating: 0, count: Int(blocks) * Format.blockSize)
    }

    /// Wraps an image; a trailing partial block is ignored.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var blockCount: UInt64 { UInt64(bytes.count / Format.blockSize) }

    public mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        let start = Int(block) * Format.blockSize
        guard block < blockCount, count <= bytes.count - start else {
            throw BlockDeviceError(.read, block: block, code: 5)  // EIO
        }
        return Array(bytes[start..<start + count])
    }

    public mutating func write(block: UInt64, _ data: [UInt8]) throws(BlockDeviceError) {
        let start = Int(block) * Format.blockSize
        guard block < blockCount, data.count <= bytes.count - start else {
            throw BlockDeviceError(.write, block: block, code: 5)
        }
        bytes.replaceSubrange(start..<start + data.count, with: data)
    }

    public mutating func flush() throws(BlockDeviceError) {}
}
