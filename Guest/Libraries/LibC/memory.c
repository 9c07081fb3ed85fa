/* memory.c — malloc, calloc and realloc (C11 7.22.3) on the Swift runtime's heap (UserLib's
 * allocator, through posix_memalign), so C and Swift share one allocator. C because Swift reserves
 * these names for its runtime (as it does `free`: UserRuntime/runtime.c). Blocks are 16-byte
 * aligned (max_align_t on x86-64); malloc(0) is a unique 1-byte block, as glibc's. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int posix_memalign(void **result, size_t alignment, size_t size);
size_t sv_user_heap_usable_size(void *p);

void *malloc(size_t size) {
    void *p = 0;
    if (posix_memalign(&p, 16, size ? size : 1)) { errno = ENOMEM; return 0; }
    return p;
}

void *calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) { errno = ENOMEM; return 0; }
    void *p = malloc(count * size);
    return p ? memset(p, 0, count * size) : 0;
}

/* The same block while it is big enough; realloc(p, 0) frees p and returns NULL (glibc's choice). */
void *realloc(void *p, size_t size) {
    if (!p) return malloc(size);
    if (size == 0) { free(p); return 0; }
    size_t old = sv_user_heap_usable_size(p);
    if (size <= old) return p;
    void *q = malloc(size);
    if (q) { memcpy(q, p, old); free(p); }
    return q;
}
