// Users.swift — user and group ids, the user database and ownership (LibC/include/unistd.h, pwd.h):
// every process runs as root, the system's only account; the file system keeps no owners (every
// file reports uid and gid 0), so chown can only keep a file's owner as it is.


private let EPERM: Int32 = 1
/// Bytes enough for the C library's struct stat (64), so these calls need not know its layout.
let statBufferSize = 128

@_cdecl("getuid")
public func getuid() -> UInt32 { 0 }
@_cdecl("geteuid")
public func geteuid() -> UInt32 { 0 }
@_cdecl("getgid")
public func getgid() -> UInt32 { 0 }
@_cdecl("getegid")
public func getegid() -> UInt32 { 0 }

/// An owner or group of 0 (root) or -1 ("leave it": XSH chown) is what the file has already: 0 once
/// the file is found; any other id, EPERM (the file system cannot record it).
private func keepsOwner(_ owner: UInt32, _ group: UInt32) -> Bool {
    (owner == 0 || owner == UInt32.max) && (group == 0 || group == UInt32.max)
}

func withStatBuffer(_ body: (UnsafeMutableRawPointer) -> Int32) -> Int32 {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: statBufferSize, alignment: 8)
    defer { buffer.deallocate() }
    return body(buffer)
}

@_cdecl("chown")
public func chown(_ path: UnsafePointer<CChar>, _ owner: UInt32, _ group: UInt32) -> Int32 {
    guard withStatBuffer({ cStat(path, $0) }) == 0 else { return -1 }
    guard keepsOwner(owner, group) else { setErrno(EPERM); return -1 }
    return 0
}
/// No symbolic links: lchown is chown.
@_cdecl("lchown")
public func lchown(_ path: UnsafePointer<CChar>, _ owner: UInt32, _ group: UInt32) -> Int32 { chown(path, owner, group) }
@_cdecl("fchown")
public func fchown(_ fd: Int32, _ owner: UInt32, _ group: UInt32) -> Int32 {
    guard withStatBuffer({ cFstat(fd, $0) }) == 0 else { return -1 }
    guard keepsOwner(owner, group) else { setErrno(EPERM); return -1 }
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
