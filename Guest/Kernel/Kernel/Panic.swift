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
    let rbp = sv_read_rbp()
    backtrace(from: rbp)
    if Debugger.reportsFaults {
        // The stop shows panic()'s caller: its return address and frame (rbp chain, as backtrace()).
        var frame = sv_trap_frame()
        if let link = frameLink(rbp) {
            frame.rip = link.returnAddress
            frame.rbp = link.next
        }
        frame.rsp = rbp &+ 16
        frame.cs = UInt64(SV_SEL_KERNEL_CS)
        frame.ss = UInt64(SV_SEL_KERNEL_SS)
        _ = Debugger.stop(&frame, reason: UInt32(SV_DEBUG_REASON_PANIC), userCR3: CPULocal.current?.process.space.root.value ?? 0)
    }
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
    if Debugger.reportsFaults {
        // With gdb attached a panic stops in the debugger; continuing powers off. Without one, the
        // VMM writes the kernel's core (--core) and resumes at once.
        var frame = f
        _ = Debugger.stop(&frame, reason: UInt32(SV_DEBUG_REASON_PANIC), userCR3: CPULocal.current?.process.space.root.value ?? 0)
    }
    Power.off(status: panicExitStatus)
}

/// Walks the rbp chain while it stays inside the kernel image (symbolize with
/// `llvm-symbolizer --obj=build/kernel.elf ADDR | swift-demangle`).
func backtrace(from rbp: UInt64) {
    var frame = rbp
    var depth = 0
    while let link = frameLink(frame), depth < 32 {
        if link.returnAddress == 0 { break }
        print("  backtrace: \(hex(link.returnAddress))")
        if link.next <= frame { break }
        frame = link.next
        depth += 1
    }
}

/// The frame record at `rbp` (the caller's rbp, the return address), if `rbp` lies 8-aligned
/// inside the kernel image (whose stacks hold the chain); nil otherwise.
func frameLink(_ rbp: UInt64) -> (next: UInt64, returnAddress: UInt64)? {
    let low = sv_address_of_kernel_start(), high = sv_address_of_kernel_end()
    guard rbp >= low && rbp + 16 <= high && rbp & 7 == 0 else { return nil }
    // SAFETY: checked just above: both words lie in mapped kernel memory.
    let p = UnsafePointer<UInt64>(bitPattern: UInt(rbp))!
    return (p[0], p[1])
}
