// BinaryFormat.swift — the parameters of the IEEE 754-2008 binary interchange formats we convert
// to and from (§3.6 table 3.5): binary64 (double) and binary32 (float).

struct BinaryFormat {
    /// p: significand precision in bits, including the hidden bit.
    let precision: Int
    /// emin: the exponent of the smallest normal number (2^emin).
    let minExponent: Int
    /// emax: the exponent of the largest finite number's leading bit.
    let maxExponent: Int
    /// A decimal x < 10^d with d > this bound always overflows; used to skip the big arithmetic.
    let overflowDecimalExponent: Int
    /// A decimal x < 10^d with d < this bound always rounds to zero (x < 2^(emin-p), half the
    /// smallest subnormal).
    let zeroDecimalExponent: Int

    var bias: Int { maxExponent }
    var exponentBits: Int { maxExponent.bitWidth - (maxExponent.leadingZeroBitCount) + 1 }
    /// The encoding of +infinity.
    var infinityBits: UInt64 { UInt64((2 * maxExponent + 1)) << UInt64(precision - 1) }
    var fractionMask: UInt64 { (1 << UInt64(precision - 1)) - 1 }

    static let binary64 = BinaryFormat(precision: 53, minExponent: -1022, maxExponent: 1023,
                                       overflowDecimalExponent: 310, zeroDecimalExponent: -325)
    static let binary32 = BinaryFormat(precision: 24, minExponent: -126, maxExponent: 127,
                                       overflowDecimalExponent: 40, zeroDecimalExponent: -47)
}

/// A conversion's result before the sign is applied: the IEEE encoding of |x| and whether C11
/// 7.22.1.3p10 (ERANGE) applies — overflow, or a tiny inexact result (tininess detected after
/// rounding, as glibc does on x86).
struct RoundedBinary {
    var bits: UInt64
    var rangeError: Bool
}
