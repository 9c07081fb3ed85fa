/* cvirtio.h — READ_ONCE / WRITE_ONCE and fences for the memory a virtqueue shares with a guest that
 * runs concurrently on another CPU (virtio 1.2 §2.7.13, §2.7.8.2). Each access is one instruction
 * on x86-64 that the compiler may neither tear, merge, repeat nor elide (so a descriptor read once is
 * never re-read: no double fetch). Descriptors are read with volatile loads, because their pointers
 * may be unaligned (indirect tables carry no alignment rule); ring fields with C11 atomics (below).
 * No logic lives here. */
#ifndef CVIRTIO_H
#define CVIRTIO_H
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/random.h>

typedef uint16_t __attribute__((aligned(1))) cvirtio_u16_unaligned;
typedef uint32_t __attribute__((aligned(1))) cvirtio_u32_unaligned;
typedef uint64_t __attribute__((aligned(1))) cvirtio_u64_unaligned;

static inline uint16_t cvirtio_read_u16(const void *p) { return *(const volatile cvirtio_u16_unaligned *)p; }
static inline uint32_t cvirtio_read_u32(const void *p) { return *(const volatile cvirtio_u32_unaligned *)p; }
static inline uint64_t cvirtio_read_u64(const void *p) { return *(const volatile cvirtio_u64_unaligned *)p; }

/* The same single accesses for naturally aligned ring fields (idx, ring entries, used elements,
 * used_event / avail_event: aligned by virtio 1.2 §2.7.1), as C11 atomics. On x86-64 each is still one
 * plain `mov` (acquire and release cost nothing there), but the ordering is part of the access, so the
 * compiler honours it and ThreadSanitizer sees the synchronisation: it does not model stand-alone
 * fences, and a volatile access is an ordinary (racy) access to it.
 * load_acquire = smp_load_acquire (avail idx before the entries it publishes, §2.7.13.3);
 * store_release = smp_store_release (used elements before used idx, §2.7.8.2). */
static inline uint16_t cvirtio_load_u16(const void *p) { return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED); }
static inline uint16_t cvirtio_load_acquire_u16(const void *p) { return __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE); }
static inline void cvirtio_store_u16(void *p, uint16_t v) { __atomic_store_n((uint16_t *)p, v, __ATOMIC_RELAXED); }
static inline void cvirtio_store_u32(void *p, uint32_t v) { __atomic_store_n((uint32_t *)p, v, __ATOMIC_RELAXED); }
static inline void cvirtio_store_release_u16(void *p, uint16_t v) { __atomic_store_n((uint16_t *)p, v, __ATOMIC_RELEASE); }

/* Full barrier (smp_mb, an mfence on x86): a store is visible before a later load, e.g. the used
 * idx before reading used_event (virtio 1.2 §2.7.7.2), avail_event before re-reading avail idx. */
static inline void cvirtio_fence_full(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* Host calls Swift's Glibc module does not export. */
static const int CVIRTIO_FALLOC_KEEP_SIZE = FALLOC_FL_KEEP_SIZE;
static const int CVIRTIO_FALLOC_PUNCH_HOLE = FALLOC_FL_PUNCH_HOLE;
static const int CVIRTIO_FALLOC_ZERO_RANGE = FALLOC_FL_ZERO_RANGE;

/* A GNU extension; declared here rather than defining _GNU_SOURCE, which would make this module's
 * view of the libc headers differ from Swift's Glibc module. */
extern int fallocate(int fd, int mode, off_t offset, off_t length);

static inline int cvirtio_fallocate(int fd, int mode, int64_t offset, int64_t length) {
    return fallocate(fd, mode, (off_t)offset, (off_t)length);
}

static inline ssize_t cvirtio_getrandom(void *buffer, size_t length, unsigned int flags) {
    return getrandom(buffer, length, flags);
}

#endif
