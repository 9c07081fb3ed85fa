// Support.swift — the glibc reference (snprintf/strtod/strtof through Glibc, in the tests only),
// our engine driven with the same arguments, and a seeded random generator.
import Glibc
import Numbers

/// SplitMix64: fast, seeded, reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A count from the environment (NUMBERS_<NAME>), else the default.
func configuredCount(_ name: String, default value: Int) -> Int {
    if let p = getenv("NUMBERS_" + name), let v = Int(String(cString: p)) { return v }
    return value
}

/// One printf argument, as the tests pass them to both implementations.
enum Arg {
    case int(Int32), long(Int64), uint(UInt32), ulong(UInt64), double(Double)
    case string(String?), pointer(UInt)

    var cVarArg: CVarArg {
        switch self {
        case .int(let v): return v
        case .long(let v): return v
        case .uint(let v): return v
        case .ulong(let v): return v
        case .double(let v): return v
        case .string: fatalError("strings are passed by glibc()")
        case .pointer(let p): return Int(bitPattern: p)
        }
    }
}

/// The va_list side for our engine.
struct TestArguments: PrintfArguments {
    var args: [Arg]
    var next = 0
    mutating func take() -> Arg { defer { next += 1 }; return args[next] }
    mutating func nextInt(byteCount: Int) -> Int64 {
        switch take() {
        case .int(let v): return Int64(v)
        case .long(let v): return v
        case .uint(let v): return Int64(Int32(bitPattern: v))
        case .ulong(let v): return Int64(bitPattern: v)
        default: fatalError("not an integer")
        }
    }
    mutating func nextUInt(byteCount: Int) -> UInt64 {
        switch take() {
        case .int(let v): return UInt64(UInt32(bitPattern: v))
        case .long(let v): return UInt64(bitPattern: v)
        case .uint(let v): return UInt64(v)
        case .ulong(let v): return v
        default: fatalError("not an integer")
        }
    }
    mutating func nextDouble() -> Double {
        guard case .double(let v) = take() else { fatalError("not a double") }
        return v
    }
    mutating func nextString(limit: Int?) -> [UInt8]? {
        guard case .string(let s) = take() else { fatalError("not a string") }
        guard let s else { return nil }
        var b = Array(s.utf8)
        if let limit, b.count > limit { b.removeSubrange(limit...) }
        return b
    }
    mutating func nextPointer() -> UInt {
        guard case .pointer(let p) = take() else { fatalError("not a pointer") }
        return p
    }
}

struct ByteSink: PrintfSink {
    var bytes: [UInt8] = []
    mutating func write(_ b: Span<UInt8>) { for i in 0..<b.count { bytes.append(b[i]) } }
}

/// Our printf: the bytes, or nil if it refused.
func ours(_ format: String, _ args: [Arg]) -> [UInt8]? {
    var a = TestArguments(args: args)
    var sink = ByteSink()
    let f = Array(format.utf8)
    do {
        let n = try Printf.format(f.span, arguments: &a, to: &sink)
        precondition(n == sink.bytes.count)
        return sink.bytes
    } catch {
        return nil
    }
}

/// glibc's snprintf of the same thing.
func glibc(_ format: String, _ args: [Arg]) -> [UInt8]? {
    var cargs: [CVarArg] = []
    var strings: [UnsafeMutablePointer<CChar>] = []
    for a in args {
        if case .string(let s) = a {
            if let s { let p = strdup(s)!; strings.append(p); cargs.append(UnsafePointer(p)) }
            else { cargs.append(Int(0)) }
        } else if case .pointer(let p) = a {
            cargs.append(Int(bitPattern: p))
        } else {
            cargs.append(a.cVarArg)
        }
    }
    defer { for p in strings { free(p) } }
    return glibcFormat(format, cargs)
}

/// vsnprintf into a buffer that fits; nil when glibc returns -1.
func glibcFormat(_ format: String, _ cargs: [CVarArg]) -> [UInt8]? {
    let first = withVaList(cargs) { va -> (Int, [UInt8]) in
        var buf = [CChar](repeating: 0, count: 512)
        let n = Int(vsnprintf(&buf, buf.count, format, va))
        return (n, n >= 0 && n < buf.count ? buf[0..<n].map { UInt8(bitPattern: $0) } : [])
    }
    if first.0 < 0 { return nil }
    if first.0 < 512 { return first.1 }
    let n = first.0
    return withVaList(cargs) { va -> [UInt8] in
        var buf = [CChar](repeating: 0, count: n + 1)
        _ = vsnprintf(&buf, buf.count, format, va)
        return buf[0..<n].map { UInt8(bitPattern: $0) }
    }
}

/// glibc's strtod/strtof: value bits, bytes consumed, ERANGE.
func glibcStrtod(_ s: [UInt8]) -> (UInt64, Int, Bool) {
    var z = s.map { CChar(bitPattern: $0) }; z.append(0)
    return z.withUnsafeBufferPointer { p in
        var end: UnsafeMutablePointer<CChar>? = nil
        errno = 0
        let v = strtod(p.baseAddress!, &end)
        let e = errno == ERANGE
        return (v.bitPattern, end! - UnsafeMutablePointer(mutating: p.baseAddress!), e)
    }
}
func glibcStrtof(_ s: [UInt8]) -> (UInt32, Int, Bool) {
    var z = s.map { CChar(bitPattern: $0) }; z.append(0)
    return z.withUnsafeBufferPointer { p in
        var end: UnsafeMutablePointer<CChar>? = nil
        errno = 0
        let v = strtof(p.baseAddress!, &end)
        let e = errno == ERANGE
        return (v.bitPattern, end! - UnsafeMutablePointer(mutating: p.baseAddress!), e)
    }
}
func oursStrtod(_ s: [UInt8]) -> (UInt64, Int, Bool) {
    let r = parseDouble(s.span)
    return (r.value.bitPattern, r.consumed, r.rangeError)
}
func oursStrtof(_ s: [UInt8]) -> (UInt32, Int, Bool) {
    let r = parseFloat(s.span)
    return (r.value.bitPattern, r.consumed, r.rangeError)
}

func text(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "<refused>" }
