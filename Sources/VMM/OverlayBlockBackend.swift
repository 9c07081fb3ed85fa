// OverlayBlockBackend.swift — `swiftvm run --ephemeral`: a copy-on-write overlay over a disk image
// opened read-only. The guest's writes land in host memory, in 4 KiB chunks; reads see the
// overlay where a chunk was written and the image elsewhere. The image file cannot change: it is
// never opened for writing. Everything written is gone when the run ends.
import Virtio

public final class OverlayBlockBackend: BlockBackend, @unchecked Sendable {
    /// The granule of copy-on-write: a partial write first copies the rest of its chunk from the base.
    static let chunkSize = 4096
    let base: any BlockBackend
    let lock = Monitor()
    /// Written chunks by index (offset / chunkSize); each exactly `chunkSize` bytes. Guarded by `lock`.
    var chunks: [UInt64: [UInt8]] = [:]

    public var size: UInt64 { base.size }
    public var isReadOnly: Bool { false }
    public var identity: String { base.identity }

    /// `base` should be read-only: the overlay never writes it.
    public init(base: any BlockBackend) {
        self.base = base
    }

    /// How many bytes the overlay holds (for tests and `--stats`).
    public var overlayBytes: Int { lock.withLock { chunks.count * OverlayBlockBackend.chunkSize } }

    public func read(into buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) {
        try base.read(into: buffers, at: offset)
        lock.withLock {
            guard !chunks.isEmpty else { return }
            var position = offset
            for buffer in buffers where buffer.count > 0 {
                patch(buffer, at: position)
                position += UInt64(buffer.count)
            }
        }
    }

    /// Copies the overlay's bytes over `buffer` (which holds the base's bytes at `offset`).
    /// Called with `lock` held.
    private func patch(_ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) {
        let size = UInt64(OverlayBlockBackend.chunkSize)
        let end = offset + UInt64(buffer.count)
        var index = offset / size
        while index * size < end {
            if let chunk = chunks[index] {
                let from = max(offset, index * size), to = min(end, (index + 1) * size)
                chunk.withUnsafeBytes { source in
                    let s = Int(from - index * size)
                    let d = Int(from - offset)
                    UnsafeMutableRawBufferPointer(rebasing: buffer[d ..< d + Int(to - from)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[s ..< s + Int(to - from)]))
                }
            }
            index += 1
        }
    }

    public func write(from buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) {
        var position = offset
        for buffer in buffers where buffer.count > 0 {
            try store(UnsafeRawBufferPointer(buffer), at: position)
            position += UInt64(buffer.count)
        }
    }

    /// Writes `bytes` at `offset` into the overlay, chunk by chunk.
    private func store(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(BlockIOError) {
        let size = UInt64(OverlayBlockBackend.chunkSize)
        let end = offset + UInt64(bytes.count)
        var index = offset / size
        while index * size < end {
            let from = max(offset, index * size), to = min(end, (index + 1) * size)
            var chunk = try existingChunk(index)
            chunk.withUnsafeMutableBytes { target in
                let d = Int(from - index * size)
                let s = Int(from - offset)
                UnsafeMutableRawBufferPointer(rebasing: target[d ..< d + Int(to - from)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[s ..< s + Int(to - from)]))
            }
            lock.withLock { chunks[index] = chunk }
            index += 1
        }
    }

    /// Chunk `index` as the guest sees it now: the overlay's copy, else the base's bytes (zeroes
    /// past the end of the device, which the device's bounds checks never let a request reach).
    private func existingChunk(_ index: UInt64) throws(BlockIOError) -> [UInt8] {
        if let chunk = lock.withLock({ chunks[index] }) { return chunk }
        let size = UInt64(OverlayBlockBackend.chunkSize)
        var chunk = [UInt8](repeating: 0, count: OverlayBlockBackend.chunkSize)
        let start = index * size
        guard start < base.size else { return chunk }
        let length = Int(min(size, base.size - start))
        var failure: BlockIOError? = nil
        chunk.withUnsafeMutableBytes { buffer in
            do throws(BlockIOError) {
                try base.read(into: [UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< length])], at: start)
            } catch { failure = error }
        }
        if let failure { throw failure }
        return chunk
    }

    /// Nothing to make durable: the overlay ends with the run.
    public func flush() throws(BlockIOError) {}

    /// Discarded bytes may read as anything (virtio 1.2 §5.2.6.2); zeroes are simplest.
    public func discard(at offset: UInt64, length: UInt64) throws(BlockIOError) {
        try writeZeroes(at: offset, length: length, mayUnmap: true)
    }

    public func writeZeroes(at offset: UInt64, length: UInt64, mayUnmap: Bool) throws(BlockIOError) {
        var done: UInt64 = 0
        let zeroes = UnsafeMutableRawBufferPointer.allocate(byteCount: OverlayBlockBackend.chunkSize, alignment: 16)
        defer { zeroes.deallocate() }
        zeroes.initializeMemory(as: UInt8.self, repeating: 0)
        while done < length {
            let n = Int(min(UInt64(zeroes.count), length - done))
            try store(UnsafeRawBufferPointer(rebasing: zeroes[0 ..< n]), at: offset + done)
            done += UInt64(n)
        }
    }
}
