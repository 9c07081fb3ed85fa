// Process.swift — a user process: its address space, saved registers, FPU state and life cycle.
// One thread per process for now.
import ABI
import Arch
import KernelCore

final class Process {
    enum State: Equatable {
        case runnable
        /// Blocked in wait(pid); `pid` 0 = any child.
        case waiting(pid: Int32)
        /// Blocked in irq_wait(device).
        case waitingForIRQ(device: Int)
        /// Blocked in read(0, address, length) until console input arrives.
        case readingConsole(address: UInt64, length: UInt64)
        /// Blocked in an IPC call: queued at `endpoint` or (once received) waiting for the reply.
        case calling(endpoint: Int)
        case awaitingReply(server: Int32)
        /// Blocked in receive(endpoint).
        case receiving(endpoint: Int)
        /// Blocked in sleep() until the clock reaches `until` (ns).
        case sleeping(until: UInt64)
        /// Exited, not yet reaped by its parent.
        case zombie
    }

    let pid: Int32
    var parentPID: Int32
    let name: [UInt8]
    let space: AddressSpace
    /// With hypervisor CR3 switching: the kernel half of the page-table pair (`space.root` - 4 KiB).
    var kernelHalf: PhysicalAddress? {
        Platform.hypervisorSwitchesCR3 ? PhysicalAddress(space.root.value - pageSize) : nil
    }
    /// The user registers, as saved at the last kernel entry (or prepared for the first one).
    var context = sv_trap_frame()
    /// The context came from an interrupt or exception (not SYSCALL): every register, rcx and r11
    /// included, must be restored on the way back.
    var needsFullRestore = false
    var state: State = .runnable
    /// The IPC call this process is making (while .calling or .awaitingReply).
    var pendingCall: PendingCall? = nil
    /// NAME=value strings, each NUL-terminated (sv_syscall.h); a child starts with a copy.
    var environment: [UInt8] = []
    /// Where wait() stores the pid of the child it reaped (0: nowhere).
    var waitWhoAddress: UInt64 = 0
    /// Where receive() delivers the next message.
    var receiveAddress: UInt64 = 0
    /// May use the device calls (device_map, dma_alloc, irq_wait): a user-mode driver.
    var mayUseDevices = false
    /// Where the next map_memory maps.
    var heapNext = UInt64(SV_USER_HEAP_BASE)
    /// Where the next dma_alloc maps.
    var dmaNext = UInt64(SV_USER_DMA_BASE)
    var exitStatus: Int32 = 0
    /// 512-byte FXSAVE area, 16-byte aligned (SDM Vol. 1 §10.5).
    let fpuState: UnsafeMutableRawPointer

    init(pid: Int32, parentPID: Int32, name: [UInt8], space: AddressSpace) {
        self.pid = pid
        self.parentPID = parentPID
        self.name = name
        self.space = space
        var p: UnsafeMutableRawPointer? = nil
        _ = posixMemalign(&p, 16, 512)
        fpuState = p!
        fpuState.copyMemory(from: FPU.initialState, byteCount: 512)
    }

    deinit { heapFree(fpuState) }

    var displayName: String {
        var s = ""
        for b in name { s.append(Character(Unicode.Scalar(b))) }
        return s
    }

    var userMemory: UserMemory {
        UserMemory(space: space, memory: Memory.window!, userEnd: UInt64(SV_USER_END))
    }
}

/// The FPU/SSE state of user processes. The kernel is built without SSE/x87 and never touches it,
/// so the registers hold the state of `Scheduler.fpuOwner` until the CPU runs another process.
enum FPU {
    /// The state a new process starts with: FNINIT defaults, MXCSR 0x1f80 (SDM Vol. 1 §10.5.1).
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
