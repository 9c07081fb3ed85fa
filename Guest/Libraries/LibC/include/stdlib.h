/* stdlib.h */
#ifndef _STDLIB_H
#define _STDLIB_H
#include <stddef.h>
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
_Noreturn void exit(int status);
_Noreturn void abort(void);
int atexit(void (*function)(void));
int atoi(const char *s);
double atof(const char *s);
double strtod(const char *restrict s, char **restrict end);
float strtof(const char *restrict s, char **restrict end);
long double strtold(const char *restrict s, char **restrict end);
long atol(const char *s);
long long atoll(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
int abs(int x);
long labs(long x);
void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
char *getenv(const char *name);
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
/* the string is copied (the environment lives in the kernel): LibCPosix/Environment.swift */
int putenv(char *string);
int clearenv(void);
int rand(void);
void srand(unsigned seed);
#define RAND_MAX 2147483647
/* POSIX random/srandom: glibc's generator (LibCPosix/Random.swift). */
long random(void);
void srandom(unsigned seed);
/* Runs a command with /bin/sh -c; its wait status (LibCPosix/Processes.swift). */
int system(const char *command);
/* A new file from a template ending in XXXXXX (LibCPosix/StdioExtras.swift). */
int mkstemp(char *template);
/* Multibyte characters in the one locale, "C": one byte each (LibCPosix/WideCharacters.swift). */
#define MB_CUR_MAX ((size_t)1)
int mblen(const char *s, size_t n);
int mbtowc(wchar_t *restrict wc, const char *restrict s, size_t n);
int wctomb(char *s, wchar_t wc);
#endif
