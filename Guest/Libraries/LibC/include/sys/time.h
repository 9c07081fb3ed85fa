/* sys/time.h — gettimeofday (the wall clock, UTC) and struct timeval. */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <sys/types.h>
typedef long suseconds_t;
struct timeval { time_t tv_sec; suseconds_t tv_usec; };
struct timezone { int tz_minuteswest, tz_dsttime; };
int gettimeofday(struct timeval *restrict tv, void *restrict tz);
/* The file server keeps a modification time only: times[1] is set, times[0] (access) is not kept;
 * NULL sets it to now. */
int utimes(const char *path, const struct timeval times[2]);
#endif
