// DebugProcessTable.swift — the process list the VMM's gdb stub shows as threads (sv_debug.h,
// struct sv_debug_process): pid, name, state, address space and saved registers of every process.
// Written just before each debug-channel OUT, so it is exactly the kernel's state at the stop; the
// VMM reads it only while the vCPU waits in that OUT and validates every field (the guest is not
// trusted by the VMM).
import ABI
import Platform
import KernelCore

enum ProcessTable {
    /// SV_DEBUG_MAX_PROCESSES entries from the kernel heap, made at the first stop. The heap lies in
    /// the direct map (physically contiguous), so one guest-physical address describes it.
    // SAFETY (globals): changed only by kernel code, which runs on one CPU with interrupts off
    // (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var table: UnsafeMutablePointer<sv_debug_process>? = nil

    /// `mayAllocate` false at a panic: the heap may be what failed, so the table is published only
    /// if an earlier stop made it.
    static func publish(into s: UnsafeMutablePointer<sv_debug_state>, mayAllocate: Bool) {
        s.pointee.process_table = 0
        s.pointee.process_count = 0
        s.pointee.current_pid = CPULocal.current.map { $0.process.pid } ?? 0
        guard let kernel else { return }
        if table == nil && mayAllocate {
            var p: UnsafeMutableRawPointer? = nil
            let size = MemoryLayout<sv_debug_process>.stride * Int(SV_DEBUG_MAX_PROCESSES)
            guard posixMemalign(&p, 64, size) == 0, let p else { return }
            table = p.bindMemory(to: sv_debug_process.self, capacity: Int(SV_DEBUG_MAX_PROCESSES))
        }
        guard let table else { return }
        let running = CPULocal.current
        var count = 0
        for process in kernel.processes where count < Int(SV_DEBUG_MAX_PROCESSES) {
            let p = process.user
            var e = sv_debug_process()
            e.pid = p.pid
            e.parent_pid = p.parentPID
            if p.isZombie {
                e.state = UInt32(SV_DEBUG_PROCESS_ZOMBIE)
            } else if let t = p.threads.first?.user {
                e.cr3 = p.space.root.value
                let c = t.context
                e.rax = c.rax; e.rbx = c.rbx; e.rcx = c.rcx; e.rdx = c.rdx
                e.rsi = c.rsi; e.rdi = c.rdi; e.rbp = c.rbp; e.rsp = c.rsp
                e.r8 = c.r8; e.r9 = c.r9; e.r10 = c.r10; e.r11 = c.r11
                e.r12 = c.r12; e.r13 = c.r13; e.r14 = c.r14; e.r15 = c.r15
                e.rip = c.rip; e.rflags = c.rflags; e.cs = c.cs; e.ss = c.ss
                if t === running {
                    e.state = UInt32(SV_DEBUG_PROCESS_RUNNING)
                } else if let why = t.blockReason {
                    e.state = UInt32(SV_DEBUG_PROCESS_BLOCKED)
                    copy(describe(why), into: &e.detail)
                } else {
                    e.state = UInt32(SV_DEBUG_PROCESS_READY)
                }
            }
            copy(p.name, into: &e.name)
            table[count] = e
            count += 1
        }
        s.pointee.process_table = Memory.physical(UInt64(UInt(bitPattern: table))).value
        s.pointee.process_count = UInt32(count)
    }

    /// What a blocked thread waits for, in words (gdb shows it in `info threads`).
    static func describe(_ why: BlockReason) -> [UInt8] {
        func endpointName(_ id: Int) -> [UInt8] { kernel.ipc.endpoint(id)?.name ?? Array("?".utf8) }
        switch why {
        case .waitingForChild(let pid): return Array(pid > 0 ? "wait for child \(pid)".utf8 : "wait for any child".utf8)
        case .waitingForIRQ(let device): return Array("irq wait, device \(device)".utf8)
        case .readingConsole: return Array("reading the console".utf8)
        case .calling(let endpoint): return Array("IPC call to ".utf8) + endpointName(endpoint)
        case .awaitingReply(let server): return Array("IPC reply from pid \(server)".utf8)
        case .receiving(let endpoint): return Array("IPC receive on ".utf8) + endpointName(endpoint)
        case .sleeping: return Array("sleeping".utf8)
        case .readingPipe: return Array("reading a pipe".utf8)
        case .writingPipe: return Array("writing a pipe".utf8)
        case .awaitingService(let name): return Array("waiting for a server of ".utf8) + name
        case .polling: return Array("poll".utf8)
        case .suspended: return Array("waiting for a signal".utf8)
        }
    }

    /// NUL-padded, truncated so at least one NUL remains.
    static func copy<T>(_ bytes: [UInt8], into field: inout T) {
        withUnsafeMutableBytes(of: &field) { buffer in
            for i in 0..<buffer.count { buffer[i] = i < buffer.count - 1 && i < bytes.count ? bytes[i] : 0 }
        }
    }
}
