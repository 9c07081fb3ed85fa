// ShortestDigits.swift — the shortest decimal that reads back as the same double (for Lua/awk
// style number printing and anything that wants "%.17g but short").
//
// Steele & White, "How to print floating-point numbers accurately" (PLDI 1990), in its exact
// form: every decimal strictly inside the rounding interval of v — halfway to each neighbour,
// the ends included when v's significand is even, since strtod rounds ties to even (IEEE 754
// §4.3.1) — reads back as v. Take the fewest digits n for which an n-digit decimal lies in the
// interval; of the (at most two) candidates, the one nearest v, ties to even. The interval ends
// and v are exact decimals (BinaryToDecimal.swift), so there is no approximation anywhere.

/// value = 0.d₁d₂…dₙ × 10^point, with ASCII digits, d₁ ≠ 0 (zero: digits "0", point 1).
public struct ShortestDecimal: Equatable {
    public var digits: [UInt8]
    public var point: Int
    /// The exponent %e would print: value = d₁.d₂…dₙ × 10^exponent.
    public var exponent: Int { point - 1 }
}

/// The shortest round-trip digits of a finite |value| (the sign is the caller's).
public func shortestDigits(_ value: Double) -> ShortestDecimal {
    precondition(value.isFinite, "shortestDigits: not finite")
    let (m, e) = decompose(value)
    if m == 0 { return ShortestDecimal(digits: [UInt8(ascii: "0")], point: 1) }
    // v and the interval ends to 18+ digits and a sticky digit (LeadingDigits.swift) compare
    // exactly with candidates of at most 17 digits, which always suffice for a double: a
    // candidate is never strictly between a truncation and the value it truncates.
    func digits(_ m: UInt64, _ e: Int) -> DecimalDigits {
        leadingDecimal(significand: m, exponent: e, significant: 17)
            ?? exactDecimal(significand: m, exponent: e)
    }
    let v = digits(m, e)
    let inclusive = m & 1 == 0
    // The lower neighbour is closer when v is a power of two above the smallest normal.
    let lowerIsCloser = m == 1 << 52 && value.exponentBitPattern > 1
    let low = lowerIsCloser ? digits(4 * m - 1, e - 2) : digits(2 * m - 1, e - 1)
    let high = digits(2 * m + 1, e - 1)

    var n = 1
    if low.point == high.point {
        // Below the first digit where the ends differ, up = down + one unit is above high, and
        // down (v's prefix = low's prefix) is in only when it is low itself (inclusive ends).
        var i = 0
        while i < high.digits.count && low.digit(i) == high.digit(i) { i += 1 }
        n = max(1, inclusive && low.digits.count < i ? low.digits.count : i)
    }
    while n < v.digits.count {
        let down = DecimalDigits(digits: Array(v.digits[0..<n]), point: v.point)
        let up = down.incrementedAtLastDigit()
        let c1 = compareDecimals(down, low), c2 = compareDecimals(up, high)
        let downIn = c1 > 0 || (c1 == 0 && inclusive)
        let upIn = c2 < 0 || (c2 == 0 && inclusive)
        if downIn || upIn {
            var pickUp = upIn
            if downIn && upIn {
                // Nearest to v: the dropped tail against one half unit, ties to the even digit.
                let next = v.digits[n]
                if next != 5 { pickUp = next > 5 }
                else { pickUp = n + 1 < v.digits.count || down.digits[n - 1] & 1 == 1 }
            }
            return ascii(pickUp ? up : down)
        }
        n += 1
    }
    return ascii(v)
}

func ascii(_ d: DecimalDigits) -> ShortestDecimal {
    var trimmed = d.digits
    while let last = trimmed.last, last == 0 { trimmed.removeLast() }
    return ShortestDecimal(digits: trimmed.map { $0 + 0x30 }, point: d.point)
}

extension DecimalDigits {
    /// self + one unit in its last digit.
    func incrementedAtLastDigit() -> DecimalDigits {
        var d = digits
        var point = self.point
        var i = d.count - 1
        while i >= 0 && d[i] == 9 { d[i] = 0; i -= 1 }
        if i >= 0 { d[i] += 1 } else { d.insert(1, at: 0); point += 1 }
        return DecimalDigits(digits: d, point: point)
    }
}

/// Compare two positive decimals (nonzero, first digit nonzero; trailing zeros allowed).
func compareDecimals(_ a: DecimalDigits, _ b: DecimalDigits) -> Int {
    if a.point != b.point { return a.point < b.point ? -1 : 1 }
    let n = max(a.digits.count, b.digits.count)
    for k in 0..<n {
        let x = a.digit(k), y = b.digit(k)
        if x != y { return x < y ? -1 : 1 }
    }
    return 0
}
