/* stdlib.c — memory (on the Swift runtime's heap, so C and Swift share one allocator), numbers,
 * sorting, the environment and exit. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"

void *malloc(size_t size) {
    void *p = 0;
    if (posix_memalign(&p, 16, size ? size : 1)) { errno = ENOMEM; return 0; }
    return p;
}

void *calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) { errno = ENOMEM; return 0; }
    void *p = malloc(count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

void *realloc(void *p, size_t size) {
    if (!p) return malloc(size);
    if (size == 0) { free(p); return 0; }
    size_t old = sv_user_heap_usable_size(p);
    if (size <= old) return p;
    void *q = malloc(size);
    if (!q) return 0;
    memcpy(q, p, old);
    free(p);
    return q;
}

#define MAX_ATEXIT 32
static void (*exit_functions[MAX_ATEXIT])(void);
static int exit_count;

int atexit(void (*function)(void)) {
    if (exit_count == MAX_ATEXIT) return -1;
    exit_functions[exit_count++] = function;
    return 0;
}

_Noreturn void exit(int status) {
    while (exit_count > 0) exit_functions[--exit_count]();
    fflush(0);
    sv_user_exit(status);
}

_Noreturn void abort(void) {
    fflush(0);
    sv_user_exit(128 + 6);   /* as if killed by SIGABRT */
}

static unsigned long long parse(const char *s, char **end, int base, int *negative, int *overflow) {
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    *negative = 0;
    if (*p == '+' || *p == '-') *negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    unsigned long long value = 0;
    const char *digits = p;
    *overflow = 0;
    for (;; p++) {
        int d = isdigit((unsigned char)*p) ? *p - '0' : isalpha((unsigned char)*p) ? tolower((unsigned char)*p) - 'a' + 10 : 99;
        if (d >= base) break;
        if (value > (ULLONG_MAX - (unsigned)d) / (unsigned)base) *overflow = 1;
        value = value * (unsigned)base + (unsigned)d;
    }
    if (end) *end = (char *)(p == digits ? s : p);
    return value;
}

long long strtoll(const char *restrict s, char **restrict end, int base) {
    int negative, overflow;
    unsigned long long v = parse(s, end, base, &negative, &overflow);
    if (overflow || v > (unsigned long long)LLONG_MAX + negative) {
        errno = ERANGE;
        return negative ? LLONG_MIN : LLONG_MAX;
    }
    return negative ? (long long)(0 - v) : (long long)v;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base) {
    int negative, overflow;
    unsigned long long v = parse(s, end, base, &negative, &overflow);
    if (overflow) { errno = ERANGE; return ULLONG_MAX; }
    return negative ? 0 - v : v;
}

long strtol(const char *restrict s, char **restrict end, int base) { return (long)strtoll(s, end, base); }
unsigned long strtoul(const char *restrict s, char **restrict end, int base) { return (unsigned long)strtoull(s, end, base); }
/* strtod family (C11 7.22.1.3): decimal and hexadecimal, INF/NAN, correctly rounded, by the
 * Numbers module (LibCNumbers/CFormatting.swift). */
double sv_strtod(const char *s, long *consumed, int *range_error);
float sv_strtof(const char *s, long *consumed, int *range_error);

double strtod(const char *restrict s, char **restrict end) {
    long consumed; int range_error;
    double v = sv_strtod(s, &consumed, &range_error);
    if (range_error) errno = ERANGE;
    if (end) *end = (char *)s + consumed;
    return v;
}

float strtof(const char *restrict s, char **restrict end) {
    long consumed; int range_error;
    float v = sv_strtof(s, &consumed, &range_error);
    if (range_error) errno = ERANGE;
    if (end) *end = (char *)s + consumed;
    return v;
}

/* long double is the x87 80-bit format; its value here is the correctly rounded double (wider
 * digits are not kept). */
long double strtold(const char *restrict s, char **restrict end) { return strtod(s, end); }
double atof(const char *s) { return strtod(s, 0); }
int atoi(const char *s) { return (int)strtol(s, 0, 10); }
long atol(const char *s) { return strtol(s, 0, 10); }
long long atoll(const char *s) { return strtoll(s, 0, 10); }
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }

static void swap(char *a, char *b, size_t size) {
    while (size--) { char t = *a; *a++ = *b; *b++ = t; }
}

/* Heapsort: O(n log n) in the worst case, no recursion, no extra memory. */
static void sift(char *base, size_t root, size_t count, size_t size, int (*compare)(const void *, const void *)) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count) return;
        if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0) child++;
        if (compare(base + root * size, base + child * size) >= 0) return;
        swap(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *)) {
    char *b = base;
    if (count < 2 || size == 0) return;
    for (size_t i = count / 2; i-- > 0;) sift(b, i, count, size, compare);
    for (size_t end = count - 1; end > 0; end--) {
        swap(b, b + end * size, size);
        sift(b, 0, end, size, compare);
    }
}

void *bsearch(const void *key, const void *base, size_t count, size_t size, int (*compare)(const void *, const void *)) {
    const char *b = base;
    size_t low = 0, high = count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        int c = compare(key, b + mid * size);
        if (c == 0) return (void *)(b + mid * size);
        if (c < 0) high = mid; else low = mid + 1;
    }
    return 0;
}

/* getenv returns storage that the next getenv may reuse (POSIX allows it). */
char *getenv(const char *name) {
    static char value[4096];
    return sv_env_get(name, value, sizeof value) >= 0 ? value : 0;
}

int setenv(const char *name, const char *value, int overwrite) {
    if (!name || !*name || strchr(name, '=')) { errno = EINVAL; return -1; }
    if (!overwrite && getenv(name)) return 0;
    if (sv_env_set(name, value)) { errno = E2BIG; return -1; }
    return 0;
}

int unsetenv(const char *name) {
    if (!name || !*name || strchr(name, '=')) { errno = EINVAL; return -1; }
    sv_env_set(name, 0);
    return 0;
}

static unsigned long long seed = 1;
void srand(unsigned s) { seed = s; }
int rand(void) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)(seed >> 33);
}
