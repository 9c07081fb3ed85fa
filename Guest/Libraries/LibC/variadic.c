/* variadic.c — the C library's functions declared with `...`: only C can start a va_list (va_start,
 * SysV x86-64 ABI §3.5.7), so each starts it here and hands it, or the argument it reads, to its
 * Swift implementation in LibCPosix (the printf and scanf families: Streams.swift's v… functions). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/ioctl.h>

int printf(const char *restrict f, ...) { va_list a; va_start(a, f); int r = vprintf(f, a); va_end(a); return r; }
int fprintf(FILE *restrict s, const char *restrict f, ...) { va_list a; va_start(a, f); int r = vfprintf(s, f, a); va_end(a); return r; }
int sprintf(char *restrict b, const char *restrict f, ...) { va_list a; va_start(a, f); int r = vsprintf(b, f, a); va_end(a); return r; }
int snprintf(char *restrict b, size_t n, const char *restrict f, ...) { va_list a; va_start(a, f); int r = vsnprintf(b, n, f, a); va_end(a); return r; }
int scanf(const char *restrict f, ...) { va_list a; va_start(a, f); int r = vscanf(f, a); va_end(a); return r; }
int fscanf(FILE *restrict s, const char *restrict f, ...) { va_list a; va_start(a, f); int r = vfscanf(s, f, a); va_end(a); return r; }
int sscanf(const char *restrict t, const char *restrict f, ...) { va_list a; va_start(a, f); int r = vsscanf(t, f, a); va_end(a); return r; }

int sv_open(const char *path, int flags, mode_t mode);               /* Files.swift */
int sv_fcntl(int fd, int command, long argument);                    /* ProcessCalls.swift */
int sv_ioctl(int fd, unsigned long request, unsigned long argument); /* Files.swift */

/* The mode is there only when a file may be created (XSH open: O_CREAT). */
int open(const char *path, int flags, ...) {
    mode_t mode = 0;
    if (flags & O_CREAT) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    return sv_open(path, flags, mode);
}

/* F_GETFD and F_GETFL take no argument; the others an int or a pointer, read as a long. */
int fcntl(int fd, int command, ...) {
    long argument = 0;
    if (command != F_GETFD && command != F_GETFL) { va_list a; va_start(a, command); argument = va_arg(a, long); va_end(a); }
    return sv_fcntl(fd, command, argument);
}

/* A pointer to the request's struct, or an int for the requests that take one (TIOCSCTTY). */
int ioctl(int fd, unsigned long request, ...) {
    va_list a; va_start(a, request);
    unsigned long argument = va_arg(a, unsigned long);
    va_end(a);
    return sv_ioctl(fd, request, argument);
}
