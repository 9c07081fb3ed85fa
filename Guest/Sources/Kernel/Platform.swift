// Platform.swift — the two ways this kernel runs: on PVM (this host's software KVM; HOST.md) and
// as an ordinary x86-64 kernel (hardware KVM, QEMU TCG). The differences are the interrupt flag
// (the VIF byte vs. CLI/STI), idling, and how user mode is re-entered (HOST.md rules 3 and 4).
import ABI
import Arch

enum Platform {
    /// True when `_start` registered the VIF page (the VMM flagged PVM and the signature matched).
    nonisolated(unsafe) static var isPVM = false
    nonisolated(unsafe) static var vifAddress: UInt64 = 0

    /// Detects PVM the same way `_start` did: boot flag plus the signature MSR.
    static func detect(bootFlags: UInt64) {
        guard bootFlags & UInt64(SV_BOOT_FLAG_PVM) != 0 else { return }
        isPVM = sv_rdmsr(UInt32(SV_MSR_PVM_SIGNATURE)) & 0xffff_ffff == UInt64(SV_PVM_SIGNATURE)
        vifAddress = sv_address_of_vif_page()
    }

    /// Enables interrupts and waits for one. On PVM: VIF `if_ = 1`; `hlt` traps and the hypervisor
    /// delivers pending interrupts (HOST.md rule 3). Natively: `sti; hlt` (atomic by the STI shadow).
    static func enableInterruptsAndHalt() {
        if isPVM {
            sv_volatile_store8(vifAddress, 1)
            sv_hlt()
        } else {
            sv_sti_hlt()
        }
    }

    /// Interrupts off (the kernel runs with them off; only idle enables them).
    static func disableInterrupts() {
        if isPVM { sv_volatile_store8(vifAddress, 0) } else { sv_cli() }
    }
}
