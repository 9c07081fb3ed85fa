/* varargs.c — one va_arg read per call, for the printf engine in Swift (LibCNumbers/CFormatting.swift):
 * Swift cannot walk a C va_list itself. Each takes a pointer to the caller's va_list (a va_copy),
 * and advances it as va_arg does (SysV x86-64 ABI §3.5.7). */
#include <stdarg.h>

int sv_va_int(va_list *ap) { return va_arg(*ap, int); }
long sv_va_long(va_list *ap) { return va_arg(*ap, long); }
double sv_va_double(va_list *ap) { return va_arg(*ap, double); }
/* %Lf: the 80-bit long double, handed to Swift as the nearest double (the engine formats doubles). */
double sv_va_long_double(va_list *ap) { return (double)va_arg(*ap, long double); }
void *sv_va_pointer(va_list *ap) { return va_arg(*ap, void *); }

/* strtold (C11 7.22.1.3): its result is an x87 long double, which Swift has no type for; the value
 * is the correctly rounded double (LibCPosix/NumberParsing.swift), wider digits are not kept. */
double strtod(const char *restrict s, char **restrict end);
long double strtold(const char *restrict s, char **restrict end) { return strtod(s, end); }
