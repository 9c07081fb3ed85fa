// Locale.swift — <locale.h> (C11 7.11) for a system with one locale, "C" (also named "POSIX",
// and "" — the environment's choice — is "C" too: the guest has no locale data). localeconv
// reports the "C" locale's conventions (C11 7.11.2.1p3: "." and the rest empty or CHAR_MAX).

/// "C", NUL-terminated, for the C callers (never written to: C11 7.11.1.1p8 forbids it).
private let cName: StaticString = "C"
private let empty: StaticString = ""
private let point: StaticString = "."

/// setlocale: the one locale's name for a query (NULL) or a request for "C", "POSIX" or "";
/// NULL (the request cannot be honoured, nothing changes) for any other name or category.
@_cdecl("setlocale")
public func setlocale(_ category: Int32, _ locale: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    guard category >= 0 && category <= 6 else { return nil }   // LC_CTYPE … LC_ALL (locale.h)
    let name = UnsafeMutablePointer(mutating: UnsafeRawPointer(cName.utf8Start).assumingMemoryBound(to: CChar.self))
    guard let locale else { return name }
    let bytes = cStringBytes(locale)
    if bytes.isEmpty || bytes.elementsEqual("C".utf8) || bytes.elementsEqual("POSIX".utf8) { return name }
    return nil
}

/// struct lconv as locale.h lays it out: ten string pointers, then fourteen chars.
private struct LConv {
    var strings: (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
                  UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
                  UnsafePointer<CChar>?, UnsafePointer<CChar>?)
    var chars: (CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar)
}

nonisolated(unsafe) private var conventions = LConv(
    strings: (nil, nil, nil, nil, nil, nil, nil, nil, nil, nil),
    chars: (127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127))

/// localeconv: the "C" locale's numeric and monetary conventions (decimal_point ".", every other
/// string "" and every char CHAR_MAX, "not available").
@_cdecl("localeconv")
public func localeconv() -> UnsafeMutableRawPointer {
    let e = UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self)
    let p = UnsafeRawPointer(point.utf8Start).assumingMemoryBound(to: CChar.self)
    conventions.strings = (p, e, e, e, e, e, e, e, e, e)
    // SAFETY: `conventions` is a global, so its address stays valid; C reads it through the pointer.
    return withUnsafeMutablePointer(to: &conventions) { UnsafeMutableRawPointer($0) }
}
