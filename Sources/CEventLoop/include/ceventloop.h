/* ceventloop.h — C shim for the Linux calls Swift's Glibc module does not export: epoll(7),
 * eventfd(2) and pthread_setname_np(3). No logic lives here. */
#ifndef CEVENTLOOP_H
#define CEVENTLOOP_H
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* A GNU extension; declared here rather than defining _GNU_SOURCE, which would make this module's
 * view of the libc headers differ from Swift's Glibc module. */
extern int pthread_setname_np(pthread_t thread, const char *name);

static inline int ceventloop_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

#endif
