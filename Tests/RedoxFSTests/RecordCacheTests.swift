// RecordCacheTests.swift — reading a file in small pieces fetches each record from the device once,
// sequential readers get one device read per megabyte, and the cache never answers with stale or
// unverified bytes (after rewrites, commits, block reuse and damage on disk).
import Testing
@testable import RedoxFS

/// A device in memory that counts the read calls made to it (each is an IPC round trip to the disk
/// driver in the guest).
struct CountingDevice: BlockDevice {
    var memory: MemoryDevice
    var readCalls = 0
    var bytesRead = 0
    var reads: [(block: UInt64, blocks: Int)] = []
    var blockCount: UInt64 { memory.blockCount }
    mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        readCalls += 1
        bytesRead += count
        reads.append((block, count / Format.blockSize))
        return try memory.read(block: block, count: count)
    }
    mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) { try memory.write(block: block, bytes) }
    mutating func flush() throws(BlockDeviceError) { try memory.flush() }
}

@Suite struct RecordCacheTests {
    static let fileSize = 4 << 20

    /// A filesystem holding /f (fileSize bytes of a pattern), mounted afresh on a counting device.
    /// `damagedRecord`: a record of /f whose bytes on the device are changed before the mount.
    static func mountedWithFile(damagedRecord: UInt64? = nil) throws -> (FileSystem<CountingDevice>, NodeID, [UInt8]) {
        let fs = try freshFS(blocks: 4096)
        let data = pattern(fileSize, seed: 7)
        try fs.createFile("/f".bytes)
        let id = try fs.stat("/f").id
        try fs.write(id: id, at: 0, data)
        try fs.commit()
        var device = fs.device
        if let r = damagedRecord {
            let ptr = try fs.recordPointer(try fs.node(id), r)
            device.bytes[Int(ptr.index) * Format.blockSize + 17] ^= 0x40
        }
        let counted = try FileSystem.mount(CountingDevice(memory: device))
        return (counted, id, data)
    }

    @Test("a 4 MiB file read in 4 KiB pieces: identical bytes, a handful of device reads, not one per piece")
    func sequentialSmallReads() throws {
        let (fs, id, data) = try Self.mountedWithFile()
        let before = fs.device.readCalls
        var out: [UInt8] = []
        var offset: UInt64 = 0
        while offset < UInt64(Self.fileSize) {
            let piece = try fs.read(id: id, at: offset, count: 4096)
            #expect(piece.count == 4096)
            out += piece
            offset += UInt64(piece.count)
        }
        #expect(out == data)
        let calls = fs.device.reads.suffix(fs.device.readCalls - before)
        // 32 records: the first alone (a read at offset 0 is not known to be sequential), then
        // eight per device read; the rest are the node table's and the file's list blocks, once
        // each. Without the cache it was one device read per 4 KiB piece (1,024).
        let recordReads = calls.filter { $0.blocks > 1 }.count
        #expect(recordReads <= 5 && calls.count <= 12, "\(calls.count) device reads for \(Self.fileSize / 4096) pieces: \(calls)")
        #expect(fs.device.bytesRead >= Self.fileSize)
    }

    @Test("random 1-byte and 5000-byte reads all over the file return the file's bytes")
    func randomReads() throws {
        let (fs, id, data) = try Self.mountedWithFile()
        var rng = SeededRNG(seed: 11)
        for _ in 0..<2000 {
            let offset = Int(rng.next() % UInt64(Self.fileSize))
            let count = rng.next() % 2 == 0 ? 1 : 5000
            let got = try fs.read(id: id, at: UInt64(offset), count: count)
            #expect(got[...] == data[offset..<min(Self.fileSize, offset + count)])
        }
        // Far fewer device reads than reads: at most one per record after the first touch of each.
        #expect(fs.device.readCalls < 400, "\(fs.device.readCalls) device reads")
    }

    @Test("cached records never hide a change: rewrites before and after commit, a remount, block reuse")
    func coherentAfterWrites() throws {
        let (fs, id, data) = try Self.mountedWithFile()
        var expected = data
        // Fill the cache, then change bytes in records the cache holds.
        _ = try fs.read(id: id, at: 0, count: 1 << 20)
        _ = try fs.read(id: id, at: 1 << 20, count: 1 << 20)
        let patch = pattern(300_000, seed: 99)
        try fs.write(id: id, at: 100_000, patch)
        expected.replaceSubrange(100_000..<400_000, with: patch)
        #expect(try fs.read(id: id, at: 0, count: 2 << 20)[...] == expected[0..<(2 << 20)])
        try fs.commit()
        #expect(try fs.read(id: id, at: 0, count: Self.fileSize) == expected)
        // Delete the file and write another: its records reuse freed blocks the cache once held.
        try fs.unlink("/f".bytes)
        try fs.commit()
        try fs.createFile("/g".bytes)
        let g = try fs.stat("/g").id
        let other = pattern(Self.fileSize, seed: 3)
        try fs.write(id: g, at: 0, other)
        try fs.commit()
        #expect(try fs.read(id: g, at: 0, count: Self.fileSize) == other)
        let again = try FileSystem.mount(fs.device)
        #expect(try again.read(id: g, at: 0, count: Self.fileSize) == other)
        try expectClean(again)
    }

    @Test("a damaged record met by read-ahead is not cached: reading it reports the checksum, the records before it read fine")
    func damageBeyondTheRead() throws {
        let (fs, id, data) = try Self.mountedWithFile(damagedRecord: 5)
        var offset: UInt64 = 0
        while offset < 5 * FileSystem<MemoryDevice>.recordSize {
            #expect(try fs.read(id: id, at: offset, count: 4096)[...] == data[Int(offset)..<Int(offset) + 4096])
            offset += 4096
        }
        #expect(throws: FSError.self) { try fs.read(id: id, at: offset, count: 4096) }
        // The record after it is unaffected.
        let six = Int(6 * FileSystem<MemoryDevice>.recordSize)
        #expect(try fs.read(id: id, at: UInt64(six), count: 4096)[...] == data[six..<six + 4096])
    }
}
