/* posixextras.c — the C library's LibCPosix functions (the ones the ports needed), printing what
 * they return; PortsBootTests runs it in the guest and built by the host's cc against glibc, and
 * the two outputs must be identical. sscanf cases, random/srandom, the "C" locale, the one-byte
 * wide conversions, strpbrk/strcoll, mkstemp/tmpfile, popen/pclose/system, freopen. */
#include <assert.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wctype.h>

static void scan_ints(const char *format, const char *input) {
    int a = -1, b = -1, c = -1, n = -1;
    int r = sscanf(input, format, &a, &b, &c, &n);
    printf("sscanf(\"%s\", \"%s\") = %d: %d %d %d %d\n", input, format, r, a, b, c, n);
}

static void scan_doubles(const char *format, const char *input) {
    double a = -1, b = -1;
    int r = sscanf(input, format, &a, &b);
    printf("sscanf(\"%s\", \"%s\") = %d: %a %a\n", input, format, r, a, b);
}

int main(void) {
    scan_ints("%d %d", "12 -34");
    scan_ints("%i %i %i", "0x1f 017 -9");
    scan_ints("%x %o %u", "ff 777 4294967295");
    scan_ints("%d%n", "7 8");
    scan_ints("%d %n%d", "7 8");
    scan_ints("%*d %d", "1 2");
    scan_ints("%3d%d", "12345");
    scan_ints("a%db%d", "a5b6");
    scan_ints("a%db%d", "a5c6");
    scan_ints("%d%%%d", "50%3");
    scan_ints("%d", "");
    scan_ints("%d", "   ");
    scan_ints("%d", "abc");
    scan_ints("%d %d", "1");
    scan_ints("%x", "0x");
    scan_ints("%i", "-0X1A");
    scan_ints("%d", "+17");
    scan_doubles("%lf %lf", "1.5 -2.25e3");
    scan_doubles("%lf %lf", "0x1.8p1 inf");
    scan_doubles("%lf %lf", "-infinity 1e-400");
    scan_doubles("%lf %lf", ".5e+2x 3");
    scan_doubles("%lf", "1e");
    scan_doubles("%4lf%lf", "3.14159");
    scan_doubles("%lf", "0.1000000000000000055511151231257827021181583404541015625");
    {
        float f = 0; int r = sscanf("2.5", "%f", &f);
        printf("%%f: %d %a\n", r, (double)f);
        char s1[16] = "?", s2[16] = "?", c3[4] = "???";
        r = sscanf("abcdefgh ij xyz", "%5s%s %3c", s1, s2, c3);
        printf("strings: %d [%s] [%s] [%.3s]\n", r, s1, s2, c3);
        r = sscanf("hello WORLD,5", "%[a-z] %[^,],%d", s1, s2, &(int){0});
        printf("sets: %d [%s] [%s]\n", r, s1, s2);
        r = sscanf("]]x?", "%[]x]", s1);
        printf("bracket: %d [%s]\n", r, s1);
        signed char hh = 0; short h = 0; long long ll = 0;
        r = sscanf("300 70000 -9223372036854775808", "%hhd %hd %lld", &hh, &h, &ll);
        printf("lengths: %d %d %d %lld\n", r, hh, h, ll);
    }
    srandom(42);
    for (int i = 0; i < 5; i++) printf("random %ld\n", random());
    srandom(0);
    printf("random(seed 0) %ld\n", random());
    printf("setlocale: %s %s %s\n", setlocale(LC_ALL, NULL), setlocale(LC_ALL, "C"), setlocale(LC_NUMERIC, "POSIX"));
    struct lconv *lc = localeconv();
    printf("lconv: [%s] [%s] [%s] %d\n", lc->decimal_point, lc->thousands_sep, lc->grouping, lc->frac_digits);
    wchar_t wc = 0;
    char mb[4] = {0};
    int to_wide = mbtowc(&wc, "A", 1), to_multibyte = wctomb(mb, L'z');
    printf("mbtowc %d %d, wctomb %d %d, mblen %d, MB_CUR_MAX %zu\n", to_wide, (int)wc, to_multibyte, mb[0],
           mblen("", 1), MB_CUR_MAX);
    printf("towupper %c towlower %c\n", (int)towupper(L'q'), (int)towlower(L'Q'));
    printf("strpbrk %s, strcoll %d %d\n", strpbrk("hello, world", " ,"), strcoll("abc", "abd") < 0, strcoll("b", "a") > 0);
    char name[] = "/tmp/posixextrasXXXXXX";
    int fd = mkstemp(name);
    printf("mkstemp: %d %d\n", fd >= 0, strncmp(name, "/tmp/posixextras", 16) == 0 && strcmp(name + 16, "XXXXXX") != 0);
    if (fd >= 0) { write(fd, "kept", 4); close(fd); FILE *f = fopen(name, "r"); char b[8] = {0}; fread(b, 1, 7, f); fclose(f); printf("read back [%s]\n", b); unlink(name); }
    FILE *t = tmpfile();
    fputs("temporary\n", t);
    rewind(t);
    char line[32] = {0};
    printf("tmpfile: [%s]", fgets(line, sizeof line, t) ? line : "(null)\n");
    fclose(t);
    fflush(stdout);
    FILE *p = popen("echo from the shell; echo second line", "r");
    while (p && fgets(line, sizeof line, p)) printf("popen read: %s", line);
    printf("pclose: %d\n", p ? WEXITSTATUS(pclose(p)) : -1);
    p = popen("read x; exit $x", "w");
    fputs("7\n", p);
    printf("pclose(w): %d\n", WEXITSTATUS(pclose(p)));
    int s = system("exit 3");
    printf("system: %d %d, system(NULL) %d\n", WIFEXITED(s), WEXITSTATUS(s), system(NULL) != 0);
    assert(1 + 1 == 2);
    printf("done\n");
    return 0;
}
