// Directories.swift — opendir, readdir, rewinddir, closedir (XSH <dirent.h>) on getdents64 (the
// kernel's SV_SYS_GETDENTS), a buffer of records at a time. DIR is private: C programs hold a
// DIR * only.
import UserRuntime

private let O_DIRECTORY_CLOEXEC: Int32 = 0o2200000
private let recordsCapacity = 8192

/// A DIR: the descriptor, the records read and how far readdir got, and the struct dirent it
/// returns (LibC/include/dirent.h: d_ino UInt64 at 0, d_type UInt8 at 8, d_name[256] at 9).
private struct DirectoryStream {
    var fd: Int32
    var length = 0, position = 0
    let records = UnsafeMutableRawBufferPointer.allocate(byteCount: recordsCapacity, alignment: 8)
    let entry = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 + 1 + 256, alignment: 8)
}

@_cdecl("opendir")
public func opendir(_ path: UnsafePointer<CChar>) -> OpaquePointer? {
    let fd = cOpen(path, O_DIRECTORY_CLOEXEC, 0)
    if fd < 0 { return nil }
    let d = UnsafeMutablePointer<DirectoryStream>.allocate(capacity: 1)
    d.initialize(to: DirectoryStream(fd: fd))
    return OpaquePointer(d)
}

/// SAFETY: `d` is a DIR * opendir returned and closedir has not freed (XSH: otherwise undefined).
@inline(__always) private func stream(_ d: OpaquePointer) -> UnsafeMutablePointer<DirectoryStream> {
    UnsafeMutablePointer<DirectoryStream>(d)
}

/// The next entry, or NULL at the end (errno unchanged) or on an error (errno set). The records
/// come from the file server: each is checked to lie inside what it wrote (a record that does not
/// ends the buffer), and a name that is not terminated inside its record or is too long is skipped.
@_cdecl("readdir")
public func readdir(_ handle: OpaquePointer) -> UnsafeMutableRawPointer? {
    let d = stream(handle)
    let nameOffset = Int(SV_DIRENT_NAME_OFFSET)
    while true {
        if d.pointee.position >= d.pointee.length {
            let n = checkedCall(sv_syscall3(Int64(SV_SYS_GETDENTS), argument(d.pointee.fd),
                                            address(d.pointee.records.baseAddress), UInt64(recordsCapacity)))
            if n <= 0 { return nil }
            d.pointee.length = Swift.min(n, recordsCapacity)
            d.pointee.position = 0
        }
        let start = d.pointee.position, left = d.pointee.length - start
        let records = d.pointee.records
        if left <= nameOffset { d.pointee.position = d.pointee.length; continue }
        let length = Int(records.loadUnaligned(fromByteOffset: start + 16, as: UInt16.self))
        if length <= nameOffset || length > left { d.pointee.position = d.pointee.length; continue }
        d.pointee.position += length
        let name = UnsafeMutableRawBufferPointer(rebasing: records[start + nameOffset..<start + length])
        guard let end = name.firstIndex(of: 0), end < 256 else { continue }
        let entry = d.pointee.entry
        entry.storeBytes(of: records.loadUnaligned(fromByteOffset: start, as: UInt64.self), as: UInt64.self)
        entry[8] = records[start + 18]
        for i in 0..<end { entry[9 + i] = name[i] }
        entry[9 + end] = 0
        return entry.baseAddress
    }
}

@_cdecl("rewinddir")
public func rewinddir(_ handle: OpaquePointer) {
    let d = stream(handle)
    _ = cLseek(d.pointee.fd, 0, 0)
    d.pointee.length = 0
    d.pointee.position = 0
}

@_cdecl("closedir")
public func closedir(_ handle: OpaquePointer) -> Int32 {
    let d = stream(handle)
    let r = cClose(d.pointee.fd)
    d.pointee.records.deallocate()
    d.pointee.entry.deallocate()
    d.deinitialize(count: 1)
    d.deallocate()
    return r
}
