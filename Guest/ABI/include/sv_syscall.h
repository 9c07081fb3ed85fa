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
#define SV_SYS_WAIT             7   /* wait(pid, int64_t *who) -> exit status (blocks; pid 0: any child; who: the child reaped, if not NULL) */
/* Device access for user-mode drivers (needs the devices right, SV_SPAWN_DEVICES): */
#define SV_SYS_DEVICE_INFO      8   /* device_info(index, struct sv_device *out) -> 0; ENODEV past the end */
#define SV_SYS_DEVICE_MAP       9   /* device_map(index) -> address of its MMIO window (uncached) */
#define SV_SYS_DMA_ALLOC        10  /* dma_alloc(bytes, uint64_t *physical_out) -> address; zeroed, contiguous */
#define SV_SYS_IRQ_WAIT         11  /* irq_wait(index) -> 0 once the device interrupted since the last wait */
#define SV_SYS_MAP_MEMORY       12  /* map_memory(bytes) -> address of fresh zeroed read-write memory (heap growth) */
#define SV_SYS_READ             13  /* read(fd, buf, len) -> bytes; fd 0 = console input, blocks until >= 1 byte */
#define SV_SYS_PROCESSES        14  /* processes(struct sv_process_info *out, max) -> count of processes (fills min(count, max)) */
#define SV_SYS_KILL             15  /* kill(pid) -> 0; the process ends with status 128 + 9. Not pid 1. */
/* IPC: synchronous calls to named services, with one lease (a buffer the server may read or write). */
#define SV_SYS_IPC_SERVE        16  /* serve(name, len) -> endpoint: this process answers calls to `name` */
#define SV_SYS_IPC_LOOKUP       17  /* lookup(name, len) -> endpoint, or ENOENT */
#define SV_SYS_IPC_CALL         18  /* call(endpoint, struct sv_ipc_call *) -> reply length; blocks; EPIPE if the server died */
#define SV_SYS_IPC_RECEIVE      19  /* receive(endpoint, struct sv_ipc_message *) -> 0; blocks until a call arrives */
#define SV_SYS_IPC_REPLY        20  /* reply(caller, buf, len) -> 0: the caller's call returns len */
#define SV_SYS_IPC_LEASE_READ   21  /* lease_read(caller, offset, buf, len) -> bytes copied from the caller's lease */
#define SV_SYS_IPC_LEASE_WRITE  22  /* lease_write(caller, offset, buf, len) -> bytes copied into the caller's lease */
#define SV_SYS_IPC_REPLY_RECEIVE 23 /* reply_receive(endpoint, struct sv_ipc_message *, caller, buf, len) -> 0:
                                       reply to `caller` (if not 0; a caller gone meanwhile is skipped),
                                       then receive — a server's loop in one kernel entry, as L4's ReplyWait */
/* The environment: NUL-terminated "NAME=value" strings (as envp), at most SV_ENVIRONMENT_MAX bytes,
 * kept by the kernel per process and copied to a child at spawn. PWD is the working directory;
 * SV_STDOUT=/path (SV_STDOUT_APPEND=1 to append) sends a program's standard output to a file. */
#define SV_SYS_ENV_GET          24  /* env_get(buf, cap) -> the environment's length (copies min(length, cap)) */
#define SV_SYS_ENV_SET          25  /* env_set(buf, len) -> 0: replaces this process's environment */
#define SV_ENVIRONMENT_MAX      4096
#define SV_SYS_SLEEP            26  /* sleep(nanoseconds) -> 0: blocks at least that long (timer resolution: 10 ms) */
#define SV_SYS_PROGRAMS         27  /* programs(buf, cap) -> bytes of the initrd's program names, one per line (copies min) */
#define SV_SYS_COUNT            28

#define SV_IPC_MESSAGE_MAX      256 /* request and reply bytes */
#define SV_IPC_NAME_MAX         32
#define SV_LEASE_READ           1   /* the server may read the lease */
#define SV_LEASE_WRITE          2   /* the server may write the lease */

#ifndef __ASSEMBLER__
#include <stdint.h>
/* A call: the request (copied at call time), where the reply goes, and the lease. */
struct sv_ipc_call {
    uint64_t request, request_length;
    uint64_t reply, reply_capacity;
    uint64_t lease, lease_length;
    uint64_t lease_flags;           /* SV_LEASE_* */
};
/* What receive hands the server. */
struct sv_ipc_message {
    uint64_t caller;                /* pass to reply and lease_*: the caller's pid */
    uint64_t length;                /* request bytes, copied to `buffer` */
    uint64_t lease_length;
    uint64_t lease_flags;
    uint8_t buffer[SV_IPC_MESSAGE_MAX];
};
struct sv_process_info {
    int32_t pid;
    int32_t parent;
    uint32_t state;                 /* SV_PROCESS_* */
    uint32_t reserved;
    char name[48];
};
#define SV_PROCESS_RUNNABLE 0
#define SV_PROCESS_BLOCKED  1
#define SV_PROCESS_ZOMBIE   2
#endif

/* spawn flags (third argument) */
#define SV_SPAWN_DEVICES        1   /* the child may use the device calls (only if the caller may) */

#endif
