/* sv_syscall.h — system call numbers and the calling convention, shared by kernel and user programs.
 *
 * Convention (x86-64 SYSCALL): rax = number, arguments in rdi, rsi, rdx, r10, r8, r9;
 * result in rax: >= 0 success, negative = -SV_E* (sv_errno.h). rcx and r11 are clobbered.
 */
#ifndef SWIFTVM_SYSCALL_H
#define SWIFTVM_SYSCALL_H

#define SV_SYS_EXIT             0   /* exit(status): never returns */
#define SV_SYS_WRITE            1   /* write(fd, buf, len) -> bytes written; fd 1/2 = console */
#define SV_SYS_GETPID           2   /* getpid() -> pid */
#define SV_SYS_YIELD            3   /* yield() -> 0 */
#define SV_SYS_NOP              4   /* nop() -> 0: the round-trip benchmark */
#define SV_SYS_CLOCK            5   /* clock() -> nanoseconds since boot */
#define SV_SYS_SPAWN            6   /* spawn(cmdline, len, flags) -> pid: start an initrd program; cmdline = "name arg ..." */
#define SV_SYS_WAIT             7   /* wait(pid) -> exit status (blocks) */
/* Device access for user-mode drivers (needs the devices right, SV_SPAWN_DEVICES): */
#define SV_SYS_DEVICE_INFO      8   /* device_info(index, struct sv_device *out) -> 0; ENODEV past the end */
#define SV_SYS_DEVICE_MAP       9   /* device_map(index) -> address of its MMIO window (uncached) */
#define SV_SYS_DMA_ALLOC        10  /* dma_alloc(bytes, uint64_t *physical_out) -> address; zeroed, contiguous */
#define SV_SYS_IRQ_WAIT         11  /* irq_wait(index) -> 0 once the device interrupted since the last wait */
#define SV_SYS_COUNT            12

/* spawn flags (third argument) */
#define SV_SPAWN_DEVICES        1   /* the child may use the device calls (only if the caller may) */

#endif
