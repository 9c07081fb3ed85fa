// RecordLocks.swift — fcntl's F_GETLK, F_SETLK and F_SETLKW (ProcessCalls.swift's fcntl passes them here). The
// kernel records no locks yet, so these are documented advisory no-ops (LibC/include/fcntl.h): each
// request is checked as XSH fcntl checks it — the descriptor open (EBADF), for reading to take a
// read lock and for writing to take a write lock (EBADF), a known type and whence and a range that
// starts at or after offset 0 (EINVAL) — and then succeeds without excluding anyone; F_GETLK
// reports F_UNLCK, since no other process's lock is ever recorded.
// struct flock (glibc x86-64, 32 bytes): l_type Int16 at 0, l_whence Int16 at 2, l_start Int64 at
// 8, l_len Int64 at 16, l_pid Int32 at 24.
import UserRuntime


private let EBADF: Int32 = 9, EFAULT: Int32 = 14
private let readLock: Int16 = 0, writeLock: Int16 = 1, unlock: Int16 = 2
private let getLock: Int32 = 5

/// The size fstat reports for `fd`, or -1.
private func statSize(_ fd: Int32) -> Int64 {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: statBufferSize, alignment: 8)
    defer { buffer.deallocate() }
    return cFstat(fd, buffer) == 0 ? buffer.load(fromByteOffset: 32, as: Int64.self) : -1
}

/// SAFETY: `lock` is the caller's struct flock (fcntl's third argument for these commands); NULL is
/// refused with EFAULT, as Linux does.
@_cdecl("sv_fcntl_lock")
public func fcntlLock(_ fd: Int32, _ command: Int32, _ lock: UnsafeMutableRawPointer?) -> Int32 {
    let flags = sv_syscall3(Int64(SV_SYS_FCNTL), UInt64(bitPattern: Int64(fd)), 3 /* F_GETFL */, 0)
    if flags < 0 { setErrno(Int32(truncatingIfNeeded: -flags)); return -1 }
    guard let lock else { setErrno(EFAULT); return -1 }
    let type = lock.load(as: Int16.self), whence = lock.load(fromByteOffset: 2, as: Int16.self)
    let start = lock.load(fromByteOffset: 8, as: Int64.self), length = lock.load(fromByteOffset: 16, as: Int64.self)
    guard type == readLock || type == writeLock || type == unlock, whence >= 0 && whence <= 2 else {
        setErrno(EINVAL); return -1
    }
    let access = flags & 3   // O_ACCMODE: 0 read, 1 write, 2 both
    if command != getLock {
        if type == readLock && access == 1 || type == writeLock && access == 0 { setErrno(EBADF); return -1 }
    }
    // The range's first byte: from the start, the current offset or the end of the file.
    var base: Int64 = 0
    if whence == 1 {
        base = cLseek(fd, 0, 1)
    } else if whence == 2 {   // the file's size: st_size, at offset 32 of the C library's struct stat
        base = statSize(fd)
    }
    if base < 0 { base = 0 }      // a descriptor that cannot seek (pipe, terminal): offsets count from 0
    let (first, overflow) = base.addingReportingOverflow(start)
    let (last, overflow2) = first.addingReportingOverflow(length < 0 ? length : 0)
    guard !overflow && !overflow2 && first >= 0 && last >= 0 else { setErrno(EINVAL); return -1 }
    if command == getLock { lock.storeBytes(of: unlock, as: Int16.self) }
    return 0
}
