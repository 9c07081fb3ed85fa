// Printf.swift — the printf format engine (C11 7.21.6.1), behaving as glibc's: walks the format,
// pulls each argument from an argument source (the C library implements it over va_list) and
// writes bytes to a sink. Integer and string conversions are here; the floating ones are in
// FloatFormatting.swift and HexFloat.swift.

/// Where the engine gets its arguments, in order (the C library reads them with va_arg).
public protocol PrintfArguments {
    /// The next signed integer argument, read as a C `int` (byteCount 4) or a 64-bit
    /// `long`/`long long`/`intmax_t`/`ssize_t`/`ptrdiff_t` (byteCount 8); hh and h read an int
    /// (default argument promotion) and the engine truncates it.
    mutating func nextInt(byteCount: Int) -> Int64
    /// The next unsigned integer argument (`unsigned` for 4, 64-bit types for 8).
    mutating func nextUInt(byteCount: Int) -> UInt64
    /// The next `double` argument.
    mutating func nextDouble() -> Double
    /// The next `long double` argument (%Lf …) as the closest double (the C library may convert).
    mutating func nextLongDouble() -> Double
    /// The next `char *` argument's bytes up to its NUL, reading at most `limit` bytes when a
    /// limit is given (C11 7.21.6.1p8: with a precision the array need not be NUL-terminated);
    /// nil for a null pointer.
    mutating func nextString(limit: Int?) -> [UInt8]?
    /// The next `void *` argument's address.
    mutating func nextPointer() -> UInt
}

extension PrintfArguments {
    public mutating func nextLongDouble() -> Double { nextDouble() }
}

/// Where the engine writes.
public protocol PrintfSink {
    mutating func write(_ bytes: Span<UInt8>)
}

/// Why a format was refused; printf returns -1 with errno set.
public enum PrintfError: Error, Equatable {
    /// %n (refused: writing through a format is a classic exploit) or another conversion we do
    /// not implement (%m, %ls, %C, %S, positional "%1$d"). errno EINVAL.
    case unsupportedConversion(UInt8)
    /// The format ends inside a conversion specification ("abc%", "%5.3"): glibc returns -1
    /// with EINVAL.
    case incompleteSpecification
    /// %lc of a character not representable in the C locale (glibc: EILSEQ).
    case invalidWideCharacter
    /// More than INT_MAX bytes (C11 7.21.6.1p15; errno EOVERFLOW).
    case overflow
}

/// The printf format engine.
public enum Printf {
    /// Format `format` with `arguments`, writing to `sink`; returns the number of bytes written
    /// (what printf returns). On an error, what was formatted before it has been written (as
    /// glibc's printf does) and printf returns -1.
    public static func format<A: PrintfArguments, S: PrintfSink>(
        _ format: Span<UInt8>, arguments: inout A, to sink: inout S
    ) throws(PrintfError) -> Int {
        try formatAll(format, arguments: &arguments, to: &sink)
    }
}

func formatAll<A: PrintfArguments, S: PrintfSink>(
    _ format: Span<UInt8>, arguments: inout A, to sink: inout S
) throws(PrintfError) -> Int {
    var out = SinkOutput(sink: sink)
    defer {
        out.flush()
        sink = out.sink
    }
    let n = format.count
    var i = 0
    while i < n && format[i] != 0 {
        let c = format[i]
        if c != UInt8(ascii: "%") {
            out.append(c)
            i += 1
            continue
        }
        let parsed = parseSpec(format, from: i + 1)
        if parsed.positional { throw .unsupportedConversion(UInt8(ascii: "$")) }
        if parsed.incomplete { throw .incompleteSpecification }
        var spec = parsed.spec
        switch parsed.width {
        case .none: break
        case .literal(let w): spec.width = w
        case .argument:
            let w = Int(Int32(truncatingIfNeeded: arguments.nextInt(byteCount: 4)))
            if w < 0 { spec.leftAlign = true; spec.width = -w } else { spec.width = w }
        }
        switch parsed.precision {
        case .none: break
        case .literal(let p): spec.precision = p
        case .argument:
            let p = Int(Int32(truncatingIfNeeded: arguments.nextInt(byteCount: 4)))
            spec.precision = p < 0 ? nil : p
        }
        // C11 7.21.6.1p15: more than INT_MAX bytes is an error (glibc: EOVERFLOW); refuse before
        // building a field that long.
        // (Integers print at least `precision` bytes; e f a at least precision + 2, as does g with
        // '#'; %s and g without '#' may print fewer.)
        let limit = Int(Int32.max) - out.count
        let conv = spec.conversion
        let lower = conv | 0x20
        let atLeastPrecision: Int
        switch lower {
        case UInt8(ascii: "s"), UInt8(ascii: "c"), UInt8(ascii: "%"): atLeastPrecision = 0
        case UInt8(ascii: "g"): atLeastPrecision = spec.alternate ? (spec.precision ?? 0) + 2 : 0
        case UInt8(ascii: "e"), UInt8(ascii: "f"), UInt8(ascii: "a"): atLeastPrecision = (spec.precision ?? 0) + 2
        default: atLeastPrecision = spec.precision ?? 0
        }
        if parsed.tooLarge || spec.width > limit || atLeastPrecision > limit {
            throw .overflow
        }
        try formatOne(spec, arguments: &arguments, into: &out,
                      literal: format, literalRange: i..<(i + 1 + parsed.length))
        if out.count > Int(Int32.max) { throw .overflow }
        i += 1 + parsed.length
    }
    return out.count
}

/// The engine's output: buffered, counted, flushed to the sink in chunks of at most 4 KiB.
struct SinkOutput<S: PrintfSink>: ByteOutput {
    var sink: S
    var buffer: [UInt8] = []
    /// Bytes produced so far.
    var count = 0
    static var chunk: Int { 4096 }

    init(sink: S) {
        self.sink = sink
        buffer.reserveCapacity(256)
    }

    mutating func flush() {
        if !buffer.isEmpty {
            // Move the buffer out (the sink's write must not overlap an access to self) and back,
            // keeping it uniquely referenced so that its storage is reused.
            var bytes: [UInt8] = []
            swap(&bytes, &buffer)
            sink.write(bytes.span)
            bytes.removeAll(keepingCapacity: true)
            swap(&bytes, &buffer)
        }
    }
    mutating func append(_ byte: UInt8) {
        buffer.append(byte)
        count += 1
        if buffer.count >= Self.chunk { flush() }
    }
    mutating func append(contentsOf bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        count += bytes.count
        if buffer.count >= Self.chunk { flush() }
    }
    mutating func append(repeating byte: UInt8, count n: Int) {
        var left = n
        count += n
        while left > 0 {
            let k = min(left, Self.chunk)
            buffer.append(contentsOf: repeatElement(byte, count: k))
            left -= k
            if buffer.count >= Self.chunk { flush() }
        }
    }
}

/// One conversion into `out`.
func formatOne<A: PrintfArguments, O: ByteOutput>(
    _ spec0: ConversionSpec, arguments: inout A, into out: inout O,
    literal: Span<UInt8>, literalRange: Range<Int>
) throws(PrintfError) {
    var spec = spec0
    let conv = spec.conversion
    switch conv {
    case UInt8(ascii: "d"), UInt8(ascii: "i"):
        let v: Int64
        switch spec.length {
        case .none: v = Int64(Int32(truncatingIfNeeded: arguments.nextInt(byteCount: 4)))
        case .hh: v = Int64(Int8(truncatingIfNeeded: arguments.nextInt(byteCount: 4)))
        case .h: v = Int64(Int16(truncatingIfNeeded: arguments.nextInt(byteCount: 4)))
        default: v = arguments.nextInt(byteCount: 8)
        }
        var prefix: [UInt8] = []
        if v < 0 { prefix.append(UInt8(ascii: "-")) }
        else if spec.plusSign { prefix.append(UInt8(ascii: "+")) }
        else if spec.spaceSign { prefix.append(UInt8(ascii: " ")) }
        formatInteger(v.magnitude, base: 10, prefix: prefix, spec: spec, into: &out)
    case UInt8(ascii: "u"), UInt8(ascii: "o"), UInt8(ascii: "x"), UInt8(ascii: "X"):
        let v: UInt64
        switch spec.length {
        case .none: v = UInt64(UInt32(truncatingIfNeeded: arguments.nextUInt(byteCount: 4)))
        case .hh: v = UInt64(UInt8(truncatingIfNeeded: arguments.nextUInt(byteCount: 4)))
        case .h: v = UInt64(UInt16(truncatingIfNeeded: arguments.nextUInt(byteCount: 4)))
        default: v = arguments.nextUInt(byteCount: 8)
        }
        let base: UInt64 = conv == UInt8(ascii: "u") ? 10 : conv == UInt8(ascii: "o") ? 8 : 16
        var prefix: [UInt8] = []
        if base == 16 && spec.alternate && v != 0 {
            prefix.append(UInt8(ascii: "0")); prefix.append(conv)
        }
        formatInteger(v, base: base, prefix: prefix, spec: spec, into: &out)
    case UInt8(ascii: "p"):
        let p = arguments.nextPointer()
        if p == 0 {
            spec.precision = nil
            emitField(prefix: [], body: Array("(nil)".utf8), spec: spec, zeroPad: false, into: &out)
        } else {
            // glibc: %#lx, keeping the '+' and ' ' flags.
            var prefix: [UInt8] = []
            if spec.plusSign { prefix.append(UInt8(ascii: "+")) }
            else if spec.spaceSign { prefix.append(UInt8(ascii: " ")) }
            prefix.append(UInt8(ascii: "0")); prefix.append(UInt8(ascii: "x"))
            spec.conversion = UInt8(ascii: "x")
            formatInteger(UInt64(p), base: 16, prefix: prefix, spec: spec, into: &out)
        }
    case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "e"), UInt8(ascii: "E"),
         UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "a"), UInt8(ascii: "A"):
        let v = spec.length == .L ? arguments.nextLongDouble() : arguments.nextDouble()
        formatDoubleField(v, spec, into: &out)
    case UInt8(ascii: "c"):
        let code = arguments.nextInt(byteCount: 4)
        var byte = UInt8(truncatingIfNeeded: code)
        if spec.length == .l {
            // wint_t through wcrtomb in the C locale: ASCII only.
            let wc = UInt32(truncatingIfNeeded: code)
            if wc >= 0x80 { throw .invalidWideCharacter }
            byte = UInt8(wc)
        }
        spec.precision = nil
        emitField(prefix: [], body: [byte], spec: spec, zeroPad: false, into: &out)
    case UInt8(ascii: "s"):
        if spec.length == .l { throw .unsupportedConversion(conv) }
        let bytes = arguments.nextString(limit: spec.precision)
        var body: [UInt8]
        if let b = bytes {
            body = b
            if let p = spec.precision, body.count > p { body.removeSubrange(p...) }
        } else {
            // glibc: "(null)" unless a precision below 6 would cut it, then nothing.
            if let p = spec.precision, p < 6 { body = [] } else { body = Array("(null)".utf8) }
        }
        emitField(prefix: [], body: body, spec: spec, zeroPad: false, into: &out)
    case UInt8(ascii: "%"):
        out.append(UInt8(ascii: "%"))
    case UInt8(ascii: "n"), UInt8(ascii: "m"), UInt8(ascii: "C"), UInt8(ascii: "S"):
        // %n is refused; %m (strerror(errno)) and the wide %C %S are the C library's to add.
        throw .unsupportedConversion(conv)
    default:
        // glibc prints an unknown conversion specification as it stands.
        for k in literalRange { out.append(literal[k]) }
    }
}

/// d i o u x X (C11 7.21.6.1p8): `precision` minimum digits (default 1; 0 with value 0 prints no
/// digits), '#' with o forces a leading 0; zero padding only without '-' and without precision.
func formatInteger<O: ByteOutput>(_ magnitude: UInt64, base: UInt64, prefix: [UInt8],
                                  spec: ConversionSpec, into out: inout O) {
    let hex: StaticString = spec.conversion == UInt8(ascii: "X") ? "0123456789ABCDEF" : "0123456789abcdef"
    var reversed: [UInt8] = []
    var x = magnitude
    while x != 0 { reversed.append(hex.utf8Start[Int(x % base)]); x /= base }
    let precision = spec.precision ?? 1
    var zeros = precision > reversed.count ? precision - reversed.count : 0
    if base == 8 && spec.alternate && zeros == 0 && reversed.last != UInt8(ascii: "0") {
        zeros = 1
    }
    let zeroPad = spec.zeroPad && !spec.leftAlign && spec.precision == nil
    emitField(prefix: prefix, body: Array(reversed.reversed()), spec: spec, zeroPad: zeroPad,
              precisionZeros: zeros, into: &out)
}
