// StructureTests.swift — sizes, encode/decode round trips and the golden header checksum of every
// on-disk structure (docs/REDOXFS-FORMAT.md).
import Testing
@testable import RedoxFS

@Suite struct StructureTests {
    @Test("every structure is exactly one 4 KiB block")
    func sizes() {
        #expect(Header(uuid: testUUID, blocks: 1000).encode().count == 4096)
        #expect(Node(kind: .file, permissions: 0o644, now: .zero).encode().count == 4096)
        #expect(DirLeaf().encode().count == 4096)
        #expect(DirIndex().encode().count == 4096)
        #expect(AllocLogBlock().encode().count == 4096)
        #expect(SnapshotTable.encode([]).count == 4096)
        #expect(BlockPtr.size == 16)
        #expect(Node.slotCount * BlockPtr.size == Node.dataSize)
        #expect(Node.dataOffset + Node.dataSize == 4096)
        #expect(DirectoryFormat.indexCapacity == 204)
        #expect(32 + AllocLogBlock.capacity * 16 == 4096)
        #expect(32 + SnapshotTable.capacity * 128 <= 4096)
        #expect(Format.recordSize == 128 * 1024)
    }

    @Test("block pointer address bits: level 0..3, decompressed level 4..7, index 8..63")
    func blockPointerBits() {
        let p = BlockPtr(index: 0x1234, level: 5, hash: 99)
        #expect(p.addr == 0x1234 << 8 | 5)
        #expect(p.index == 0x1234 && p.level == 5 && p.decompressedLevel == 0)
        #expect(p.byteCount == 128 * 1024 && p.blockCount == 32)
        #expect(BlockPtr(addr: 0xAB_37, hash: 0).decompressedLevel == 3)
        var b = [UInt8](repeating: 0, count: 32)
        p.store(&b, 16)
        #expect(BlockPtr.load(b, 16) == p)
        #expect(BlockPtr.null.isNull)
    }

    @Test("golden header checksum")
    func goldenHeader() {
        var h = Header(uuid: testUUID, blocks: 16384)
        h.generation = 42
        h.tree = BlockPtr(index: 300, level: 0, hash: 0x1111_2222_3333_4444)
        h.alloc = BlockPtr(index: 301, level: 0, hash: 0x5555_6666_7777_8888)
        h.nextNodeID = 77
        let bytes = h.encode()
        // Pinned: a change here is a format change (bump Format.version and update the document).
        #expect(load64(bytes, 4088) == 0x2bf5_c90c_3554_3329)
        #expect(load64(bytes, 4088) == SeaHash.hash(Array(bytes[0..<4072])))
        #expect(Array(bytes[0..<8]) == Array("RedoxFS\0".utf8))
        #expect(load64(bytes, 32) == 16384 * 4096)
    }

    @Test("header round trip, and a flipped bit makes the slot damaged")
    func headerRoundTrip() throws {
        var h = Header(uuid: testUUID, blocks: 5000)
        h.generation = 300
        h.snapshots = BlockPtr(index: 400, level: 0, hash: 7)
        let bytes = h.encode()
        #expect(try Header.decode(bytes).get() == h)
        #expect(h.slot == 300 % 256)
        var bad = bytes
        bad[40] ^= 1
        #expect(throws: Header.SlotState.damaged) { try Header.decode(bad).get() }
        #expect(throws: Header.SlotState.empty) { try Header.decode([UInt8](repeating: 0, count: 4096)).get() }
    }

    @Test("node round trip for each kind")
    func nodeRoundTrip() throws {
        for kind in [NodeKind.file, .directory, .symlink] {
            var n = Node(kind: kind, permissions: 0o4755, now: Timestamp(seconds: -5, nanoseconds: 999))
            n.uid = 1000; n.gid = 100; n.links = 3; n.size = kind == .directory ? 17 : 12; n.blocks = 4
            n.mtime = Timestamp(seconds: 1_700_000_000, nanoseconds: 123)
            if kind == .directory {
                n.directoryRoot = BlockPtr(index: 999, level: 0, hash: 5)
                n.directoryDepth = 2
                n.parent = 1
            } else {
                n.data.replaceSubrange(0..<12, with: Array("hello world!".utf8))
            }
            let decoded = try Node.decode(n.encode(), block: 1)
            #expect(decoded == n)
            #expect(decoded.kind == kind)
        }
    }

    @Test("node decoding rejects bad type bits and oversized inline data")
    func nodeRejects() {
        var b = Node(kind: .file, permissions: 0o644, now: .zero).encode()
        b[1] = 0x10  // type bits 0x1000 (FIFO): not a RedoxFS node
        #expect(throws: FSError.self) { try Node.decode(b, block: 1) }
        var n = Node(kind: .file, permissions: 0o644, now: .zero)
        n.size = UInt64(Node.inlineCapacity + 1)
        #expect(throws: FSError.self) { try Node.decode(n.encode(), block: 1) }
    }

    @Test("record paths cover direct, single, double and triple indirect levels")
    func recordPaths() {
        #expect(Node.recordPath(0)! == (0, []))
        #expect(Node.recordPath(127)! == (127, []))
        #expect(Node.recordPath(128)! == (128, [0]))
        #expect(Node.recordPath(128 + 256)! == (129, [0]))
        #expect(Node.recordPath(128 + 64 * 256)! == (192, [0, 0]))
        #expect(Node.recordPath(128 + 64 * 256 + 32 * 65536)! == (224, [0, 0, 0]))
        #expect(Node.recordPath(Node.maxRecords) == nil)
        for slot in [0, 127, 128, 191, 192, 223, 224, 239] {
            let info = Node.slotInfo(slot)
            #expect(Node.recordPath(info.firstRecord)!.slot == slot)
        }
    }

    @Test("directory leaf and index round trip")
    func directoryRoundTrip() throws {
        var leaf = DirLeaf()
        for name in ["b", "a", "zz", "ünïcode"] {
            let n = Array(name.utf8)
            leaf.entries.append(LeafEntry(hash: DirectoryFormat.nameHash(n), entry: DirectoryEntry(name: n, id: 9, kind: .file)))
        }
        leaf.entries.sort(by: LeafEntry.before)
        #expect(try DirLeaf.decode(leaf.encode(), block: 1).entries == leaf.entries)
        var index = DirIndex()
        index.entries = [IndexEntry(minHash: 0, ptr: BlockPtr(index: 500, level: 0, hash: 1)),
                         IndexEntry(minHash: 1000, ptr: BlockPtr(index: 501, level: 0, hash: 2))]
        #expect(try DirIndex.decode(index.encode(), block: 1).entries == index.entries)
        #expect(index.route(999) == 0 && index.route(1000) == 1 && index.route(.max) == 1)
        var unsorted = leaf
        unsorted.entries.reverse()
        #expect(throws: FSError.self) { try DirLeaf.decode(unsorted.encode(), block: 1) }
    }

    @Test("allocation log block and snapshot table round trip")
    func logAndSnapshotRoundTrip() throws {
        var l = AllocLogBlock()
        l.prev = BlockPtr(index: 777, level: 0, hash: 3)
        l.generation = 12
        l.flags = AllocLogBlock.flagBase
        l.entries = [.init(index: 300, level: 5, generation: 11, isFree: false),
                     .init(index: 400, level: 0, generation: 0, isFree: true)]
        let d = try AllocLogBlock.decode(l.encode(), block: 1)
        #expect(d.prev == l.prev && d.generation == 12 && d.flags == l.flags && d.entries == l.entries)
        let snaps = [SnapshotInfo(name: Array("before-upgrade".utf8), generation: 9, time: Timestamp(seconds: 5, nanoseconds: 6),
                                  tree: BlockPtr(index: 600, level: 0, hash: 8), nextNodeID: 40)]
        #expect(try SnapshotTable.decode(SnapshotTable.encode(snaps), block: 1) == snaps)
    }

    @Test("IntMap agrees with Dictionary over random inserts and removes")
    func intMap() {
        var rng = SeededRNG(seed: 7)
        var m = IntMap<UInt64>()
        var d: [UInt64: UInt64] = [:]
        for _ in 0..<20000 {
            let k = rng.next() % 512
            if rng.next() % 3 == 0 { #expect(m.remove(k) == d.removeValue(forKey: k)) } else {
                let v = rng.next(); m[k] = v; d[k] = v
            }
        }
        #expect(m.count == d.count)
        for (k, v) in d { #expect(m[k] == v) }
        #expect(m.sortedKeys == d.keys.sorted())
    }

    @Test("buddy allocator splits, merges and returns to its initial state")
    func allocator() {
        var a = Allocator(start: 256, end: 256 + 1000)
        let initialFree = a.free
        #expect(a.freeBlocks == 1000)
        var rng = SeededRNG(seed: 3)
        var held: [UInt64] = []
        for _ in 0..<400 {
            if rng.next() % 3 != 0, let i = a.allocate(level: Int(rng.next() % 6), generation: 1) {
                #expect(i % (1 << UInt64(a.level(of: i)!)) == 0, "aligned")
                held.append(i)
            } else if !held.isEmpty {
                a.release(held.remove(at: Int(rng.next() % UInt64(held.count))))
            }
        }
        for i in held { a.release(i) }
        #expect(a.freeBlocks == 1000)
        #expect(a.free == initialFree)
        #expect(a.allocate(level: 11, generation: 1) == nil)
    }
}
