/* sv_errno.h — error codes returned (negated) by system calls. Values follow Linux's so a POSIX
 * C library can pass them through unchanged. */
#ifndef SWIFTVM_ERRNO_H
#define SWIFTVM_ERRNO_H

#define SV_EPERM      1
#define SV_ENOENT     2
#define SV_ESRCH      3
#define SV_EINTR      4
#define SV_EIO        5
#define SV_E2BIG      7
#define SV_ENOEXEC    8
#define SV_EBADF      9
#define SV_ECHILD    10
#define SV_EAGAIN    11
#define SV_ENOMEM    12
#define SV_EACCES    13
#define SV_EFAULT    14
#define SV_EBUSY     16
#define SV_EEXIST    17
#define SV_ENODEV    19
#define SV_EINVAL    22
#define SV_ENFILE    23
#define SV_EMFILE    24
#define SV_ENOTTY    25
#define SV_ESPIPE    29
#define SV_EFBIG     27
#define SV_ENOSPC    28
#define SV_EROFS     30
#define SV_EMLINK    31
#define SV_ENOSYS    38
#define SV_EPIPE     32
#define SV_ENAMETOOLONG 36
#define SV_ENOTEMPTY 39
#define SV_ELOOP     40
#define SV_ENOTDIR   20
#define SV_EISDIR    21
#define SV_ENXIO      6
#define SV_EDEADLK   35
#define SV_EOVERFLOW 75
#define SV_ESTALE   116

#endif
