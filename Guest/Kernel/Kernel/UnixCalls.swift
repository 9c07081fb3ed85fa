// UnixCalls.swift — the Unix process system calls (sv_syscall.h 28–36) and read/write through
// descriptors: each checks the caller's pointers in its address space, lets KernelCore decide
// (Unix.swift there), and does the machine's part — copying address spaces for fork, loading
// the new image for exec, moving pipe bytes (PipeIO).
import ABI
import Arch
import Platform
import ELF
import KernelCore

enum UnixCalls {
    // ---- read and write ----

    static func write(_ t: UserThread, fd: UInt64, buffer: UInt64, length: UInt64) -> UInt64? {
        guard let file = t.process.descriptors.file(Int32(truncatingIfNeeded: fd)), fd <= UInt64(Int32.max), file.mayWrite else {
            return Syscalls.errno(SV_EBADF)
        }
        switch file.kind {
        case .console: return Syscalls.writeConsole(t, buffer: buffer, length: length)
        case .errorConsole: return Syscalls.writeConsole(t, buffer: buffer, length: length, errors: true)
        case .pipeWriter:
            PipeIO.start(t, file, address: buffer, length: length, writing: true)
            return nil
        case .pipeReader: return Syscalls.errno(SV_EBADF)
        case .remote(let r): return FileCalls.write(t, file, r, buffer: buffer, length: length)
        case .device(let d): return FileCalls.write(t, device: d, buffer: buffer, length: length)
        }
    }

    /// read(fd, buffer, length); nil when the result comes later (the call blocked).
    static func read(_ t: UserThread, fd: UInt64, buffer: UInt64, length: UInt64) -> UInt64? {
        guard let file = t.process.descriptors.file(Int32(truncatingIfNeeded: fd)), fd <= UInt64(Int32.max), file.mayRead else {
            return Syscalls.errno(SV_EBADF)
        }
        switch file.kind {
        case .console, .errorConsole:
            ConsoleInput.read(t, address: buffer, length: length)
            return nil
        case .pipeReader:
            PipeIO.start(t, file, address: buffer, length: length, writing: false)
            return nil
        case .pipeWriter: return Syscalls.errno(SV_EBADF)
        case .remote(let r): return FileCalls.read(t, file, r, buffer: buffer, length: length)
        case .device(let d): return FileCalls.read(t, device: d, buffer: buffer, length: length)
        }
    }

    // ---- descriptors ----

    static func fd(_ v: UInt64) -> Int32 { v <= UInt64(Int32.max) ? Int32(v) : -1 }

    static func close(_ t: UserThread, fd raw: UInt64) -> UInt64 {
        Syscalls.result(kernel.close(t.process, fd: fd(raw)).map { 0 })
    }

    static func dup(_ t: UserThread, fd raw: UInt64) -> UInt64 {
        Syscalls.result(kernel.dup(t.process, fd: fd(raw)).map { UInt64($0) })
    }

    static func dup3(_ t: UserThread, old: UInt64, new: UInt64, flags: UInt64) -> UInt64 {
        guard flags <= UInt64(UInt32.max) else { return Syscalls.errno(SV_EINVAL) }
        return Syscalls.result(kernel.dup3(t.process, old: fd(old), new: fd(new), flags: UInt32(flags)).map { UInt64($0) })
    }

    static func fcntl(_ t: UserThread, fd raw: UInt64, command: UInt64, argument: UInt64) -> UInt64 {
        guard command <= UInt64(Int32.max) else { return Syscalls.errno(SV_EINVAL) }
        return Syscalls.result(kernel.fcntl(t.process, fd: fd(raw), command: Int32(command), argument: argument))
    }

    /// pipe2(fds, flags): both descriptors stored as two int32s at `out`.
    static func pipe(_ t: UserThread, out: UInt64, flags: UInt64) -> UInt64 {
        guard flags <= UInt64(UInt32.max) else { return Syscalls.errno(SV_EINVAL) }
        do { try t.userMemory.checkRange(out, 8) } catch { return Syscalls.errno(SV_EFAULT) }
        switch kernel.makePipe(t.process, flags: UInt32(flags)) {
        case .failure(let e): return e.result
        case .success(let (reader, writer, pipe)):
            let bytes = [reader, writer].flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: v) >> (8 * UInt32($0))) } }
            let failure = !PipeIO.attachStorage(pipe) ? SV_ENOMEM : (try? t.userMemory.store(bytes, at: out)) == nil ? SV_EFAULT : 0
            guard failure == 0 else {
                _ = kernel.close(t.process, fd: reader)
                _ = kernel.close(t.process, fd: writer)
                return Syscalls.errno(failure)
            }
            return 0
        }
    }

    // ---- processes ----

    /// fork(): a child with a copy of the address space (every owned page copied now: see the
    /// README on copy-on-write), the same registers but rax = 0, the same FPU state, and copies
    /// of the descriptors (KernelCore.fork).
    static func fork(_ t: UserThread) -> UInt64 {
        let parent = t.process
        guard kernel.processes.count < KernelState.maximumProcesses else { return Syscalls.errno(SV_EAGAIN) }
        guard let space = Memory.createUserSpace() else { return Syscalls.errno(SV_ENOMEM) }
        do {
            try parent.space.copyUserPages(into: space, userSlots: Memory.userSlots, frames: &Memory.frames!, memory: Memory.window!)
        } catch {
            Memory.destroyUserSpace(space)
            return Syscalls.errno(SV_ENOMEM)
        }
        guard case .success(let pid) = kernel.reservePID() else {
            Memory.destroyUserSpace(space)
            return Syscalls.errno(SV_EAGAIN)
        }
        let child = UserProcess(pid: pid, parentPID: parent.pid, name: parent.name, space: space)
        child.copyMemoryBookkeeping(from: parent)
        let thread = UserThread(process: child)
        thread.context = t.context
        thread.context.rax = 0
        thread.needsFullRestore = false
        // The parent's FPU registers may be live in the CPU rather than in its save area.
        if CPULocal.fpuOwner === t { sv_fxsave(t.fpuState) }
        thread.fpuState.copyMemory(from: t.fpuState, byteCount: 512)
        thread.fsBase = ThreadAreaCalls.current(t)
        kernel.fork(parent, child: child, thread: thread)
        return UInt64(pid)
    }

    static let maximumExecImage: UInt64 = 64 << 20
    static let maximumExecStrings: UInt64 = 64 << 10

    /// exec(struct sv_exec *): validates and loads the ELF image the caller holds in its memory,
    /// then replaces the address space, registers and FPU state; FD_CLOEXEC descriptors close.
    /// On any failure the caller is untouched and gets the errno.
    static func exec(_ t: UserThread, request address: UInt64) -> UInt64? {
        let p = t.process
        let request: sv_exec
        do { request = try t.userMemory.load(sv_exec.self, from: address, initial: sv_exec()) } catch { return Syscalls.errno(SV_EFAULT) }
        guard request.image_length > 0, request.image_length <= maximumExecImage else { return Syscalls.errno(SV_ENOEXEC) }
        guard request.arguments_length <= maximumExecStrings,
              request.environment_length <= UInt64(SV_ENVIRONMENT_MAX) else { return Syscalls.errno(SV_E2BIG) }
        guard let argumentBytes = try? t.userMemory.bytes(at: request.arguments, count: Int(request.arguments_length)),
              let environment = try? t.userMemory.bytes(at: request.environment, count: Int(request.environment_length)) else {
            return Syscalls.errno(SV_EFAULT)
        }
        guard environment.isEmpty || environment.last == 0, argumentBytes.isEmpty || argumentBytes.last == 0 else {
            return Syscalls.errno(SV_EINVAL)
        }
        var arguments = argumentBytes.split(separator: 0, omittingEmptySubsequences: false).map { Array($0) }
        if arguments.last?.isEmpty == true { arguments.removeLast() }
        // The image is copied into contiguous kernel frames for the ELF reader, then freed.
        let pages = Int((request.image_length + pageSize - 1) / pageSize)
        guard let first = Memory.frames!.allocateContiguous(pages) else { return Syscalls.errno(SV_ENOMEM) }
        defer { for i in 0..<pages { Memory.frames!.free(PhysicalAddress(first.value + UInt64(i) * pageSize)) } }
        // SAFETY: `pages` contiguous frames, reached through the direct map, hold the image
        // bytes; the buffer lives until the deferred free above, after the load.
        let buffer = UnsafeMutableRawBufferPointer(start: Memory.window!.pointer(first), count: Int(request.image_length))
        do { try t.userMemory.copyIn(from: request.image, length: buffer.count, into: buffer.baseAddress!) } catch {
            return Syscalls.errno(SV_EFAULT)
        }
        let image: Programs.LoadedImage
        switch Programs.load(UnsafeRawBufferPointer(buffer)) {
        case .failure(let e):
            log("pid \(p.pid) (\(p.displayName)): exec refused: \(e.reason)")
            return Syscalls.errno(e.code)
        case .success(let i): image = i
        }
        let user = UserMemory(space: image.space, memory: Memory.window!, userEnd: UInt64(SV_USER_END))
        guard let stackPointer = Programs.pushArguments(arguments, onto: user) else {
            Memory.destroyUserSpace(image.space)
            return Syscalls.errno(SV_E2BIG)
        }
        let oldFSBase = t.fsBase
        guard ThreadAreaCalls.install(t, user: user) else {
            t.fsBase = oldFSBase
            Memory.destroyUserSpace(image.space)
            return Syscalls.errno(SV_ENOMEM)
        }
        // Past the point of no return: the old program goes.
        let old = p.space
        p.space = image.space
        p.resetMemory(programEnd: image.end)
        p.environment = environment
        Memory.destroyUserSpace(old)
        t.context = Programs.initialContext(entry: image.entry, stackPointer: stackPointer)
        t.needsFullRestore = false
        t.fpuState.copyMemory(from: FPU.initialState, byteCount: 512)
        if CPULocal.fpuOwner === t { CPULocal.fpuOwner = nil }   // reload the fresh state
        let name = arguments.first.map { a in Array(a.split(separator: UInt8(ascii: "/")).last ?? a[...]) } ?? p.name
        kernel.exec(p, name: name)
        Debugger.processStarting(t)
        return nil
    }

    /// waitpid(pid, status, options).
    static func waitpid(_ t: UserThread, pid: UInt64, status: UInt64, options: UInt64) -> UInt64? {
        if status != 0 {
            do { try t.userMemory.checkRange(status, 4) } catch { return Syscalls.errno(SV_EFAULT) }
        }
        guard options <= UInt64(UInt32.max) else { return Syscalls.errno(SV_EINVAL) }
        switch kernel.waitpid(t, pid: Int32(truncatingIfNeeded: pid), statusAddress: status, options: UInt32(options)) {
        case .failure(let e): return e.result
        case .success(.noneYet): return 0
        case .success(.reaped), .success(.blocked): return nil    // the completion carries the result
        }
    }
}
