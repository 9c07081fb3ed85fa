/* signal.c — signals, process groups and sessions for C programs (XSH <signal.h>, <unistd.h>):
 * wrappers of the kernel's calls (sv_syscall.h 15, 53–62) that set errno. sigaction always passes
 * the restorer (sigrestore.S), which x86-64 requires (docs/SIGNALS.md). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bridge.h"
#include "sv_user.h"

void __sv_restore_rt(void);

static long result(int64_t r) {
    if (r < 0) { errno = (int)-r; return -1; }
    return (long)r;
}

int sigaction(int sig, const struct sigaction *restrict action, struct sigaction *restrict old) {
    struct sv_sigaction new_action, old_action;
    if (action) {
        new_action.handler = (uint64_t)action->sa_handler;
        new_action.flags = (uint64_t)(unsigned)action->sa_flags | SA_RESTORER;
        new_action.restorer = (uint64_t)__sv_restore_rt;
        new_action.mask = action->sa_mask;
    }
    long r = result(sv_syscall3(SV_SYS_SIGACTION, (uint64_t)(int64_t)sig, action ? (uint64_t)&new_action : 0,
                                old ? (uint64_t)&old_action : 0));
    if (r < 0) return -1;
    if (old) {
        memset(old, 0, sizeof *old);
        old->sa_handler = (void (*)(int))old_action.handler;
        old->sa_mask = old_action.mask;
        old->sa_flags = (int)(old_action.flags & ~(uint64_t)SA_RESTORER);
        old->sa_restorer = 0;
    }
    return 0;
}

/* signal(): BSD semantics as glibc gives them (SA_RESTART, the handler stays installed). */
sighandler_t signal(int sig, sighandler_t handler) {
    struct sigaction a, old;
    memset(&a, 0, sizeof a);
    a.sa_handler = handler;
    a.sa_flags = SA_RESTART;
    sigemptyset(&a.sa_mask);
    if (sigaction(sig, &a, &old) < 0) return SIG_ERR;
    return old.sa_handler;
}

static int valid(int sig) { return sig >= 1 && sig < NSIG; }

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = ~0ul; return 0; }
int sigaddset(sigset_t *set, int sig) {
    if (!valid(sig)) { errno = EINVAL; return -1; }
    *set |= 1ul << (sig - 1);
    return 0;
}
int sigdelset(sigset_t *set, int sig) {
    if (!valid(sig)) { errno = EINVAL; return -1; }
    *set &= ~(1ul << (sig - 1));
    return 0;
}
int sigismember(const sigset_t *set, int sig) {
    if (!valid(sig)) { errno = EINVAL; return -1; }
    return (*set >> (sig - 1)) & 1;
}

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old) {
    return (int)result(sv_syscall3(SV_SYS_SIGPROCMASK, (uint64_t)(int64_t)how, (uint64_t)set, (uint64_t)old));
}

/* One thread per process: the thread's mask is the process's. Returns the error, as POSIX says. */
int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old) {
    int64_t r = sv_syscall3(SV_SYS_SIGPROCMASK, (uint64_t)(int64_t)how, (uint64_t)set, (uint64_t)old);
    return r < 0 ? (int)-r : 0;
}

int sigpending(sigset_t *set) { return (int)result(sv_syscall1(SV_SYS_SIGPENDING, (uint64_t)set)); }

int sigsuspend(const sigset_t *mask) {
    sv_stdout_flush();
    return (int)result(sv_syscall1(SV_SYS_SIGSUSPEND, (uint64_t)mask));
}

int pause(void) {
    sv_stdout_flush();
    return (int)result(sv_syscall1(SV_SYS_SIGSUSPEND, 0));
}

int kill(pid_t pid, int sig) {
    /* A signal may end this process before it prints again: what it printed goes out first. */
    sv_stdout_flush();
    return (int)result(sv_syscall2(SV_SYS_KILL, (uint64_t)(int64_t)pid, (uint64_t)(int64_t)sig));
}

int raise(int sig) { return kill(getpid(), sig); }

int killpg(pid_t group, int sig) {
    if (group < 0) { errno = EINVAL; return -1; }
    return kill(-group, sig);
}

/* alarm(): the seconds the previous alarm had left, rounded to the nearest (at least 1), as Linux. */
unsigned alarm(unsigned seconds) {
    int64_t left = sv_syscall1(SV_SYS_ALARM, (uint64_t)seconds * 1000000000u);
    if (left <= 0) return 0;
    unsigned s = (unsigned)((left + 500000000) / 1000000000);
    return s ? s : 1;
}

int setpgid(pid_t pid, pid_t pgid) {
    return (int)result(sv_syscall2(SV_SYS_SETPGID, (uint64_t)(int64_t)pid, (uint64_t)(int64_t)pgid));
}
pid_t getpgid(pid_t pid) { return (pid_t)result(sv_syscall1(SV_SYS_GETPGID, (uint64_t)(int64_t)pid)); }
pid_t getpgrp(void) { return getpgid(0); }
int setpgrp(void) { return setpgid(0, 0); }
pid_t setsid(void) { return (pid_t)result(sv_syscall0(SV_SYS_SETSID)); }
pid_t getsid(pid_t pid) { return (pid_t)result(sv_syscall1(SV_SYS_GETSID, (uint64_t)(int64_t)pid)); }

/* glibc's descriptions (sysdeps/generic/siglist.h), so messages match the host's. */
static const char *const descriptions[] = {
    0, "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted", "Bus error",
    "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
    "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued", "Stopped (signal)",
    "Stopped", "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded",
    "File size limit exceeded", "Virtual timer expired", "Profiling timer expired", "Window changed",
    "I/O possible", "Power failure", "Bad system call",
};

char *strsignal(int sig) {
    static char unknown[32];
    if (sig >= 1 && sig <= 31) return (char *)descriptions[sig];
    /* glibc keeps 32 and 33 for its threads: its real-time signals start at 34. */
    if (sig >= 34 && sig <= 64) snprintf(unknown, sizeof unknown, "Real-time signal %d", sig - 34);
    else snprintf(unknown, sizeof unknown, "Unknown signal %d", sig);
    return unknown;
}

void psignal(int sig, const char *message) {
    if (message && *message) fprintf(stderr, "%s: %s\n", message, strsignal(sig));
    else fprintf(stderr, "%s\n", strsignal(sig));
}

void psiginfo(const siginfo_t *info, const char *message) { psignal(info->si_signo, message); }
