// HeapAllocator.swift — the heap behind posix_memalign/free (what the Swift runtime calls for every
// class instance, array and closure context), in the kernel and in every user program. Small blocks
// (payload ≤ 512 bytes) are recycled through 32 size-class lists, LIFO and O(1); everything else is a
// first-fit free list kept in address order, coalescing on free. The class lists keep the main list
// short — without them a long-running server's heap fills with small holes that every large
// allocation must walk past (measured: 49 µs per 4 KiB malloc+free among 10,000 holes, `bench`) —
// and when the main list cannot satisfy a request, the class lists are given back to it (coalesced)
// and it is tried again, so the heap's capacity is what it would be without them.
// It must not allocate itself, so it is written over raw pointers.
//
//   block:  [ size: UInt64 | tag: UInt64 ][ payload … ]     size includes the 16-byte header
//   free:   [ size         | freeTag    ][ next: pointer … ]
//   binned: [ size         | binnedTag  ][ next: pointer … ]   (in a size-class list)

public struct HeapAllocator {
    static let headerSize = 16
    static let minimumBlock = 32
    static let usedTag: UInt64 = 0x5553_4544_4845_4150   // "PAEHDESU": catches bad frees
    static let freeTag: UInt64 = 0x4652_4545_4845_4150
    static let binnedTag: UInt64 = 0x4249_4E4E_4845_4150
    /// Size classes: payloads of 16, 32, … 512 bytes.
    static let classCount = 32
    static let classGranule = 16

    var freeList: UnsafeMutableRawPointer?
    /// Heads of the size-class lists (0: empty), as addresses: a tuple keeps them inside the struct.
    var bins: (UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    let start: UnsafeMutableRawPointer
    let end: UnsafeMutableRawPointer
    public private(set) var bytesInUse = 0

    /// Manages `[start, start + size)`; `start` must be 16-byte aligned.
    public init(start: UnsafeMutableRawPointer, size: Int) {
        precondition(Int(bitPattern: start) % 16 == 0 && size >= HeapAllocator.minimumBlock)
        let usable = size & ~15
        self.start = start
        self.end = start + usable
        start.storeBytes(of: UInt64(usable), as: UInt64.self)
        (start + 8).storeBytes(of: HeapAllocator.freeTag, as: UInt64.self)
        (start + 16).storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        freeList = start
    }

    @inline(__always) static func size(_ block: UnsafeMutableRawPointer) -> Int { Int(block.load(as: UInt64.self)) }
    @inline(__always) static func setSize(_ block: UnsafeMutableRawPointer, _ n: Int) { block.storeBytes(of: UInt64(n), as: UInt64.self) }
    @inline(__always) static func next(_ block: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        (block + 16).load(as: UnsafeMutableRawPointer?.self)
    }
    @inline(__always) static func setNext(_ block: UnsafeMutableRawPointer, _ n: UnsafeMutableRawPointer?) {
        (block + 16).storeBytes(of: n, as: UnsafeMutableRawPointer?.self)
    }
    static func markFree(_ block: UnsafeMutableRawPointer, size: Int, next: UnsafeMutableRawPointer?) {
        setSize(block, size)
        (block + 8).storeBytes(of: freeTag, as: UInt64.self)
        setNext(block, next)
    }

    /// The size class of a block of `blockSize` bytes (header included), if it is small.
    @inline(__always) static func sizeClass(blockSize: Int) -> Int? {
        let payload = blockSize - headerSize
        return payload <= classCount * classGranule ? payload / classGranule - 1 : nil
    }

    @inline(__always) mutating func bin(_ index: Int) -> UnsafeMutableRawPointer? {
        withUnsafeBytes(of: &bins) { UnsafeMutableRawPointer(bitPattern: $0.load(fromByteOffset: index * 8, as: UInt.self)) }
    }

    @inline(__always) mutating func setBin(_ index: Int, _ block: UnsafeMutableRawPointer?) {
        withUnsafeMutableBytes(of: &bins) { $0.storeBytes(of: UInt(bitPattern: block), toByteOffset: index * 8, as: UInt.self) }
    }

    /// `size` bytes aligned to `alignment` (a power of two ≥ 16 is used), or nil. `reclaim`: when
    /// the main list cannot serve the request, give the class lists back to it and retry — what a
    /// single heap wants; a heap of several regions (the user heap) first tries its other regions.
    public mutating func allocate(size: Int, alignment: Int, reclaim: Bool = true) -> UnsafeMutableRawPointer? {
        // A small request with ordinary alignment: the front of its size class, if any.
        if alignment <= 16, size >= 0, size <= HeapAllocator.classCount * HeapAllocator.classGranule {
            let payload = max((size + 15) & ~15, 16)
            let index = payload / HeapAllocator.classGranule - 1
            if let block = bin(index) {
                setBin(index, HeapAllocator.next(block))
                (block + 8).storeBytes(of: HeapAllocator.usedTag, as: UInt64.self)
                bytesInUse += HeapAllocator.size(block)
                return block + HeapAllocator.headerSize
            }
        }
        if let p = allocateFromFreeList(size: size, alignment: alignment) { return p }
        // Out of room in the main list: give the class lists back to it, coalescing, and retry.
        guard reclaim, releaseBins() else { return nil }
        return allocateFromFreeList(size: size, alignment: alignment)
    }

    /// Returns every binned block to the address-ordered list; false if there were none.
    mutating func releaseBins() -> Bool {
        var released = false
        for index in 0..<HeapAllocator.classCount {
            while let block = bin(index) {
                setBin(index, HeapAllocator.next(block))
                insertCoalescing(block)
                released = true
            }
        }
        return released
    }

    mutating func allocateFromFreeList(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        let align = max(alignment, 16)
        guard align & (align - 1) == 0, size >= 0, size <= Int(bitPattern: UInt(bitPattern: end - start)) else { return nil }
        let need = max((size + 15) & ~15, 16) + HeapAllocator.headerSize
        var previous: UnsafeMutableRawPointer? = nil
        var cursor = freeList
        while let block = cursor {
            let blockSize = HeapAllocator.size(block)
            let blockAddress = Int(bitPattern: block)
            // The payload must be aligned; a leading gap must be big enough to stay a free block.
            var payload = (blockAddress + HeapAllocator.headerSize + align - 1) & ~(align - 1)
            while payload - HeapAllocator.headerSize - blockAddress != 0 &&
                  payload - HeapAllocator.headerSize - blockAddress < HeapAllocator.minimumBlock {
                payload += align
            }
            let gap = payload - HeapAllocator.headerSize - blockAddress
            if gap + need <= blockSize {
                let next = HeapAllocator.next(block)
                var remainder = blockSize - gap - need
                var used = need
                if remainder < HeapAllocator.minimumBlock { used += remainder; remainder = 0 }
                let usedBlock = block + gap
                // Rebuild the list around this block: [gap piece] -> [remainder piece] -> next.
                var after = next
                if remainder > 0 {
                    let rest = usedBlock + used
                    HeapAllocator.markFree(rest, size: remainder, next: next)
                    after = rest
                }
                if gap > 0 {
                    HeapAllocator.markFree(block, size: gap, next: after)
                    after = block
                }
                if let previous { HeapAllocator.setNext(previous, after) } else { freeList = after }
                HeapAllocator.setSize(usedBlock, used)
                (usedBlock + 8).storeBytes(of: HeapAllocator.usedTag, as: UInt64.self)
                bytesInUse += used
                return usedBlock + HeapAllocator.headerSize
            }
            previous = block
            cursor = HeapAllocator.next(block)
        }
        return nil
    }

    /// The bytes usable at `payload` (at least what was asked for; realloc needs it).
    public static func usableSize(_ payload: UnsafeMutableRawPointer) -> Int {
        size(payload - headerSize) - headerSize
    }

    /// Whether `pointer` lies in this heap's region.
    public func contains(_ pointer: UnsafeMutableRawPointer) -> Bool { pointer >= start && pointer < end }

    /// Returns a payload from `allocate`. A pointer that is not a live allocation is a kernel bug.
    public mutating func free(_ payload: UnsafeMutableRawPointer) {
        let block = payload - HeapAllocator.headerSize
        precondition(block >= start && block < end, "free of a pointer outside the heap")
        precondition((block + 8).load(as: UInt64.self) == HeapAllocator.usedTag, "free of a pointer that is not allocated")
        let size = HeapAllocator.size(block)
        bytesInUse -= size
        if let index = HeapAllocator.sizeClass(blockSize: size) {
            (block + 8).storeBytes(of: HeapAllocator.binnedTag, as: UInt64.self)
            HeapAllocator.setNext(block, bin(index))
            setBin(index, block)
            return
        }
        insertCoalescing(block)
    }

    /// Puts `block` into the address-ordered free list, merged with free neighbours.
    mutating func insertCoalescing(_ block: UnsafeMutableRawPointer) {
        var size = HeapAllocator.size(block)
        // Find the neighbours in the address-ordered free list.
        var previous: UnsafeMutableRawPointer? = nil
        var cursor = freeList
        while let c = cursor, c < block {
            previous = c
            cursor = HeapAllocator.next(c)
        }
        var next = cursor
        if let n = next, block + size == n {            // merge with the following block
            size += HeapAllocator.size(n)
            next = HeapAllocator.next(n)
        }
        if let p = previous, p + HeapAllocator.size(p) == block {   // merge into the preceding block
            HeapAllocator.markFree(p, size: HeapAllocator.size(p) + size, next: next)
        } else {
            HeapAllocator.markFree(block, size: size, next: next)
            if let p = previous { HeapAllocator.setNext(p, block) } else { freeList = block }
        }
    }
}
