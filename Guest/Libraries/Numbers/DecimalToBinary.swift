// DecimalToBinary.swift — correctly rounded decimal -> binary (strtod/strtof's core).
//
// x = D × 10^E, D given as decimal digits. Three paths, each exact where it answers:
// 1. Clinger, "How to read floating point numbers accurately" (PLDI 1990): when D and 10^|E|
//    are both exact in the target format, one IEEE multiplication or division (IEEE 754 §4.3:
//    correctly rounded) is the answer.
// 2. The 128-bit product with a bounded error (PowerTable.swift), when it decides the rounding.
// 3. The exact path: x = A/B · 2^k with big integers A, B (powers of five only; the powers of
//    two go into k); after scaling A/B into [1, 2), two steps of long division give 64 more
//    quotient bits, and with the remainder a guard, a second and a sticky bit: round to
//    nearest, ties to even (IEEE 754 §4.3.1), subnormals, overflow and ERANGE.
// Inputs longer than `maxSignificantDigits` keep a sticky digit (ParseNumber.swift).

/// Decimal significant digits of a halfway point between two doubles: at most 767, so keeping
/// 800 digits plus a sticky nonzero digit decides every rounding exactly.
let maxSignificantDigits = 800

/// Exact powers of ten as doubles/floats for Clinger's fast path (5^22 < 2^53 makes 10^22 the
/// largest exact one in binary64; 5^10 < 2^24 makes it 10^10 in binary32).
let exactPowersOf10: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
let exactFloatPowersOf10: [Float] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

/// |x| for x = digits × 10^exponent (digits: values 0…9, the first nonzero; at least one).
/// `leading` is the value of the first min(19, count) digits, for the fast path.
func decimalToBinary(digits: [UInt8], exponent: Int, leading: UInt64,
                     format: BinaryFormat) -> RoundedBinary {
    let count = digits.count
    // Clinger's fast path: D exact (< 2^p) and 10^|E| exact.
    if count <= 19 {
        if format.precision == 53, leading < (1 << 53), exponent >= -22, exponent <= 22 {
            let d = Double(leading)
            let v = exponent >= 0 ? d * exactPowersOf10[exponent] : d / exactPowersOf10[-exponent]
            return RoundedBinary(bits: v.bitPattern, rangeError: false)
        }
        if format.precision == 24, leading < (1 << 24), exponent >= -10, exponent <= 10 {
            let d = Float(leading)
            let v = exponent >= 0 ? d * exactFloatPowersOf10[exponent]
                                  : d / exactFloatPowersOf10[-exponent]
            return RoundedBinary(bits: UInt64(v.bitPattern), rangeError: false)
        }
    }
    // The 128-bit product, for the digits (or, beyond 19 digits, for both ends of the interval
    // [w, w+1)·10^q the first 19 digits give): when it decides, that is the rounding.
    if count <= 19 {
        if let r = productRounding(leading, exponent, format: format) { return r }
    } else {
        let q = exponent + count - 19
        if let r1 = productRounding(leading, q, format: format),
           let r2 = productRounding(leading + 1, q, format: format), r1.bits == r2.bits {
            return r1
        }
    }
    // x < 10^decimalPoint and x >= 10^(decimalPoint-1).
    let decimalPoint = count + exponent
    if decimalPoint > format.overflowDecimalExponent {
        return RoundedBinary(bits: format.infinityBits, rangeError: true)
    }
    if decimalPoint < format.zeroDecimalExponent {
        return RoundedBinary(bits: 0, rangeError: true)
    }
    // A = D, B = 1; 10^E = 5^E · 2^E: the power of five goes into A or B, the power of two into k.
    var a = BigUInt(0)
    a.limbs.reserveCapacity(count / 9 + 4)
    var i = 0
    while i < count {
        let n = min(9, count - i)
        var chunk: UInt32 = 0, scale: UInt32 = 1
        for j in i..<(i + n) { chunk = chunk * 10 + UInt32(digits[j]); scale *= 10 }
        a.multiply(by: scale, adding: chunk)
        i += n
    }
    var b = BigUInt(1)
    if exponent >= 0 { a.multiplyByPowerOf5(exponent) } else { b.multiplyByPowerOf5(-exponent) }
    return roundQuotient(a, b, twoExponent: exponent, format: format)
}

/// Round x = a/b · 2^twoExponent (a, b > 0) to the format. After scaling a/b into [1, 2), 64
/// more quotient bits by two steps of long division give the significand (at most 53 bits), a
/// guard bit, a second bit (for tininess) and, with the remainder, the sticky bit.
func roundQuotient(_ a0: BigUInt, _ b0: BigUInt, twoExponent: Int,
                   format: BinaryFormat) -> RoundedBinary {
    var a = a0, b = b0
    // Align so that a/b is in [1, 2): x = a/b · 2^e2; then normalise b's top limb.
    let la = a.bitLength, lb = b.bitLength
    var e2 = twoExponent + (la - lb)
    if la < lb { a.shiftLeft(lb - la) } else if lb < la { b.shiftLeft(la - lb) }
    if BigUInt.compare(a, b) < 0 { a.double(); e2 -= 1 }
    let normalise = b.limbs[b.limbs.count - 1].leadingZeroBitCount
    a.shiftLeft(normalise)
    b.shiftLeft(normalise)

    let p = format.precision
    if e2 > format.maxExponent { return RoundedBinary(bits: format.infinityBits, rangeError: true) }
    // Significand bits available at this exponent: p for normals, fewer for subnormals.
    let bitCount = e2 >= format.minExponent ? p : p - (format.minExponent - e2)
    if bitCount < 0 {
        // x < 2^(emin-p), below half the smallest subnormal.
        return RoundedBinary(bits: 0, rangeError: true)
    }
    // a/b = 1.f (f: 64 fraction bits) + remainder.
    a.subtract(b)
    let high = UInt64(a.shiftAndDivide(by: b))
    let low = UInt64(a.shiftAndDivide(by: b))
    let f = high << 32 | low
    var mantissa: UInt64, guardBit: Bool, secondBit: Bool, rest: Bool
    if bitCount == 0 {
        mantissa = 0
        guardBit = true
        secondBit = f >> 63 == 1
        rest = f << 1 != 0
    } else {
        let g = UInt64(64 - bitCount)  // the guard bit's index in f (>= 11)
        mantissa = (1 << UInt64(bitCount - 1)) | (f >> (g + 1))
        guardBit = (f >> g) & 1 == 1
        secondBit = (f >> (g - 1)) & 1 == 1
        rest = f & ((1 << (g - 1)) - 1) != 0
    }
    let sticky = secondBit || rest || !a.isZero
    let inexact = guardBit || sticky
    let truncated = mantissa
    if guardBit && (sticky || mantissa & 1 == 1) { mantissa += 1 }

    if e2 >= format.minExponent {
        // Normal: the hidden bit carries into the exponent field, as does a rounding carry.
        let bits = (UInt64(e2 + format.bias - 1) << UInt64(p - 1)) + mantissa
        if bits >= format.infinityBits {
            return RoundedBinary(bits: format.infinityBits, rangeError: true)
        }
        return RoundedBinary(bits: bits, rangeError: false)
    }
    // Subnormal (exponent field 0); a carry to 2^(p-1) is the smallest normal, as encoded.
    // ERANGE for an inexact tiny result, tininess detected after rounding (glibc on x86): x is
    // not tiny if rounding it to p bits with an unbounded exponent gives 2^emin, which needs
    // e2 = emin-1, the p bits (p-1 kept + guard) all ones and the next bit set.
    var tiny = true
    if e2 == format.minExponent - 1, truncated == (UInt64(1) << UInt64(p - 1)) - 1,
       guardBit, secondBit {
        tiny = false
    }
    return RoundedBinary(bits: mantissa, rangeError: inexact && tiny)
}
