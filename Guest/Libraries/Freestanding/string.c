/* string.c — the freestanding C library subset the compiler and the Swift runtime call
 * (EMBEDDED-SWIFT.md §2): memset, memcpy, memmove, memcmp. Shared by the kernel and user programs. Built with -fno-builtin so these loops
 * are not turned back into calls to themselves. */
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n) {
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) :: "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else if (d > s) {
        d += n; s += n;
        while (n--) *--d = *--s;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}


size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
