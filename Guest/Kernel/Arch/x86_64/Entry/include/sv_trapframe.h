/* sv_trapframe.h — the register frame every kernel entry builds (interrupts, exceptions, SYSCALL),
 * shared by the asm entry code (entry.S) and the Swift kernel. Layout, lowest address first:
 *
 *   +0x00 r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax   (pushed by entry.S)
 *   +0x78 vector  error                                                 (pushed by the stub)
 *   +0x88 rip cs rflags rsp ss                                          (pushed by the CPU)
 *   +0xb0 = top of the per-CPU entry stack (TSS IST1)
 *
 * SYSCALL does not push anything; entry.S builds the same frame by hand, vector SV_VECTOR_SYSCALL.
 * On the way out the kernel puts SV_EXIT_SYSRET or SV_EXIT_IRET into `vector`.
 */
#ifndef SV_TRAPFRAME_H
#define SV_TRAPFRAME_H

#define SV_FRAME_R15      0x00
#define SV_FRAME_R14      0x08
#define SV_FRAME_R13      0x10
#define SV_FRAME_R12      0x18
#define SV_FRAME_R11      0x20
#define SV_FRAME_R10      0x28
#define SV_FRAME_R9       0x30
#define SV_FRAME_R8       0x38
#define SV_FRAME_RBP      0x40
#define SV_FRAME_RDI      0x48
#define SV_FRAME_RSI      0x50
#define SV_FRAME_RDX      0x58
#define SV_FRAME_RCX      0x60
#define SV_FRAME_RBX      0x68
#define SV_FRAME_RAX      0x70
#define SV_FRAME_VECTOR   0x78
#define SV_FRAME_ERROR    0x80
#define SV_FRAME_RIP      0x88
#define SV_FRAME_CS       0x90
#define SV_FRAME_RFLAGS   0x98
#define SV_FRAME_RSP      0xa0
#define SV_FRAME_SS       0xa8
#define SV_FRAME_SIZE     0xb0

#define SV_VECTOR_SYSCALL 0x100   /* not an IDT vector: the frame came from SYSCALL */
#define SV_ISR_STUB_SIZE  16      /* entry.S: bytes between two interrupt stubs */
#define SV_EXIT_SYSRET    0       /* leave through SYSRETQ (rcx/r11 are not restored) */
#define SV_EXIT_IRET      1       /* leave through IRETQ (full state; not on PVM: HOST.md rule 4) */

/* Per-CPU entry area constants, written at boot, mapped read-only into every user address space. */
#define SV_CONST_KERNEL_CR3    0x00
#define SV_CONST_KERNEL_STACK  0x08
#define SV_CONST_PVM           0x10
#define SV_CONST_VIF_ADDRESS   0x18
#define SV_CONST_HYPERVISOR_CR3 0x20
#define SV_CONST_DEBUGGER      0x28

/* kernel_trap's return value when the CR3 for the exit is already loaded (PVM hypervisor-flipped
 * page-table pairs: the hypervisor switches to the user half itself on SYSRETQ). */
#define SV_CR3_ALREADY_LOADED  1

#ifndef __ASSEMBLER__
#include <stdint.h>
struct sv_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};
struct sv_entry_constants {
    uint64_t kernel_cr3;       /* the kernel address space, loaded on every entry */
    uint64_t kernel_stack;     /* top of this CPU's kernel stack */
    uint64_t pvm;              /* 1: set the VIF byte before returning to user mode */
    uint64_t vif_address;      /* kernel virtual address of this CPU's VIF page */
    uint64_t hypervisor_cr3;   /* 1: PVM flips CR3 between the kernel and user halves itself */
    uint64_t debugger;         /* 1: kernel-mode #DB/#BP go to the debug channel (sv_debug.h) */
};
_Static_assert(sizeof(struct sv_trap_frame) == SV_FRAME_SIZE, "trap frame layout");
_Static_assert(__builtin_offsetof(struct sv_trap_frame, vector) == SV_FRAME_VECTOR, "trap frame layout");
_Static_assert(__builtin_offsetof(struct sv_trap_frame, rip) == SV_FRAME_RIP, "trap frame layout");
_Static_assert(__builtin_offsetof(struct sv_trap_frame, ss) == SV_FRAME_SS, "trap frame layout");
_Static_assert(__builtin_offsetof(struct sv_entry_constants, vif_address) == SV_CONST_VIF_ADDRESS, "constants layout");
_Static_assert(__builtin_offsetof(struct sv_entry_constants, debugger) == SV_CONST_DEBUGGER, "constants layout");
#endif
#endif
