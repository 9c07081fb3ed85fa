/* csandbox.h — the C side of the VMM's seccomp sandbox (Sources/Sandbox): libseccomp itself
 * (Debian's libseccomp-dev; non-variadic entry points only, Swift cannot call the variadic ones),
 * the ioctl request codes Swift cannot spell (the _IO* macros), and the SIGSYS reporter that turns
 * a forbidden system call into one clear line on stderr and exit status 159 (128 + SIGSYS). */
#ifndef CSANDBOX_H
#define CSANDBOX_H

#include <seccomp.h>
#include <stdint.h>

/* The action for a call no rule allows: SIGSYS, so the reporter can name the call (a plain
 * SECCOMP_RET_KILL would end the process without a word). */
static const uint32_t CSANDBOX_ACT_TRAP = SCMP_ACT_TRAP;
static const uint32_t CSANDBOX_ACT_ALLOW = SCMP_ACT_ALLOW;

/* Terminal ioctls the console restores and reads (termios.h, asm-generic/ioctls.h). */
extern const unsigned long csandbox_TCGETS, csandbox_TCSETS, csandbox_TIOCGWINSZ, csandbox_FIONBIO;
/* prctl(PR_GET_NAME): the reporter reads the stopped thread's name (linux/prctl.h). */
extern const unsigned long csandbox_PR_GET_NAME;

/* Installs the process-wide SIGSYS handler once and records every system call's name for it
 * (resolved now: the handler may only use async-signal-safe calls). Returns 0 or -errno. */
int csandbox_install_reporter(void);

/* Names the calling thread's role for the reporter (the thread's own name may be the process's). */
void csandbox_set_role(const char *role);

/* Makes a forbidden call on purpose (the test-only `--sandbox-self-test`): the reporter must
 * stop the process. Returns only if the call was allowed. */
long csandbox_forbidden_call(void);

#endif
