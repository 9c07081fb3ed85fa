// CImports.swift — what this module's Swift calls in C (LibC/*.c, UserLib's bridge), declared once.
// The C library's own functions written here in Swift are called by their Swift names (c + the C
// name: cOpen, cRead…). Pointers to C's FILE are opaque; errno is reached through sv_errno
// (LibC/exports.c).

@_extern(c, "sv_errno") func errnoLocation() -> UnsafeMutablePointer<Int32>
// UserLib's standard output (bridge.h): C's and Swift's output in one buffer, in order.
@_extern(c, "sv_stdout_write") func standardOutputWrite(_ buffer: UnsafeRawPointer, _ length: Int)
@_extern(c, "sv_stdout_flush") func standardOutputFlush()

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

// The C library's allocator (LibC/memory.c; free: UserRuntime/runtime.c). Swift reserves the names
// malloc and free for its runtime, so this module allocates what C frees through posix_memalign,
// as malloc does, and frees with deallocate, which is free.
@_extern(c, "posix_memalign")
func cPosixMemalign(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int) -> Int32
@_extern(c, "realloc") func realloc(_ p: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer?

/// malloc: a 16-byte aligned block, or nil with ENOMEM.
func cMalloc(_ size: Int) -> UnsafeMutableRawPointer? {
    var p: UnsafeMutableRawPointer? = nil
    if cPosixMemalign(&p, 16, size == 0 ? 1 : size) != 0 { setErrno(12 /* ENOMEM */); return nil }
    return p
}

/// free.
func cFree(_ p: UnsafeMutableRawPointer?) { p?.deallocate() }
@_extern(c, "memset") func cMemset(_ p: UnsafeMutableRawPointer, _ c: Int32, _ n: Int) -> UnsafeMutableRawPointer
