/* chostsupport.c — what chostsupport.h declares that is not static inline there. */
#define _GNU_SOURCE   /* dl_iterate_phdr */
#include "chostsupport.h"

/* The main program's read-only PT_LOAD segments (dl_iterate_phdr lists it first, with an empty
 * name), each advised MADV_PAGEOUT (<sys/mman.h> of Linux 5.4: 21). */
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static int page_out_main_program(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    int *advised = data;
    if (info->dlpi_name != NULL && info->dlpi_name[0] != 0) return 0;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W)) continue;
        uintptr_t start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
        uintptr_t end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
        if (madvise((void *)start, end - start, MADV_PAGEOUT) == 0) (*advised)++;
    }
    return 1;   /* the main program only */
}

int chostsupport_page_out_program_text(void) {
    int advised = 0;
    dl_iterate_phdr(page_out_main_program, &advised);
    return advised;
}
