/* termraw.c — a C program on the terminal through termios.h and sys/ioctl.h, as an editor or a
 * line-editing shell uses them: the window size (TIOCGWINSZ), raw mode (tcgetattr, cfmakeraw,
 * tcsetattr TCSAFLUSH), single keys read one at a time, the terminal's other calls (tcgetpgrp,
 * tcdrain, tcflush, tcflow, tcsendbreak), and the modes restored (TCSADRAIN) exactly as they were.
 * CLibraryTests types at it through the guest's terminal server.
 *   termraw N     read N keys in raw mode */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    if (!ok) { printf("FAIL %s (errno %d)\n", what, errno); failures++; }
}

int main(int argc, char **argv) {
    int keys = argc > 1 ? atoi(argv[1]) : 3;
    struct termios saved, raw, now;
    struct winsize ws;
    check(isatty(0) == 1 && isatty(1) == 1, "isatty");
    check(tcgetattr(0, &saved) == 0, "tcgetattr");
    check((saved.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG), "canonical mode at start");
    check(ioctl(0, TIOCGWINSZ, &ws) == 0, "TIOCGWINSZ");
    printf("window %d rows %d columns\n", ws.ws_row, ws.ws_col);
    /* The foreground group: this process's own group made it (tcsetpgrp) and read back
     * (tcgetpgrp); then the one there was before, if there was one, given back. */
    pid_t foreground = tcgetpgrp(0);
    check(foreground >= 0, "tcgetpgrp");
    check(tcsetpgrp(0, getpgrp()) == 0 && tcgetpgrp(0) == getpgrp(), "tcsetpgrp to this process's group");
    if (foreground > 0) check(tcsetpgrp(0, foreground) == 0 && tcgetpgrp(0) == foreground, "tcsetpgrp back");
    check(tcdrain(1) == 0, "tcdrain");
    check(tcsendbreak(1, 0) == 0, "tcsendbreak");
    errno = 0;
    check(tcflow(1, TCOOFF) == -1 && errno == EINVAL, "tcflow: no flow control");
    raw = saved;
    cfmakeraw(&raw);
    check(tcsetattr(0, TCSAFLUSH, &raw) == 0, "tcsetattr raw");
    check(tcgetattr(0, &now) == 0 && (now.c_lflag & (ICANON | ECHO | ISIG)) == 0 && (now.c_iflag & ICRNL) == 0
          && (now.c_oflag & OPOST) == 0 && now.c_cc[VMIN] == 1 && now.c_cc[VTIME] == 0, "raw mode took");
    check(tcflush(0, TCIFLUSH) == 0, "tcflush");
    printf("raw ready\n");
    for (int i = 0; i < keys; i++) {
        unsigned char c = 0;
        ssize_t n = read(0, &c, 1);
        printf("key %zd %02x\n", n, c);
    }
    check(tcsetattr(0, TCSADRAIN, &saved) == 0, "tcsetattr restore");
    check(tcgetattr(0, &now) == 0 && now.c_iflag == saved.c_iflag && now.c_oflag == saved.c_oflag
          && now.c_cflag == saved.c_cflag && now.c_lflag == saved.c_lflag
          && memcmp(now.c_cc, saved.c_cc, NCCS) == 0, "modes restored");
    printf(failures ? "failed\n" : "restored\n");
    return failures != 0;
}
