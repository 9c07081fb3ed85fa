// FileSystemTests.swift — behaviour of the filesystem: directories that split, files across record
// levels, holes, running out of space, snapshots, node-id wrap-around, the header ring and the log.
import Testing
@testable import RedoxFS

func expectClean<D>(_ fs: FileSystem<D>, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let report = try fs.check()
    #expect(report.isClean, "fsck: \(report.problems.prefix(5).map(\.description))", sourceLocation: sourceLocation)
}

@Suite struct FileSystemTests {
    @Test("a fresh filesystem mounts, has an empty root and checks clean")
    func fresh() throws {
        let fs = try freshFS()
        let again = try FileSystem.mount(fs.device)
        #expect(try again.list("/").isEmpty)
        #expect(try again.stat("/").kind == .directory)
        #expect(again.header.generation == 1)
        try expectClean(again)
    }

    @Test("3000 names split directory leaves and indexes; all found; removing them empties the tree")
    func bigDirectory() throws {
        let fs = try freshFS(blocks: 4096)
        try fs.makeDirectory("/d".bytes)
        for i in 0..<3000 { try fs.createFile("/d/file-with-a-longish-name-\(i)".bytes) }
        try fs.commit()
        let dir = try fs.node(try fs.lookup("/d"))
        #expect(dir.directoryDepth >= 1)
        #expect(dir.size == 3000)
        let again = try FileSystem.mount(fs.device)
        #expect(try again.list("/d").count == 3000)
        for i in stride(from: 0, to: 3000, by: 7) { #expect(try again.stat("/d/file-with-a-longish-name-\(i)").kind == .file) }
        try expectClean(again)
        for i in 0..<3000 { try again.unlink("/d/file-with-a-longish-name-\(i)".bytes) }
        try again.commit()
        let empty = try again.node(try again.lookup("/d"))
        #expect(empty.directoryRoot.isNull && empty.blocks == 0 && empty.size == 0)
        try expectClean(again)
    }

    @Test("files grow from inline to records and into the indirect levels, with holes")
    func fileLevels() throws {
        let fs = try freshFS(blocks: 8192)
        let id = try fs.createFile("/f".bytes)
        try fs.write(id: id, at: 0, Array("small".utf8))
        #expect(try fs.node(id).isInline)
        let a = pattern(300_000, seed: 1)
        try fs.write(id: id, at: 3000, a)                      // leaves inline, spans three records
        #expect(try !fs.node(id).isInline)
        let far: UInt64 = 128 * 128 * 1024 + 5000               // record 128: first single-indirect record
        let b = pattern(10_000, seed: 2)
        try fs.write(id: id, at: far, b)
        try fs.commit()
        let again = try FileSystem.mount(fs.device)
        #expect(try again.read(id: id, at: 0, count: 5) == Array("small".utf8))
        #expect(try again.read(id: id, at: 3000, count: a.count) == a)
        #expect(try again.read(id: id, at: far, count: b.count) == b)
        #expect(try again.read(id: id, at: 1_000_000, count: 4096) == [UInt8](repeating: 0, count: 4096), "hole")
        #expect(try again.stat(id: id).size == far + UInt64(b.count))
        try expectClean(again)
        // Shrink into the middle of a record, then grow again: the cut-off bytes read as zeros.
        try again.truncate(id: id, size: 100_000)
        try again.truncate(id: id, size: 200_000)
        var expected = Array(("small".utf8)) + [UInt8](repeating: 0, count: 2995) + a
        expected = Array(expected[0..<100_000]) + [UInt8](repeating: 0, count: 100_000)
        try again.commit()
        #expect(try again.read(id: id, at: 0, count: 200_000) == expected)
        try expectClean(again)
        try again.truncate(id: id, size: 0)
        try again.commit()
        #expect(try again.stat(id: id).blocks == 0)
        try expectClean(again)
    }

    @Test("symlinks, hard links and attributes")
    func linksAndAttributes() throws {
        let fs = try freshFS()
        try fs.makeSymlink("/l".bytes, target: "target/path".bytes)
        let id = try fs.createFile("/a".bytes, permissions: 0o600, uid: 5, gid: 6)
        try fs.link("/a".bytes, "/b".bytes)
        try fs.setAttributes(id: id, permissions: 0o640, mtime: Timestamp(seconds: 12345, nanoseconds: 6))
        try fs.commit()
        let again = try FileSystem.mount(fs.device)
        #expect(try again.readLink("/l".bytes) == "target/path".bytes)
        let info = try again.stat("/b")
        #expect(info.id == id && info.links == 2 && info.permissions == 0o640 && info.uid == 5 && info.gid == 6)
        #expect(info.mtime == Timestamp(seconds: 12345, nanoseconds: 6))
        try again.unlink("/a".bytes)
        #expect(try again.stat("/b").links == 1)
        try again.commit()
        try expectClean(again)
    }

    @Test("rename refuses to move a directory into itself and replaces files")
    func renameRules() throws {
        let fs = try freshFS()
        try fs.makeDirectory("/x".bytes)
        try fs.makeDirectory("/x/y".bytes)
        #expect(throws: FSError.wouldCreateLoop) { try fs.rename("/x".bytes, "/x/y/z".bytes) }
        let a = try fs.createFile("/a".bytes)
        try fs.createFile("/b".bytes)
        try fs.rename("/a".bytes, "/b".bytes)
        #expect(try fs.lookup("/b") == a)
        #expect(throws: FSError.notFound) { try fs.lookup("/a") }
        #expect(throws: FSError.isDirectory) { try fs.rename("/b".bytes, "/x".bytes) }
        try fs.rename("/x/y".bytes, "/y".bytes)
        #expect(try fs.stat("/").links == 4)
        #expect(try fs.stat("/x").links == 2)
        try fs.commit()
        try expectClean(fs)
    }

    @Test("running out of space fails the operation, rolls back, and the committed state stays intact")
    func outOfSpace() throws {
        let fs = try freshFS(blocks: Format.minimumBlocks + 200)
        let id = try fs.createFile("/keep".bytes)
        try fs.write(id: id, at: 0, pattern(5000, seed: 9))
        try fs.commit()
        let big = try fs.createFile("/big".bytes)
        #expect(throws: FSError.noSpace) { try fs.write(id: big, at: 0, pattern(2_000_000, seed: 1)) }
        #expect(!fs.hasUncommittedChanges)
        #expect(throws: FSError.notFound) { try fs.lookup("/big") }
        #expect(try contents(fs, "/keep") == pattern(5000, seed: 9))
        try expectClean(fs)
        // Space still usable afterwards.
        let small = try fs.createFile("/small".bytes)
        try fs.write(id: small, at: 0, pattern(200_000, seed: 3))
        try fs.commit()
        try expectClean(try FileSystem.mount(fs.device))
    }

    @Test("snapshots keep old contents, share blocks, and give space back when deleted")
    func snapshots() throws {
        let fs = try freshFS(blocks: 4096)
        let id = try fs.createFile("/f".bytes)
        let v1 = pattern(1_000_000, seed: 1)
        try fs.write(id: id, at: 0, v1)
        try fs.commit()
        let usedBefore = fs.statistics().allocatedBlocks
        try fs.createSnapshot("s1".bytes)
        // A snapshot shares everything: it costs only the table (and log) blocks.
        #expect(fs.statistics().allocatedBlocks - usedBefore < 8)
        let v2 = pattern(1_000_000, seed: 2)
        try fs.write(id: id, at: 0, v2)
        try fs.unlink("/f".bytes)
        try fs.createFile("/g".bytes)
        try fs.commit()
        try expectClean(fs)
        let again = try FileSystem.mount(fs.device)
        #expect(again.snapshotList.map(\.name) == ["s1".bytes])
        let snap = try again.snapshot("s1".bytes)
        #expect(try snap.read(id: snap.lookup("/f".bytes), at: 0, count: v1.count) == v1)
        #expect(throws: FSError.notFound) { try snap.lookup("/g".bytes) }
        #expect(throws: FSError.notFound) { try again.lookup("/f") }
        try again.deleteSnapshot("s1".bytes)
        #expect(again.snapshotList.isEmpty)
        #expect(again.statistics().allocatedBlocks < usedBefore, "the old file's records were reclaimed")
        try expectClean(again)
        try expectClean(try FileSystem.mount(again.device))
    }

    @Test("several snapshots: deleting the middle one keeps what the others need")
    func manySnapshots() throws {
        let fs = try freshFS(blocks: 4096)
        let id = try fs.createFile("/f".bytes)
        var versions: [[UInt8]] = []
        for v in 0..<4 {
            let data = pattern(300_000, seed: UInt64(v))
            try fs.write(id: id, at: 0, data)
            try fs.createSnapshot("v\(v)".bytes)
            versions.append(data)
        }
        try fs.deleteSnapshot("v1".bytes)
        try fs.deleteSnapshot("v2".bytes)
        try expectClean(fs)
        for v in [0, 3] {
            let s = try fs.snapshot("v\(v)".bytes)
            #expect(try s.read(id: id, at: 0, count: 300_000) == versions[v])
        }
        try fs.deleteSnapshot("v0".bytes)
        try fs.deleteSnapshot("v3".bytes)
        try fs.truncate(id: id, size: 0)
        try fs.commit()
        try expectClean(fs)
        #expect(fs.statistics().allocatedBlocks < 40)
    }

    @Test("node ids wrap around by searching the table for a free id")
    func nodeIDWrap() throws {
        let fs = try freshFS()
        try fs.createFile("/a".bytes)   // id 2
        try fs.createFile("/b".bytes)   // id 3
        try fs.unlink("/a".bytes)
        try fs.commit()
        fs.nextNodeID = UInt64(UInt32.max) + 1
        #expect(try fs.createFile("/c".bytes) == 2)
        #expect(try fs.createFile("/d".bytes) == 4)
        try fs.commit()
        try expectClean(fs)
    }

    @Test("the header ring wraps and the allocation log stays short")
    func manyCommits() throws {
        let fs = try freshFS()
        let id = try fs.createFile("/counter".bytes)
        for i in 0..<600 {
            try fs.write(id: id, at: 0, Array("\(i)".utf8))
            try fs.commit()
        }
        #expect(fs.header.generation > 256)
        #expect(fs.logChain.count <= FileSystem<MemoryDevice>.logSquashSlack + 2)
        let again = try FileSystem.mount(fs.device)
        #expect(try contents(again, "/counter") == Array("599".utf8))
        try expectClean(again)
    }

    @Test("a read-only mount refuses changes")
    func readOnly() throws {
        let fs = try freshFS()
        let ro = try FileSystem.mount(fs.device, options: MountOptions(readOnly: true))
        #expect(throws: FSError.readOnly) { try ro.createFile("/x".bytes) }
        #expect(throws: FSError.readOnly) { try ro.createSnapshot("s".bytes) }
    }

    @Test("mount rejects what is not an image")
    func notAnImage() {
        #expect(throws: FSError.noValidHeader) { try FileSystem.mount(MemoryDevice(blocks: 400)) }
        #expect(throws: FSError.noValidHeader) { try FileSystem.mount(MemoryDevice(blocks: 3)) }
        #expect(throws: FSError.deviceTooSmall(blocks: 300)) { try FileSystem.format(MemoryDevice(blocks: 300), uuid: testUUID) }
    }

    @Test("rollback discards uncommitted work and frees its blocks")
    func rollback() throws {
        let fs = try freshFS()
        let free = fs.statistics().freeBlocks
        let id = try fs.createFile("/x".bytes)
        try fs.write(id: id, at: 0, pattern(500_000, seed: 4))
        fs.rollback()
        #expect(fs.statistics().freeBlocks == free)
        #expect(throws: FSError.notFound) { try fs.lookup("/x") }
        try expectClean(fs)
    }
}
