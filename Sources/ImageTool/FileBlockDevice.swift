// FileBlockDevice.swift — a RedoxFS BlockDevice over a host file: pread/pwrite, and fsync as the
// flush barrier (fsync(2) returns when the file's data and metadata reached stable storage).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RedoxFS

/// Owns the file descriptor; closes it when the last device copy goes away.
final class Descriptor {
    let fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}

public struct FileBlockDevice: BlockDevice {
    let descriptor: Descriptor
    public let blockCount: UInt64
    public let path: String

    /// Opens `path`; its size (rounded down to whole blocks) is the device size.
    public init(path: String, writable: Bool) throws(ImageToolError) {
        let fd = open(path, writable ? O_RDWR : O_RDONLY)
        guard fd >= 0 else { throw ImageToolError("\(path): cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw ImageToolError("\(path): cannot stat: \(String(cString: strerror(e)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ImageToolError("\(path): not a regular file")
        }
        descriptor = Descriptor(fd)
        blockCount = UInt64(st.st_size) / UInt64(Format.blockSize)
        self.path = path
    }

    public mutating func read(block: UInt64, count: Int) throws(BlockDeviceError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { buf in
                pread(descriptor.fd, buf.baseAddress! + done, count - done, off_t(block) * off_t(Format.blockSize) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw BlockDeviceError(.read, block: block, code: n < 0 ? errno : EIO) }
            done += n
        }
        return out
    }

    public mutating func write(block: UInt64, _ bytes: [UInt8]) throws(BlockDeviceError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                pwrite(descriptor.fd, buf.baseAddress! + done, bytes.count - done,
                       off_t(block) * off_t(Format.blockSize) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw BlockDeviceError(.write, block: block, code: n < 0 ? errno : EIO) }
            done += n
        }
    }

    public mutating func flush() throws(BlockDeviceError) {
        guard fsync(descriptor.fd) == 0 else { throw BlockDeviceError(.flush, block: 0, code: errno) }
    }
}

/// A host-tool failure: one line that names the image and, where it applies, the path inside it.
public struct ImageToolError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
