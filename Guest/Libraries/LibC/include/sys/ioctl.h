/* sys/ioctl.h — ioctl(2) and the terminal requests (Linux's x86-64 numbers, asm-generic/ioctls.h;
 * struct winsize as glibc's). ioctl is system call 70 (sv_syscall.h): the kernel forwards a
 * terminal descriptor's request to the terminal server with the argument's struct as the lease,
 * and answers ENOTTY for any other descriptor or a request it does not know (docs/TERMINAL.md).
 * The requests the terminal server answers: TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ,
 * TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, TIOCNOTTY, FIONREAD, TIOCOUTQ. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H
struct winsize {
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};
#define TCGETS      0x5401
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TCSBRK      0x5409
#define TCXONC      0x540A
#define TCFLSH      0x540B
#define TIOCSCTTY   0x540E
#define TIOCGPGRP   0x540F
#define TIOCSPGRP   0x5410
#define TIOCOUTQ    0x5411
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414
#define FIONREAD    0x541B
#define TIOCINQ     FIONREAD
#define TIOCNOTTY   0x5422
int ioctl(int fd, unsigned long request, ...);
#endif
