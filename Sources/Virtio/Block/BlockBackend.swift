// BlockBackend.swift — where the block device's sectors live: a host file (or block device) read
// and written with preadv/pwritev straight into guest memory. Errors carry the failed call and its
// errno; the device turns them into VIRTIO_BLK_S_IOERR.
import CVirtio
import Glibc

/// A failed backend operation: the call ("pwritev", "fdatasync") and its errno.
public struct BlockIOError: Error, Equatable, Sendable, CustomStringConvertible {
    public let operation: String
    public let errno: Int32
    public init(_ operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }
    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

/// Why a backing file could not be opened (an environment error, reported up to the CLI).
public struct BlockBackendError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let errno: Int32
    public var description: String { "\(path): \(operation): \(String(cString: strerror(errno)))" }
}

/// Storage behind a `BlockDevice`. Byte offsets; the device has checked them against `size`.
///
/// Methods may be called from any one thread at a time per device (today the event loop; a later
/// I/O worker thread needs no change here).
public protocol BlockBackend: Sendable {
    /// Size in bytes (the device exposes `size / 512` sectors).
    var size: UInt64 { get }
    /// Whether writes are impossible (the file was opened read-only).
    var isReadOnly: Bool { get }
    /// A stable identity for VIRTIO_BLK_T_GET_ID when the user gave no serial.
    var identity: String { get }
    /// Fills `buffers` (guest memory) from `offset` on.
    func read(into buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError)
    /// Writes `buffers` (guest memory) at `offset`.
    func write(from buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError)
    /// Makes completed writes durable (VIRTIO_BLK_T_FLUSH).
    func flush() throws(BlockIOError)
    /// May deallocate `[offset, offset + length)`; contents afterwards are unspecified.
    func discard(at offset: UInt64, length: UInt64) throws(BlockIOError)
    /// Makes `[offset, offset + length)` read as zeroes; may deallocate it if `mayUnmap`.
    func writeZeroes(at offset: UInt64, length: UInt64, mayUnmap: Bool) throws(BlockIOError)
}

/// A host file or block device, accessed with preadv/pwritev at explicit offsets (no shared file
/// position, so requests could run on several threads later).
public final class FileBlockBackend: BlockBackend {
    public let fileDescriptor: Int32
    public let size: UInt64
    public let isReadOnly: Bool
    public let identity: String
    let ownsDescriptor: Bool

    /// Opens `path` for the device (read-only if `readOnly`).
    public convenience init(path: String, readOnly: Bool) throws(BlockBackendError) {
        let fd = open(path, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC)
        guard fd >= 0 else { throw BlockBackendError(path: path, operation: "open", errno: errno) }
        do {
            try self.init(fileDescriptor: fd, readOnly: readOnly, path: path, ownsDescriptor: true)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Uses an already open descriptor. With `ownsDescriptor` it is closed with the backend.
    public init(fileDescriptor fd: Int32, readOnly: Bool, path: String = "(fd)", ownsDescriptor: Bool = false,
                size overrideSize: UInt64? = nil) throws(BlockBackendError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw BlockBackendError(path: path, operation: "fstat", errno: errno) }
        if let overrideSize {
            size = overrideSize
        } else {
            // lseek(SEEK_END) also sizes block devices, where st_size is 0.
            let end = lseek(fd, 0, SEEK_END)
            guard end >= 0 else { throw BlockBackendError(path: path, operation: "lseek", errno: errno) }
            size = UInt64(end)
        }
        fileDescriptor = fd
        isReadOnly = readOnly
        self.ownsDescriptor = ownsDescriptor
        identity = "sv\(String(UInt64(st.st_dev), radix: 16))-\(String(UInt64(st.st_ino), radix: 16))"
    }

    deinit { if ownsDescriptor { close(fileDescriptor) } }

    /// Linux's UIO_MAXIOV: the most iovecs one preadv/pwritev takes.
    static let maxIOVecs = 1024

    public func read(into buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) {
        try transfer(buffers, at: offset, name: "preadv") { fd, iov, n, off in preadv(fd, iov, n, off) }
    }

    public func write(from buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) {
        try transfer(buffers, at: offset, name: "pwritev") { fd, iov, n, off in pwritev(fd, iov, n, off) }
    }

    /// Moves all bytes of `buffers`, resuming after short transfers and EINTR. A read that hits end
    /// of file (the file shrank under us) is an error: the guest must not see stale memory as data.
    private func transfer(_ buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64, name: String,
                          _ call: (Int32, UnsafePointer<iovec>, Int32, off_t) -> Int) throws(BlockIOError) {
        var iovecs = buffers.filter { $0.count > 0 }.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        var first = 0
        var position = offset
        while first < iovecs.count {
            let count = min(iovecs.count - first, FileBlockBackend.maxIOVecs)
            guard position <= UInt64(Int64.max) else { throw BlockIOError(name, errno: EINVAL) }
            let n = iovecs.withUnsafeBufferPointer { call(fileDescriptor, $0.baseAddress! + first, Int32(count), off_t(position)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BlockIOError(name, errno: errno)
            }
            if n == 0 { throw BlockIOError(name + " (end of file)", errno: EIO) }
            position += UInt64(n)
            var left = n
            while left > 0 {
                if left >= iovecs[first].iov_len {
                    left -= iovecs[first].iov_len
                    first += 1
                } else {
                    iovecs[first].iov_base = iovecs[first].iov_base! + left
                    iovecs[first].iov_len -= left
                    left = 0
                }
            }
        }
    }

    public func flush() throws(BlockIOError) {
        while fdatasync(fileDescriptor) != 0 {
            if errno != EINTR { throw BlockIOError("fdatasync", errno: errno) }
        }
    }

    public func discard(at offset: UInt64, length: UInt64) throws(BlockIOError) {
        if length == 0 { return }
        let r = cvirtio_fallocate(fileDescriptor, CVIRTIO_FALLOC_PUNCH_HOLE | CVIRTIO_FALLOC_KEEP_SIZE, Int64(offset), Int64(length))
        // Discard is advisory (§5.2.6.2 "MAY deallocate"): a file system without hole punching
        // simply keeps the blocks.
        if r != 0 && errno != EOPNOTSUPP && errno != ENOSYS { throw BlockIOError("fallocate(PUNCH_HOLE)", errno: errno) }
    }

    public func writeZeroes(at offset: UInt64, length: UInt64, mayUnmap: Bool) throws(BlockIOError) {
        if length == 0 { return }
        // §5.2.6.2: afterwards the range reads as zeroes; only with `unmap` may it be deallocated.
        let mode = mayUnmap ? CVIRTIO_FALLOC_PUNCH_HOLE | CVIRTIO_FALLOC_KEEP_SIZE : CVIRTIO_FALLOC_ZERO_RANGE | CVIRTIO_FALLOC_KEEP_SIZE
        if cvirtio_fallocate(fileDescriptor, mode, Int64(offset), Int64(length)) == 0 { return }
        guard errno == EOPNOTSUPP || errno == ENOSYS else { throw BlockIOError("fallocate", errno: errno) }
        // Fallback: write zeroes.
        let chunk = 64 * 1024
        let zeroes = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { zeroes.deallocate() }
        zeroes.initializeMemory(as: UInt8.self, repeating: 0)
        var done: UInt64 = 0
        while done < length {
            let n = Int(min(UInt64(chunk), length - done))
            try write(from: [UnsafeMutableRawBufferPointer(rebasing: zeroes[0 ..< n])], at: offset + done)
            done += UInt64(n)
        }
    }
}
