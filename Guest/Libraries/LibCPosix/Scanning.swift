// Scanning.swift — the scanf family's engine (C11 7.21.6.2): directives, conversions d i o u x X
// a e f g A E F G c s [ p n %, assignment suppression (*), field widths and the length modifiers
// hh h l ll j z t (L stores a double's value as long double is not supported: a matching failure).
// The variadic entry points (sscanf, fscanf, scanf: LibC/variadic.c) and their v forms
// (Streams.swift) hand their va_list and a byte source to `sv_scan`; numbers are read with
// strtod / strtoull semantics (floats through the C library's strtod, correctly rounded).

@_extern(c, "sv_va_pointer") func vaPointer(_ list: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?

/// The input: one byte of look-ahead over the caller's source (a string or a stream).
struct ScanInput {
    let get: @convention(c) (UnsafeMutableRawPointer?) -> Int32
    let context: UnsafeMutableRawPointer?
    var lookahead: Int32? = nil
    var consumed = 0          // bytes taken so far, for %n

    mutating func peek() -> Int32 {
        if let c = lookahead { return c }
        let c = get(context)
        lookahead = c
        return c
    }
    mutating func take() { if lookahead != nil && lookahead! >= 0 { consumed += 1 }; lookahead = nil }
    mutating func skipSpace() { while isSpace(peek()) { take() } }
}

func isSpace(_ c: Int32) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
func digitValue(_ c: Int32) -> Int? {
    switch c {
    case 0x30...0x39: return Int(c - 0x30)
    case 0x61...0x7A: return Int(c - 0x61 + 10)
    case 0x41...0x5A: return Int(c - 0x41 + 10)
    default: return nil
    }
}

private enum Length { case hh, h, none, l, ll, capitalL }

/// sv_scan: the number of receiving arguments assigned, or EOF (-1) if the input ended before the
/// first conversion. The byte source returns the next byte or EOF; the byte looked at last and
/// not used is handed back with `unget` (so a stream can be read on from there).
@_cdecl("sv_scan")
public func svScan(_ formatPointer: UnsafePointer<CChar>, _ ap: UnsafeMutableRawPointer,
                   _ get: @convention(c) (UnsafeMutableRawPointer?) -> Int32,
                   _ unget: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void,
                   _ context: UnsafeMutableRawPointer?) -> Int32 {
    var input = ScanInput(get: get, context: context)
    let result = scan(cStringBytes(formatPointer), ap, &input)
    if let c = input.lookahead, c >= 0 { unget(c, context) }
    return result
}

private func scan(_ format: UnsafeBufferPointer<UInt8>, _ ap: UnsafeMutableRawPointer, _ input: inout ScanInput) -> Int32 {
    var assigned: Int32 = 0
    var converted = false     // whether any conversion was attempted with input available
    var i = 0
    func inputFailure() -> Int32 { converted || assigned > 0 ? assigned : -1 }
    while i < format.count {
        let f = format[i]
        if isSpace(Int32(f)) {
            input.skipSpace(); i += 1; continue
        }
        if f != UInt8(ascii: "%") || (i + 1 < format.count && format[i + 1] == UInt8(ascii: "%")) {
            if f == UInt8(ascii: "%") { i += 1; input.skipSpace() }   // "%%" skips white space first
            let c = input.peek()
            if c < 0 { return inputFailure() }
            if c != Int32(f) { return assigned }
            input.take(); i += 1; continue
        }
        i += 1
        var suppress = false
        if i < format.count && format[i] == UInt8(ascii: "*") { suppress = true; i += 1 }
        var width = 0
        while i < format.count, let d = digitValue(Int32(format[i])), d < 10 { width = width * 10 + d; i += 1 }
        var length = Length.none
        if i < format.count {
            switch format[i] {
            case UInt8(ascii: "h"):
                i += 1
                if i < format.count && format[i] == UInt8(ascii: "h") { length = .hh; i += 1 } else { length = .h }
            case UInt8(ascii: "l"):
                i += 1
                if i < format.count && format[i] == UInt8(ascii: "l") { length = .ll; i += 1 } else { length = .l }
            case UInt8(ascii: "j"), UInt8(ascii: "z"), UInt8(ascii: "t"): length = .ll; i += 1
            case UInt8(ascii: "L"): length = .capitalL; i += 1
            default: break
            }
        }
        guard i < format.count else { return assigned }
        let conversion = format[i]
        i += 1
        let limit = width > 0 ? width : Int.max
        switch conversion {
        case UInt8(ascii: "n"):
            if !suppress, let p = vaPointer(ap) { storeInteger(Int64(input.consumed), p, length) }
        case UInt8(ascii: "d"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
             UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "p"):
            input.skipSpace()
            if input.peek() < 0 { return inputFailure() }
            converted = true
            let base: Int
            switch conversion {
            case UInt8(ascii: "d"), UInt8(ascii: "u"): base = 10
            case UInt8(ascii: "o"): base = 8
            case UInt8(ascii: "i"): base = 0
            default: base = 16
            }
            guard let value = scanInteger(&input, base: base, limit: limit) else { return assigned }
            if !suppress, let p = vaPointer(ap) {
                if conversion == UInt8(ascii: "p") { p.storeBytes(of: UInt64(bitPattern: value), as: UInt64.self) }
                else { storeInteger(value, p, length) }
                assigned += 1
            }
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "f"), UInt8(ascii: "g"),
             UInt8(ascii: "A"), UInt8(ascii: "E"), UInt8(ascii: "F"), UInt8(ascii: "G"):
            input.skipSpace()
            if input.peek() < 0 { return inputFailure() }
            converted = true
            guard length != .capitalL, let value = scanFloat(&input, limit: limit) else { return assigned }
            if !suppress, let p = vaPointer(ap) {
                if length == .l || length == .ll { p.storeBytes(of: value, as: Double.self) }
                else { p.storeBytes(of: Float(value), as: Float.self) }
                assigned += 1
            }
        case UInt8(ascii: "s"), UInt8(ascii: "c"), UInt8(ascii: "["):
            var set = [Bool](repeating: false, count: 256)
            if conversion == UInt8(ascii: "s") {
                input.skipSpace()
                for b in 0..<256 where !isSpace(Int32(b)) { set[b] = true }
            } else if conversion == UInt8(ascii: "c") {
                for b in 0..<256 { set[b] = true }
            } else {
                guard let next = parseSet(format, from: i, into: &set) else { return assigned }
                i = next
            }
            if input.peek() < 0 { return inputFailure() }
            converted = true
            let count = conversion == UInt8(ascii: "c") ? (width > 0 ? width : 1) : limit
            let target = suppress ? nil : vaPointer(ap)?.assumingMemoryBound(to: UInt8.self)
            var n = 0
            while n < count {
                let c = input.peek()
                guard c >= 0, set[Int(c)] else { break }
                target?[n] = UInt8(c)
                input.take(); n += 1
            }
            if conversion == UInt8(ascii: "c") {
                if n < count { return n == 0 ? inputFailure() : assigned }
            } else {
                if n == 0 { return assigned }
                target?[n] = 0
            }
            if target != nil { assigned += 1 }
        default:
            return assigned   // an unknown conversion: undefined (C11 7.21.6.2p13); stop here
        }
    }
    return assigned
}

/// A %[ scan set from format[i...] (after "[": "^" negates, a leading "]" is a member, a-z a
/// range); the index after its closing "]", or nil if there is none.
private func parseSet(_ format: UnsafeBufferPointer<UInt8>, from start: Int, into set: inout [Bool]) -> Int? {
    var i = start
    var negate = false
    if i < format.count && format[i] == UInt8(ascii: "^") { negate = true; i += 1 }
    var members = [Bool](repeating: false, count: 256)
    var first = true
    while i < format.count && (first || format[i] != UInt8(ascii: "]")) {
        let c = format[i]
        if i + 2 < format.count && format[i + 1] == UInt8(ascii: "-") && format[i + 2] != UInt8(ascii: "]") && format[i + 2] >= c {
            for b in Int(c)...Int(format[i + 2]) { members[b] = true }
            i += 3
        } else {
            members[Int(c)] = true
            i += 1
        }
        first = false
    }
    guard i < format.count else { return nil }
    for b in 0..<256 { set[b] = members[b] != negate }
    return i + 1
}

/// An integer as strtoll/strtoull read it (sign, 0x/0 prefixes for base 16/0), at most `limit`
/// bytes; nil (a matching failure) without a digit. Out of range wraps to the low 64 bits, as the
/// value cannot be represented anyway (C11 7.21.6.2p10: undefined).
private func scanInteger(_ input: inout ScanInput, base requested: Int, limit: Int) -> Int64? {
    var budget = limit
    var negative = false
    var c = input.peek()
    if budget > 0 && (c == 0x2B || c == 0x2D) { negative = c == 0x2D; input.take(); budget -= 1; c = input.peek() }
    var base = requested
    var digits = 0
    var value: UInt64 = 0
    if (base == 0 || base == 16) && budget > 0 && c == 0x30 {
        input.take(); budget -= 1; digits = 1
        c = input.peek()
        if budget > 0 && (c == 0x78 || c == 0x58) {
            // "0x" without a hex digit after it is the number 0, the x consumed (as glibc reads it).
            input.take(); budget -= 1; base = 16
            c = input.peek()
        } else if base == 0 { base = 8 }
    }
    if base == 0 { base = 10 }
    while budget > 0, let d = digitValue(c), d < base {
        value = value &* UInt64(base) &+ UInt64(d)
        input.take(); budget -= 1; digits += 1
        c = input.peek()
    }
    guard digits > 0 else { return nil }
    return Int64(bitPattern: negative ? 0 &- value : value)
}

/// A floating constant as strtod reads it (decimal, hexadecimal, inf, infinity, nan, nan(…)),
/// at most `limit` bytes; nil (a matching failure) if the bytes are no such number.
private func scanFloat(_ input: inout ScanInput, limit: Int) -> Double? {
    var text: [UInt8] = []
    func accept(_ predicate: (Int32) -> Bool) -> Bool {
        let c = input.peek()
        guard text.count < limit, c >= 0, predicate(c) else { return false }
        text.append(UInt8(c)); input.take()
        return true
    }
    func lower(_ c: Int32) -> Int32 { c >= 0x41 && c <= 0x5A ? c + 32 : c }
    _ = accept { $0 == 0x2B || $0 == 0x2D }
    let c = lower(input.peek())
    if c == 0x69 || c == 0x6E {                                   // inf / infinity / nan
        let word: [UInt8] = c == 0x69 ? Array("infinity".utf8) : Array("nan".utf8)
        var matched = 0
        while matched < word.count && accept({ lower($0) == Int32(word[matched]) }) { matched += 1 }
        if c == 0x69 && matched != 3 && matched != 8 { return nil }
        if c == 0x6E {
            guard matched == 3 else { return nil }
            if accept({ $0 == 0x28 }) {
                while accept({ digitValue($0) != nil || $0 == 0x5F }) {}
                guard accept({ $0 == 0x29 }) else { return nil }
            }
        }
    } else {
        var hex = false
        var digits = 0
        if accept({ $0 == 0x30 }) {
            digits = 1
            if accept({ $0 == 0x78 || $0 == 0x58 }) { hex = true; digits = 0 }
        }
        let isDigit: (Int32) -> Bool = { hex ? (digitValue($0).map { $0 < 16 } ?? false) : ($0 >= 0x30 && $0 <= 0x39) }
        while accept(isDigit) { digits += 1 }
        if accept({ $0 == 0x2E }) { while accept(isDigit) { digits += 1 } }
        guard digits > 0 else { return nil }
        let mantissa = text.count
        if accept({ hex ? ($0 == 0x70 || $0 == 0x50) : ($0 == 0x65 || $0 == 0x45) }) {
            _ = accept { $0 == 0x2B || $0 == 0x2D }
            var exponentDigits = 0
            while accept({ $0 >= 0x30 && $0 <= 0x39 }) { exponentDigits += 1 }
            // An exponent without digits ("1e", "1e+"): the bytes stay consumed but the number is
            // the part before them, as glibc reads it.
            if exponentDigits == 0 { text.removeLast(text.count - mantissa) }
        }
    }
    text.append(0)
    return text.withUnsafeBufferPointer {
        strtod(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), nil)
    }
}

/// Stores an integer conversion's value in the width its length modifier names.
private func storeInteger(_ value: Int64, _ p: UnsafeMutableRawPointer, _ length: Length) {
    switch length {
    case .hh: p.storeBytes(of: Int8(truncatingIfNeeded: value), as: Int8.self)
    case .h: p.storeBytes(of: Int16(truncatingIfNeeded: value), as: Int16.self)
    case .none, .capitalL: p.storeBytes(of: Int32(truncatingIfNeeded: value), as: Int32.self)
    case .l, .ll: p.storeBytes(of: value, as: Int64.self)
    }
}
