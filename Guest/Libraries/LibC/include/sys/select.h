/* sys/select.h — select() over the kernel's poll (descriptors below FD_SETSIZE). */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H
#include <sys/time.h>
#define FD_SETSIZE 1024
typedef struct { unsigned long bits[FD_SETSIZE / (8 * sizeof(unsigned long))]; } fd_set;
#define FD_ZERO(s)     do { for (unsigned i_ = 0; i_ < sizeof((s)->bits) / sizeof((s)->bits[0]); i_++) (s)->bits[i_] = 0; } while (0)
#define FD_SET(fd, s)   ((s)->bits[(fd) / (8 * sizeof(unsigned long))] |= 1UL << ((fd) % (8 * sizeof(unsigned long))))
#define FD_CLR(fd, s)   ((s)->bits[(fd) / (8 * sizeof(unsigned long))] &= ~(1UL << ((fd) % (8 * sizeof(unsigned long)))))
#define FD_ISSET(fd, s) (((s)->bits[(fd) / (8 * sizeof(unsigned long))] >> ((fd) % (8 * sizeof(unsigned long)))) & 1)
int select(int count, fd_set *restrict readable, fd_set *restrict writable, fd_set *restrict errors, struct timeval *restrict timeout);
#endif
