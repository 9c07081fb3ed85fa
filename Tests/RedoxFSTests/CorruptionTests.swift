// CorruptionTests.swift — flip random bits in random blocks of a valid image: every read returns
// the right data or an error (never wrong data, never a crash or hang), and fsck names the damage
// whenever the flipped block is in use.
import Testing
@testable import RedoxFS

@Suite struct CorruptionTests {
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
            // Every read: the right bytes or an error.
            for (path, entry) in ref.tree {
                do {
                    switch entry {
                    case .directory: _ = try fs.list(Array(path.utf8))
                    case .file(let expected):
                        let info = try fs.stat(Array(path.utf8))
                        let offset: UInt64 = path == "/sparse" ? 17_000_000 : 0
                        let got = try fs.read(id: info.id, at: offset, count: Int(info.size - offset))
                        #expect(got == expected, "trial \(trial) block \(block): \(path) returned wrong data")
                    case .symlink(let target):
                        #expect(try fs.readLink(Array(path.utf8)) == target, "trial \(trial): \(path)")
                    }
                } catch {}
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
