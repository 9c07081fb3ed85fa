// Syscalls.swift — the system calls (numbers and convention in ABI/include/sv_syscall.h). Every
// argument is a register the user controls: pointers go through UserMemory, lengths are bounded,
// unknown numbers get ENOSYS.
import ABI
import Initrd
import Arch
import Platform
import KernelCore

enum Syscalls {
    static func errno(_ e: Int32) -> UInt64 { UInt64(bitPattern: Int64(-e)) }

    /// A KernelCore result as the value a system call returns.
    static func result(_ r: Result<UInt64, KernelError>) -> UInt64 {
        switch r {
        case .success(let v): return v
        case .failure(let e): return e.result
        }
    }

    /// Handles the SYSCALL in `t.context`; the result goes to rax (or, for a call that blocks,
    /// into the completion KernelCore records for it). May block or end `t`.
    static func dispatch(_ t: UserThread) {
        let c = t.context
        let p = t.process
        let result: UInt64
        t.syscallNumber = c.rax
        switch c.rax {
        case UInt64(SV_SYS_EXIT):
            terminate(p, status: Int32(truncatingIfNeeded: c.rdi))
            return
        case UInt64(SV_SYS_WRITE):
            guard let r = UnixCalls.write(t, fd: c.rdi, buffer: c.rsi, length: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_GETPID): result = UInt64(p.pid)
        case UInt64(SV_SYS_YIELD):
            kernel.scheduler.requestPreemption(cpu: CPULocal.index)
            result = 0
        case UInt64(SV_SYS_NOP): result = 0
        case UInt64(SV_SYS_MAP_MEMORY): result = mapMemory(p, bytes: c.rdi)
        case UInt64(SV_SYS_READ):
            guard let r = UnixCalls.read(t, fd: c.rdi, buffer: c.rsi, length: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_CLOSE): result = UnixCalls.close(t, fd: c.rdi)
        case UInt64(SV_SYS_DUP): result = UnixCalls.dup(t, fd: c.rdi)
        case UInt64(SV_SYS_DUP3): result = UnixCalls.dup3(t, old: c.rdi, new: c.rsi, flags: c.rdx)
        case UInt64(SV_SYS_FCNTL): result = UnixCalls.fcntl(t, fd: c.rdi, command: c.rsi, argument: c.rdx)
        case UInt64(SV_SYS_PIPE): result = UnixCalls.pipe(t, out: c.rdi, flags: c.rsi)
        case UInt64(SV_SYS_FORK): result = UnixCalls.fork(t)
        case UInt64(SV_SYS_EXEC):
            guard let r = UnixCalls.exec(t, request: c.rdi) else { return }
            result = r
        case UInt64(SV_SYS_WAITPID):
            guard let r = UnixCalls.waitpid(t, pid: c.rdi, status: c.rsi, options: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_GETPPID): result = UInt64(bitPattern: Int64(p.parentPID))
        case UInt64(SV_SYS_MMAP): result = MemoryCalls.mmap(p, address: c.rdi, length: c.rsi, protection: c.rdx, flags: c.r10)
        case UInt64(SV_SYS_MUNMAP): result = MemoryCalls.munmap(p, address: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_MPROTECT): result = MemoryCalls.mprotect(p, address: c.rdi, length: c.rsi, protection: c.rdx)
        case UInt64(SV_SYS_BRK): result = MemoryCalls.brk(p, address: c.rdi)
        case UInt64(SV_SYS_CLOCK_GETTIME): result = Clock.get(t, clock: c.rdi, out: c.rsi)
        case UInt64(SV_SYS_KERNEL_COUNTERS):
            result = (try? t.userMemory.store(value: kernel.counters.abi, at: c.rdi)) != nil ? 0 : errno(SV_EFAULT)
        case UInt64(SV_SYS_MEMORY_INFO):
            let info = sv_memory_info(page_size: pageSize, total_frames: Memory.frames!.frameCount, free_frames: UInt64(Memory.frames!.freeCount))
            result = (try? t.userMemory.store(value: info, at: c.rdi)) != nil ? 0 : errno(SV_EFAULT)
        case UInt64(SV_SYS_OPEN):
            guard let r = FileCalls.open(t, path: c.rdi, length: c.rsi, flags: c.rdx, mode: c.r10) else { return }
            result = r
        case UInt64(SV_SYS_LSEEK):
            guard let r = FileCalls.lseek(t, fd: c.rdi, offset: c.rsi, whence: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_FSTAT):
            guard let r = FileCalls.fstat(t, fd: c.rdi, out: c.rsi) else { return }
            result = r
        case UInt64(SV_SYS_STAT):
            guard let r = FileCalls.stat(t, path: c.rdi, length: c.rsi, out: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_FTRUNCATE):
            guard let r = FileCalls.ftruncate(t, fd: c.rdi, length: c.rsi) else { return }
            result = r
        case UInt64(SV_SYS_FSYNC):
            guard let r = FileCalls.fsync(t, fd: c.rdi) else { return }
            result = r
        case UInt64(SV_SYS_GETDENTS):
            guard let r = FileCalls.getdents(t, fd: c.rdi, buffer: c.rsi, length: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_POLL):
            guard let r = PollCalls.poll(t, fds: c.rdi, count: c.rsi, timeout: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_IPC_LEASE_MAP): result = IPCCalls.leaseMap(t, caller: c.rdi, offset: c.rsi, length: c.rdx)
        case UInt64(SV_SYS_IPC_HANDLES): result = FileCalls.openHandles(t, out: c.rdi, maximum: c.rsi)
        case UInt64(SV_SYS_PROCESSES): result = processes(t, out: c.rdi, maximum: c.rsi)
        case UInt64(SV_SYS_KILL): result = SignalCalls.kill(t, pid: c.rdi, signal: c.rsi)
        case UInt64(SV_SYS_SIGACTION): result = SignalCalls.sigaction(t, signal: c.rdi, new: c.rsi, old: c.rdx)
        case UInt64(SV_SYS_SIGPROCMASK): result = SignalCalls.sigprocmask(t, how: c.rdi, set: c.rsi, old: c.rdx)
        case UInt64(SV_SYS_SIGRETURN):
            SignalFrames.sigreturn(t)
            return
        case UInt64(SV_SYS_SIGPENDING): result = SignalCalls.sigpending(t, out: c.rdi)
        case UInt64(SV_SYS_SIGSUSPEND):
            SignalCalls.sigsuspend(t, mask: c.rdi)
            return
        case UInt64(SV_SYS_ALARM): result = SignalCalls.alarm(t, nanoseconds: c.rdi)
        case UInt64(SV_SYS_SETPGID): result = SignalCalls.setpgid(t, pid: c.rdi, pgid: c.rsi)
        case UInt64(SV_SYS_GETPGID): result = SignalCalls.getpgid(t, pid: c.rdi)
        case UInt64(SV_SYS_SETSID): result = SignalCalls.setsid(t)
        case UInt64(SV_SYS_GETSID): result = SignalCalls.getsid(t, pid: c.rdi)
        case UInt64(SV_SYS_ARCH_PRCTL): result = ThreadAreaCalls.archPrctl(t, code: c.rdi, address: c.rsi)
        case UInt64(SV_SYS_IOCTL):
            guard let r = TerminalCalls.ioctl(t, fd: c.rdi, request: c.rsi, argument: c.rdx) else { return }
            result = r
        case UInt64(SV_SYS_CONSOLE_ATTACH): result = ConsoleInput.attach(p, endpoint: Int(truncatingIfNeeded: c.rdi))
        case UInt64(SV_SYS_CONSOLE_WRITE): result = TerminalCalls.consoleWrite(t, buffer: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_IPC_SERVE): result = IPCCalls.serve(t, name: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_IPC_LOOKUP): result = IPCCalls.lookup(t, name: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_IPC_CALL):
            IPCCalls.call(t, endpoint: Int(truncatingIfNeeded: c.rdi), call: c.rsi)
            return
        case UInt64(SV_SYS_IPC_RECEIVE):
            IPCCalls.receive(t, endpoint: Int(truncatingIfNeeded: c.rdi), message: c.rsi)
            return
        case UInt64(SV_SYS_IPC_REPLY): result = IPCCalls.reply(t, caller: c.rdi, buffer: c.rsi, length: c.rdx)
        case UInt64(SV_SYS_IPC_REPLY_RECEIVE):
            if c.rdx != 0 { _ = IPCCalls.reply(t, caller: c.rdx, buffer: c.r10, length: c.r8) }
            IPCCalls.receive(t, endpoint: Int(truncatingIfNeeded: c.rdi), message: c.rsi)
            return
        case UInt64(SV_SYS_IPC_LEASE_READ): result = IPCCalls.lease(t, caller: c.rdi, offset: c.rsi, buffer: c.rdx, length: c.r10, write: false)
        case UInt64(SV_SYS_IPC_LEASE_WRITE): result = IPCCalls.lease(t, caller: c.rdi, offset: c.rsi, buffer: c.rdx, length: c.r10, write: true)
        case UInt64(SV_SYS_PROGRAMS): result = programNames(t, buffer: c.rdi, capacity: c.rsi)
        case UInt64(SV_SYS_ENV_GET): result = environmentGet(t, buffer: c.rdi, capacity: c.rsi)
        case UInt64(SV_SYS_ENV_SET): result = environmentSet(t, buffer: c.rdi, length: c.rsi)
        case UInt64(SV_SYS_SLEEP):
            // 0 is a yield; otherwise the next timer tick at or after the deadline wakes it.
            kernel.sleep(t, nanoseconds: c.rdi, now: Clock.nanoseconds())
            return
        case UInt64(SV_SYS_CLOCK): result = Clock.nanoseconds()
        case UInt64(SV_SYS_SPAWN): result = spawn(t, name: c.rdi, length: c.rsi, flags: c.rdx, devices: c.r10)
        case UInt64(SV_SYS_WAIT):
            wait(t, pid: Int32(truncatingIfNeeded: c.rdi), whoOut: c.rsi)
            return
        case UInt64(SV_SYS_DEVICE_INFO), UInt64(SV_SYS_DEVICE_MAP), UInt64(SV_SYS_DMA_ALLOC), UInt64(SV_SYS_IRQ_WAIT), UInt64(SV_SYS_IRQ_NOTIFY):
            guard p.mayUseDevices else { result = errno(SV_EPERM); break }
            let index = Int(truncatingIfNeeded: c.rdi)
            switch c.rax {
            case UInt64(SV_SYS_DEVICE_INFO): result = Devices.info(t, index: index, out: c.rsi)
            case UInt64(SV_SYS_DEVICE_MAP): result = Devices.map(p, index: index)
            case UInt64(SV_SYS_DMA_ALLOC): result = Devices.allocateDMA(t, bytes: c.rdi, physicalOut: c.rsi)
            case UInt64(SV_SYS_IRQ_NOTIFY):
                let endpoint = c.rsi <= UInt64(Int32.max) ? Int(c.rsi) : -1
                switch kernel.notifyInterrupts(p, device: index, endpoint: endpoint) {
                case .success: result = 0
                case .failure(let e): result = e.result
                }
            default:
                if case .failure(let e) = kernel.waitForInterrupt(t, device: index) { t.context.rax = e.result }
                return
            }
        default:
            result = CredentialCalls.dispatch(t, number: c.rax, c.rdi, c.rsi) ?? errno(SV_ENOSYS)
        }
        t.context.rax = result
    }

    /// write to the console: copies at most 4 KiB per chunk through UserMemory; a fault after
    /// some bytes returns the count written (POSIX). `errors`: to the error console (fd 2).
    static func writeConsole(_ t: UserThread, buffer: UInt64, length: UInt64, errors: Bool = false) -> UInt64 {
        let user = t.userMemory
        do { try user.checkRange(buffer, length) } catch { return errno(SV_EFAULT) }
        var done: UInt64 = 0
        while done < length {
            let n = Int(min(length - done, 4096))
            guard let chunk = try? user.bytes(at: buffer + done, count: n) else { return done > 0 ? done : errno(SV_EFAULT) }
            if errors { ErrorConsole.write(chunk) } else { for b in chunk { Console.put(b) } }
            done += UInt64(n)
        }
        Console.flush()
        return done
    }

    /// processes(out, max): a snapshot of the process table for `ps`.
    static func processes(_ t: UserThread, out: UInt64, maximum: UInt64) -> UInt64 {
        let all = kernel.processes
        let n = min(UInt64(all.count), maximum)
        let size = UInt64(MemoryLayout<sv_process_info>.stride)
        guard n == 0 || (try? t.userMemory.checkRange(out, n * size)) != nil else { return errno(SV_EFAULT) }
        for (i, q) in all.prefix(Int(n)).enumerated() {
            var info = sv_process_info()
            info.pid = q.pid
            info.parent = q.parentPID
            info.state = kernel.displayState(q)
            info.pgid = q.pgid
            info.sid = q.sid
            info.uid = q.credentials.uid
            info.euid = q.credentials.euid
            // SAFETY: writes stay inside `info.name` (48 bytes; at most 47 written, NUL after).
            withUnsafeMutableBytes(of: &info.name) { name in
                for (j, b) in q.name.prefix(47).enumerated() { name[j] = b }
            }
            do { try t.userMemory.store(value: info, at: out + UInt64(i) * size) } catch { return errno(SV_EFAULT) }
        }
        return UInt64(all.count)
    }

    static let maximumMapping: UInt64 = 64 << 20

    /// map_memory(bytes): fresh zeroed pages (read-write, not executable) at the process's heap
    /// region. All or nothing: on ENOMEM no page stays mapped (they belong to the address space,
    /// which frees them with the process either way).
    static func mapMemory(_ p: UserProcess, bytes: UInt64) -> UInt64 {
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
    /// line as a child of `t`'s process, with all the words as its arguments.
    static func spawn(_ t: UserThread, name: UInt64, length: UInt64, flags: UInt64, devices: UInt64) -> UInt64 {
        let p = t.process
        guard length > 0, length <= maximumCommandLine, flags & ~UInt64(SV_SPAWN_DEVICES | SV_SPAWN_DEVICE_SET) == 0 else { return errno(SV_EINVAL) }
        // A right can only be passed on, never created.
        let rights: UInt64
        switch kernel.grantedDevices(from: p, flags: flags, requested: devices) {
        case .success(let r): rights = r
        case .failure(let e): return e.result
        }
        let bytes: [UInt8]
        do { bytes = try t.userMemory.bytes(at: name, count: Int(length)) } catch { return errno(SV_EFAULT) }
        // Bound the process table: processes cost kernel heap, which must never run out.
        guard kernel.processes.count < KernelState.maximumProcesses else { return errno(SV_EAGAIN) }
        let words = bytes.split(separator: UInt8(ascii: " ")).map { Array($0) }
        guard let program = words.first, !words.contains(where: { $0.contains(0) }) else { return errno(SV_EINVAL) }
        switch Programs.start(name: program, arguments: words, parentPID: p.pid) {
        case .success(let child):
            child.deviceRights = rights
            kernel.spawned(child, from: p)
            return UInt64(child.pid)
        case .failure(let e): return errno(e.code)
        }
    }

    /// programs(buf, cap): the initrd's program names, "name\n" each (what spawn can start).
    static func programNames(_ t: UserThread, buffer: UInt64, capacity: UInt64) -> UInt64 {
        var text: [UInt8] = []
        for e in Programs.entries { text += e.name + [UInt8(ascii: "\n")] }
        let n = min(UInt64(text.count), capacity)
        guard n > 0 else { return UInt64(text.count) }
        let copied = (try? t.userMemory.store(Array(text.prefix(Int(n))), at: buffer)) != nil
        return copied ? UInt64(text.count) : errno(SV_EFAULT)
    }

    /// env_get(buf, cap): copies as much of the environment as fits; returns its whole length.
    static func environmentGet(_ t: UserThread, buffer: UInt64, capacity: UInt64) -> UInt64 {
        let environment = t.process.environment
        let n = min(UInt64(environment.count), capacity)
        guard n > 0 else { return UInt64(environment.count) }
        let copied = (try? t.userMemory.store(Array(environment.prefix(Int(n))), at: buffer)) != nil
        return copied ? UInt64(environment.count) : errno(SV_EFAULT)
    }

    /// env_set(buf, len): the new environment; empty, or NUL-terminated strings within the limit.
    static func environmentSet(_ t: UserThread, buffer: UInt64, length: UInt64) -> UInt64 {
        guard length <= UInt64(SV_ENVIRONMENT_MAX) else { return errno(SV_E2BIG) }
        guard let bytes = try? t.userMemory.bytes(at: buffer, count: Int(length)) else { return errno(SV_EFAULT) }
        guard bytes.isEmpty || bytes.last == 0 else { return errno(SV_EINVAL) }
        t.process.environment = bytes
        return 0
    }

    /// wait(pid, who): blocks until child `pid` (0: any child) has exited; returns its status,
    /// stores its pid at `who` (when not 0: how a supervisor learns which child ended), and reaps
    /// it. ECHILD if there is no such child; EFAULT (before blocking) if `who` is not writable.
    static func wait(_ t: UserThread, pid: Int32, whoOut: UInt64) {
        // ECHILD comes before EFAULT (the order this call has always had).
        if !kernel.hasChild(of: t.pid, pid) {
            t.context.rax = errno(SV_ECHILD)
            return
        }
        if whoOut != 0 {
            do { try t.userMemory.checkRange(whoOut, 8) } catch { t.context.rax = errno(SV_EFAULT); return }
        }
        if case .failure(let e) = kernel.wait(t, pid: pid, whoAddress: whoOut) { t.context.rax = e.result }
    }

    /// Ends `p` with `status` (KernelCore decides what follows), then does the machine's part.
    static func terminate(_ p: UserProcess, status: Int32, signal: Int32 = 0) {
        finishExit(p, kernel.exit(p, status: status, signal: signal))
        finishSignalExits()
    }

    /// Finishes the processes signals ended in KernelCore (their exits are queued there).
    static func finishSignalExits() {
        while true {
            let ended = kernel.takeSignalExits()
            if ended.isEmpty { return }
            for (q, effects) in ended { finishExit(q.user, effects) }
        }
    }

    /// After KernelCore ended `p`: reset the devices it drove before its memory (their DMA
    /// target) is freed, free the address space, and for init power off.
    static func finishExit(_ p: UserProcess, _ effects: ExitEffects) {
        // Its pages mapped into servers go before its frames are freed (KernelCore Grants.swift).
        IPCCalls.revoke(kernel.takeGrants(involving: p.pid))
        for device in effects.devicesToReset { _ = Devices.reset(device, endedDriver: p) }
        if let owner = CPULocal.fpuOwner, owner.process === p { CPULocal.fpuOwner = nil }
        if let owner = ThreadAreaCalls.owner, owner.process === p { ThreadAreaCalls.owner = nil }
        Memory.destroyUserSpace(p.space)
        if effects.powerOff {
            log("init exited with status \(p.exitStatus) after \(Clock.nanoseconds() / 1_000_000) ms and \(kernel.counters.timerTicks) timer ticks; powering off")
            Power.reportCounters()
            Power.off(status: UInt32(bitPattern: p.exitStatus))
        }
    }
}

enum Power {
    /// Hands the kernel's counters to swiftvm's VMM (`run --stats`; port in sv_machine.h). Other
    /// machines have no such port: the write goes nowhere there.
    static func reportCounters() {
        guard Console.usesConsolePort else { return }
        let counters = UnsafeMutablePointer<sv_kernel_counters>.allocate(capacity: 1)
        counters.initialize(to: kernel.counters.abi)
        // SAFETY: a kernel-heap object in the direct map; the VMM reads it during this OUT (the
        // vCPU is stopped), and it is never freed: the machine powers off next.
        sv_outl(UInt16(SV_PORT_KERNEL_COUNTERS), UInt32(truncatingIfNeeded: Memory.physical(UInt64(UInt(bitPattern: counters))).value))
    }

    /// Writes the exit status to the debug-exit port (sv_machine.h). Never returns.
    static func off(status: UInt32) -> Never {
        Console.flush()
        sv_outl(UInt16(SV_PORT_DEBUG_EXIT), status)
        while true { sv_hlt() }
    }
}
