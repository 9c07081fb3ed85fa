// LeadingDigits.swift — a shortcut for %e/%g with at most 17 significant digits of a value with
// a large negative binary exponent (tiny numbers, where the full exact expansion has hundreds
// of digits): floor(v·10^K) for a K giving n+1 or n+2 digits, computed exactly as
// m·5^K / 2^(q-K) (q = -e), plus a sticky digit when the division leaves a remainder. Rounding
// to n digits looks only at the next digit and whether anything nonzero follows, so this gives
// the same result as the full expansion (Steele & White's fixed-format scaling, with a
// power-of-two divisor).

/// floor(log10(2)·x) for |x| < 2^20 (78913/2^18 is log10(2) to within 1e-6; callers check).
@inline(__always) func floorLog10Pow2(_ x: Int) -> Int { (x * 78913) >> 18 }

/// The first n+1 or n+2 digits of m·2^e (e < 0, m > 0), n <= 17, with a trailing sticky 1 if
/// digits were dropped; nil when the shortcut does not apply (use exactDecimal).
func leadingDecimal(significand m: UInt64, exponent e: Int, significant n: Int) -> DecimalDigits? {
    guard n >= 1, n <= 17, m != 0 else { return nil }
    if e >= 0 { return leadingDecimalOfInteger(significand: m, exponent: e, significant: n) }
    let q = -e
    let bits = 64 - m.leadingZeroBitCount
    var k = n + 1 - floorLog10Pow2(bits - q)
    if k < 0 { return nil }
    var attempts = 0
    while attempts < 4 {
        attempts += 1
        // v·10^k = m·5^k·2^(k-q).
        var r = BigUInt(m)
        r.multiplyByPowerOf5(k)
        let shift = q - k
        var integer: UInt64
        var dropped = false
        if shift <= 0 {
            if r.bitLength - shift > 64 { k -= 1; if k < 0 { return nil }; continue }
            r.shiftLeft(-shift)
            integer = r.low64
        } else {
            if r.bitLength - shift > 64 { k -= 1; if k < 0 { return nil }; continue }
            (integer, dropped) = r.shiftedRight(shift)
        }
        var tmp: [UInt8] = []
        var x = integer
        while x != 0 { tmp.append(UInt8(x % 10)); x /= 10 }
        if tmp.count < n + 1 { k += 1; continue }
        if tmp.count > 19 { k -= 1; if k < 0 { return nil }; continue }
        var digits: [UInt8] = tmp.reversed()
        let point = digits.count - k
        if dropped { digits.append(1) }
        while let last = digits.last, last == 0 { digits.removeLast() }
        return DecimalDigits(digits: digits, point: point)
    }
    return nil
}

/// The same for an integer v = m·2^e (e >= 0) with more than n+2 digits: floor(v / 10^j) =
/// floor(m·2^(e-j) / 5^j) by two steps of long division (n+1 or n+2 digits, under 2^64), and a
/// sticky digit for a nonzero remainder.
func leadingDecimalOfInteger(significand m: UInt64, exponent e: Int, significant n: Int) -> DecimalDigits? {
    let bits = 64 - m.leadingZeroBitCount
    // v has floorLog10Pow2(bits+e)+1 digits, or one fewer.
    let j = floorLog10Pow2(bits + e) + 1 - (n + 2)
    if j <= 0 { return nil }
    var a = BigUInt(m)
    var b = BigUInt(1)
    b.multiplyByPowerOf5(j)
    if e >= j { a.shiftLeft(e - j) } else { b.shiftLeft(j - e) }
    let normalise = b.limbs[b.limbs.count - 1].leadingZeroBitCount
    a.shiftLeft(normalise)
    b.shiftLeft(normalise)
    // a < b·2^64 (the quotient has at most 19 digits): divide a's top part, then its last two limbs.
    guard a.limbs.count >= 2 else { return nil }
    let low0 = a.limbs[0], low1 = a.limbs[1]
    a.limbs.removeFirst(2)
    while let last = a.limbs.last, last == 0 { a.limbs.removeLast() }
    guard BigUInt.compare(a, b) < 0 else { return nil }
    let q1 = UInt64(a.shiftAndDivide(by: b, bringingDown: low1))
    let q0 = UInt64(a.shiftAndDivide(by: b, bringingDown: low0))
    var x = q1 << 32 | q0
    var tmp: [UInt8] = []
    while x != 0 { tmp.append(UInt8(x % 10)); x /= 10 }
    guard tmp.count >= n + 1 else { return nil }
    var digits: [UInt8] = tmp.reversed()
    let point = digits.count + j
    if !a.isZero { digits.append(1) }
    while let last = digits.last, last == 0 { digits.removeLast() }
    return DecimalDigits(digits: digits, point: point)
}

extension BigUInt {
    /// The low 64 bits.
    var low64: UInt64 {
        var v: UInt64 = 0
        if limbs.count > 0 { v = UInt64(limbs[0]) }
        if limbs.count > 1 { v |= UInt64(limbs[1]) << 32 }
        return v
    }

    /// (self >> n) as a UInt64 (the caller checks it fits) and whether the bits shifted out are
    /// nonzero.
    func shiftedRight(_ n: Int) -> (UInt64, Bool) {
        let words = n >> 5, bits = n & 31
        var dropped = false
        var i = 0
        while i < min(words, limbs.count) { if limbs[i] != 0 { dropped = true }; i += 1 }
        if bits != 0 && words < limbs.count && limbs[words] & ((1 << UInt32(bits)) - 1) != 0 {
            dropped = true
        }
        // Assemble exactly: take a 96-bit window and shift.
        let l0 = words < limbs.count ? UInt64(limbs[words]) : 0
        let l1 = words + 1 < limbs.count ? UInt64(limbs[words + 1]) : 0
        let l2 = words + 2 < limbs.count ? UInt64(limbs[words + 2]) : 0
        let lowPart = (l0 | l1 << 32) >> UInt64(bits)
        let highPart = bits == 0 ? 0 : l2 << UInt64(64 - bits)
        let v = lowPart | highPart
        return (v, dropped)
    }
}
