/* poll.h — poll(2) (Linux's values; the kernel's SV_POLL*, sv_syscall.h). */
#ifndef _POLL_H
#define _POLL_H
#define POLLIN   0x001
#define POLLPRI  0x002
#define POLLOUT  0x004
#define POLLERR  0x008
#define POLLHUP  0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
typedef unsigned long nfds_t;
struct pollfd {
    int fd;
    short events;
    short revents;
};
int poll(struct pollfd *fds, nfds_t count, int timeout);
#endif
