/* exports.c — what C programs reach by a C name that Swift cannot give: data objects and a weak
 * reference (a Swift global has a mangled name; @_cdecl is for functions only). */
#include <stddef.h>
#include <stdio.h>

/* stdin, stdout, stderr (C11 7.21.1): variables C programs read directly. Their streams are
 * LibCPosix/Streams.swift's, which sets each up on first use in this zeroed storage (128 bytes a
 * stream, at least its Stream's size: Streams.swift checks) and knows them by their place in it. */
static _Alignas(16) unsigned char standard_streams[3][128];
FILE *stdin = (FILE *)standard_streams[0], *stdout = (FILE *)standard_streams[1], *stderr = (FILE *)standard_streams[2];
void *sv_standard_streams(void) { return standard_streams; }

/* errno (C11 7.5): a variable, as errno.h declares it (one thread per process). The C library's
 * Swift half (LibCPosix) cannot name a C global: it reaches it through sv_errno. */
int errno;
int *sv_errno(void) { return &errno; }

/* POSIX environ. The environment lives in the kernel (sv_syscall.h: SV_SYS_ENV_GET), not on the
 * start-up stack: LibCPosix/Environment.swift copies it here before main (crt1's sv_libc_start)
 * and again after each setenv, unsetenv and putenv. */
static char *no_variables[1];
char **environ = no_variables;
char ***sv_environ(void) { return &environ; }

/* getopt's state (XSH getopt): variables programs read and set; LibCPosix/Getopt.swift. optopt
 * starts as '?', as glibc's does. */
char *optarg;
int optind = 1, opterr = 1, optopt = '?';
char **sv_getopt_optarg(void) { return &optarg; }
int *sv_getopt_optind(void) { return &optind; }
int *sv_getopt_opterr(void) { return &opterr; }
int *sv_getopt_optopt(void) { return &optopt; }

/* <readline/readline.h>: the program's name for GNU readline's inputrc (LibCPosix/Readline.swift
 * reads no inputrc, so it is only kept). */
const char *rl_readline_name = "other";

/* The program's own dynamic section: ld.lld defines _DYNAMIC when swiftvm-cc links a program
 * with -E (--export-dynamic), and a weak undefined reference is 0 otherwise. dlopen binds shared
 * objects to the symbols it lists (LibCPosix/DynamicLoading.swift). */
extern const char _DYNAMIC[] __attribute__((weak, visibility("hidden")));
const void *sv_program_dynamic(void) { return _DYNAMIC; }
