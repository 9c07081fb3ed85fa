/* sv_freestanding.h — the C library subset both the kernel and user programs link (string.c). */
#ifndef SV_FREESTANDING_H
#define SV_FREESTANDING_H
#include <stddef.h>
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif
