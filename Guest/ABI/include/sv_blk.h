/* sv_blk.h — the block protocol: the messages of the block service "disk0" (served by blkd, the
 * virtio-blk driver process; called by fsd's RemoteBlocks). Blocks are SV_BLK_BLOCK_SIZE bytes;
 * data moves through the caller's lease. Every call is idempotent (the same blocks, the same data),
 * so a client whose call was cut off by a driver restart (EPIPE) simply repeats it.
 *
 *   request:  struct sv_blk_request (24 bytes)
 *   reply:    struct sv_blk_reply (16 bytes): status >= 0 ok, or -errno (sv_errno.h)
 *
 *   op      block / count        lease                       value
 *   INFO    -                    -                           the disk's size in blocks
 *   READ    first / blocks       written: the blocks         blocks read
 *   WRITE   first / blocks       read: the blocks            blocks written
 *   FLUSH   -                    -                           - (every completed write is durable)
 *
 * A READ or WRITE moves at most SV_BLK_MAX_BLOCKS (larger transfers are split by the client).
 * All integers little-endian.
 */
#ifndef SWIFTVM_BLK_H
#define SWIFTVM_BLK_H

#define SV_BLK_SERVICE       "disk0"

#define SV_BLK_INFO          1
#define SV_BLK_READ          2
#define SV_BLK_WRITE         3
#define SV_BLK_FLUSH         4

#define SV_BLK_BLOCK_SIZE    4096
#define SV_BLK_MAX_BLOCKS    256

#ifndef __ASSEMBLER__
#include <stdint.h>

struct sv_blk_request {
    uint8_t  op;          /* SV_BLK_* */
    uint8_t  reserved[7]; /* 0 */
    uint64_t block;
    uint64_t count;
};

struct sv_blk_reply {
    int64_t  status;      /* >= 0 ok, or -errno */
    uint64_t value;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct sv_blk_request) == 24, "block request layout");
_Static_assert(__builtin_offsetof(struct sv_blk_request, block) == 8, "block request block");
_Static_assert(__builtin_offsetof(struct sv_blk_request, count) == 16, "block request count");
_Static_assert(sizeof(struct sv_blk_reply) == 16, "block reply layout");
_Static_assert(__builtin_offsetof(struct sv_blk_reply, value) == 8, "block reply value");
#endif

#endif /* __ASSEMBLER__ */
#endif
