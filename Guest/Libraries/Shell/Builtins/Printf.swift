// Printf.swift — XCU printf: the format reused until the arguments run out; conversions
// d i o u x X c s b and %%, flags - + space # 0, field width and precision (also `*`).

extension Shell {
    func builtinPrintf(_ argv: [String]) -> Int32 {
        var argv = argv[...]
        if argv.first == "--" { argv = argv.dropFirst() }
        guard let formatString = argv.first else { reportError("printf: usage: printf format [arg ...]"); return 2 }
        let format = Array(formatString.utf8)
        var args = Array(argv.dropFirst())[...]
        var out: [UInt8] = []
        var status: Int32 = 0
        func nextArg() -> String? { args.popFirst() }
        /// An integer argument as strtoimax reads it: leading blanks, sign, 0x/0 prefixes; what
        /// is left over is an error (the value read so far is still used).
        func number(_ s: String?) -> Int {
            guard let s, !s.isEmpty else { return 0 }
            let b = Array(s.utf8)
            if b[0] == 39 || b[0] == 34 { return b.count > 1 ? Int(b[1]) : 0 }
            var i = 0
            while i < b.count && (b[i] == 32 || b[i] == 9 || b[i] == 10) { i += 1 }
            var negative = false
            if i < b.count && (b[i] == 45 || b[i] == 43) { negative = b[i] == 45; i += 1 }
            var radix = 10
            if i + 1 < b.count && b[i] == 48 && (b[i + 1] == 120 || b[i + 1] == 88) { radix = 16; i += 2 }
            else if i < b.count && b[i] == 48 { radix = 8 }
            let digitsStart = i
            var v = 0
            while i < b.count {
                let c = b[i]
                let d: Int
                if c >= 48 && c <= 57 { d = Int(c) - 48 }
                else if c >= 97 && c <= 102 { d = Int(c) - 87 }
                else if c >= 65 && c <= 70 { d = Int(c) - 55 }
                else { break }
                if d >= radix { break }
                v = v &* radix &+ d
                i += 1
            }
            if i < b.count || i == digitsStart {
                reportError("printf: \(s): " + (i == digitsStart ? "expected numeric value" : "not completely converted"))
                status = 1
            }
            return negative ? 0 &- v : v
        }
        var stop = false
        repeat {
            var consumed = false
            var i = 0
            while i < format.count && !stop {
                let c = format[i]
                if c == 92 {
                    // Escapes in the format: \n \t … \nnn.
                    var j = i + 1
                    if j < format.count && format[j] >= 48 && format[j] <= 55 {
                        var v = 0, d = 0
                        while j < format.count && d < 3 && format[j] >= 48 && format[j] <= 55 { v = v * 8 + Int(format[j]) - 48; j += 1; d += 1 }
                        out.append(UInt8(v & 0xff))
                        i = j
                        continue
                    }
                    j = min(i + 2, format.count)
                    if j - i == 2 && format[i + 1] == 99 {
                        out.append(contentsOf: [92, 99])   // \c stops output only in %b
                    } else {
                        let (bytes, _) = interpretEscapes(Array(format[i..<j]), octalNeedsZero: false)
                        out.append(contentsOf: bytes)
                    }
                    i = j
                    continue
                }
                guard c == 37 else { out.append(c); i += 1; continue }
                i += 1
                if i < format.count && format[i] == 37 { out.append(37); i += 1; continue }
                var flags: [UInt8] = []
                while i < format.count, [45, 43, 32, 35, 48].contains(format[i]) { flags.append(format[i]); i += 1 }
                var width: Int?
                if i < format.count && format[i] == 42 { width = number(nextArg()); consumed = true; i += 1 }
                else { var w = 0, any = false; while i < format.count && isDigit(format[i]) { w = w * 10 + Int(format[i]) - 48; i += 1; any = true }; if any { width = w } }
                var precision: Int?
                if i < format.count && format[i] == 46 {
                    i += 1
                    if i < format.count && format[i] == 42 { precision = number(nextArg()); consumed = true; i += 1 }
                    else { var p = 0; while i < format.count && isDigit(format[i]) { p = p * 10 + Int(format[i]) - 48; i += 1 }; precision = p }
                }
                guard i < format.count else { write(1, out); reportError("printf: missing format character"); return 2 }
                let conversion = format[i]
                i += 1
                if width.map({ $0 < 0 }) == true { flags.append(45); width = -width! }
                var left = flags.contains(45)
                var body: [UInt8]
                var zeroPad = flags.contains(48) && !left
                switch conversion {
                case 115, 98:   // s b
                    let a = nextArg(); consumed = true
                    if conversion == 98 {
                        let (bytes, c) = interpretEscapes(Array((a ?? "").utf8), octalNeedsZero: true)
                        body = bytes
                        if c { stop = true }
                    } else {
                        body = Array((a ?? "").utf8)
                    }
                    if let p = precision, p < body.count { body = Array(body[..<p]) }
                    zeroPad = false
                case 99:        // c
                    let a = nextArg(); consumed = true
                    body = Array((a ?? "").utf8.prefix(1))
                    zeroPad = false
                case 100, 105, 111, 117, 120, 88:   // d i o u x X
                    let a = nextArg(); consumed = true
                    let v = number(a)
                    var digits: [UInt8]
                    var sign: [UInt8] = []
                    switch conversion {
                    case 100, 105:
                        digits = Array(String(v.magnitude).utf8)
                        if v < 0 { sign = [45] } else if flags.contains(43) { sign = [43] } else if flags.contains(32) { sign = [32] }
                    case 111: digits = Array(String(UInt(bitPattern: v), radix: 8).utf8); if flags.contains(35) && digits.first != 48 { digits.insert(48, at: 0) }
                    case 117: digits = Array(String(UInt(bitPattern: v)).utf8)
                    case 120: digits = Array(String(UInt(bitPattern: v), radix: 16).utf8); if flags.contains(35) && v != 0 { sign = Array("0x".utf8) }
                    default: digits = Array(String(UInt(bitPattern: v), radix: 16, uppercase: true).utf8); if flags.contains(35) && v != 0 { sign = Array("0X".utf8) }
                    }
                    if let p = precision {
                        zeroPad = false
                        if p == 0 && v == 0 { digits = [] }
                        while digits.count < p { digits.insert(48, at: 0) }
                    }
                    if zeroPad, let w = width { while sign.count + digits.count < w { digits.insert(48, at: 0) } }
                    body = sign + digits
                case 102, 70, 101, 69, 103, 71:   // f F e E g G
                    let a = nextArg(); consumed = true
                    guard let v = parseDecimal(a ?? "0") else {
                        reportError("printf: \(a ?? ""): expected numeric value")
                        status = 1
                        body = Array(formatFloat(0, conversion, precision ?? 6, flags).utf8)
                        break
                    }
                    var text = formatFloat(v, conversion, precision ?? 6, flags)
                    if zeroPad, let w = width {
                        var digits = Array(text.utf8)
                        let signCount = (digits.first == 45 || digits.first == 43) ? 1 : 0
                        while digits.count < w { digits.insert(48, at: signCount) }
                        text = String(decoding: digits, as: UTF8.self)
                    }
                    body = Array(text.utf8)
                default:
                    reportError("printf: %\(String(decoding: [conversion], as: UTF8.self)): invalid directive")
                    write(1, out)
                    return 2
                }
                if let w = width, body.count < w {
                    let pad = [UInt8](repeating: 32, count: w - body.count)
                    body = left ? body + pad : pad + body
                }
                left = false
                out.append(contentsOf: body)
            }
            if !consumed { break }
        } while !args.isEmpty && !stop
        if !write(1, out) { reportError("printf: printf: I/O error"); return 1 }
        return status
    }
}

/// A decimal floating-point constant ([+-]digits[.digits][e[+-]digits]), parsed by hand:
/// Double(String) needs strtod, which the guest lacks.
func parseDecimal(_ s: String) -> Double? {
    let b = Array(s.utf8)
    var i = 0
    while i < b.count && (b[i] == 32 || b[i] == 9) { i += 1 }
    var negative = false
    if i < b.count && (b[i] == 45 || b[i] == 43) { negative = b[i] == 45; i += 1 }
    var mantissa = 0.0, scale = 0, digits = 0
    while i < b.count && isDigit(b[i]) { mantissa = mantissa * 10 + Double(b[i] - 48); i += 1; digits += 1 }
    if i < b.count && b[i] == 46 {
        i += 1
        while i < b.count && isDigit(b[i]) { mantissa = mantissa * 10 + Double(b[i] - 48); scale -= 1; i += 1; digits += 1 }
    }
    guard digits > 0 else { return nil }
    if i < b.count && (b[i] == 101 || b[i] == 69) {
        i += 1
        var expNegative = false
        if i < b.count && (b[i] == 45 || b[i] == 43) { expNegative = b[i] == 45; i += 1 }
        var e = 0
        while i < b.count && isDigit(b[i]) { e = min(e * 10 + Int(b[i] - 48), 9999); i += 1 }
        scale += expNegative ? -e : e
    }
    guard i == b.count else { return nil }
    // One operation by an exact power of ten (up to 1e22) keeps the result correctly rounded.
    var power = 1.0
    for _ in 0..<min(abs(scale), 400) { power *= 10 }
    let v = scale >= 0 ? mantissa * power : mantissa / power
    return negative ? -v : v
}

/// printf's %f, %e and %g (C99 7.19.6.1) for ordinary magnitudes.
func formatFloat(_ value: Double, _ conversion: UInt8, _ precision: Int, _ flags: [UInt8]) -> String {
    var sign = ""
    var v = value
    if v < 0 || (v == 0 && v.sign == .minus) { sign = "-"; v = -v } else if flags.contains(43) { sign = "+" } else if flags.contains(32) { sign = " " }
    if v.isNaN { return sign + (conversion < 97 ? "NAN" : "nan") }
    if v.isInfinite { return sign + (conversion < 97 ? "INF" : "inf") }
    func fixed(_ x: Double, _ p: Int) -> String {
        // Exactly as glibc: x is m·2^E; scale by 10^p and round half to even in 128-bit integers.
        guard p <= 17, x < 9.0e18 else { return String(x) }
        var power: UInt128 = 1
        for _ in 0..<p { power *= 10 }
        var q: UInt128 = 0
        if x != 0 {
            let m = UInt128(x.significandBitPattern) | (x.isNormal ? UInt128(1) << 52 : 0)
            let e = Int(x.exponent) - 52 + (x.isNormal ? 0 : 1)
            if e >= 0 {
                q = (m << UInt128(e)) * power
            } else if -e < 120 {
                let n = m * power, k = UInt128(-e)
                q = n >> k
                let rest = n & ((UInt128(1) << k) - 1), half = UInt128(1) << (k - 1)
                if rest > half || (rest == half && q & 1 == 1) { q += 1 }
            }
        }
        var digits = String(q)
        while digits.utf8.count <= p { digits = "0" + digits }
        if p == 0 { return digits + (flags.contains(35) ? "." : "") }
        let cut = digits.utf8.count - p
        return String(digits.prefix(cut)) + "." + String(digits.suffix(p))
    }
    func exponential(_ x: Double, _ p: Int, _ upper: Bool) -> String {
        var e = 0
        var m = x
        if m != 0 {
            while m >= 10 { m /= 10; e += 1 }
            while m < 1 { m *= 10; e -= 1 }
        }
        var text = fixed(m, p)
        if text.hasPrefix("10") { m /= 10; e += 1; text = fixed(m, p) }
        var exp = String(abs(e))
        if exp.utf8.count < 2 { exp = "0" + exp }
        return text + (upper ? "E" : "e") + (e < 0 ? "-" : "+") + exp
    }
    switch conversion {
    case 102, 70: return sign + fixed(v, precision)
    case 101, 69: return sign + exponential(v, precision, conversion == 69)
    default:
        let p = precision == 0 ? 1 : precision
        var e = 0
        var m = v
        if m != 0 { while m >= 10 { m /= 10; e += 1 }; while m < 1 { m *= 10; e -= 1 } }
        var text = (e < -4 || e >= p) ? exponential(v, p - 1, conversion == 71) : fixed(v, p - 1 - e)
        if !flags.contains(35) && text.contains(".") {
            // %g drops trailing zeros of the fraction.
            var mantissa = text, suffix = ""
            if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) { mantissa = String(text[..<eIndex]); suffix = String(text[eIndex...]) }
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
            text = mantissa + suffix
        }
        return sign + text
    }
}
