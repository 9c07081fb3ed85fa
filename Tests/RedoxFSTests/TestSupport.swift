// TestSupport.swift — helpers shared by the RedoxFS tests: a seeded RNG, byte-string helpers and
// a device that can lose power.
@testable import RedoxFS

/// SplitMix64: small, seedable, deterministic.
struct SeededRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

func pattern(_ count: Int, seed: UInt64) -> [UInt8] {
    var rng = SeededRNG(seed: seed)
    var out = [UInt8](repeating: 0, count: count)
    var i = 0
    while i < count {
        let v = rng.next()
        for k in 0..<8 where i + k < count { out[i + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        i += 8
    }
    return out
}

let testUUID: [UInt8] = Array(0..<16)

func freshFS(blocks: UInt64 = 2048) throws -> FileSystem<MemoryDevice> {
    let fs = try FileSystem.format(MemoryDevice(blocks: blocks), uuid: testUUID, now: Timestamp(seconds: 1_700_000_000))
    return fs
}

/// Reads a whole file.
func contents<D>(_ fs: FileSystem<D>, _ path: String) throws -> [UInt8] {
    let info = try fs.stat(path)
    return try fs.read(id: info.id, at: 0, count: Int(info.size))
}

/// A block device that loses power after a set number of block writes. Writes since the last flush
/// are volatile; at the cut some or all of them are lost and the block being written may be torn.
struct CrashDevice: BlockDevice {
    enum CutMode: CaseIterable { case dropUnflushed, keepUnflushedTearLast, randomSubsetTearLast }

    var durable: [UInt8]
    var volatile: [(block: UInt64, bytes: [UInt8])] = []
    /// Block writes and flushes (the events counted in `blockWrites`) before the power cut; nil: never.
    var writesLeft: Int? = nil
    var mode: CutMode = .dropUnflushed
    var rng = SeededRNG(seed: 1)
    var dead = false
    var blockWrites = 0

    init(blocks: UInt64) { durable = [UInt8](repeating: 0, count: Int(blocks) * Format.blockSize) }

    var blockCount: UInt64 { UInt64(durable.count / Format.blockSize) }

    mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        if dead { throw BlockDeviceError(.read, block: block, code: 5) }
        let start = Int(block) * Format.blockSize
        var out = Array(durable[start..<start + count])
        for w in volatile {
            let ws = Int(w.block) * Format.blockSize
            for i in 0..<w.bytes.count where ws + i >= start && ws + i < start + count { out[ws + i - start] = w.bytes[i] }
        }
        return out
    }

    mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) {
        if dead { throw BlockDeviceError(.write, block: block, code: 5) }
        // Each 4 KiB block is its own write event: a multi-block write can be cut in the middle.
        for i in 0..<bytes.count / Format.blockSize {
            let piece = Array(bytes[i * Format.blockSize..<(i + 1) * Format.blockSize])
            blockWrites += 1
            if let left = writesLeft {
                if left == 0 {
                    cut(tearing: (block + UInt64(i), piece))
                    throw BlockDeviceError(.write, block: block + UInt64(i), code: 5)
                }
                writesLeft = left - 1
            }
            volatile.append((block + UInt64(i), piece))
        }
    }

    mutating func flush() throws(BlockDeviceError) {
        if dead { throw BlockDeviceError(.flush, block: 0, code: 5) }
        // Power can also fail during a flush: then only some of the unflushed writes arrived.
        blockWrites += 1
        if let left = writesLeft {
            if left == 0 {
                cut(tearing: nil)
                throw BlockDeviceError(.flush, block: 0, code: 5)
            }
            writesLeft = left - 1
        }
        for w in volatile { apply(w.block, w.bytes) }
        volatile = []
    }

    private mutating func apply(_ block: UInt64, _ bytes: [UInt8]) {
        let start = Int(block) * Format.blockSize
        durable.replaceSubrange(start..<start + bytes.count, with: bytes)
    }

    private mutating func cut(tearing last: (UInt64, [UInt8])?) {
        dead = true
        switch mode {
        case .dropUnflushed:
            break
        case .keepUnflushedTearLast, .randomSubsetTearLast:
            for w in volatile where mode == .keepUnflushedTearLast || rng.next() & 1 == 0 { apply(w.block, w.bytes) }
            // The block being written when power failed: only its first sectors arrived.
            guard let last else { break }
            let sectors = Int(rng.next() % 7) + 1
            let start = Int(last.0) * Format.blockSize
            durable.replaceSubrange(start..<start + sectors * 512, with: last.1[0..<sectors * 512])
        }
        volatile = []
    }
}
