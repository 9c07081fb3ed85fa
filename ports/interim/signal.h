/* ports/interim/signal.h — INTERIM, for ports only, until the C library's own <signal.h> (the
 * signals work, issue 11 §2) is on main: ports/lib.sh puts this directory on the include path only
 * when the sysroot has no signal.h, so it drops out by itself. It declares what the ports name
 * (awk installs a SIGFPE handler) and makes installing a handler do nothing: no signal is ever
 * delivered to the program through it. Not a patch to any port: their sources stay unmodified.
 * (Lua's interpreter installs a SIGINT handler with sigaction: also a no-op here.) */
#ifndef _SIGNAL_H
#define _SIGNAL_H
typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGABRT 6
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
typedef unsigned long sigset_t;
struct sigaction { sighandler_t sa_handler; sigset_t sa_mask; int sa_flags; };
#define signal(number, handler) ((void)(number), (void)(handler), SIG_DFL)
#define sigemptyset(set) (*(set) = 0, 0)
#define sigaction(number, action, old) ((void)(number), (void)(action), (void)(old), 0)
#endif
