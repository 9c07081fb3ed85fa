// WideCharacters.swift — the multibyte and wide-character conversions of <stdlib.h> and
// <wctype.h> in the "C" locale, the only one (Locale.swift): one byte is one character
// (MB_CUR_MAX 1, POSIX.1-2017 §6.2: the POSIX locale's 256 byte values are single-byte
// characters), and the wide character is the byte's value. No shift states.

/// mbtowc (C11 7.22.7.2): 0 for the null character or a NULL `s` (no state), -1 if n is 0,
/// otherwise 1 and the byte's value in *wc.
@_cdecl("mbtowc")
public func mbtowc(_ wc: UnsafeMutablePointer<Int32>?, _ s: UnsafePointer<CChar>?, _ n: Int) -> Int32 {
    guard let s else { return 0 }
    guard n > 0 else { setErrno(EILSEQ); return -1 }
    let byte = UInt8(bitPattern: s.pointee)
    wc?.pointee = Int32(byte)
    return byte == 0 ? 0 : 1
}

/// mblen (C11 7.22.7.1): mbtowc without storing.
@_cdecl("mblen")
public func mblen(_ s: UnsafePointer<CChar>?, _ n: Int) -> Int32 { mbtowc(nil, s, n) }

/// wctomb (C11 7.22.7.3): 0 for a NULL `s` (no state); 1 and the byte for a wide character
/// 0…255; -1 (EILSEQ) for one the locale cannot represent.
@_cdecl("wctomb")
public func wctomb(_ s: UnsafeMutablePointer<CChar>?, _ wc: Int32) -> Int32 {
    guard let s else { return 0 }
    guard wc >= 0 && wc <= 255 else { setErrno(EILSEQ); return -1 }
    s.pointee = CChar(bitPattern: UInt8(wc))
    return 1
}

/// towupper / towlower (C11 7.30.3.1): ASCII letters only, as the "C" locale's toupper/tolower.
@_cdecl("towupper")
public func towupper(_ wc: UInt32) -> UInt32 { wc >= 0x61 && wc <= 0x7A ? wc - 32 : wc }
@_cdecl("towlower")
public func towlower(_ wc: UInt32) -> UInt32 { wc >= 0x41 && wc <= 0x5A ? wc + 32 : wc }
