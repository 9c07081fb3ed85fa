// CharacterClasses.swift — <ctype.h> in the "C" locale (C11 7.4; 7.4.1 lists each class's members
// there): ASCII only, so a byte from 128 up, and EOF, is in no class and maps to itself.

@inline(__always) private func answer(_ yes: Bool) -> Int32 { yes ? 1 : 0 }
@inline(__always) private func upper(_ c: Int32) -> Bool { c >= 0x41 && c <= 0x5A }
@inline(__always) private func lower(_ c: Int32) -> Bool { c >= 0x61 && c <= 0x7A }
@inline(__always) private func digit(_ c: Int32) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) private func printing(_ c: Int32) -> Bool { c >= 0x20 && c < 0x7F }

@_cdecl("isdigit")
public func isdigit(_ c: Int32) -> Int32 { answer(digit(c)) }
@_cdecl("isupper")
public func isupper(_ c: Int32) -> Int32 { answer(upper(c)) }
@_cdecl("islower")
public func islower(_ c: Int32) -> Int32 { answer(lower(c)) }
@_cdecl("isalpha")
public func isalpha(_ c: Int32) -> Int32 { answer(upper(c) || lower(c)) }
@_cdecl("isalnum")
public func isalnum(_ c: Int32) -> Int32 { answer(upper(c) || lower(c) || digit(c)) }
/// Space, and \t \n \v \f \r (9…13).
@_cdecl("isspace")
public func isspace(_ c: Int32) -> Int32 { answer(c == 0x20 || (c >= 0x09 && c <= 0x0D)) }
@_cdecl("isprint")
public func isprint(_ c: Int32) -> Int32 { answer(printing(c)) }
@_cdecl("iscntrl")
public func iscntrl(_ c: Int32) -> Int32 { answer((c >= 0 && c < 0x20) || c == 0x7F) }
/// Printing, and neither a letter, a digit nor the space.
@_cdecl("ispunct")
public func ispunct(_ c: Int32) -> Int32 { answer(printing(c) && c != 0x20 && !upper(c) && !lower(c) && !digit(c)) }
@_cdecl("isxdigit")
public func isxdigit(_ c: Int32) -> Int32 { answer(digit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) }
@_cdecl("toupper")
public func toupper(_ c: Int32) -> Int32 { lower(c) ? c - 32 : c }
@_cdecl("tolower")
public func tolower(_ c: Int32) -> Int32 { upper(c) ? c + 32 : c }
@_cdecl("isgraph")
public func isgraph(_ c: Int32) -> Int32 { answer(c > 0x20 && c < 0x7F) }
@_cdecl("isblank")
public func isblank(_ c: Int32) -> Int32 { answer(c == 0x20 || c == 0x09) }
