// RecordCache.swift — file records (up to 128 KiB each) read recently, so that small reads of a
// file — stdio's 4 KiB, `dd bs=4k`, a database's pages — fetch each record from the device and
// verify its checksum once, not once per read. In the guest every device read is a round trip to
// the disk driver (two kernel entries and a virtio request at least), so without it a 4 KiB read
// cost as much as a 128 KiB one (issue 14: ~1.3 ms each on a machine where a trap costs ~80 µs).
//
// An entry is found by the whole block pointer — index, level and checksum — so it can never
// answer for different contents: a block freed and reused holds a new checksum (and allocation
// drops the entries it overlaps anyway, as for the metadata cache). Blocks owned by the open
// transaction never enter it (FileSystem.readBlock answers those from the transaction first).
// Eviction is least recently used over a few entries, searched linearly: a bounded, small memory
// cost (`capacity` records, at most capacity × 128 KiB) for the file server.

struct RecordCache {
    private struct Entry {
        var ptr: BlockPtr
        var bytes: [UInt8]
        var lastUse: UInt64
    }

    /// At most this many records are kept.
    let capacity: Int
    private var entries: [Entry] = []
    private var uses: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    var count: Int { entries.count }

    /// Where `ptr`'s record is held: the whole pointer matches (address, level and checksum).
    private func index(of ptr: BlockPtr) -> Int? {
        entries.firstIndex { $0.ptr.addr == ptr.addr && $0.ptr.hash == ptr.hash }
    }

    /// Whether `ptr`'s record is held (without counting a use).
    func contains(_ ptr: BlockPtr) -> Bool { index(of: ptr) != nil }

    /// The record `ptr` names, if held.
    mutating func lookup(_ ptr: BlockPtr) -> [UInt8]? {
        guard let i = index(of: ptr) else { return nil }
        uses &+= 1
        entries[i].lastUse = uses
        return entries[i].bytes
    }

    /// Keeps `bytes` (already verified against `ptr`'s checksum) as `ptr`'s record.
    mutating func insert(_ ptr: BlockPtr, _ bytes: [UInt8]) {
        guard capacity > 0 else { return }
        uses &+= 1
        if let i = index(of: ptr) {
            entries[i].lastUse = uses
            return
        }
        let entry = Entry(ptr: ptr, bytes: bytes, lastUse: uses)
        if entries.count < capacity {
            entries.append(entry)
            return
        }
        var oldest = 0
        for i in entries.indices where entries[i].lastUse < entries[oldest].lastUse { oldest = i }
        entries[oldest] = entry
    }

    /// Drops every record overlapping blocks `blocks` (they are being allocated anew).
    mutating func invalidate(_ blocks: Range<UInt64>) {
        entries.removeAll { e in
            let start = e.ptr.index
            return start < blocks.upperBound && blocks.lowerBound < start + e.ptr.blockCount
        }
    }

    mutating func removeAll() {
        entries.removeAll()
    }
}
