/* stdio.h — buffered streams over the POSIX layer. The printf family is the Swift engine of the
 * Numbers module (every conversion but %n, floating point correctly rounded, as glibc prints). */
#ifndef _STDIO_H
#define _STDIO_H
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#define EOF (-1)
#define BUFSIZ 4096
#define FOPEN_MAX 32          /* streams open at once: at least this many (LibCPosix/Streams.swift has no fixed limit) */
#define FILENAME_MAX 4096
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
typedef struct sv_file FILE;
extern FILE *stdin, *stdout, *stderr;
FILE *fopen(const char *restrict path, const char *restrict mode);
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int fflush(FILE *f);
size_t fread(void *restrict buf, size_t size, size_t count, FILE *restrict f);
size_t fwrite(const void *restrict buf, size_t size, size_t count, FILE *restrict f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
int ungetc(int c, FILE *f);
char *fgets(char *restrict s, int size, FILE *restrict f);
ssize_t getline(char **restrict line, size_t *restrict capacity, FILE *restrict f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
int puts(const char *s);
int fseek(FILE *f, long offset, int whence);
long ftell(FILE *f);
void rewind(FILE *f);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int fileno(FILE *f);
void perror(const char *s);
int printf(const char *restrict format, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *restrict f, const char *restrict format, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char *restrict s, const char *restrict format, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *restrict s, size_t n, const char *restrict format, ...) __attribute__((format(printf, 3, 4)));
int vprintf(const char *restrict format, va_list ap);
int vfprintf(FILE *restrict f, const char *restrict format, va_list ap);
int vsnprintf(char *restrict s, size_t n, const char *restrict format, va_list ap);
int vsprintf(char *restrict s, const char *restrict format, va_list ap);
/* Commands through /bin/sh, and a stream re-aimed (LibCPosix/Processes.swift). */
FILE *popen(const char *command, const char *mode);
int pclose(FILE *f);
FILE *freopen(const char *restrict path, const char *restrict mode, FILE *restrict f);
/* LibCPosix/StdioExtras.swift: 64-bit seeks, the unlocked and locking variants (no-op locks: one
 * thread per process), temporary files; setvbuf, setbuf and setlinebuf choose full, line or no
 * buffering (the library keeps its own buffer; LibCPosix/Streams.swift). */
int fseeko(FILE *f, off_t offset, int whence);
off_t ftello(FILE *f);
int getc_unlocked(FILE *f);
int putc_unlocked(int c, FILE *f);
void flockfile(FILE *f);
void funlockfile(FILE *f);
int ftrylockfile(FILE *f);
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2
int setvbuf(FILE *restrict f, char *restrict buffer, int mode, size_t size);
void setbuf(FILE *restrict f, char *restrict buffer);
void setlinebuf(FILE *f);
#define L_tmpnam 20
#define TMP_MAX 238328
#define P_tmpdir "/tmp"
FILE *tmpfile(void);
char *tmpnam(char *s);
/* The scanf family (C11 7.21.6.2): the Swift engine of LibCPosix/Scanning.swift. */
int scanf(const char *restrict format, ...) __attribute__((format(scanf, 1, 2)));
int fscanf(FILE *restrict f, const char *restrict format, ...) __attribute__((format(scanf, 2, 3)));
int sscanf(const char *restrict s, const char *restrict format, ...) __attribute__((format(scanf, 2, 3)));
int vscanf(const char *restrict format, va_list ap);
int vfscanf(FILE *restrict f, const char *restrict format, va_list ap);
int vsscanf(const char *restrict s, const char *restrict format, va_list ap);
int remove(const char *path);
int rename(const char *from, const char *to);
#endif
