/* sv_fs.h — the file protocol: the messages of the file service "fs" (served by fsd). Two halves:
 *  - path calls (STAT … STATISTICS), made by processes (UserLib's Files): stateless, so a client
 *    may repeat one to a restarted server;
 *  - handle calls (OPEN … HREADDIR), made only by the kernel for file descriptors (the message
 *    carries SV_LEASE_KERNEL; a server refuses them otherwise with EPERM). OPEN's handle is the
 *    file's node id, stable on disk, so a restarted server answers the same handles; the kernel
 *    holds the offsets and repeats a call cut off by the server's death. HCLOSE is a notice
 *    (caller SV_IPC_CALLER_KERNEL, no reply) when the last descriptor of an OPEN goes; a new
 *    server learns which handles are still open from ipc_handles (sv_syscall.h). docs/FILES.md.
 * Every change is committed before its reply: what a client was told is done is never lost.
 * Requests and replies travel in an IPC message (sv_syscall.h), data in the lease.
 *
 *   request:  struct sv_fs_request (24 bytes), then the path (at most SV_FS_PATH_MAX bytes, no NUL)
 *   reply:    struct sv_fs_reply (32 bytes): status >= 0 ok, or -errno (sv_errno.h)
 *
 *   op                path        a / b            lease                         value        size / kind
 *   STAT              path        -                -                             -            size / kind
 *   LIST              directory   -                written: "k name\n"...        bytes        total bytes needed
 *   READ              file        offset / count   written: the data             bytes read   -
 *   WRITE             file        offset           read: the data                bytes        - (flags: CREATE,
 *                                                                                              TRUNCATE; at most
 *                                                                                              SV_FS_WRITE_MAX a call)
 *   MKDIR             dir         mode (flags: MODE) -
 *   UNLINK, RMDIR     path        -                -
 *   RENAME            from        -                read: the new path
 *   TRUNCATE          file        size
 *   CHECK             -           -                written: the report           problems     report bytes
 *   SNAPSHOT          name        -                -                                          (creates; commits)
 *   DELETE_SNAPSHOT   name        -                -
 *   SNAPSHOTS         -           -                written: "generation name\n"... bytes      total bytes needed
 *   STATISTICS        -           -                -                             free blocks  total blocks (4 KiB)
 *
 *   OPEN              path        O_* flags / mode -                             handle       size / kind
 *   SETATTR           path        mode / mtime ns  (flags: SET_MODE, SET_TIMES: which to change; SET_OWNER: a = uid | gid << 32)
 * Every call is judged by the caller's identity as the kernel stamped it (sv_ipc_identity): fsd
 * enforces the mode bits, owner and group (EACCES, EPERM: docs/SECURITY.md); new nodes get the
 * caller's effective ids and the mode asked for less its umask.
 *   HREAD, HWRITE, HSTAT, HTRUNCATE, HSYNC, HCLOSE, HREADDIR: struct sv_fs_handle_request, no path:
 *   HREAD             handle      offset / count   written: the data             bytes read   -
 *   HWRITE            handle      offset (flags: APPEND: at the end)   read: the data   bytes   size after
 *   HSTAT             handle      -                -                             -            size / kind, + attributes
 *   HTRUNCATE         handle      size
 *   HSYNC             handle      -                (durable before the reply)
 *   HCLOSE            handle      -                (a notice: no reply)
 *   HREADDIR          handle      cookie / -       written: struct sv_dirent records  bytes  next cookie
 * STAT and HSTAT replies are followed by struct sv_fs_attributes.
 *
 * In a LIST line, k is the entry's kind letter: SV_FS_LETTER_FILE, _DIRECTORY or _SYMLINK.
 * A path "/@NAME/..." reads inside snapshot NAME (stat, list, read); changing it is EROFS.
 * All integers little-endian (the machine's order: every side is x86-64).
 */
#ifndef SWIFTVM_FS_H
#define SWIFTVM_FS_H

#define SV_FS_SERVICE            "fs"

#define SV_FS_STAT               1
#define SV_FS_LIST               2
#define SV_FS_READ               3
#define SV_FS_WRITE              4
#define SV_FS_MKDIR              5
#define SV_FS_UNLINK             6
#define SV_FS_RMDIR              7
#define SV_FS_RENAME             8
#define SV_FS_TRUNCATE           9
#define SV_FS_CHECK              10
#define SV_FS_SNAPSHOT           11
#define SV_FS_DELETE_SNAPSHOT    12
#define SV_FS_SNAPSHOTS          13
#define SV_FS_STATISTICS         14
#define SV_FS_OPEN               15
#define SV_FS_HREAD              16
#define SV_FS_HWRITE             17
#define SV_FS_HSTAT              18
#define SV_FS_HTRUNCATE          19
#define SV_FS_HSYNC              20
#define SV_FS_HCLOSE             21
#define SV_FS_HREADDIR           22
#define SV_FS_SETATTR            23   /* a path call: flags SV_FS_SET_MODE (a = permission bits),
                                       * SV_FS_SET_TIMES (b = modification time, ns since 1970) */
#define SV_FS_HCANCEL            24   /* a notice from the kernel: the call of thread `offset` on
                                       * `handle` was given up (a signal interrupted the caller's read
                                       * of a device); forget it — its reply, if one comes, is discarded */

/* sv_fs_request.flags (SETATTR) */
#define SV_FS_SET_MODE           1
#define SV_FS_SET_TIMES          2
#define SV_FS_SET_OWNER          4   /* a = uid | gid << 32, 0xffffffff for "leave it" (chown; alone, not with the others) */
/* sv_fs_request.flags (MKDIR) */
#define SV_FS_FLAG_MODE          8   /* a = the new directory's permission bits (without: 0777); less the caller's umask */
/* sv_fs_request.flags (WRITE) */
#define SV_FS_FLAG_CREATE        1   /* make the file if it is missing */
#define SV_FS_FLAG_TRUNCATE      2   /* empty it first */
/* sv_fs_handle_request.flags (HWRITE) */
#define SV_FS_FLAG_APPEND        4   /* write at the end (O_APPEND) */

/* sv_fs_reply.kind */
#define SV_FS_KIND_NONE          0
#define SV_FS_KIND_FILE          1
#define SV_FS_KIND_DIRECTORY     2
#define SV_FS_KIND_SYMLINK       3
#define SV_FS_KIND_DEVICE        4   /* OPEN's reply: a device whose reads may wait without bound (a
                                      * terminal): a caught signal interrupts them (POSIX's "slow
                                      * devices"), where a file's read, like a disk wait, finishes */

/* LIST: the kind letter that starts each line */
#define SV_FS_LETTER_FILE        0x66   /* 'f' (numbers, not character literals: Swift imports these) */
#define SV_FS_LETTER_DIRECTORY   0x64   /* 'd' */
#define SV_FS_LETTER_SYMLINK     0x6c   /* 'l' */

#define SV_FS_PATH_MAX           232       /* SV_IPC_MESSAGE_MAX - sizeof(struct sv_fs_request) */
#define SV_FS_WRITE_MAX          1048576   /* the most one WRITE changes (1 MiB: a short write beyond) */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct sv_fs_request {
    uint8_t  op;          /* SV_FS_* */
    uint8_t  flags;       /* SV_FS_FLAG_* */
    uint16_t reserved0;   /* 0 */
    uint32_t reserved1;   /* 0 */
    uint64_t a;
    uint64_t b;
    /* the path follows */
};

struct sv_fs_handle_request {
    uint8_t  op;          /* SV_FS_H* */
    uint8_t  flags;       /* SV_FS_FLAG_APPEND */
    uint16_t reserved0;   /* 0 */
    uint32_t reserved1;   /* 0 */
    uint64_t handle;
    uint64_t offset;      /* or the size (HTRUNCATE), or the cookie (HREADDIR) */
    uint64_t count;
};

struct sv_fs_attributes {
    uint64_t inode;
    uint32_t mode;        /* S_IF* | permissions */
    uint32_t links;
    uint32_t uid, gid;
    int64_t  atime_sec, mtime_sec, ctime_sec;
    uint32_t atime_nsec, mtime_nsec, ctime_nsec;
    uint32_t rdev;        /* a character device's st_rdev (the terminal server); 0 for files */
    uint64_t blocks;      /* 512-byte units, as st_blocks */
};

struct sv_fs_reply {
    int64_t  status;      /* >= 0 ok, or -errno */
    uint64_t value;
    uint64_t size;
    uint8_t  kind;        /* SV_FS_KIND_* */
    uint8_t  reserved[7]; /* 0 */
};

#ifndef __cplusplus
_Static_assert(sizeof(struct sv_fs_request) == 24, "fs request layout");
_Static_assert(__builtin_offsetof(struct sv_fs_request, flags) == 1, "fs request flags");
_Static_assert(__builtin_offsetof(struct sv_fs_request, a) == 8, "fs request a");
_Static_assert(__builtin_offsetof(struct sv_fs_request, b) == 16, "fs request b");
_Static_assert(sizeof(struct sv_fs_reply) == 32, "fs reply layout");
_Static_assert(__builtin_offsetof(struct sv_fs_reply, value) == 8, "fs reply value");
_Static_assert(__builtin_offsetof(struct sv_fs_reply, size) == 16, "fs reply size");
_Static_assert(__builtin_offsetof(struct sv_fs_reply, kind) == 24, "fs reply kind");
_Static_assert(sizeof(struct sv_fs_handle_request) == 32, "fs handle request layout");
_Static_assert(__builtin_offsetof(struct sv_fs_handle_request, handle) == 8, "fs handle request handle");
_Static_assert(__builtin_offsetof(struct sv_fs_handle_request, count) == 24, "fs handle request count");
_Static_assert(sizeof(struct sv_fs_attributes) == 72, "fs attributes layout");
_Static_assert(__builtin_offsetof(struct sv_fs_attributes, atime_sec) == 24, "fs attributes times");
_Static_assert(__builtin_offsetof(struct sv_fs_attributes, blocks) == 64, "fs attributes blocks");
_Static_assert(SV_FS_PATH_MAX + sizeof(struct sv_fs_request) == 256, "path fills an IPC message");
#endif

#endif /* __ASSEMBLER__ */
#endif
