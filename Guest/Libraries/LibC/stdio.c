/* stdio.c — streams and formatted output. A stream buffers over a file descriptor (posix.c);
 * stdout hands its bytes to the Swift runtime's standard output, so C and Swift output interleave
 * in order and both follow `command > file`. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bridge.h"

struct sv_file {
    int fd;
    int readable, writable;
    int eof, error;
    int unget;                 /* a pushed-back byte, or EOF */
    unsigned char *buffer;
    size_t length, position;   /* write: bytes buffered; read: bytes in the buffer, next one */
    int reading;
    unsigned char storage[BUFSIZ];
};

static struct sv_file standard[3] = {
    { .fd = 0, .readable = 1, .unget = EOF },
    { .fd = 1, .writable = 1, .unget = EOF },
    { .fd = 2, .writable = 1, .unget = EOF },
};
FILE *stdin = &standard[0], *stdout = &standard[1], *stderr = &standard[2];

#define MAX_STREAMS 32
static FILE *open_streams[MAX_STREAMS];

static FILE *make(int fd, int readable, int writable) {
    FILE *f = calloc(1, sizeof *f);
    if (!f) return 0;
    f->fd = fd; f->readable = readable; f->writable = writable; f->unget = EOF;
    for (int i = 0; i < MAX_STREAMS; i++) if (!open_streams[i]) { open_streams[i] = f; break; }
    return f;
}

static int mode_flags(const char *mode, int *readable, int *writable) {
    int plus = strchr(mode, '+') != 0;
    switch (mode[0]) {
    case 'r': *readable = 1; *writable = plus; return plus ? O_RDWR : O_RDONLY;
    case 'w': *readable = plus; *writable = 1; return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
    case 'a': *readable = plus; *writable = 1; return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
    default: return -1;
    }
}

FILE *fopen(const char *restrict path, const char *restrict mode) {
    int readable = 0, writable = 0;
    int flags = mode_flags(mode, &readable, &writable);
    if (flags < 0) { errno = EINVAL; return 0; }
    int fd = open(path, flags);
    if (fd < 0) return 0;
    FILE *f = make(fd, readable, writable);
    if (!f) { close(fd); errno = ENOMEM; }
    return f;
}

FILE *fdopen(int fd, const char *mode) {
    int readable = 0, writable = 0;
    if (mode_flags(mode, &readable, &writable) < 0) { errno = EINVAL; return 0; }
    return make(fd, readable, writable);
}

static int flush_writes(FILE *f) {
    if (f->reading || f->length == 0) return 0;
    size_t done = 0;
    while (done < f->length) {
        ssize_t n = write(f->fd, f->storage + done, f->length - done);
        if (n <= 0) { f->error = 1; f->length = 0; return EOF; }
        done += (size_t)n;
    }
    f->length = 0;
    return 0;
}

int fflush(FILE *f) {
    if (!f) {
        int result = fflush(stdout) | fflush(stderr);
        for (int i = 0; i < MAX_STREAMS; i++) if (open_streams[i]) result |= fflush(open_streams[i]);
        return result;
    }
    if (f->reading) {
        /* Give back what was read ahead, so the descriptor's offset is where the program is. */
        if (f->fd > 2 && f->position < f->length) lseek(f->fd, -(off_t)(f->length - f->position), SEEK_CUR);
        f->reading = 0; f->length = f->position = 0;
        return 0;
    }
    int r = flush_writes(f);
    if (f == stdout) sv_stdout_flush();
    return r;
}

int fclose(FILE *f) {
    int r = fflush(f);
    if (f->fd > 2) {
        if (close(f->fd) < 0) r = EOF;
        for (int i = 0; i < MAX_STREAMS; i++) if (open_streams[i] == f) open_streams[i] = 0;
        free(f);
    }
    return r;
}

int putchar(int c);   /* UserLib (Swift): the runtime's buffered standard output */

static int put(FILE *f, unsigned char c) {
    if (f == stdout) { putchar(c); return c; }   /* one buffer for C and Swift output, in order */
    if (!f->writable) { f->error = 1; errno = EBADF; return EOF; }
    if (f->reading) fflush(f);
    f->storage[f->length++] = c;
    /* stderr is unbuffered. */
    if (f->length == BUFSIZ || f == stderr) {
        if (flush_writes(f)) return EOF;
    }
    return c;
}

int fputc(int c, FILE *f) { return put(f, (unsigned char)c); }
int putc(int c, FILE *f) { return put(f, (unsigned char)c); }

size_t fwrite(const void *restrict buf, size_t size, size_t count, FILE *restrict f) {
    const unsigned char *p = buf;
    size_t total = size * count;
    if (size && total / size != count) { errno = EINVAL; return 0; }
    for (size_t i = 0; i < total; i++) if (put(f, p[i]) == EOF) return i / size;
    return count;
}

int fputs(const char *restrict s, FILE *restrict f) {
    for (; *s; s++) if (put(f, (unsigned char)*s) == EOF) return EOF;
    return 0;
}

int puts(const char *s) { return fputs(s, stdout) == EOF || put(stdout, '\n') == EOF ? EOF : 0; }

int fgetc(FILE *f) {
    if (f->unget != EOF) { int c = f->unget; f->unget = EOF; return c; }
    if (!f->readable) { f->error = 1; errno = EBADF; return EOF; }
    if (!f->reading) { if (flush_writes(f)) return EOF; f->reading = 1; f->length = f->position = 0; }
    if (f->position == f->length) {
        if (f == stdin) fflush(stdout);
        /* The console a byte at a time (a line arrives as the user types it); files a buffer at a time. */
        ssize_t n = read(f->fd, f->storage, f == stdin && isatty(0) ? 1 : BUFSIZ);
        if (n < 0) { f->error = 1; return EOF; }
        if (n == 0) { f->eof = 1; return EOF; }
        f->length = (size_t)n; f->position = 0;
    }
    return f->storage[f->position++];
}

int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

int ungetc(int c, FILE *f) {
    if (c == EOF || f->unget != EOF) return EOF;
    f->unget = (unsigned char)c;
    f->eof = 0;
    return c;
}

size_t fread(void *restrict buf, size_t size, size_t count, FILE *restrict f) {
    unsigned char *p = buf;
    size_t total = size * count;
    if (size && total / size != count) { errno = EINVAL; return 0; }
    for (size_t i = 0; i < total; i++) {
        int c = fgetc(f);
        if (c == EOF) return i / size;
        p[i] = (unsigned char)c;
    }
    return count;
}

char *fgets(char *restrict s, int size, FILE *restrict f) {
    if (size <= 0) return 0;
    int i = 0;
    while (i < size - 1) {
        int c = fgetc(f);
        if (c == EOF) break;
        s[i++] = (char)c;
        if (c == '\n') break;
    }
    if (i == 0) return 0;
    s[i] = 0;
    return s;
}

ssize_t getline(char **restrict line, size_t *restrict capacity, FILE *restrict f) {
    size_t n = 0;
    for (;;) {
        int c = fgetc(f);
        if (c == EOF && n == 0) return -1;
        if (n + 2 > *capacity || !*line) {
            size_t grown = *capacity ? *capacity * 2 : 128;
            char *bigger = realloc(*line, grown);
            if (!bigger) { errno = ENOMEM; return -1; }
            *line = bigger; *capacity = grown;
        }
        if (c == EOF) break;
        (*line)[n++] = (char)c;
        if (c == '\n') break;
    }
    (*line)[n] = 0;
    return (ssize_t)n;
}

int fseek(FILE *f, long offset, int whence) {
    if (fflush(f)) return -1;
    f->unget = EOF;
    f->eof = 0;
    return lseek(f->fd, offset, whence) < 0 ? -1 : 0;
}

long ftell(FILE *f) {
    off_t at = lseek(f->fd, 0, SEEK_CUR);
    if (at < 0) return -1;
    if (f->reading) at -= (off_t)(f->length - f->position) + (f->unget != EOF);
    else at += (off_t)f->length;
    return (long)at;
}

void rewind(FILE *f) { fseek(f, 0, SEEK_SET); f->error = 0; }
int feof(FILE *f) { return f->eof; }
int ferror(FILE *f) { return f->error; }
void clearerr(FILE *f) { f->eof = f->error = 0; }
int fileno(FILE *f) { return f->fd; }

void perror(const char *s) {
    if (s && *s) fprintf(stderr, "%s: %s\n", s, strerror(errno));
    else fprintf(stderr, "%s\n", strerror(errno));
}

/* ---- formatting: C11 7.21.6.1 for the integer, character, string and pointer conversions ---- */

struct sink {
    char *buffer;       /* a string, or */
    FILE *stream;       /* a stream */
    size_t capacity, count;
};

static void emit(struct sink *s, char c) {
    if (s->stream) put(s->stream, (unsigned char)c);
    else if (s->count + 1 < s->capacity) s->buffer[s->count] = c;
    s->count++;
}

static void emit_padding(struct sink *s, char c, int n) { while (n-- > 0) emit(s, c); }

static int format(struct sink *s, const char *f, va_list ap) {
    for (; *f; f++) {
        if (*f != '%') { emit(s, *f); continue; }
        f++;
        int left = 0, plus = 0, space = 0, alternate = 0, zero = 0;
        for (;; f++) {
            if (*f == '-') left = 1;
            else if (*f == '+') plus = 1;
            else if (*f == ' ') space = 1;
            else if (*f == '#') alternate = 1;
            else if (*f == '0') zero = 1;
            else break;
        }
        int width = 0;
        if (*f == '*') { width = va_arg(ap, int); if (width < 0) { left = 1; width = -width; } f++; }
        else while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
        int precision = -1;
        if (*f == '.') {
            f++;
            precision = 0;
            if (*f == '*') { precision = va_arg(ap, int); f++; }
            else while (*f >= '0' && *f <= '9') precision = precision * 10 + (*f++ - '0');
        }
        int size = 0;   /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t/intmax/ptrdiff */
        for (;; f++) {
            if (*f == 'l') size = size == 1 ? 2 : 1;
            else if (*f == 'h') size = size == -1 ? -2 : -1;
            else if (*f == 'z' || *f == 'j' || *f == 't') size = 3;
            else break;
        }
        char c = *f;
        if (c == 0) break;
        char digits[72];
        int n = 0;
        const char *prefix = "";
        switch (c) {
        case '%': emit(s, '%'); continue;
        case 'c': {
            char ch = (char)va_arg(ap, int);
            if (!left) emit_padding(s, ' ', width - 1);
            emit(s, ch);
            if (left) emit_padding(s, ' ', width - 1);
            continue;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) str = "(null)";
            int length = (int)(precision >= 0 ? strnlen(str, (size_t)precision) : strlen(str));
            if (!left) emit_padding(s, ' ', width - length);
            for (int i = 0; i < length; i++) emit(s, str[i]);
            if (left) emit_padding(s, ' ', width - length);
            continue;
        }
        case 'n': {
            int *out = va_arg(ap, int *);
            *out = (int)s->count;
            continue;
        }
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
            (void)va_arg(ap, double);   /* no floating point in the guest: see stdio.h */
            emit(s, '?');
            continue;
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p': {
            unsigned long long value;
            int negative = 0;
            if (c == 'p') { value = (uintptr_t)va_arg(ap, void *); alternate = 1; size = 3; }
            else if (c == 'd' || c == 'i') {
                long long v = size == 2 ? va_arg(ap, long long) : size == 1 || size == 3 ? va_arg(ap, long) : va_arg(ap, int);
                if (size == -1) v = (short)v; else if (size == -2) v = (signed char)v;
                negative = v < 0;
                value = negative ? 0 - (unsigned long long)v : (unsigned long long)v;
            } else {
                value = size == 2 ? va_arg(ap, unsigned long long) : size == 1 || size == 3 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
                if (size == -1) value = (unsigned short)value; else if (size == -2) value = (unsigned char)value;
            }
            unsigned base = c == 'o' ? 8 : (c == 'x' || c == 'X' || c == 'p') ? 16 : 10;
            const char *alphabet = c == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
            while (value) { digits[n++] = alphabet[value % base]; value /= base; }
            if (precision < 0 && n == 0) digits[n++] = '0';
            while (n < precision) digits[n++] = '0';
            if (c == 'd' || c == 'i') prefix = negative ? "-" : plus ? "+" : space ? " " : "";
            else if (alternate && (c == 'x' || c == 'p') && (n > 1 || digits[0] != '0' || c == 'p')) prefix = "0x";
            else if (alternate && c == 'X' && (n > 1 || digits[0] != '0')) prefix = "0X";
            else if (alternate && c == 'o' && digits[n - 1] != '0') prefix = "0";
            int length = n + (int)strlen(prefix);
            int zeros = zero && !left && precision < 0 ? width - length : 0;
            if (!left && !zeros) emit_padding(s, ' ', width - length);
            for (const char *p = prefix; *p; p++) emit(s, *p);
            emit_padding(s, '0', zeros);
            while (n > 0) emit(s, digits[--n]);
            if (left) emit_padding(s, ' ', width - length);
            continue;
        }
        default:
            emit(s, '%');
            emit(s, c);
            continue;
        }
    }
    return s->count > INT_MAX ? -1 : (int)s->count;
}

int vsnprintf(char *restrict buffer, size_t n, const char *restrict f, va_list ap) {
    struct sink s = { .buffer = buffer, .capacity = n };
    int r = format(&s, f, ap);
    if (n > 0) buffer[s.count < n ? s.count : n - 1] = 0;
    return r;
}

int vsprintf(char *restrict buffer, const char *restrict f, va_list ap) { return vsnprintf(buffer, SIZE_MAX, f, ap); }

int vfprintf(FILE *restrict stream, const char *restrict f, va_list ap) {
    struct sink s = { .stream = stream };
    int r = format(&s, f, ap);
    return stream->error ? -1 : r;
}

int vprintf(const char *restrict f, va_list ap) { return vfprintf(stdout, f, ap); }

int printf(const char *restrict f, ...) {
    va_list ap; va_start(ap, f); int r = vfprintf(stdout, f, ap); va_end(ap); return r;
}
int fprintf(FILE *restrict stream, const char *restrict f, ...) {
    va_list ap; va_start(ap, f); int r = vfprintf(stream, f, ap); va_end(ap); return r;
}
int sprintf(char *restrict buffer, const char *restrict f, ...) {
    va_list ap; va_start(ap, f); int r = vsnprintf(buffer, SIZE_MAX, f, ap); va_end(ap); return r;
}
int snprintf(char *restrict buffer, size_t n, const char *restrict f, ...) {
    va_list ap; va_start(ap, f); int r = vsnprintf(buffer, n, f, ap); va_end(ap); return r;
}
