// CImports.swift — the C library functions this module's Swift calls (LibC/*.c), declared once.
// Pointers to C's FILE are opaque here; errno is reached through sv_errno (LibC/posix.c).

@_extern(c, "sv_errno") func errnoLocation() -> UnsafeMutablePointer<Int32>
@_extern(c, "write") func cWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int
@_extern(c, "open") func cOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: UInt32) -> Int32
@_extern(c, "close") func cClose(_ fd: Int32) -> Int32
@_extern(c, "dup2") func cDup2(_ fd: Int32, _ target: Int32) -> Int32
@_extern(c, "pipe") func cPipe(_ fds: UnsafeMutablePointer<Int32>) -> Int32
@_extern(c, "fork") func cFork() -> Int32
@_extern(c, "execv") func cExecv(_ path: UnsafePointer<CChar>, _ argv: UnsafePointer<UnsafePointer<CChar>?>) -> Int32
@_extern(c, "waitpid") func cWaitpid(_ pid: Int32, _ status: UnsafeMutablePointer<Int32>?, _ options: Int32) -> Int32
// _exit and abort do not return; C's noreturn has no Swift spelling here, so the callers follow
// each call with fatalError(), which is never reached.
@_extern(c, "_exit") func cExit(_ status: Int32)
@_extern(c, "abort") func cAbort()
@_extern(c, "fdopen") func cFdopen(_ fd: Int32, _ mode: UnsafePointer<CChar>) -> OpaquePointer?
@_extern(c, "fclose") func cFclose(_ file: OpaquePointer) -> Int32
@_extern(c, "fflush") func cFflush(_ file: OpaquePointer?) -> Int32
@_extern(c, "fileno") func cFileno(_ file: OpaquePointer) -> Int32
@_extern(c, "clearerr") func cClearerr(_ file: OpaquePointer)

// Linux's values (LibC/include/errno.h, fcntl.h).
let EINVAL: Int32 = 22, EMFILE: Int32 = 24, EILSEQ: Int32 = 84, ECHILD: Int32 = 10, EINTR: Int32 = 4
let O_RDONLY: Int32 = 0, O_WRONLY: Int32 = 1, O_RDWR: Int32 = 2, O_CREAT: Int32 = 0o100,
    O_TRUNC: Int32 = 0o1000, O_APPEND: Int32 = 0o2000

func setErrno(_ code: Int32) { errnoLocation().pointee = code }

/// A NUL-terminated C string's bytes.
func cStringBytes(_ s: UnsafePointer<CChar>) -> UnsafeBufferPointer<UInt8> {
    var n = 0
    while s[n] != 0 { n += 1 }
    return UnsafeBufferPointer(start: UnsafeRawPointer(s).assumingMemoryBound(to: UInt8.self), count: n)
}
