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
static inline int64_t sv_syscall4(int64_t n, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    int64_t r;
    register uint64_t r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sv_syscall5(int64_t n, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) {
    int64_t r;
    register uint64_t r10 __asm__("r10") = d;
    register uint64_t r8 __asm__("r8") = e;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return r;
}
static inline uint64_t sv_user_rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Instructions user code must not be able to execute or that must trap: the crash tests use them
 * to prove the kernel really runs programs in user mode. */
static inline uint64_t sv_user_read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void sv_user_ud2(void) { __asm__ volatile("ud2"); }
static inline void sv_user_int3(void) { __asm__ volatile("int3"); }
static inline void sv_user_hlt(void) { __asm__ volatile("hlt"); }
static inline void sv_user_jump(uint64_t address) { __asm__ volatile("jmp *%0" :: "r"(address)); }

/* Device access for user-mode drivers: MMIO registers and shared-memory rings must be accessed
 * exactly as written (volatile), in order (the barrier), at the width the device expects. */
static inline uint32_t sv_user_mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void sv_user_mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t sv_user_mmio_read8(uint64_t a) { return *(volatile uint8_t *)a; }
static inline uint16_t sv_user_volatile_read16(uint64_t a) { return *(volatile uint16_t *)a; }
static inline void sv_user_volatile_write16(uint64_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline uint32_t sv_user_volatile_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void sv_user_memory_barrier(void) { __asm__ volatile("mfence" ::: "memory"); }

/* runtime.c: the heap arena (storage only; the allocator is UserLib's) and the stdout buffer. */
uint8_t *sv_user_heap_arena(void);
uint64_t sv_user_heap_arena_size(void);
uint8_t *sv_user_stdout_buffer(void);
/* argc/argv as _start found them. */
int64_t sv_user_argc(void);
char **sv_user_argv(void);
/* Signals for Swift programs (docs/SIGNALS.md): Swift code must not run in a handler (its runtime
 * allocates and is not async-signal-safe), so a Swift program installs sv_user_signal_record,
 * which only sets the signal's bit (bit s-1 for signal s) in a word the program collects with
 * sv_user_take_caught_signals; sv_user_restore_rt is the restorer (SA_RESTORER) it returns to. */
void sv_user_signal_record(int sig);
uint64_t sv_user_take_caught_signals(void);
void sv_user_restore_rt(void);
#endif
