// BinaryToDecimal.swift — the exact decimal expansion of a binary floating-point value, and
// correct rounding of it to a number of digits (what printf's %e %f %g need, C11 7.21.6.1p8).
//
// Every binary value m·2^e is a finite decimal: for e >= 0 it is the integer m·2^e; for e < 0
// it is m·5^(-e) / 10^(-e). We build that integer exactly in base 10^9 (as musl's printf does),
// so rounding at any digit — round to nearest, ties to even on the exact value, as glibc does in
// the default rounding mode — looks at real digits and never rounds twice.

/// value = 0.d₁d₂…dₙ × 10^point with d₁ ≠ 0 and dₙ ≠ 0 (trailing zeros trimmed); zero has no
/// digits. Digits are values 0…9.
struct DecimalDigits {
    var digits: [UInt8]
    var point: Int
}

/// The exact decimal digits of significand·2^exponent.
func exactDecimal(significand: UInt64, exponent: Int) -> DecimalDigits {
    if significand == 0 { return DecimalDigits(digits: [], point: 0) }
    let tz = significand.trailingZeroBitCount
    let m = significand >> UInt64(tz)
    let e = exponent + tz
    let billion: UInt64 = 1_000_000_000
    // Little-endian base-10^9 limbs.
    var limbs: [UInt32] = []
    limbs.reserveCapacity(e >= 0 ? 4 + e / 29 : 4 + (-e * 7) / 90)
    var v = m
    while v != 0 { limbs.append(UInt32(v % billion)); v /= billion }

    @inline(__always) func multiply(_ limbs: inout [UInt32], by factor: UInt64) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let p = UInt64(limbs[i]) * factor + carry
            limbs[i] = UInt32(p % billion)
            carry = p / billion
        }
        while carry != 0 { limbs.append(UInt32(carry % billion)); carry /= billion }
    }

    var fractionDigits = 0
    if e >= 0 {
        var k = e
        while k >= 29 { multiply(&limbs, by: 1 << 29); k -= 29 }
        if k > 0 { multiply(&limbs, by: 1 << UInt64(k)) }
    } else {
        var k = -e
        fractionDigits = k
        while k >= 12 { multiply(&limbs, by: 244_140_625); k -= 12 }  // 5^12
        if k > 0 { multiply(&limbs, by: UInt64(powersOf5[k])) }
    }
    // Base 10^9 limbs to digits, most significant first.
    var digits: [UInt8] = []
    digits.reserveCapacity(limbs.count * 9)
    var top = limbs[limbs.count - 1]
    var topDigits: [UInt8] = []
    while top != 0 { topDigits.append(UInt8(top % 10)); top /= 10 }
    digits.append(contentsOf: topDigits.reversed())
    var i = limbs.count - 2
    while i >= 0 {
        var l = limbs[i]
        let base = digits.count
        for _ in 0..<9 { digits.append(0) }
        var j = 8
        while j >= 0 { digits[base + j] = UInt8(l % 10); l /= 10; j -= 1 }
        i -= 1
    }
    let point = digits.count - fractionDigits
    while let last = digits.last, last == 0 { digits.removeLast() }
    return DecimalDigits(digits: digits, point: point)
}

extension DecimalDigits {
    /// Round to the first `keep` digits (keep may be <= 0: rounding at a position left of the
    /// first digit), to nearest with ties to even, on the exact value.
    func rounded(keeping keep: Int) -> DecimalDigits {
        let count = digits.count
        if keep >= count { return self }
        if keep < 0 { return DecimalDigits(digits: [], point: 0) }
        let next = digits[keep]
        let restNonzero = keep + 1 < count  // the last digit is nonzero
        let previousOdd = keep > 0 && digits[keep - 1] & 1 == 1
        let up = next > 5 || (next == 5 && (restNonzero || previousOdd))
        var kept = Array(digits[0..<keep])
        var point = self.point
        if up {
            var i = keep - 1
            while i >= 0 && kept[i] == 9 { kept[i] = 0; i -= 1 }
            if i >= 0 { kept[i] += 1 } else { kept.insert(1, at: 0); point += 1 }
        }
        while let last = kept.last, last == 0 { kept.removeLast() }
        if kept.isEmpty { return DecimalDigits(digits: [], point: 0) }
        return DecimalDigits(digits: kept, point: point)
    }

    /// The digit at position `index` counting from the first significant one (0 past the end).
    @inline(__always) func digit(_ index: Int) -> UInt8 {
        index >= 0 && index < digits.count ? digits[index] : 0
    }
}

/// The significand and exponent of a finite double: |v| = significand·2^exponent.
func decompose(_ v: Double) -> (significand: UInt64, exponent: Int) {
    let biased = Int(v.exponentBitPattern)
    let fraction = v.significandBitPattern
    if biased == 0 { return (fraction, -1074) }
    return (fraction | (1 << 52), biased - 1075)
}
