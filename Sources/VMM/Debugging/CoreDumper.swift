// CoreDumper.swift — `swiftvm run --core-dir DIR`: when a user process dies of a fault, the kernel
// reports it through the debug channel (SV_BOOT_FLAG_CORE_DUMPS, sv_debug.h SV_DEBUG_REASON_FAULT)
// and the VMM writes DIR/core.NAME.PID — the process's registers and every page it had mapped, read
// through its own page tables — before the kernel ends it. Written on the host, so a crash leaves a
// core even when the guest's filesystem is the thing that broke; `gdb build/NAME.elf CORE` opens it.
// A kernel panic (`--core FILE`, or DIR/core.kernel) writes the kernel's core: all of guest RAM at
// its direct-map addresses (where the kernel is linked, sv_machine.h), the panic's registers as the
// first thread and every process's saved user registers as further threads (pid = LWP); `gdb
// build/kernel.elf CORE` reads the kernel's variables and its backtrace.
import ABI
import Glibc
import GuestMemory
import HostSupport

final class CoreDumper {
    /// Where user processes' cores go (nil: none are written).
    let directory: String?
    /// Where a kernel panic's core goes (nil: none).
    let kernelCorePath: String?
    let memory: GuestMemory

    init(directory: String?, kernelCorePath: String?, memory: GuestMemory) {
        self.directory = directory
        self.kernelCorePath = kernelCorePath
        self.memory = memory
    }

    /// The channel page at `address` reports a stop: for a user fault, write the core. Returns the
    /// file written, or nil (not a fault, or nothing usable in what the guest reported).
    @discardableResult
    func channelMessage(at address: UInt64) -> String? {
        guard let bytes = try? memory.read(at: GuestAddress(address), count: MemoryLayout<sv_debug_state>.size) else { return nil }
        let state = ChannelState(bytes: bytes).raw
        if state.reason == UInt32(SV_DEBUG_REASON_PANIC), let kernelCorePath { return writeKernelCore(state, to: kernelCorePath) }
        guard let directory, state.reason == UInt32(SV_DEBUG_REASON_FAULT), state.user_mode != 0,
              ProcessSnapshot.isPageTableRoot(state.user_cr3, memory: memory) else { return nil }
        let snapshot = ProcessSnapshot.read(state, memory: memory)
        let owner = snapshot.process(snapshot.stoppedPID)
        let name = owner.map(\.name).flatMap { ProgramSymbols.isPlainName($0) ? $0 : nil } ?? "process"
        let process = CoreFile.Process(
            pid: owner?.pid ?? 0, parentPID: owner?.parentPID ?? 0, name: name, signal: CoreDumper.signal(vector: state.vector),
            gpr: [state.rax, state.rbx, state.rcx, state.rdx, state.rsi, state.rdi, state.rbp, state.rsp,
                  state.r8, state.r9, state.r10, state.r11, state.r12, state.r13, state.r14, state.r15],
            rip: state.rip, rflags: state.rflags, cs: state.cs, ss: state.ss)
        let path = "\(directory)/core.\(name).\(process.pid)"
        guard write(CoreFile.bytes(process: process, segments: segments(root: state.user_cr3)), to: path) else {
            writeStandardError("swiftvm: cannot write the core file \(path): \(String(cString: strerror(errno)))\n")
            return nil
        }
        writeStandardError("swiftvm: pid \(process.pid) (\(name)) died of signal \(process.signal); core written to \(path)\n")
        return path
    }

    /// The user pages of the address space `root`, as runs of contiguous addresses with the same
    /// permissions. At most guest RAM's size in all (one frame mapped at many addresses cannot make
    /// the core larger than the machine).
    func segments(root: UInt64) -> [CoreFile.Segment] {
        let mappings = UserMappings.walk(root: root, userEnd: UInt64(SV_USER_END)) { gpa in
            try? self.memory.load(UInt64.self, at: GuestAddress(gpa))
        }
        var segments: [CoreFile.Segment] = []
        var total: UInt64 = 0
        for m in mappings {
            guard total + m.size <= memory.size, let bytes = try? memory.read(at: GuestAddress(m.physicalAddress), count: Int(m.size)) else { continue }
            total += m.size
            if var last = segments.last, last.virtualAddress + UInt64(last.bytes.count) == m.virtualAddress,
               last.writable == m.writable, last.executable == m.executable {
                last.bytes += bytes
                segments[segments.count - 1] = last
            } else {
                segments.append(CoreFile.Segment(virtualAddress: m.virtualAddress, bytes: bytes, writable: m.writable, executable: m.executable))
            }
        }
        return segments
    }

    /// The kernel's core at a panic. Written to PATH.partial and renamed, so PATH is whole or absent;
    /// pages of zeros are left as holes (the file is as large as RAM, the disk use is what the guest touched).
    func writeKernelCore(_ state: sv_debug_state, to path: String) -> String? {
        let snapshot = ProcessSnapshot.read(state, memory: memory)
        let kernel = CoreFile.Process(
            pid: Int32.max, parentPID: 0, name: "kernel", signal: CoreDumper.signal(vector: state.vector),
            gpr: [state.rax, state.rbx, state.rcx, state.rdx, state.rsi, state.rdi, state.rbp, state.rsp,
                  state.r8, state.r9, state.r10, state.r11, state.r12, state.r13, state.r14, state.r15],
            rip: state.rip, rflags: state.rflags, cs: state.cs, ss: state.ss)
        var notes = CoreFile.note(type: CoreFile.ntPRStatus, descriptor: CoreFile.prstatus(kernel))
        notes += CoreFile.note(type: CoreFile.ntPRPSInfo, descriptor: CoreFile.prpsinfo(kernel))
        for p in snapshot.processes {
            let r = p.registers
            let thread = CoreFile.Process(pid: p.pid, parentPID: p.parentPID, name: p.name, signal: 0, gpr: r.gpr,
                                          rip: r.rip, rflags: UInt64(r.eflags), cs: UInt64(r.segments[0]), ss: UInt64(r.segments[1]))
            notes += CoreFile.note(type: CoreFile.ntPRStatus, descriptor: CoreFile.prstatus(thread))
        }
        // RAM as the kernel sees it: one segment per region of the direct map (the MMIO hole apart).
        let segments = memory.regions.map {
            CoreFile.LoadSegment(virtualAddress: UInt64(SV_DIRECT_MAP_BASE) + $0.guestPhysical, size: $0.size, writable: true, executable: true)
        }
        let layout = CoreFile.headers(notes: notes, segments: segments)
        let partial = path + ".partial"
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            writeStandardError("swiftvm: cannot write the kernel core \(partial): \(String(cString: strerror(errno)))\n")
            return nil
        }
        var ok = CoreDumper.writeAll(fd, layout.prefix.withUnsafeBytes { $0 }, at: 0)
        let page = 4096
        for (i, region) in memory.regions.enumerated() {
            // SAFETY: each region lies inside the one host mapping of guest RAM (GuestMemory).
            let base = UnsafeRawBufferPointer(start: memory.hostBase + Int(region.hostOffset), count: Int(region.size))
            var offset = 0
            // Pages of zeros stay holes in the file (most of RAM, untouched).
            while ok && offset < base.count {
                let chunk = UnsafeRawBufferPointer(rebasing: base[offset..<min(offset + page, base.count)])
                if chunk.contains(where: { $0 != 0 }) {
                    ok = CoreDumper.writeAll(fd, chunk, at: Int(layout.dataOffsets[i]) + offset)
                }
                offset += page
            }
        }
        let lastRegion = memory.regions.count - 1
        ok = ok && ftruncate(fd, off_t(layout.dataOffsets[lastRegion] + memory.regions[lastRegion].size)) == 0
        close(fd)
        guard ok, rename(partial, path) == 0 else {
            writeStandardError("swiftvm: cannot write the kernel core \(path): \(String(cString: strerror(errno)))\n")
            unlink(partial)
            return nil
        }
        writeStandardError("swiftvm: kernel panic; core written to \(path) (open it with gdb build/kernel.elf \(path))\n")
        return path
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// The signal a Linux process gets for that exception (what gdb prints: "terminated with signal").
    static func signal(vector: UInt32) -> Int32 {
        switch vector {
        case 0, 16, 19: return 8    // SIGFPE
        case 6: return 4            // SIGILL
        case 1, 3: return 5         // SIGTRAP
        default: return 11          // SIGSEGV
        }
    }

    func write(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}
