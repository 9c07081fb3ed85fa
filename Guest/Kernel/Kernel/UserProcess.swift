// UserProcess.swift — the machine layer's process and thread: KernelCore's Process plus its
// address space, and KernelCore's Thread plus its saved registers and FPU state.
import ABI
import Arch
import Platform
import KernelCore

/// The kernel's state (KernelCore): one instance, made at boot before interrupts are enabled.
// SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
// interrupts off (HOST.md rule 3): accesses never overlap.
nonisolated(unsafe) var kernel: KernelState! = nil

final class UserProcess: Process {
    /// Its address space (exec replaces it).
    var space: AddressSpace
    /// Where the next map_memory maps.
    var heapNext = UInt64(SV_USER_HEAP_BASE)
    /// Where the next dma_alloc maps.
    var dmaNext = UInt64(SV_USER_DMA_BASE)
    /// Its mmap regions (KernelCore.MemoryMap).
    var memoryMap = MemoryMap()
    /// The program break: starts at the program's end, moved by brk.
    var breakStart: UInt64 = 0
    var breakEnd: UInt64 = 0
    /// The lowest mapped stack page; the stack grows down to SV_USER_STACK_TOP - SV_USER_STACK_MAX.
    var stackBottom = UInt64(SV_USER_STACK_TOP) - UInt64(SV_USER_STACK_SIZE)

    /// The memory bookkeeping of a freshly loaded program.
    func resetMemory(programEnd: UInt64) {
        heapNext = UInt64(SV_USER_HEAP_BASE)
        dmaNext = UInt64(SV_USER_DMA_BASE)
        memoryMap = MemoryMap()
        breakStart = programEnd
        breakEnd = programEnd
        stackBottom = UInt64(SV_USER_STACK_TOP) - UInt64(SV_USER_STACK_SIZE)
    }

    /// fork: the child's bookkeeping matches the copied address space.
    func copyMemoryBookkeeping(from parent: UserProcess) {
        heapNext = parent.heapNext
        dmaNext = parent.dmaNext
        memoryMap = parent.memoryMap
        breakStart = parent.breakStart
        breakEnd = parent.breakEnd
        stackBottom = parent.stackBottom
    }

    init(pid: Int32, parentPID: Int32, name: [UInt8], space: AddressSpace) {
        self.space = space
        super.init(pid: pid, parentPID: parentPID, name: name)
    }

    /// With hypervisor CR3 switching: the kernel half of the page-table pair (`space.root` - 4 KiB).
    var kernelHalf: PhysicalAddress? {
        Platform.hypervisorSwitchesCR3 ? PhysicalAddress(space.root.value - pageSize) : nil
    }

    var userMemory: UserMemory {
        UserMemory(space: space, memory: Memory.window!, userEnd: UInt64(SV_USER_END))
    }
}

final class UserThread: Thread {
    /// Its process (strong: KernelCore drops a process's threads when it reaps it).
    let process: UserProcess
    /// The user registers, as saved at the last kernel entry (or prepared for the first one).
    var context = sv_trap_frame()
    /// The context came from an interrupt or exception (not SYSCALL): every register, rcx and r11
    /// included, must be restored on the way back.
    var needsFullRestore = false
    /// The number of the system call it is in (rax at entry): what a restarted call runs again.
    var syscallNumber: UInt64 = 0
    /// A read or write that blocked on a pipe, retried when the thread is woken (PipeIO).
    var pendingIO: PendingIO? = nil
    /// A poll that waits, looked at again when the thread is woken (PollCalls).
    var pendingPoll: PendingPoll? = nil
    /// 512-byte FXSAVE area, 16-byte aligned (SDM Vol. 1 §10.5).
    // SAFETY: 512 bytes from the kernel heap, 16-byte aligned, owned by this thread (freed in deinit).
    let fpuState: UnsafeMutableRawPointer
    /// Its FS base (the TLS thread pointer): ThreadArea.address from the loader, arch_prctl's
    /// ARCH_SET_FS after that; loaded into the register on the way back to it (ThreadAreaCalls).
    var fsBase: UInt64 = 0

    init(process: UserProcess) {
        self.process = process
        var p: UnsafeMutableRawPointer? = nil
        _ = posixMemalign(&p, 16, 512)
        fpuState = p!
        fpuState.copyMemory(from: FPU.initialState, byteCount: 512)
        super.init(id: process.pid, pid: process.pid)
    }

    deinit { heapFree(fpuState) }

    var userMemory: UserMemory { process.userMemory }
}

extension Process {
    /// Every process the kernel starts is a UserProcess.
    var user: UserProcess { self as! UserProcess }
}

extension Thread {
    /// Every thread the kernel starts is a UserThread.
    var user: UserThread { self as! UserThread }
}

/// The FPU/SSE state of user threads. The kernel is built without SSE/x87 and never touches it,
/// so the registers hold the state of `CPULocal.fpuOwner` until the CPU runs another thread.
enum FPU {
    /// The state a new thread starts with: FNINIT defaults, MXCSR 0x1f80 (SDM Vol. 1 §10.5.1).
    nonisolated(unsafe) static var initialState: UnsafeMutableRawPointer! = nil

    static func initialize() {
        var p: UnsafeMutableRawPointer? = nil
        _ = posixMemalign(&p, 16, 512)
        sv_fninit()
        sv_fxsave(p!)
        p!.storeBytes(of: UInt32(0x1f80), toByteOffset: 24, as: UInt32.self)
        initialState = p!
    }
}
