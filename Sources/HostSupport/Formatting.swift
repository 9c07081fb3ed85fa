// Formatting.swift — the fixed-point number formats the reports use ("%.2f", "%11.1f"), and
// column padding.
import Glibc

/// `value` with `fractionDigits` digits after the point, right-aligned in `width` characters: what
/// printf's "%*.*f" prints. It goes through vsnprintf so the rounding is exactly printf's (what
/// Foundation's String(format:) printed before), not a re-implementation of it.
public func formatFixed(_ value: Double, fractionDigits: Int, width: Int = 0) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let needed = formatFixed(value, fractionDigits: fractionDigits, width: width, into: &buffer)
    if needed >= buffer.count {   // only for huge values or widths
        buffer = [CChar](repeating: 0, count: needed + 1)
        _ = formatFixed(value, fractionDigits: fractionDigits, width: width, into: &buffer)
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func formatFixed(_ value: Double, fractionDigits: Int, width: Int, into buffer: inout [CChar]) -> Int {
    let count = buffer.count
    // SAFETY: vsnprintf writes at most `count` bytes (the NUL included) into the buffer; the va_list
    // matches "%*.*f": int, int, double.
    let n = withVaList([Int32(clamping: width), Int32(clamping: fractionDigits), value]) { args in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, count, "%*.*f", args) }
    }
    return Int(max(n, 0))
}

/// `text` cut or padded with spaces to exactly `length` characters (a table column).
public func padded(_ text: String, to length: Int) -> String {
    let cut = text.prefix(length)
    return String(cut) + String(repeating: " ", count: length - cut.count)
}
