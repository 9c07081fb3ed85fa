/* libmcheck.c — the guest's libm (musl 1.2.3's objects renamed musl_* and fixes.c, see
 * scripts/fetch-libm.sh) against the host's glibc libm; built and run by LibmTests.swift:
 *   libmcheck COUNT SEED
 * For each function: the C11 Annex F special values (±0, ±inf, NaN, subnormals, ±1, the overflow
 * edges; every pair of them for two-argument functions) and COUNT seeded random inputs (a third
 * uniform bit patterns over the whole range, a third uniform in the function's interesting
 * interval, a third |x| = m·2^k with k uniform over every exponent). One line per function:
 *   NAME inputs N maxulp U over O worst X Y musl_err E glibc_err G special S [first X Y]
 * U: the largest difference between musl and glibc in units in the last place (exact functions
 * must have 0). Where they differ by more than 1 ulp, the true value decides: glibc's long double
 * version (64-bit significand, 11 bits beyond double) is the reference, and O counts the inputs
 * where musl's error exceeds glibc's (E and G: the largest such errors, in ulps). S counts results
 * that differ in kind (a NaN against a number, the sign of a zero or an infinity), which Annex F
 * specifies exactly — except where it leaves the choice open: signaling NaN inputs (F.2.1: not
 * specified) and the sign of fmin/fmax of two zeros (F.10.9.2, "ideally"); and a zero remainder
 * is right when it has the sign of x (IEEE 754-2008 §5.3.1), as musl's has and glibc's for
 * some subnormal divisors has not. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);
typedef long double (*ref1)(long double);
typedef long double (*ref2)(long double, long double);

#define M1(name) double musl_##name(double);
#define M2(name) double musl_##name(double, double);
M1(sin) M1(cos) M1(tan) M1(asin) M1(acos) M1(atan) M1(sinh) M1(cosh) M1(tanh) M1(asinh) M1(acosh)
M1(atanh) M1(exp) M1(exp2) M1(expm1) M1(log) M1(log2) M1(log10) M1(log1p) M1(sqrt) M1(cbrt)
M1(floor) M1(ceil) M1(trunc) M1(round) M1(rint) M1(nearbyint) M1(fabs) M1(logb) M1(erf) M1(erfc)
M2(atan2) M2(pow) M2(hypot) M2(fmod) M2(remainder) M2(copysign) M2(nextafter) M2(fmin) M2(fmax) M2(fdim)
double musl_frexp(double, int *);
double musl_ldexp(double, int);
double musl_scalbn(double, int);
int musl_ilogb(double);
double musl_modf(double, double *);

static uint64_t state;
static uint64_t next(void) {   /* SplitMix64 */
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double from_bits(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static uint64_t bits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static int signaling(double d) { return isnan(d) && !(bits(d) & 0x0008000000000000ULL); }

/* Doubles in monotonic integer order: the ulp distance is the difference of these. */
static int64_t ordered(double d) {
    int64_t i = (int64_t)bits(d);
    return i < 0 ? INT64_MIN - i : i;
}

/* The distance between two results in ulps; -1 if they differ in kind. */
static double ulps(double a, double b) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : -1;
    if (a == b) return signbit(a) == signbit(b) ? 0 : -1;
    if (isinf(a) || isinf(b)) return -1;
    int64_t d = ordered(a) - ordered(b);
    return d < 0 ? -(double)d : (double)d;
}

/* The error of `r` against the reference, in ulps of r's binade (subnormals: 2^-1074). */
static long double error(double r, long double ref) {
    int e;
    frexp(r, &e);
    long double ulp = ldexpl(1.0L, (e - 53 < -1074 ? -1074 : e - 53));
    if (r == 0) ulp = ldexpl(1.0L, -1074);
    return fabsl((long double)r - ref) / ulp;
}

static const double specials[] = {
    0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 4.9e-324, -4.9e-324,
    2.2250738585072014e-308, -2.2250738585072014e-308, 2.2250738585072009e-308, 1.7976931348623157e308,
    -1.7976931348623157e308, 709.782712893384, 710.0, -745.1332191019411, -746.0, 1e-300, 1e300,
    3.141592653589793, 1.5707963267948966, 0.7853981633974483, 1e22, 1e-10, 0.1, 10.0, 1023.0, 1024.0,
    -1022.0, -1075.0, 6755399441055744.0, 4503599627370496.5, 2.5, -2.5, 0.49999999999999994, -3.0, 1.5,
};
#define NSPECIAL (sizeof specials / sizeof specials[0])

static double input(double lo, double hi) {
    switch (next() % 3) {
    case 0: return from_bits(next());
    case 1: return lo + (hi - lo) * ((double)(next() >> 11) * 0x1p-53);
    default: {
        int k = (int)(next() % 2098) - 1074;
        double x = ldexp(1.0 + (double)(next() >> 12) * 0x1p-52, k);
        return next() & 1 ? -x : x;
    }
    }
}

struct result {
    const char *name;
    long inputs, special, over;
    double max, worst_x, worst_y, special_x, special_y;
    long double musl_err, glibc_err;
    int zero_sign_free;   /* fmin/fmax: either zero may be returned for (+0, -0) */
    int zero_sign_of_x;   /* remainder: a zero result has the sign of x (IEEE 754-2008 §5.3.1) */
};

static void record(struct result *r, double a, double b, long double ref, int has_ref, double x, double y) {
    r->inputs++;
    if (signaling(x) || signaling(y)) return;   /* F.2.1: signaling NaNs are not specified */
    double u = ulps(a, b);
    if (u < 0 && r->zero_sign_free && a == 0 && b == 0) u = 0;
    if (u < 0 && r->zero_sign_of_x && a == 0 && b == 0 && signbit(a) == signbit(x)) u = 0;
    if (u < 0) {
        if (r->special++ == 0) { r->special_x = x; r->special_y = y; }
        return;
    }
    if (u > r->max) { r->max = u; r->worst_x = x; r->worst_y = y; }
    if (u > 1) {
        long double em = has_ref ? error(a, ref) : 1e9L, eg = has_ref ? error(b, ref) : 0;
        if (em > eg) {
            r->over++;
            if (em > r->musl_err) { r->musl_err = em; r->glibc_err = eg; }
        }
    }
}

static void report(struct result *r) {
    printf("%s inputs %ld maxulp %.0f over %ld worst %a %a musl_err %.3Lf glibc_err %.3Lf special %ld",
           r->name, r->inputs, r->max, r->over, r->worst_x, r->worst_y, r->musl_err, r->glibc_err, r->special);
    if (r->special) printf(" first %a %a", r->special_x, r->special_y);
    printf("\n");
}

static long count;

static void check1(const char *name, fn1 ours, fn1 glibc, ref1 ref, double lo, double hi) {
    struct result r = { .name = name };
    for (long i = 0; i < count + (long)NSPECIAL; i++) {
        double x = i < (long)NSPECIAL ? specials[i] : input(lo, hi);
        record(&r, ours(x), glibc(x), ref ? ref(x) : 0, ref != 0, x, 0);
    }
    report(&r);
}

static void check2(const char *name, fn2 ours, fn2 glibc, ref2 ref, double lo, double hi) {
    struct result r = { .name = name, .zero_sign_free = !strcmp(name, "fmin") || !strcmp(name, "fmax"),
                        .zero_sign_of_x = !strcmp(name, "remainder") };
    for (unsigned i = 0; i < NSPECIAL; i++)
        for (unsigned j = 0; j < NSPECIAL; j++) {
            double x = specials[i], y = specials[j];
            record(&r, ours(x, y), glibc(x, y), ref ? ref(x, y) : 0, ref != 0, x, y);
        }
    for (long i = 0; i < count; i++) {
        double x = input(lo, hi), y = input(lo, hi);
        record(&r, ours(x, y), glibc(x, y), ref ? ref(x, y) : 0, ref != 0, x, y);
    }
    report(&r);
}

/* The functions with an integer part: it must match exactly too (a mismatch counts as special). */
static void check_int_parts(void) {
    struct result fr = { .name = "frexp" }, ld = { .name = "ldexp" }, sc = { .name = "scalbn" },
                  il = { .name = "ilogb" }, mf = { .name = "modf" };
    for (long i = 0; i < count + (long)NSPECIAL; i++) {
        double x = i < (long)NSPECIAL ? specials[i] : input(-1e6, 1e6);
        if (signaling(x)) continue;
        int e1, e2;
        double a = musl_frexp(x, &e1), b = frexp(x, &e2);
        record(&fr, a, b, 0, 0, x, 0);
        if (!isnan(x) && !isinf(x) && e1 != e2) fr.special++;
        int n = (int)(next() % 2400) - 1200;
        record(&ld, musl_ldexp(x, n), ldexp(x, n), 0, 0, x, n);
        record(&sc, musl_scalbn(x, n), scalbn(x, n), 0, 0, x, n);
        il.inputs++;
        if (musl_ilogb(x) != ilogb(x)) { if (il.special++ == 0) il.special_x = x; }
        double ia, ib;
        a = musl_modf(x, &ia); b = modf(x, &ib);
        record(&mf, a, b, 0, 0, x, 0);
        if (ulps(ia, ib) != 0) mf.special++;
    }
    report(&fr); report(&ld); report(&sc); report(&il); report(&mf);
}

int main(int argc, char **argv) {
    count = argc > 1 ? atol(argv[1]) : 1000000;
    state = argc > 2 ? strtoull(argv[2], 0, 10) : 1;
    check1("sin", musl_sin, sin, sinl, -10, 10);
    check1("cos", musl_cos, cos, cosl, -10, 10);
    check1("tan", musl_tan, tan, tanl, -10, 10);
    check1("asin", musl_asin, asin, asinl, -1, 1);
    check1("acos", musl_acos, acos, acosl, -1, 1);
    check1("atan", musl_atan, atan, atanl, -10, 10);
    check1("sinh", musl_sinh, sinh, sinhl, -30, 30);
    check1("cosh", musl_cosh, cosh, coshl, -30, 30);
    check1("tanh", musl_tanh, tanh, tanhl, -10, 10);
    check1("asinh", musl_asinh, asinh, asinhl, -100, 100);
    check1("acosh", musl_acosh, acosh, acoshl, 1, 100);
    check1("atanh", musl_atanh, atanh, atanhl, -1, 1);
    check1("exp", musl_exp, exp, expl, -745, 710);
    check1("exp2", musl_exp2, exp2, exp2l, -1075, 1024);
    check1("expm1", musl_expm1, expm1, expm1l, -40, 710);
    check1("log", musl_log, log, logl, 0, 100);
    check1("log2", musl_log2, log2, log2l, 0, 100);
    check1("log10", musl_log10, log10, log10l, 0, 100);
    check1("log1p", musl_log1p, log1p, log1pl, -1, 100);
    check1("erf", musl_erf, erf, erfl, -6, 6);
    check1("erfc", musl_erfc, erfc, erfcl, -6, 28);
    check1("cbrt", musl_cbrt, cbrt, cbrtl, -1e6, 1e6);
    /* exact: no reference, any difference fails */
    check1("sqrt", musl_sqrt, sqrt, 0, 0, 1e6);
    check1("floor", musl_floor, floor, 0, -1e6, 1e6);
    check1("ceil", musl_ceil, ceil, 0, -1e6, 1e6);
    check1("trunc", musl_trunc, trunc, 0, -1e6, 1e6);
    check1("round", musl_round, round, 0, -1e6, 1e6);
    check1("rint", musl_rint, rint, 0, -1e6, 1e6);
    check1("nearbyint", musl_nearbyint, nearbyint, 0, -1e6, 1e6);
    check1("fabs", musl_fabs, fabs, 0, -1e6, 1e6);
    check1("logb", musl_logb, logb, 0, -1e6, 1e6);
    check2("atan2", musl_atan2, atan2, atan2l, -10, 10);
    check2("pow", musl_pow, pow, powl, -20, 20);
    check2("hypot", musl_hypot, hypot, hypotl, -1e6, 1e6);
    check2("fmod", musl_fmod, fmod, 0, -1e6, 1e6);
    check2("remainder", musl_remainder, remainder, 0, -1e6, 1e6);
    check2("copysign", musl_copysign, copysign, 0, -1e6, 1e6);
    check2("nextafter", musl_nextafter, nextafter, 0, -1e6, 1e6);
    check2("fmin", musl_fmin, fmin, 0, -1e6, 1e6);
    check2("fmax", musl_fmax, fmax, 0, -1e6, 1e6);
    check2("fdim", musl_fdim, fdim, 0, -1e6, 1e6);
    check_int_parts();
    printf("libmcheck: done\n");
    return 0;
}
