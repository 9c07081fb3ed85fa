// Ceil.swift — ceil(3), the one libm function the standard library calls here (Dictionary and Set
// size their storage with it). By bit manipulation (IEEE 754 binary64): no libm in the guest.

@_cdecl("ceil")
public func ceil(_ x: Double) -> Double {
    let bits = x.bitPattern
    let exponent = Int((bits >> 52) & 0x7ff) - 1023
    if exponent >= 52 { return x }                      // already an integer, or inf/NaN
    if exponent < 0 {                                    // |x| < 1
        if bits & 0x7fff_ffff_ffff_ffff == 0 { return x } // ±0
        return bits >> 63 != 0 ? -0.0 : 1.0
    }
    let fraction: UInt64 = (1 << UInt64(52 - exponent)) - 1
    if bits & fraction == 0 { return x }
    let truncated = Double(bitPattern: bits & ~fraction)
    return bits >> 63 != 0 ? truncated : truncated + 1
}
