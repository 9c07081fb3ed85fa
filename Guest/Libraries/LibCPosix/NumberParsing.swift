// NumberParsing.swift — the strtol and strtod families and their ato* shorthands (C11 7.22.1).
// Integers are parsed here; floating point by the Numbers module (LibCNumbers/CFormatting.swift:
// decimal and hexadecimal, INF/NAN, correctly rounded). strtold stays in LibC/varargs.c: it
// returns an x87 long double, which Swift cannot.
//
// SAFETY: `s` is the caller's NUL-terminated string; `end`, when not NULL, a place for one
// pointer (C11 7.22.1.4), set to a position inside `s`.

@_extern(c, "sv_strtod")
func numbersStrtod(_ s: UnsafePointer<CChar>, _ consumed: UnsafeMutablePointer<Int>, _ rangeError: UnsafeMutablePointer<Int32>) -> Double
@_extern(c, "sv_strtof")
func numbersStrtof(_ s: UnsafePointer<CChar>, _ consumed: UnsafeMutablePointer<Int>, _ rangeError: UnsafeMutablePointer<Int32>) -> Float

private let ERANGE: Int32 = 34
public typealias EndPointer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

/// A digit's value in bases up to 36 (letters in either case from 10), or 99.
private func digitValue(_ c: CChar) -> UInt64 {
    switch UInt8(bitPattern: c) {
    case 0x30...0x39: return UInt64(c - 0x30)
    case 0x41...0x5A: return UInt64(c - 0x41 + 10)
    case 0x61...0x7A: return UInt64(c - 0x61 + 10)
    default: return 99
    }
}

/// The subject sequence of C11 7.22.1.4: white space, a sign, "0x" (base 0 or 16: only when a
/// hex digit follows), digits of the base. Its magnitude (wrapped if it overflowed), its sign,
/// whether it overflowed 64 bits; `end` at the first byte after it, or at `s` if there were no
/// digits. A base other than 0 or 2…36 converts nothing (EINVAL; `end` untouched, as glibc).
private func parseInteger(_ s: UnsafePointer<CChar>, _ end: EndPointer?, _ base: Int32)
    -> (magnitude: UInt64, negative: Bool, overflow: Bool) {
    var p = s
    guard base == 0 || (base >= 2 && base <= 36) else {
        setErrno(EINVAL)
        return (0, false, false)
    }
    while isspace(Int32(p.pointee)) != 0 { p += 1 }
    var negative = false
    if p.pointee == 0x2B || p.pointee == 0x2D { negative = p.pointee == 0x2D; p += 1 }
    var radix = UInt64(base)
    if (base == 0 || base == 16) && p[0] == 0x30 && (p[1] | 0x20) == 0x78 && digitValue(p[2]) < 16 {
        p += 2
        radix = 16
    } else if base == 0 {
        radix = p[0] == 0x30 ? 8 : 10
    }
    let digits = p
    var value: UInt64 = 0, overflow = false
    while true {
        let d = digitValue(p.pointee)
        if d >= radix { break }
        let (product, o1) = value.multipliedReportingOverflow(by: radix)
        let (sum, o2) = product.addingReportingOverflow(d)
        overflow = overflow || o1 || o2
        value = sum
        p += 1
    }
    end?.pointee = UnsafeMutablePointer(mutating: p == digits ? s : p)
    return (value, negative, overflow)
}

/// strtoll: LLONG_MIN or LLONG_MAX with ERANGE when the value does not fit.
@_cdecl("strtoll")
public func strtoll(_ s: UnsafePointer<CChar>, _ end: EndPointer?, _ base: Int32) -> Int64 {
    let (v, negative, overflow) = parseInteger(s, end, base)
    if overflow || v > UInt64(Int64.max) + (negative ? 1 : 0) {
        setErrno(ERANGE)
        return negative ? Int64.min : Int64.max
    }
    return negative ? Int64(bitPattern: 0 &- v) : Int64(v)
}

/// strtoull: ULLONG_MAX with ERANGE on overflow; a '-' negates in unsigned arithmetic (C11).
@_cdecl("strtoull")
public func strtoull(_ s: UnsafePointer<CChar>, _ end: EndPointer?, _ base: Int32) -> UInt64 {
    let (v, negative, overflow) = parseInteger(s, end, base)
    if overflow { setErrno(ERANGE); return UInt64.max }
    return negative ? 0 &- v : v
}

// long is 64 bits here: strtol and strtoul are strtoll and strtoull.
@_cdecl("strtol")
public func strtol(_ s: UnsafePointer<CChar>, _ end: EndPointer?, _ base: Int32) -> Int { Int(strtoll(s, end, base)) }
@_cdecl("strtoul")
public func strtoul(_ s: UnsafePointer<CChar>, _ end: EndPointer?, _ base: Int32) -> UInt { UInt(strtoull(s, end, base)) }
@_cdecl("atoi")
public func atoi(_ s: UnsafePointer<CChar>) -> Int32 { Int32(truncatingIfNeeded: strtoll(s, nil, 10)) }
@_cdecl("atol")
public func atol(_ s: UnsafePointer<CChar>) -> Int { Int(strtoll(s, nil, 10)) }
@_cdecl("atoll")
public func atoll(_ s: UnsafePointer<CChar>) -> Int64 { strtoll(s, nil, 10) }

/// abs, labs (C11 7.22.6.1): the minimum's magnitude does not fit (undefined in C); it comes back
/// unchanged, as two's complement negation gives.
@_cdecl("abs")
public func abs(_ x: Int32) -> Int32 { x < 0 ? 0 &- x : x }
@_cdecl("labs")
public func labs(_ x: Int) -> Int { x < 0 ? 0 &- x : x }

@_cdecl("strtod")
public func strtod(_ s: UnsafePointer<CChar>, _ end: EndPointer?) -> Double {
    var consumed = 0, rangeError: Int32 = 0
    let v = numbersStrtod(s, &consumed, &rangeError)
    if rangeError != 0 { setErrno(ERANGE) }
    end?.pointee = UnsafeMutablePointer(mutating: s + consumed)
    return v
}

@_cdecl("strtof")
public func strtof(_ s: UnsafePointer<CChar>, _ end: EndPointer?) -> Float {
    var consumed = 0, rangeError: Int32 = 0
    let v = numbersStrtof(s, &consumed, &rangeError)
    if rangeError != 0 { setErrno(ERANGE) }
    end?.pointee = UnsafeMutablePointer(mutating: s + consumed)
    return v
}

@_cdecl("atof")
public func atof(_ s: UnsafePointer<CChar>) -> Double { strtod(s, nil) }
