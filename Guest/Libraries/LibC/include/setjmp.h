/* setjmp.h — C11 7.13, POSIX sigsetjmp (setjmp.S): setjmp keeps no signal mask (as glibc's);
 * sigsetjmp with savemask != 0 keeps it and siglongjmp restores it. */
#ifndef _SETJMP_H
#define _SETJMP_H
/* rbx rbp r12 r13 r14 r15 rsp rip */
typedef long jmp_buf[8];
/* jmp_buf's 8, then savemask and the mask */
typedef long sigjmp_buf[10];
int setjmp(jmp_buf env) __attribute__((returns_twice));
int _setjmp(jmp_buf env) __attribute__((returns_twice));
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int value);
_Noreturn void _longjmp(jmp_buf env, int value);
_Noreturn void siglongjmp(sigjmp_buf env, int value);
#endif
