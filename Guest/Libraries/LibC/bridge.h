/* bridge.h — what the C library asks of UserLib (Swift, UserLib/CBridge.swift): the file service
 * with its retry-on-restart logic, path resolution against PWD, stdout with redirection, the
 * environment, and the heap. The C library's Swift half (LibCPosix) declares these with
 * @_extern(c); this header is their C statement. */
#ifndef SV_LIBC_BRIDGE_H
#define SV_LIBC_BRIDGE_H
#include <stddef.h>
#include <stdint.h>
#include "sv_syscall.h"
#include "sv_fs.h"

/* One file-service call (op, flags and kinds: SV_FS_* of sv_fs.h); 0 and result = {value, size,
 * kind}, or -errno. */
int sv_fs_call(int op, const char *path, uint64_t a, uint64_t b, int flags,
               void *lease, size_t lease_length, int lease_flags, uint64_t result[3]);
/* `path` made absolute against PWD, "." and ".." resolved; its length, or -ENAMETOOLONG. */
long sv_path_absolute(const char *path, char *out, size_t capacity);
/* Standard output as Swift programs have it (the console, or SV_STDOUT's file). */
void sv_stdout_write(const void *buffer, size_t length);
void sv_stdout_flush(void);
/* The value's length (copied, NUL-terminated, if it fits), or -1 if unset. */
long sv_env_get(const char *name, char *out, size_t capacity);
/* Sets (value != NULL) or removes a variable; 0, or -E2BIG. */
int sv_env_set(const char *name, const char *value);
/* every NAME=value\0 in order; the length, the bytes only when they fit */
long sv_env_block(unsigned char *out, size_t capacity);
size_t sv_user_heap_usable_size(void *p);
/* Reads from a pipe (UserLib/Pipes.swift): bytes, 0 at the end of input, or -errno. */
long sv_pipe_read(uint64_t pipe, void *buffer, size_t length);
int posix_memalign(void **result, size_t alignment, size_t size);
void sv_user_exit(int status) __attribute__((noreturn));
/* execve through UserLib (ELF from the filesystem, #! scripts, the exec bit; PATH if `search`):
 * returns -errno, only on failure. envp NULL: this process's environment. */
int sv_execve(const char *path, char *const argv[], char *const envp[], int search);
#endif
