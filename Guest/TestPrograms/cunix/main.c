/* cunix — the process, pipe, descriptor and memory calls of the C library checked from C, with
 * exact results and errno values: fork/wait status macros, WNOHANG, pipes (EOF, EPIPE), dup2 onto
 * stdout then execv, posix_spawn/posix_spawnp with file actions and their errors, execve errors,
 * fcntl, pread/pwrite, mmap (anonymous and a private file mapping). One line per check; the exit
 * status is the number of failures. Needs /bin/echo and a writable /tmp. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures, total;

#define CHECK(name, condition) do { \
    total++; \
    if (condition) printf("cunix: ok   %s\n", name); \
    else { failures++; printf("cunix: FAIL %s (line %d, errno %d)\n", name, __LINE__, errno); } \
} while (0)

/* Everything readable from fd until the end, into buf (NUL-terminated). */
static size_t drain(int fd, char *buf, size_t capacity) {
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, capacity - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
    }
    buf[n] = 0;
    return n;
}

static void processes(void) {
    pid_t me = getpid();
    pid_t child = fork();
    if (child == 0) _exit(getppid() == me ? 7 : 1);
    int status = 0;
    CHECK("fork, waitpid: the child's status", waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 7);
    CHECK("wait with no children is ECHILD", wait(&status) == -1 && errno == ECHILD);

    int p[2];
    CHECK("pipe", pipe(p) == 0 && p[1] == p[0] + 1);
    child = fork();
    if (child == 0) { char c; close(p[1]); read(p[0], &c, 1); _exit(0); }
    CHECK("WNOHANG while the child runs gives 0", waitpid(child, &status, WNOHANG) == 0);
    close(p[0]);
    write(p[1], "x", 1);
    close(p[1]);
    CHECK("then the child ends", waitpid(child, &status, 0) == child && WIFEXITED(status));

    CHECK("pipe2(O_CLOEXEC) sets FD_CLOEXEC", pipe2(p, O_CLOEXEC) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC);
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);   /* SIGPIPE would end the program first (docs/SIGNALS.md) */
    CHECK("a write with no reader is EPIPE", write(p[1], "x", 1) == -1 && errno == EPIPE);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
    CHECK("pipe: end of file once the writers are gone", pipe(p) == 0 && close(p[1]) == 0 && read(p[0], &status, 1) == 0);
    close(p[0]);
    CHECK("dup2 of a closed descriptor is EBADF", dup2(77, 5) == -1 && errno == EBADF);
    int d = dup(1);
    CHECK("dup gives the lowest free descriptor", d >= 3 && fcntl(d, F_GETFD) == 0 && close(d) == 0);
    CHECK("F_DUPFD finds the lowest at or above", fcntl(1, F_DUPFD, 40) == 40 && close(40) == 0);
}

static void execution(void) {
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        char *argv[] = {"echo", "hello", "from", "echo", 0};
        execv("/bin/echo", argv);
        _exit(99);
    }
    close(p[1]);
    char text[256];
    drain(p[0], text, sizeof text);
    close(p[0]);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK("dup2 onto stdout, then execv: the program's output arrives", strcmp(text, "hello from echo\n") == 0 && WEXITSTATUS(status) == 0);

    char *argv[] = {"nothing", 0};
    CHECK("execve of a missing file is ENOENT", execve("/bin/no-such-program", argv, 0) == -1 && errno == ENOENT);
    int fd = open("/tmp/cunix-data", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "plain text\n", 11);
    close(fd);
    CHECK("execve of a file without the execute bit is EACCES", execve("/tmp/cunix-data", argv, 0) == -1 && errno == EACCES);
    chmod("/tmp/cunix-data", 0755);
    CHECK("execve of an executable that is not a program is ENOEXEC", execve("/tmp/cunix-data", argv, 0) == -1 && errno == ENOEXEC);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    pipe(p);
    posix_spawn_file_actions_adddup2(&actions, p[1], 1);
    posix_spawn_file_actions_addclose(&actions, p[0]);
    pid_t pid = 0;
    char *echo[] = {"echo", "spawned", 0};
    int e = posix_spawnp(&pid, "echo", &actions, 0, echo, 0);
    close(p[1]);
    drain(p[0], text, sizeof text);
    close(p[0]);
    CHECK("posix_spawnp with a dup2 action: PATH search, output through the pipe",
          e == 0 && pid > 0 && waitpid(pid, &status, 0) == pid && strcmp(text, "spawned\n") == 0);
    posix_spawn_file_actions_destroy(&actions);
    CHECK("posix_spawn of a missing program returns ENOENT", posix_spawn(&pid, "/bin/no-such-program", 0, 0, argv, 0) == ENOENT);
    CHECK("and leaves no child behind", waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);

    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/tmp/cunix-out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char *echo2[] = {"echo", "into", "a", "file", 0};
    e = posix_spawn(&pid, "/bin/echo", &actions, 0, echo2, 0);
    waitpid(pid, &status, 0);
    fd = open("/tmp/cunix-out", O_RDONLY);
    drain(fd, text, sizeof text);
    close(fd);
    CHECK("posix_spawn with an open action: stdout into a file", e == 0 && strcmp(text, "into a file\n") == 0);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/no/such/dir/x", O_WRONLY | O_CREAT, 0644);
    CHECK("a failing open action is the spawn's error", posix_spawn(&pid, "/bin/echo", &actions, 0, echo2, 0) == ENOENT);
    posix_spawn_file_actions_destroy(&actions);
}

static void files_and_memory(void) {
    int fd = open("/tmp/cunix-p", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK("pwrite at an offset leaves the offset", pwrite(fd, "abcdef", 6, 10) == 6 && lseek(fd, 0, SEEK_CUR) == 0);
    char buf[16] = {0};
    CHECK("pread at an offset", pread(fd, buf, 3, 12) == 3 && memcmp(buf, "cde", 3) == 0 && lseek(fd, 0, SEEK_CUR) == 0);
    struct stat s;
    CHECK("the hole before it reads as zeros, the size is 16", fstat(fd, &s) == 0 && s.st_size == 16
          && pread(fd, buf, 10, 0) == 10 && buf[0] == 0 && buf[9] == 0);

    char *a = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("mmap anonymous: zeroed, writable", a != MAP_FAILED && a[0] == 0 && a[3 * 4096 - 1] == 0 && (a[5000] = 9) == 9);
    CHECK("munmap", munmap(a, 3 * 4096) == 0);
    char *f = mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK("mmap of a file, private: its bytes", f != MAP_FAILED && memcmp(f + 10, "abcdef", 6) == 0 && f[16] == 0);
    munmap(f, 4096);
    CHECK("mmap of a file, shared: refused (ENODEV)", mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENODEV);
    CHECK("mmap at an unaligned offset: EINVAL", mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL);
    close(fd);
    unlink("/tmp/cunix-p");
    unlink("/tmp/cunix-data");
    unlink("/tmp/cunix-out");
}

static void time_and_waiting(void) {
    struct timeval a, b;
    CHECK("gettimeofday: a date after 2024", gettimeofday(&a, 0) == 0 && a.tv_sec > 1704067200 && a.tv_usec >= 0 && a.tv_usec < 1000000);
    struct timespec t0, t1, d = {0, 30000000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK("nanosleep of 30 ms", nanosleep(&d, 0) == 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK("and at least 30 ms passed", (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >= 30000000L);
    struct timespec bad = {0, 1000000000};
    CHECK("nanosleep with tv_nsec of a whole second is EINVAL", nanosleep(&bad, 0) == -1 && errno == EINVAL);
    gettimeofday(&b, 0);
    CHECK("gettimeofday moves on", b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_usec > a.tv_usec));

    int p[2];
    pipe(p);
    fd_set r, w;
    FD_ZERO(&r); FD_ZERO(&w);
    FD_SET(p[0], &r); FD_SET(p[1], &w);
    struct timeval zero = {0, 0};
    CHECK("select: an empty pipe is writable, not readable", select(p[1] + 1, &r, &w, 0, &zero) == 1 && !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
    write(p[1], "x", 1);
    FD_ZERO(&r); FD_SET(p[0], &r);
    struct timeval second = {1, 0};
    CHECK("select: then readable", select(p[0] + 1, &r, 0, 0, &second) == 1 && FD_ISSET(p[0], &r));
    FD_ZERO(&r); FD_SET(p[0], &r);
    char c;
    read(p[0], &c, 1);
    struct timeval brief = {0, 20000};
    CHECK("select: a timeout with nothing ready gives 0", select(p[0] + 1, &r, 0, 0, &brief) == 0 && !FD_ISSET(p[0], &r));
    close(p[0]);
    close(p[1]);
    FD_ZERO(&r); FD_SET(p[0], &r);
    CHECK("select on a closed descriptor is EBADF", select(p[0] + 1, &r, 0, 0, &zero) == -1 && errno == EBADF);
}

int main(void) {
    time_and_waiting();
    processes();
    execution();
    files_and_memory();
    printf("cunix: %d of %d passed\n", total - failures, total);
    return failures;
}
