/* sigtests — signals, process groups and sessions checked from C (issue 10), one line per
 * behaviour: handlers, SA_SIGINFO, masks, sigsuspend, pause and alarm, SA_RESTART against EINTR,
 * sleep's remainder, SIGSEGV with siglongjmp, a fault inside its handler, SIGKILL/SIGSTOP
 * uncatchable, stop and continue with waitpid, SIGCHLD, SIGPIPE, fork and exec inheritance,
 * setpgid/setsid/getsid, kill to a group, the FPU state across an asynchronous handler. The same
 * source built for the host against glibc prints the same lines (Tests/BootTests/SignalBootTests).
 * The exit status is the number of failures.
 *   sigtests              the checks
 *   sigtests bench [N]    signal round trip (kill self -> handler -> sigreturn) and a null call, in µs
 *   sigtests storm [S]    processes signalling each other for S seconds (3), then a summary
 *   sigtests exec-child   (internal) reports the dispositions and mask exec left */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures, total;
static const char *self;

#define CHECK(name, condition) do { \
    total++; \
    if (condition) printf("sigtests: ok   %s\n", name); \
    else { failures++; printf("sigtests: FAIL %s (line %d, errno %d)\n", name, __LINE__, errno); } \
} while (0)

static volatile sig_atomic_t hits, last_signal;
static volatile pid_t info_pid;
static volatile int info_code, info_status;
static void *volatile info_addr;

static void count(int sig) { hits++; last_signal = sig; }

static void record(int sig, siginfo_t *info, void *context) {
    (void)context;
    hits++;
    last_signal = sig;
    info_pid = info->si_pid;
    info_code = info->si_code;
    info_status = info->si_status;
    info_addr = info->si_addr;
}

static void install(int sig, void (*handler)(int), int flags) {
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_handler = handler;
    a.sa_flags = flags;
    sigemptyset(&a.sa_mask);
    sigaction(sig, &a, 0);
}

static void install_info(int sig, int flags) {
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_sigaction = record;
    a.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&a.sa_mask);
    sigaction(sig, &a, 0);
}

static void reset(int sig) { install(sig, SIG_DFL, 0); }

static void unblock_all(void) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, 0);
}

static pid_t child(void) {
    fflush(stdout);   /* glibc's buffer would be printed twice */
    return fork();
}

/* The child's wait status (-1 if waitpid failed). */
static int status_of(pid_t pid, int options) {
    int status = 0;
    return waitpid(pid, &status, options) == pid ? status : -1;
}

static void handlers(void) {
    hits = 0;
    install(SIGUSR1, count, 0);
    int r = raise(SIGUSR1);
    CHECK("a handler runs and returns", r == 0 && hits == 1 && last_signal == SIGUSR1);

    hits = 0;
    install_info(SIGUSR2, 0);
    kill(getpid(), SIGUSR2);
    CHECK("SA_SIGINFO: si_signo, si_pid of the sender, SI_USER", hits == 1 && info_pid == getpid() && info_code == SI_USER);

    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_handler = count;
    errno = 0;
    int k = sigaction(SIGKILL, &a, 0);
    int ke = errno;
    a.sa_handler = SIG_IGN;
    errno = 0;
    int s = sigaction(SIGSTOP, &a, 0);
    CHECK("SIGKILL and SIGSTOP cannot be caught or ignored (EINVAL)", k == -1 && ke == EINVAL && s == -1 && errno == EINVAL);

    struct sigaction old;
    hits = 0;
    install(SIGUSR1, count, SA_RESETHAND);
    raise(SIGUSR1);
    sigaction(SIGUSR1, 0, &old);
    CHECK("SA_RESETHAND: the handler runs once, then the default is back", hits == 1 && old.sa_handler == SIG_DFL);
    reset(SIGUSR2);

    /* signal() returns the previous handler. */
    signal(SIGUSR1, count);
    CHECK("signal() returns the previous handler", signal(SIGUSR1, SIG_DFL) == count);
}

static void masks(void) {
    hits = 0;
    install(SIGUSR1, count, 0);
    sigset_t block, old, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    int held = hits;
    sigpending(&pending);
    int is_pending = sigismember(&pending, SIGUSR1);
    sigprocmask(SIG_SETMASK, &old, 0);
    CHECK("sigprocmask blocks; sigpending shows it; unblocking delivers it once", held == 0 && is_pending == 1 && hits == 1);

    sigset_t all, now;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, 0);
    sigprocmask(SIG_SETMASK, 0, &now);
    unblock_all();
    CHECK("SIGKILL and SIGSTOP cannot be blocked", !sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP) && sigismember(&now, SIGTERM));

    /* sigsuspend: SIGUSR1 blocked, a child sends it, sigsuspend with an empty mask takes it. */
    hits = 0;
    sigprocmask(SIG_BLOCK, &block, 0);
    pid_t parent = getpid();
    pid_t c = child();
    if (c == 0) { kill(parent, SIGUSR1); _exit(0); }
    sigset_t empty;
    sigemptyset(&empty);
    int r = sigsuspend(&empty);
    int e = errno;
    sigprocmask(SIG_SETMASK, 0, &now);
    status_of(c, 0);
    CHECK("sigsuspend returns EINTR after the handler and restores the mask", r == -1 && e == EINTR && hits == 1 && sigismember(&now, SIGUSR1));
    unblock_all();
    reset(SIGUSR1);
}

static void timers(void) {
    hits = 0;
    install(SIGALRM, count, 0);
    unsigned none = alarm(10);
    unsigned left = alarm(0);
    CHECK("alarm returns what the previous alarm had left", none == 0 && left == 10);
    alarm(1);
    int r = pause();
    CHECK("pause returns EINTR once SIGALRM's handler ran", r == -1 && errno == EINTR && hits == 1 && last_signal == SIGALRM);
    alarm(1);
    unsigned rest = sleep(3);
    /* The alarm was set before sleep began: a process descheduled in between sleeps less than 1 s
     * before the signal, so 1 or 2 whole seconds are left (as the nanosleep check below allows). */
    CHECK("sleep interrupted by a handler returns the whole seconds left", rest >= 1 && rest <= 2 && hits == 2);
    struct timespec want = {3, 0}, remaining = {0, 0};
    alarm(1);
    r = nanosleep(&want, &remaining);
    CHECK("nanosleep: EINTR with the remaining time", r == -1 && errno == EINTR && remaining.tv_sec >= 1 && remaining.tv_sec <= 2);
    reset(SIGALRM);
}

/* A pipe read interrupted by SIGALRM after 1 s; a child writes a byte after 2 s. Without
 * SA_RESTART the read fails with EINTR; with it, the read goes on and returns the byte. */
static int interrupted_read(int restart, ssize_t *got) {
    int fds[2];
    pipe(fds);
    pid_t c = child();
    if (c == 0) { sleep(2); write(fds[1], "x", 1); _exit(0); }
    hits = 0;
    install(SIGALRM, count, restart ? SA_RESTART : 0);
    alarm(1);
    char b = 0;
    *got = read(fds[0], &b, 1);
    int e = errno;
    status_of(c, 0);
    close(fds[0]);
    close(fds[1]);
    reset(SIGALRM);
    return *got == 1 ? (b == 'x' ? 0 : -1) : e;
}

static void restarts(void) {
    ssize_t got;
    int e = interrupted_read(0, &got);
    CHECK("a pipe read interrupted by a handler fails with EINTR", got == -1 && e == EINTR && hits == 1);
    e = interrupted_read(1, &got);
    CHECK("with SA_RESTART the read is restarted and returns the data", got == 1 && e == 0 && hits == 1);
}

/* A SIGSEGV handler that faults itself (writing through a null pointer). */
static int *volatile nowhere;
static void fault_twice(int sig) { (void)sig; nowhere[4] = 2; }

static sigjmp_buf escape;
static void segv_escape(int sig, siginfo_t *info, void *context) {
    (void)context;
    info_addr = info->si_addr;
    last_signal = sig;
    siglongjmp(escape, 1);
}

static void faults(void) {
    char *page = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_sigaction = segv_escape;
    a.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &a, 0);
    int caught = 0;
    for (int i = 0; i < 2; i++) {
        info_addr = 0;
        if (sigsetjmp(escape, 1) == 0) {
            page[100 + i] = 1;
        } else if (info_addr == page + 100 + i && last_signal == SIGSEGV) {
            caught++;
        }
    }
    sigset_t now;
    sigprocmask(SIG_SETMASK, 0, &now);
    CHECK("SIGSEGV runs its handler with si_addr; siglongjmp leaves it (twice)", caught == 2 && !sigismember(&now, SIGSEGV));
    reset(SIGSEGV);
    munmap(page, 4096);

    /* A fault inside the SIGSEGV handler (the signal is blocked there) ends the process. */
    pid_t c = child();
    if (c == 0) {
        install(SIGSEGV, fault_twice, 0);
        nowhere[2] = 1;
        _exit(0);
    }
    int st = status_of(c, 0);
    CHECK("a fault inside the SIGSEGV handler kills the process", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);

    c = child();
    if (c == 0) { volatile int zero = 0; _exit(10 / zero); }
    st = status_of(c, 0);
    CHECK("integer division by zero is SIGFPE", WIFSIGNALED(st) && WTERMSIG(st) == SIGFPE);
}


static void stop_and_continue(void) {
    pid_t c = child();
    if (c == 0) { for (;;) pause(); }
    kill(c, SIGSTOP);
    int st = status_of(c, WUNTRACED);
    CHECK("SIGSTOP stops the child: waitpid WUNTRACED reports WIFSTOPPED", st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
    kill(c, SIGCONT);
    st = status_of(c, WCONTINUED);
    CHECK("SIGCONT continues it: waitpid WCONTINUED reports WIFCONTINUED", st != -1 && WIFCONTINUED(st));
    kill(c, SIGKILL);
    st = status_of(c, 0);
    CHECK("SIGKILL ends it: WIFSIGNALED, WTERMSIG 9", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

    c = child();
    if (c == 0) { for (;;) pause(); }
    kill(c, SIGTSTP);
    st = status_of(c, WUNTRACED);
    int stopped = st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP;
    kill(c, SIGTERM);   /* pending while it is stopped (Linux): it dies once continued */
    int still = waitpid(c, &st, WNOHANG) == 0;
    kill(c, SIGCONT);
    int ended = status_of(c, 0);
    CHECK("SIGTSTP stops by default; SIGTERM waits for SIGCONT to end it", stopped && still && WIFSIGNALED(ended) && WTERMSIG(ended) == SIGTERM);
}

static void children(void) {
    hits = 0;
    install_info(SIGCHLD, 0);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, 0);
    pid_t c = child();
    if (c == 0) _exit(7);
    while (hits == 0) sigsuspend(&empty);
    unblock_all();
    int st = status_of(c, 0);
    CHECK("SIGCHLD on a child's exit: si_pid, CLD_EXITED, si_status", info_pid == c && info_code == CLD_EXITED && info_status == 7
          && WIFEXITED(st) && WEXITSTATUS(st) == 7);
    reset(SIGCHLD);

    /* No reader anywhere before the fork. SIGPIPE's default is set in the child: a test harness
     * (swift test) may run this program with SIGPIPE ignored, which exec keeps. */
    int fds[2];
    pipe(fds);
    close(fds[0]);
    c = child();
    if (c == 0) { signal(SIGPIPE, SIG_DFL); write(fds[1], "x", 1); _exit(0); }
    close(fds[1]);
    st = status_of(c, 0);
    CHECK("SIGPIPE ends a writer to a pipe with no reader", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);

    signal(SIGPIPE, SIG_IGN);
    pipe(fds);
    close(fds[0]);
    errno = 0;
    ssize_t n = write(fds[1], "x", 1);
    CHECK("SIGPIPE ignored: the write fails with EPIPE", n == -1 && errno == EPIPE);
    close(fds[1]);
    reset(SIGPIPE);
}

static void inheritance(void) {
    install(SIGUSR1, count, 0);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, 0);
    raise(SIGUSR1);
    pid_t c = child();
    if (c == 0) {
        sigset_t pending, mask;
        sigpending(&pending);
        sigprocmask(SIG_SETMASK, 0, &mask);
        _exit(sigismember(&pending, SIGUSR1) ? 1 : !sigismember(&mask, SIGUSR1) ? 2 : 0);
    }
    int st = status_of(c, 0);
    hits = 0;
    unblock_all();
    CHECK("fork: the child has nothing pending and the parent's mask", WIFEXITED(st) && WEXITSTATUS(st) == 0 && hits == 1);

    c = child();
    if (c == 0) {
        install(SIGUSR1, count, 0);
        signal(SIGUSR2, SIG_IGN);
        sigset_t t;
        sigemptyset(&t);
        sigaddset(&t, SIGTERM);
        sigprocmask(SIG_BLOCK, &t, 0);
        char *argv[] = {(char *)self, "exec-child", 0};
        execvp(self, argv);
        _exit(99);
    }
    st = status_of(c, 0);
    CHECK("exec: handlers back to the default, ignored stays ignored, the mask kept", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    reset(SIGUSR1);
}

static int exec_child(void) {
    struct sigaction a1, a2;
    sigaction(SIGUSR1, 0, &a1);
    sigaction(SIGUSR2, 0, &a2);
    sigset_t mask;
    sigprocmask(SIG_SETMASK, 0, &mask);
    if (a1.sa_handler != SIG_DFL) return 1;
    if (a2.sa_handler != SIG_IGN) return 2;
    if (!sigismember(&mask, SIGTERM)) return 3;
    return 0;
}

static void groups(void) {
    /* A child that waits on a pipe until its parent has moved it. */
    int go[2];
    pipe(go);
    pid_t c = child();
    if (c == 0) {
        char b;
        read(go[0], &b, 1);
        int ok = getpgrp() == getpid() && getsid(0) == getsid(getppid());
        /* A group leader cannot start a session. */
        errno = 0;
        int refused = setsid() == -1 && errno == EPERM;
        _exit(ok && refused ? 0 : 1);
    }
    int moved = setpgid(c, c) == 0 && getpgid(c) == c;
    write(go[1], "g", 1);
    int st = status_of(c, 0);
    CHECK("setpgid moves a child into its own group; setsid refuses a group leader", moved && WIFEXITED(st) && WEXITSTATUS(st) == 0);

    c = child();
    if (c == 0) {
        pid_t s = setsid();
        int ok = s == getpid() && getsid(0) == s && getpgrp() == s;
        errno = 0;
        int stuck = setpgid(0, 0) == -1 && errno == EPERM;   /* a session leader cannot change group */
        _exit(ok && stuck ? 0 : 1);
    }
    st = status_of(c, 0);
    CHECK("setsid: a new session and group; a session leader cannot change group", WIFEXITED(st) && WEXITSTATUS(st) == 0);

    errno = 0;
    int r = setpgid(1, 1);
    CHECK("setpgid of a process that is not a child: ESRCH", r == -1 && errno == ESRCH);
    errno = 0;
    r = getsid(-5);
    CHECK("getsid of no process: ESRCH", r == -1 && errno == ESRCH);

    /* Two children in one new group; kill(-pgid) ends both. */
    pid_t a = child();
    if (a == 0) { setpgid(0, 0); for (;;) pause(); }
    setpgid(a, a);
    pid_t b = child();
    if (b == 0) { setpgid(0, a); for (;;) pause(); }
    setpgid(b, a);
    r = kill(-a, SIGTERM);
    int sa = status_of(a, 0), sb = status_of(b, 0);
    CHECK("kill(-pgid) reaches every process of the group", r == 0 && WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM
          && WIFSIGNALED(sb) && WTERMSIG(sb) == SIGTERM);
    errno = 0;
    r = kill(-a, 0);
    CHECK("kill(-pgid, 0) of an empty group: ESRCH", r == -1 && errno == ESRCH);
}

static volatile sig_atomic_t tick;
static void clobber(int sig) {
    (void)sig;
    volatile double z = 123.456;
    for (int i = 0; i < 8; i++) z = z * 1.5 + 0.25;
    tick = 1;
}

/* An asynchronous handler (SIGALRM) interrupts a loop that keeps its sum in SSE registers; the
 * handler computes with SSE too. The loop's sum must still equal its count. */
static void fpu_state(void) {
    install(SIGALRM, clobber, 0);
    tick = 0;
    alarm(1);
    double sum = 0;
    long n = 0;
    while (!tick) { sum += 1.0; n++; }
    reset(SIGALRM);
    CHECK("the FPU/SSE state survives an asynchronous handler", sum == (double)n && n > 0);
}

static double microseconds(struct timespec a, struct timespec b) {
    return (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
}

static int bench(int n) {
    install(SIGUSR1, count, 0);
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t me = getpid();
    for (int i = 0; i < n; i++) kill(me, SIGUSR1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (int i = 0; i < n; i++) getppid();
    clock_gettime(CLOCK_MONOTONIC, &t2);
    printf("sigtests bench: %d signals: %.2f us per kill -> handler -> sigreturn round trip; null call %.2f us\n",
           n, microseconds(t0, t1) / n, microseconds(t1, t2) / n);
    return hits == n ? 0 : 1;
}

/* Storm: children in one group each send SIGUSR1/SIGUSR2 to the whole group (themselves
 * included) as fast as they can for `seconds`, with SA_RESTART handlers that count, and report
 * their counts through a pipe. Each child exits 0 if it sent and received; the parent reports how
 * many did (the line the tests compare) and the totals. */
static volatile sig_atomic_t received;
static void got(int sig) { (void)sig; received++; }

static int storm(int seconds) {
    enum { N = 4 };
    pid_t kids[N];
    pid_t group = 0;
    int counts[2];
    pipe(counts);
    fflush(stdout);
    /* Ignored until each child has its handlers (the group's signals may reach it before). */
    signal(SIGUSR1, SIG_IGN);
    signal(SIGUSR2, SIG_IGN);
    for (int i = 0; i < N; i++) {
        pid_t c = fork();
        if (c == 0) {
            install(SIGUSR1, got, SA_RESTART);
            install(SIGUSR2, got, SA_RESTART);
            /* Never kill(0) from the parent's group (in the guest, init's: the servers). */
            if (setpgid(0, group) != 0) _exit(2);
            struct timespec start, now;
            clock_gettime(CLOCK_MONOTONIC, &start);
            long sent = 0;
            do {
                for (int k = 0; k < 100; k++) { kill(0, (k & 1) ? SIGUSR2 : SIGUSR1); sent++; }
                clock_gettime(CLOCK_MONOTONIC, &now);
            } while (now.tv_sec - start.tv_sec < seconds);
            /* Stop being a target before exiting, so the others' sends cannot interrupt exit. */
            signal(SIGUSR1, SIG_IGN);
            signal(SIGUSR2, SIG_IGN);
            long report[2] = {sent, (long)received};
            write(counts[1], report, sizeof report);
            _exit(sent > 0 && received > 0 ? 0 : 3);
        }
        if (i == 0) group = c;
        setpgid(c, group);
        kids[i] = c;
    }
    close(counts[1]);
    long sent = 0, received_total = 0, report[2];
    while (read(counts[0], report, sizeof report) == (ssize_t)sizeof report) { sent += report[0]; received_total += report[1]; }
    close(counts[0]);
    int good = 0;
    for (int i = 0; i < N; i++) {
        int st = status_of(kids[i], 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) good++;
        else printf("sigtests storm: child %d: status 0x%x\n", i, st);
    }
    printf("sigtests storm: %ld signals sent to the group, %ld handled\n", sent, received_total);
    printf("sigtests storm: %d of %d processes sent and received signals for %d s and exited normally\n", good, N, seconds);
    return good == N ? 0 : 1;
}

int main(int argc, char **argv) {
    self = argv[0];
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return exec_child();
    if (argc > 1 && strcmp(argv[1], "bench") == 0) return bench(argc > 2 ? atoi(argv[2]) : 20000);
    if (argc > 1 && strcmp(argv[1], "storm") == 0) return storm(argc > 2 ? atoi(argv[2]) : 3);
    handlers();
    masks();
    timers();
    restarts();
    faults();
    stop_and_continue();
    children();
    inheritance();
    groups();
    fpu_state();
    printf("sigtests: %d of %d passed\n", total - failures, total);
    return failures;
}
