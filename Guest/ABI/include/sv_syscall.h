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
#define SV_SYS_SPAWN            6   /* spawn(cmdline, len, flags, devices) -> pid: start an initrd program; cmdline = "name arg ..." */
#define SV_SYS_WAIT             7   /* wait(pid, int64_t *who) -> exit status (blocks; pid 0: any child; who: the child reaped, if not NULL) */
/* Device access for user-mode drivers (needs a device right, SV_SPAWN_DEVICES / SV_SPAWN_DEVICE_SET;
 * device_map, irq_wait and irq_notify only of a device the caller holds the right to: EPERM otherwise): */
#define SV_SYS_DEVICE_INFO      8   /* device_info(index, struct sv_device *out) -> 0; ENODEV past the end */
#define SV_SYS_DEVICE_MAP       9   /* device_map(index) -> address of its MMIO window (uncached) */
#define SV_SYS_DMA_ALLOC        10  /* dma_alloc(bytes, uint64_t *physical_out) -> address; zeroed, contiguous */
#define SV_SYS_IRQ_WAIT         11  /* irq_wait(index) -> 0 once the device interrupted since the last wait */
#define SV_SYS_MAP_MEMORY       12  /* map_memory(bytes) -> address of fresh zeroed read-write memory (heap growth) */
#define SV_SYS_READ             13  /* read(fd, buf, len) -> bytes; fd 0 = console input, blocks until >= 1 byte */
#define SV_SYS_PROCESSES        14  /* processes(struct sv_process_info *out, max) -> count of processes (fills min(count, max)) */
#define SV_SYS_KILL             15  /* kill(pid, sig) -> 0 (docs/SIGNALS.md): pid > 0 that process, 0 the caller's group,
                                       -1 every process but init and the caller, < -1 the group -pid; sig 0 only checks.
                                       ESRCH if none; EPERM for init (pid 1) itself */
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
/* Unix processes and descriptors (Linux's numbering for flags, commands and status words). Every
 * process has a descriptor table (fds 0–2: the console at boot), copied by spawn and fork. */
#define SV_SYS_CLOSE            28  /* close(fd) -> 0 */
#define SV_SYS_DUP              29  /* dup(fd) -> the lowest free fd, sharing fd's open file */
#define SV_SYS_DUP3             30  /* dup3(old, new, flags) -> new: new closed first, then a copy of old; flags: SV_O_CLOEXEC.
                                       old == new: returns new if old is open (dup2's rule; the C library's dup3 refuses it) */
#define SV_SYS_FCNTL            31  /* fcntl(fd, cmd, arg): SV_F_DUPFD(_CLOEXEC), SV_F_GETFD/SETFD, SV_F_GETFL/SETFL */
#define SV_SYS_PIPE             32  /* pipe2(int fds[2], flags) -> 0; fds[0] reads, fds[1] writes; flags: SV_O_NONBLOCK | SV_O_CLOEXEC */
#define SV_SYS_FORK             33  /* fork() -> the child's pid in the parent, 0 in the child (a copy of the address space and descriptors) */
#define SV_SYS_EXEC             34  /* exec(const struct sv_exec *) -> only on failure: replaces the program with the ELF image in memory */
#define SV_SYS_WAITPID          35  /* waitpid(pid, int *status, options) -> pid, or 0 with SV_WNOHANG; pid -1 or 0: any child */
#define SV_SYS_GETPPID          36  /* getppid() -> the parent's pid */
/* Memory (Linux's prot and flag values): anonymous private mappings, zero-filled when made
 * accessible; PROT_NONE pages are not backed (their contents are dropped). */
#define SV_SYS_MMAP             37  /* mmap(addr, length, prot, flags) -> address: MAP_PRIVATE|MAP_ANONYMOUS (+ MAP_FIXED) */
#define SV_SYS_MUNMAP           38  /* munmap(addr, length) -> 0 */
#define SV_SYS_MPROTECT         39  /* mprotect(addr, length, prot) -> 0; ENOMEM if part of the range is not mapped */
#define SV_SYS_BRK              40  /* brk(addr) -> the break after the call (addr 0, or one it cannot reach: unchanged) */
#define SV_SYS_CLOCK_GETTIME    41  /* clock_gettime(clock, struct sv_timespec *) -> 0: SV_CLOCK_REALTIME (UTC, from the RTC at boot) or SV_CLOCK_MONOTONIC */
#define SV_SYS_MEMORY_INFO      42  /* memory_info(struct sv_memory_info *) -> 0: the machine's page frames, free and in all */
/* Files (docs/FILES.md): a descriptor for a file lives in the kernel and names the server that owns
 * the path (the kernel's routes: /dev/ devices in the kernel, everything else the service "fs")
 * and the handle that server gave at open; the offset lives in the kernel's open file description,
 * shared by dup and fork. read, write, close and the calls below on such a descriptor are
 * forwarded to the server as requests of sv_fs.h with the caller's buffer as the lease. Paths are
 * absolute (the C library resolves the working directory) and at most SV_FS_PATH_MAX bytes. */
#define SV_SYS_OPEN             43  /* open(path, len, flags, mode) -> fd: SV_O_* flags; mode for O_CREAT */
#define SV_SYS_LSEEK            44  /* lseek(fd, offset, whence) -> the new offset; ESPIPE for pipes and devices */
#define SV_SYS_FSTAT            45  /* fstat(fd, struct sv_stat *) -> 0 */
#define SV_SYS_STAT             46  /* stat(path, len, struct sv_stat *) -> 0 */
#define SV_SYS_FTRUNCATE        47  /* ftruncate(fd, length) -> 0 */
#define SV_SYS_FSYNC            48  /* fsync(fd) -> 0 once everything written through fd is durable */
#define SV_SYS_GETDENTS         49  /* getdents64(fd, buf, len) -> bytes of struct sv_dirent records (0: the end) */
#define SV_SYS_IPC_HANDLES      50  /* ipc_handles(uint64_t *out, max) -> count: the handle of every open file description
                                     * on a service the caller serves, once per description (a restarted server's
                                     * reclaim); drops the close notices still queued for the caller */
#define SV_SYS_POLL             51  /* poll(struct sv_pollfd *, nfds, timeout_ms) -> descriptors with events; timeout -1: none.
                                     * Regular files and kernel devices are always ready; pipes and the console when
                                     * data, room or a hang-up is there. nfds <= SV_POLL_MAX (EINVAL beyond) */
#define SV_SYS_IPC_LEASE_MAP    52  /* lease_map(caller, offset, len) -> address: the lease's bytes [offset, offset+len) mapped
                                     * into the server (read-write if it was lent for writing, else read-only) until it
                                     * replies to that caller or either ends; EFAULT if a page of it is not in memory
                                     * (then use lease_read/lease_write), ENOMEM past SV_GRANT_PAGES_MAX pages at once */
/* Signals, process groups and sessions (docs/SIGNALS.md; Linux's numbers, masks and flags). 63–69 are
 * kept for signals, 70–79 for the terminal (ioctl). */
#define SV_SYS_SIGACTION        53  /* sigaction(sig, const struct sv_sigaction *new, struct sv_sigaction *old) -> 0 */
#define SV_SYS_SIGPROCMASK      54  /* sigprocmask(how, const uint64_t *set, uint64_t *old) -> 0: SV_SIG_BLOCK/UNBLOCK/SETMASK */
#define SV_SYS_SIGRETURN        55  /* sigreturn(): from a handler's frame (the restorer calls it); never returns */
#define SV_SYS_SIGPENDING       56  /* sigpending(uint64_t *out) -> 0 */
#define SV_SYS_SIGSUSPEND       57  /* sigsuspend(const uint64_t *mask) -> EINTR once a handler ran */
#define SV_SYS_ALARM            58  /* alarm(nanoseconds) -> the nanoseconds the previous alarm had left (0: none);
                                       SIGALRM when it is due (ITIMER_REAL, one shot); 0 cancels */
#define SV_SYS_SETPGID          59  /* setpgid(pid, pgid) -> 0 (pid 0: the caller; pgid 0: pid) */
#define SV_SYS_GETPGID          60  /* getpgid(pid) -> pgid (pid 0: the caller) */
#define SV_SYS_SETSID           61  /* setsid() -> the new session id (the caller's pid); EPERM for a group leader */
#define SV_SYS_GETSID           62  /* getsid(pid) -> sid (pid 0: the caller) */
#define SV_SYS_ARCH_PRCTL       63  /* arch_prctl(code, address) -> 0: SV_ARCH_SET_FS sets the caller's FS base (EPERM at or
                                     * above SV_USER_END), SV_ARCH_GET_FS stores it at address; EINVAL for another code.
                                     * Every program starts with FS base SV_USER_TCB_VA (sv_machine.h). Linux's numbers */
#define SV_ARCH_SET_FS          0x1002
#define SV_ARCH_GET_FS          0x1003
/* The terminal (sv_tty.h; docs/TERMINAL.md). */
#define SV_SYS_IOCTL            70  /* ioctl(fd, request, arg) -> 0 or a count: on a descriptor of the terminal server
                                       ("tty"), forwarded with arg's struct as the lease (sv_tty.h says each request's
                                       size and direction); ENOTTY for every other descriptor and unknown requests */
#define SV_SYS_CONSOLE_ATTACH   71  /* console_attach(endpoint) -> 0: the caller (devices right, serving `endpoint`)
                                       becomes the console's server: console input arrives as SV_TTY_INPUT notices on
                                       that endpoint, and /dev/tty, /dev/console open there; ends with the endpoint */
#define SV_SYS_CONSOLE_WRITE    72  /* console_write(buf, len) -> bytes: the console server's output, straight to the
                                       console device in batches of SV_CONSOLE_WRITE_MAX (one VM exit each, not per line) */
/* Device interrupts as IPC notices: a driver that is also a server (ttyd drives the virtio-console
 * and answers the terminal's calls) waits in one place, receive, for both. */
#define SV_SYS_IRQ_NOTIFY       73  /* irq_notify(index, endpoint) -> 0: device `index` (which the caller mapped) sends
                                       each interrupt as an SV_IRQ_NOTICE notice on `endpoint` (which the caller serves)
                                       instead of waking irq_wait; endpoint 0: back to irq_wait. EBUSY: not the
                                       device's driver; EPERM: not the endpoint's server. Ends with the driver */
#define SV_IRQ_NOTICE           66  /* the op byte of an irq_notify notice (struct sv_irq_notice) */
/* What the kernel counts (issue 14: a host's trap price multiplies kernel entries, so every bulk path
 * is judged by how many it needs per MiB): `kstat COMMAND` prints the difference across a command,
 * and the kernel hands the totals to `swiftvm run --stats` at power-off (SV_PORT_KERNEL_COUNTERS). */
#define SV_SYS_KERNEL_COUNTERS  74  /* kernel_counters(struct sv_kernel_counters *) -> 0: the totals since boot */
/* Users and groups (docs/SECURITY.md; XSH getuid, setuid, setreuid, getgroups, umask — Linux's rules):
 * every process has a real, effective and saved user and group id and supplementary groups,
 * inherited by fork, spawn and exec; uid 0 is root. Only root (effective uid 0) may take arbitrary
 * ids; others may switch only among their real and saved ids (EPERM otherwise). An id of -1
 * (0xffffffff) is never a valid id (EINVAL), except as setreuid/setregid's "leave it". */
#define SV_SYS_GETUID           80  /* getuid() -> the real user id */
#define SV_SYS_GETEUID          81  /* geteuid() -> the effective user id */
#define SV_SYS_GETGID           82  /* getgid() -> the real group id */
#define SV_SYS_GETEGID          83  /* getegid() -> the effective group id */
#define SV_SYS_SETUID           84  /* setuid(uid) -> 0: root sets all three; others only the effective id, to the real or saved one */
#define SV_SYS_SETGID           85  /* setgid(gid) -> 0: as setuid (privilege: effective uid 0) */
#define SV_SYS_SETREUID         86  /* setreuid(ruid, euid) -> 0 (-1: unchanged); saved = new euid when ruid is set or euid != old ruid */
#define SV_SYS_SETREGID         87  /* setregid(rgid, egid) -> 0: as setreuid */
#define SV_SYS_GETGROUPS        88  /* getgroups(uint32_t *out, max) -> count (max 0: count only); EINVAL if max < count */
#define SV_SYS_SETGROUPS        89  /* setgroups(const uint32_t *list, count) -> 0: root only; EINVAL beyond SV_NGROUPS_MAX */
#define SV_SYS_UMASK            90  /* umask(mask) -> the previous mask (inherited; new files: mode & ~mask, applied by the file server) */
#define SV_NGROUPS_MAX          8   /* supplementary groups per process */
#define SV_UMASK_DEFAULT        022
#define SV_SYS_COUNT            96
#define SV_SIG_BLOCK            0
#define SV_SIG_UNBLOCK          1
#define SV_SIG_SETMASK          2
#define SV_CLOCK_REALTIME       0
#define SV_CLOCK_MONOTONIC      1
#define SV_PROT_NONE            0
#define SV_PROT_READ            1
#define SV_PROT_WRITE           2
#define SV_PROT_EXEC            4
#define SV_MAP_SHARED           0x01
#define SV_MAP_PRIVATE          0x02
#define SV_MAP_FIXED            0x10
#define SV_MAP_ANONYMOUS        0x20

/* Descriptor flags and fcntl commands: Linux's values (asm-generic/fcntl.h). */
#define SV_O_ACCMODE            0003
#define SV_O_RDONLY             00
#define SV_O_WRONLY             01
#define SV_O_RDWR               02
#define SV_O_APPEND             02000
#define SV_O_NONBLOCK           04000
#define SV_O_CLOEXEC            02000000
#define SV_O_CREAT              0100
#define SV_O_EXCL               0200
#define SV_O_NOCTTY             0400
#define SV_O_TRUNC              01000
#define SV_O_DIRECTORY          0200000
#define SV_O_NOFOLLOW           0400000
#define SV_SEEK_SET             0
#define SV_SEEK_CUR             1
#define SV_SEEK_END             2
/* st_mode's file type (Linux values) */
#define SV_S_IFMT               0170000
#define SV_S_IFDIR              0040000
#define SV_S_IFCHR              0020000
#define SV_S_IFREG              0100000
#define SV_S_IFLNK              0120000
#define SV_S_IFIFO              0010000
/* poll events (Linux's values) */
#define SV_POLLIN               0x001
#define SV_POLLPRI              0x002
#define SV_POLLOUT              0x004
#define SV_POLLERR              0x008
#define SV_POLLHUP              0x010
#define SV_POLLNVAL             0x020
#define SV_POLL_MAX             1024
/* sv_dirent.d_type */
#define SV_DT_FIFO              1
#define SV_DT_CHR               2
#define SV_DT_DIR               4
#define SV_DT_REG               8
#define SV_DT_LNK               10
#define SV_F_DUPFD              0
#define SV_F_GETFD              1
#define SV_F_SETFD              2
#define SV_F_GETFL              3
#define SV_F_SETFL              4
#define SV_F_DUPFD_CLOEXEC      1030
#define SV_FD_CLOEXEC           1
#define SV_DESCRIPTORS_MAX      256   /* per process (EMFILE beyond) */
#define SV_PIPE_CAPACITY        65536 /* bytes a pipe holds (Linux's default) */
#define SV_PIPE_ATOMIC          4096  /* PIPE_BUF: writes up to this size are never interleaved */
/* waitpid options and the status word (POSIX <sys/wait.h>, Linux's encoding):
 * exited: (code & 0xff) << 8; killed by signal s: s. */
#define SV_WNOHANG              1
#define SV_WUNTRACED            2   /* report stopped children: 0x7f | sig << 8 */
#define SV_WCONTINUED           8   /* report continued children: 0xffff */

#define SV_IPC_MESSAGE_MAX      256 /* request and reply bytes */
#define SV_IPC_NAME_MAX         32
#define SV_LEASE_READ           1   /* the server may read the lease */
#define SV_LEASE_WRITE          2   /* the server may write the lease */
#define SV_LEASE_KERNEL         4   /* in a message only: the kernel forwarded this call for a descriptor
                                     * (a process cannot set it), so its handle is one the server issued */
#define SV_IPC_CALLER_KERNEL    0   /* sv_ipc_message.caller of a notice from the kernel: no reply */

#ifndef __ASSEMBLER__
#include <stdint.h>
/* A call: the request (copied at call time), where the reply goes, and the lease. */
/* The notice irq_notify sends (caller SV_IPC_CALLER_KERNEL). Notices are not queued without bound:
 * one may be dropped while the server's queue is full, so a driver also looks at its device after
 * every other message. */
struct sv_irq_notice {
    uint8_t  op;          /* SV_IRQ_NOTICE */
    uint8_t  reserved[3]; /* 0 */
    uint32_t device;      /* the device index */
};
_Static_assert(sizeof(struct sv_irq_notice) == 8, "sv_irq_notice layout");
struct sv_ipc_call {
    uint64_t request, request_length;
    uint64_t reply, reply_capacity;
    uint64_t lease, lease_length;
    uint64_t lease_flags;           /* SV_LEASE_* */
};
/* Who made a call, as the kernel knows it (never what the caller says): written by the kernel into
 * every message it delivers, a call the kernel forwards for a descriptor too. A server decides by
 * these alone (docs/SECURITY.md). Access checks use the effective ids, as Linux's fsuid/fsgid. A
 * notice from the kernel (caller SV_IPC_CALLER_KERNEL) carries pid 0 and root's ids. */
struct sv_ipc_identity {
    int32_t  pid;                   /* the calling process */
    uint32_t uid;                   /* its effective user id */
    uint32_t gid;                   /* its effective group id */
    uint32_t umask;                 /* its file mode creation mask (a server that creates files applies it) */
    uint32_t group_count;           /* supplementary groups in `groups` */
    uint32_t groups[SV_NGROUPS_MAX];
    uint32_t reserved;              /* 0 */
};
_Static_assert(sizeof(struct sv_ipc_identity) == 56, "sv_ipc_identity layout");
/* What receive hands the server. */
struct sv_ipc_message {
    uint64_t caller;                /* pass to reply and lease_*: the calling thread's id */
    uint64_t length;                /* request bytes, copied to `buffer` */
    uint64_t lease_length;
    uint64_t lease_flags;
    struct sv_ipc_identity identity; /* stamped by the kernel */
    uint8_t buffer[SV_IPC_MESSAGE_MAX];
};
_Static_assert(sizeof(struct sv_ipc_message) == 32 + 56 + SV_IPC_MESSAGE_MAX, "sv_ipc_message layout");
/* exec: the new program's ELF image (read by the caller, e.g. from a file) and its argv/envp,
 * each a block of NUL-terminated strings. The name `ps` shows is argv[0]'s last path component. */
struct sv_exec {
    uint64_t image, image_length;
    uint64_t arguments, arguments_length;
    uint64_t environment, environment_length;
};
_Static_assert(sizeof(struct sv_exec) == 48, "sv_exec layout");
struct sv_timespec {                /* struct timespec on x86-64 Linux */
    int64_t tv_sec;
    int64_t tv_nsec;
};
_Static_assert(sizeof(struct sv_timespec) == 16, "sv_timespec layout");
struct sv_memory_info {
    uint64_t page_size;
    uint64_t total_frames;          /* RAM the frame allocator manages */
    uint64_t free_frames;
};
_Static_assert(sizeof(struct sv_memory_info) == 24, "sv_memory_info layout");
struct sv_kernel_counters {
    uint64_t entries;               /* every entry to the kernel: the three kinds below */
    uint64_t syscalls;
    uint64_t exceptions;            /* faults and traps of user code, page faults among them */
    uint64_t interrupts;            /* timer and device interrupts, from user code or the idle loop */
    uint64_t page_faults;
    uint64_t space_switches;        /* returns to user mode in another process's address space */
    uint64_t thread_switches;       /* returns to user mode in another thread */
    uint64_t ipc_calls;             /* calls delivered to a server, the kernel's forwarded ones too */
    uint64_t ipc_replies;
    uint64_t ipc_notices;           /* one-way messages queued for a server */
    uint64_t timer_ticks;
};
_Static_assert(sizeof(struct sv_kernel_counters) == 88, "sv_kernel_counters layout");
struct sv_stat {                    /* struct stat on x86-64 Linux */
    uint64_t st_dev, st_ino, st_nlink;
    uint32_t st_mode, st_uid, st_gid, reserved0;
    uint64_t st_rdev;
    int64_t st_size, st_blksize, st_blocks;
    int64_t st_atime_sec, st_atime_nsec;
    int64_t st_mtime_sec, st_mtime_nsec;
    int64_t st_ctime_sec, st_ctime_nsec;
    int64_t reserved[3];
};
_Static_assert(sizeof(struct sv_stat) == 144, "sv_stat layout");
struct sv_dirent {                  /* struct linux_dirent64: records of d_reclen bytes, 8-aligned */
    uint64_t d_ino;
    int64_t d_off;                  /* the offset (cookie) after this entry */
    uint16_t d_reclen;
    uint8_t d_type;                 /* SV_DT_* */
    /* the NUL-terminated name follows at SV_DIRENT_NAME_OFFSET (Linux's d_name) */
};
#define SV_DIRENT_NAME_OFFSET   19
_Static_assert(__builtin_offsetof(struct sv_dirent, d_type) + 1 == SV_DIRENT_NAME_OFFSET, "sv_dirent name");
struct sv_pollfd {                  /* struct pollfd */
    int32_t fd;                     /* negative: ignored */
    int16_t events;
    int16_t revents;
};
_Static_assert(sizeof(struct sv_pollfd) == 8, "sv_pollfd layout");
struct sv_process_info {
    int32_t pid;
    int32_t parent;
    uint32_t state;                 /* SV_PROCESS_* */
    uint32_t reserved;
    char name[48];
    int32_t pgid;                   /* its process group */
    int32_t sid;                    /* its session */
    uint32_t uid;                   /* its real user id (ps's USER) */
    uint32_t euid;                  /* its effective user id */
};
_Static_assert(sizeof(struct sv_process_info) == 80, "sv_process_info layout");
/* sigaction's argument: Linux's struct k_sigaction for x86-64 (handler, flags, restorer, mask).
 * handler 0: SIG_DFL, 1: SIG_IGN. flags: SA_* (Linux's values). */
struct sv_sigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};
_Static_assert(sizeof(struct sv_sigaction) == 32, "sv_sigaction layout");
#define SV_PROCESS_RUNNABLE 0
#define SV_PROCESS_BLOCKED  1
#define SV_PROCESS_ZOMBIE   2
#define SV_PROCESS_STOPPED  3
#endif

/* spawn flags (third argument) */
#define SV_SPAWN_DEVICES        1   /* the child gets all of the caller's device rights (EPERM if it has none) */
#define SV_SPAWN_DEVICE_SET     2   /* the child gets the devices of the bit set in spawn's 4th argument (bit i: device
                                       index i), which must be a non-empty subset of the caller's rights (EPERM) */
#define SV_DEVICE_RIGHT_CONSOLE 63  /* the bit of a device-right set that allows console_attach (the kernel's console,
                                       which is no device index); device indices are below it */

#endif
