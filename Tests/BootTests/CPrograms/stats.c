/* stats.c — a plain C program (no swiftvm-specific code) that the toolchain test builds twice: with
 * build/bin/swiftvm-cc for the guest and with the host's cc against glibc; both must print the
 * same. Reads numbers from its arguments (strtod), sorts them (qsort), prints statistics with
 * floating-point formats and math.h functions, and exits with the count. Uses summary.c from a
 * static library (libsummary.a, built with -c and ar) as a makefile would. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "summary.h"

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    double values[64];
    int n = 0;
    for (int i = 1; i < argc && n < 64; i++) {
        char *end;
        double v = strtod(argv[i], &end);
        if (*end) { fprintf(stderr, "stats: not a number: %s\n", argv[i]); continue; }
        values[n++] = v;
    }
    qsort(values, (size_t)n, sizeof values[0], by_value);
    struct summary s = summarize(values, n);
    printf("n=%d min=%g max=%g\n", n, values[0], values[n - 1]);
    printf("mean=%.17g sd=%.6e median=%+.4f\n", s.mean, s.deviation, s.median);
    printf("hex mean=%a |%-12.3E|%12.2f|%#.0f|\n", s.mean, s.mean, s.mean, s.mean);
    printf("sqrt(2)=%.15f exp(1)=%.15f log10(2)=%.15f pow(2,0.5)=%.15f\n", sqrt(2.0), exp(1.0), log10(2.0), pow(2, 0.5));
    printf("sin(1)=%.12f atan2(1,1)*4=%.15f floor(-2.5)=%g fmod(10,3)=%g\n", sin(1.0), atan2(1, 1) * 4, floor(-2.5), fmod(10, 3));
    char text[64];
    snprintf(text, sizeof text, "%.3s|%5.1f|%-6d|", "abcdef", 2.25, n);
    printf("%s len %zu\n", text, strlen(text));
    return n;
}
