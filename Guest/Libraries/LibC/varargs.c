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
