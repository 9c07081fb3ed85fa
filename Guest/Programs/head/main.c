/* head [-n N] [FILE…] — the first N lines (10) of each file, or of standard input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void head(FILE *f, long n) {
    int c;
    while (n > 0 && (c = getc(f)) != EOF) {
        putchar(c);
        if (c == '\n') n--;
    }
}

int main(int argc, char **argv) {
    long n = 10;
    int i = 1, status = 0;
    if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
        char *end;
        n = strtol(argv[i + 1], &end, 10);
        if (*end || n < 0) { fprintf(stderr, "head: invalid number of lines: '%s'\n", argv[i + 1]); return 2; }
        i += 2;
    }
    if (i == argc) { head(stdin, n); return 0; }
    int files = argc - i;
    for (int first = i; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) { fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[i], strerror(errno)); status = 1; continue; }
        if (files > 1) printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
        head(f, n);
        fclose(f);
    }
    return status;
}
