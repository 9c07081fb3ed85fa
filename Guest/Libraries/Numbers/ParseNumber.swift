// ParseNumber.swift — strtod/strtof: the subject-sequence scanner of C11 7.22.1.3 (whitespace,
// sign, decimal or hexadecimal floating constant, INF/INFINITY, NAN/NAN(n-char-sequence),
// case-insensitive) with exact `endptr` semantics, feeding the correctly rounded conversions.

/// The result of parsing a number from the front of a byte string.
public struct ParsedNumber<Value> {
    /// The converted value (0 when nothing was consumed).
    public var value: Value
    /// The bytes consumed: what `*endptr - nptr` is in C (0 when no conversion could be performed).
    public var consumed: Int
    /// C11 7.22.1.3p10: the value overflowed (±HUGE_VAL) or underflowed (tiny and inexact, as
    /// glibc reports it): strtod sets errno to ERANGE.
    public var rangeError: Bool
}

/// strtod: parse a double from the front of `text` (a NUL byte, if any, ends it).
public func parseDouble(_ text: Span<UInt8>) -> ParsedNumber<Double> {
    let r = parseBinary(text, format: .binary64)
    return ParsedNumber(value: Double(bitPattern: r.bits), consumed: r.consumed,
                        rangeError: r.rangeError)
}

/// strtof: parse a float, rounded once, directly from the decimal (not through a double, which
/// would round twice).
public func parseFloat(_ text: Span<UInt8>) -> ParsedNumber<Float> {
    let r = parseBinary(text, format: .binary32)
    return ParsedNumber(value: Float(bitPattern: UInt32(truncatingIfNeeded: r.bits)),
                        consumed: r.consumed, rangeError: r.rangeError)
}

/// The scanned result: the signed encoding in the low bits.
struct ParsedBits {
    var bits: UInt64
    var consumed: Int
    var rangeError: Bool
}

@inline(__always) func lowercased(_ c: UInt8) -> UInt8 { c | 0x20 }
@inline(__always) func isDecimalDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
@inline(__always) func hexValue(_ c: UInt8) -> Int {
    if c &- 0x30 < 10 { return Int(c &- 0x30) }
    let l = c | 0x20
    if l &- 0x61 < 6 { return Int(l &- 0x61) + 10 }
    return -1
}

/// Clamp for accumulated exponents: far beyond any finite result, far from Int overflow.
let exponentLimit = 1 << 40

/// The exponent part after the marker (`e` or `p`) at `marker`: an optional sign, then decimal
/// digits (C11 6.4.4.2), its value clamped at ±exponentLimit, and the index after it; nil
/// without digits, and then nothing of it is consumed ("1e" and "0x1p" end before the marker).
func exponentPart(_ text: Span<UInt8>, after marker: Int) -> (value: Int, end: Int)? {
    let n = text.count
    @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? text[i] : 0 }
    var j = marker + 1
    var negative = false
    if at(j) == UInt8(ascii: "+") || at(j) == UInt8(ascii: "-") {
        negative = at(j) == UInt8(ascii: "-")
        j += 1
    }
    guard isDecimalDigit(at(j)) else { return nil }
    var e = 0
    while isDecimalDigit(at(j)) {
        if e < exponentLimit { e = e * 10 + Int(at(j) &- 0x30) }
        j += 1
    }
    return (negative ? -e : e, j)
}

func parseBinary(_ text: Span<UInt8>, format: BinaryFormat) -> ParsedBits {
    let n = text.count
    @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? text[i] : 0 }
    let signBit = UInt64(1) << UInt64(format.precision - 1 + format.exponentBits)

    var i = 0
    // isspace() in the C locale: space, \t \n \v \f \r.
    while at(i) == 0x20 || (at(i) >= 9 && at(i) <= 13) { i += 1 }
    var negative = false
    if at(i) == UInt8(ascii: "+") || at(i) == UInt8(ascii: "-") {
        negative = at(i) == UInt8(ascii: "-")
        i += 1
    }
    let sign = negative ? signBit : 0

    func matches(_ word: StaticString, from start: Int) -> Bool {
        let count = word.utf8CodeUnitCount
        for k in 0..<count where lowercased(at(start + k)) != word.utf8Start[k] { return false }
        return true
    }

    let c = lowercased(at(i))
    if c == UInt8(ascii: "i") {
        guard matches("inf", from: i) else { return ParsedBits(bits: 0, consumed: 0, rangeError: false) }
        i += 3
        if matches("inity", from: i) { i += 5 }
        return ParsedBits(bits: sign | format.infinityBits, consumed: i, rangeError: false)
    }
    if c == UInt8(ascii: "n") {
        guard matches("nan", from: i) else { return ParsedBits(bits: 0, consumed: 0, rangeError: false) }
        i += 3
        let quiet = format.infinityBits | (UInt64(1) << UInt64(format.precision - 2))
        var bits = quiet
        if at(i) == UInt8(ascii: "(") {
            var j = i + 1
            while true {
                let d = at(j)
                if isDecimalDigit(d) || lowercased(d) &- 0x61 < 26 || d == UInt8(ascii: "_") { j += 1 } else { break }
            }
            if at(j) == UInt8(ascii: ")") {
                // glibc: the n-char-sequence read by strtoull(…, 0) is the payload when it is all
                // digits; a zero payload leaves the default NaN.
                if let payload = nanPayload(text, from: i + 1, to: j) {
                    let masked = payload & (format.fractionMask >> 1)
                    if masked != 0 { bits = quiet | masked }
                }
                i = j + 1
            }
        }
        return ParsedBits(bits: sign | bits, consumed: i, rangeError: false)
    }
    if at(i) == UInt8(ascii: "0") && lowercased(at(i + 1)) == UInt8(ascii: "x") {
        let h = i + 2
        if hexValue(at(h)) >= 0 || (at(h) == UInt8(ascii: ".") && hexValue(at(h + 1)) >= 0) {
            var r = parseHexBody(text, from: h, format: format)
            r.bits |= sign
            return r
        }
        // "0x" with no hex digits: the subject sequence is the "0".
        return ParsedBits(bits: sign, consumed: i + 1, rangeError: false)
    }

    // Decimal: digits [. digits] [e|E [sign] digits].
    var digits: [UInt8] = []
    var exponent = 0
    var truncated = false
    var sawDigit = false
    var sawPoint = false
    var leading: UInt64 = 0
    while true {
        let d = at(i)
        if isDecimalDigit(d) {
            sawDigit = true
            let v = d &- 0x30
            if digits.isEmpty && v == 0 {
                if sawPoint { exponent -= 1 }
            } else if digits.count < maxSignificantDigits {
                if digits.count < 19 { leading = leading &* 10 &+ UInt64(v) }
                digits.append(v)
                if sawPoint { exponent -= 1 }
            } else {
                if v != 0 { truncated = true }
                if !sawPoint { exponent += 1 }
            }
            i += 1
        } else if d == UInt8(ascii: ".") && !sawPoint {
            sawPoint = true
            i += 1
        } else {
            break
        }
    }
    if !sawDigit { return ParsedBits(bits: 0, consumed: 0, rangeError: false) }
    if lowercased(at(i)) == UInt8(ascii: "e"), let part = exponentPart(text, after: i) {
        exponent += part.value
        i = part.end
    }
    if digits.isEmpty { return ParsedBits(bits: sign, consumed: i, rangeError: false) }
    if truncated {
        // A nonzero tail beyond 800 digits: a sticky digit below any halfway point.
        digits.append(1)
        exponent -= 1
    }
    // Trailing zeros carry no information.
    while let last = digits.last, last == 0 { digits.removeLast(); exponent += 1 }
    if digits.count < 19 {
        leading = 0
        for d in digits { leading = leading * 10 + UInt64(d) }
    }
    let r = decimalToBinary(digits: digits, exponent: exponent, leading: leading, format: format)
    return ParsedBits(bits: sign | r.bits, consumed: i, rangeError: r.rangeError)
}

/// strtoull(s, &end, 0) over text[start..<end], if it consumes all of it (glibc's NaN payload).
func nanPayload(_ text: Span<UInt8>, from start: Int, to end: Int) -> UInt64? {
    var i = start
    var base: UInt64 = 10
    if end - i >= 3 && text[i] == UInt8(ascii: "0") && lowercased(text[i + 1]) == UInt8(ascii: "x")
        && hexValue(text[i + 2]) >= 0 {
        base = 16; i += 2
    } else if end - i >= 1 && text[i] == UInt8(ascii: "0") {
        base = 8
    }
    if i == end { return nil }
    var value: UInt64 = 0
    var overflow = false
    while i < end {
        let v = hexValue(text[i])
        if v < 0 || UInt64(v) >= base { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: base)
        let (s, o2) = m.addingReportingOverflow(UInt64(v))
        if o1 || o2 { overflow = true }
        value = s
        i += 1
    }
    return overflow ? UInt64.max : value
}

/// The hexadecimal floating constant after "0x" (C11 6.4.4.2): hex digits [. hex digits]
/// [p|P [sign] decimal digits]; at least one hex digit is known to be present.
func parseHexBody(_ text: Span<UInt8>, from start: Int, format: BinaryFormat) -> ParsedBits {
    let n = text.count
    @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? text[i] : 0 }
    var i = start
    var mantissa: UInt64 = 0
    var significantDigits = 0
    var sticky = false
    var exponent = 0  // binary
    var sawPoint = false
    while true {
        let d = at(i)
        let v = hexValue(d)
        if v >= 0 {
            if significantDigits == 0 && v == 0 {
                if sawPoint { exponent -= 4 }
            } else if significantDigits < 16 {
                mantissa = mantissa << 4 | UInt64(v)
                significantDigits += 1
                if sawPoint { exponent -= 4 }
            } else {
                if v != 0 { sticky = true }
                if !sawPoint { exponent += 4 }
            }
            i += 1
        } else if d == UInt8(ascii: ".") && !sawPoint {
            sawPoint = true
            i += 1
        } else {
            break
        }
    }
    if lowercased(at(i)) == UInt8(ascii: "p"), let part = exponentPart(text, after: i) {
        exponent += part.value
        i = part.end
    }
    if mantissa == 0 { return ParsedBits(bits: 0, consumed: i, rangeError: false) }
    // The 61+ kept bits sit far below the guard bit, so a dropped nonzero tail can stand in as
    // one extra half-unit bit without creating a false tie.
    var a = BigUInt(mantissa)
    a.multiply(by: 2, adding: sticky ? 1 : 0)
    let r = roundQuotient(a, BigUInt(1), twoExponent: exponent - 1, format: format)
    return ParsedBits(bits: r.bits, consumed: i, rangeError: r.rangeError)
}
