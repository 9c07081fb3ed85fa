/* fixes.c — corrections to musl 1.2.3's math objects (scripts/fetch-libm.sh links this in front
 * of them). Built into the guest's libm.a, and on the host by Tests/LibmTests (names prefixed
 * musl_) so the test checks exactly what the guest runs. */
double __musl_acosh(double);
long double sinhl(long double);
long double tanhl(long double);
long double erfcl(long double);

/* musl 1.2.3's acosh tests only the exponent, not the sign: acosh(-3) is 1.76… instead of a NaN.
 * C11 F.10.2.1 / 7.12.5.1: a domain error (NaN, "invalid") for x < 1. (x - x) / (x - x) is 0/0,
 * which raises invalid as the standard asks. A NaN argument compares false and goes through. */
double acosh(double x) { return x < 1 ? (x - x) / (x - x) : __musl_acosh(x); }

/* musl's double sinh, tanh and erfc err by up to 1.3, 1.5 and 2.5 ulps (measured by LibmTests
 * against glibc's long double functions); its 80-bit versions carry 11 more bits, so rounding
 * their result to double is within about half an ulp. (x87 arithmetic in user mode: the kernel
 * saves the x87 state with the SSE state, fxsave.) */
double sinh(double x) { return (double)sinhl(x); }
double tanh(double x) { return (double)tanhl(x); }
double erfc(double x) { return (double)erfcl(x); }
