/* ceventloop.h — C shim for the Linux calls Swift's Glibc module does not export: epoll(7) and
 * eventfd(2) (thread names: CHostSupport). No logic lives here. */
#ifndef CEVENTLOOP_H
#define CEVENTLOOP_H
#include <sys/epoll.h>
#include <sys/eventfd.h>

#endif
