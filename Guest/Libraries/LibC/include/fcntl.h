/* fcntl.h — open(2) flags (Linux's values). */
#ifndef _FCNTL_H
#define _FCNTL_H
#include <sys/types.h>
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_ACCMODE   3
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NOCTTY   0400
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000
#define F_DUPFD     0
#define F_GETFD     1
#define F_SETFD     2
#define F_GETFL     3
#define F_SETFL     4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC  1
/* Record locks (XSH fcntl; glibc's x86-64 struct flock and numbers). The kernel keeps no locks
 * yet: F_SETLK and F_SETLKW check the descriptor and the request (EBADF, EINVAL as POSIX says)
 * and then succeed without recording anything — advisory locks that exclude nobody, so two
 * processes writing one file must not rely on them; F_GETLK reports F_UNLCK (no lock held by
 * another process: none is ever recorded). LibCPosix/RecordLocks.swift. */
#define F_GETLK     5
#define F_SETLK     6
#define F_SETLKW    7
#define F_RDLCK     0
#define F_WRLCK     1
#define F_UNLCK     2
struct flock {
    short l_type;
    short l_whence;
    off_t l_start;
    off_t l_len;
    pid_t l_pid;
};
int open(const char *path, int flags, ...);
int creat(const char *path, mode_t mode);
int fcntl(int fd, int command, ...);
#endif
