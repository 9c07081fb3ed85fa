/* entry.S — every way into and out of the kernel: the boot entry, the 256 interrupt/exception
 * stubs, the SYSCALL entry, and the two exits to user mode. AT&T syntax.
 *
 * The kernel is event driven: every entry saves the user registers into one per-CPU trap frame
 * (sv_entry_frame, at the top of the IST1 stack), switches to the kernel address space and the
 * per-CPU kernel stack (reset on every entry), and calls kernel_trap(frame) in Swift. Swift
 * returns the CR3 of the user address space to enter — the frame then holds the state to enter
 * it with — or 0 to idle.
 *
 * Address spaces (KPTI-style, HOST.md rule 6): a user address space maps its own pages plus this
 * entry area (.entry.text, .entry.tables read-only, .entry.data) and nothing else of the kernel,
 * so everything here until the CR3 switch, and from the CR3 switch back, may touch only the entry
 * area. On PVM the kernel runs at hardware CPL 3 and cannot touch U=0 pages, so user address
 * spaces cannot be isolated by the U bit: they simply do not map the kernel.
 */
#include "sv_machine.h"
#include "sv_boot.h"
#include "sv_trapframe.h"

/* ------------------------------------------------------------------------------------------
 * void _start(uint64_t boot_info_gpa): rdi = boot info GPA.
 * The swiftvm VMM enters here in 64-bit mode with the direct map active (sv_boot.h). Everything
 * until the WRMSR below is emulated instruction by instruction on PVM (~3 µs each, no SSE):
 * keep it to a few instructions (HOST.md rule 2).
 */
        .section .text.boot, "ax"
        .code64
        /* The entry points are outermost frames: each says so in its unwind information
         * (`.cfi_undefined rip`), which goes to .debug_frame (kernel.ld discards .eh_frame), so
         * gdb's backtraces end at _start, trap_common and idle instead of walking on into
         * whatever the stack holds. The directives emit no instructions. */
        .cfi_sections .debug_frame
        .globl  _start
_start:
        .cfi_startproc
        .cfi_undefined rip
        lea     sv_kernel_stack_top(%rip), %rsp
        xor     %ebp, %ebp
        mov     %rdi, %r12                          /* boot info GPA, callee-saved across the calls */
        movabs  $SV_DIRECT_MAP_BASE, %rbx
        testb   $SV_BOOT_FLAG_PVM, 16(%rbx, %rdi)   /* sv_boot_info.flags */
        jz      1f
        mov     $SV_MSR_PVM_SIGNATURE, %ecx         /* confirm: the VMM saw the signature too */
        rdmsr
        cmp     $SV_PVM_SIGNATURE, %eax
        jne     1f
        lea     sv_vif_page(%rip), %rax             /* per-vCPU VIF page: guest-physical address */
        sub     %rbx, %rax
        xor     %edx, %edx
        mov     $SV_MSR_PVM_VIF, %ecx
        wrmsr                                       /* from the next instruction on: native */
1:      call    early_idt
        movabs  $SV_DIRECT_MAP_BASE, %rbx
        testb   $SV_BOOT_FLAG_DEBUGGER, 16(%rbx, %r12)
        jz      2f
        movq    $1, sv_entry_constants + SV_CONST_DEBUGGER(%rip)
2:      mov     %r12, %rdi
        call    kernel_main                         /* Swift; never returns */
2:      hlt
        jmp     2b
        .cfi_endproc

/* ------------------------------------------------------------------------------------------
 * void _start32(void): the PVH entry (Xen PVH ABI, used by QEMU `-kernel` on an ELF with the
 * XEN_ELFNOTE_PHYS32_ENTRY note below). 32-bit protected mode, paging off, flat segments,
 * ebx = guest-physical address of struct hvm_start_info. Everything here runs at its physical
 * address, so it names symbols as `symbol - SV_DIRECT_MAP_BASE` (absolute 32-bit values) and uses
 * only relative jumps otherwise. It builds the same mapping the swiftvm VMM provides (the direct
 * map of [0, 4 GiB) with 2 MiB pages, plus an identity map of the low 4 GiB for the switch),
 * enters long mode and continues at `_start64_pvh` in the direct map.
 */
#define PHYS(symbol) ((symbol) - SV_DIRECT_MAP_BASE)
        .section .text.boot, "ax"
        .code32
        .globl  _start32
_start32:
        cld
        mov     %ebx, %esi                          /* hvm_start_info, kept until the 64-bit call */
        /* PML4[0] and PML4[SV_DIRECT_MAP_BASE >> 39] -> one PDPT -> four PDs of 2 MiB pages. */
        mov     $PHYS(pvh_page_tables), %edi
        mov     %edi, %eax
        add     $0x1003, %eax                       /* PDPT | present | writable */
        mov     %eax, (%edi)
        mov     %eax, ((SV_DIRECT_MAP_BASE >> 39) & 511) * 8(%edi)
        lea     0x1000(%edi), %ebx                  /* PDPT */
        lea     0x2003(%edi), %eax                  /* first PD | present | writable */
        mov     $4, %ecx
1:      mov     %eax, (%ebx)
        add     $0x1000, %eax
        add     $8, %ebx
        loop    1b
        lea     0x2000(%edi), %ebx                  /* the four PDs, 2048 entries */
        mov     $0x83, %eax                         /* 2 MiB page | present | writable */
        xor     %edx, %edx
        mov     $2048, %ecx
2:      mov     %eax, (%ebx)
        mov     %edx, 4(%ebx)
        add     $0x200000, %eax
        adc     $0, %edx
        add     $8, %ebx
        loop    2b
        mov     %edi, %cr3
        mov     $0x6a0, %eax                        /* PAE | PGE | OSFXSR | OSXMMEXCPT (as the VMM sets) */
        mov     %eax, %cr4
        mov     $0xc0000080, %ecx                   /* EFER: SCE | LME | NXE */
        mov     $0x901, %eax
        xor     %edx, %edx
        wrmsr
        mov     $0x80050033, %eax                   /* PG | AM | WP | NE | ET | MP | PE */
        mov     %eax, %cr0
        lgdt    PHYS(pvh_gdt_pointer)
        ljmp    $SV_SEL_KERNEL_CS, $PHYS(pvh_long_mode)
        .code64
pvh_long_mode:                                      /* long mode, still at the physical address */
        mov     $SV_SEL_KERNEL_SS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        movabs  $_start64_pvh, %rax
        jmp     *%rax
_start64_pvh:                                       /* now in the direct map */
        .cfi_startproc
        .cfi_undefined rip
        lea     sv_kernel_stack_top(%rip), %rsp
        xor     %ebp, %ebp
        push    %rsi
        push    %rsi
        call    early_idt
        pop     %rsi
        pop     %rsi
        mov     %esi, %edi                          /* hvm_start_info GPA */
        call    kernel_main_pvh                     /* Swift: builds the boot info; never returns */
3:      hlt
        jmp     3b
        .cfi_endproc

/* void early_idt(void): an IDT of interrupt gates to the 256 stubs, without IST (the TSS does
 * not exist yet), so that a fault or a debugger breakpoint in early boot reaches kernel_trap or the
 * debugger instead of triple-faulting. Descriptors.install replaces it. Runs natively on PVM. */
early_idt:
        lea     sv_idt(%rip), %rdi
        lea     sv_isr_table(%rip), %rsi
        mov     $256, %ecx
1:      mov     %rsi, %rax
        mov     %ax, (%rdi)                         /* offset 15:0 */
        movw    $SV_SEL_KERNEL_CS, 2(%rdi)
        movw    $0x8e00, 4(%rdi)                    /* present, DPL 0, interrupt gate, IST 0 */
        shr     $16, %rax
        mov     %ax, 6(%rdi)                        /* offset 31:16 */
        shr     $16, %rax
        mov     %eax, 8(%rdi)                       /* offset 63:32 */
        movl    $0, 12(%rdi)
        add     $16, %rdi
        add     $SV_ISR_STUB_SIZE, %rsi
        loop    1b
        sub     $16, %rsp
        movw    $4095, (%rsp)
        lea     sv_idt(%rip), %rax
        mov     %rax, 2(%rsp)
        lidt    (%rsp)
        add     $16, %rsp
        ret

        .balign 8
pvh_gdt:
        .quad   0, 0
        .quad   0x00af9a000000ffff                  /* 0x10 kernel code, 64-bit */
        .quad   0x00cf92000000ffff                  /* 0x18 kernel data */
pvh_gdt_end:
pvh_gdt_pointer:
        .word   pvh_gdt_end - pvh_gdt - 1
        .long   PHYS(pvh_gdt)

/* Xen PVH entry note (xen/include/public/elfnote.h: XEN_ELFNOTE_PHYS32_ENTRY = 18). */
        .section .note.Xen, "a", @note
        .balign 4
        .long   4, 4, 18
        .asciz  "Xen"
        .long   PHYS(_start32)

/* ------------------------------------------------------------------------------------------
 * The entry area's code. Mapped (read-only, executable) in every address space.
 */
        .section .entry.text, "ax"

/* 256 stubs of SV_ISR_STUB_SIZE (16) bytes: push a dummy error code where the CPU pushes none,
 * push the vector, jump to the common path. Vectors with a CPU error code (SDM Vol. 3 §6.3.1):
 * 8 10 11 12 13 14 17 21 29 30. */
        .balign 16
        .globl  sv_isr_table
sv_isr_table:
        .set    vector, 0
        .rept   256
        .balign 16
        .if (vector == 8) || (vector == 10) || (vector == 11) || (vector == 12) || (vector == 13) || (vector == 14) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
        .else
        pushq   $0
        .endif
        pushq   $vector
        jmp     isr_common
        .set    vector, vector + 1
        .endr

isr_common:                                     /* on IST1/2/3: the CPU frame + error + vector */
        push %rax; push %rbx; push %rcx; push %rdx; push %rsi; push %rdi; push %rbp
        push %r8;  push %r9;  push %r10; push %r11; push %r12; push %r13; push %r14; push %r15
        testb   $3, SV_FRAME_CS(%rsp)
        jnz     trap_common                     /* from user mode */
        cmpq    $0, sv_entry_constants + SV_CONST_DEBUGGER(%rip)
        je      trap_common
        cmpq    $1, SV_FRAME_VECTOR(%rsp)       /* #DB */
        je      kernel_debug_entry
        cmpq    $3, SV_FRAME_VECTOR(%rsp)       /* #BP */
        je      kernel_debug_entry
        jmp     trap_common

/* A #DB or #BP in kernel code with a debugger attached: unlike every other entry this one returns
 * to the interrupted kernel code, so it must not reset the kernel stack. The frame is on IST3 (the
 * debug vectors' own stack, so the entry frame of the current kernel entry is not clobbered); the
 * handler runs on a kernel-only debug stack and the frame is restored with a kernel-to-kernel
 * IRETQ (which PVM emulates, HOST.md rule 4). Breakpoints inside this path itself are not supported. */
kernel_debug_entry:
        mov     %rsp, %rdi
        mov     %rsp, %rbx
        lea     sv_debug_stack_top(%rip), %rsp
        cld
        call    kernel_debug_trap               /* Swift: reports to the VMM, applies gdb's changes */
        mov     %rbx, %rsp
        pop %r15; pop %r14; pop %r13; pop %r12; pop %r11; pop %r10; pop %r9; pop %r8
        pop %rbp; pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rbx; pop %rax
        add     $16, %rsp                       /* vector, error */
        iretq

/* SYSCALL from user mode (LSTAR): rcx = user rip, r11 = user rflags; interrupts are off (SFMASK
 * clears IF, and on PVM the VIF byte). Build the same frame on the entry stack by hand. */
        .globl  sv_syscall_entry
sv_syscall_entry:
        mov     %rsp, entry_user_rsp(%rip)
        lea     sv_entry_frame + SV_FRAME_SIZE(%rip), %rsp
        pushq   $SV_SEL_USER_SS
        pushq   entry_user_rsp(%rip)
        push    %r11
        pushq   $SV_SEL_USER_CS
        push    %rcx
        pushq   $0
        pushq   $SV_VECTOR_SYSCALL
        push %rax; push %rbx; push %rcx; push %rdx; push %rsi; push %rdi; push %rbp
        push %r8;  push %r9;  push %r10; push %r11; push %r12; push %r13; push %r14; push %r15

trap_common:                                    /* rsp = the frame (sv_entry_frame, or on IST2), all registers saved */
        .cfi_startproc
        .cfi_undefined rip
        mov     %rsp, %rdi
        /* The kernel address space (HOST.md: a 3.3 µs trap on PVM). With hypervisor-switched CR3
         * pairs this is the current process's kernel half: the hypervisor flips to the user half on
         * SYSRETQ but was measured not to flip back on entry. The value lives in the read-only
         * constants page, so user code cannot choose it. */
        mov     sv_entry_constants + SV_CONST_KERNEL_CR3(%rip), %rax
        mov     %rax, %cr3
        /* An exception in kernel mode always panics (Traps.swift): run the panic on the debug
         * stack, so the interrupted code's frames on the kernel stack survive for its backtrace. */
        testb   $3, SV_FRAME_CS(%rdi)
        jnz     1f
        cmpq    $32, SV_FRAME_VECTOR(%rdi)
        jae     1f
        lea     sv_debug_stack_top(%rip), %rsp
        jmp     2f
1:      mov     sv_entry_constants + SV_CONST_KERNEL_STACK(%rip), %rsp
2:      xor     %ebp, %ebp                      /* terminate backtraces here */
        cld
        call    kernel_trap                     /* Swift: returns user CR3 (sv_entry_frame holds the
                                                   state to enter), or 0 to idle */
        jmp     exit_common
        .cfi_endproc

/* void sv_exit_to_user(uint64_t cr3): the first exit after boot; rdi = cr3. */
        .globl  sv_exit_to_user
sv_exit_to_user:
        mov     %rdi, %rax

exit_common:                                    /* rax = user CR3 or 0 */
        test    %rax, %rax
        jz      idle
        lea     sv_entry_frame(%rip), %rsp
        cmpq    $SV_EXIT_IRET, SV_FRAME_VECTOR(%rsp)
        je      exit_iret
        cmpq    $0, sv_entry_constants + SV_CONST_PVM(%rip)
        je      exit_sysret
        /* PVM: the VIF byte is the virtual IF in user mode too and SYSRETQ does not set it
         * (HOST.md rule 4). The VIF page is not mapped in user address spaces, so set it now,
         * before the CR3 switch. An interrupt can then arrive inside the exit window (at the CR3
         * trap or at SYSRETQ); it is delivered in kernel mode on IST1 and kernel_trap restarts
         * the exit from the thread's saved state (it recognises the window by rip). */
        mov     sv_entry_constants + SV_CONST_VIF_ADDRESS(%rip), %rcx
        movb    $1, (%rcx)
        .globl  sv_exit_window_start
sv_exit_window_start:
exit_sysret:
        cmp     $SV_CR3_ALREADY_LOADED, %rax
        je      1f
        mov     %rax, %cr3                      /* user address space: only the entry area is mapped */
1:
        mov     SV_FRAME_RIP(%rsp), %rcx
        mov     SV_FRAME_RFLAGS(%rsp), %r11
        mov     SV_FRAME_R15(%rsp), %r15
        mov     SV_FRAME_R14(%rsp), %r14
        mov     SV_FRAME_R13(%rsp), %r13
        mov     SV_FRAME_R12(%rsp), %r12
        mov     SV_FRAME_R10(%rsp), %r10
        mov     SV_FRAME_R9(%rsp), %r9
        mov     SV_FRAME_R8(%rsp), %r8
        mov     SV_FRAME_RBP(%rsp), %rbp
        mov     SV_FRAME_RDI(%rsp), %rdi
        mov     SV_FRAME_RSI(%rsp), %rsi
        mov     SV_FRAME_RDX(%rsp), %rdx
        mov     SV_FRAME_RBX(%rsp), %rbx
        mov     SV_FRAME_RAX(%rsp), %rax
        mov     SV_FRAME_RSP(%rsp), %rsp
        sysretq                                 /* kernel_trap checked rcx is a canonical user address */
        .globl  sv_exit_window_end
sv_exit_window_end:

/* Full-state return with IRETQ: only on non-PVM hardware (on PVM a native IRETQ to user mode is
 * not seen by the hypervisor, HOST.md rule 4; there kernel_trap parks rcx/r11/rflags/rip on the
 * user stack and leaves through SYSRETQ to sv_user_return_stub instead). */
exit_iret:
        mov     %rax, %cr3
        pop %r15; pop %r14; pop %r13; pop %r12; pop %r11; pop %r10; pop %r9; pop %r8
        pop %rbp; pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rbx; pop %rax
        add     $16, %rsp                       /* vector, error */
        iretq

idle:                                           /* nothing to run: wait for an interrupt */
        .cfi_startproc
        .cfi_undefined rip
        mov     sv_entry_constants + SV_CONST_KERNEL_STACK(%rip), %rsp
        xor     %ebp, %ebp
        call    kernel_idle                     /* Swift; never returns (interrupts re-enter above) */
        ud2
        .cfi_endproc

/* ------------------------------------------------------------------------------------------
 * The PVM full-state return stub (HOST.md rule 4): the kernel parked {rcx, r11} and an IRETQ frame
 * {rip, cs, rflags, rsp, ss} below the user's red zone and SYSRETQ'd here with rsp pointing at
 * them. A user-to-user IRETQ never involves the hypervisor (it is native at CPL 3), restores rsp and
 * rflags exactly, and — unlike POPFQ; RET — makes a TF it sets trap after the first instruction
 * of the interrupted code, so single-stepping user code works. Mapped user-executable at
 * SV_USER_STUB_VA in every address space.
 */
        .section .user_stub, "ax"
        .globl  sv_user_return_stub
sv_user_return_stub:
        pop     %rcx
        pop     %r11
        iretq

/* ------------------------------------------------------------------------------------------
 * The entry area's data. .entry.tables: IDT, GDT, TSS and the constants above, filled in at boot
 * and mapped read-only for user address spaces. .entry.data: the writable per-CPU entry page.
 */
        .section .entry.tables, "aw", @nobits
        .balign 4096
        .globl  sv_idt
sv_idt: .skip   4096                            /* 256 gates x 16 bytes */
        .globl  sv_gdt
sv_gdt: .skip   128
        .globl  sv_tss
sv_tss: .skip   128                             /* 104-byte 64-bit TSS, room to spare */
        .globl  sv_entry_constants
sv_entry_constants:
        .skip   64
        .balign 4096

        .section .entry.data, "aw", @nobits
        .balign 4096
entry_user_rsp:
        .skip   64
        .skip   1984                            /* IST3: #DB and #BP */
        .globl  sv_ist3_top
sv_ist3_top:
        .skip   2048                            /* IST2: double fault, NMI, machine check */
        .globl  sv_ist2_top
sv_ist2_top:
        .skip   4096 - SV_FRAME_SIZE            /* IST1: everything else; kernel-mode interrupts nest here */
        .globl  sv_entry_frame
sv_entry_frame:                                 /* struct sv_trap_frame; its end is the IST1 top */
        .skip   SV_FRAME_SIZE

        .section .bss
        .balign 4096
        .globl  sv_debug_state_page
sv_debug_state_page:                                /* struct sv_debug_state (sv_debug.h) */
        .skip   4096
        .skip   16384
        .globl  sv_debug_stack_top
sv_debug_stack_top:                                 /* the kernel-mode debug handler's stack */
pvh_page_tables:                                    /* PML4, PDPT, 4 PDs for the PVH entry */
        .skip   6 * 4096
        .globl  sv_pvh_boot_info
sv_pvh_boot_info:                                   /* struct sv_boot_info built from hvm_start_info */
        .skip   4096
        .globl  sv_vif_page
sv_vif_page:                                    /* PVM VIF page (struct pvm_vif), kernel-only */
        .skip   4096
        .balign 16
        .skip   65536
        .globl  sv_kernel_stack_top
sv_kernel_stack_top:
