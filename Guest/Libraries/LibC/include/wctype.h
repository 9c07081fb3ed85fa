/* wctype.h — C11 7.30, the "C" locale's case mappings (LibCPosix/WideCharacters.swift). */
#ifndef _WCTYPE_H
#define _WCTYPE_H
#include <wchar.h>
wint_t towupper(wint_t wc);
wint_t towlower(wint_t wc);
#endif
