/* csandbox.c — the SIGSYS reporter for the seccomp sandbox (see csandbox.h). */
#define _GNU_SOURCE
#include "csandbox.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

const unsigned long csandbox_TCGETS = TCGETS, csandbox_TCSETS = TCSETS, csandbox_TIOCGWINSZ = TIOCGWINSZ,
                    csandbox_FIONBIO = FIONBIO, csandbox_PR_GET_NAME = PR_GET_NAME;

/* x86-64 numbers stay below 512; names are resolved once, before any filter is loaded. */
#define NAMES 512
static const char *names[NAMES];

/* The role of each sandboxed thread: a copy of its name, kept for the thread's lifetime. */
static __thread char role[32];

void csandbox_set_role(const char *name) {
    strncpy(role, name, sizeof role - 1);
}

static void put(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w; n -= (size_t)w;
    }
}

static void put_number(unsigned long v) {
    char digits[24];
    int i = (int)sizeof digits;
    digits[--i] = 0;
    do { digits[--i] = (char)('0' + v % 10); v /= 10; } while (v && i > 0);
    put(&digits[i]);
}

/* SAFETY: only async-signal-safe work (prctl, write, exit_group) on memory filled before any
 * filter was loaded; the process ends here, so nothing it interrupted is resumed. */
static void report(int sig, siginfo_t *info, void *context) {
    (void)sig; (void)context;
    char thread[17] = {0};
    prctl(PR_GET_NAME, (unsigned long)thread, 0, 0, 0);
    unsigned nr = (unsigned)info->si_syscall;
    put("swiftvm: the sandbox stopped the VMM: the ");
    put(role[0] ? role : "unsandboxed");
    put(" thread ('");
    put(thread);
    put("') made system call ");
    put_number(nr);
    if (nr < NAMES && names[nr]) { put(" ("); put(names[nr]); put(")"); }
    put(", which its seccomp allowlist (Sources/Sandbox/Allowlists.swift) does not allow; run with --no-sandbox to debug\n");
    syscall(SYS_exit_group, 128 + SIGSYS);
}

int csandbox_install_reporter(void) {
    for (int nr = 0; nr < NAMES; nr++)
        if (!names[nr]) names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = report;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGSYS, &action, 0) != 0) return -errno;
    /* A thread that blocked SIGSYS would be killed silently instead (the kernel forces it). */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    pthread_sigmask(SIG_UNBLOCK, &set, 0);
    return 0;
}

long csandbox_forbidden_call(void) {
    /* personality(2) with a query argument: harmless if allowed, and no thread's list has it. */
    return syscall(SYS_personality, 0xffffffffUL);
}
