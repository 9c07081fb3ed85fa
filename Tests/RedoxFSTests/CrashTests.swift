// CrashTests.swift — crash consistency. A workload of transactions runs on a device that loses
// power after its N-th block write, for every N: unflushed writes are dropped, or kept with the
// last one torn, or a random subset kept with the last one torn. After each cut the image must
// mount, check clean, and show exactly the state of the last transaction whose commit returned.
import Testing
@testable import RedoxFS

func treeOf<D>(_ fs: FileSystem<D>) throws -> [String: ModelEntry] {
    try snapshotOfTree(list: { try fs.list($0) }, stat: { try fs.stat($0) },
                       read: { try fs.read(id: $0, at: 0, count: $1) }, readLink: { try fs.readLink($0) })
}

@Suite struct CrashTests {
    static let blocks: UInt64 = 1024

    /// Counts commits that returned; the reference run also records the tree after each.
    final class CommitCounter {
        var count = 0
        var record: (() throws -> [String: ModelEntry])? = nil
        var states: [[String: ModelEntry]] = []
        func bump() throws {
            count += 1
            if let record { states.append(try record()) }
        }
    }

    /// The formatted image every run starts from, the tree after each commit of an uncut run, and
    /// how many block writes that run made.
    static func reference() throws -> (image: [UInt8], states: [[String: ModelEntry]], writes: Int) {
        let image = try FileSystem.format(MemoryDevice(blocks: blocks), uuid: testUUID).device.bytes
        var device = CrashDevice(blocks: blocks)
        device.durable = image
        let fs = try FileSystem.mount(device)
        let counter = CommitCounter()
        counter.record = { try treeOf(fs) }
        counter.states = [try treeOf(fs)]
        try workloadHooked(fs, counter)
        return (image, counter.states, fs.device.blockWrites)
    }

    /// The workload: eleven commits touching inline data, records, directories, renames, unlinks, a
    /// snapshot and its deletion.
    static func workloadHooked<D>(_ fs: FileSystem<D>, _ c: CommitCounter) throws {
        try fs.makeDirectory("/d".bytes)
        try fs.write(id: fs.createFile("/d/a".bytes), at: 0, pattern(10_000, seed: 1))
        try fs.write(id: fs.createFile("/b".bytes), at: 0, Array("inline".utf8))
        try fs.commit(); try c.bump()
        try fs.write(id: fs.lookup("/d/a"), at: 5000, pattern(300_000, seed: 2))
        try fs.commit(); try c.bump()
        try fs.makeDirectory("/d/many".bytes)
        for i in 0..<30 { try fs.createFile("/d/many/file\(i)".bytes) }
        try fs.commit(); try c.bump()
        try fs.createSnapshot("s1".bytes); try c.bump()
        try fs.rename("/d/a".bytes, "/a2".bytes)
        try fs.truncate(id: fs.lookup("/b"), size: 2)
        try fs.commit(); try c.bump()
        for i in stride(from: 0, to: 30, by: 2) { try fs.unlink("/d/many/file\(i)".bytes) }
        try fs.makeSymlink("/link".bytes, target: "a2".bytes)
        try fs.commit(); try c.bump()
        try fs.write(id: fs.lookup("/a2"), at: 400_000, pattern(100_000, seed: 3))
        try fs.commit(); try c.bump()
        try fs.deleteSnapshot("s1".bytes); try c.bump()
        for i in 0..<3 {
            try fs.write(id: fs.lookup("/b"), at: 0, Array("round \(i)".utf8))
            try fs.commit(); try c.bump()
        }
    }

    @Test("a power cut after any block write loses no committed transaction and leaves a clean image",
          arguments: CrashDevice.CutMode.allCases)
    func powerCut(mode: CrashDevice.CutMode) throws {
        let ref = try CrashTests.reference()
        print("CrashTests \(mode): \(ref.writes) block writes, \(ref.states.count - 1) commits")
        #expect(ref.writes > 50)
        for n in 0...ref.writes {
            var device = CrashDevice(blocks: CrashTests.blocks)
            device.durable = ref.image
            device.writesLeft = n
            device.mode = mode
            device.rng = SeededRNG(seed: UInt64(n) &* 7919)
            let fs = try FileSystem.mount(device)
            let counter = CommitCounter()
            var cutHappened = false
            do { try CrashTests.workloadHooked(fs, counter) } catch { cutHappened = true }
            #expect(cutHappened == (n < ref.writes), "n=\(n)")
            let after = try FileSystem.mount(MemoryDevice(bytes: fs.device.durable))
            let report = try after.check()
            #expect(report.isClean, "n=\(n): \(report.problems.prefix(3).map(\.description))")
            let tree = try treeOf(after)
            let expected = ref.states[counter.count]
            let next = counter.count + 1 < ref.states.count ? ref.states[counter.count + 1] : expected
            #expect(tree == expected || tree == next,
                    "n=\(n) after \(counter.count) commits: \(describeDifference(tree, expected))")
            if !report.isClean || (tree != expected && tree != next) { return }
            // The survivor must accept new transactions.
            try after.write(id: after.createFile("/after-crash".bytes), at: 0, [1, 2, 3])
            try after.commit()
        }
    }
}
