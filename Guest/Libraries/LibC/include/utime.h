/* utime.h — set a file's times (XBD <utime.h>). The file server keeps a modification time only:
 * modtime is set, actime is not kept (LibCPosix/FileExtras.swift). */
#ifndef _UTIME_H
#define _UTIME_H
#include <sys/types.h>
struct utimbuf { time_t actime; time_t modtime; };
int utime(const char *path, const struct utimbuf *times);
#endif
