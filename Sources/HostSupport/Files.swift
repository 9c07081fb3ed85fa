// Files.swift — whole-file reads and writes and directory walks over open/read/write/readdir, so
// the host tools need no Foundation (which costs swiftvm milliseconds of start-up and MiBs of RSS).
import Glibc

/// True if `path` names something `stat` can see (symlinks followed: a dangling link does not exist).
public func fileExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
}

/// Reads the whole file. Reads to end of file rather than trusting the size fstat reports: files
/// under /proc report 0.
public func readFile(_ path: String) throws(SystemError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .last }
    defer { close(fd) }
    var st = stat()
    let sizeHint = fstat(fd, &st) == 0 ? max(Int(st.st_size), 0) : 0
    var bytes: [UInt8] = []
    bytes.reserveCapacity(sizeHint)
    var chunk = [UInt8](repeating: 0, count: max(min(sizeHint + 1, 1 << 20), 64 << 10))
    while true {
        // SAFETY: read(2) writes at most chunk.count bytes into chunk's own buffer.
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw .last }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
}

/// Creates or truncates `path` (mode 0666 less the umask, as Foundation's file writes did) and
/// writes `bytes`. On failure the file may be partly written: callers that must not leave a
/// half-written file write a temporary name and rename it into place.
public func writeFile(_ path: String, _ bytes: [UInt8]) throws(SystemError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw .last }
    do throws(SystemError) {
        try writeAll(fd, bytes)
    } catch {
        close(fd)
        throw error
    }
    // close can report a deferred write error (NFS, quota): a failed close is a failed write.
    guard close(fd) == 0 else { throw .last }
}

/// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
    // Array.withUnsafeBytes rethrows untyped errors: the closure returns the errno instead.
    let failure: Int32? = bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return nil }
        var offset = 0
        while offset < buffer.count {
            // SAFETY: offset < buffer.count, so base + offset and the remaining length stay inside the buffer.
            let n = write(fd, base + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n < 0 ? errno : EIO }
            offset += n
        }
        return nil
    }
    if let failure { throw SystemError(failure) }
}

/// The names in a directory, without "." and "..", in the order readdir returns them.
public func directoryEntries(_ path: String) throws(SystemError) -> [String] {
    guard let dir = opendir(path) else { throw .last }
    defer { closedir(dir) }
    var names: [String] = []
    while true {
        errno = 0
        guard let entry = readdir(dir) else {
            if errno != 0 { throw .last }
            return names
        }
        // SAFETY: readdir's entry stays valid until the next readdir/closedir on `dir`; d_name is a
        // fixed array, and the name is cut at its NUL inside that array.
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
}

/// Visits everything below `root` (not `root` itself), parents before children, with its path
/// (`root/…`) and lstat result. Symlinks are not followed; entries that vanish or cannot be listed
/// are skipped, as a best-effort walk should.
public func walkDirectory(_ root: String, _ visit: (_ path: String, _ info: stat) -> Void) {
    guard let names = try? directoryEntries(root) else { return }
    for name in names {
        let path = root + "/" + name
        var st = stat()
        guard lstat(path, &st) == 0 else { continue }
        visit(path, st)
        if (st.st_mode & S_IFMT) == S_IFDIR { walkDirectory(path, visit) }
    }
}

/// Removes `path` and, if it is a directory, everything in it (symlinks are removed, not followed).
/// Best effort: what cannot be removed stays.
public func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        for name in (try? directoryEntries(path)) ?? [] { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}
