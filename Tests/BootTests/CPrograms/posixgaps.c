/* posixgaps.c — the C library calls SQLite 3.40 and the terminal programs needed (pthread.h
 * mutexes, fcntl record locks, lstat/readlink, utime/utimes, sysconf, pwd.h, dlfcn.h, termios.h,
 * sys/ioctl.h on descriptors that are not terminals), printing what they return. PortsBootTests
 * runs it in the guest and built by the host's cc against glibc: everything before the
 * "swiftvm only" line must be identical. After it (only in the guest build) come the calls whose
 * answer is this system's documented one and differs from Linux's (pthread_create, getrusage,
 * symlink), which the test checks line by line. Run in a writable directory. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>
#include <utime.h>

#define SHOW(call) do { errno = 0; long r_ = (long)(call); printf("%s = %ld (%s)\n", #call, r_, errno ? strerror_name(errno) : "-"); } while (0)

static const char *strerror_name(int e) {
    switch (e) {
    case EPERM: return "EPERM"; case ENOENT: return "ENOENT"; case EBADF: return "EBADF";
    case EINVAL: return "EINVAL"; case ENOTTY: return "ENOTTY"; case EBUSY: return "EBUSY";
    case EDEADLK: return "EDEADLK"; case EAGAIN: return "EAGAIN"; case ENOSYS: return "ENOSYS";
    case EEXIST: return "EEXIST"; case ESRCH: return "ESRCH"; case EFAULT: return "EFAULT";
    default: return "other";
    }
}

static void show_termios(const char *name, const struct termios *t) {
    printf("%s: iflag %o oflag %o cflag %o lflag %o vmin %d vtime %d ispeed %o ospeed %o get %o %o\n", name,
           t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag, t->c_cc[VMIN], t->c_cc[VTIME],
           t->c_ispeed, t->c_ospeed, cfgetispeed(t), cfgetospeed(t));
}

static void *nothing(void *arg) { return arg; }
static int once_count;
static void once_routine(void) { once_count++; }

int main(void) {
    /* Layouts (glibc's x86-64) */
    printf("sizes: mutex %zu termios %zu flock %zu passwd %zu rusage %zu winsize %zu utimbuf %zu\n",
           sizeof(pthread_mutex_t), sizeof(struct termios), sizeof(struct flock), sizeof(struct passwd),
           sizeof(struct rusage), sizeof(struct winsize), sizeof(struct utimbuf));

    /* pthread mutexes, one thread */
    pthread_mutex_t normal = PTHREAD_MUTEX_INITIALIZER, recursive, checking;
    pthread_mutexattr_t attr;
    SHOW(pthread_mutex_lock(&normal));
    SHOW(pthread_mutex_trylock(&normal));
    SHOW(pthread_mutex_destroy(&normal));
    SHOW(pthread_mutex_unlock(&normal));
    SHOW(pthread_mutex_destroy(&normal));
    SHOW(pthread_mutexattr_init(&attr));
    SHOW(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE));
    SHOW(pthread_mutex_init(&recursive, &attr));
    SHOW(pthread_mutex_lock(&recursive));
    SHOW(pthread_mutex_lock(&recursive));
    SHOW(pthread_mutex_trylock(&recursive));
    SHOW(pthread_mutex_unlock(&recursive));
    SHOW(pthread_mutex_unlock(&recursive));
    SHOW(pthread_mutex_unlock(&recursive));
    SHOW(pthread_mutex_unlock(&recursive));
    SHOW(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK));
    SHOW(pthread_mutex_init(&checking, &attr));
    SHOW(pthread_mutex_lock(&checking));
    SHOW(pthread_mutex_lock(&checking));
    SHOW(pthread_mutex_unlock(&checking));
    SHOW(pthread_mutex_unlock(&checking));
    SHOW(pthread_mutexattr_settype(&attr, 99));
    int type = -1;
    pthread_mutexattr_gettype(&attr, &type);
    printf("mutexattr type %d\n", type);
    pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, once_routine);
    pthread_once(&once, once_routine);
    printf("once ran %d time(s); self equal %d\n", once_count, pthread_equal(pthread_self(), pthread_self()));

    /* files: record locks, lstat, readlink, utime */
    int fd = open("gaps.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
    printf("open %s\n", fd >= 0 ? "ok" : "failed");
    SHOW(write(fd, "0123456789", 10));
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    SHOW(fcntl(fd, F_SETLK, &lock));
    lock.l_type = F_RDLCK;
    SHOW(fcntl(fd, F_SETLKW, &lock));
    lock.l_type = F_WRLCK; lock.l_whence = SEEK_END; lock.l_start = -4; lock.l_len = 2;
    SHOW(fcntl(fd, F_GETLK, &lock));
    printf("getlk type %s\n", lock.l_type == F_UNLCK ? "F_UNLCK" : "locked");
    lock.l_type = F_UNLCK; lock.l_whence = SEEK_SET; lock.l_start = 0; lock.l_len = 0;
    SHOW(fcntl(fd, F_SETLK, &lock));
    lock.l_type = 7;
    SHOW(fcntl(fd, F_SETLK, &lock));
    lock.l_type = F_RDLCK; lock.l_whence = 9;
    SHOW(fcntl(fd, F_SETLK, &lock));
    lock.l_whence = SEEK_SET; lock.l_start = -5;
    SHOW(fcntl(fd, F_SETLK, &lock));
    lock.l_start = 0;
    SHOW(fcntl(77, F_SETLK, &lock));
    int writeonly = open("gaps.tmp", O_WRONLY);
    SHOW(fcntl(writeonly, F_SETLK, &lock));
    lock.l_type = F_WRLCK;
    SHOW(fcntl(writeonly, F_SETLK, &lock));
    close(writeonly);
    SHOW(lseek(fd, 0, SEEK_CUR));
    struct stat a, b;
    SHOW(stat("gaps.tmp", &a));
    SHOW(lstat("gaps.tmp", &b));
    printf("lstat is stat: %d size %lld regular %d fifo %d chr %d\n", a.st_ino == b.st_ino && a.st_mode == b.st_mode,
           (long long)b.st_size, S_ISREG(b.st_mode), S_ISFIFO(b.st_mode), S_ISCHR(b.st_mode));
    SHOW(lstat("no-such-file", &b));
    char link[64];
    SHOW(readlink("gaps.tmp", link, sizeof link));
    SHOW(readlink("no-such-file", link, sizeof link));
    struct utimbuf times = { .actime = 1000000000, .modtime = 1234567890 };
    SHOW(utime("gaps.tmp", &times));
    stat("gaps.tmp", &a);
    printf("mtime after utime %lld\n", (long long)a.st_mtime);
    struct timeval tv[2] = { { 1000000000, 0 }, { 1300000000, 500000 } };
    SHOW(utimes("gaps.tmp", tv));
    stat("gaps.tmp", &a);
    printf("mtime after utimes %lld\n", (long long)a.st_mtime);
    tv[1].tv_usec = 1000000;
    SHOW(utimes("gaps.tmp", tv));
    SHOW(utime("no-such-file", &times));
    SHOW(fchown(fd, (uid_t)-1, (gid_t)-1));
    SHOW(fchown(99, 0, 0));

    /* sysconf, the user database, dlfcn */
    SHOW(sysconf(_SC_PAGESIZE));
    SHOW(getpagesize());
    SHOW(sysconf(-1));
    struct passwd *root = getpwuid(0);
    printf("getpwuid(0): %s uid %u gid %u\n", root ? root->pw_name : "(none)", root ? root->pw_uid : 99, root ? root->pw_gid : 99);
    root = getpwnam("root");
    printf("getpwnam(root): %s\n", root ? root->pw_name : "(none)");
    printf("getpwnam(nobody-here): %s\n", getpwnam("nobody-here") ? "found" : "(none)");
    void *library = dlopen("/no/such/library.so", RTLD_NOW);
    const char *first = dlerror(), *second = dlerror();   /* the reason once, then NULL (XSH dlerror) */
    printf("dlopen: %s, dlerror %s, then %s\n", library ? "handle" : "NULL", first ? "set" : "NULL", second ? "set" : "NULL");
    dlopen("x.so", RTLD_NOW);     /* no slash: searched for in the library directories (glibc's message) */
    printf("dlerror: %s\n", dlerror());

    /* termios on descriptors that are not terminals, and the pure calls */
    struct termios t;
    memset(&t, 0, sizeof t);
    SHOW(tcgetattr(fd, &t));
    SHOW(tcsetattr(fd, TCSANOW, &t));
    SHOW(tcsetattr(fd, 7, &t));
    SHOW(tcdrain(fd));
    SHOW(tcflush(fd, TCIFLUSH));
    SHOW(tcflow(fd, TCOOFF));
    SHOW(tcsendbreak(fd, 0));
    SHOW(tcgetpgrp(fd));
    SHOW(isatty(fd));
    SHOW(isatty(99));
    int pipefd[2];
    pipe(pipefd);
    SHOW(isatty(pipefd[0]));
    struct winsize ws;
    SHOW(ioctl(pipefd[1], TIOCGWINSZ, &ws));
    SHOW(ioctl(fd, TIOCGWINSZ, &ws));
    close(pipefd[0]);
    close(pipefd[1]);
    t.c_iflag = 0777777; t.c_oflag = 0177777; t.c_cflag = 0177777; t.c_lflag = 0177777;
    t.c_cc[VMIN] = 9; t.c_cc[VTIME] = 9;
    cfmakeraw(&t);
    show_termios("cfmakeraw", &t);
    SHOW(cfsetospeed(&t, B9600));
    show_termios("ospeed 9600", &t);
    SHOW(cfsetispeed(&t, B0));
    show_termios("ispeed 0", &t);
    SHOW(cfsetispeed(&t, B115200));
    show_termios("ispeed 115200", &t);
    SHOW(cfsetospeed(&t, 0020));
    SHOW(cfsetospeed(&t, 9600));
    SHOW(cfsetspeed(&t, 19200));
    show_termios("cfsetspeed 19200", &t);
    SHOW(cfsetspeed(&t, B38400));
    show_termios("cfsetspeed B38400", &t);
    SHOW(cfsetspeed(&t, 12345));
    close(fd);
    unlink("gaps.tmp");

#ifdef __swiftvm__
    printf("swiftvm only\n");
    pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&held);
    SHOW(pthread_mutex_lock(&held));
    pthread_t thread;
    SHOW(pthread_create(&thread, 0, nothing, 0));
    SHOW(pthread_join(pthread_self(), 0));
    struct rusage usage;
    SHOW(getrusage(RUSAGE_SELF, &usage));
    SHOW(getrusage(5, &usage));
    SHOW(symlink("x", "no-such-link"));
    SHOW(symlink("x", "/tmp"));
    SHOW(getuid() + geteuid() + getgid() + getegid());
    fd = open("gaps.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SHOW(fchown(fd, 0, 0));
    SHOW(fchown(fd, 1000, 1000));
    SHOW(chown("gaps.tmp", 1000, (gid_t)-1));
    close(fd);
    unlink("gaps.tmp");
    SHOW(sysconf(_SC_NPROCESSORS_ONLN));
    SHOW(sysconf(_SC_OPEN_MAX));
    SHOW(sysconf(_SC_PHYS_PAGES) > 1000);
#else
    (void)nothing;
#endif
    printf("done\n");
    return 0;
}
