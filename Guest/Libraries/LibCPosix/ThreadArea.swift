// ThreadArea.swift — arch_prctl (Linux's x86-64 call; LibC/include/asm/prctl.h): the FS base, the
// thread pointer of the x86-64 TLS ABI. Every program starts with the kernel's TCB there
// (Guest/Kernel/KernelCore/ThreadArea.swift); a program may point it elsewhere.
import UserRuntime

@_cdecl("arch_prctl")
public func arch_prctl(_ code: Int32, _ address: UInt) -> Int32 {
    let r = sv_syscall2(Int64(SV_SYS_ARCH_PRCTL), UInt64(bitPattern: Int64(code)), UInt64(address))
    if r < 0 { setErrno(Int32(truncatingIfNeeded: -r)); return -1 }
    return 0
}
