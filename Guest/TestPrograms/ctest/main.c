/* ctest — the C library, checked from a C program in the guest: formatting, strings, numbers,
 * memory, sorting, the environment, and files/directories through the file server. Prints each
 * failure and a summary; exit status 0 only if every check passed. Needs fsd (run it from the
 * shell that init starts on an OS image). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int checks, failures;

#define CHECK(condition) do { \
    checks++; \
    if (!(condition)) { failures++; printf("ctest: FAIL line %d: %s\n", __LINE__, #condition); } \
} while (0)

static int same(const char *a, const char *b) { return strcmp(a, b) == 0; }

static int by_value(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void formatting(void) {
    char b[128];
    CHECK(snprintf(b, sizeof b, "%d|%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42, 42) == 28);
    CHECK(same(b, "42|   42|42   |00042|+42| 42"));
    snprintf(b, sizeof b, "%x %X %#x %o %#o %u", 255, 255, 255, 8, 8, 4000000000u);
    CHECK(same(b, "ff FF 0xff 10 010 4000000000"));
    snprintf(b, sizeof b, "%ld %lld %lu %zu %hhd %hd", -1234567890123L, -9223372036854775807LL - 1, 18446744073709551615UL, (size_t)7, 300, 70000);
    CHECK(same(b, "-1234567890123 -9223372036854775808 18446744073709551615 7 44 4464"));
    snprintf(b, sizeof b, "[%s] [%.3s] [%8s] [%-8s] [%c] [%%]", "hello", "hello", "hi", "hi", 'z');
    CHECK(same(b, "[hello] [hel] [      hi] [hi      ] [z] [%]"));
    snprintf(b, sizeof b, "%.5d %*d %-*d| %.0d", 42, 6, 7, 4, 8, 0);
    CHECK(same(b, "00042      7 8   | "));
    snprintf(b, sizeof b, "%p", (void *)0x1234);
    CHECK(same(b, "0x1234"));
    /* Truncation: the return value is what would have been written. */
    CHECK(snprintf(b, 6, "%s", "truncated") == 9 && same(b, "trunc"));
    CHECK(snprintf(0, 0, "%d", 123456) == 6);
}

static void strings(void) {
    char b[64];
    CHECK(strlen("") == 0 && strlen("abc") == 3);
    CHECK(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("x", "x") == 0);
    CHECK(strncmp("abcdef", "abcxyz", 3) == 0 && strncmp("abcdef", "abcxyz", 4) < 0);
    CHECK(strcasecmp("HeLLo", "hello") == 0);
    strcpy(b, "foo"); strcat(b, "bar");
    CHECK(same(b, "foobar"));
    CHECK(strchr(b, 'o') == b + 1 && strrchr(b, 'o') == b + 2 && strchr(b, 'z') == 0 && strchr(b, 0) == b + 6);
    CHECK(strstr(b, "oba") == b + 2 && strstr(b, "xyz") == 0);
    CHECK(strspn("aabbc", "ab") == 4 && strcspn("hello, world", ",") == 5);
    char words[] = "  one two,three ";
    char *t1 = strtok(words, " ,"), *t2 = strtok(0, " ,"), *t3 = strtok(0, " ,"), *t4 = strtok(0, " ,");
    CHECK(t1 && same(t1, "one") && t2 && same(t2, "two") && t3 && same(t3, "three") && t4 == 0);
    char *d = strdup("copy");
    CHECK(d && same(d, "copy"));
    free(d);
    CHECK(same(strerror(ENOENT), "No such file or directory"));
    CHECK(isdigit('7') && !isdigit('a') && isspace('\t') && toupper('q') == 'Q' && tolower('Q') == 'q');
}

static void numbers(void) {
    char *end;
    CHECK(atoi("  -123xyz") == -123);
    CHECK(strtol("0x1F", &end, 0) == 31 && *end == 0);
    CHECK(strtol("0755", 0, 0) == 493);
    CHECK(strtol("zz", &end, 36) == 1295);
    CHECK(strtoul("18446744073709551615", 0, 10) == 18446744073709551615UL);
    errno = 0;
    CHECK(strtol("99999999999999999999", 0, 10) == 9223372036854775807L && errno == ERANGE);
    CHECK(strtol("abc", &end, 10) == 0 && same(end, "abc"));
    CHECK(abs(-5) == 5 && labs(-5L) == 5);
}

static void memory(void) {
    int *a = malloc(1000 * sizeof *a);
    CHECK(a != 0);
    for (int i = 0; i < 1000; i++) a[i] = (i * 7919) % 1000;
    qsort(a, 1000, sizeof *a, by_value);
    int sorted = 1;
    for (int i = 1; i < 1000; i++) if (a[i - 1] > a[i]) sorted = 0;
    CHECK(sorted);
    int key = 500;
    CHECK(bsearch(&key, a, 1000, sizeof *a, by_value) != 0);
    a = realloc(a, 100000 * sizeof *a);
    CHECK(a != 0 && a[999] == 999);
    free(a);
    char *z = calloc(4096, 1);
    int zero = 1;
    for (int i = 0; i < 4096; i++) if (z[i]) zero = 0;
    CHECK(z && zero);
    free(z);
}

static void environment(void) {
    CHECK(setenv("CTEST", "value", 1) == 0 && getenv("CTEST") && same(getenv("CTEST"), "value"));
    CHECK(setenv("CTEST", "other", 0) == 0 && same(getenv("CTEST"), "value"));
    CHECK(unsetenv("CTEST") == 0 && getenv("CTEST") == 0);
    CHECK(setenv("BAD=NAME", "x", 1) == -1 && errno == EINVAL);
}

static void files(void) {
    char cwd[256];
    mkdir("/ctest", 0755);
    CHECK(chdir("/ctest") == 0 && getcwd(cwd, sizeof cwd) && same(cwd, "/ctest"));

    FILE *f = fopen("notes.txt", "w");
    CHECK(f != 0);
    if (!f) return;
    for (int i = 1; i <= 100; i++) fprintf(f, "line %d\n", i);
    CHECK(fclose(f) == 0);

    struct stat s;
    CHECK(stat("/ctest/notes.txt", &s) == 0 && S_ISREG(s.st_mode) && s.st_size == 792);
    f = fopen("notes.txt", "r");
    char line[64];
    int count = 0, last = 0;
    while (fgets(line, sizeof line, f)) { count++; last = atoi(line + 5); }
    CHECK(count == 100 && last == 100 && feof(f));
    CHECK(fseek(f, 5, SEEK_SET) == 0 && fgetc(f) == '1' && ftell(f) == 6);
    fclose(f);

    f = fopen("notes.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    CHECK(stat("notes.txt", &s) == 0 && s.st_size == 801);

    int fd = open("raw.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 3);
    CHECK(write(fd, "0123456789", 10) == 10);
    CHECK(lseek(fd, 2, SEEK_SET) == 2);
    char b[16] = {0};
    CHECK(read(fd, b, 4) == 4 && memcmp(b, "2345", 4) == 0);
    CHECK(lseek(fd, -3, SEEK_END) == 7 && read(fd, b, 16) == 3 && memcmp(b, "789", 3) == 0);
    CHECK(read(fd, b, 16) == 0);
    CHECK(ftruncate(fd, 4) == 0 && fstat(fd, &s) == 0 && s.st_size == 4);
    CHECK(close(fd) == 0 && close(fd) == -1 && errno == EBADF);

    CHECK(open("raw.bin", O_CREAT | O_EXCL | O_WRONLY) == -1 && errno == EEXIST);

    /* A write bigger than the server takes in one call (1 MiB) is written whole. */
    size_t large = (3 << 20) + 12345;
    unsigned char *data = malloc(large), *back = malloc(large);
    for (size_t i = 0; i < large; i++) data[i] = (unsigned char)(i * 31 + (i >> 12));
    fd = open("large.bin", O_WRONLY | O_CREAT | O_TRUNC);
    CHECK(write(fd, data, large) == (ssize_t)large);
    close(fd);
    fd = open("large.bin", O_RDONLY);
    size_t got = 0;
    ssize_t n;
    while ((n = read(fd, back + got, large - got)) > 0) got += (size_t)n;
    close(fd);
    CHECK(got == large && memcmp(data, back, large) == 0);
    free(data); free(back);
    CHECK(unlink("large.bin") == 0);
    CHECK(open("missing", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(open("/ctest", O_WRONLY) == -1 && errno == EISDIR);
    CHECK(rename("raw.bin", "renamed.bin") == 0 && access("renamed.bin", F_OK) == 0 && access("raw.bin", F_OK) == -1);
    CHECK(mkdir("sub", 0755) == 0 && mkdir("sub", 0755) == -1 && errno == EEXIST);

    DIR *dir = opendir(".");
    CHECK(dir != 0);
    int seen = 0;
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
        if (same(e->d_name, "notes.txt") && e->d_type == DT_REG) seen |= 1;
        if (same(e->d_name, "renamed.bin") && e->d_type == DT_REG) seen |= 2;
        if (same(e->d_name, "sub") && e->d_type == DT_DIR) seen |= 4;
    }
    if (dir) closedir(dir);
    CHECK(seen == 7);

    CHECK(rmdir("sub") == 0 && unlink("renamed.bin") == 0 && remove("notes.txt") == 0);
    CHECK(chdir("/") == 0 && rmdir("/ctest") == 0);
    CHECK(chdir("/nonexistent") == -1 && errno == ENOENT);
}

int main(int argc, char **argv) {
    /* First, before anything grows the heap: one allocation bigger than a growth step. */
    char *big = malloc(8 << 20);
    CHECK(big != 0);
    if (big) { big[0] = 1; big[(8 << 20) - 1] = 2; free(big); }
    CHECK(argc >= 1 && same(argv[0], "ctest"));
    formatting();
    strings();
    numbers();
    memory();
    environment();
    files();
    printf("ctest: %d of %d checks passed\n", checks - failures, checks);
    return failures == 0 ? 0 : 1;
}
