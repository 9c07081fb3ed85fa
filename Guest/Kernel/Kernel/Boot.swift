// Boot.swift — kernel_main: from `_start` (entry.S) to the first user process.
import ABI
import Arch
import Platform
import KernelCore

/// The entry area's constants (Arch/include/sv_trapframe.h), read by entry.S on every entry.
enum EntryConstants {
    static var pointer: UnsafeMutablePointer<sv_entry_constants> {
        // SAFETY: entry.S reserves this page-aligned object for exactly one sv_entry_constants;
        // only kernel code (interrupts off) writes it.
        UnsafeMutablePointer<sv_entry_constants>(bitPattern: UInt(sv_address_of_entry_constants()))!
    }
}

@_cdecl("kernel_main")
func kernelMain(_ bootInfoAddress: UInt64) -> Never {
    sv_outb(UInt16(SV_PORT_BOOT_EVENT), UInt8(SV_EVENT_KERNEL_NATIVE))
    let rawBoot = BootInfo.raw(physical: bootInfoAddress)
    Console.usesConsolePort = rawBoot.pointee.flags & UInt64(SV_BOOT_FLAG_CONSOLE_PORT) != 0
    Memory.initialize(boot: rawBoot)
    let boot = BootInfo(rawBoot)
    Platform.detect(bootFlags: boot.flags)
    Debugger.enabled = boot.flags & UInt64(SV_BOOT_FLAG_DEBUGGER) != 0
    Debugger.reportsFaults = Debugger.enabled || boot.flags & UInt64(SV_BOOT_FLAG_CORE_DUMPS) != 0
    Debugger.stopAtExec = boot.option("debug.stop-at-exec")
    Clock.tscKHz = boot.tscKHz
    Clock.bootTSC = sv_rdtsc()
    Clock.initializeRealtime()
    print("swiftvm kernel: Embedded Swift microkernel, \(Platform.isPVM ? "native on PVM" : "x86-64")")
    if !boot.commandLine.isEmpty {
        var line = ""
        for b in boot.commandLine { line.append(Character(Unicode.Scalar(b))) }
        log("command line: \(line)")
    }

    LegacyPIC.disable()
    Descriptors.install()
    Descriptors.enableSyscalls()
    Memory.buildKernelSpace()
    Memory.buildEntryChain()
    // Experiment (README "PVM findings"): VIF flag bit 0 saves one CR3 trap per system call, but
    // on this host any interrupt or exception from user mode then triple-faults. Only for
    // reproducing that measurement, together with `test.notimer`.
    if boot.option("pvm.experimental-kpti") == Array("1".utf8) { Platform.enableHypervisorCR3Switching() }
    EntryConstants.pointer.pointee = sv_entry_constants(kernel_cr3: Memory.kernelSpace!.root.value,
                                           kernel_stack: sv_address_of_kernel_stack_top(),
                                           pvm: Platform.isPVM ? 1 : 0,
                                           vif_address: Platform.vifAddress,
                                           hypervisor_cr3: Platform.hypervisorSwitchesCR3 ? 1 : 0,
                                           debugger: Debugger.enabled ? 1 : 0)
    sv_write_cr3(Memory.kernelSpace!.root.value)
    Platform.loadedCR3 = Memory.kernelSpace!.root.value
    if Platform.hypervisorSwitchesCR3 {
        log("PVM: EXPERIMENTAL hypervisor-switched CR3 pairs (VIF flag 1): an interrupt or exception from user mode will triple-fault")
    }
    FPU.initialize()
    kernel = KernelState(cpuCount: 1)
    Programs.initialize(boot: boot)
    let freeMiB = (Memory.frames!.freeCount * pageSize) >> 20
    log("\(freeMiB) MiB free, \(Programs.entries.count) programs in the initrd")

    if boot.option("test.debugregs") != nil {
        // Experiment: does an instruction breakpoint in DR0 fire here? (A #DB in kernel mode with no
        // debugger attached panics, which is the evidence.)
        sv_write_dr0(sv_address_of_debug_register_probe())
        sv_write_dr7(0x401)
        sv_debug_register_probe()
        sv_write_dr7(0x400)
        log("test.debugregs: DR0 breakpoint did not fire")
    }
    if boot.option("test.panic") != nil {
        // Boot-test hook: a deliberate kernel-mode page fault must end in a panic report.
        // SAFETY: not safe on purpose: `test.panic` must fault in kernel mode (nothing is mapped at 0x10).
        let bad = UnsafeMutablePointer<UInt64>(bitPattern: 0x10)!
        bad.pointee = 1
    }
    if boot.option("test.panic-deep") != nil { _ = PanicTest.outer(0x10) }   // the same, three Swift calls deep
    if boot.option("test.high-memory") != nil { checkHighestFrame() }

    let initName = boot.option("init") ?? Array("init".utf8)
    LAPIC.enable()
    Devices.initialize(boot: boot)
    ConsoleInput.initialize()
    // init learns that someone is at the console (so it starts a shell) from an `interactive` argument.
    let interactive: [[UInt8]] = boot.flags & UInt64(SV_BOOT_FLAG_INTERACTIVE) != 0 ? [Array("interactive".utf8)] : []
    switch Programs.start(name: initName, arguments: [initName] + boot.initArguments + interactive, parentPID: 0) {
    case .success(let initProcess):
        initProcess.deviceRights = UInt64.max   // init starts the drivers, each with its own devices
        kernel.installConsole(initProcess, separateErrors: true)  // fds 0–2; everyone else inherits them
    case .failure(let e):
        var n = ""
        for b in initName { n.append(Character(Unicode.Scalar(b))) }
        panic("cannot start init program '\(n)': \(e.reason)")
    }
    // `test.notimer`: no preemption tick (benchmarks that must not see interrupts).
    log("timer: \(Kernel.timerPeriodMilliseconds) ms period")
    if boot.option("test.notimer") == nil {
        LAPIC.startTimer(vector: Vector.timer, periodNanoseconds: UInt32(truncatingIfNeeded: Kernel.timerPeriodMilliseconds * 1_000_000))
    }
    sv_outb(UInt16(SV_PORT_BOOT_EVENT), UInt8(SV_EVENT_FIRST_USER))
    sv_exit_to_user(Dispatch.exit(through: entryFrame))
}

/// The target of the `test.debugregs` experiment (declared in sv_arch.h, so its address is the
/// function itself and not a thunk).
@_cdecl("sv_debug_register_probe")
func debugRegisterProbe() {
    Console.flush()
}

/// Boot-test hook `test.high-memory`: the highest free frame (past 4 GiB in a large guest) is
/// written and read back through the direct map, so the direct map, the boot memory map and the
/// VMM's memory slot all reach the top of RAM. A frame the direct map misses faults (a panic);
/// one the VMM did not back exits to the VMM as MMIO.
func checkHighestFrame() {
    guard let frame = Memory.frames!.allocateHighest() else { panic("test.high-memory: no free frame") }
    let words = Memory.window!.pointer(frame).assumingMemoryBound(to: UInt64.self)
    let count = Int(pageSize / 8)
    for i in 0..<count { words[i] = frame.value &+ UInt64(i) &* 0x9e37_79b9_7f4a_7c15 }
    var intact = 0
    for i in 0..<count where words[i] == frame.value &+ UInt64(i) &* 0x9e37_79b9_7f4a_7c15 { intact += 1 }
    Memory.frames!.free(frame)
    log("test.high-memory: frame 0x\(String(frame.value, radix: 16)) (\(frame.value >> 20) MiB) written and read back, \(intact) of \(count) words intact")
}
