// StdioExtras.swift — the stdio and string calls POSIX programs (Lua's LUA_USE_POSIX build among
// them) expect beyond Streams.swift: 64-bit-offset seeks, the unlocked and locking variants (a
// process here is one thread: the locks are no-ops, as with glibc in a program without threads),
// temporary files, setvbuf, and strpbrk/strcoll.


// off_t is 64 bits, as long is: fseeko and ftello are fseek and ftell (POSIX).
@_cdecl("fseeko")
public func fseeko(_ file: OpaquePointer, _ offset: Int64, _ whence: Int32) -> Int32 { cFseek(file, Int(offset), whence) }
@_cdecl("ftello")
public func ftello(_ file: OpaquePointer) -> Int64 { Int64(cFtell(file)) }

@_cdecl("getc_unlocked")
public func getcUnlocked(_ file: OpaquePointer) -> Int32 { cFgetc(file) }
@_cdecl("putc_unlocked")
public func putcUnlocked(_ c: Int32, _ file: OpaquePointer) -> Int32 { cFputc(c, file) }
@_cdecl("flockfile")
public func flockfile(_ file: OpaquePointer) {}
@_cdecl("funlockfile")
public func funlockfile(_ file: OpaquePointer) {}
@_cdecl("ftrylockfile")
public func ftrylockfile(_ file: OpaquePointer) -> Int32 { 0 }

/// setbuf (C11 7.21.5.5): setvbuf with _IOFBF, or _IONBF for a null buffer.
@_cdecl("setbuf")
public func setbuf(_ file: OpaquePointer, _ buffer: UnsafeMutablePointer<CChar>?) {
    _ = setvbuf(file, buffer, buffer == nil ? 2 : 0, 4096)
}

/// setlinebuf (BSD, glibc): setvbuf with _IOLBF.
@_cdecl("setlinebuf")
public func setlinebuf(_ file: OpaquePointer) {
    _ = setvbuf(file, nil, 1, 0)
}

/// Where temporary names come from: the process id and a counter, so names differ between
/// processes and calls (and an existing file is skipped: O_EXCL, or access).
nonisolated(unsafe) private var temporaryCounter: UInt32 = 0
private let nameLetters: StaticString = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

private func fillUnique(_ six: UnsafeMutablePointer<CChar>) {
    temporaryCounter &+= 1
    var x = UInt64(UInt32(bitPattern: cGetpid())) &* 0x9E37_79B9 &+ UInt64(temporaryCounter) &* 0x85EB_CA6B
    let letters = nameLetters.utf8Start
    for i in 0..<6 {
        six[i] = CChar(bitPattern: letters[Int(x % 62)])
        x /= 62
    }
}

/// mkstemp (POSIX): the template's trailing "XXXXXX" replaced until a new file can be created
/// (O_RDWR | O_CREAT | O_EXCL, mode 0600); its descriptor, or -1 (EINVAL for a template without
/// the six X's, EEXIST after 1000 names, or open's errno).
@_cdecl("mkstemp")
public func mkstemp(_ template: UnsafeMutablePointer<CChar>) -> Int32 {
    let n = cStringBytes(template).count
    guard n >= 6, (n - 6..<n).allSatisfy({ template[$0] == 0x58 }) else { setErrno(EINVAL); return -1 }
    for _ in 0..<1000 {
        fillUnique(template + (n - 6))
        let fd = cOpen(template, O_RDWR | O_CREAT | 0o200 /* O_EXCL */, 0o600)
        if fd >= 0 || errnoLocation().pointee != 17 /* EEXIST */ { return fd }
    }
    return -1
}

/// tmpfile (C11 7.21.4.3): a new file opened "w+", removed at once so it goes when it is closed
/// (the file server keeps an unlinked file while it is open: docs/FILES.md).
@_cdecl("tmpfile")
public func tmpfile() -> OpaquePointer? {
    var name: [CChar] = Array("/tmp/tmpfile-XXXXXX".utf8CString)
    let fd = name.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { return nil }
    _ = name.withUnsafeBufferPointer { cUnlink($0.baseAddress!) }
    let mode: StaticString = "w+"
    guard let file = cFdopen(fd, UnsafeRawPointer(mode.utf8Start).assumingMemoryBound(to: CChar.self)) else {
        _ = cClose(fd); return nil
    }
    return file
}

/// tmpnam's own buffer (L_tmpnam bytes), allocated once and never freed.
nonisolated(unsafe) private let tmpnamBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: 20)

/// tmpnam (C11 7.21.4.4): "/tmp/tmp-XXXXXX" with a name no file has yet, written to `s` (at
/// least L_tmpnam bytes) or to a static buffer; NULL if no such name is found.
@_cdecl("tmpnam")
public func tmpnam(_ s: UnsafeMutablePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    let prefix = Array("/tmp/tmp-".utf8)
    func attempt(_ out: UnsafeMutablePointer<CChar>) -> Bool {
        for (i, b) in prefix.enumerated() { out[i] = CChar(bitPattern: b) }
        fillUnique(out + prefix.count)
        out[prefix.count + 6] = 0
        return cAccess(out, 0) != 0   // F_OK: no such file yet
    }
    let out = s ?? tmpnamBuffer
    for _ in 0..<1000 where attempt(out) { return out }
    return nil
}

/// strpbrk (C11 7.24.5.4): the first byte of `s` that is in `accept`, or NULL.
@_cdecl("strpbrk")
public func strpbrk(_ s: UnsafePointer<CChar>, _ accept: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? {
    let set = cStringBytes(accept)
    var p = s
    while p.pointee != 0 {
        if set.contains(UInt8(bitPattern: p.pointee)) { return UnsafeMutablePointer(mutating: p) }
        p += 1
    }
    return nil
}

/// strcoll (C11 7.24.4.3): in the "C" locale, the order of strcmp (unsigned bytes).
@_cdecl("strcoll")
public func strcoll(_ a: UnsafePointer<CChar>, _ b: UnsafePointer<CChar>) -> Int32 {
    var i = 0
    while true {
        let x = UInt8(bitPattern: a[i]), y = UInt8(bitPattern: b[i])
        if x != y || x == 0 { return Int32(x) - Int32(y) }
        i += 1
    }
}
