// CorruptionTests.swift — flip random bits in random blocks of a valid image: every read returns
// the right data or an error (never wrong data, never a crash or hang), a read that does not need
// the damaged block succeeds, and fsck names the damage whenever the flipped block is in use.
import Testing
@testable import RedoxFS

/// A device that records which blocks were read: what an operation depends on.
struct RecordingDevice: BlockDevice {
    var bytes: [UInt8]
    var touched: Set<UInt64> = []
    var blockCount: UInt64 { UInt64(bytes.count / Format.blockSize) }
    mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        let start = Int(block) * Format.blockSize
        guard block < blockCount, count <= bytes.count - start else { throw BlockDeviceError(.read, block: block, code: 5) }
        for b in 0 ..< UInt64(count / Format.blockSize) { touched.insert(block + b) }
        return Array(bytes[start ..< start + count])
    }
    mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) { throw BlockDeviceError(.write, block: block, code: 30) }
    mutating func flush() throws(BlockDeviceError) {}
}

@Suite struct CorruptionTests {
    /// What reading `path` the way the trials do returns: a sorted listing, file bytes, a link target.
    static func observe<D>(_ fs: FileSystem<D>, _ path: String, _ entry: ModelEntry) throws -> ModelObservation {
        switch entry {
        case .directory:
            return .listing(try fs.list(Array(path.utf8)).map { String(decoding: $0.name, as: UTF8.self) }.sorted())
        case .file:
            let info = try fs.stat(Array(path.utf8))
            let offset: UInt64 = path == "/sparse" ? 17_000_000 : 0
            return .bytes(try fs.read(id: info.id, at: offset, count: Int(info.size - offset)))
        case .symlink:
            return .bytes(try fs.readLink(Array(path.utf8)))
        }
    }

    enum ModelObservation: Equatable {
        case listing([String])
        case bytes([UInt8])
    }

    /// The expected observation of every path, and the blocks a fresh read-only mount plus that
    /// observation reads from the undamaged image. Reads are deterministic in the bytes they read,
    /// so a damaged block outside a path's set cannot change (or fail) that path's observation.
    static func expectations(bytes: [UInt8], tree: [String: ModelEntry])
        throws -> [String: (expected: ModelObservation, footprint: Set<UInt64>)] {
        var out: [String: (expected: ModelObservation, footprint: Set<UInt64>)] = [:]
        for (path, entry) in tree {
            let expected: ModelObservation
            switch entry {
            case .directory:
                let prefix = path == "/" ? "/" : path + "/"
                expected = .listing(tree.keys.filter { $0 != "/" && $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
                    .map { String($0.dropFirst(prefix.count)) }.sorted())
            case .file(let data): expected = .bytes(data)
            case .symlink(let target): expected = .bytes(target)
            }
            let fs = try FileSystem.mount(RecordingDevice(bytes: bytes), options: MountOptions(readOnly: true))
            #expect(try observe(fs, path, entry) == expected, "undamaged image: \(path)")
            out[path] = (expected, fs.device.touched)
        }
        return out
    }

    /// An image with inline, multi-record and sparse files, directories, a symlink and a snapshot.
    /// Its last commit changes nothing visible, so a damaged newest header falls back to the same tree.
    static func image() throws -> (bytes: [UInt8], tree: [String: ModelEntry], inUse: [(UInt64, UInt64)], slot: UInt64) {
        let fs = try freshFS(blocks: 1024)
        try fs.makeDirectory("/etc".bytes)
        try fs.write(id: fs.createFile("/etc/small".bytes), at: 0, pattern(100, seed: 1))
        try fs.write(id: fs.createFile("/big".bytes), at: 0, pattern(400_000, seed: 2))
        try fs.write(id: fs.createFile("/sparse".bytes), at: 17_000_000, pattern(5000, seed: 3))
        try fs.makeDirectory("/many".bytes)
        for i in 0..<60 { try fs.createFile("/many/entry-\(i)".bytes) }
        try fs.makeSymlink("/link".bytes, target: "etc/small".bytes)
        try fs.createSnapshot("snap".bytes)
        try fs.write(id: fs.lookup("/big"), at: 100_000, pattern(50_000, seed: 4))
        try fs.commit()
        try fs.setAttributes(id: Format.rootID)
        try fs.commit()
        #expect(try fs.check().isClean)
        // Compare the sparse file only around its data: reading 17 MB of hole per trial is slow.
        var tree = try treeOf(fs)
        tree["/sparse"] = .file(pattern(5000, seed: 3))
        let inUse = fs.allocator.allocated.sortedKeys.map { ($0, UInt64(1) << UInt64(fs.allocator.level(of: $0)!)) }
        return (fs.device.bytes, tree, inUse, fs.header.slot)
    }

    @Test("bit flips: right data or an error on every read, fsck reports every damaged block in use")
    func bitFlips() throws {
        let ref = try CorruptionTests.image()
        let expectations = try CorruptionTests.expectations(bytes: ref.bytes, tree: ref.tree)
        let seed: UInt64 = 20_251_202
        print("CorruptionTests seed \(seed)")
        var rng = SeededRNG(seed: seed)
        var detected = 0
        for trial in 0..<150 {
            var bytes = ref.bytes
            // Half the flips hit blocks in use, the rest anywhere (header ring, free space).
            let block: UInt64 = trial % 2 == 0 ? ref.inUse[Int(rng.next() % UInt64(ref.inUse.count))].0
                : (trial % 10 == 1 ? ref.slot : rng.next() % UInt64(bytes.count / 4096))
            let flips = Int(rng.next() % 3) + 1
            for _ in 0..<flips {
                let bit = Int(rng.next() % UInt64(4096 * 8))
                bytes[Int(block) * 4096 + bit / 8] ^= UInt8(1 << (bit % 8))
            }
            let fs: FileSystem<MemoryDevice>
            do {
                fs = try FileSystem.mount(MemoryDevice(bytes: bytes), options: MountOptions(readOnly: true))
            } catch {
                Issue.record("trial \(trial): a read-only mount must survive one damaged block: \(error)")
                continue
            }
            // Every read — listings included — returns the right answer or an error, and an error
            // only if the read depends on the damaged block.
            for (path, entry) in ref.tree {
                let (expected, footprint) = expectations[path]!
                do {
                    let got = try CorruptionTests.observe(fs, path, entry)
                    #expect(got == expected, "trial \(trial) block \(block): \(path) returned wrong data")
                } catch {
                    #expect(footprint.contains(block),
                            "trial \(trial): \(path) does not use damaged block \(block), yet reading it failed: \(error)")
                }
            }
            let report = try fs.check()
            let inUse = ref.inUse.contains { block >= $0.0 && block < $0.0 + $0.1 }
            if block == ref.slot {
                #expect(fs.header.generation < 1000 && !report.notes.isEmpty, "trial \(trial): damaged header slot not noted")
            } else if inUse {
                #expect(!report.isClean, "trial \(trial): damage in block \(block) went unreported")
                if !report.isClean { detected += 1 }
            } else {
                #expect(report.isClean, "trial \(trial): free block \(block) reported: \(report.problems.first?.description ?? "")")
            }
        }
        #expect(detected > 50)
    }
}
