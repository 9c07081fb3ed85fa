// Unix.swift — the Unix process calls on KernelState: descriptors (close, dup, dup3, fcntl,
// pipe), fork and exec's bookkeeping, waitpid, and pipe waits. The machine layer copies memory
// and address spaces; everything decided here is host-tested (Tests/KernelCoreTests).
import ABI

extension KernelState {
    // ---- descriptors ----

    /// Installs the console at fds 0, 1 and 2 (the first process; everyone else inherits). With
    /// `separateErrors`, fd 2 is the error console instead (its own description), so the host
    /// can tell a program's stderr from its stdout.
    public func installConsole(_ p: Process, separateErrors: Bool = false) {
        let console = OpenFile(kind: .console, statusFlags: UInt32(SV_O_RDWR))
        for _ in 0..<(separateErrors ? 2 : 3) { _ = p.descriptors.install(console) }
        if separateErrors { _ = p.descriptors.install(OpenFile(kind: .errorConsole, statusFlags: UInt32(SV_O_RDWR))) }
    }

    /// A description lost its last descriptor: a pipe end closes (waking the other side); a
    /// served file's server hears that its handle is closed.
    func release(_ file: OpenFile) {
        switch file.kind {
        case .console, .errorConsole, .device: break
        case .remote(let r): closed(r)
        case .pipeReader(let pipe):
            pipe.readers -= 1
            pipeChanged(pipe)
        case .pipeWriter(let pipe):
            pipe.writers -= 1
            pipeChanged(pipe)
        }
    }

    public func close(_ p: Process, fd: Int32) -> Result<Void, KernelError> {
        p.descriptors.close(fd).map { if let f = $0 { release(f) } }
    }

    public func dup(_ p: Process, fd: Int32) -> Result<Int32, KernelError> {
        guard let f = p.descriptors.file(fd) else { return .failure(.init(SV_EBADF)) }
        return p.descriptors.install(f)
    }

    /// dup3(old, new, flags) with dup2's rule for old == new (see sv_syscall.h).
    public func dup3(_ p: Process, old: Int32, new: Int32, flags: UInt32) -> Result<Int32, KernelError> {
        guard flags & ~UInt32(SV_O_CLOEXEC) == 0 else { return .failure(.init(SV_EINVAL)) }
        return p.descriptors.duplicate(old, to: new, closeOnExec: flags & UInt32(SV_O_CLOEXEC) != 0).map {
            if let f = $0 { release(f) }
            return new
        }
    }

    /// fcntl(fd, cmd, arg): F_DUPFD(_CLOEXEC), F_GETFD/SETFD, F_GETFL/SETFL (only O_APPEND and
    /// O_NONBLOCK change; the access mode stays). EINVAL for other commands.
    public func fcntl(_ p: Process, fd: Int32, command: Int32, argument: UInt64) -> Result<UInt64, KernelError> {
        guard let slot = p.descriptors.slot(fd) else { return .failure(.init(SV_EBADF)) }
        switch command {
        case SV_F_DUPFD, SV_F_DUPFD_CLOEXEC:
            guard argument < UInt64(DescriptorTable.maximum) else { return .failure(.init(SV_EINVAL)) }
            return p.descriptors.install(slot.file, closeOnExec: command == SV_F_DUPFD_CLOEXEC, lowest: Int32(argument)).map { UInt64($0) }
        case SV_F_GETFD:
            return .success(slot.closeOnExec ? UInt64(SV_FD_CLOEXEC) : 0)
        case SV_F_SETFD:
            return p.descriptors.setCloseOnExec(fd, argument & UInt64(SV_FD_CLOEXEC) != 0).map { 0 }
        case SV_F_GETFL:
            return .success(UInt64(slot.file.statusFlags))
        case SV_F_SETFL:
            let changeable = UInt32(SV_O_APPEND | SV_O_NONBLOCK)
            slot.file.statusFlags = slot.file.statusFlags & ~changeable | UInt32(truncatingIfNeeded: argument) & changeable
            return .success(0)
        default:
            return .failure(.init(SV_EINVAL))
        }
    }

    /// pipe2(flags): a new pipe's read and write ends at the two lowest free descriptors.
    /// EMFILE (nothing installed) if the table has no room for both.
    public func makePipe(_ p: Process, flags: UInt32) -> Result<(reader: Int32, writer: Int32, pipe: Pipe), KernelError> {
        guard flags & ~UInt32(SV_O_NONBLOCK | SV_O_CLOEXEC) == 0 else { return .failure(.init(SV_EINVAL)) }
        guard p.descriptors.openCount + 2 <= DescriptorTable.maximum else { return .failure(.init(SV_EMFILE)) }
        let pipe = Pipe(id: nextPipeID)
        nextPipeID += 1
        let nonBlocking = flags & UInt32(SV_O_NONBLOCK)
        let reader = OpenFile(kind: .pipeReader(pipe), statusFlags: UInt32(SV_O_RDONLY) | nonBlocking)
        let writer = OpenFile(kind: .pipeWriter(pipe), statusFlags: UInt32(SV_O_WRONLY) | nonBlocking)
        pipe.readers = 1
        pipe.writers = 1
        let cloexec = flags & UInt32(SV_O_CLOEXEC) != 0
        guard case .success(let r) = p.descriptors.install(reader, closeOnExec: cloexec),
              case .success(let w) = p.descriptors.install(writer, closeOnExec: cloexec) else {
            preconditionFailure("room for two descriptors was checked")
        }
        return .success((r, w, pipe))
    }

    // ---- pipes: who waits ----

    /// `t` waits until the pipe has data (or no writer), or room (or no reader).
    public func waitForPipe(_ t: Thread, _ pipe: Pipe, writing: Bool) {
        scheduler.block(t, writing ? .writingPipe(pipe.id) : .readingPipe(pipe.id))
    }

    /// Something changed in `pipe` (data, room, an end closed): wake every thread whose wait is
    /// over. Woken threads retry their read or write (the machine layer keeps what they asked).
    public func pipeChanged(_ pipe: Pipe) {
        wakePollers()
        for t in threads {
            switch t.blockReason {
            case .readingPipe(let id) where id == pipe.id && (pipe.count > 0 || pipe.writers == 0):
                scheduler.wake(t)
            case .writingPipe(let id) where id == pipe.id && (pipe.space > 0 || pipe.readers == 0):
                scheduler.wake(t)
            default: break
            }
        }
    }

    // ---- fork and exec ----

    /// fork by `parent`: `child` (built by the machine layer, with a fresh pid from reservePID and
    /// a copy of the address space) gets copies of the descriptors, environment and rights.
    public func fork(_ parent: Process, child: Process, thread: Thread) {
        child.environment = parent.environment
        child.deviceRights = parent.deviceRights
        child.credentials = parent.credentials
        child.umask = parent.umask
        child.descriptors = parent.descriptors.copy()
        child.signals = parent.signals.forked()
        child.pgid = parent.pgid
        child.sid = parent.sid
        start(child, thread: thread)
    }

    /// spawn (fork and exec of an initrd program in one call): the child inherits the
    /// environment and the descriptors not marked close-on-exec.
    public func spawned(_ child: Process, from parent: Process) {
        child.environment = parent.environment
        child.credentials = parent.credentials
        child.umask = parent.umask
        child.descriptors = parent.descriptors.copy()
        for f in child.descriptors.closeOnExec() { release(f) }
        // A fork and an exec: the parent's group and session, its mask and ignored signals.
        child.pgid = parent.pgid
        child.sid = parent.sid
        child.signals = parent.signals.forked()
        child.signals.execed()
        child.hasExeced = true
    }

    /// A successful exec: the process's new name; FD_CLOEXEC descriptors close.
    public func exec(_ p: Process, name: [UInt8]) {
        p.name = name
        for f in p.descriptors.closeOnExec() { release(f) }
        p.signals.execed()
        p.maskAfterSuspend = nil
        p.hasExeced = true
    }

    // ---- waitpid ----

    /// waitpid(pid, status, options) by `t`: pid > 0 that child, -1 or 0 any child (no process
    /// groups yet). ECHILD if there is none; EINVAL for unknown options.
    public func waitpid(_ t: Thread, pid: Int32, statusAddress: UInt64, options: UInt32) -> Result<WaitOutcome, KernelError> {
        guard options & ~UInt32(SV_WNOHANG | SV_WUNTRACED | SV_WCONTINUED) == 0 else { return .failure(.init(SV_EINVAL)) }
        guard pid != Int32.min else { return .failure(.init(SV_ECHILD)) }
        t.waitStatusAddress = statusAddress
        t.waitSelector = pid
        t.waitOptions = options
        return startWait(t, child: pid, posix: true, noHang: options & UInt32(SV_WNOHANG) != 0)
    }

    /// The completion of a finished wait (either kind) for `waiter`.
    func waitCompletion(_ waiter: Thread, child: Process) -> Completion {
        if waiter.waitIsPOSIX {
            var bytes: [UInt8] = []
            if waiter.waitStatusAddress != 0 {
                let status = UInt32(bitPattern: child.isZombie ? child.waitStatus : (child.waitEvent?.status ?? 0))
                bytes = (0..<4).map { UInt8(truncatingIfNeeded: status >> (8 * UInt32($0))) }
            }
            return Completion(result: UInt64(child.pid), bytes: bytes, at: waiter.waitStatusAddress)
        }
        var who: [UInt8] = []
        if waiter.waitWhoAddress != 0 {
            let pid = UInt64(child.pid)
            who = (0..<8).map { UInt8(truncatingIfNeeded: pid >> (8 * $0)) }
        }
        return Completion(result: UInt64(UInt32(bitPattern: child.exitStatus)), bytes: who,
                          at: waiter.waitWhoAddress, faultIsError: false)
    }
}
