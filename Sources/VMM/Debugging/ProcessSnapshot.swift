// ProcessSnapshot.swift — the guest's processes at a debug-channel stop, as gdb threads: the table
// the kernel writes before each stop (ABI/include/sv_debug.h, struct sv_debug_process), read from
// guest RAM and validated field by field. The guest is not trusted: a count past the limit, a table
// outside RAM, a duplicate or non-positive pid, a page table root outside RAM or a name with bytes
// that are not printable ASCII never reach gdb (the entry is dropped, the root reads as "no memory",
// the bytes become `?`).
import ABI
import GDBStub
import GuestMemory

/// One live process at a stop.
struct DebugProcess: Equatable {
    var pid: Int32
    var parentPID: Int32
    var state: UInt32
    /// Its address space root; 0 when the kernel gave none we can use.
    var cr3: UInt64
    /// The user registers it resumes with (saved at its last kernel entry).
    var registers: X86_64Registers
    var name: String
    var detail: String

    var isRunning: Bool { state == UInt32(SV_DEBUG_PROCESS_RUNNING) }

    /// What gdb shows after the thread id in `info threads`.
    var description: String {
        let what: String
        switch state {
        case UInt32(SV_DEBUG_PROCESS_RUNNING): what = "running"
        case UInt32(SV_DEBUG_PROCESS_READY): what = "ready"
        case UInt32(SV_DEBUG_PROCESS_BLOCKED): what = detail.isEmpty ? "blocked" : detail
        default: what = "?"
        }
        return "\(name), pid \(pid), \(what)"
    }
}

struct ProcessSnapshot: Equatable {
    /// Live processes (zombies have no address space or registers: not threads), ascending pid.
    var processes: [DebugProcess]
    /// The process the CPU runs at this stop (0: none).
    var currentPID: Int32
    /// The process whose user context stopped (0: the stop is in the kernel): the one whose address
    /// space the stop names (a program start stops in the new process, not in its parent).
    var stoppedPID: Int32 = 0
    /// Exited processes not yet reaped (no registers or memory: listed by `monitor ps` only).
    var zombies: [DebugProcess] = []
    /// The kernel's page frames at this stop, in all and free (0, 0: not reported).
    var totalFrames: UInt64 = 0
    var freeFrames: UInt64 = 0

    func process(_ pid: Int32) -> DebugProcess? { processes.first { $0.pid == pid } }

    /// Reads the table the channel page `state` points to. No table, or one outside RAM: no processes.
    static func read(_ state: sv_debug_state, memory: GuestMemory) -> ProcessSnapshot {
        let count = Int(min(state.process_count, UInt32(SV_DEBUG_MAX_PROCESSES)))
        let stride = MemoryLayout<sv_debug_process>.stride
        guard count > 0, let bytes = try? memory.read(at: GuestAddress(state.process_table), count: count * stride) else {
            return ProcessSnapshot(processes: [], currentPID: 0, stoppedPID: 0).withFrames(of: state)
        }
        var seen = Set<Int32>()
        var processes: [DebugProcess] = []
        var zombies: [DebugProcess] = []
        for i in 0..<count {
            let raw = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * stride, as: sv_debug_process.self) }
            guard raw.pid > 0, raw.state <= UInt32(SV_DEBUG_PROCESS_ZOMBIE), seen.insert(raw.pid).inserted else { continue }
            if raw.state == UInt32(SV_DEBUG_PROCESS_ZOMBIE) {
                zombies.append(DebugProcess(pid: raw.pid, parentPID: raw.parent_pid, state: raw.state, cr3: 0,
                                            registers: X86_64Registers(), name: text(raw.name), detail: ""))
                continue
            }
            processes.append(DebugProcess(
                pid: raw.pid, parentPID: raw.parent_pid, state: raw.state,
                cr3: isPageTableRoot(raw.cr3, memory: memory) ? raw.cr3 : 0,
                registers: registers(raw, state: state),
                name: text(raw.name), detail: text(raw.detail)))
        }
        processes.sort { $0.pid < $1.pid }
        zombies.sort { $0.pid < $1.pid }
        let current = processes.contains { $0.pid == state.current_pid } ? state.current_pid : 0
        var snapshot = ProcessSnapshot(processes: processes, currentPID: current)
        snapshot.zombies = zombies
        snapshot = snapshot.withFrames(of: state)
        if state.user_mode != 0, state.user_cr3 != 0 {
            let owners = processes.filter { $0.cr3 == state.user_cr3 }
            snapshot.stoppedPID = (owners.first { $0.pid == current } ?? owners.first)?.pid ?? 0
        }
        return snapshot
    }

    /// With the stop's frame counts. They are only shown, never used for an address: a free count
    /// above the total is the guest's nonsense and reads as "not reported".
    func withFrames(of state: sv_debug_state) -> ProcessSnapshot {
        var s = self
        if state.free_frames <= state.total_frames {
            s.totalFrames = state.total_frames
            s.freeFrames = state.free_frames
        }
        return s
    }

    /// A 4 KiB-aligned page inside RAM.
    static func isPageTableRoot(_ cr3: UInt64, memory: GuestMemory) -> Bool {
        let root = cr3 & ~0xfff
        return root != 0 && memory.contains(GuestAddress(root), length: 4096)
    }

    static func registers(_ p: sv_debug_process, state: sv_debug_state) -> X86_64Registers {
        var r = X86_64Registers()
        r.gpr = [p.rax, p.rbx, p.rcx, p.rdx, p.rsi, p.rdi, p.rbp, p.rsp, p.r8, p.r9, p.r10, p.r11, p.r12, p.r13, p.r14, p.r15]
        r.rip = p.rip
        r.eflags = UInt32(truncatingIfNeeded: p.rflags)
        let cs = UInt32(truncatingIfNeeded: p.cs & 0xffff), ss = UInt32(truncatingIfNeeded: p.ss & 0xffff)
        r.segments = [cs, ss, ss, ss, 0, 0]
        // The machine's control registers, with the process's own address space.
        r.cr0 = state.cr0; r.cr3 = p.cr3; r.cr4 = state.cr4; r.efer = state.efer
        return r
    }

    /// A NUL-padded C string field: up to the first NUL, printable ASCII kept, anything else `?`.
    static func text<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { bytes in
            var s = ""
            for b in bytes {
                if b == 0 { break }
                s.unicodeScalars.append(b >= 0x20 && b < 0x7f ? Unicode.Scalar(b) : "?")
            }
            return s
        }
    }
}
