/* sv_user.h — the user side of the system-call ABI (sv_syscall.h): one SYSCALL per wrapper.
 * rax = number, rdi/rsi/rdx = arguments, result in rax; SYSCALL clobbers rcx and r11. */
#ifndef SV_USER_H
#define SV_USER_H
#include <stdint.h>
#include "sv_syscall.h"

static inline int64_t sv_syscall0(int64_t n) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sv_syscall1(int64_t n, uint64_t a) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sv_syscall2(int64_t n, uint64_t a, uint64_t b) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sv_syscall3(int64_t n, uint64_t a, uint64_t b, uint64_t c) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
static inline uint64_t sv_user_rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* runtime.c: the heap arena (storage only; the allocator is UserLib's) and the stdout buffer. */
uint8_t *sv_user_heap_arena(void);
uint64_t sv_user_heap_arena_size(void);
uint8_t *sv_user_stdout_buffer(void);
#endif
