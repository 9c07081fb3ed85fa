/* wchar.h — the wide-character types (C11 7.29). Characters are bytes in the one locale, "C"
 * (LibCPosix/WideCharacters.swift); the mb/wc conversions are stdlib.h's. */
#ifndef _WCHAR_H
#define _WCHAR_H
#include <stddef.h>
#ifndef __WINT_TYPE__
#define __WINT_TYPE__ unsigned int
#endif
typedef __WINT_TYPE__ wint_t;
#define WEOF ((wint_t)-1)
typedef struct { unsigned state; } mbstate_t;
#endif
