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
#define SV_SYS_SPAWN            6   /* spawn(cmdline, len) -> pid: start an initrd program; cmdline = "name arg ..." */
#define SV_SYS_WAIT             7   /* wait(pid) -> exit status (blocks) */
#define SV_SYS_COUNT            8

#endif
