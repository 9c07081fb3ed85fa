/* sv_debug.h — the debug channel between the kernel and the VMM's gdb stub (issue: PVM gives the
 * VMM no debug exits in native mode, HOST.md rule 8: #DB and #BP reach the guest's own IDT).
 *
 * When the boot info has SV_BOOT_FLAG_DEBUGGER, the kernel's #BP/#DB handlers (and its panic path)
 * stop like this:
 *   1. fill struct sv_debug_state (one page, kernel .bss) with the stopped context;
 *   2. `outl` the page's guest-physical address to SV_PORT_DEBUG — the vCPU exits to the VMM, which
 *      serves gdb while this vCPU waits inside the OUT;
 *   3. when gdb resumes, the VMM has written back the (possibly changed) registers, `resume` and the
 *      debug registers; the kernel applies them (TF for a step) and returns to the stopped code.
 * The VMM validates the address and every field it reads; the kernel validates what it applies
 * (a user context must stay a user context).
 */
#ifndef SWIFTVM_DEBUG_H
#define SWIFTVM_DEBUG_H

#define SV_PORT_DEBUG              0x511   /* 32-bit OUT: guest-physical address of struct sv_debug_state */
#define SV_DEBUG_MAGIC             0x47444253u   /* "SBDG" */

/* sv_debug_state.reason */
#define SV_DEBUG_REASON_BREAKPOINT 1    /* int3 (#BP); rip already points at the int3 */
#define SV_DEBUG_REASON_DEBUG      2    /* #DB: single step or a debug-register hit (see dr6) */
#define SV_DEBUG_REASON_PANIC      3    /* kernel panic (vector = the faulting exception, or 0) */
#define SV_DEBUG_REASON_FAULT      4    /* a user exception that would kill the process */
#define SV_DEBUG_REASON_EXEC       5    /* a program is about to run its first instruction (kernel
                                           command line debug.stop-at-exec=NAME); user_cr3 is its space */
#define SV_DEBUG_REASON_SPACE_GONE 6    /* notification, not a stop: the address space user_cr3 is
                                           about to be freed (the VMM forgets breakpoints in it) */
#define SV_DEBUG_REASON_STARTED    7    /* a program (any, not only stop-at-exec's) is about to run its
                                           first instruction, after spawn or exec: the VMM tells gdb
                                           (an exec event) or resumes at once when no gdb is attached */

/* sv_debug_state.resume (VMM -> kernel) */
#define SV_DEBUG_RESUME_CONTINUE   0
#define SV_DEBUG_RESUME_STEP       1    /* set TF: stop again after one instruction */
#define SV_DEBUG_RESUME_KILL       2    /* gdb killed the target: power off */

#ifndef __ASSEMBLER__
#include <stdint.h>
struct sv_debug_state {
    uint32_t magic;
    uint32_t reason;            /* SV_DEBUG_REASON_* */
    uint32_t vector;            /* the exception vector */
    uint32_t user_mode;         /* 1: stopped in user mode */
    uint64_t error_code;
    uint64_t dr6;               /* #DB only */
    /* The stopped context (kernel -> VMM, and VMM -> kernel when registers_changed). */
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t cs, ss;
    uint64_t cr0, cr2, cr3, cr4, efer;
    uint64_t user_cr3;          /* the current process's address space (0: none) for user addresses */
    /* VMM -> kernel */
    uint32_t resume;            /* SV_DEBUG_RESUME_* */
    uint32_t registers_changed; /* 1: load the registers above back into the stopped context */
    uint64_t dr[4];             /* hardware breakpoints/watchpoints to load (DR0-DR3) */
    uint64_t dr7;               /* 0: none */
    /* Kernel -> VMM: the processes, as they are at this stop (the kernel rewrites the table before
     * every OUT, so it is never older than the stop; nothing reads it while the guest runs). */
    uint64_t process_table;     /* guest-physical address of process_count struct sv_debug_process */
    uint32_t process_count;     /* at most SV_DEBUG_MAX_PROCESSES */
    int32_t current_pid;        /* the process the CPU runs (or ran last) at this stop; 0: none */
    uint64_t kernel_cr3;        /* the kernel's own address space (kernel addresses at a user stop) */
    uint64_t total_frames;      /* the frame allocator's RAM in pages, and how many are free (gdb's */
    uint64_t free_frames;       /* `monitor mem`; 0 and 0 when the kernel could not say) */
};

#define SV_DEBUG_MAX_PROCESSES     256  /* = the kernel's process table limit (KernelState) */

/* sv_debug_process.state */
#define SV_DEBUG_PROCESS_RUNNING   0    /* the CPU runs it: its live registers are the stop's */
#define SV_DEBUG_PROCESS_READY     1    /* runnable, waiting for the CPU */
#define SV_DEBUG_PROCESS_BLOCKED   2    /* in a blocking call (detail says which) */
#define SV_DEBUG_PROCESS_ZOMBIE    3    /* exited, not yet reaped: no address space, no registers */

/* One process at a stop. The registers are those saved at its last kernel entry (what it resumes
 * with); for the running process at a user-mode stop they equal the stop's own. */
struct sv_debug_process {
    int32_t pid;
    int32_t parent_pid;
    uint32_t state;             /* SV_DEBUG_PROCESS_* */
    uint32_t reserved;
    uint64_t cr3;               /* its address space (0 for a zombie) */
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags, cs, ss;
    char name[32];              /* the program's name, NUL-padded (truncated to 31 bytes) */
    char detail[48];            /* what it waits for, e.g. "receive on fs", NUL-padded */
};
#ifndef __cplusplus
_Static_assert(sizeof(struct sv_debug_state) == 4 * 4 + 2 * 8 + 16 * 8 + 2 * 8 + 2 * 8 + 6 * 8 + 8 + 5 * 8 + 5 * 8,
               "sv_debug_state layout");
_Static_assert(sizeof(struct sv_debug_process) == 4 * 4 + 8 + 20 * 8 + 32 + 48, "sv_debug_process layout");
#endif
#endif /* __ASSEMBLER__ */
#endif
