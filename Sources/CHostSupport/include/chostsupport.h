/* chostsupport.h — C shim for the libc calls Swift's Glibc module does not export that the host
 * helpers (HostSupport) need: pthread_setname_np(3), malloc_trim(3). No logic lives here. */
#ifndef CHOSTSUPPORT_H
#define CHOSTSUPPORT_H
#include <pthread.h>
#include <stddef.h>

/* A GNU extension; declared here rather than defining _GNU_SOURCE, which would make this module's
 * view of the libc headers differ from Swift's Glibc module. */
extern int pthread_setname_np(pthread_t thread, const char *name);

static inline int chostsupport_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

/* <malloc.h>'s, a GNU extension too: returns freed heap memory to the system. */
extern int malloc_trim(size_t pad);

static inline void chostsupport_trim_heap(void) {
    (void)malloc_trim(0);
}

/* Pages of the program's own read-only segments (code, constants) that setup touched and the run
 * does not need: MADV_PAGEOUT (Linux 5.4) takes them out of this process (and, when no other
 * process maps them, out of memory); whatever the run needs comes back with a fault. Returns how
 * many segments were advised. */
int chostsupport_page_out_program_text(void);

#endif
