// FrameAllocator.swift — the physical page allocator: one bit per 4 KiB frame of RAM, set when
// free. The bitmap lives in memory the caller provides (at boot: the first free frames).

public struct FrameAllocator {
    let bitmap: UnsafeMutablePointer<UInt64>
    let words: Int
    /// Frame number of bit 0.
    let firstFrame: UInt64
    public let frameCount: UInt64
    public private(set) var freeCount: UInt64 = 0
    /// Where the next search starts (a rotating hint keeps allocation O(1) amortised).
    var hint = 0

    /// Manages frames `[first, first + count)`, all initially used; `release` the free ranges.
    /// `bitmap` must hold at least `FrameAllocator.bitmapWords(count)` words.
    public init(bitmap: UnsafeMutablePointer<UInt64>, firstFrame: UInt64, frameCount: UInt64) {
        self.bitmap = bitmap
        self.words = FrameAllocator.bitmapWords(frameCount)
        self.firstFrame = firstFrame
        self.frameCount = frameCount
        bitmap.initialize(repeating: 0, count: words)
    }

    public static func bitmapWords(_ frames: UInt64) -> Int { Int((frames + 63) / 64) }

    /// Marks `[start, start + length)` free (page-aligned, inside the managed range).
    public mutating func release(range start: PhysicalAddress, length: UInt64) {
        precondition(start.isPageAligned && length % pageSize == 0, "unaligned frame range")
        var frame = start.value / pageSize
        let end = frame + length / pageSize
        while frame < end {
            free(PhysicalAddress(frame * pageSize))
            frame += 1
        }
    }

    /// One free frame, or nil when memory is exhausted. The frame's contents are undefined.
    public mutating func allocate() -> PhysicalAddress? {
        guard freeCount > 0 else { return nil }
        for step in 0..<words {
            let w = (hint + step) % words
            let word = bitmap[w]
            if word != 0 {
                let bit = word.trailingZeroBitCount
                bitmap[w] = word & ~(1 << UInt64(bit))
                freeCount -= 1
                hint = w
                return PhysicalAddress((firstFrame + UInt64(w * 64 + bit)) * pageSize)
            }
        }
        preconditionFailure("free count and bitmap disagree")
    }

    /// The free frame with the highest address, or nil when memory is exhausted (the boot check
    /// `test.high-memory` reaches the top of RAM with it).
    public mutating func allocateHighest() -> PhysicalAddress? {
        for w in stride(from: words - 1, through: 0, by: -1) where bitmap[w] != 0 {
            let bit = 63 - bitmap[w].leadingZeroBitCount
            bitmap[w] &= ~(1 << UInt64(bit))
            freeCount -= 1
            return PhysicalAddress((firstFrame + UInt64(w * 64 + bit)) * pageSize)
        }
        return nil
    }

    /// Two adjacent free frames, the first 8 KiB-aligned (a page-table pair for PVM's
    /// hypervisor-flipped CR3: kernel half, then user half at +4 KiB). Nil if none is left.
    public mutating func allocateAlignedPair() -> PhysicalAddress? {
        for w in 0..<words {
            var word = bitmap[w]
            while word != 0 {
                let bit = word.trailingZeroBitCount
                let frame = firstFrame + UInt64(w * 64 + bit)
                if frame % 2 == 0 && bit < 63 && word & (1 << UInt64(bit + 1)) != 0 {
                    bitmap[w] &= ~(3 << UInt64(bit))
                    freeCount -= 2
                    return PhysicalAddress(frame * pageSize)
                }
                word &= ~(1 << UInt64(bit))
            }
        }
        return nil
    }

    /// `count` physically contiguous free frames (for DMA buffers), or nil. First fit, O(frames).
    public mutating func allocateContiguous(_ count: Int) -> PhysicalAddress? {
        guard count > 0, UInt64(count) <= freeCount else { return nil }
        var runStart = 0, runLength = 0
        for index in 0..<Int(frameCount) {
            if bitmap[index / 64] & (1 << UInt64(index % 64)) != 0 {
                if runLength == 0 { runStart = index }
                runLength += 1
                if runLength == count {
                    for i in runStart..<(runStart + count) { bitmap[i / 64] &= ~(1 << UInt64(i % 64)) }
                    freeCount -= UInt64(count)
                    return PhysicalAddress((firstFrame + UInt64(runStart)) * pageSize)
                }
            } else {
                runLength = 0
            }
        }
        return nil
    }

    /// Returns `frame` to the pool. Freeing a frame twice or outside the range is a kernel bug.
    public mutating func free(_ frame: PhysicalAddress) {
        precondition(frame.isPageAligned, "unaligned frame")
        let n = frame.value / pageSize
        precondition(n >= firstFrame && n < firstFrame + frameCount, "frame outside the allocator")
        let index = Int(n - firstFrame)
        let mask: UInt64 = 1 << UInt64(index % 64)
        precondition(bitmap[index / 64] & mask == 0, "double free of a frame")
        bitmap[index / 64] |= mask
        freeCount += 1
    }

    public func isFree(_ frame: PhysicalAddress) -> Bool {
        let n = frame.value / pageSize
        guard n >= firstFrame && n < firstFrame + frameCount else { return false }
        let index = Int(n - firstFrame)
        return bitmap[index / 64] & (1 << UInt64(index % 64)) != 0
    }
}
