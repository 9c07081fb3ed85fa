/* time.c — time.h's C side: reads the clocks (SV_SYS_CLOCK_GETTIME, SV_SYS_CLOCK) and converts
 * struct tm to and from the field array of the Swift calendar code (LibCTime/CalendarTime.swift),
 * which does the arithmetic and strftime. UTC only (time.h). */
#include <errno.h>
#include <time.h>
#include "bridge.h"
#include "sv_user.h"

int sv_gmtime(int64_t t, int fields[9]);
int64_t sv_timegm(int fields[9], int *ok);
size_t sv_strftime(char *out, size_t capacity, const char *format, const int fields[9]);

static void to_fields(const struct tm *tm, int f[9]) {
    f[0] = tm->tm_sec; f[1] = tm->tm_min; f[2] = tm->tm_hour; f[3] = tm->tm_mday; f[4] = tm->tm_mon;
    f[5] = tm->tm_year; f[6] = tm->tm_wday; f[7] = tm->tm_yday; f[8] = tm->tm_isdst;
}

static void from_fields(const int f[9], struct tm *tm) {
    tm->tm_sec = f[0]; tm->tm_min = f[1]; tm->tm_hour = f[2]; tm->tm_mday = f[3]; tm->tm_mon = f[4];
    tm->tm_year = f[5]; tm->tm_wday = f[6]; tm->tm_yday = f[7]; tm->tm_isdst = f[8];
    tm->tm_gmtoff = 0;
    tm->tm_zone = "GMT";
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
    struct sv_timespec s;
    int64_t r = sv_syscall2(SV_SYS_CLOCK_GETTIME, (uint64_t)(int64_t)clock, (uint64_t)&s);
    if (r < 0) { errno = (int)-r; return -1; }
    ts->tv_sec = s.tv_sec;
    ts->tv_nsec = s.tv_nsec;
    return 0;
}

int timespec_get(struct timespec *ts, int base) {
    return base == TIME_UTC && clock_gettime(CLOCK_REALTIME, ts) == 0 ? base : 0;
}

time_t time(time_t *t) {
    struct timespec ts;
    time_t now = clock_gettime(CLOCK_REALTIME, &ts) == 0 ? ts.tv_sec : (time_t)-1;
    if (t) *t = now;
    return now;
}

/* Processor time: the time since boot stands in for it (no per-process CPU accounting yet). */
clock_t clock(void) { return (clock_t)((uint64_t)sv_syscall0(SV_SYS_CLOCK) / 1000); }

double difftime(time_t end, time_t start) { return (double)end - (double)start; }

struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict result) {
    int f[9];
    if (sv_gmtime(*t, f) != 0) { errno = EOVERFLOW; return 0; }
    from_fields(f, result);
    return result;
}

struct tm *gmtime(const time_t *t) {
    static struct tm result;
    return gmtime_r(t, &result);
}

struct tm *localtime_r(const time_t *restrict t, struct tm *restrict result) { return gmtime_r(t, result); }
struct tm *localtime(const time_t *t) { return gmtime(t); }

time_t timegm(struct tm *tm) {
    int f[9], ok;
    to_fields(tm, f);
    int64_t t = sv_timegm(f, &ok);
    if (!ok) { errno = EOVERFLOW; return (time_t)-1; }
    from_fields(f, tm);
    return t;
}

time_t mktime(struct tm *tm) { return timegm(tm); }

size_t strftime(char *restrict s, size_t max, const char *restrict format, const struct tm *restrict tm) {
    int f[9];
    to_fields(tm, f);
    return sv_strftime(s, max, format, f);
}
