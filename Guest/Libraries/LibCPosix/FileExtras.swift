// FileExtras.swift — the file calls SQLite, Lua and other POSIX programs expect beyond Files.swift,
// as this system has them: no symbolic links (lstat is stat, readlink finds no link, symlink cannot
// make one), a file server that keeps a modification time only (utime, utimes), and no per-process
// CPU accounting (getrusage).
import UserRuntime

@_extern(c, "sv_fs_call")
func svFSCall(_ op: Int32, _ path: UnsafePointer<CChar>, _ a: UInt64, _ b: UInt64, _ flags: Int32,
              _ lease: UnsafeMutableRawPointer?, _ leaseLength: Int, _ leaseFlags: Int32,
              _ result: UnsafeMutablePointer<UInt64>) -> Int32

private let EEXIST: Int32 = 17, EPERM: Int32 = 1, ENOSYS: Int32 = 38

/// lstat (XSH): the file system has no symbolic links, so a path's last component is never one.
@_cdecl("lstat")
public func lstat(_ path: UnsafePointer<CChar>, _ out: UnsafeMutableRawPointer) -> Int32 { cStat(path, out) }

/// readlink (XSH): the path's error if it names nothing (ENOENT, ENOTDIR…); otherwise EINVAL,
/// "the path argument names a file that is not a symbolic link" — no file here is one.
@_cdecl("readlink")
public func readlink(_ path: UnsafePointer<CChar>, _ buffer: UnsafeMutablePointer<CChar>, _ size: Int) -> Int {
    guard withStatBuffer({ cStat(path, $0) }) == 0 else { return -1 }
    setErrno(EINVAL)
    return -1
}

/// symlink (XSH): EEXIST if `path` exists; otherwise EPERM, Linux's error for a file system that
/// does not support symbolic links (this one has none).
@_cdecl("symlink")
public func symlink(_ target: UnsafePointer<CChar>, _ path: UnsafePointer<CChar>) -> Int32 {
    setErrno(withStatBuffer({ cStat(path, $0) }) == 0 ? EEXIST : EPERM)
    return -1
}

/// Sets `path`'s modification time (ns since 1970) through the file server (SETATTR, SET_TIMES).
private func setModificationTime(_ path: UnsafePointer<CChar>, nanoseconds: Int64) -> Int32 {
    var result: (UInt64, UInt64, UInt64) = (0, 0, 0)
    let e = withUnsafeMutablePointer(to: &result) {
        $0.withMemoryRebound(to: UInt64.self, capacity: 3) {
            svFSCall(Int32(SV_FS_SETATTR), path, 0, UInt64(bitPattern: nanoseconds), Int32(SV_FS_SET_TIMES), nil, 0, 0, $0)
        }
    }
    if e != 0 { setErrno(-e); return -1 }
    return 0
}

/// The wall clock now, in ns since 1970 (CLOCK_REALTIME).
private func now() -> Int64? {
    var ts: (Int64, Int64) = (0, 0)
    let r = withUnsafeMutablePointer(to: &ts) { $0.withMemoryRebound(to: Int64.self, capacity: 2) { clockGettime(0, $0) } }
    return r == 0 ? ts.0 &* 1_000_000_000 &+ ts.1 : nil
}

/// seconds and a sub-second part in ns as one count of ns, or nil if it does not fit in 64 bits.
private func nanoseconds(_ seconds: Int64, _ fraction: Int64) -> Int64? {
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (sum, overflow2) = product.addingReportingOverflow(fraction)
    return overflow || overflow2 ? nil : sum
}

/// utimes (XSH): times[1] (struct timeval: seconds, microseconds) becomes the modification time;
/// times[0], the access time, is not kept by the file server. NULL: now. EINVAL for microseconds
/// outside 0…999,999 or a time beyond what 64-bit nanoseconds hold.
@_cdecl("utimes")
public func utimes(_ path: UnsafePointer<CChar>, _ times: UnsafePointer<Int64>?) -> Int32 {
    guard let times else {
        guard let t = now() else { return -1 }
        return setModificationTime(path, nanoseconds: t)
    }
    for i in [1, 3] where times[i] < 0 || times[i] > 999_999 { setErrno(EINVAL); return -1 }
    guard let t = nanoseconds(times[2], times[3] * 1000) else { setErrno(EINVAL); return -1 }
    return setModificationTime(path, nanoseconds: t)
}

/// utime (XSH): struct utimbuf { actime, modtime } in seconds; modtime is kept, actime is not. NULL: now.
@_cdecl("utime")
public func utime(_ path: UnsafePointer<CChar>, _ times: UnsafePointer<Int64>?) -> Int32 {
    guard let times else {
        guard let t = now() else { return -1 }
        return setModificationTime(path, nanoseconds: t)
    }
    guard let t = nanoseconds(times[1], 0) else { setErrno(EINVAL); return -1 }
    return setModificationTime(path, nanoseconds: t)
}

/// getrusage (XSH): EINVAL for a `who` other than RUSAGE_SELF (0) or RUSAGE_CHILDREN (-1); otherwise
/// ENOSYS, as the kernel counts no processor time per process yet. `usage` is left as it was.
@_cdecl("getrusage")
public func getrusage(_ who: Int32, _ usage: UnsafeMutableRawPointer) -> Int32 {
    setErrno(who == 0 || who == -1 ? ENOSYS : EINVAL)
    return -1
}
