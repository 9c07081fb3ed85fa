/* posix.c — files and directories on the kernel's descriptors (sv_syscall.h 43–49: the kernel
 * routes each path and forwards to the file server), paths made absolute against PWD first, and
 * the path calls (mkdir, unlink, rename…) to the file server. Every call sets errno on failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bridge.h"
#include "sv_user.h"
#include "sv_tty.h"
#include "sv_errno.h"

int errno;
/* errno for the C library's Swift half (LibCPosix), which cannot name a C global. */
int *sv_errno(void) { return &errno; }

/* POSIX environ. The environment lives in the kernel (sv_syscall.h: SV_SYS_ENV_GET), not on the
 * start-up stack, and nothing runs before main to copy it, so environ is empty: getenv/setenv
 * are the C library's way to the variables. (awk's ENVIRON is empty for this reason.) */
static char *no_variables[1];
char **environ = no_variables;

static int fail(int code) { errno = code; return -1; }

/* A system call's result: the value, or -1 with errno. */
static long checked(int64_t r) { return r < 0 ? fail((int)-r) : (long)r; }

/* `path` made absolute against PWD (the kernel has no working directory). An empty path names
 * nothing (XBD 4.13 Pathname Resolution: ENOENT), not the working directory. */
static long absolute(const char *path, char out[SV_FS_PATH_MAX + 1]) {
    if (!*path) return fail(ENOENT);
    long n = sv_path_absolute(path, out, SV_FS_PATH_MAX + 1);
    return n < 0 ? fail((int)-n) : n;
}

int open(const char *path, int flags, ...) {
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        va_end(arguments);
    }
    char full[SV_FS_PATH_MAX + 1];
    long n = absolute(path, full);
    if (n < 0) return -1;
    return (int)checked(sv_syscall4(SV_SYS_OPEN, (uint64_t)full, (uint64_t)n, (uint64_t)(unsigned)flags, mode));
}

int creat(const char *path, mode_t mode) { return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode); }

int close(int fd) { return (int)checked(sv_syscall1(SV_SYS_CLOSE, (uint64_t)(int64_t)fd)); }

/* The old shell's redirection: standard input named in SV_STDIN (a file, or "pipe:ID" of the
 * pipe server). A shell that redirects with descriptors leaves it unset: then fd 0 is fd 0. */
static int input_checked, input_file = -1;
static uint64_t input_pipe;

static void standard_input(void) {
    if (input_checked) return;
    input_checked = 1;
    char path[SV_FS_PATH_MAX + 1];
    if (sv_env_get("SV_STDIN", path, sizeof path) <= 0) return;
    if (strncmp(path, "pipe:", 5) == 0) input_pipe = strtoull(path + 5, 0, 10);
    else input_file = open(path, O_RDONLY | O_CLOEXEC);
}

static int input_fd(int fd) {
    if (fd != 0) return fd;
    standard_input();
    return input_file >= 0 ? input_file : 0;
}

ssize_t read(int fd, void *buf, size_t count) {
    if (fd == 0) {
        standard_input();
        if (input_pipe) { long n = sv_pipe_read(input_pipe, buf, count); return n < 0 ? fail((int)-n) : n; }
        sv_stdout_flush();   /* a prompt written before reading the console shows first */
    }
    return checked(sv_syscall3(SV_SYS_READ, (uint64_t)(int64_t)input_fd(fd), (uint64_t)buf, count));
}

ssize_t write(int fd, const void *buf, size_t count) {
    if (fd == 1) { sv_stdout_write(buf, count); return (ssize_t)count; }   /* ordered with Swift's output */
    if (fd == 2) sv_stdout_flush();
    /* The file server writes at most 1 MiB a call (a short write); C programs expect it all. */
    size_t done = 0;
    while (done < count) {
        int64_t n = sv_syscall3(SV_SYS_WRITE, (uint64_t)(int64_t)fd, (uint64_t)buf + done, count - done);
        if (n < 0) return done > 0 ? (ssize_t)done : fail((int)-n);
        if (n == 0) break;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

off_t lseek(int fd, off_t offset, int whence) {
    if (fd == 0 && (standard_input(), input_pipe)) return fail(ESPIPE);
    return (off_t)checked(sv_syscall3(SV_SYS_LSEEK, (uint64_t)(int64_t)input_fd(fd), (uint64_t)offset, (uint64_t)(int64_t)whence));
}

static void fill(struct stat *out, const struct sv_stat *s) {
    memset(out, 0, sizeof *out);
    out->st_dev = (dev_t)s->st_dev;
    out->st_ino = (ino_t)s->st_ino;
    out->st_mode = (mode_t)s->st_mode;
    out->st_nlink = (nlink_t)s->st_nlink;
    out->st_uid = (uid_t)s->st_uid;
    out->st_gid = (gid_t)s->st_gid;
    out->st_size = (off_t)s->st_size;
    out->st_blksize = (blksize_t)s->st_blksize;
    out->st_blocks = (blkcnt_t)s->st_blocks;
    out->st_mtime = (time_t)s->st_mtime_sec;
}

int stat(const char *path, struct stat *out) {
    char full[SV_FS_PATH_MAX + 1];
    long n = absolute(path, full);
    if (n < 0) return -1;
    struct sv_stat s;
    if (checked(sv_syscall3(SV_SYS_STAT, (uint64_t)full, (uint64_t)n, (uint64_t)&s)) < 0) return -1;
    fill(out, &s);
    return 0;
}

int fstat(int fd, struct stat *out) {
    struct sv_stat s;
    if (checked(sv_syscall2(SV_SYS_FSTAT, (uint64_t)(int64_t)input_fd(fd), (uint64_t)&s)) < 0) return -1;
    fill(out, &s);
    return 0;
}

/* poll: POLLRDNORM/POLLWRNORM are POLLIN/POLLOUT here (no priority bands). */
int poll(struct pollfd *fds, nfds_t count, int timeout) {
    for (nfds_t i = 0; i < count; i++) {
        if (fds[i].events & POLLRDNORM) fds[i].events |= POLLIN;
        if (fds[i].events & POLLWRNORM) fds[i].events |= POLLOUT;
    }
    if (count > 0) sv_stdout_flush();   /* what was printed shows before the wait */
    int n = (int)checked(sv_syscall3(SV_SYS_POLL, (uint64_t)fds, count, (uint64_t)(int64_t)timeout));
    for (nfds_t i = 0; n > 0 && i < count; i++) {
        if ((fds[i].revents & POLLIN) && (fds[i].events & POLLRDNORM)) fds[i].revents |= POLLRDNORM;
        if ((fds[i].revents & POLLOUT) && (fds[i].events & POLLWRNORM)) fds[i].revents |= POLLWRNORM;
    }
    return n;
}

int fsync(int fd) { return (int)checked(sv_syscall1(SV_SYS_FSYNC, (uint64_t)(int64_t)fd)); }

static int simple(int op, const char *path) {
    uint64_t r[3];
    int e = sv_fs_call(op, path, 0, 0, 0, 0, 0, 0, r);
    return e ? fail(-e) : 0;
}

int chmod(const char *path, mode_t mode) {
    uint64_t r[3];
    int e = sv_fs_call(SV_FS_SETATTR, path, mode & 07777, 0, SV_FS_SET_MODE, 0, 0, 0, r);
    return e ? fail(-e) : 0;
}

int fchmod(int fd, mode_t mode) { (void)fd; (void)mode; return fail(ENOSYS); }   /* needs a handle SETATTR */

int mkdir(const char *path, mode_t mode) { (void)mode; return simple(SV_FS_MKDIR, path); }
int unlink(const char *path) { return simple(SV_FS_UNLINK, path); }
int rmdir(const char *path) { return simple(SV_FS_RMDIR, path); }

int ftruncate(int fd, off_t length) {
    if (length < 0) return fail(EINVAL);
    return (int)checked(sv_syscall2(SV_SYS_FTRUNCATE, (uint64_t)(int64_t)fd, (uint64_t)length));
}

int truncate(const char *path, off_t length) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int r = ftruncate(fd, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return r;
}

int rename(const char *from, const char *to) {
    char target[SV_FS_PATH_MAX + 1];
    long n = absolute(to, target);
    if (n < 0) return -1;
    uint64_t r[3];
    int e = sv_fs_call(SV_FS_RENAME, from, 0, 0, 0, target, (size_t)n, SV_LEASE_READ, r);
    return e ? fail(-e) : 0;
}

int remove(const char *path) {
    struct stat s;
    if (stat(path, &s) < 0) return -1;
    return S_ISDIR(s.st_mode) ? rmdir(path) : unlink(path);
}

int access(const char *path, int mode) {
    (void)mode;   /* no permissions yet: what exists may be used */
    struct stat s;
    return stat(path, &s);
}

int chdir(const char *path) {
    char full[SV_FS_PATH_MAX + 1];
    if (absolute(path, full) < 0) return -1;
    struct stat s;
    if (stat(full, &s) < 0) return -1;
    if (!S_ISDIR(s.st_mode)) return fail(ENOTDIR);
    return sv_env_set("PWD", full) ? fail(E2BIG) : 0;
}

char *getcwd(char *buf, size_t size) {
    long n = sv_path_absolute(".", buf, size);
    if (n < 0) { errno = ERANGE; return 0; }
    return buf;
}

/* A terminal is what answers TCGETS (as glibc's isatty asks): the terminal server's descriptors.
 * The kernel's own console — the console when no terminal server runs (docs/TERMINAL.md) — has no
 * termios but is the console all the same (character device 5,1, which the kernel answers itself):
 * a terminal too. */
int isatty(int fd) {
    if (fd == 0) { standard_input(); if (input_pipe) { errno = ENOTTY; return 0; } }
    struct sv_termios t;
    int64_t r = sv_syscall3(SV_SYS_IOCTL, (uint64_t)(int64_t)input_fd(fd), SV_TCGETS, (uint64_t)&t);
    if (r >= 0) return 1;
    struct sv_stat s;
    if (r == -SV_ENOTTY && sv_syscall2(SV_SYS_FSTAT, (uint64_t)(int64_t)input_fd(fd), (uint64_t)&s) >= 0
        && (s.st_mode & SV_S_IFMT) == SV_S_IFCHR && s.st_rdev == SV_TTY_RDEV_CONSOLE) return 1;
    errno = r == -SV_EBADF ? EBADF : ENOTTY;
    return 0;
}

/* ioctl (system call 70, sys/ioctl.h): the argument goes to the kernel as it is — a pointer to the
 * request's struct, or an int for the requests that take one (TIOCSCTTY); the kernel sizes and
 * checks the struct by the request. C because the argument is variadic. */
int ioctl(int fd, unsigned long request, ...) {
    va_list arguments;
    va_start(arguments, request);
    unsigned long argument = va_arg(arguments, unsigned long);
    va_end(arguments);
    return (int)checked(sv_syscall3(SV_SYS_IOCTL, (uint64_t)(int64_t)input_fd(fd), request, argument));
}

pid_t getpid(void) { return (pid_t)sv_syscall0(SV_SYS_GETPID); }
_Noreturn void _exit(int status) { sv_user_exit(status); }

/* ---- directories: getdents64 on a descriptor, a buffer of records at a time ---- */
struct sv_dir {
    int fd;
    size_t length, position;
    struct dirent entry;
    char records[8192];
};

DIR *opendir(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    DIR *d = malloc(sizeof *d);
    if (!d) { close(fd); errno = ENOMEM; return 0; }
    d->fd = fd;
    d->length = d->position = 0;
    return d;
}

struct dirent *readdir(DIR *d) {
    for (;;) {
        if (d->position >= d->length) {
            long n = checked(sv_syscall3(SV_SYS_GETDENTS, (uint64_t)d->fd, (uint64_t)d->records, sizeof d->records));
            if (n <= 0) return 0;   /* the end (errno unchanged) or an error (errno set) */
            d->length = (size_t)n;
            d->position = 0;
        }
        /* The records come from the file server: each is checked to lie inside what it wrote. */
        const char *r = d->records + d->position;
        size_t left = d->length - d->position;
        uint16_t reclen;
        if (left <= SV_DIRENT_NAME_OFFSET) { d->position = d->length; continue; }
        memcpy(&reclen, r + 16, sizeof reclen);
        if (reclen <= SV_DIRENT_NAME_OFFSET || reclen > left) { d->position = d->length; continue; }
        d->position += reclen;
        size_t n = strnlen(r + SV_DIRENT_NAME_OFFSET, reclen - SV_DIRENT_NAME_OFFSET);
        if (n == reclen - SV_DIRENT_NAME_OFFSET || n >= sizeof d->entry.d_name) continue;
        memcpy(&d->entry.d_ino, r, sizeof(uint64_t) < sizeof d->entry.d_ino ? sizeof(uint64_t) : sizeof d->entry.d_ino);
        d->entry.d_type = (unsigned char)r[18];
        memcpy(d->entry.d_name, r + SV_DIRENT_NAME_OFFSET, n);
        d->entry.d_name[n] = 0;
        return &d->entry;
    }
}

void rewinddir(DIR *d) {
    lseek(d->fd, 0, SEEK_SET);
    d->length = d->position = 0;
}

int closedir(DIR *d) {
    int r = close(d->fd);
    free(d);
    return r;
}
