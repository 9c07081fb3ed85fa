/* asm/prctl.h — arch_prctl's codes (Linux's arch/x86/include/uapi/asm/prctl.h): this kernel has
 * ARCH_SET_FS and ARCH_GET_FS (the FS base, i.e. the thread pointer of the x86-64 TLS ABI; every
 * program starts with one, the kernel's TCB: docs in Guest/Kernel/KernelCore/ThreadArea.swift).
 * glibc declares no wrapper (programs there call syscall(SYS_arch_prctl, …)); this C library has
 * one, declared here. */
#ifndef _ASM_PRCTL_H
#define _ASM_PRCTL_H
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
/* 0 on success; -1 with errno EINVAL (another code), EPERM (a base outside user space), EFAULT. */
int arch_prctl(int code, unsigned long address);
#endif
