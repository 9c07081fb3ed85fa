/* sigrestore.S — the signal restorer: the return address the kernel puts at the top of a handler's
 * frame (sa_restorer, SA_RESTORER; x86-64 has no kernel trampoline, docs/SIGNALS.md). The handler's
 * `ret` lands here with rsp just above that address, where sigreturn expects it. */
        .text
        .globl  __sv_restore_rt
        .type   __sv_restore_rt, @function
__sv_restore_rt:
        mov     $55, %eax               /* SV_SYS_SIGRETURN (sv_syscall.h) */
        syscall
        ud2                             /* sigreturn never returns */
        .size   __sv_restore_rt, . - __sv_restore_rt
        .section .note.GNU-stack, "", @progbits
