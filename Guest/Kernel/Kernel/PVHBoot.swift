// PVHBoot.swift — the kernel's entry from a PVH loader (QEMU): Platform's PVH turns the start
// info into our boot info, then the kernel boots as usual.
import ABI
import Arch
import Platform
import KernelCore

@_cdecl("kernel_main_pvh")
func kernelMainPVH(_ startInfoAddress: UInt64) -> Never {
    guard let boot = PVH.bootInfo(fromStartInfo: startInfoAddress,
                                  kernelEnd: Memory.physical(sv_address_of_kernel_end()).value) else {
        Console.write("[kernel] PANIC: PVH entry without a valid hvm_start_info\n")
        Power.off(status: panicExitStatus)
    }
    kernelMain(boot)
}
