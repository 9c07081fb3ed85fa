/* pthread.h — POSIX threads for a system whose processes have one thread each (no thread system
 * call yet). The types have glibc's x86-64 sizes. What works: mutexes (normal, recursive,
 * error-checking: a single thread locks and unlocks them for real; relocking a non-recursive
 * mutex it holds returns EDEADLK instead of waiting forever, since no other thread could ever
 * release it), mutex attributes, pthread_once, pthread_self/pthread_equal. pthread_create fails
 * with EAGAIN ("the system lacked the necessary resources to create another thread", XSH
 * pthread_create), so a program that falls back to working alone (SQLite's sorter does) still
 * runs; pthread_join/pthread_detach then have no thread to name (ESRCH). Swift:
 * LibCPosix/Threads.swift. */
#ifndef _PTHREAD_H
#define _PTHREAD_H
#include <sys/types.h>

typedef unsigned long pthread_t;
typedef union { char __size[56]; long __align; } pthread_attr_t;
typedef struct {
    int __locked;          /* 1 while held */
    unsigned __count;      /* times the holder locked it (recursive mutexes) */
    int __owner;           /* reserved: the holding thread */
    int __kind;            /* PTHREAD_MUTEX_NORMAL, _RECURSIVE or _ERRORCHECK */
    char __reserved[24];   /* glibc's size: 40 bytes */
} pthread_mutex_t;
typedef struct { int __kind; } pthread_mutexattr_t;
typedef int pthread_once_t;

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL
#define PTHREAD_MUTEX_INITIALIZER { 0, 0, 0, PTHREAD_MUTEX_NORMAL, { 0 } }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP { 0, 0, 0, PTHREAD_MUTEX_RECURSIVE, { 0 } }
#define PTHREAD_ONCE_INIT 0
#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
int pthread_join(pthread_t thread, void **result);
int pthread_detach(pthread_t thread);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *mutex);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_trylock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);
int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);
int pthread_once(pthread_once_t *once, void (*routine)(void));
#endif
