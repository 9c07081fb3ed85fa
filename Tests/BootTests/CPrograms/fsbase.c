/* fsbase.c — each process's FS base (the x86-64 TLS ABI's thread pointer) is its own: the TCB the
 * kernel gives every program (%fs:0 holds its own address, %fs:0x28 a random stack-protector
 * canary with a zero low byte), arch_prctl(ARCH_SET_FS/ARCH_GET_FS), fork keeping it, exec giving
 * a fresh one, and two processes with different FS bases taking turns through a pipe without
 * disturbing each other. Prints one line per check and "done"; exits 1 at the first failure.
 * Built by swiftvm-cc for the guest (PortsBootTests); the host's glibc run is not compared, since
 * the values are the kernel's. */
#include <asm/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t fs_word(int offset) {
    uint64_t v;
    __asm__ volatile("mov %%fs:(%1), %0" : "=r"(v) : "r"((uint64_t)offset));
    return v;
}

static int failures;
static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok) failures++;
}

/* Takes turns with the other process: reads a byte from `in`, checks that %fs still points at
 * `mine` (marker words at 0 and 8), writes a byte to `out`; `rounds` times. */
static int take_turns(uint64_t *mine, uint64_t marker, int in, int out, int rounds, int first) {
    char c = 'x';
    for (int i = 0; i < rounds; i++) {
        if (!(first && i == 0) && read(in, &c, 1) != 1) return 0;
        if (fs_word(0) != marker || fs_word(8) != (uint64_t)mine + i) return 0;
        mine[1] = (uint64_t)mine + i + 1;   /* written through the pointer, read back through %fs */
        if (write(out, &c, 1) != 1) return 0;
    }
    return 1;
}

static uint64_t area[2][64];

/* Two processes with different FS bases (the child's set by WRFSBASE if `native`, else by
 * arch_prctl) take 2000 turns through pipes; each checks its own every turn. The child reports
 * through its exit status and prints its fork check. True if both always saw their own. */
static int turns(int native, uint64_t base, uint64_t canary) {
    int to_child[2], to_parent[2];
    if (pipe(to_child) != 0 || pipe(to_parent) != 0) { perror("pipe"); exit(1); }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); exit(1); }
    int child = pid == 0;
    if (child && !native) {
        check(fs_word(0) == base && fs_word(0x28) == canary, "fork: the child keeps the TCB and canary");
    }
    /* Each process its own FS base, in a different place (and so a different value) in each. */
    uint64_t *mine = area[child];
    uint64_t marker = child ? 0xc41d : 0x9a7e47;
    mine[0] = marker;
    mine[1] = (uint64_t)mine;
    if (child && native) {
        __asm__ volatile("wrfsbase %0" :: "r"((uint64_t)mine) : "memory");
    } else if (arch_prctl(ARCH_SET_FS, (unsigned long)mine) != 0) {
        perror("arch_prctl"); exit(1);
    }
    int ok = child ? take_turns(mine, marker, to_child[0], to_parent[1], 2000, 0)
                   : take_turns(mine, marker, to_parent[0], to_child[1], 2000, 1);
    /* Either side's failure ends the other's turns: its read sees the end of the pipe. */
    close(to_child[0]); close(to_child[1]); close(to_parent[0]); close(to_parent[1]);
    uint64_t now = 0;
    arch_prctl(ARCH_GET_FS, (unsigned long)&now);
    if (child) {
        fflush(stdout);
        _exit(ok && now == (uint64_t)mine ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    /* Back to the kernel's TCB. */
    arch_prctl(ARCH_SET_FS, (unsigned long)base);
    return ok && now == (uint64_t)mine && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        /* After exec: a fresh TCB at the kernel's address; the canary the parent passed differs. */
        uint64_t base = 0;
        check(arch_prctl(ARCH_GET_FS, (unsigned long)&base) == 0 && base != 0 && fs_word(0) == base,
              "exec: a fresh TCB");
        check(fs_word(0x28) != strtoull(argv[2], NULL, 16), "exec: a new canary");
        return failures ? 1 : 0;
    }
    uint64_t base = 0;
    check(arch_prctl(ARCH_GET_FS, (unsigned long)&base) == 0, "arch_prctl(ARCH_GET_FS)");
    check(base != 0 && fs_word(0) == base, "%fs:0 holds the TCB's own address");
    uint64_t canary = fs_word(0x28);
    check(canary != 0 && (canary & 0xff) == 0, "%fs:0x28 holds a canary with a zero low byte");
    check(arch_prctl(0x9999, 0) == -1, "an unknown code fails");
    check(arch_prctl(ARCH_SET_FS, 0x800000000000ul) == -1, "a kernel address is refused");
    check(arch_prctl(ARCH_GET_FS, 0x10) == -1, "ARCH_GET_FS to a bad address fails");

    check(turns(0, base, canary), "2000 turns: the parent always sees its own FS base");
    /* WRFSBASE in user mode: refused (SIGILL) where CR4.FSGSBASE is clear (QEMU, KVM on hardware);
     * on PVM the host's CR4 allows it: then the base is the process's own, kept across switches
     * (and reported by ARCH_GET_FS, as on Linux), and never seen by another process. */
    pid_t probe = fork();
    if (probe == 0) {
        __asm__ volatile("wrfsbase %0" :: "r"((uint64_t)area[1]) : "memory");
        _exit(0);
    }
    int status = 0;
    waitpid(probe, &status, 0);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGILL) {
        check(1, "wrfsbase in user mode: SIGILL");
        check(1, "wrfsbase: nothing to keep apart");
    } else {
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "wrfsbase in user mode: allowed");
        check(turns(1, base, canary), "wrfsbase: 2000 turns, each process with its own base");
    }
    /* exec gives the new program a fresh TCB and canary. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char hex[32];
        snprintf(hex, sizeof hex, "%llx", (unsigned long long)canary);
        char *args[] = { argv[0], "exec", hex, 0 };
        execv(argv[0], args);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exec: the new program's checks");
    printf("done\n");
    return failures ? 1 : 0;
}
