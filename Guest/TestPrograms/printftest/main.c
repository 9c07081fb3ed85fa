/* printftest — the C library's floating-point printf and strtod, judged on the host: prints one
 * tab-separated line per case, and the boot test (BootTests, bootPrintfAndStrtodMatchGlibc) redoes
 * every case with the host's glibc and requires the identical result.
 *   P <format> <double's bits, hex> <what snprintf produced> <its return value>
 *   S <input> <strtod's bits, hex> <characters consumed> <1 if errno was ERANGE>
 *   F <input> <strtof's bits, hex> <characters consumed> <1 if errno was ERANGE>
 * Cases: the known hard values (ties at every rounding position, powers of ten and their
 * neighbours, subnormals, the extremes, infinities, NaNs of both signs) and seeded random doubles
 * over the whole range, each in random combinations of flags, width and precision of e f g a (both
 * cases); strtod/strtof of the printed forms, of long digit strings (hundreds of digits) around
 * halfway points, of hex floats, and of malformed and partial inputs.
 *   printftest [SEED]   (default 1) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;
static uint64_t next(void) {   /* SplitMix64 */
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t bits_of(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static double from_bits(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }

static char out[2048];

static void print_case(const char *format, double value) {
    int r = snprintf(out, sizeof out, format, value);
    printf("P\t%s\t%016llx\t%s\t%d\n", format, (unsigned long long)bits_of(value), out, r);
}

static void parse_case(const char *input) {
    char *end;
    errno = 0;
    double d = strtod(input, &end);
    printf("S\t%s\t%016llx\t%ld\t%d\n", input, (unsigned long long)bits_of(d), (long)(end - input), errno == ERANGE);
    errno = 0;
    float f = strtof(input, &end);
    uint32_t fb; memcpy(&fb, &f, 4);
    printf("F\t%s\t%08x\t%ld\t%d\n", input, (unsigned)fb, (long)(end - input), errno == ERANGE);
}

static const char *flag_sets[] = { "", "-", "+", " ", "#", "0", "+0", "-#", " #0", "-+ #0" };
static const char *widths[] = { "", "1", "8", "12", "30" };
static const char *precisions[] = { "", ".0", ".1", ".2", ".3", ".6", ".10", ".16", ".17", ".25", ".60" };
static const char conversions[] = "efgaEFGA";
#define COUNT(a) (sizeof a / sizeof a[0])

static void random_formats(double value, int n) {
    char format[32];
    for (int i = 0; i < n; i++) {
        snprintf(format, sizeof format, "%%%s%s%s%c",
                 flag_sets[next() % COUNT(flag_sets)], widths[next() % COUNT(widths)],
                 precisions[next() % COUNT(precisions)], conversions[next() % 8]);
        print_case(format, value);
    }
    print_case("%.17g", value);
    print_case("%f", value);
    print_case("%a", value);
}

static void strtod_of(double value) {
    char text[1200];
    const char *forms[] = { "%.17g", "%.16e", "%.25e", "%a", "%.40f" };
    for (unsigned i = 0; i < COUNT(forms); i++) {
        snprintf(text, sizeof text, forms[i], value);
        parse_case(text);
    }
}

/* A long decimal: `digits` random digits with the point after the first, then an exponent. */
static void long_decimal(int digits, int exponent) {
    char text[1200];
    int n = 0;
    text[n++] = (char)('1' + next() % 9);
    text[n++] = '.';
    for (int i = 1; i < digits; i++) text[n++] = (char)('0' + next() % 10);
    snprintf(text + n, sizeof text - (size_t)n, "e%d", exponent);
    parse_case(text);
}

int main(int argc, char **argv) {
    state = argc > 1 ? strtoull(argv[1], 0, 10) : 1;
    static const double hard[] = {
        0.0, 1.0, 0.5, 1.5, 2.5, 3.5, 0.125, 0.375, 9.5, 99.5, 999999.5, 0.05, 0.15, 0.25, 0.35,
        1e23, 9.999999999999999e22, 8.5e-5, 1e-4, 9.9999e-5, 1e-5, 123456.0, 1234567.0, 1e15, 1e16, 1e17,
        0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0, 5e-324, 1e-323, 2.2250738585072009e-308,
        2.2250738585072014e-308, 1.7976931348623157e308, 9007199254740993.0, 4.35, 5e-5, 4.5e15,
        1e300, 1e-300, 6.02214076e23, 1.602176634e-19, 299792458.0, 0.000123456789, 1e21, 1e22,
    };
    for (unsigned i = 0; i < COUNT(hard); i++) {
        random_formats(hard[i], 12);
        random_formats(-hard[i], 4);
        strtod_of(hard[i]);
    }
    /* Infinities and NaNs of both signs. */
    static const uint64_t special[] = { 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
                                        0x7ff8000000000000ULL, 0xfff8000000000000ULL };
    for (unsigned i = 0; i < COUNT(special); i++) random_formats(from_bits(special[i]), 12);
    /* Random doubles: any finite bit pattern, and ordinary magnitudes (1e-20 … 1e20). */
    for (int i = 0; i < 150; i++) {
        uint64_t b;
        do b = next(); while (((b >> 52) & 0x7ff) == 0x7ff);
        random_formats(from_bits(b), 8);
        strtod_of(from_bits(b));
        uint64_t e = 1023 - 66 + next() % 133;
        double ordinary = from_bits((next() & 0x800fffffffffffffULL) | (e << 52));
        random_formats(ordinary, 8);
        strtod_of(ordinary);
    }
    /* Long decimals, near the extremes and in the middle of the range. */
    static const int exponents[] = { -330, -324, -320, -308, -307, -30, 0, 22, 23, 300, 308, 309 };
    for (unsigned i = 0; i < COUNT(exponents); i++) {
        long_decimal(20, exponents[i]);
        long_decimal(120, exponents[i]);
        long_decimal(800, exponents[i]);
    }
    /* Exact halfway points and their neighbours, and malformed or partial subjects. */
    static const char *inputs[] = {
        "9007199254740993", "9007199254740993.000000000000000000000000000000001",
        "9007199254740992.999999999999999999999999999999999", "9007199254740995",
        "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
        "2.2250738585072012e-308", "1.7976931348623158e308", "1.7976931348623159e308", "1e400",
        "-1e400", "1e-400", "0x1.fffffffffffff8p1023", "0x1.fffffffffffff7ffp1023", "0x1p-1074",
        "0x1.8p-1074", "0x1p-1075", "0x1.0000000000000801p0", "0X1.ABCDEFP+10", "  -0x1p-1074",
        "inf", "-INFINITY", "infinit", "nan", "-nAn(123abc)", "nan(", "1e", "1e+", "0x", "0x.p1",
        ".e5", "-.5e-1x", "+.", " \v\f 42.5e1z", "00000000000000000000001.5", "1.5e00000000000000000000009",
        "3.4028235677973366e38", "3.4028234663852886e38", "1.4e-45", "7e-46", "0.1f",
    };
    for (unsigned i = 0; i < COUNT(inputs); i++) parse_case(inputs[i]);
    printf("printftest: done\n");
    return 0;
}
