/* sv_tty.h — the terminal contract: Linux's `struct termios` as the kernel's TCGETS/TCSETS move it
 * (asm-generic/termbits.h: four tcflag_t, c_line, c_cc[19]; 36 bytes, no speeds), its flag and
 * c_cc values, `struct winsize`, and the ioctl request numbers (asm-generic/ioctls.h, x86-64).
 * Read by the line discipline (Libraries/Terminal), the terminal server and the C library, so a
 * program built for Linux's values means the same thing here.
 */
#ifndef SWIFTVM_TTY_H
#define SWIFTVM_TTY_H

/* ioctl requests (asm-generic/ioctls.h) */
#define SV_TCGETS        0x5401
#define SV_TCSETS        0x5402
#define SV_TCSETSW       0x5403
#define SV_TCSETSF       0x5404
#define SV_TIOCSCTTY     0x540E
#define SV_TIOCGPGRP     0x540F
#define SV_TIOCSPGRP     0x5410
#define SV_TIOCOUTQ      0x5411
#define SV_TIOCGWINSZ    0x5413
#define SV_TIOCSWINSZ    0x5414
#define SV_FIONREAD      0x541B
#define SV_TIOCNOTTY     0x5422

/* c_cc indices (asm-generic/termbits.h) */
#define SV_NCCS          19
#define SV_VINTR         0
#define SV_VQUIT         1
#define SV_VERASE        2
#define SV_VKILL         3
#define SV_VEOF          4
#define SV_VTIME         5
#define SV_VMIN          6
#define SV_VSWTC         7
#define SV_VSTART        8
#define SV_VSTOP         9
#define SV_VSUSP         10
#define SV_VEOL          11
#define SV_VREPRINT      12
#define SV_VDISCARD      13
#define SV_VWERASE       14
#define SV_VLNEXT        15
#define SV_VEOL2         16
/* a c_cc entry of this value is disabled (_POSIX_VDISABLE on Linux) */
#define SV_VDISABLE      0

/* c_iflag */
#define SV_IGNBRK        0000001
#define SV_BRKINT        0000002
#define SV_IGNPAR        0000004
#define SV_PARMRK        0000010
#define SV_INPCK         0000020
#define SV_ISTRIP        0000040
#define SV_INLCR         0000100
#define SV_IGNCR         0000200
#define SV_ICRNL         0000400
#define SV_IUCLC         0001000
#define SV_IXON          0002000
#define SV_IXANY         0004000
#define SV_IXOFF         0010000
#define SV_IMAXBEL       0020000
#define SV_IUTF8         0040000

/* c_oflag */
#define SV_OPOST         0000001
#define SV_OLCUC         0000002
#define SV_ONLCR         0000004
#define SV_OCRNL         0000010
#define SV_ONOCR         0000020
#define SV_ONLRET        0000040
#define SV_TABDLY        0014000
#define SV_XTABS         0014000

/* c_cflag */
#define SV_CBAUD         0010017
#define SV_B38400        0000017
#define SV_CSIZE         0000060
#define SV_CS8           0000060
#define SV_CREAD         0000200
#define SV_HUPCL         0002000
#define SV_CLOCAL        0004000

/* c_lflag */
#define SV_ISIG          0000001
#define SV_ICANON        0000002
#define SV_ECHO          0000010
#define SV_ECHOE         0000020
#define SV_ECHOK         0000040
#define SV_ECHONL        0000100
#define SV_NOFLSH        0000200
#define SV_TOSTOP        0000400
#define SV_ECHOCTL       0001000
#define SV_ECHOPRT       0002000
#define SV_ECHOKE        0004000
#define SV_IEXTEN        0100000

/* The terminal protocol: the service "tty" (served by ttyd, Servers/ttyd). The kernel forwards a
 * terminal descriptor's calls there as sv_fs.h handle calls (OPEN with the path, HREAD, HWRITE, HSTAT,
 * HCLOSE; the handle names the terminal: SV_TTY_HANDLE_CONSOLE) and ioctl(2) as SV_TTY_IOCTL:
 *   struct sv_fs_handle_request { op = SV_TTY_IOCTL, handle, offset = the request, count = arg's
 *   value for requests that take an int (TIOCSCTTY), else 0 }, the lease = arg's struct:
 *     TCGETS (written, 36)  TCSETS/W/F (read, 36)  TIOCGWINSZ (written, 8)  TIOCSWINSZ (read, 8)
 *     TIOCGPGRP, FIONREAD, TIOCOUTQ (written, 4)  TIOCSPGRP (read, 4)  TIOCSCTTY, TIOCNOTTY (none)
 *   reply: struct sv_fs_reply, value = ioctl's result.
 * Input comes from the kernel as a notice (caller SV_IPC_CALLER_KERNEL): SV_TTY_INPUT, then the bytes
 * (at most SV_TTY_INPUT_MAX) — the console device's input once the server attached it
 * (SV_SYS_CONSOLE_ATTACH). HSTAT replies carry the device number in sv_fs_attributes.rdev. */
#define SV_TTY_SERVICE          "tty"
#define SV_TTY_IOCTL            64
#define SV_TTY_INPUT            65
#define SV_TTY_INPUT_MAX        240
#define SV_TTY_HANDLE_CONSOLE   1
#define SV_TTY_RDEV_CONSOLE     0x501   /* Linux's /dev/console: major 5, minor 1 (a plain number: Swift imports it) */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The header of an SV_TTY_INPUT notice; the bytes follow. */
struct sv_tty_input {
    uint8_t  op;          /* SV_TTY_INPUT */
    uint8_t  reserved[7]; /* 0 */
};

/* What TCGETS fills and TCSETS* read: Linux's kernel `struct termios` (not glibc's, which adds
 * speeds and pads c_cc to 32). */
struct sv_termios {
    uint32_t c_iflag;
    uint32_t c_oflag;
    uint32_t c_cflag;
    uint32_t c_lflag;
    uint8_t  c_line;
    uint8_t  c_cc[SV_NCCS];
};

/* TIOCGWINSZ / TIOCSWINSZ */
struct sv_winsize {
    uint16_t ws_row;
    uint16_t ws_col;
    uint16_t ws_xpixel;
    uint16_t ws_ypixel;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct sv_termios) == 36, "termios layout");
_Static_assert(__builtin_offsetof(struct sv_termios, c_line) == 16, "termios c_line");
_Static_assert(__builtin_offsetof(struct sv_termios, c_cc) == 17, "termios c_cc");
_Static_assert(sizeof(struct sv_winsize) == 8, "winsize layout");
#endif

#endif /* __ASSEMBLER__ */
#endif
