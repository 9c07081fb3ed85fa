// PVM.swift — the two ways this kernel runs: on PVM (this host's software KVM; HOST.md) and
// as an ordinary x86-64 kernel (hardware KVM, QEMU TCG). The differences are the interrupt flag
// (the VIF byte vs. CLI/STI), idling, and how user mode is re-entered (HOST.md rules 3 and 4).
import ABI
import Arch

public enum Platform {
    /// True when `_start` registered the VIF page (the VMM flagged PVM and the signature matched).
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) public static var isPVM = false
    nonisolated(unsafe) public static var vifAddress: UInt64 = 0
    /// PVM VIF flag bit 0 (PVM.md §2): the hypervisor switches CR3 between a process's kernel half
    /// (8 KiB-aligned page) and its user half (+4 KiB) on every user/kernel transition, so the
    /// exit path does not trap on `mov cr3`. Measured on this host: SYSRETQ flips to the user half, SYSCALL does
    /// not flip back, and interrupt or exception delivery from user mode triple-faults, so it is an
    /// opt-in experiment only (`pvm.experimental-kpti=1`).
    nonisolated(unsafe) public static var hypervisorSwitchesCR3 = false
    /// The CR3 the kernel last loaded (only tracked with `hypervisorSwitchesCR3`).
    nonisolated(unsafe) public static var loadedCR3: UInt64 = 0

    public static func enableHypervisorCR3Switching() {
        guard isPVM else { return }
        sv_wrmsr(UInt32(SV_MSR_PVM_VIF), (vifAddress - UInt64(SV_DIRECT_MAP_BASE)) | 1)
        hypervisorSwitchesCR3 = true
    }

    /// Detects PVM the same way `_start` did: boot flag plus the signature MSR.
    public static func detect(bootFlags: UInt64) {
        guard bootFlags & UInt64(SV_BOOT_FLAG_PVM) != 0 else { return }
        isPVM = sv_rdmsr(UInt32(SV_MSR_PVM_SIGNATURE)) & 0xffff_ffff == UInt64(SV_PVM_SIGNATURE)
        vifAddress = sv_address_of_vif_page()
    }

    /// Enables interrupts and waits for one. On PVM: VIF `if_ = 1`; `hlt` traps and the hypervisor
    /// delivers pending interrupts (HOST.md rule 3). Natively: `sti; hlt` (atomic by the STI shadow).
    public static func enableInterruptsAndHalt() {
        if isPVM {
            sv_volatile_store8(vifAddress, 1)
            sv_hlt()
        } else {
            sv_sti_hlt()
        }
    }

    /// Interrupts off (the kernel runs with them off; only idle enables them).
    public static func disableInterrupts() {
        if isPVM { sv_volatile_store8(vifAddress, 0) } else { sv_cli() }
    }
}
