// Users.swift — user and group ids (the kernel's: sv_syscall.h 80–90), the umask, ownership
// (chown through the file server, which enforces XSH chown's rules) and the user database
// (LibC/include/unistd.h, pwd.h, sys/stat.h): getpwuid/getpwnam know root alone.
import UserRuntime

/// Bytes enough for the C library's struct stat (64), so these calls need not know its layout.
let statBufferSize = 128

/// A system call's result as C's: the value, or -1 with errno.
private func checked(_ r: Int64) -> Int32 {
    if r < 0 { setErrno(Int32(truncatingIfNeeded: -r)); return -1 }
    return Int32(truncatingIfNeeded: r)
}

@_cdecl("getuid")
public func getuid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETUID))) }
@_cdecl("geteuid")
public func geteuid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETEUID))) }
@_cdecl("getgid")
public func getgid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETGID))) }
@_cdecl("getegid")
public func getegid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETEGID))) }
@_cdecl("setuid")
public func setuid(_ id: UInt32) -> Int32 { checked(sv_syscall1(Int64(SV_SYS_SETUID), UInt64(id))) }
@_cdecl("setgid")
public func setgid(_ id: UInt32) -> Int32 { checked(sv_syscall1(Int64(SV_SYS_SETGID), UInt64(id))) }
@_cdecl("setreuid")
public func setreuid(_ r: UInt32, _ e: UInt32) -> Int32 { checked(sv_syscall2(Int64(SV_SYS_SETREUID), UInt64(r), UInt64(e))) }
@_cdecl("setregid")
public func setregid(_ r: UInt32, _ e: UInt32) -> Int32 { checked(sv_syscall2(Int64(SV_SYS_SETREGID), UInt64(r), UInt64(e))) }
/// seteuid: setreuid(-1, id) (glibc's), so the saved id follows as Linux's does.
@_cdecl("seteuid")
public func seteuid(_ id: UInt32) -> Int32 {
    if id == UInt32.max { setErrno(22); return -1 }   // EINVAL: -1 is no id
    return setreuid(UInt32.max, id)
}
@_cdecl("setegid")
public func setegid(_ id: UInt32) -> Int32 {
    if id == UInt32.max { setErrno(22); return -1 }
    return setregid(UInt32.max, id)
}
@_cdecl("getgroups")
public func getgroups(_ size: Int32, _ list: UnsafeMutablePointer<UInt32>?) -> Int32 {
    if size < 0 { setErrno(22); return -1 }
    return checked(sv_syscall2(Int64(SV_SYS_GETGROUPS), UInt64(UInt(bitPattern: list)), UInt64(size)))
}
@_cdecl("setgroups")
public func setgroups(_ size: Int, _ list: UnsafePointer<UInt32>?) -> Int32 {
    checked(sv_syscall2(Int64(SV_SYS_SETGROUPS), UInt64(UInt(bitPattern: list)), UInt64(size)))
}
@_cdecl("umask")
public func umask(_ mask: UInt32) -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall1(Int64(SV_SYS_UMASK), UInt64(mask & 0o777))) }

func withStatBuffer(_ body: (UnsafeMutableRawPointer) -> Int32) -> Int32 {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: statBufferSize, alignment: 8)
    defer { buffer.deallocate() }
    return body(buffer)
}

/// chown: the file server decides (root: anything; the owner: a group of its own).
@_cdecl("chown")
public func chown(_ path: UnsafePointer<CChar>, _ owner: UInt32, _ group: UInt32) -> Int32 {
    pathCall(Int32(SV_FS_SETATTR), path, UInt64(owner) | UInt64(group) << 32, Int32(SV_FS_SET_OWNER))
}
/// No symbolic links: lchown is chown.
@_cdecl("lchown")
public func lchown(_ path: UnsafePointer<CChar>, _ owner: UInt32, _ group: UInt32) -> Int32 { chown(path, owner, group) }
/// fchown: the file server has no SETATTR on a handle yet, so only what changes nothing for root's
/// files succeeds — an owner and group of 0 (root) or -1 ("leave it": XSH chown) once the
/// descriptor is found; any other, EPERM (use chown on the path).
@_cdecl("fchown")
public func fchown(_ fd: Int32, _ owner: UInt32, _ group: UInt32) -> Int32 {
    guard withStatBuffer({ cFstat(fd, $0) }) == 0 else { return -1 }
    guard (owner == 0 || owner == UInt32.max) && (group == 0 || group == UInt32.max) else { setErrno(1); return -1 }
    return 0
}

// The database's one entry, glibc's struct passwd (48 bytes): name, passwd, uid, gid, gecos, dir, shell.
private let rootName: StaticString = "root"
private let noPassword: StaticString = "x"
private let rootHome: StaticString = "/"
private let rootShell: StaticString = "/bin/sh"
nonisolated(unsafe) private let rootEntry: UnsafeMutableRawPointer = {
    let p = UnsafeMutableRawPointer.allocate(byteCount: 48, alignment: 8)
    func string(_ s: StaticString) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(mutating: UnsafeRawPointer(s.utf8Start)) }
    p.storeBytes(of: string(rootName), toByteOffset: 0, as: UnsafeMutableRawPointer.self)
    p.storeBytes(of: string(noPassword), toByteOffset: 8, as: UnsafeMutableRawPointer.self)
    p.storeBytes(of: UInt32(0), toByteOffset: 16, as: UInt32.self)
    p.storeBytes(of: UInt32(0), toByteOffset: 20, as: UInt32.self)
    p.storeBytes(of: string(rootName), toByteOffset: 24, as: UnsafeMutableRawPointer.self)
    p.storeBytes(of: string(rootHome), toByteOffset: 32, as: UnsafeMutableRawPointer.self)
    p.storeBytes(of: string(rootShell), toByteOffset: 40, as: UnsafeMutableRawPointer.self)
    return p
}()

/// getpwuid (XSH): root's entry for uid 0; NULL with errno unchanged for any other (no such user).
@_cdecl("getpwuid")
public func getpwuid(_ uid: UInt32) -> UnsafeMutableRawPointer? { uid == 0 ? rootEntry : nil }

/// getpwnam (XSH): root's entry for "root"; NULL with errno unchanged for any other name.
@_cdecl("getpwnam")
public func getpwnam(_ name: UnsafePointer<CChar>) -> UnsafeMutableRawPointer? {
    let n = cStringBytes(name)
    return n.elementsEqual("root".utf8) ? rootEntry : nil
}
