// CFormatting.swift — the C library's printf family and strtod/strtof, in Swift: the exact
// formatting and parsing of the Numbers module (host-tested against glibc, docs/NUMBERS.md)
// exposed to the C library (LibCPosix/Streams.swift's v…printf, NumberParsing.swift's strtod).
// C keeps only what C must do: the variadic entry points (LibC/variadic.c), which start the
// va_list, and the `va_arg` reads (LibC/varargs.c), which Swift cannot express.
import Numbers

// LibC/varargs.c: one va_arg read each from the `va_list *` (SysV x86-64 ABI §3.5.7).
@_extern(c, "sv_va_int") func vaInt(_ list: UnsafeMutableRawPointer) -> Int32
@_extern(c, "sv_va_long") func vaLong(_ list: UnsafeMutableRawPointer) -> Int64
@_extern(c, "sv_va_double") func vaDouble(_ list: UnsafeMutableRawPointer) -> Double
@_extern(c, "sv_va_long_double") func vaLongDouble(_ list: UnsafeMutableRawPointer) -> Double
@_extern(c, "sv_va_pointer") func vaPointer(_ list: UnsafeMutableRawPointer) -> UnsafeRawPointer?

/// The printf engine's arguments, read from a C va_list in order.
struct VaListArguments: PrintfArguments {
    let list: UnsafeMutableRawPointer

    mutating func nextInt(byteCount: Int) -> Int64 {
        byteCount == 4 ? Int64(vaInt(list)) : vaLong(list)
    }
    mutating func nextUInt(byteCount: Int) -> UInt64 {
        byteCount == 4 ? UInt64(UInt32(bitPattern: vaInt(list))) : UInt64(bitPattern: vaLong(list))
    }
    mutating func nextDouble() -> Double { vaDouble(list) }
    mutating func nextLongDouble() -> Double { vaLongDouble(list) }
    mutating func nextString(limit: Int?) -> [UInt8]? {
        guard let p = vaPointer(list) else { return nil }
        // C11 7.21.6.1p8: with a precision, read no further than it (the array need not end in NUL).
        let bytes = p.assumingMemoryBound(to: UInt8.self)
        var out: [UInt8] = []
        var i = 0
        while limit == nil || i < limit! {
            let b = bytes[i]
            if b == 0 { break }
            out.append(b)
            i += 1
        }
        return out
    }
    mutating func nextPointer() -> UInt { UInt(bitPattern: vaPointer(list)) }
}

/// Where formatted bytes go: a C callback (a stream or a string buffer, LibCPosix/Streams.swift).
public typealias CWrite = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int) -> Void

struct CallbackSink: PrintfSink {
    let write: CWrite
    let context: UnsafeMutableRawPointer?
    mutating func write(_ bytes: Span<UInt8>) {
        bytes.withUnsafeBufferPointer { write(context, $0.baseAddress, $0.count) }
    }
}

/// The length of a NUL-terminated string.
func cStringLength(_ s: UnsafePointer<UInt8>) -> Int {
    var n = 0
    while s[n] != 0 { n += 1 }
    return n
}

/// Why sv_format failed, as Streams.swift maps them to errno.
let formatUnsupported = -1   // EINVAL: %n, positional arguments, wide strings
let formatIncomplete = -2    // EINVAL: the format ends inside a conversion
let formatBadCharacter = -3  // EILSEQ: %lc of a non-ASCII character
let formatOverflow = -4      // EOVERFLOW: more than INT_MAX bytes

/// vfprintf's engine: formats `format` with the arguments in `list` (a `va_list *`), writing
/// through `write(context, bytes, count)`; the byte count, or one of the negative codes above.
@_cdecl("sv_format")
public func svFormat(_ format: UnsafePointer<UInt8>, _ list: UnsafeMutableRawPointer,
                     _ write: CWrite, _ context: UnsafeMutableRawPointer?) -> Int {
    var arguments = VaListArguments(list: list)
    var sink = CallbackSink(write: write, context: context)
    let text = UnsafeBufferPointer(start: format, count: cStringLength(format))
    do throws(PrintfError) {
        return try Printf.format(text.span, arguments: &arguments, to: &sink)
    } catch {
        switch error {
        case .unsupportedConversion: return formatUnsupported
        case .incompleteSpecification: return formatIncomplete
        case .invalidWideCharacter: return formatBadCharacter
        case .overflow: return formatOverflow
        }
    }
}

/// strtod (C11 7.22.1.3): the correctly rounded double at the front of `text`; `consumed` gets
/// the length of the subject sequence (0: no conversion), `rangeError` 1 for ERANGE.
@_cdecl("sv_strtod")
public func svStrtod(_ text: UnsafePointer<UInt8>, _ consumed: UnsafeMutablePointer<Int>,
                     _ rangeError: UnsafeMutablePointer<Int32>) -> Double {
    let bytes = UnsafeBufferPointer(start: text, count: cStringLength(text))
    let r = parseDouble(bytes.span)
    consumed.pointee = r.consumed
    rangeError.pointee = r.rangeError ? 1 : 0
    return r.value
}

/// strtof: as strtod, rounded once to binary32.
@_cdecl("sv_strtof")
public func svStrtof(_ text: UnsafePointer<UInt8>, _ consumed: UnsafeMutablePointer<Int>,
                     _ rangeError: UnsafeMutablePointer<Int32>) -> Float {
    let bytes = UnsafeBufferPointer(start: text, count: cStringLength(text))
    let r = parseFloat(bytes.span)
    consumed.pointee = r.consumed
    rangeError.pointee = r.rangeError ? 1 : 0
    return r.value
}
