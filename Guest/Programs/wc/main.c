/* wc [-lwc] [FILE…] — counts lines, words and bytes (standard input without FILEs). A C program
 * built against the guest's C library, unchanged from what it would be on Linux. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int show_lines, show_words, show_bytes;
static unsigned long total_lines, total_words, total_bytes;

/* As GNU wc: counts right-aligned in 7 columns, one space apart; a lone count for standard
 * input is printed bare. */
static void report(unsigned long lines, unsigned long words, unsigned long bytes, const char *name) {
    unsigned long values[3] = { lines, words, bytes };
    int shown[3] = { show_lines, show_words, show_bytes };
    int fields = show_lines + show_words + show_bytes, printed = 0;
    for (int i = 0; i < 3; i++) {
        if (!shown[i]) continue;
        if (fields == 1 && !name) printf("%lu", values[i]);
        else printf("%s%7lu", printed ? " " : "", values[i]);
        printed++;
    }
    if (name) printf(" %s", name);
    putchar('\n');
}

static void count(FILE *f, const char *name) {
    unsigned long lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = getc(f)) != EOF) {
        bytes++;
        if (c == '\n') lines++;
        if (isspace(c)) in_word = 0;
        else if (!in_word) { in_word = 1; words++; }
    }
    report(lines, words, bytes, name);
    total_lines += lines; total_words += words; total_bytes += bytes;
}

int main(int argc, char **argv) {
    int i = 1, status = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'l') show_lines = 1;
            else if (*p == 'w') show_words = 1;
            else if (*p == 'c') show_bytes = 1;
            else { fprintf(stderr, "wc: invalid option -- '%c'\nusage: wc [-lwc] [FILE...]\n", *p); return 2; }
        }
    }
    if (!show_lines && !show_words && !show_bytes) show_lines = show_words = show_bytes = 1;
    if (i == argc) { count(stdin, 0); return 0; }
    int files = argc - i;
    for (; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) { fprintf(stderr, "wc: "); perror(argv[i]); status = 1; continue; }
        count(f, argv[i]);
        fclose(f);
    }
    if (files > 1) report(total_lines, total_words, total_bytes, "total");
    return status;
}
