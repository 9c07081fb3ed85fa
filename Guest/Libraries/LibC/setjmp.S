/* setjmp.S — setjmp/longjmp (C11 7.13) for x86-64: the System V ABI's callee-saved registers
 * (rbx rbp r12–r15, §3.2.1), the stack pointer after the return, and the return address, in
 * jmp_buf's 8 slots (setjmp.h). _setjmp/_longjmp and sigsetjmp/siglongjmp are the same functions:
 * there is no signal mask to save. */
        .text
        .globl  setjmp, _setjmp, sigsetjmp
        .type   setjmp, @function
setjmp:
_setjmp:
sigsetjmp:
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

        .globl  longjmp, _longjmp, siglongjmp
        .type   longjmp, @function
longjmp:
_longjmp:
siglongjmp:
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
