/* time.h — C11 7.27 and POSIX's _r variants and clock_gettime. The guest's time zone is UTC:
 * localtime is gmtime and mktime is timegm (TZ is not read). The calendar arithmetic and strftime
 * ("C" locale) are Swift (LibCTime/CalendarTime.swift). */
#ifndef _TIME_H
#define _TIME_H
#include <stddef.h>
#include <sys/types.h>
#define CLOCKS_PER_SEC 1000000L
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define TIME_UTC 1
typedef long clock_t;
typedef int clockid_t;
struct tm {
    int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
    long tm_gmtoff;
    const char *tm_zone;
};
struct timespec { time_t tv_sec; long tv_nsec; };
time_t time(time_t *t);
clock_t clock(void);
double difftime(time_t end, time_t start);
time_t mktime(struct tm *tm);
time_t timegm(struct tm *tm);
struct tm *gmtime(const time_t *t);
struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict result);
struct tm *localtime(const time_t *t);
struct tm *localtime_r(const time_t *restrict t, struct tm *restrict result);
int nanosleep(const struct timespec *duration, struct timespec *remaining);
size_t strftime(char *restrict s, size_t max, const char *restrict format, const struct tm *restrict tm);
int clock_gettime(clockid_t clock, struct timespec *ts);
int timespec_get(struct timespec *ts, int base);
#endif
