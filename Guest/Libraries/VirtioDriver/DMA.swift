// DMA.swift — the driver's DMA memory: a contiguous, zeroed allocation from the kernel (dma_alloc),
// mapped in this process at `address` and seen by the device at `physical`. Its raw accesses live
// here (with the ring code in DriverQueue and BlockDriver): drivers, blkd and the test programs
// move bytes in and out with these bounds-checked methods.
import ABI
import UserLib

public struct DMABuffer {
    /// Where this process sees it.
    public let address: UInt64
    /// Where the device sees it (for descriptors).
    public let physical: UInt64
    public let count: Int

    /// `bytes` of fresh DMA memory; nil if the kernel has none (or the process may not drive devices).
    public init?(bytes: Int) {
        guard bytes > 0, let memory = System.dmaAlloc(bytes) else { return nil }
        address = memory.address
        physical = memory.physical
        count = bytes
    }

    /// The bytes of `range`, checked against the allocation.
    func raw(_ range: Range<Int>) -> UnsafeMutableRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "DMA access outside the buffer")
        // SAFETY: the kernel mapped `count` bytes read-write at `address` for the rest of the
        // process's life (DMA memory is never freed), and `range` lies inside them (checked above).
        return UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: UInt(address) + UInt(range.lowerBound)),
                                             count: range.count)
    }

    /// Byte `i` (bounds-checked).
    public subscript(i: Int) -> UInt8 {
        get { raw(i..<(i + 1))[0] }
        nonmutating set { raw(i..<(i + 1))[0] = newValue }
    }

    /// Stores `value` at `offset` (a device-readable header, say).
    public func store<T: BitwiseCopyable>(_ value: T, at offset: Int) {
        raw(offset..<(offset + MemoryLayout<T>.size)).storeBytes(of: value, as: T.self)
    }

    /// The value stored at `offset`.
    public func load<T: BitwiseCopyable>(_ type: T.Type, at offset: Int) -> T {
        raw(offset..<(offset + MemoryLayout<T>.size)).loadUnaligned(as: T.self)
    }

    /// A copy of the bytes in `range`.
    public func bytes(_ range: Range<Int>) -> [UInt8] { Array(raw(range)) }

    /// Copies `source[sourceRange]` into this memory at `offset`.
    public func copy(from source: [UInt8], _ sourceRange: Range<Int>, to offset: Int) {
        let target = raw(offset..<(offset + sourceRange.count))
        // SAFETY: `target` is checked above; the source slice is bounds-checked by Array.
        source[sourceRange].withUnsafeBytes { target.copyMemory(from: $0) }
    }

    /// Copies the bytes of `range` into `target` at `offset`.
    public func copy(_ range: Range<Int>, into target: inout [UInt8], at offset: Int) {
        let source = raw(range)
        precondition(offset >= 0 && offset + range.count <= target.count, "copy past the end of the target")
        // SAFETY: both ranges are checked (above and in `raw`), and they do not overlap (DMA memory
        // is not Swift memory).
        target.withUnsafeMutableBytes { UnsafeMutableRawBufferPointer(rebasing: $0[offset..<(offset + range.count)]).copyMemory(from: UnsafeRawBufferPointer(source)) }
    }

    /// Copies the bytes of `range` into IPC caller `caller`'s lease at `leaseOffset` (sv_syscall.h
    /// lease_write): the count copied, or a negative errno.
    public func leaseWrite(_ caller: UInt64, offset leaseOffset: Int, from range: Range<Int>) -> Int {
        Channel.leaseWrite(caller, offset: leaseOffset, from: UnsafeRawBufferPointer(raw(range)))
    }

    /// Fills `range` from IPC caller `caller`'s lease at `leaseOffset` (lease_read): the count
    /// copied, or a negative errno.
    public func leaseRead(_ caller: UInt64, offset leaseOffset: Int, into range: Range<Int>) -> Int {
        Channel.leaseRead(caller, offset: leaseOffset, into: raw(range))
    }
}
