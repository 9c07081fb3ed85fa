/* posix.c — file descriptors over the file server. The server is stateless and path-based
 * (ABI sv_fs.h), so a descriptor is kept here: the absolute path, the offset and
 * the open flags. 0 is the console (read), 1 standard output (console or redirected file), 2 the
 * console. Every call sets errno from the server's error number on failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bridge.h"
#include "sv_user.h"

int errno;

#define MAX_FILES 32
#define PATH_CAPACITY 256

struct descriptor {
    int used;
    int flags;
    int is_directory;
    off_t offset;
    char path[PATH_CAPACITY];
};
static struct descriptor files[MAX_FILES];

static int fail(int code) { errno = code; return -1; }

static struct descriptor *file(int fd) {
    if (fd < 3 || fd >= MAX_FILES || !files[fd].used) return 0;
    return &files[fd];
}

static int status(const char *path, uint64_t result[3]) {
    return sv_fs_call(SV_FS_STAT, path, 0, 0, 0, 0, 0, 0, result);
}

int open(const char *path, int flags, ...) {
    int fd = 3;
    while (fd < MAX_FILES && files[fd].used) fd++;
    if (fd == MAX_FILES) return fail(EMFILE);
    struct descriptor *d = &files[fd];
    long n = sv_path_absolute(path, d->path, sizeof d->path);
    if (n < 0) return fail((int)-n);
    uint64_t r[3];
    int e = status(d->path, r);
    int access = flags & O_ACCMODE;
    if (e == 0) {
        if ((flags & O_CREAT) && (flags & O_EXCL)) return fail(EEXIST);
        if (r[2] == SV_FS_KIND_DIRECTORY && access != O_RDONLY) return fail(EISDIR);
        if (r[2] != SV_FS_KIND_DIRECTORY && (flags & O_DIRECTORY)) return fail(ENOTDIR);
        if ((flags & O_TRUNC) && access != O_RDONLY) {
            e = sv_fs_call(SV_FS_TRUNCATE, d->path, 0, 0, 0, 0, 0, 0, r);
            if (e) return fail(-e);
        }
    } else if (e == -ENOENT && (flags & O_CREAT)) {
        e = sv_fs_call(SV_FS_WRITE, d->path, 0, 0, SV_FS_FLAG_CREATE, 0, 0, SV_LEASE_READ, r);
        if (e) return fail(-e);
        r[2] = SV_FS_KIND_FILE;
    } else {
        return fail(-e);
    }
    d->used = 1;
    d->flags = flags;
    d->is_directory = r[2] == SV_FS_KIND_DIRECTORY;
    d->offset = 0;
    return fd;
}

int creat(const char *path, mode_t mode) { (void)mode; return open(path, O_WRONLY | O_CREAT | O_TRUNC); }

int close(int fd) {
    if (fd >= 0 && fd < 3) return 0;
    struct descriptor *d = file(fd);
    if (!d) return fail(EBADF);
    d->used = 0;
    return 0;
}

/* Standard input is the console, or the file the shell named in SV_STDIN (`command < file`, or a
 * pipeline stage): then descriptor 0 reads that file like any other. */
static struct descriptor redirected_input;
static int input_checked;
static uint64_t input_pipe;   /* SV_STDIN = "pipe:ID": a pipeline stage reads the pipe */

static struct descriptor *standard_input(void) {
    if (!input_checked) {
        input_checked = 1;
        char path[PATH_CAPACITY];
        if (sv_env_get("SV_STDIN", path, sizeof path) > 0) {
            if (strncmp(path, "pipe:", 5) == 0) {
                input_pipe = strtoull(path + 5, 0, 10);
            } else if (sv_path_absolute(path, redirected_input.path, sizeof redirected_input.path) > 0) {
                redirected_input.used = 1;
                redirected_input.flags = O_RDONLY;
            }
        }
    }
    return redirected_input.used ? &redirected_input : 0;
}

ssize_t read(int fd, void *buf, size_t count) {
    struct descriptor *d = fd == 0 ? standard_input() : file(fd);
    if (fd == 0 && input_pipe) {
        long n = sv_pipe_read(input_pipe, buf, count);
        return n < 0 ? fail((int)-n) : n;
    }
    if (fd == 0 && !d) {
        sv_stdout_flush();
        int64_t n = sv_syscall3(SV_SYS_READ, 0, (uint64_t)buf, count);
        return n < 0 ? fail((int)-n) : n;
    }
    if (!d || (d->flags & O_ACCMODE) == O_WRONLY) return fail(EBADF);
    if (d->is_directory) return fail(EISDIR);
    if (count == 0) return 0;
    uint64_t r[3];
    int e = sv_fs_call(SV_FS_READ, d->path, (uint64_t)d->offset, count, 0, buf, count, SV_LEASE_WRITE, r);
    if (e) return fail(-e);
    d->offset += (off_t)r[0];
    return (ssize_t)r[0];
}

ssize_t write(int fd, const void *buf, size_t count) {
    if (fd == 1) { sv_stdout_write(buf, count); return (ssize_t)count; }
    if (fd == 2) {
        sv_stdout_flush();
        int64_t n = sv_syscall3(SV_SYS_WRITE, 2, (uint64_t)buf, count);
        return n < 0 ? fail((int)-n) : n;
    }
    struct descriptor *d = file(fd);
    if (!d || (d->flags & O_ACCMODE) == O_RDONLY) return fail(EBADF);
    uint64_t r[3];
    if (d->flags & O_APPEND) {
        int e = status(d->path, r);
        if (e) return fail(-e);
        d->offset = (off_t)r[1];
    }
    /* The server writes at most 1 MiB a call; POSIX lets write() return less, but write them all. */
    size_t done = 0;
    while (done < count) {
        int e = sv_fs_call(SV_FS_WRITE, d->path, (uint64_t)d->offset, 0, 0, (char *)buf + done, count - done, SV_LEASE_READ, r);
        if (e) return done > 0 ? (ssize_t)done : fail(-e);
        if (r[0] == 0) break;
        d->offset += (off_t)r[0];
        done += (size_t)r[0];
    }
    return (ssize_t)done;
}

off_t lseek(int fd, off_t offset, int whence) {
    struct descriptor *d = fd == 0 ? standard_input() : file(fd);
    if (fd == 0 && input_pipe) return fail(ESPIPE);
    if (fd >= 0 && fd < 3 && !d) return fail(ESPIPE);
    if (!d) return fail(EBADF);
    off_t base = 0;
    if (whence == SEEK_CUR) base = d->offset;
    else if (whence == SEEK_END) {
        uint64_t r[3];
        int e = status(d->path, r);
        if (e) return fail(-e);
        base = (off_t)r[1];
    } else if (whence != SEEK_SET) return fail(EINVAL);
    if (base + offset < 0) return fail(EINVAL);
    d->offset = base + offset;
    return d->offset;
}

static void fill(struct stat *out, const uint64_t r[3]) {
    memset(out, 0, sizeof *out);
    out->st_mode = r[2] == SV_FS_KIND_DIRECTORY ? (S_IFDIR | 0755) : r[2] == SV_FS_KIND_SYMLINK ? (S_IFLNK | 0777) : (S_IFREG | 0644);
    out->st_size = (off_t)r[1];
    out->st_nlink = 1;
    out->st_blksize = 4096;
    out->st_blocks = (blkcnt_t)((r[1] + 511) / 512);
}

int stat(const char *path, struct stat *out) {
    uint64_t r[3];
    int e = status(path, r);
    if (e) return fail(-e);
    fill(out, r);
    return 0;
}

int fstat(int fd, struct stat *out) {
    if (fd == 0 && standard_input()) return stat(redirected_input.path, out);
    if (fd >= 0 && fd < 3) {
        memset(out, 0, sizeof *out);
        out->st_mode = 0020000 | 0620;   /* a character device: the console */
        return 0;
    }
    struct descriptor *d = file(fd);
    if (!d) return fail(EBADF);
    return stat(d->path, out);
}

static int simple(int op, const char *path) {
    uint64_t r[3];
    int e = sv_fs_call(op, path, 0, 0, 0, 0, 0, 0, r);
    return e ? fail(-e) : 0;
}

int mkdir(const char *path, mode_t mode) { (void)mode; return simple(SV_FS_MKDIR, path); }
int unlink(const char *path) { return simple(SV_FS_UNLINK, path); }
int rmdir(const char *path) { return simple(SV_FS_RMDIR, path); }

int truncate(const char *path, off_t length) {
    if (length < 0) return fail(EINVAL);
    uint64_t r[3];
    int e = sv_fs_call(SV_FS_TRUNCATE, path, (uint64_t)length, 0, 0, 0, 0, 0, r);
    return e ? fail(-e) : 0;
}

int ftruncate(int fd, off_t length) {
    struct descriptor *d = file(fd);
    if (!d || (d->flags & O_ACCMODE) == O_RDONLY) return fail(EBADF);
    return truncate(d->path, length);
}

int rename(const char *from, const char *to) {
    char target[PATH_CAPACITY];
    long n = sv_path_absolute(to, target, sizeof target);
    if (n < 0) return fail((int)-n);
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
    char absolute[PATH_CAPACITY];
    long n = sv_path_absolute(path, absolute, sizeof absolute);
    if (n < 0) return fail((int)-n);
    struct stat s;
    if (stat(absolute, &s) < 0) return -1;
    if (!S_ISDIR(s.st_mode)) return fail(ENOTDIR);
    return sv_env_set("PWD", absolute) ? fail(E2BIG) : 0;
}

char *getcwd(char *buf, size_t size) {
    long n = sv_path_absolute(".", buf, size);
    if (n < 0) { errno = ERANGE; return 0; }
    return buf;
}

int isatty(int fd) {
    if ((fd == 0 && (standard_input() || input_pipe)) || fd < 0 || fd > 2) { errno = ENOTTY; return 0; }
    return 1;   /* stdout to a file is still fd 1 here; programs that care check isatty(0) */
}
pid_t getpid(void) { return (pid_t)sv_syscall0(SV_SYS_GETPID); }
_Noreturn void _exit(int status) { sv_user_exit(status); }

/* ---- directories: the whole listing is read at opendir ("k name\n" lines) ---- */
struct sv_dir {
    char *text;
    size_t length, position;
    struct dirent entry;
};

DIR *opendir(const char *path) {
    size_t capacity = 16 << 10;
    for (;;) {
        char *text = malloc(capacity);
        if (!text) { errno = ENOMEM; return 0; }
        uint64_t r[3];
        int e = sv_fs_call(SV_FS_LIST, path, 0, 0, 0, text, capacity, SV_LEASE_WRITE, r);
        if (e) { free(text); errno = -e; return 0; }
        if (r[1] > capacity) { free(text); capacity = r[1]; continue; }
        DIR *d = malloc(sizeof *d);
        if (!d) { free(text); errno = ENOMEM; return 0; }
        d->text = text;
        d->length = r[0];
        d->position = 0;
        return d;
    }
}

struct dirent *readdir(DIR *d) {
    while (d->position + 2 < d->length) {
        char kind = d->text[d->position];
        size_t start = d->position + 2, end = start;
        while (end < d->length && d->text[end] != '\n') end++;
        d->position = end + 1;
        size_t n = end - start;
        if (n == 0 || n >= sizeof d->entry.d_name) continue;
        memcpy(d->entry.d_name, d->text + start, n);
        d->entry.d_name[n] = 0;
        d->entry.d_type = kind == SV_FS_LETTER_DIRECTORY ? DT_DIR : kind == SV_FS_LETTER_SYMLINK ? DT_LNK : DT_REG;
        d->entry.d_ino = 0;
        return &d->entry;
    }
    return 0;
}

int closedir(DIR *d) {
    free(d->text);
    free(d);
    return 0;
}
