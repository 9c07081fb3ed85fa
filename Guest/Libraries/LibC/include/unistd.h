/* unistd.h — the POSIX calls this C library offers (files through the file server). */
#ifndef _UNISTD_H
#define _UNISTD_H
#include <sys/types.h>
#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
extern char **environ;
/* getopt (XSH), with GNU's argument permutation, "::" and "W;" (LibCPosix/Getopt.swift). */
extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char *const argv[], const char *optstring);
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
off_t lseek(int fd, off_t offset, int whence);
int close(int fd);
int unlink(const char *path);
int rmdir(const char *path);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int ftruncate(int fd, off_t length);
int truncate(const char *path, off_t length);
int fsync(int fd);
/* fdatasync is fsync: the file server makes everything written durable, data and metadata. */
int fdatasync(int fd);
int isatty(int fd);
int access(const char *path, int mode);
pid_t getpid(void);
pid_t getppid(void);
unsigned sleep(unsigned seconds);
int pause(void);
unsigned alarm(unsigned seconds);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
int setpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t pid);
int usleep(unsigned long microseconds);
pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int dup(int fd);
int dup2(int fd, int target);
ssize_t pread(int fd, void *buf, size_t count, off_t offset);
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);
_Noreturn void _exit(int status);
/* Users: the kernel's real, effective and saved ids (POSIX rules: only root sets arbitrary ids);
 * chown is judged by the file server (root: any owner; the owner: one of its own groups). */
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
int setuid(uid_t uid);
int setgid(gid_t gid);
int seteuid(uid_t uid);
int setegid(gid_t gid);
int setreuid(uid_t ruid, uid_t euid);
int setregid(gid_t rgid, gid_t egid);
int getgroups(int size, gid_t list[]);
int setgroups(size_t size, const gid_t *list);   /* Linux declares it in <grp.h>, with _DEFAULT_SOURCE */
int chown(const char *path, uid_t owner, gid_t group);
int lchown(const char *path, uid_t owner, gid_t group);
int fchown(int fd, uid_t owner, gid_t group);
/* Symbolic links: the file system has none. readlink of an existing path fails with EINVAL (not
 * a link), symlink with EPERM (not supported by the file system, as Linux says for one without). */
ssize_t readlink(const char *restrict path, char *restrict buf, size_t size);
int symlink(const char *target, const char *path);
/* sysconf: the values this system has (LibCPosix/SystemConfiguration.swift); EINVAL for a name it
 * does not know. glibc's numbering. */
long sysconf(int name);
int getpagesize(void);
/* The terminal's foreground process group (termios.h, LibCPosix/Terminal.swift). */
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
#define _SC_ARG_MAX 0
#define _SC_CHILD_MAX 1
#define _SC_CLK_TCK 2
#define _SC_OPEN_MAX 4
#define _SC_PAGESIZE 30
#define _SC_PAGE_SIZE _SC_PAGESIZE
#define _SC_NPROCESSORS_CONF 83
#define _SC_NPROCESSORS_ONLN 84
#define _SC_PHYS_PAGES 85
#define _SC_AVPHYS_PAGES 86
#define F_OK 0
#define R_OK 4
#define W_OK 2
#define X_OK 1
#endif
