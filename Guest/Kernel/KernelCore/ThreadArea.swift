// ThreadArea.swift — the thread area a user thread's FS base points at (the x86-64 TLS ABI's
// thread control block), as plain values the host tests: its initial bytes and the checks on an
// FS base a process asks for. The machine layer (Kernel/Kernel/ThreadArea.swift) stores the bytes
// and loads the FS base register.
//
// Why the kernel provides one: code built with the stack protector reads the canary at %fs:0x28
// (the System V x86-64 psABI's TLS layout, variant II: %fs:0 is the TCB's own address; glibc's and
// musl's TCB keep the stack guard at offset 0x28). Debian's musl libm objects are built that way,
// so a process without an FS base page-faults in sin() at address 0x28.
import ABI

public enum ThreadArea {
    /// Where every program's TCB starts: the top SV_USER_TCB_SIZE bytes of its initial stack, the
    /// same address in every process, so switching between processes that keep it needs no MSR
    /// write (each one traps to the hypervisor on PVM, ~3 µs: HOST.md rule 5).
    public static let address = UInt64(SV_USER_TCB_VA)
    public static let size = Int(SV_USER_TCB_SIZE)
    /// Offset of the stack-protector canary (psABI TLS variant II; glibc's tcbhead_t.stack_guard,
    /// musl's struct pthread canary).
    public static let canaryOffset = 0x28

    /// The TCB's bytes at `base`: its own address at offset 0, `random` as the canary with its low
    /// byte zeroed (as glibc's _dl_setup_stack_chk_guard does: a string overflow that copies the
    /// canary stops at that NUL before it can reveal the rest), zeros elsewhere.
    public static func initialBytes(base: UInt64, random: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: base >> (8 * UInt64(i)))
            bytes[canaryOffset + i] = UInt8(truncatingIfNeeded: (random & ~0xff) >> (8 * UInt64(i)))
        }
        return bytes
    }

    /// arch_prctl's codes (Linux's asm/prctl.h): the only two this kernel has.
    public enum Request: Equatable, Sendable {
        case setFS(UInt64)
        case getFS(out: UInt64)
    }

    /// Decodes arch_prctl(code, address) as Linux's do_arch_prctl_64 does: the code is an int (the
    /// register's upper half is ignored); an unknown code is EINVAL; a new FS base at or above the
    /// end of user space is EPERM (it could name kernel memory, and a non-canonical one would fault
    /// the kernel's own WRMSR).
    public static func decode(code: UInt64, address: UInt64) -> Result<Request, KernelError> {
        switch Int32(truncatingIfNeeded: code) {
        case Int32(SV_ARCH_SET_FS):
            guard address < UInt64(SV_USER_END) else { return .failure(KernelError(SV_EPERM)) }
            return .success(.setFS(address))
        case Int32(SV_ARCH_GET_FS):
            return .success(.getFS(out: address))
        default:
            return .failure(KernelError(SV_EINVAL))
        }
    }
}
