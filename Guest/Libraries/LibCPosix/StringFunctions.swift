// StringFunctions.swift — <string.h> beyond the freestanding five (Freestanding/string.c keeps
// memset, memcpy, memmove, memcmp and strlen: the compiler itself emits calls to them, so they are
// built as C with -fno-builtin, where no optimizer can turn their loops back into calls to
// themselves). C11 7.24; comparisons are of unsigned bytes (7.24.4).
//
// SAFETY (the whole file): every pointer is the C caller's and, as C11 7.24.1 requires, points at
// a NUL-terminated string or at `n` accessible bytes; these functions read no further than that.

@_extern(c, "strlen") func cStrlen(_ s: UnsafePointer<CChar>) -> Int
@_extern(c, "memcpy") func cMemcpy(_ to: UnsafeMutableRawPointer, _ from: UnsafeRawPointer, _ n: Int) -> UnsafeMutableRawPointer

/// The byte at `p[i]` as C compares it: unsigned.
@inline(__always) private func byte(_ p: UnsafePointer<CChar>, _ i: Int) -> Int32 { Int32(UInt8(bitPattern: p[i])) }

@_cdecl("memchr")
public func memchr(_ s: UnsafeRawPointer, _ c: Int32, _ n: Int) -> UnsafeMutableRawPointer? {
    let target = UInt8(truncatingIfNeeded: c), bytes = s.assumingMemoryBound(to: UInt8.self)
    var i = 0
    while i < n {
        if bytes[i] == target { return UnsafeMutableRawPointer(mutating: s + i) }
        i += 1
    }
    return nil
}

@_cdecl("strnlen")
public func strnlen(_ s: UnsafePointer<CChar>, _ max: Int) -> Int {
    var n = 0
    while n < max && s[n] != 0 { n += 1 }
    return n
}

@_cdecl("strcmp")
public func strcmp(_ a: UnsafePointer<CChar>, _ b: UnsafePointer<CChar>) -> Int32 {
    var i = 0
    while a[i] != 0 && a[i] == b[i] { i += 1 }
    return byte(a, i) - byte(b, i)
}

@_cdecl("strncmp")
public func strncmp(_ a: UnsafePointer<CChar>, _ b: UnsafePointer<CChar>, _ n: Int) -> Int32 {
    var i = 0
    while i < n {
        if a[i] != b[i] || a[i] == 0 { return byte(a, i) - byte(b, i) }
        i += 1
    }
    return 0
}

/// ASCII lower case, as tolower in the "C" locale.
@inline(__always) private func lower(_ c: Int32) -> Int32 { c >= 0x41 && c <= 0x5A ? c + 32 : c }

/// strcasecmp, strncasecmp (POSIX <strings.h>): compared as if lower-cased ("C" locale).
@_cdecl("strcasecmp")
public func strcasecmp(_ a: UnsafePointer<CChar>, _ b: UnsafePointer<CChar>) -> Int32 {
    var i = 0
    while a[i] != 0 && lower(byte(a, i)) == lower(byte(b, i)) { i += 1 }
    return lower(byte(a, i)) - lower(byte(b, i))
}

@_cdecl("strncasecmp")
public func strncasecmp(_ a: UnsafePointer<CChar>, _ b: UnsafePointer<CChar>, _ n: Int) -> Int32 {
    var i = 0
    while i < n {
        let x = lower(byte(a, i)), y = lower(byte(b, i))
        if x != y || a[i] == 0 { return x - y }
        i += 1
    }
    return 0
}

@_cdecl("strcpy")
public func strcpy(_ to: UnsafeMutablePointer<CChar>, _ from: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar> {
    var i = 0
    while true {
        to[i] = from[i]
        if from[i] == 0 { return to }
        i += 1
    }
}

/// strncpy (C11 7.24.2.4): at most n bytes; a shorter source is padded with NULs to n, a longer
/// one is not terminated.
@_cdecl("strncpy")
public func strncpy(_ to: UnsafeMutablePointer<CChar>, _ from: UnsafePointer<CChar>, _ n: Int) -> UnsafeMutablePointer<CChar> {
    var i = 0
    while i < n && from[i] != 0 { to[i] = from[i]; i += 1 }
    while i < n { to[i] = 0; i += 1 }
    return to
}

@_cdecl("strcat")
public func strcat(_ to: UnsafeMutablePointer<CChar>, _ from: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar> {
    _ = strcpy(to + cStrlen(to), from)
    return to
}

/// strncat (C11 7.24.3.2): at most n bytes of `from`, always terminated.
@_cdecl("strncat")
public func strncat(_ to: UnsafeMutablePointer<CChar>, _ from: UnsafePointer<CChar>, _ n: Int) -> UnsafeMutablePointer<CChar> {
    let end = to + cStrlen(to)
    var i = 0
    while i < n && from[i] != 0 { end[i] = from[i]; i += 1 }
    end[i] = 0
    return to
}

/// strchr (C11 7.24.5.2): the terminating NUL counts as part of the string, so strchr(s, 0)
/// finds it.
@_cdecl("strchr")
public func strchr(_ s: UnsafePointer<CChar>, _ c: Int32) -> UnsafeMutablePointer<CChar>? {
    let target = CChar(truncatingIfNeeded: c)
    var i = 0
    while true {
        if s[i] == target { return UnsafeMutablePointer(mutating: s + i) }
        if s[i] == 0 { return nil }
        i += 1
    }
}

@_cdecl("strrchr")
public func strrchr(_ s: UnsafePointer<CChar>, _ c: Int32) -> UnsafeMutablePointer<CChar>? {
    let target = CChar(truncatingIfNeeded: c)
    var last: UnsafeMutablePointer<CChar>? = nil
    var i = 0
    while true {
        if s[i] == target { last = UnsafeMutablePointer(mutating: s + i) }
        if s[i] == 0 { return last }
        i += 1
    }
}

@_cdecl("strstr")
public func strstr(_ haystack: UnsafePointer<CChar>, _ needle: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? {
    let n = cStrlen(needle)
    if n == 0 { return UnsafeMutablePointer(mutating: haystack) }
    var p = haystack
    while p.pointee != 0 {
        if p.pointee == needle.pointee && strncmp(p, needle, n) == 0 { return UnsafeMutablePointer(mutating: p) }
        p += 1
    }
    return nil
}

/// strspn/strcspn (C11 7.24.5.3, .6): the length of the prefix made of bytes in (not in) `set`.
private func span(_ s: UnsafePointer<CChar>, _ set: UnsafePointer<CChar>, accepting: Bool) -> Int {
    var n = 0
    while s[n] != 0 && (strchr(set, Int32(s[n])) != nil) == accepting { n += 1 }
    return n
}

@_cdecl("strspn")
public func strspn(_ s: UnsafePointer<CChar>, _ accept: UnsafePointer<CChar>) -> Int { span(s, accept, accepting: true) }

@_cdecl("strcspn")
public func strcspn(_ s: UnsafePointer<CChar>, _ reject: UnsafePointer<CChar>) -> Int { span(s, reject, accepting: false) }

/// Where strtok goes on from (C11 7.24.5.8: the function keeps it between calls).
nonisolated(unsafe) private var tokenNext: UnsafeMutablePointer<CChar>? = nil

@_cdecl("strtok")
public func strtok(_ s: UnsafeMutablePointer<CChar>?, _ delimiters: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? {
    if let s { tokenNext = s }
    guard var next = tokenNext else { return nil }
    next += strspn(next, delimiters)
    if next.pointee == 0 { tokenNext = nil; return nil }
    let token = next
    next += strcspn(next, delimiters)
    if next.pointee != 0 { next.pointee = 0; tokenNext = next + 1 } else { tokenNext = nil }
    return token
}

/// strndup (POSIX): a malloc'd copy of at most n bytes, terminated; NULL (ENOMEM) if out of memory.
@_cdecl("strndup")
public func strndup(_ s: UnsafePointer<CChar>, _ n: Int) -> UnsafeMutablePointer<CChar>? {
    let length = strnlen(s, n)
    guard let copy = cMalloc(length + 1)?.assumingMemoryBound(to: CChar.self) else { return nil }
    _ = cMemcpy(copy, s, length)
    copy[length] = 0
    return copy
}

@_cdecl("strdup")
public func strdup(_ s: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? { strndup(s, cStrlen(s)) }

/// glibc's messages for Linux's error numbers 0…133 (string/errlist.h), so a program's
/// diagnostics read as on the host; "" where Linux has no such number (41, 58).
private let errorMessages: [StaticString] = [
    "Success", "Operation not permitted", "No such file or directory", "No such process",
    "Interrupted system call", "Input/output error", "No such device or address", "Argument list too long",
    "Exec format error", "Bad file descriptor", "No child processes", "Resource temporarily unavailable",
    "Cannot allocate memory", "Permission denied", "Bad address", "Block device required",
    "Device or resource busy", "File exists", "Invalid cross-device link", "No such device",
    "Not a directory", "Is a directory", "Invalid argument", "Too many open files in system",
    "Too many open files", "Inappropriate ioctl for device", "Text file busy", "File too large",
    "No space left on device", "Illegal seek", "Read-only file system", "Too many links", "Broken pipe",
    "Numerical argument out of domain", "Numerical result out of range", "Resource deadlock avoided",
    "File name too long", "No locks available", "Function not implemented", "Directory not empty",
    "Too many levels of symbolic links", "", "No message of desired type", "Identifier removed",
    "Channel number out of range", "Level 2 not synchronized", "Level 3 halted", "Level 3 reset",
    "Link number out of range", "Protocol driver not attached", "No CSI structure available",
    "Level 2 halted", "Invalid exchange", "Invalid request descriptor", "Exchange full", "No anode",
    "Invalid request code", "Invalid slot", "", "Bad font file format", "Device not a stream",
    "No data available", "Timer expired", "Out of streams resources", "Machine is not on the network",
    "Package not installed", "Object is remote", "Link has been severed", "Advertise error", "Srmount error",
    "Communication error on send", "Protocol error", "Multihop attempted", "RFS specific error",
    "Bad message", "Value too large for defined data type", "Name not unique on network",
    "File descriptor in bad state", "Remote address changed", "Can not access a needed shared library",
    "Accessing a corrupted shared library", ".lib section in a.out corrupted",
    "Attempting to link in too many shared libraries", "Cannot exec a shared library directly",
    "Invalid or incomplete multibyte or wide character", "Interrupted system call should be restarted",
    "Streams pipe error", "Too many users", "Socket operation on non-socket", "Destination address required",
    "Message too long", "Protocol wrong type for socket", "Protocol not available", "Protocol not supported",
    "Socket type not supported", "Operation not supported", "Protocol family not supported",
    "Address family not supported by protocol", "Address already in use", "Cannot assign requested address",
    "Network is down", "Network is unreachable", "Network dropped connection on reset",
    "Software caused connection abort", "Connection reset by peer", "No buffer space available",
    "Transport endpoint is already connected", "Transport endpoint is not connected",
    "Cannot send after transport endpoint shutdown", "Too many references: cannot splice",
    "Connection timed out", "Connection refused", "Host is down", "No route to host",
    "Operation already in progress", "Operation now in progress", "Stale file handle",
    "Structure needs cleaning", "Not a XENIX named type file", "No XENIX semaphores available",
    "Is a named type file", "Remote I/O error", "Disk quota exceeded", "No medium found", "Wrong medium type",
    "Operation canceled", "Required key not available", "Key has expired", "Key has been revoked",
    "Key was rejected by service", "Owner died", "State not recoverable",
    "Operation not possible due to RF-kill", "Memory page has hardware error",
]

/// strerror's buffer for a number without a message ("Unknown error N"; the next call may reuse it).
nonisolated(unsafe) private let unknownError = UnsafeMutablePointer<CChar>.allocate(capacity: 32)

/// strerror (C11 7.24.6.2): glibc's message, or glibc's "Unknown error N". The string must not be
/// changed by the program (C11: "shall not be modified").
@_cdecl("strerror")
public func strerror(_ e: Int32) -> UnsafeMutablePointer<CChar> {
    if e >= 0 && Int(e) < errorMessages.count && errorMessages[Int(e)].utf8CodeUnitCount > 0 {
        return UnsafeMutableRawPointer(mutating: errorMessages[Int(e)].utf8Start).assumingMemoryBound(to: CChar.self)
    }
    var n = 0
    for b in "Unknown error \(e)".utf8 where n < 31 { unknownError[n] = CChar(bitPattern: b); n += 1 }
    unknownError[n] = 0
    return unknownError
}
