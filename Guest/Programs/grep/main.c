/* grep [-i] [-v] [-n] [-c] PATTERN [FILE…] — lines containing PATTERN (a fixed string). Exit
 * status 0 if a line was selected, 1 if none, 2 on error — as POSIX grep. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ignore_case, invert, numbers, count_only;

static int contains(const char *line, const char *pattern) {
    if (!ignore_case) return strstr(line, pattern) != 0;
    size_t n = strlen(pattern);
    for (; *line; line++) if (strncasecmp(line, pattern, n) == 0) return 1;
    return n == 0;
}

static int search(FILE *f, const char *pattern, const char *name) {
    char *line = 0;
    size_t capacity = 0;
    long number = 0, selected = 0;
    ssize_t n;
    while ((n = getline(&line, &capacity, f)) >= 0) {
        number++;
        if (n > 0 && line[n - 1] == '\n') line[n - 1] = 0;
        if (contains(line, pattern) == invert) continue;
        selected++;
        if (count_only) continue;
        if (name) printf("%s:", name);
        if (numbers) printf("%ld:", number);
        printf("%s\n", line);
    }
    free(line);
    if (count_only) { if (name) printf("%s:", name); printf("%ld\n", selected); }
    return selected > 0;
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *p = argv[i] + 1; *p; p++) {
            switch (*p) {
            case 'i': ignore_case = 1; break;
            case 'v': invert = 1; break;
            case 'n': numbers = 1; break;
            case 'c': count_only = 1; break;
            default: fprintf(stderr, "grep: invalid option -- '%c'\nusage: grep [-ivnc] PATTERN [FILE...]\n", *p); return 2;
            }
        }
    }
    if (i == argc) { fprintf(stderr, "usage: grep [-ivnc] PATTERN [FILE...]\n"); return 2; }
    const char *pattern = argv[i++];
    if (i == argc) return search(stdin, pattern, 0) ? 0 : 1;
    int files = argc - i, found = 0, error = 0;
    for (; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) { fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno)); error = 1; continue; }
        found |= search(f, pattern, files > 1 ? argv[i] : 0);
        fclose(f);
    }
    return error ? 2 : found ? 0 : 1;
}
