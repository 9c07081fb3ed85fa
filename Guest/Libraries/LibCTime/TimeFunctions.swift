// TimeFunctions.swift — time.h's calendar calls on struct tm (C11 7.27.2.3, 7.27.3): gmtime,
// localtime, timegm, mktime and strftime over CalendarTime.swift's field arithmetic. The guest's
// time zone is UTC (README "C library"): localtime is gmtime, mktime is timegm.
//
// struct tm (LibC/include/time.h, glibc's x86-64 layout, 56 bytes): the nine int fields tm_sec …
// tm_isdst at 0…32 — the field array CalendarTime.swift works on, in the same order — then
// tm_gmtoff (long) at 40 and tm_zone (const char *) at 48.
// SAFETY: every `tm` below is the caller's struct tm (C11 7.27.1: "a pointer to a structure").

@_extern(c, "sv_errno") func timeErrnoLocation() -> UnsafeMutablePointer<Int32>

private let EOVERFLOW: Int32 = 75
private let zoneName: StaticString = "GMT"

/// The nine int fields at the start of struct tm.
@inline(__always) private func fields(_ tm: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Int32> {
    tm.assumingMemoryBound(to: Int32.self)
}

/// The fields after the nine ints: UTC's offset (0) and zone name.
private func setZone(_ tm: UnsafeMutableRawPointer) {
    tm.storeBytes(of: 0 as Int, toByteOffset: 40, as: Int.self)
    tm.storeBytes(of: UnsafeRawPointer(zoneName.utf8Start), toByteOffset: 48, as: UnsafeRawPointer.self)
}

/// gmtime_r (POSIX): NULL with EOVERFLOW when the year does not fit an int.
@_cdecl("gmtime_r")
public func gmtimeR(_ t: UnsafePointer<Int64>, _ result: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    // Into a copy first: on failure the caller's struct is left as it was.
    var copy: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
    let r = withUnsafeMutableBytes(of: &copy) { svGmtime(t.pointee, $0.baseAddress!.assumingMemoryBound(to: Int32.self)) }
    if r != 0 { timeErrnoLocation().pointee = EOVERFLOW; return nil }
    withUnsafeBytes(of: &copy) { result.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    setZone(result)
    return result
}

/// gmtime's and localtime's shared result (C11 7.27.3: a call may overwrite the previous one).
nonisolated(unsafe) private let staticTime = UnsafeMutableRawPointer.allocate(byteCount: 56, alignment: 8)

@_cdecl("gmtime")
public func gmtime(_ t: UnsafePointer<Int64>) -> UnsafeMutableRawPointer? { gmtimeR(t, staticTime) }
@_cdecl("localtime_r")
public func localtimeR(_ t: UnsafePointer<Int64>, _ result: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? { gmtimeR(t, result) }
@_cdecl("localtime")
public func localtime(_ t: UnsafePointer<Int64>) -> UnsafeMutableRawPointer? { gmtimeR(t, staticTime) }

/// timegm: the time of the (possibly out-of-range) fields, normalized in place; (time_t)-1 with
/// EOVERFLOW when the normalized year does not fit an int (the struct is then left as it was).
@_cdecl("timegm")
public func timegm(_ tm: UnsafeMutableRawPointer) -> Int64 {
    var ok: Int32 = 0
    let t = svTimegm(fields(tm), &ok)
    if ok == 0 { timeErrnoLocation().pointee = EOVERFLOW; return -1 }
    setZone(tm)
    return t
}

@_cdecl("mktime")
public func mktime(_ tm: UnsafeMutableRawPointer) -> Int64 { timegm(tm) }

@_cdecl("strftime")
public func strftime(_ s: UnsafeMutablePointer<UInt8>, _ max: Int, _ format: UnsafePointer<UInt8>, _ tm: UnsafeRawPointer) -> Int {
    svStrftime(s, max, format, tm.assumingMemoryBound(to: Int32.self))
}

/// difftime (C11 7.27.2.2).
@_cdecl("difftime")
public func difftime(_ end: Int64, _ start: Int64) -> Double { Double(end) - Double(start) }
