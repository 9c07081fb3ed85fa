// ConversionSpec.swift — one parsed printf conversion specification (C11 7.21.6.1p4):
// %[flags][width][.precision][length]conversion, and its parser.

/// C11 7.21.6.1p7 length modifiers.
public enum LengthModifier: Equatable {
    case none, hh, h, l, ll, j, z, t, L
}

/// A conversion specification with `*` width/precision already resolved.
public struct ConversionSpec {
    /// '-': left-justify within the field.
    public var leftAlign = false
    /// '+': always a sign for signed conversions.
    public var plusSign = false
    /// ' ': a space where the sign would be, if no sign.
    public var spaceSign = false
    /// '#': the alternative form.
    public var alternate = false
    /// '0': pad with leading zeros (ignored with '-', and for d i o u x X with a precision).
    public var zeroPad = false
    /// The minimum field width (0: none).
    public var width = 0
    /// The precision, nil when omitted (a negative `*` precision counts as omitted).
    public var precision: Int? = nil
    public var length = LengthModifier.none
    /// The conversion specifier byte: d i o u x X f F e E g G a A c s p n %.
    public var conversion: UInt8 = UInt8(ascii: "d")

    public init() {}

    /// A spec for one floating conversion, e.g. ConversionSpec("e", precision: 3).
    public init(_ conversion: UInt8, precision: Int? = nil, width: Int = 0) {
        self.conversion = conversion
        self.precision = precision
        self.width = width
    }

    var isUppercase: Bool { conversion >= UInt8(ascii: "A") && conversion <= UInt8(ascii: "Z") }
}

/// Where a field's width or precision comes from.
enum SpecValue {
    case none
    case literal(Int)
    /// '*': the next int argument.
    case argument
}

/// The parse of one conversion specification, starting just after the '%'.
struct ParsedSpec {
    var spec = ConversionSpec()
    var width = SpecValue.none
    var precision = SpecValue.none
    /// Bytes of the format consumed after the '%' (including the conversion byte).
    var length = 0
    /// A positional argument ("%1$d"), not supported.
    var positional = false
    /// The format ended before a conversion byte.
    var incomplete = false
    /// A literal width or precision above INT_MAX (glibc: EOVERFLOW).
    var tooLarge = false
}

/// Parse flags, width, precision, length modifier and conversion specifier at format[start...].
func parseSpec(_ format: Span<UInt8>, from start: Int) -> ParsedSpec {
    let n = format.count
    @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? format[i] : 0 }
    var p = ParsedSpec()
    var i = start
    // "%N$": positional arguments (POSIX), refused.
    var j = i
    while isDecimalDigit(at(j)) { j += 1 }
    if j > i && at(j) == UInt8(ascii: "$") { p.positional = true }
    // Flags, in any order, repeated (C11 7.21.6.1p6); glibc also accepts ' and I (ignored here:
    // no grouping in the C locale).
    flags: while true {
        switch at(i) {
        case UInt8(ascii: "-"): p.spec.leftAlign = true
        case UInt8(ascii: "+"): p.spec.plusSign = true
        case UInt8(ascii: " "): p.spec.spaceSign = true
        case UInt8(ascii: "#"): p.spec.alternate = true
        case UInt8(ascii: "0"): p.spec.zeroPad = true
        case UInt8(ascii: "'"), UInt8(ascii: "I"): break
        default: break flags
        }
        i += 1
    }
    if at(i) == UInt8(ascii: "*") {
        p.width = .argument; i += 1
    } else if isDecimalDigit(at(i)) {
        var w = 0
        while isDecimalDigit(at(i)) {
            w = w * 10 + Int(at(i) &- 0x30)
            if w > Int(Int32.max) { p.tooLarge = true; w = 0 }
            i += 1
        }
        p.width = .literal(w)
    }
    if at(i) == UInt8(ascii: ".") {
        i += 1
        if at(i) == UInt8(ascii: "*") {
            p.precision = .argument; i += 1
        } else {
            var v = 0
            while isDecimalDigit(at(i)) {
                v = v * 10 + Int(at(i) &- 0x30)
                if v > Int(Int32.max) { p.tooLarge = true; v = 0 }
                i += 1
            }
            p.precision = .literal(v)  // "." alone is precision 0
        }
    }
    switch at(i) {
    case UInt8(ascii: "h"):
        if at(i + 1) == UInt8(ascii: "h") { p.spec.length = .hh; i += 2 } else { p.spec.length = .h; i += 1 }
    case UInt8(ascii: "l"):
        if at(i + 1) == UInt8(ascii: "l") { p.spec.length = .ll; i += 2 } else { p.spec.length = .l; i += 1 }
    case UInt8(ascii: "q"): p.spec.length = .ll; i += 1
    case UInt8(ascii: "j"): p.spec.length = .j; i += 1
    case UInt8(ascii: "z"), UInt8(ascii: "Z"): p.spec.length = .z; i += 1
    case UInt8(ascii: "t"): p.spec.length = .t; i += 1
    case UInt8(ascii: "L"): p.spec.length = .L; i += 1
    default: break
    }
    if i >= n || at(i) == 0 {
        p.incomplete = true
        p.length = i - start
        return p
    }
    p.spec.conversion = at(i)
    p.length = i + 1 - start
    return p
}
