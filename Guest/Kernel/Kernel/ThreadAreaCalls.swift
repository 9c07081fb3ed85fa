// ThreadAreaCalls.swift — each user thread's FS base (KernelCore/ThreadArea.swift says why): the
// TCB a program starts with, arch_prctl(ARCH_SET_FS/ARCH_GET_FS), and the FS base register when the
// CPU changes threads.
//
// Two ways to reach the register:
// - IA32_FS_BASE (MSR 0xC0000100, SDM Vol. 4 Table 2-2) with WRMSR: everywhere, but on PVM it traps
//   to the hypervisor (~3 µs, HOST.md rule 5). It is written only when the next thread's base
//   differs from the loaded one; every program starts with the same base (ThreadArea.address), so
//   most switches write nothing. User code cannot change the register behind the kernel's back:
//   WRFSBASE needs CR4.FSGSBASE, which this kernel never sets (#UD in user mode).
// - On PVM the guest runs natively under the host's CR4, and Linux hosts set CR4.FSGSBASE on CPUs
//   that have it (measured here: a user WRFSBASE works, and its value survives exits to the host).
//   So user code *can* change its FS base there, and a value cache alone would hand one process's
//   base to the next. With the CPUID bit (leaf 7, EBX bit 0) the kernel uses RDFSBASE/WRFSBASE,
//   which run natively (no trap): when the CPU changes threads it saves the register into the
//   thread that ran (keeping what it wrote, as Linux does) and loads the next one's.
import ABI
import Arch
import Platform
import KernelCore

enum ThreadAreaCalls {
    static let msrFSBase: UInt32 = 0xC000_0100

    // SAFETY (globals): changed only by kernel code, which runs on one CPU with interrupts off
    // (HOST.md rule 3): accesses never overlap. The register is 0 at reset (SDM Vol. 3 §9.1.1).
    nonisolated(unsafe) static var loaded: UInt64 = 0
    /// The thread the register's value belongs to (it may have changed it with WRFSBASE on PVM).
    nonisolated(unsafe) static var owner: UserThread? = nil
    /// RDFSBASE/WRFSBASE usable: PVM on a CPU with FSGSBASE (see above). Decided at first use.
    nonisolated(unsafe) static var native: Bool? = nil

    static var useNative: Bool {
        if let native { return native }
        var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
        sv_cpuid(0, 0, &a, &b, &c, &d)
        var has = false
        if a >= 7 {
            sv_cpuid(7, 0, &a, &b, &c, &d)
            has = b & 1 != 0
        }
        native = Platform.isPVM && has
        return native!
    }

    /// Gives `t` a fresh TCB at ThreadArea.address (in the top of the stack the loader mapped) with
    /// a new random canary, and points its FS base at it. False if the page is not writable.
    static func install(_ t: UserThread, user: UserMemory) -> Bool {
        var random = [UInt8](repeating: 0, count: 8)
        KernelRandom.fill(&random, count: 8)
        let value = random.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let bytes = ThreadArea.initialBytes(base: ThreadArea.address, random: value)
        guard (try? user.store(bytes, at: ThreadArea.address)) != nil else { return false }
        set(t, ThreadArea.address)
        return true
    }

    /// arch_prctl(code, address) -> 0: ARCH_SET_FS sets the caller's FS base (any user address; a
    /// bad one faults only the caller, on its first %fs access), ARCH_GET_FS stores it at `address`.
    static func archPrctl(_ t: UserThread, code: UInt64, address: UInt64) -> UInt64 {
        switch ThreadArea.decode(code: code, address: address) {
        case .failure(let e): return e.result
        case .success(.setFS(let base)):
            set(t, base)
            return 0
        case .success(.getFS(let out)):
            return (try? t.userMemory.storeUInt64(current(t), at: out)) != nil ? 0 : Syscalls.errno(SV_EFAULT)
        }
    }

    /// `t`'s FS base now: the register's value if it is `t`'s and user code can change it.
    static func current(_ t: UserThread) -> UInt64 {
        if owner === t && useNative { return sv_rdfsbase() }
        return t.fsBase
    }

    /// A new base for `t`; the register is reloaded before `t` runs again.
    static func set(_ t: UserThread, _ base: UInt64) {
        t.fsBase = base
        if owner === t { owner = nil }
    }

    /// Before the CPU returns to `t`: its FS base in the register.
    static func load(_ t: UserThread) {
        if owner === t { return }
        if useNative {
            if let previous = owner { previous.fsBase = sv_rdfsbase() }
            sv_wrfsbase(t.fsBase)
        } else if t.fsBase != loaded {
            sv_wrmsr(msrFSBase, t.fsBase)
        }
        loaded = t.fsBase
        owner = t
    }
}
