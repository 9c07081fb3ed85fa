// HexFloat.swift — printf's %a/%A (C11 7.21.6.1p8): [-]0xh.hhhhp±d, exact. As glibc: normal
// doubles have leading digit 1; subnormals are printed unnormalised as 0x0.hhh…p-1022; with a
// precision the fraction is rounded to nearest, ties to even, and a carry increments the leading
// digit (0x1.fp+0 with %.0a gives 0x2p+0). Without a precision, the exact digits (trailing
// zeros removed). Parsing hex floats is in ParseNumber.swift.

func appendHexFloat(_ value: Double, _ spec: ConversionSpec, into body: inout [UInt8]) {
    let upper = spec.isUppercase
    let hexDigits: StaticString = upper ? "0123456789ABCDEF" : "0123456789abcdef"
    let biased = Int(value.exponentBitPattern)
    var fraction = value.significandBitPattern  // 52 bits = 13 hex digits
    var leading: UInt64 = biased == 0 ? 0 : 1
    let exponent = biased == 0 ? (fraction == 0 ? 0 : -1022) : biased - 1023
    var digitCount = 13
    if let p = spec.precision {
        if p < 13 {
            // Keep p hex digits: round the dropped 4·(13-p) bits.
            let dropped = UInt64(4 * (13 - p))
            let rest = fraction & ((1 << dropped) - 1)
            let half = UInt64(1) << (dropped - 1)
            fraction >>= dropped
            let odd = p == 0 ? leading & 1 == 1 : fraction & 1 == 1
            if rest > half || (rest == half && odd) {
                fraction += 1
                if fraction >> UInt64(4 * p) != 0 { fraction = 0; leading += 1 }
            }
        }
        digitCount = p
    } else {
        while digitCount > 0 && fraction & 0xf == 0 { fraction >>= 4; digitCount -= 1 }
    }
    body.append(hexDigits.utf8Start[Int(leading)])
    if digitCount > 0 || spec.alternate { body.append(UInt8(ascii: ".")) }
    let shown = min(digitCount, 13)
    var k = shown - 1
    while k >= 0 {
        body.append(hexDigits.utf8Start[Int((fraction >> UInt64(4 * k)) & 0xf)])
        k -= 1
    }
    if digitCount > 13 { body.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digitCount - 13)) }
    body.append(upper ? UInt8(ascii: "P") : UInt8(ascii: "p"))
    body.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    appendDecimal(UInt64(exponent.magnitude), minimumDigits: 1, into: &body)
}
