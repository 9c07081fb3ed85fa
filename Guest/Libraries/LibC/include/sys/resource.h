/* sys/resource.h — resource usage and limits (XBD <sys/resource.h>; glibc's x86-64 layouts).
 * The kernel keeps no per-process CPU accounting yet, so getrusage fails with ENOSYS and leaves
 * the caller's struct as it was (LibCPosix/FileExtras.swift). No resource limits (getrlimit). */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H
#include <sys/time.h>
#include <sys/types.h>
#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
struct rusage {
    struct timeval ru_utime;
    struct timeval ru_stime;
    long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
         ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
int getrusage(int who, struct rusage *usage);
#endif
