// DescriptorChain.swift — the descriptor-chain walker (virtio 1.2 §2.7.5, §2.7.5.3) and the
// validated chain it produces: every buffer inside guest RAM, readable buffers before writable ones,
// at most `limit` descriptors (no loops), at most 2^32 bytes, at most one level of indirection.
// Devices then read and write the chain through `ChainReader` / `ChainWriter`, which cannot leave
// the validated buffers.
import GuestMemory

/// One non-empty buffer of a chain, already checked to lie inside guest RAM.
public struct ChainSegment {
    public let address: GuestAddress
    /// Host view of the guest buffer (valid while the `GuestMemory` lives).
    public let buffer: UnsafeMutableRawBufferPointer
    public let isWritable: Bool
}

/// A validated descriptor chain: what a device gets from `SplitQueue.pop()`.
public struct DescriptorChain {
    /// The head descriptor index, which goes back into the used ring (§2.7.8).
    public let head: UInt16
    /// The non-empty buffers in chain order: all device-readable ones, then all device-writable.
    public let segments: [ChainSegment]
    /// Number of descriptors walked, including zero-length ones and the one pointing to an indirect table.
    public let descriptorCount: Int
    public let readableLength: Int
    public let writableLength: Int

    public var readableSegments: ArraySlice<ChainSegment> { segments.prefix { !$0.isWritable } }
    public var writableSegments: ArraySlice<ChainSegment> { segments.drop { !$0.isWritable } }

    /// A cursor over the device-readable bytes.
    public func reader() -> ChainReader { ChainReader(readableSegments) }
    /// A cursor over the device-writable bytes.
    public func writer() -> ChainWriter { ChainWriter(writableSegments) }

    /// Most entries an indirect table may have. The split-ring rule is "no chain longer than the
    /// queue size" (§2.7.5.3.1), but Linux sizes indirect tables by its scatter list, so like QEMU
    /// we accept tables up to 1024 entries and bound the walk by the table's own size.
    public static let maxIndirectEntries = 1024

    /// Walks the chain starting at `head` in the descriptor table `table` (a checked view of
    /// `tableSize` descriptors). Never reads outside `table`, an indirect table or guest RAM, and
    /// stops after `tableSize` (resp. the indirect table's size) descriptors, so loops terminate.
    static func walk(head: UInt16, table: UnsafeMutableRawBufferPointer, tableSize: Int, memory: GuestMemory,
                     indirectAllowed: Bool) throws(ChainError) -> DescriptorChain {
        var currentTable = table
        var currentSize = tableSize
        var budget = tableSize
        var index = Int(head)
        var inIndirect = false
        var segments: [ChainSegment] = []
        var count = 0
        var readable = 0
        var writable = 0
        var sawWritable = false

        while true {
            guard budget > 0 else { throw .tooManyDescriptors(limit: currentSize) }
            budget -= 1
            guard index < currentSize else { throw .nextOutOfRange(next: UInt16(truncatingIfNeeded: index), tableSize: currentSize) }
            let d = Descriptor(table: currentTable, index: index)
            count += 1

            if d.isIndirect {
                // virtio 1.2 §2.7.5.3.1: only with the feature, never nested, never with NEXT.
                guard indirectAllowed else { throw .indirectNotNegotiated }
                guard !inIndirect else { throw .nestedIndirect }
                guard !d.hasNext else { throw .indirectWithNext }
                let entries = Int(d.length) / Descriptor.size
                guard d.length > 0, Int(d.length) % Descriptor.size == 0, entries <= maxIndirectEntries else {
                    throw .badIndirectTableLength(d.length)
                }
                // §2.7.5.3.2: the WRITE flag of the descriptor naming a table is ignored.
                guard let view = try? memory.bytes(at: GuestAddress(d.address), length: UInt64(d.length)) else {
                    throw .indirectTableOutsideGuestMemory(address: d.address, length: d.length)
                }
                currentTable = view
                currentSize = entries
                budget = entries
                index = 0
                inIndirect = true
                continue
            }

            // §2.7.4.2: device-writable descriptors come after all device-readable ones.
            if d.isWritable { sawWritable = true } else if sawWritable { throw .readableAfterWritable }

            if d.length > 0 {
                guard let view = try? memory.bytes(at: GuestAddress(d.address), length: UInt64(d.length)) else {
                    throw .bufferOutsideGuestMemory(address: d.address, length: d.length)
                }
                segments.append(ChainSegment(address: GuestAddress(d.address), buffer: view, isWritable: d.isWritable))
                if d.isWritable { writable += Int(d.length) } else { readable += Int(d.length) }
                // §2.7.5.2: no chain longer than 2^32 bytes.
                guard readable + writable <= 1 << 32 else { throw .tooLarge }
            }
            // A zero-length descriptor is legal and simply carries no bytes.

            guard d.hasNext else { break }
            index = Int(d.next)
        }
        return DescriptorChain(head: head, segments: segments, descriptorCount: count,
                               readableLength: readable, writableLength: writable)
    }
}

/// A cursor over a run of chain buffers. Reads and writes never go past the buffers' ends.
public struct ChainCursor {
    let segments: ArraySlice<ChainSegment>
    var segmentIndex: Int
    var offset = 0
    /// Bytes consumed so far.
    public private(set) var consumed = 0
    /// Bytes left.
    public private(set) var remaining: Int

    init(_ segments: ArraySlice<ChainSegment>) {
        self.segments = segments
        self.segmentIndex = segments.startIndex
        self.remaining = segments.reduce(0) { $0 + $1.buffer.count }
    }

    /// Takes the next `count` bytes (or fewer, if fewer remain) as guest buffers, without copying:
    /// the scatter list for preadv/pwritev.
    public mutating func take(_ count: Int) -> [UnsafeMutableRawBufferPointer] {
        var want = min(count, remaining)
        var out: [UnsafeMutableRawBufferPointer] = []
        while want > 0 {
            let b = segments[segmentIndex].buffer
            let n = min(want, b.count - offset)
            // SAFETY: [offset, offset + n) lies inside the checked segment view `b`.
            out.append(UnsafeMutableRawBufferPointer(rebasing: b[offset ..< offset + n]))
            advance(n)
            want -= n
        }
        return out
    }

    /// Skips `count` bytes (or what remains).
    public mutating func skip(_ count: Int) {
        var want = min(count, remaining)
        while want > 0 {
            let n = min(want, segments[segmentIndex].buffer.count - offset)
            advance(n)
            want -= n
        }
    }

    mutating func advance(_ n: Int) {
        offset += n
        consumed += n
        remaining -= n
        if offset == segments[segmentIndex].buffer.count {
            segmentIndex += 1
            offset = 0
        }
    }
}

/// Reads the device-readable part of a chain.
public struct ChainReader {
    var cursor: ChainCursor
    init(_ segments: ArraySlice<ChainSegment>) { cursor = ChainCursor(segments) }

    public var remaining: Int { cursor.remaining }
    public var consumed: Int { cursor.consumed }

    /// Copies up to `destination.count` bytes; returns how many were copied.
    @discardableResult
    public mutating func read(into destination: UnsafeMutableRawBufferPointer) -> Int {
        var done = 0
        for piece in cursor.take(destination.count) {
            // SAFETY: `piece` is a checked guest view, the destination has room for `done + piece.count`.
            UnsafeMutableRawBufferPointer(rebasing: destination[done ..< done + piece.count]).copyMemory(from: UnsafeRawBufferPointer(piece))
            done += piece.count
        }
        return done
    }

    /// Reads `count` bytes into an array (fewer if the chain has fewer).
    public mutating func readBytes(_ count: Int) -> [UInt8] {
        let n = min(count, remaining)
        var bytes = [UInt8](repeating: 0, count: n)
        bytes.withUnsafeMutableBytes { _ = read(into: $0) }
        return bytes
    }

    /// The next `count` readable bytes as guest buffers, without copying.
    public mutating func take(_ count: Int) -> [UnsafeMutableRawBufferPointer] { cursor.take(count) }
    public mutating func skip(_ count: Int) { cursor.skip(count) }
}

/// Writes the device-writable part of a chain and counts what was written (the used length).
public struct ChainWriter {
    var cursor: ChainCursor
    init(_ segments: ArraySlice<ChainSegment>) { cursor = ChainCursor(segments) }

    public var remaining: Int { cursor.remaining }
    /// Bytes written (or taken for writing) so far, from the first writable byte on.
    public var written: Int { cursor.consumed }

    /// Copies up to `source.count` bytes into the chain; returns how many fitted.
    @discardableResult
    public mutating func write(_ source: UnsafeRawBufferPointer) -> Int {
        var done = 0
        for piece in cursor.take(source.count) {
            // SAFETY: `piece` is a checked guest view; `source` has `done + piece.count` bytes.
            piece.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[done ..< done + piece.count]))
            done += piece.count
        }
        return done
    }

    @discardableResult
    public mutating func write(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { write($0) }
    }

    /// The next `count` writable bytes as guest buffers, without copying (the caller fills them).
    public mutating func take(_ count: Int) -> [UnsafeMutableRawBufferPointer] { cursor.take(count) }
}
