/* sv_pipe.h — the pipe protocol: the messages of the pipe service "pipe" (served by piped, called
 * by UserLib's Pipes and the C library). A pipe buffers up to SV_PIPE_CAPACITY bytes; a read waits
 * while the pipe is empty and a writer may still write, a write waits while it is full (the server
 * answers such calls later). A pipe does not survive its server.
 *
 *   request:  struct sv_pipe_request (16 bytes)
 *   reply:    struct sv_pipe_reply (16 bytes): status >= 0 ok, or -errno (sv_errno.h)
 *
 *   op       pipe / end           lease                 value
 *   CREATE   -                    -                     the new pipe's id
 *   WRITE    pipe                 read: the bytes       bytes taken
 *   READ     pipe                 written: the bytes    bytes (0: the end of input)
 *   CLOSE    pipe / end           -                     -   (end: SV_PIPE_READ_END or SV_PIPE_WRITE_END)
 *
 * All integers little-endian.
 */
#ifndef SWIFTVM_PIPE_H
#define SWIFTVM_PIPE_H

#define SV_PIPE_SERVICE      "pipe"

#define SV_PIPE_CREATE       1
#define SV_PIPE_WRITE        2
#define SV_PIPE_READ         3
#define SV_PIPE_CLOSE        4

#define SV_PIPE_READ_END     0
#define SV_PIPE_WRITE_END    1

#define SV_PIPE_CAPACITY     65536
#define SV_PIPE_MAX          256   /* pipes open at once */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct sv_pipe_request {
    uint8_t  op;          /* SV_PIPE_* */
    uint8_t  end;         /* CLOSE: SV_PIPE_READ_END or SV_PIPE_WRITE_END */
    uint8_t  reserved[6]; /* 0 */
    uint64_t pipe;
};

struct sv_pipe_reply {
    int64_t  status;      /* >= 0 ok, or -errno */
    uint64_t value;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct sv_pipe_request) == 16, "pipe request layout");
_Static_assert(__builtin_offsetof(struct sv_pipe_request, end) == 1, "pipe request end");
_Static_assert(__builtin_offsetof(struct sv_pipe_request, pipe) == 8, "pipe request pipe");
_Static_assert(sizeof(struct sv_pipe_reply) == 16, "pipe reply layout");
_Static_assert(__builtin_offsetof(struct sv_pipe_reply, value) == 8, "pipe reply value");
#endif

#endif /* __ASSEMBLER__ */
#endif
