/* start.S — void _start(void): the entry point of every user program. The kernel enters with rsp
 * at argc (System V x86-64 ABI §3.4.1: argc, argv..., 0, envp..., 0, auxv); call
 * main(argc, argv, envp) and exit with its result. */
#include "sv_syscall.h"
        /* Unwind information in .debug_frame: user.ld discards .eh_frame (nothing unwinds at run
         * time), and gdb reads .debug_frame — so it sees rip undefined here and stops the
         * backtrace at _start instead of walking into argc and the stack's end. */
        .cfi_sections .debug_frame
        .section .text.start, "ax"
        .globl  _start
_start:
        .cfi_startproc
        .cfi_undefined rip                      /* the outermost frame: backtraces end here */
        xor     %ebp, %ebp
        mov     (%rsp), %rdi
        lea     8(%rsp), %rsi
        and     $-16, %rsp
        push    %rdi
        push    %rsi
        call    sv_user_set_arguments   /* runtime.c: keep argc/argv for System.arguments */
        /* A C program's environ is filled before main and is main's third argument; the C library
         * defines the hook (LibCPosix Environment.swift), and without it envp is NULL. */
        xor     %edx, %edx
        movabs  $sv_libc_start, %rax
        test    %rax, %rax
        jz      2f
        call    *%rax
        mov     %rax, %rdx
2:      pop     %rsi
        pop     %rdi
        call    main
        mov     %eax, %edi
        /* C11 5.1.2.2.3: returning from a C program's main is exit(status), so its atexit
         * functions run and its streams are flushed. The C library defines the hook; a Swift
         * program, without it, sees the weak symbol as 0 and goes straight to sv_user_exit. */
        movabs  $sv_libc_main_returned, %rax
        test    %rax, %rax
        jz      1f
        call    *%rax                   /* LibCPosix ProgramExit.swift: exit(status), no return */
1:      call    sv_user_exit            /* UserLib: flushes stdout, then SV_SYS_EXIT */
        ud2
        .cfi_endproc
        .weak   sv_libc_main_returned
        .weak   sv_libc_start

/* void sv_user_restore_rt(void): the signal restorer (sa_restorer with SA_RESTORER; x86-64 has no
 * kernel trampoline). A handler's `ret` lands here with rsp just above the frame's return
 * address, where sigreturn reads the frame (docs/SIGNALS.md); nothing may touch the stack. */
        .text
        .globl  sv_user_restore_rt
        .type   sv_user_restore_rt, @function
sv_user_restore_rt:
        mov     $SV_SYS_SIGRETURN, %eax
        syscall
        ud2                             /* sigreturn never returns */
        .size   sv_user_restore_rt, . - sv_user_restore_rt
