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
    int fd = open(path, flags, 0666);   /* POSIX fopen: a new file is created 0666, less the umask */
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

/* ---- formatting: C11 7.21.6.1, by the Swift engine (LibCNumbers/CFormatting.swift over the
 * Numbers module): every conversion, flag, width and precision as glibc prints them, floating
 * point correctly rounded. %n is refused (-1, EINVAL): a format that writes memory is a classic
 * exploit, and no program we build needs it. ---- */

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

static void sink_write(void *context, const char *bytes, size_t n) {
    struct sink *s = context;
    for (size_t i = 0; i < n; i++) emit(s, bytes[i]);
}

long sv_format(const char *format, va_list *ap, void (*write)(void *, const char *, size_t), void *context);

static int format(struct sink *s, const char *f, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    long r = sv_format(f, &copy, sink_write, s);
    va_end(copy);
    if (r < 0) {
        errno = r == -3 ? EILSEQ : r == -4 ? EOVERFLOW : EINVAL;
        return -1;
    }
    return (int)r;
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

/* ---- scanning: C11 7.21.6.2, by the Swift engine (LibCPosix/Scanning.swift). Only the variadic
 * entry points and the two byte sources (a string, a stream) are here. ---- */

int sv_scan(const char *format, va_list *ap, int (*get)(void *), void (*unget)(int, void *), void *context);

static int string_get(void *context) {
    const unsigned char **s = context;
    return **s ? *(*s)++ : EOF;
}
static void string_unget(int c, void *context) { (void)c; (*(const char **)context)--; }
static int stream_get(void *context) { return fgetc(context); }
static void stream_unget(int c, void *context) { ungetc(c, context); }

int vsscanf(const char *restrict s, const char *restrict f, va_list ap) {
    va_list copy; va_copy(copy, ap);
    int r = sv_scan(f, &copy, string_get, string_unget, &s);
    va_end(copy);
    return r;
}
int vfscanf(FILE *restrict stream, const char *restrict f, va_list ap) {
    va_list copy; va_copy(copy, ap);
    int r = sv_scan(f, &copy, stream_get, stream_unget, stream);
    va_end(copy);
    return r;
}
int vscanf(const char *restrict f, va_list ap) { return vfscanf(stdin, f, ap); }
int sscanf(const char *restrict s, const char *restrict f, ...) {
    va_list ap; va_start(ap, f); int r = vsscanf(s, f, ap); va_end(ap); return r;
}
int fscanf(FILE *restrict stream, const char *restrict f, ...) {
    va_list ap; va_start(ap, f); int r = vfscanf(stream, f, ap); va_end(ap); return r;
}
int scanf(const char *restrict f, ...) {
    va_list ap; va_start(ap, f); int r = vfscanf(stdin, f, ap); va_end(ap); return r;
}
