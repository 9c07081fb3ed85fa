// IntegerConversions.swift — inttypes.h's intmax_t functions (C11 7.8.2): intmax_t is long long
// here (64 bits), so strtoimax and strtoumax are strtoll and strtoull. And unistd.h's fdatasync.


/// imaxabs (C11 7.8.2.1): |j|; INTMAX_MIN has no positive counterpart (undefined in C) and is
/// returned unchanged, as two's complement negation gives.
@_cdecl("imaxabs")
public func imaxabs(_ j: Int64) -> Int64 { j < 0 ? 0 &- j : j }

@_cdecl("strtoimax")
public func strtoimax(_ s: UnsafePointer<CChar>, _ end: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ base: Int32) -> Int64 {
    strtoll(s, end, base)
}

@_cdecl("strtoumax")
public func strtoumax(_ s: UnsafePointer<CChar>, _ end: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ base: Int32) -> UInt64 {
    strtoull(s, end, base)
}

/// fdatasync (XSH): fsync — the file server makes everything written through the descriptor
/// durable, which includes the data fdatasync asks for.
@_cdecl("fdatasync")
public func fdatasync(_ fd: Int32) -> Int32 { cFsync(fd) }
