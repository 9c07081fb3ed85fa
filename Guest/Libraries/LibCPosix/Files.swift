// Files.swift — files on the kernel's descriptors (sv_syscall.h 43–49: the kernel routes each path
// and forwards to the file server), paths made absolute against PWD first (the kernel has no
// working directory), and the path calls (mkdir, unlink, rename…) to the file server. Every call
// sets errno on failure. open and ioctl are variadic in C: LibC/variadic.c reads their last
// argument and calls sv_open and sv_ioctl here.
// Other files of this module call these functions by their Swift names, c + the C name.
// SAFETY: paths are the caller's NUL-terminated strings; buffers hold the counts given with them;
// `out` is the caller's struct stat (XSH: otherwise undefined). The kernel checks every address it
// is handed against the process's memory (EFAULT).
import UserRuntime

private let ENOENT: Int32 = 2, EBADF: Int32 = 9, ENOTTY: Int32 = 25, ESPIPE: Int32 = 29,
            ERANGE: Int32 = 34, ENOSYS: Int32 = 38, ENOTDIR: Int32 = 20, E2BIG: Int32 = 7
private let O_WRONLY_CLOEXEC: Int32 = 0o2000001, O_RDONLY_CLOEXEC: Int32 = 0o2000000
let S_IFMT: UInt32 = 0o170000, S_IFDIR: UInt32 = 0o040000

@_extern(c, "sv_path_absolute")
func pathAbsolute(_ path: UnsafePointer<CChar>, _ out: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int
@_extern(c, "sv_pipe_read") func pipeRead(_ pipe: UInt64, _ buffer: UnsafeMutableRawPointer, _ length: Int) -> Int

/// Runs `body` with `path` made absolute (NUL-terminated, in a stack buffer) and its length; -1
/// with errno if it cannot be. An empty path names nothing (XBD 4.13 Pathname Resolution: ENOENT),
/// not the working directory.
func withAbsolutePath<R: BinaryInteger>(_ path: UnsafePointer<CChar>, _ body: (UnsafePointer<CChar>, Int) -> R) -> R {
    if path.pointee == 0 { setErrno(ENOENT); return -1 }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(SV_FS_PATH_MAX) + 1) { buffer in
        let n = pathAbsolute(path, buffer.baseAddress!, buffer.count)
        if n < 0 { setErrno(Int32(truncatingIfNeeded: -n)); return -1 }
        return body(UnsafePointer(buffer.baseAddress!), n)
    }
}

@inline(__always) func address(_ p: UnsafeRawPointer?) -> UInt64 { UInt64(UInt(bitPattern: p)) }

@_cdecl("sv_open")
public func cOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: UInt32) -> Int32 {
    withAbsolutePath(path) { full, n in
        Int32(checkedCall(sv_syscall4(Int64(SV_SYS_OPEN), address(full), UInt64(n), UInt64(UInt32(bitPattern: flags)), UInt64(mode))))
    }
}

@_cdecl("creat")
public func cCreat(_ path: UnsafePointer<CChar>, _ mode: UInt32) -> Int32 { cOpen(path, O_WRONLY | O_CREAT | O_TRUNC, mode) }

@_cdecl("close")
public func cClose(_ fd: Int32) -> Int32 { Int32(checkedCall(sv_syscall1(Int64(SV_SYS_CLOSE), argument(fd)))) }

// ---- standard input ----
// The old shell's redirection: standard input named in SV_STDIN (a file, or "pipe:ID" of the pipe
// server). A shell that redirects with descriptors leaves it unset: then fd 0 is fd 0.

nonisolated(unsafe) private var inputChecked = false
nonisolated(unsafe) private var inputFile: Int32 = -1
nonisolated(unsafe) private var inputPipe: UInt64 = 0

private func checkStandardInput() {
    if inputChecked { return }
    inputChecked = true
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(SV_FS_PATH_MAX) + 1) { buffer in
        let path = buffer.baseAddress!
        let n = envGet("SV_STDIN", path, buffer.count)
        guard n > 0 && n < buffer.count else { return }
        if strncmp(path, "pipe:", 5) == 0 {
            inputPipe = strtoull(path + 5, nil, 10)
        } else {
            inputFile = cOpen(path, O_RDONLY_CLOEXEC, 0)
        }
    }
}

/// The descriptor the kernel knows for `fd`: SV_STDIN's file for 0 if there is one.
func kernelDescriptor(_ fd: Int32) -> UInt64 {
    if fd != 0 { return argument(fd) }
    checkStandardInput()
    return argument(inputFile >= 0 ? inputFile : 0)
}

@_cdecl("read")
public func cRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    if fd == 0 {
        checkStandardInput()
        if inputPipe != 0 {
            let n = pipeRead(inputPipe, buffer, count)
            if n < 0 { setErrno(Int32(truncatingIfNeeded: -n)); return -1 }
            return n
        }
        standardOutputFlush()   // a prompt written before reading the console shows first
    }
    return checkedCall(sv_syscall3(Int64(SV_SYS_READ), kernelDescriptor(fd), address(buffer), UInt64(count)))
}

@_cdecl("write")
public func cWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    if fd == 1 { standardOutputWrite(buffer, count); return count }   // ordered with Swift's output
    if fd == 2 { standardOutputFlush() }
    // The file server writes at most 1 MiB a call (a short write); C programs expect it all.
    var done = 0
    while done < count {
        let n = sv_syscall3(Int64(SV_SYS_WRITE), argument(fd), address(buffer + done), UInt64(count - done))
        if n < 0 { return done > 0 ? done : checkedCall(n) }
        if n == 0 { break }
        done += Int(n)
    }
    return done
}

@_cdecl("lseek")
public func cLseek(_ fd: Int32, _ offset: Int64, _ whence: Int32) -> Int64 {
    if fd == 0 { checkStandardInput(); if inputPipe != 0 { setErrno(ESPIPE); return -1 } }
    return Int64(checkedCall(sv_syscall3(Int64(SV_SYS_LSEEK), kernelDescriptor(fd), UInt64(bitPattern: offset), argument(whence))))
}

/// The kernel's struct stat copied into the C library's (LibC/include/sys/stat.h, 64 bytes):
/// st_dev 0, st_ino 8, st_mode 16, st_nlink 20, st_uid 24, st_gid 28, st_size 32, st_blksize 40,
/// st_blocks 48, st_mtime 56. SAFETY: `out` is the caller's struct stat.
private func fill(_ out: UnsafeMutableRawPointer, _ s: sv_stat) {
    out.storeBytes(of: s.st_dev, as: UInt64.self)
    out.storeBytes(of: s.st_ino, toByteOffset: 8, as: UInt64.self)
    out.storeBytes(of: s.st_mode, toByteOffset: 16, as: UInt32.self)
    out.storeBytes(of: UInt32(truncatingIfNeeded: s.st_nlink), toByteOffset: 20, as: UInt32.self)
    out.storeBytes(of: s.st_uid, toByteOffset: 24, as: UInt32.self)
    out.storeBytes(of: s.st_gid, toByteOffset: 28, as: UInt32.self)
    out.storeBytes(of: s.st_size, toByteOffset: 32, as: Int64.self)
    out.storeBytes(of: s.st_blksize, toByteOffset: 40, as: Int64.self)
    out.storeBytes(of: s.st_blocks, toByteOffset: 48, as: Int64.self)
    out.storeBytes(of: s.st_mtime_sec, toByteOffset: 56, as: Int64.self)
}

@_cdecl("stat")
public func cStat(_ path: UnsafePointer<CChar>, _ out: UnsafeMutableRawPointer) -> Int32 {
    withAbsolutePath(path) { full, n in
        var s = sv_stat()
        let r = withUnsafeMutablePointer(to: &s) { sv_syscall3(Int64(SV_SYS_STAT), address(full), UInt64(n), address($0)) }
        if checkedCall(r) < 0 { return -1 }
        fill(out, s)
        return 0
    }
}

@_cdecl("fstat")
public func cFstat(_ fd: Int32, _ out: UnsafeMutableRawPointer) -> Int32 {
    var s = sv_stat()
    let r = withUnsafeMutablePointer(to: &s) { sv_syscall2(Int64(SV_SYS_FSTAT), kernelDescriptor(fd), address($0)) }
    if checkedCall(r) < 0 { return -1 }
    fill(out, s)
    return 0
}

/// A file's mode by path, or nil (errno set).
func fileMode(_ path: UnsafePointer<CChar>) -> UInt32? {
    var mode: UInt32? = nil
    _ = withStatBuffer {
        if cStat(path, $0) == 0 { mode = $0.load(fromByteOffset: 16, as: UInt32.self) }
        return 0
    }
    return mode
}

@_cdecl("fsync")
public func cFsync(_ fd: Int32) -> Int32 { Int32(checkedCall(sv_syscall1(Int64(SV_SYS_FSYNC), argument(fd)))) }

/// One file-service call on `path` with no lease: 0, or -1 with errno.
func pathCall(_ op: Int32, _ path: UnsafePointer<CChar>, _ a: UInt64 = 0, _ flags: Int32 = 0) -> Int32 {
    var result: (UInt64, UInt64, UInt64) = (0, 0, 0)
    let e = withUnsafeMutablePointer(to: &result) {
        $0.withMemoryRebound(to: UInt64.self, capacity: 3) { svFSCall(op, path, a, 0, flags, nil, 0, 0, $0) }
    }
    if e != 0 { setErrno(-e); return -1 }
    return 0
}

@_cdecl("chmod")
public func cChmod(_ path: UnsafePointer<CChar>, _ mode: UInt32) -> Int32 {
    pathCall(Int32(SV_FS_SETATTR), path, UInt64(mode & 0o7777), Int32(SV_FS_SET_MODE))
}

/// fchmod: ENOSYS until the file server has a SETATTR on a handle.
@_cdecl("fchmod")
public func cFchmod(_ fd: Int32, _ mode: UInt32) -> Int32 { setErrno(ENOSYS); return -1 }

/// mkdir: `mode` less the umask (the file server applies the caller's).
@_cdecl("mkdir")
public func cMkdir(_ path: UnsafePointer<CChar>, _ mode: UInt32) -> Int32 {
    pathCall(Int32(SV_FS_MKDIR), path, UInt64(mode & 0o7777), Int32(SV_FS_FLAG_MODE))
}
@_cdecl("unlink")
public func cUnlink(_ path: UnsafePointer<CChar>) -> Int32 { pathCall(Int32(SV_FS_UNLINK), path) }
@_cdecl("rmdir")
public func cRmdir(_ path: UnsafePointer<CChar>) -> Int32 { pathCall(Int32(SV_FS_RMDIR), path) }

@_cdecl("ftruncate")
public func cFtruncate(_ fd: Int32, _ length: Int64) -> Int32 {
    if length < 0 { setErrno(EINVAL); return -1 }
    return Int32(checkedCall(sv_syscall2(Int64(SV_SYS_FTRUNCATE), argument(fd), UInt64(length))))
}

@_cdecl("truncate")
public func cTruncate(_ path: UnsafePointer<CChar>, _ length: Int64) -> Int32 {
    let fd = cOpen(path, O_WRONLY_CLOEXEC, 0)
    if fd < 0 { return -1 }
    let r = cFtruncate(fd, length)
    let saved = errnoLocation().pointee
    _ = cClose(fd)
    setErrno(saved)
    return r
}

@_cdecl("rename")
public func cRename(_ from: UnsafePointer<CChar>, _ to: UnsafePointer<CChar>) -> Int32 {
    withAbsolutePath(to) { target, n in
        var result: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let e = withUnsafeMutablePointer(to: &result) {
            $0.withMemoryRebound(to: UInt64.self, capacity: 3) {
                svFSCall(Int32(SV_FS_RENAME), from, 0, 0, 0, UnsafeMutableRawPointer(mutating: target), n, Int32(SV_LEASE_READ), $0)
            }
        }
        if e != 0 { setErrno(-e); return -1 }
        return 0
    }
}

/// remove (C11 7.21.4.1): rmdir for a directory, unlink otherwise.
@_cdecl("remove")
public func cRemove(_ path: UnsafePointer<CChar>) -> Int32 {
    guard let mode = fileMode(path) else { return -1 }
    return mode & S_IFMT == S_IFDIR ? cRmdir(path) : cUnlink(path)
}

/// access: no permissions yet — what exists may be used, whatever `mode` asks.
@_cdecl("access")
public func cAccess(_ path: UnsafePointer<CChar>, _ mode: Int32) -> Int32 { fileMode(path) == nil ? -1 : 0 }

@_cdecl("chdir")
public func cChdir(_ path: UnsafePointer<CChar>) -> Int32 {
    withAbsolutePath(path) { full, _ in
        guard let mode = fileMode(full) else { return -1 }
        if mode & S_IFMT != S_IFDIR { setErrno(ENOTDIR); return -1 }
        if envSet("PWD", full) != 0 { setErrno(E2BIG); return -1 }
        return 0
    }
}

@_cdecl("getcwd")
public func cGetcwd(_ buffer: UnsafeMutablePointer<CChar>, _ size: Int) -> UnsafeMutablePointer<CChar>? {
    if pathAbsolute(".", buffer, size) < 0 { setErrno(ERANGE); return nil }
    return buffer
}

/// A terminal is what answers TCGETS (as glibc's isatty asks): the terminal server's descriptors.
/// The kernel's own console — the console when no terminal server runs (docs/TERMINAL.md) — has
/// no termios but is the console all the same (character device 5,1, which the kernel answers
/// itself): a terminal too.
@_cdecl("isatty")
public func cIsatty(_ fd: Int32) -> Int32 {
    if fd == 0 { checkStandardInput(); if inputPipe != 0 { setErrno(ENOTTY); return 0 } }
    var t = sv_termios()
    let r = withUnsafeMutablePointer(to: &t) { sv_syscall3(Int64(SV_SYS_IOCTL), kernelDescriptor(fd), UInt64(SV_TCGETS), address($0)) }
    if r >= 0 { return 1 }
    if r == -Int64(SV_ENOTTY) {
        var s = sv_stat()
        let f = withUnsafeMutablePointer(to: &s) { sv_syscall2(Int64(SV_SYS_FSTAT), kernelDescriptor(fd), address($0)) }
        if f >= 0 && s.st_mode & UInt32(SV_S_IFMT) == UInt32(SV_S_IFCHR) && s.st_rdev == UInt64(SV_TTY_RDEV_CONSOLE) { return 1 }
    }
    setErrno(r == -Int64(SV_EBADF) ? EBADF : ENOTTY)
    return 0
}

/// ioctl (system call 70, sys/ioctl.h): the argument goes to the kernel as it is — a pointer to
/// the request's struct, or an int for the requests that take one (TIOCSCTTY); the kernel sizes
/// and checks the struct by the request.
@_cdecl("sv_ioctl")
public func cIoctl(_ fd: Int32, _ request: UInt, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    Int32(checkedCall(sv_syscall3(Int64(SV_SYS_IOCTL), kernelDescriptor(fd), UInt64(request), address(argument))))
}

@_cdecl("getpid")
public func cGetpid() -> Int32 { Int32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETPID))) }

/// _exit (XSH): ends the process at once — no atexit functions, no stream flushing (UserLib's
/// exit still writes out the runtime's standard output buffer, which is C's stdout too).
@_cdecl("_exit")
public func cExit(_ status: Int32) -> Never {
    userExit(status)
    fatalError("sv_user_exit returned")
}
