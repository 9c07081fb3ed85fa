/* stdio.h — buffered streams over the POSIX layer. The printf family is the Swift engine of the
 * Numbers module (every conversion but %n, floating point correctly rounded, as glibc prints). */
#ifndef _STDIO_H
#define _STDIO_H
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#define EOF (-1)
#define BUFSIZ 4096
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
int remove(const char *path);
int rename(const char *from, const char *to);
#endif
