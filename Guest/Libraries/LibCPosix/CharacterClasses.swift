// CharacterClasses.swift — the <ctype.h> classes C99 and POSIX added beyond LibC/string.c's
// (the "C" locale, ASCII).

@_cdecl("isgraph")
public func isgraph(_ c: Int32) -> Int32 { c > 0x20 && c < 0x7F ? 1 : 0 }

@_cdecl("isblank")
public func isblank(_ c: Int32) -> Int32 { c == 0x20 || c == 0x09 ? 1 : 0 }
