/* calendar.c — setjmp/longjmp and time.h, built by the toolchain test with build/bin/swiftvm-cc
 * for the guest and with the host's cc against glibc (run with TZ=UTC); both must print the same.
 * gmtime, timegm/mktime (with out-of-range fields to normalize) and strftime of every conversion,
 * over fixed and seeded random times from year -2000 to 3000; setjmp/longjmp through nested calls,
 * with callee-saved variables and the value 0 turned into 1. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static jmp_buf env;
static int depth;

static void dive(int n) {
    depth = n;
    if (n == 5) longjmp(env, n * 10);
    dive(n + 1);
}

static void jumps(void) {
    volatile int kept = 7;
    int r = setjmp(env);
    if (r == 0) { kept = 8; dive(0); }
    printf("setjmp returned %d after depth %d, kept %d\n", r, depth, kept);
    if (r == 50) { r = setjmp(env); if (r == 0) longjmp(env, 0); printf("longjmp(0) gives %d\n", r); }
}

static unsigned long long state = 12345;
static unsigned long long next(void) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
}

static void show(long long t) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) { printf("%lld: gmtime failed\n", t); return; }
    char b[512];
    size_t n = strftime(b, sizeof b, "%a %A %b %B %c|%C %d %D %e %F %g %G %h %H %I %j %m %M %n%p %r %R %S %t%T %u %U %V %w %W %x %X %y %Y %z %Z %%", &tm);
    printf("%lld: %d-%d-%d %d:%d:%d wday %d yday %d [%zu] %s\n", t, tm.tm_year, tm.tm_mon, tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday, n, b);
    time_t back = timegm(&tm);
    if (back != tt) printf("%lld: timegm gives %lld\n", t, (long long)back);
}

int main(void) {
    jumps();
    static const long long fixed[] = { 0, -1, 86399, 86400, 951782400, 951868800, 978307199, 1104537600,
                                       1230768000, 1262304000, 1609459199, 1700000000, 2147483647, 2147483648LL,
                                       4102444800LL, -2208988800LL, -62135596800LL, -11644473600LL, 253402300799LL };
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) show(fixed[i]);
    for (int i = 0; i < 300; i++) show((long long)(next() % 126230400000ULL) - 125000000000LL);
    /* Normalization: 2024-02-30 25:61:-1 → 2024-03-02 02:00:59; month 14 of 1999; day 0. */
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 124; tm.tm_mon = 1; tm.tm_mday = 30; tm.tm_hour = 25; tm.tm_min = 61; tm.tm_sec = -1;
    long long t = (long long)mktime(&tm);
    printf("mktime %lld -> %d-%d-%d %d:%d:%d wday %d yday %d\n", t, tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 99; tm.tm_mon = 14; tm.tm_mday = 0; tm.tm_hour = -30;
    t = (long long)timegm(&tm);
    printf("timegm %lld -> %d-%d-%d %d:%d:%d wday %d yday %d\n", t, tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday);
    char small[8];
    printf("too small: %zu\n", strftime(small, sizeof small, "%Y-%m-%d", gmtime(&(time_t){0})));
    printf("difftime %.1f\n", difftime(100, 40));
    return 0;
}
