// CoreDumper.swift — `swiftvm run --core-dir DIR`: when a user process dies of a fault, the kernel
// reports it through the debug channel (SV_BOOT_FLAG_CORE_DUMPS, sv_debug.h SV_DEBUG_REASON_FAULT)
// and the VMM writes DIR/core.NAME.PID — the process's registers and every page it had mapped, read
// through its own page tables — before the kernel ends it. Written on the host, so a crash leaves a
// core even when the guest's filesystem is the thing that broke; `gdb build/NAME.elf CORE` opens it.
import ABI
import Glibc
import GuestMemory
import HostSupport

final class CoreDumper {
    let directory: String
    let memory: GuestMemory

    init(directory: String, memory: GuestMemory) {
        self.directory = directory
        self.memory = memory
    }

    /// The channel page at `address` reports a stop: for a user fault, write the core. Returns the
    /// file written, or nil (not a fault, or nothing usable in what the guest reported).
    @discardableResult
    func channelMessage(at address: UInt64) -> String? {
        guard let bytes = try? memory.read(at: GuestAddress(address), count: MemoryLayout<sv_debug_state>.size) else { return nil }
        let state = ChannelState(bytes: bytes).raw
        guard state.reason == UInt32(SV_DEBUG_REASON_FAULT), state.user_mode != 0,
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
