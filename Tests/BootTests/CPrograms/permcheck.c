/* permcheck.c — what a process without rights gets when it reaches past the file server's and the
 * kernel's checks with raw system calls (PermissionBootTests.swift): mapping a device, a handle call
 * to the file server with a guessed handle, the same call claiming to be the kernel's, and a path
 * OPEN made directly (only the kernel opens), and the raw disk (blkd serves uid 0 only). Each line: the call, then the errno name it got (or
 * "ok"). Built with swiftvm-cc and the ABI headers (Guest/ABI/include), run as any user. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sv_syscall.h"
#include "sv_errno.h"
#include "sv_fs.h"
#include "sv_blk.h"

static int64_t sys2(int64_t n, uint64_t a, uint64_t b) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}

static const char *name(int64_t r) {
    switch (-r) {
    case SV_EPERM: return "EPERM";
    case SV_EACCES: return "EACCES";
    case SV_EINVAL: return "EINVAL";
    case SV_ESTALE: return "ESTALE";
    case SV_ENOENT: return "ENOENT";
    default: return r >= 0 ? "ok" : "other";
    }
}

/* Calls the file server with `request`; the reply's status (or the call's own error). */
static int64_t fs_call(int64_t endpoint, const void *request, uint64_t length, uint64_t lease_flags) {
    static char buffer[4096];
    struct sv_fs_reply reply;   /* sv_blk_reply's status is its first field too */
    memset(&reply, 0, sizeof reply);
    struct sv_ipc_call c = { (uint64_t)(uintptr_t)request, length, (uint64_t)(uintptr_t)&reply, sizeof reply,
                             (uint64_t)(uintptr_t)buffer, sizeof buffer, lease_flags };
    int64_t r = sys2(SV_SYS_IPC_CALL, (uint64_t)endpoint, (uint64_t)(uintptr_t)&c);
    return r < 0 ? r : reply.status;
}

int main(void) {
    printf("device_map: %s\n", name(sys2(SV_SYS_DEVICE_MAP, 0, 0)));
    int64_t fs = sys2(SV_SYS_IPC_LOOKUP, (uint64_t)(uintptr_t)SV_FS_SERVICE, 2);
    if (fs < 0) { printf("lookup fs: %s\n", name(fs)); return 1; }
    /* Every small handle number: node ids of the files others have open are among them. */
    int refused = 0, other = 0;
    for (uint64_t handle = 1; handle <= 64; handle++) {
        struct sv_fs_handle_request h;
        memset(&h, 0, sizeof h);
        h.op = SV_FS_HREAD;
        h.handle = handle;
        h.count = 16;
        int64_t r = fs_call(fs, &h, sizeof h, SV_LEASE_WRITE);
        if (r == -SV_EPERM) refused++; else other++;
    }
    printf("guessed handles refused: %d of %d\n", refused, refused + other);
    struct sv_fs_handle_request h;
    memset(&h, 0, sizeof h);
    h.op = SV_FS_HREAD;
    h.handle = 1;
    h.count = 16;
    printf("forged kernel lease: %s\n", name(fs_call(fs, &h, sizeof h, SV_LEASE_WRITE | SV_LEASE_KERNEL)));
    char open_request[sizeof(struct sv_fs_request) + 16];
    struct sv_fs_request o;
    memset(&o, 0, sizeof o);
    o.op = SV_FS_OPEN;
    memcpy(open_request, &o, sizeof o);
    memcpy(open_request + sizeof o, "/etc/passwd", 11);
    printf("direct open: %s\n", name(fs_call(fs, open_request, sizeof o + 11, 0)));
    int64_t disk = sys2(SV_SYS_IPC_LOOKUP, (uint64_t)(uintptr_t)SV_BLK_SERVICE, 5);
    if (disk < 0) { printf("lookup disk0: %s\n", name(disk)); return 1; }
    struct sv_blk_request b;
    memset(&b, 0, sizeof b);
    b.op = SV_BLK_INFO;
    printf("disk0 info: %s\n", name(fs_call(disk, &b, sizeof b, 0)));
    return 0;
}
