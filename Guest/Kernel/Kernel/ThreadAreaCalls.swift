// ThreadAreaCalls.swift — each user thread's FS base (KernelCore/ThreadArea.swift says why): the
// TCB a program starts with, arch_prctl(ARCH_SET_FS/ARCH_GET_FS), and loading the FS base register
// when the CPU changes threads. The register is the IA32_FS_BASE MSR (0xC0000100, SDM Vol. 4
// Table 2-2); WRMSR traps to the hypervisor on PVM (~3 µs, HOST.md rule 5) and is emulated, as under
// QEMU, so it is written only when the next thread's base differs from the loaded one — every
// program starts with the same base (ThreadArea.address), so most switches write nothing.
// WRFSBASE would not trap, but needs CR4.FSGSBASE, which QEMU TCG's default CPU lacks.
import ABI
import Arch
import KernelCore

enum ThreadAreaCalls {
    static let msrFSBase: UInt32 = 0xC000_0100

    // SAFETY (globals): changed only by kernel code, which runs on one CPU with interrupts off
    // (HOST.md rule 3): accesses never overlap. The register is 0 at reset (SDM Vol. 3 §9.1.1).
    nonisolated(unsafe) static var loaded: UInt64 = 0

    /// Gives `t` a fresh TCB at ThreadArea.address (in the top of the stack the loader mapped) with
    /// a new random canary, and points its FS base at it. False if the page is not writable.
    static func install(_ t: UserThread, user: UserMemory) -> Bool {
        var random = [UInt8](repeating: 0, count: 8)
        KernelRandom.fill(&random, count: 8)
        let value = random.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let bytes = ThreadArea.initialBytes(base: ThreadArea.address, random: value)
        guard (try? user.store(bytes, at: ThreadArea.address)) != nil else { return false }
        t.fsBase = ThreadArea.address
        return true
    }

    /// arch_prctl(code, address) -> 0: ARCH_SET_FS sets the caller's FS base (any user address; a
    /// bad one faults only the caller, on its first %fs access), ARCH_GET_FS stores it at `address`.
    static func archPrctl(_ t: UserThread, code: UInt64, address: UInt64) -> UInt64 {
        switch ThreadArea.decode(code: code, address: address) {
        case .failure(let e): return e.result
        case .success(.setFS(let base)):
            t.fsBase = base
            return 0
        case .success(.getFS(let out)):
            return (try? t.userMemory.storeUInt64(t.fsBase, at: out)) != nil ? 0 : Syscalls.errno(SV_EFAULT)
        }
    }

    /// Before the CPU returns to `t`: its FS base in the register.
    static func load(_ t: UserThread) {
        guard t.fsBase != loaded else { return }
        sv_wrmsr(msrFSBase, t.fsBase)
        loaded = t.fsBase
    }
}
