// Syscalls.swift — the system calls (numbers and convention in ABI/include/sv_syscall.h). Every
// argument is a register the user controls: pointers go through UserMemory, lengths are bounded,
// unknown numbers get ENOSYS.
import ABI
import Initrd
import Arch
import KernelCore

enum Syscalls {
    static func errno(_ e: Int32) -> UInt64 { UInt64(bitPattern: Int64(-e)) }

    /// Handles the SYSCALL in `p.context`; the result goes to rax. May block or end `p`.
    static func dispatch(_ p: Process) {
        let c = p.context
        let result: UInt64
        switch c.rax {
        case UInt64(SV_SYS_EXIT):
            terminate(p, status: Int32(truncatingIfNeeded: c.rdi))
            return
        case UInt64(SV_SYS_WRITE): result = write(p, fd: c.rdi, buffer: c.rsi, length: c.rdx)
        case UInt64(SV_SYS_GETPID): result = UInt64(p.pid)
        case UInt64(SV_SYS_YIELD):
            Scheduler.preemptRequested = true
            result = 0
        case UInt64(SV_SYS_NOP): result = 0
        case UInt64(SV_SYS_MAP_MEMORY): result = mapMemory(p, bytes: c.rdi)
        case UInt64(SV_SYS_READ):
            guard c.rdi == 0 else { result = errno(SV_EBADF); break }
            ConsoleInput.read(p, address: c.rsi, length: c.rdx)
            return
        case UInt64(SV_SYS_PROCESSES): result = processes(p, out: c.rdi, maximum: c.rsi)
        case UInt64(SV_SYS_KILL): result = kill(p, pid: Int32(truncatingIfNeeded: c.rdi))
        case UInt64(SV_SYS_IPC_SERVE): result = IPC.serve(p, name: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_IPC_LOOKUP): result = IPC.lookup(p, name: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_IPC_CALL):
            IPC.call(p, endpoint: Int(truncatingIfNeeded: c.rdi), call: c.rsi)
            return
        case UInt64(SV_SYS_IPC_RECEIVE):
            IPC.receive(p, endpoint: Int(truncatingIfNeeded: c.rdi), message: c.rsi)
            return
        case UInt64(SV_SYS_IPC_REPLY): result = IPC.reply(p, caller: c.rdi, buffer: c.rsi, length: c.rdx)
        case UInt64(SV_SYS_IPC_REPLY_RECEIVE):
            if c.rdx != 0 { _ = IPC.reply(p, caller: c.rdx, buffer: c.r10, length: c.r8) }
            IPC.receive(p, endpoint: Int(truncatingIfNeeded: c.rdi), message: c.rsi)
            return
        case UInt64(SV_SYS_IPC_LEASE_READ): result = IPC.lease(p, caller: c.rdi, offset: c.rsi, buffer: c.rdx, length: c.r10, write: false)
        case UInt64(SV_SYS_IPC_LEASE_WRITE): result = IPC.lease(p, caller: c.rdi, offset: c.rsi, buffer: c.rdx, length: c.r10, write: true)
        case UInt64(SV_SYS_PROGRAMS): result = programNames(p, buffer: c.rdi, capacity: c.rsi)
        case UInt64(SV_SYS_ENV_GET): result = environmentGet(p, buffer: c.rdi, capacity: c.rsi)
        case UInt64(SV_SYS_ENV_SET): result = environmentSet(p, buffer: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_SLEEP):
            // 0 is a yield; otherwise the next timer tick at or after the deadline wakes it.
            p.context.rax = 0
            if c.rdi > 0 {
                let now = Clock.nanoseconds()
                p.state = .sleeping(until: c.rdi > UInt64.max - now ? UInt64.max : now + c.rdi)
            } else {
                Scheduler.preemptRequested = true
            }
            return
        case UInt64(SV_SYS_CLOCK): result = Clock.nanoseconds()
        case UInt64(SV_SYS_SPAWN): result = spawn(p, name: c.rdi, length: c.rsi, flags: c.rdx)
        case UInt64(SV_SYS_WAIT):
            wait(p, pid: Int32(truncatingIfNeeded: c.rdi), whoOut: c.rsi)
            return
        case UInt64(SV_SYS_DEVICE_INFO), UInt64(SV_SYS_DEVICE_MAP), UInt64(SV_SYS_DMA_ALLOC), UInt64(SV_SYS_IRQ_WAIT):
            guard p.mayUseDevices else { result = errno(SV_EPERM); break }
            let index = Int(truncatingIfNeeded: c.rdi)
            switch c.rax {
            case UInt64(SV_SYS_DEVICE_INFO): result = DeviceTable.info(p, index: index, out: c.rsi)
            case UInt64(SV_SYS_DEVICE_MAP): result = DeviceTable.map(p, index: index)
            case UInt64(SV_SYS_DMA_ALLOC): result = DeviceTable.allocateDMA(p, bytes: c.rdi, physicalOut: c.rsi)
            default:
                DeviceTable.wait(p, index: index)
                return
            }
        default: result = errno(SV_ENOSYS)
        }
        p.context.rax = result
    }

    /// write(fd, buffer, length): fds 1 and 2 are the console. Copies at most 4 KiB per chunk
    /// through UserMemory; a fault after some bytes returns the count written (POSIX).
    static func write(_ p: Process, fd: UInt64, buffer: UInt64, length: UInt64) -> UInt64 {
        guard fd == 1 || fd == 2 else { return errno(SV_EBADF) }
        let user = p.userMemory
        do { try user.checkRange(buffer, length) } catch { return errno(SV_EFAULT) }
        var done: UInt64 = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while done < length {
            let n = Int(min(length - done, 4096))
            var failed = false
            chunk.withUnsafeMutableBytes { b in
                do throws(UserMemoryError) { try user.copyIn(from: buffer + done, length: n, into: b.baseAddress!) } catch { failed = true }
            }
            if failed { return done > 0 ? done : errno(SV_EFAULT) }
            chunk.withUnsafeBytes { b in Console.write(UnsafeRawBufferPointer(rebasing: b[0..<n])) }
            done += UInt64(n)
        }
        Console.flush()
        return done
    }

    /// processes(out, max): a snapshot of the process table for `ps`.
    static func processes(_ p: Process, out: UInt64, maximum: UInt64) -> UInt64 {
        let all = Scheduler.processes
        let n = min(UInt64(all.count), maximum)
        let size = UInt64(MemoryLayout<sv_process_info>.stride)
        guard n == 0 || (try? p.userMemory.checkRange(out, n * size)) != nil else { return errno(SV_EFAULT) }
        for (i, q) in all.prefix(Int(n)).enumerated() {
            var info = sv_process_info()
            info.pid = q.pid
            info.parent = q.parentPID
            info.state = q.state == .runnable ? UInt32(SV_PROCESS_RUNNABLE) : q.state == .zombie ? UInt32(SV_PROCESS_ZOMBIE) : UInt32(SV_PROCESS_BLOCKED)
            withUnsafeMutableBytes(of: &info.name) { name in
                for (j, b) in q.name.prefix(47).enumerated() { name[j] = b }
            }
            do { try p.userMemory.copyOut(to: out + UInt64(i) * size, from: &info, length: Int(size)) } catch { return errno(SV_EFAULT) }
        }
        return UInt64(all.count)
    }

    /// kill(pid): ends another process (SIGKILL's status). pid 1 (init) cannot be killed.
    static func kill(_ p: Process, pid: Int32) -> UInt64 {
        guard pid != 1 else { return errno(SV_EPERM) }
        guard let target = Scheduler.process(pid), target.state != .zombie else { return errno(SV_ESRCH) }
        if target === p {
            terminate(p, status: 128 + 9)
            return 0
        }
        terminate(target, status: 128 + 9)
        return 0
    }

    static let maximumMapping: UInt64 = 64 << 20

    /// map_memory(bytes): fresh zeroed pages (read-write, not executable) at the process's heap
    /// region. All or nothing: on ENOMEM no page stays mapped (they belong to the address space,
    /// which frees them with the process either way).
    static func mapMemory(_ p: Process, bytes: UInt64) -> UInt64 {
        guard bytes > 0, bytes <= maximumMapping else { return errno(SV_EINVAL) }
        let size = (bytes + pageSize - 1) & ~(pageSize - 1)
        guard p.heapNext + size <= UInt64(SV_USER_HEAP_LIMIT), Memory.frames!.freeCount >= size / pageSize + 8 else {
            return errno(SV_ENOMEM)
        }
        let base = p.heapNext
        do {
            try Programs.mapZeroed(from: base, to: base + size, flags: [.user, .writable, .noExecute], into: p.space)
        } catch {
            return errno(SV_ENOMEM)
        }
        p.heapNext += size
        return base
    }

    static let maximumCommandLine: UInt64 = 1024

    /// spawn(cmdline, length): starts the initrd program named by the first word of the command
    /// line as a child of `p`, with all the words as its arguments.
    static func spawn(_ p: Process, name: UInt64, length: UInt64, flags: UInt64) -> UInt64 {
        guard length > 0, length <= maximumCommandLine, flags & ~UInt64(SV_SPAWN_DEVICES) == 0 else { return errno(SV_EINVAL) }
        // A right can only be passed on, never created.
        if flags & UInt64(SV_SPAWN_DEVICES) != 0 && !p.mayUseDevices { return errno(SV_EPERM) }
        let bytes: [UInt8]
        do { bytes = try p.userMemory.bytes(at: name, count: Int(length)) } catch { return errno(SV_EFAULT) }
        // Bound the process table: processes cost kernel heap, which must never run out.
        guard Scheduler.processes.count < Scheduler.maximumProcesses else { return errno(SV_EAGAIN) }
        let words = bytes.split(separator: UInt8(ascii: " ")).map { Array($0) }
        guard let program = words.first, !words.contains(where: { $0.contains(0) }) else { return errno(SV_EINVAL) }
        switch Programs.start(name: program, arguments: words, parentPID: p.pid) {
        case .success(let child):
            child.mayUseDevices = flags & UInt64(SV_SPAWN_DEVICES) != 0
            child.environment = p.environment
            return UInt64(child.pid)
        case .failure(let e): return errno(e.code)
        }
    }

    /// programs(buf, cap): the initrd's program names, "name\n" each (what spawn can start).
    static func programNames(_ p: Process, buffer: UInt64, capacity: UInt64) -> UInt64 {
        var text: [UInt8] = []
        for e in Programs.entries { text += e.name + [UInt8(ascii: "\n")] }
        let n = min(UInt64(text.count), capacity)
        guard n > 0 else { return UInt64(text.count) }
        let copied = text.withUnsafeBytes { (try? p.userMemory.copyOut(to: buffer, from: $0.baseAddress!, length: Int(n))) != nil }
        return copied ? UInt64(text.count) : errno(SV_EFAULT)
    }

    /// env_get(buf, cap): copies as much of the environment as fits; returns its whole length.
    static func environmentGet(_ p: Process, buffer: UInt64, capacity: UInt64) -> UInt64 {
        let n = min(UInt64(p.environment.count), capacity)
        guard n > 0 else { return UInt64(p.environment.count) }
        let copied = p.environment.withUnsafeBytes { (try? p.userMemory.copyOut(to: buffer, from: $0.baseAddress!, length: Int(n))) != nil }
        return copied ? UInt64(p.environment.count) : errno(SV_EFAULT)
    }

    /// env_set(buf, len): the new environment; empty, or NUL-terminated strings within the limit.
    static func environmentSet(_ p: Process, buffer: UInt64, length: UInt64) -> UInt64 {
        guard length <= UInt64(SV_ENVIRONMENT_MAX) else { return errno(SV_E2BIG) }
        guard let bytes = try? p.userMemory.bytes(at: buffer, count: Int(length)) else { return errno(SV_EFAULT) }
        guard bytes.isEmpty || bytes.last == 0 else { return errno(SV_EINVAL) }
        p.environment = bytes
        return 0
    }

    /// wait(pid, who): blocks until child `pid` (0: any child) has exited; returns its status,
    /// stores its pid at `who` (when not 0: how a supervisor learns which child ended), and reaps
    /// it. ECHILD if there is no such child; EFAULT (before blocking) if `who` is not writable.
    static func wait(_ p: Process, pid: Int32, whoOut: UInt64) {
        let children = Scheduler.processes.filter { $0.parentPID == p.pid && (pid == 0 || $0.pid == pid) }
        guard !children.isEmpty else {
            p.context.rax = errno(SV_ECHILD)
            return
        }
        if whoOut != 0 {
            do { try p.userMemory.checkRange(whoOut, 8) } catch { p.context.rax = errno(SV_EFAULT); return }
        }
        p.waitWhoAddress = whoOut
        if let zombie = children.first(where: { $0.state == .zombie }) {
            finishWait(p, child: zombie)
            return
        }
        p.state = .waiting(pid: pid)
    }

    /// Completes `parent`'s wait with `child`'s exit, and reaps the child.
    static func finishWait(_ parent: Process, child: Process) {
        parent.context.rax = UInt64(UInt32(bitPattern: child.exitStatus))
        if parent.waitWhoAddress != 0 {
            // Checked writable when the wait began; the parent's space cannot shrink while it waits.
            try? parent.userMemory.storeUInt64(UInt64(child.pid), at: parent.waitWhoAddress)
        }
        parent.state = .runnable
        reap(child)
    }

    /// Ends `p` with `status`: frees its memory, wakes a waiting parent, or — for the init process —
    /// powers the machine off with that status.
    static func terminate(_ p: Process, status: Int32) {
        IPC.processEnded(p)
        DeviceTable.release(p)
        p.exitStatus = status
        p.state = .zombie
        if Scheduler.fpuOwner === p { Scheduler.fpuOwner = nil }
        Memory.destroyUserSpace(p.space)
        // Orphans go to init; zombies nobody can wait for any more are reaped now.
        for child in Scheduler.processes where child.parentPID == p.pid {
            child.parentPID = 1
            if child.state == .zombie { reap(child) }
        }
        if p.pid == 1 {
            log("init exited with status \(status) after \(Clock.nanoseconds() / 1_000_000) ms and \(Kernel.ticks) timer ticks; powering off")
            Power.off(status: UInt32(bitPattern: status))
        }
        if let parent = Scheduler.process(p.parentPID), case .waiting(let want) = parent.state,
           want == 0 || want == p.pid {
            finishWait(parent, child: p)
        }
    }

    static func reap(_ p: Process) {
        Scheduler.processes.removeAll { $0 === p }
    }
}

enum Power {
    /// Writes the exit status to the debug-exit port (sv_machine.h). Never returns.
    static func off(status: UInt32) -> Never {
        Console.flush()
        sv_outl(UInt16(SV_PORT_DEBUG_EXIT), status)
        while true { sv_hlt() }
    }
}
