/* libcore.c — the C library's everyday functions, printed so that the guest's build can be compared
 * with the host's glibc build line for line (CLibraryCoreTests.swift): ctype over every byte,
 * the strtol family over signs, prefixes, bases and overflow (errno and end pointer), string.h,
 * strerror and strsignal texts, qsort and bsearch, the environment calls, the signal-set calls,
 * snprintf's truncation, sscanf, and stdout written through every output call in turn. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void classes(void) {
    int (*const tests[])(int) = {isalnum, isalpha, isblank, iscntrl, isdigit, isgraph, islower,
                                 isprint, ispunct, isspace, isupper, isxdigit};
    for (int c = -1; c < 256; c++) {
        unsigned mask = 0;
        for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++) mask |= (tests[i](c) != 0) << i;
        printf("ctype %d %03x %d %d\n", c, mask, toupper(c), tolower(c));
    }
}

static void integers(void) {
    const char *inputs[] = {"0", "42", "  -17xyz", "+9", "0x1f", "0X", "0x", "0xg", "017", "08", "z", "Zz9",
                            "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                            "-9223372036854775809", "18446744073709551615", "18446744073709551616",
                            "-1", "99999999999999999999999", "  \t\n+0x7FFFffff", "", "-", "  ", "1e5",
                            "-0", "101", "777", "\v12"};
    const int bases[] = {0, 2, 8, 10, 16, 36, 1, 37, -1};
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *end = NULL;
            errno = 0;
            long long v = strtoll(inputs[i], &end, bases[b]);
            int e1 = errno;
            long c1 = end ? (long)(end - inputs[i]) : -1;
            end = NULL;
            errno = 0;
            unsigned long long u = strtoull(inputs[i], &end, bases[b]);
            int e2 = errno;
            long c2 = end ? (long)(end - inputs[i]) : -1;
            errno = 0;
            long l = strtol(inputs[i], NULL, bases[b]);
            int e3 = errno;
            printf("strto \"%s\" %d: %lld %d %ld | %llu %d %ld | %ld %d\n", inputs[i], bases[b], v, e1, c1, u, e2, c2, l, e3);
        }
        printf("ato \"%s\": %d %ld %lld\n", inputs[i], atoi(inputs[i]), atol(inputs[i]), atoll(inputs[i]));
    }
    printf("abs %d %d %ld %ld\n", abs(-5), abs(7), labs(-123456789012L), labs(0));
}

static int sign(int x) { return (x > 0) - (x < 0); }

static void strings(void) {
    const char *words[] = {"", "a", "A", "abc", "abd", "ab", "ABC", "abc\x80", "abc\x7f", "zebra", "Zebra"};
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) {
        for (unsigned j = 0; j < sizeof words / sizeof words[0]; j++) {
            printf("cmp %u %u: %d %d %d %d\n", i, j, sign(strcmp(words[i], words[j])), sign(strncmp(words[i], words[j], 2)),
                   sign(strcasecmp(words[i], words[j])), sign(strncasecmp(words[i], words[j], 3)));
        }
    }
    const char *s = "hello, world; hello again";
    printf("strchr %ld %ld %ld\n", strchr(s, 'o') - s, strchr(s, 0) - s, (long)(strchr(s, 'q') != NULL));
    printf("strrchr %ld %ld\n", strrchr(s, 'o') - s, strrchr(s, 0) - s);
    printf("strstr %ld %ld %d\n", strstr(s, "hello") - s, strstr(s, "again") - s, strstr(s, "xyz") == NULL);
    printf("strstr empty %ld\n", strstr(s, "") - s);
    printf("spn %zu %zu %zu %zu\n", strspn(s, "hel"), strcspn(s, ",;"), strspn(s, ""), strcspn(s, ""));
    printf("pbrk %ld\n", strpbrk(s, ";,") - s);
    printf("memchr %ld %d\n", (char *)memchr(s, 'w', 20) - s, memchr(s, 'w', 5) == NULL);
    printf("strnlen %zu %zu\n", strnlen(s, 5), strnlen(s, 100));

    char buffer[64];
    memset(buffer, 'x', sizeof buffer);
    strncpy(buffer, "abc", 6);
    for (int i = 0; i < 8; i++) printf("%02x", (unsigned char)buffer[i]);
    printf(" strncpy\n");
    strcpy(buffer, "one");
    strcat(buffer, "two");
    strncat(buffer, "threefour", 5);
    printf("cat %s %zu\n", buffer, strlen(buffer));
    char *copy = strndup("duplicate", 3);
    char *whole = strdup("whole");
    printf("dup %s %s\n", copy, whole);
    free(copy);
    free(whole);

    char text[] = "  alpha, beta,,gamma;delta  ";
    for (char *t = strtok(text, " ,;"); t; t = strtok(NULL, " ,;")) printf("token [%s]\n", t);
    char none[] = ",,,";
    printf("token none %d\n", strtok(none, ",") == NULL);
}

static void messages(void) {
    for (int e = 0; e < 140; e++) printf("strerror %d %s\n", e, strerror(e));
    printf("strerror -1 %s\n", strerror(-1));
    for (int s = 0; s < 70; s++) printf("strsignal %d %s\n", s, strsignal(s));
}

static int by_value(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void sorting(void) {
    int values[200];
    unsigned x = 12345;
    for (int i = 0; i < 200; i++) { x = x * 1103515245u + 12345u; values[i] = (int)(x >> 16) % 100 - 50; }
    qsort(values, 200, sizeof values[0], by_value);
    for (int i = 0; i < 200; i++) printf("%d%c", values[i], i % 20 == 19 ? '\n' : ' ');
    for (int key = -52; key <= 52; key += 13) {
        int *found = bsearch(&key, values, 200, sizeof values[0], by_value);
        printf("bsearch %d %d\n", key, found ? *found : 999);
    }
    const char *names[] = {"pear", "apple", "fig", "banana", "cherry", "date", "apple", "elderberry"};
    qsort(names, 8, sizeof names[0], by_string);
    for (int i = 0; i < 8; i++) printf("%s ", names[i]);
    printf("\n");
    qsort(values, 0, sizeof values[0], by_value);
    qsort(values, 1, sizeof values[0], by_value);
    printf("bsearch empty %d\n", bsearch(&values[0], values, 0, sizeof values[0], by_value) == NULL);
}

static void environment(void) {
    /* One call per statement: the order of a printf's arguments is unspecified, and getenv's
     * string may be the next getenv's. */
    int r = setenv("LIBCORE_A", "first", 1);
    printf("setenv %d %s\n", r, getenv("LIBCORE_A"));
    r = setenv("LIBCORE_A", "second", 0);
    printf("setenv keep %d %s\n", r, getenv("LIBCORE_A"));
    r = setenv("LIBCORE_A", "third", 1);
    printf("setenv overwrite %d %s\n", r, getenv("LIBCORE_A"));
    errno = 0;
    r = setenv("BAD=NAME", "x", 1);
    printf("setenv bad %d %d\n", r, errno);
    errno = 0;
    r = setenv("", "x", 1);
    printf("setenv empty %d %d\n", r, errno);
    r = unsetenv("LIBCORE_A");
    printf("unsetenv %d %d\n", r, getenv("LIBCORE_A") == NULL);
    errno = 0;
    r = unsetenv("A=B");
    printf("unsetenv bad %d %d\n", r, errno);
}

static void signal_sets(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, 64);
    printf("sigset %d %d %d %d", sigismember(&set, SIGINT), sigismember(&set, SIGHUP), sigismember(&set, 64),
           sigismember(&set, SIGTERM));
    sigdelset(&set, SIGINT);
    printf(" %d", sigismember(&set, SIGINT));
    errno = 0;
    int r = sigaddset(&set, 0);
    printf(" %d %d", r, errno);
    errno = 0;
    r = sigismember(&set, 65);
    printf(" %d %d", r, errno);
    sigfillset(&set);
    printf(" %d\n", sigismember(&set, SIGUSR2));
}

static void formatting(void) {
    char small[8];
    int n = snprintf(small, sizeof small, "%s-%d", "abcdef", 12345);
    printf("snprintf %d [%s]\n", n, small);
    n = snprintf(NULL, 0, "%d %s", 42, "forty-two");
    printf("snprintf null %d\n", n);
    n = snprintf(small, 1, "xyz");
    printf("snprintf one %d [%s]\n", n, small);
    char big[64];
    n = sprintf(big, "%5.2f|%-6s|%+d|%x|%o|%c|%%", 3.14159, "ab", 7, 255, 8, 'q');
    printf("sprintf %d [%s]\n", n, big);

    int a = 0, b = 0;
    char word[16] = "";
    double d = 0;
    n = sscanf("  12 -7 token 2.5e3 rest", "%d %d %15s %lf", &a, &b, word, &d);
    printf("sscanf %d %d %d %s %g\n", n, a, b, word, d);
    n = sscanf("", "%d", &a);
    printf("sscanf empty %d\n", n);
    n = sscanf("x1", "%d", &a);
    printf("sscanf mismatch %d\n", n);
}

static void output(void) {
    fputs("fputs line\n", stdout);
    putchar('p');
    putc('c', stdout);
    fputc('\n', stdout);
    puts("puts line");
    fwrite("fwrite 12345\n", 1, 13, stdout);
    size_t whole = fwrite("ab", 2, 1, stdout);
    printf(" <- fwrite elements %zu\n", whole);
    printf("fileno %d %d %d\n", fileno(stdin), fileno(stdout), fileno(stderr));
    printf("indicators %d %d\n", feof(stdout), ferror(stdout));
    fflush(stdout);
    fprintf(stdout, "fprintf %s %d\n", "to stdout", 3);
}

/* setvbuf's three modes, seen from the reading end of a pipe: full buffering holds "part line\n"
 * until fclose, line buffering sends it at the newline, no buffering at once. */
static int readable(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0);
}

static void drain(int fd, const char *label) {
    char all[128];
    size_t used = 0;
    while (readable(fd) == 1 && used < sizeof all - 1) {
        ssize_t n = read(fd, all + used, sizeof all - 1 - used);
        if (n <= 0) break;
        used += (size_t)n;
    }
    all[used] = 0;
    for (size_t i = 0; i < used; i++) if (all[i] == '\n') all[i] = '|';
    printf("%s: the pipe held \"%s\"\n", label, all);
}

static void buffering(void) {
    int fds[2];
    if (pipe(fds) != 0) { puts("buffering: pipe failed"); return; }
    static const int modes[] = {_IOFBF, _IOLBF, _IONBF};
    static const char *names[] = {"_IOFBF", "_IOLBF", "_IONBF"};
    for (int m = 0; m < 3; m++) {
        FILE *w = fdopen(dup(fds[1]), "w");
        printf("%s: setvbuf %d\n", names[m], setvbuf(w, NULL, modes[m], BUFSIZ));
        fputs("part", w);
        printf("%s: after \"part\" readable %d\n", names[m], readable(fds[0]));
        fputs(" line\n", w);
        printf("%s: after \" line\" readable %d\n", names[m], readable(fds[0]));
        fputs("tail", w);
        fclose(w);
        drain(fds[0], names[m]);
    }
    close(fds[0]);
    close(fds[1]);
    printf("setvbuf with mode 7 fails: %d\n", setvbuf(stdout, NULL, 7, 0) != 0);
    fflush(stdout);
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("unbuffered stdout: a");
    write(1, "b", 1);
    printf("c\n");
    setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
}

/* Returning from main is exit(main's value) (C11 5.1.2.2.3): the functions registered with
 * atexit run, last registered first, and buffered output is flushed. */
static FILE *unflushed;
static void registered_first(void) { printf("atexit: registered first, runs last\n"); }
static void registered_second(void) {
    printf("atexit: registered second, runs first\n");
    fputs("a buffered line nobody flushed\n", unflushed);
}

int main(void) {
    atexit(registered_first);
    atexit(registered_second);
    unflushed = stdout;
    classes();
    integers();
    strings();
    messages();
    sorting();
    environment();
    signal_sets();
    formatting();
    output();
    buffering();
    printf("libcore: done\n");
    return 0;
}
