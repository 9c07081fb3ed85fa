/* process.c — processes, pipes, descriptors and memory for C programs: thin wrappers of the
 * kernel's calls (sv_syscall.h 28–40) that set errno, execve through UserLib (bridge.h: ELF from
 * the filesystem, #! scripts, the exec bit), posix_spawn on fork and execve, and mmap of a file as
 * a private copy. C because these are C's contract (variadic fcntl, struct layouts). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bridge.h"
#include "sv_user.h"

static long result(int64_t r) {
    if (r < 0) { errno = (int)-r; return -1; }
    return (long)r;
}

pid_t getppid(void) { return (pid_t)sv_syscall0(SV_SYS_GETPPID); }

pid_t fork(void) {
    sv_stdout_flush();   /* what was printed is printed once, not by both */
    return (pid_t)result(sv_syscall0(SV_SYS_FORK));
}

int execve(const char *path, char *const argv[], char *const envp[]) {
    errno = -sv_execve(path, argv, envp, 0);
    return -1;
}

int execv(const char *path, char *const argv[]) { errno = -sv_execve(path, argv, 0, 0); return -1; }
int execvp(const char *file, char *const argv[]) { errno = -sv_execve(file, argv, 0, 1); return -1; }

pid_t waitpid(pid_t pid, int *status, int options) {
    return (pid_t)result(sv_syscall3(SV_SYS_WAITPID, (uint64_t)(int64_t)pid, (uint64_t)status, (uint64_t)(unsigned)options));
}

pid_t wait(int *status) { return waitpid(-1, status, 0); }

int pipe2(int fds[2], int flags) { return (int)result(sv_syscall2(SV_SYS_PIPE, (uint64_t)fds, (uint64_t)(unsigned)flags)); }
int pipe(int fds[2]) { return pipe2(fds, 0); }
int dup(int fd) { return (int)result(sv_syscall1(SV_SYS_DUP, (uint64_t)(int64_t)fd)); }

int dup2(int fd, int target) {
    if (fd == target) {   /* dup2's rule: fd must be open, nothing changes */
        return fcntl(fd, F_GETFD) < 0 ? -1 : target;
    }
    if (target == 1) sv_stdout_flush();   /* what was printed goes where fd 1 went before */
    return (int)result(sv_syscall3(SV_SYS_DUP3, (uint64_t)(int64_t)fd, (uint64_t)(int64_t)target, 0));
}

int sv_fcntl_lock(int fd, int command, struct flock *lock);   /* LibCPosix/RecordLocks.swift */

int fcntl(int fd, int command, ...) {
    va_list arguments;
    va_start(arguments, command);
    long argument = (command == F_GETFD || command == F_GETFL) ? 0 : va_arg(arguments, long);
    va_end(arguments);
    if (command == F_GETLK || command == F_SETLK || command == F_SETLKW) return sv_fcntl_lock(fd, command, (struct flock *)argument);
    return (int)result(sv_syscall3(SV_SYS_FCNTL, (uint64_t)(int64_t)fd, (uint64_t)(int64_t)command, (uint64_t)argument));
}

/* pread/pwrite: at `offset`, leaving the descriptor's offset where it was. Not atomic against
 * another process sharing the description (the kernel has no positioned read yet). */
ssize_t pread(int fd, void *buf, size_t count, off_t offset) {
    off_t saved = lseek(fd, 0, SEEK_CUR);
    if (saved < 0 || lseek(fd, offset, SEEK_SET) < 0) return -1;
    size_t done = 0;
    while (done < count) {
        ssize_t n = read(fd, (char *)buf + done, count - done);
        if (n < 0) { if (done == 0) { lseek(fd, saved, SEEK_SET); return -1; } break; }
        if (n == 0) break;
        done += (size_t)n;
    }
    lseek(fd, saved, SEEK_SET);
    return (ssize_t)done;
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    off_t saved = lseek(fd, 0, SEEK_CUR);
    if (saved < 0 || lseek(fd, offset, SEEK_SET) < 0) return -1;
    ssize_t n = write(fd, buf, count);
    int e = errno;
    lseek(fd, saved, SEEK_SET);
    errno = e;
    return n;
}

/* ---- memory ---- */

void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset) {
    if (flags & MAP_ANONYMOUS) {
        int64_t r = sv_syscall4(SV_SYS_MMAP, (uint64_t)address, length, (uint64_t)(unsigned)protection, (uint64_t)(unsigned)flags);
        return r < 0 ? (errno = (int)-r, MAP_FAILED) : (void *)r;
    }
    /* A file: MAP_PRIVATE only, as a copy of its bytes read now (later changes to the file are not
     * seen, which POSIX leaves unspecified for private mappings). */
    if (!(flags & MAP_PRIVATE) || (flags & MAP_SHARED)) { errno = ENODEV; return MAP_FAILED; }
    if (offset < 0 || (offset & 4095)) { errno = EINVAL; return MAP_FAILED; }
    int64_t r = sv_syscall4(SV_SYS_MMAP, (uint64_t)address, length, PROT_READ | PROT_WRITE, (uint64_t)(unsigned)(flags | MAP_ANONYMOUS));
    if (r < 0) { errno = (int)-r; return MAP_FAILED; }
    if (pread(fd, (void *)r, length, offset) < 0) {
        int e = errno;
        munmap((void *)r, length);
        errno = e;
        return MAP_FAILED;
    }
    if (protection != (PROT_READ | PROT_WRITE) && mprotect((void *)r, length, protection) < 0) {
        int e = errno;
        munmap((void *)r, length);
        errno = e;
        return MAP_FAILED;
    }
    return (void *)r;
}

int munmap(void *address, size_t length) { return (int)result(sv_syscall2(SV_SYS_MUNMAP, (uint64_t)address, length)); }
int mprotect(void *address, size_t length, int protection) {
    return (int)result(sv_syscall3(SV_SYS_MPROTECT, (uint64_t)address, length, (uint64_t)(unsigned)protection));
}

/* ---- posix_spawn ---- */

struct sv_spawn_action {
    enum { SPAWN_OPEN, SPAWN_CLOSE, SPAWN_DUP2 } kind;
    int fd, target, flags;
    mode_t mode;
    char *path;
};

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *a) { memset(a, 0, sizeof *a); return 0; }

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *a) {
    for (int i = 0; i < a->count; i++) free(a->actions[i].path);
    free(a->actions);
    memset(a, 0, sizeof *a);
    return 0;
}

static int add(posix_spawn_file_actions_t *a, struct sv_spawn_action action) {
    if (action.fd < 0 || action.target < -1) return EBADF;
    if (a->count == a->capacity) {
        int capacity = a->capacity ? a->capacity * 2 : 4;
        struct sv_spawn_action *more = realloc(a->actions, (size_t)capacity * sizeof *more);
        if (!more) return ENOMEM;
        a->actions = more;
        a->capacity = capacity;
    }
    a->actions[a->count++] = action;
    return 0;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *a, int fd, const char *path, int flags, mode_t mode) {
    char *copy = strdup(path);
    if (!copy) return ENOMEM;
    int e = add(a, (struct sv_spawn_action){SPAWN_OPEN, fd, -1, flags, mode, copy});
    if (e) free(copy);
    return e;
}
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *a, int fd) {
    return add(a, (struct sv_spawn_action){SPAWN_CLOSE, fd, -1, 0, 0, 0});
}
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *a, int fd, int target) {
    return add(a, (struct sv_spawn_action){SPAWN_DUP2, fd, target, 0, 0, 0});
}
int posix_spawnattr_init(posix_spawnattr_t *attributes) { attributes->flags = 0; return 0; }
int posix_spawnattr_destroy(posix_spawnattr_t *attributes) { (void)attributes; return 0; }

/* The child applies the actions and execs; if anything fails it reports the errno through a
 * close-on-exec pipe (which a successful exec closes: EOF) and exits 127, so posix_spawn returns
 * the error as the standard says it may. */
static int spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                 char *const argv[], char *const envp[], int search) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) return errno;
    pid_t child = fork();
    if (child < 0) { int e = errno; close(report[0]); close(report[1]); return e; }
    if (child == 0) {
        int e = 0;
        for (int i = 0; actions && i < actions->count && !e; i++) {
            const struct sv_spawn_action *a = &actions->actions[i];
            if (a->kind == SPAWN_CLOSE) { close(a->fd); continue; }   /* closing a closed fd is not an error here */
            if (a->kind == SPAWN_DUP2) { if (dup2(a->fd, a->target) < 0) e = errno; else fcntl(a->target, F_SETFD, 0); continue; }
            int fd = open(a->path, a->flags, a->mode);
            if (fd < 0) { e = errno; continue; }
            if (fd != a->fd) { if (dup2(fd, a->fd) < 0) e = errno; close(fd); }
        }
        if (!e) e = -sv_execve(path, argv, envp, search);
        write(report[1], &e, sizeof e);
        _exit(127);
    }
    close(report[1]);
    int e = 0;
    ssize_t n = read(report[0], &e, sizeof e);
    close(report[0]);
    if (n == (ssize_t)sizeof e && e != 0) {
        waitpid(child, 0, 0);   /* the child never ran the program: reap it here */
        return e;
    }
    if (pid) *pid = child;
    return 0;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]) {
    (void)attributes;
    return spawn(pid, path, actions, argv, envp, 0);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]) {
    (void)attributes;
    return spawn(pid, file, actions, argv, envp, 1);
}

/* ---- time: sleeping and the wall clock ---- */
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <poll.h>

int nanosleep(const struct timespec *duration, struct timespec *remaining) {
    if (duration->tv_sec < 0 || duration->tv_nsec < 0 || duration->tv_nsec > 999999999) { errno = EINVAL; return -1; }
    uint64_t ns = (uint64_t)duration->tv_sec * 1000000000u + (uint64_t)duration->tv_nsec;
    sv_stdout_flush();
    uint64_t start = (uint64_t)sv_syscall0(SV_SYS_CLOCK);
    int64_t r = sv_syscall1(SV_SYS_SLEEP, ns ? ns : 1);
    if (r == -EINTR) {
        /* A handler ran: EINTR with the time still to sleep (XSH nanosleep). */
        uint64_t slept = (uint64_t)sv_syscall0(SV_SYS_CLOCK) - start;
        uint64_t left = slept < ns ? ns - slept : 0;
        if (remaining) { remaining->tv_sec = (time_t)(left / 1000000000u); remaining->tv_nsec = (long)(left % 1000000000u); }
        errno = EINTR;
        return -1;
    }
    if (remaining) { remaining->tv_sec = 0; remaining->tv_nsec = 0; }
    return 0;
}

/* sleep(): the whole seconds left when a handler ended it (glibc's sleep drops the fraction). */
unsigned sleep(unsigned seconds) {
    struct timespec t = {seconds, 0};
    if (nanosleep(&t, &t) < 0) return (unsigned)t.tv_sec;
    return 0;
}

int usleep(unsigned long microseconds) {
    struct timespec t = {(time_t)(microseconds / 1000000), (long)(microseconds % 1000000) * 1000};
    return nanosleep(&t, 0);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    (void)tz;   /* obsolete (POSIX): the guest's zone is UTC */
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0) return -1;
    if (tv) { tv->tv_sec = ts.tv_sec; tv->tv_usec = ts.tv_nsec / 1000; }
    return 0;
}

/* select on poll: one pollfd per descriptor named in any set. */
int select(int count, fd_set *restrict readable, fd_set *restrict writable, fd_set *restrict errors, struct timeval *restrict timeout) {
    if (count < 0 || count > FD_SETSIZE) { errno = EINVAL; return -1; }
    struct pollfd fds[FD_SETSIZE];
    int n = 0;
    for (int fd = 0; fd < count; fd++) {
        short events = 0;
        if (readable && FD_ISSET(fd, readable)) events |= POLLIN;
        if (writable && FD_ISSET(fd, writable)) events |= POLLOUT;
        if (events || (errors && FD_ISSET(fd, errors))) { fds[n].fd = fd; fds[n].events = events; fds[n].revents = 0; n++; }
    }
    int ms = -1;
    if (timeout) {
        if (timeout->tv_sec < 0 || timeout->tv_usec < 0) { errno = EINVAL; return -1; }
        long long total = (long long)timeout->tv_sec * 1000 + (timeout->tv_usec + 999) / 1000;
        ms = total > 0x7fffffff ? 0x7fffffff : (int)total;
    }
    if (poll(fds, (nfds_t)n, ms) < 0) return -1;
    int ready = 0;
    for (int i = 0; i < n; i++) if (fds[i].revents & POLLNVAL) { errno = EBADF; return -1; }
    if (readable) FD_ZERO(readable);
    if (writable) FD_ZERO(writable);
    if (errors) FD_ZERO(errors);
    for (int i = 0; i < n; i++) {
        short r = fds[i].revents;
        /* POSIX: a hang-up or error makes a descriptor "ready" for reading (the read will say). */
        if (readable && (fds[i].events & POLLIN) && (r & (POLLIN | POLLHUP | POLLERR))) { FD_SET(fds[i].fd, readable); ready++; }
        if (writable && (fds[i].events & POLLOUT) && (r & (POLLOUT | POLLERR))) { FD_SET(fds[i].fd, writable); ready++; }
    }
    if (timeout) { timeout->tv_sec = 0; timeout->tv_usec = 0; }
    return ready;
}
