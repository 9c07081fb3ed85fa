/* host-pread.c — the host baseline for scripts/bench-blk.sh: sequential pread of a whole file with
 * 64 KiB and 4 KiB requests (MB/s) and random 4 KiB preads (IOPS), one request at a time, the way
 * the VMM's block device reads for the guest. Usage: host-pread FILE */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: host-pread FILE\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 1; }
    struct stat st; fstat(fd, &st);
    static char buffer[65536];
    size_t sizes[] = { 65536, 4096 };
    for (int s = 0; s < 2; s++) {
        double t = now();
        for (off_t o = 0; o < st.st_size; o += sizes[s])
            if (pread(fd, buffer, sizes[s], o) < 0) { perror("pread"); return 1; }
        printf("host: sequential read %zu KiB: %.0f MB/s\n", sizes[s] / 1024, st.st_size / (now() - t) / 1e6);
    }
    uint64_t state = 0x9e3779b97f4a7c15ull, blocks = st.st_size / 4096, n = 200000;
    double t = now();
    for (uint64_t i = 0; i < n; i++) {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17;
        if (pread(fd, buffer, 4096, (off_t)(state % blocks) * 4096) < 0) { perror("pread"); return 1; }
    }
    printf("host: random 4 KiB reads: %.0f IOPS\n", n / (now() - t));
    return 0;
}
