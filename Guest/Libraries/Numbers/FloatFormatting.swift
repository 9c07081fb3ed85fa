// FloatFormatting.swift — printf's floating conversions %e %E %f %F %g %G (C11 7.21.6.1p8),
// exact and correctly rounded from the binary value's exact decimal expansion, and the field
// layout shared with %a: sign, prefix, zero padding, width, justification; inf/nan as glibc
// spells them ("inf", "-nan", "INF").

/// Append the field for `value` under `spec` (an e E f F g G a A conversion) to `out`.
public func formatDouble(_ value: Double, _ spec: ConversionSpec, into out: inout [UInt8]) {
    formatDoubleField(value, spec, into: &out)
}

func formatDoubleField<O: ByteOutput>(_ value: Double, _ spec: ConversionSpec, into out: inout O) {
    let upper = spec.isUppercase
    var prefix: [UInt8] = []
    if value.sign == .minus { prefix.append(UInt8(ascii: "-")) }
    else if spec.plusSign { prefix.append(UInt8(ascii: "+")) }
    else if spec.spaceSign { prefix.append(UInt8(ascii: " ")) }

    var body: [UInt8] = []
    if !value.isFinite {
        let word: StaticString = value.isNaN ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf")
        for k in 0..<word.utf8CodeUnitCount { body.append(word.utf8Start[k]) }
        // '0' does not apply to infinity and NaN (glibc pads them with spaces).
        emitField(prefix: prefix, body: body, spec: spec, zeroPad: false, into: &out)
        return
    }
    let lower = spec.conversion | 0x20
    switch lower {
    case UInt8(ascii: "a"):
        prefix.append(UInt8(ascii: "0"))
        prefix.append(upper ? UInt8(ascii: "X") : UInt8(ascii: "x"))
        appendHexFloat(value, spec, into: &body)
    case UInt8(ascii: "f"):
        let (m, e) = decompose(value)
        let p = spec.precision ?? 6
        // v < 2^(bits+e) <= 10^(bound): when that is below the last digit shown, v prints as 0.
        let bound = floorLog10Pow2(64 - m.leadingZeroBitCount + e) + 2
        let r: DecimalDigits
        if m == 0 || bound + p < 0 {
            r = DecimalDigits(digits: [], point: 0)
        } else {
            let exact = exactDecimal(significand: m, exponent: e)
            r = exact.rounded(keeping: exact.point + p)
        }
        appendFixed(r, precision: p, alternate: spec.alternate, into: &body)
    case UInt8(ascii: "e"):
        let (m, e) = decompose(value)
        let p = spec.precision ?? 6
        let exact = leadingDecimal(significand: m, exponent: e, significant: p + 1)
            ?? exactDecimal(significand: m, exponent: e)
        appendExponential(exact.rounded(keeping: p + 1), precision: p, alternate: spec.alternate,
                          upper: upper, into: &body)
    default:  // g
        let (m, e) = decompose(value)
        var p = spec.precision ?? 6
        if p == 0 { p = 1 }
        // Without '#' trailing zeros go, and no double has more than 767 significant digits or
        // an exponent X above 308: precision 800 prints the same as any larger one, without
        // building a field of `precision` bytes first.
        if !spec.alternate { p = min(p, 800) }
        let exact = leadingDecimal(significand: m, exponent: e, significant: p)
            ?? exactDecimal(significand: m, exponent: e)
        let r = exact.rounded(keeping: p)
        // C11 7.21.6.1p8: X is the exponent %e would print; P > X >= -4 selects %f.
        let x = r.digits.isEmpty ? 0 : r.point - 1
        let start = body.count
        if p > x && x >= -4 {
            appendFixed(r, precision: p - 1 - x, alternate: spec.alternate, into: &body)
            if !spec.alternate { trimFractionZeros(&body, from: start, exponentAt: nil) }
        } else {
            appendExponential(r, precision: p - 1, alternate: spec.alternate, upper: upper, into: &body)
            if !spec.alternate {
                var k = body.count - 1
                while body[k] != UInt8(ascii: "e") && body[k] != UInt8(ascii: "E") { k -= 1 }
                trimFractionZeros(&body, from: start, exponentAt: k)
            }
        }
    }
    emitField(prefix: prefix, body: body, spec: spec, zeroPad: spec.zeroPad, into: &out)
}

/// %f digits: the integer part, then '.' and `precision` fraction digits (the point also for
/// precision 0 with '#').
func appendFixed(_ r: DecimalDigits, precision: Int, alternate: Bool, into body: inout [UInt8]) {
    if r.point <= 0 || r.digits.isEmpty {
        body.append(UInt8(ascii: "0"))
    } else {
        for k in 0..<r.point { body.append(0x30 + r.digit(k)) }
    }
    if precision > 0 || alternate { body.append(UInt8(ascii: ".")) }
    if precision > 0 {
        if r.digits.isEmpty {
            body.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: precision))
        } else {
            for k in 0..<precision { body.append(0x30 + r.digit(r.point + k)) }
        }
    }
}

/// %e digits: d[.ddd]e±XX with at least two exponent digits.
func appendExponential(_ r: DecimalDigits, precision: Int, alternate: Bool, upper: Bool,
                       into body: inout [UInt8]) {
    body.append(0x30 + r.digit(0))
    if precision > 0 || alternate { body.append(UInt8(ascii: ".")) }
    for k in 0..<precision { body.append(0x30 + r.digit(k + 1)) }
    body.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
    let x = r.digits.isEmpty ? 0 : r.point - 1
    body.append(x < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    appendDecimal(UInt64(x.magnitude), minimumDigits: 2, into: &body)
}

/// %g without '#': remove trailing zeros of the fraction, and the point if nothing follows it.
func trimFractionZeros(_ body: inout [UInt8], from start: Int, exponentAt: Int?) {
    let end = exponentAt ?? body.count
    var pointIndex = -1
    for k in start..<end where body[k] == UInt8(ascii: ".") { pointIndex = k }
    if pointIndex < 0 { return }
    var cut = end
    while cut > pointIndex + 1 && body[cut - 1] == UInt8(ascii: "0") { cut -= 1 }
    if cut == pointIndex + 1 { cut = pointIndex }
    body.removeSubrange(cut..<end)
}

/// Decimal digits of v, at least `minimumDigits` of them.
func appendDecimal(_ v: UInt64, minimumDigits: Int, into body: inout [UInt8]) {
    var tmp: [UInt8] = []
    var x = v
    repeat { tmp.append(UInt8(x % 10) + 0x30); x /= 10 } while x != 0
    while tmp.count < minimumDigits { tmp.append(UInt8(ascii: "0")) }
    body.append(contentsOf: tmp.reversed())
}

/// C11 7.21.6.1p6: [spaces] prefix [zeros] body [spaces] to at least the field width.
func emitField<O: ByteOutput>(prefix: [UInt8], body: [UInt8], spec: ConversionSpec, zeroPad: Bool,
                              precisionZeros: Int = 0, into out: inout O) {
    // precisionZeros: leading zeros of the body (an integer's precision), streamed, not built.
    let len = prefix.count + precisionZeros + body.count
    let pad = spec.width > len ? spec.width - len : 0
    if spec.leftAlign {
        out.append(contentsOf: prefix)
        out.append(repeating: UInt8(ascii: "0"), count: precisionZeros)
        out.append(contentsOf: body)
        out.append(repeating: UInt8(ascii: " "), count: pad)
    } else if zeroPad {
        out.append(contentsOf: prefix)
        out.append(repeating: UInt8(ascii: "0"), count: pad + precisionZeros)
        out.append(contentsOf: body)
    } else {
        out.append(repeating: UInt8(ascii: " "), count: pad)
        out.append(contentsOf: prefix)
        out.append(repeating: UInt8(ascii: "0"), count: precisionZeros)
        out.append(contentsOf: body)
    }
}

/// Where fields go: an array, or the engine's buffered sink, which streams long padding in
/// chunks instead of building it in memory.
protocol ByteOutput {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: [UInt8])
    mutating func append(repeating byte: UInt8, count: Int)
}

extension Array: ByteOutput where Element == UInt8 {
    mutating func append(repeating byte: UInt8, count: Int) {
        append(contentsOf: repeatElement(byte, count: count))
    }
}
