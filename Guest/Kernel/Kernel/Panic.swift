// Panic.swift — a kernel bug: print what happened and a frame-pointer backtrace (Swift keeps frame
// pointers at every -O level, EMBEDDED-SWIFT.md §3.5), then power off with SV_EXIT_PANIC.
import ABI
import Arch
import Platform
import KernelCore

let panicExitStatus: UInt32 = 101

func panic(_ message: String) -> Never {
    Platform.disableInterrupts()
    print("\n[kernel] PANIC: " + message)
    backtrace(from: sv_read_rbp())
    Power.off(status: panicExitStatus)
}

func panicFromTrap(_ f: sv_trap_frame) -> Never {
    Platform.disableInterrupts()
    var extra = ""
    if f.vector == Vector.pageFault { extra = " cr2=\(hex(sv_read_cr2()))" }
    print("\n[kernel] PANIC: \(Vector.name(f.vector)) (vector \(f.vector)) in kernel mode, error \(hex(f.error))\(extra)")
    print("  rip=\(hex(f.rip)) rsp=\(hex(f.rsp)) rbp=\(hex(f.rbp)) rflags=\(hex(f.rflags)) cs=\(hex(f.cs))")
    print("  rax=\(hex(f.rax)) rbx=\(hex(f.rbx)) rcx=\(hex(f.rcx)) rdx=\(hex(f.rdx)) rsi=\(hex(f.rsi)) rdi=\(hex(f.rdi))")
    print("  r8=\(hex(f.r8)) r9=\(hex(f.r9)) r10=\(hex(f.r10)) r11=\(hex(f.r11)) r12=\(hex(f.r12)) r13=\(hex(f.r13)) r14=\(hex(f.r14)) r15=\(hex(f.r15))")
    print("  backtrace: \(hex(f.rip))")
    backtrace(from: f.rbp)
    if Debugger.enabled {
        // With gdb attached a panic stops in the debugger; continuing powers off.
        var frame = f
        _ = Debugger.stop(&frame, reason: UInt32(SV_DEBUG_REASON_PANIC), userCR3: CPULocal.current?.process.space.root.value ?? 0)
    }
    Power.off(status: panicExitStatus)
}

/// Walks the rbp chain while it stays inside the kernel image (symbolize with
/// `llvm-symbolizer --obj=build/kernel.elf ADDR | swift-demangle`).
func backtrace(from rbp: UInt64) {
    var frame = rbp
    let low = sv_address_of_kernel_start(), high = sv_address_of_kernel_end()
    var depth = 0
    while frame >= low && frame + 16 <= high && frame & 7 == 0 && depth < 32 {
        // SAFETY: the loop condition keeps `frame` 8-aligned inside the kernel image (whose stacks
        // hold the chain), so both words read lie in mapped kernel memory.
        let p = UnsafePointer<UInt64>(bitPattern: UInt(frame))!
        let returnAddress = p[1]
        if returnAddress == 0 { break }
        print("  backtrace: \(hex(returnAddress))")
        let next = p[0]
        if next <= frame { break }
        frame = next
        depth += 1
    }
}
