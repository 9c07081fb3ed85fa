/* setjmp.S — setjmp/longjmp (C11 7.13) for x86-64: the System V ABI's callee-saved registers
 * (rbx rbp r12–r15, §3.2.1), the stack pointer after the return, and the return address, in
 * jmp_buf's 8 slots (setjmp.h). _setjmp/_longjmp are the same functions (setjmp keeps no mask, as
 * glibc's). sigsetjmp(env, savemask) also keeps savemask (slot 8) and, when it is not 0, the signal
 * mask (slot 9), which siglongjmp restores first (XSH sigsetjmp): how a SIGSEGV handler leaves. The
 * mask goes through the sigprocmask call directly (SV_SYS_SIGPROCMASK = 54, sv_syscall.h), which
 * keeps every register but rax, rcx and r11, so no stack is touched. */
        .text
        .globl  sigsetjmp
        .type   sigsetjmp, @function
sigsetjmp:
        movslq  %esi, %rax              /* savemask is an int: the slot holds it sign-extended */
        mov     %rax, 64(%rdi)
        test    %esi, %esi
        jz      setjmp
        mov     %rdi, %r8               /* sigprocmask(SIG_BLOCK, NULL, &env[9]): the mask now */
        lea     72(%rdi), %rdx
        xor     %esi, %esi
        xor     %edi, %edi
        mov     $54, %eax
        syscall
        mov     %r8, %rdi
        jmp     setjmp
        .size   sigsetjmp, . - sigsetjmp

        .globl  setjmp, _setjmp
        .type   setjmp, @function
setjmp:
_setjmp:
        mov     %rbx, 0(%rdi)
        mov     %rbp, 8(%rdi)
        mov     %r12, 16(%rdi)
        mov     %r13, 24(%rdi)
        mov     %r14, 32(%rdi)
        mov     %r15, 40(%rdi)
        lea     8(%rsp), %rdx           /* the caller's rsp once setjmp has returned */
        mov     %rdx, 48(%rdi)
        mov     (%rsp), %rdx            /* where setjmp returns to */
        mov     %rdx, 56(%rdi)
        xor     %eax, %eax              /* the direct return: 0 */
        ret
        .size   setjmp, . - setjmp

        .globl  siglongjmp
        .type   siglongjmp, @function
siglongjmp:
        cmpq    $0, 64(%rdi)
        je      longjmp
        mov     %rdi, %r8               /* sigprocmask(SIG_SETMASK, &env[9], NULL) */
        mov     %esi, %r9d
        lea     72(%rdi), %rsi
        xor     %edx, %edx
        mov     $2, %edi
        mov     $54, %eax
        syscall
        mov     %r8, %rdi
        mov     %r9d, %esi
        jmp     longjmp
        .size   siglongjmp, . - siglongjmp

        .globl  longjmp, _longjmp
        .type   longjmp, @function
longjmp:
_longjmp:
        mov     %esi, %eax              /* setjmp returns val there, or 1 if val is 0 (7.13.2.1p4) */
        test    %eax, %eax
        jnz     1f
        inc     %eax
1:      mov     0(%rdi), %rbx
        mov     8(%rdi), %rbp
        mov     16(%rdi), %r12
        mov     24(%rdi), %r13
        mov     32(%rdi), %r14
        mov     40(%rdi), %r15
        mov     48(%rdi), %rsp
        jmp     *56(%rdi)
        .size   longjmp, . - longjmp
        .section .note.GNU-stack, "", @progbits
