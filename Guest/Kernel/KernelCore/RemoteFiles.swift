// RemoteFiles.swift — descriptors for files that a server owns (Redox's scheme handles): the
// kernel keeps the open file description (the server's handle, the offset, the status flags) and
// forwards each read, write, lseek-to-end, fstat, ftruncate, fsync and getdents to the server as a
// handle call of sv_fs.h, lending the caller's own buffer, so a read is one request however large.
//
// Surviving the server's death (docs/FILES.md): a forwarded call names its server by *service
// name*, not endpoint. A call cut off because the server died, or made while no one serves the
// name, waits (.awaitingService) and is sent to the next process that serves it; the handles are
// node ids on disk, so the new server answers them, and it learns which are open — to keep
// unlinked-but-open files — from `openHandles`. Requests carry explicit offsets, so a repeated
// call does what the first would have. Closing the last descriptor sends HCLOSE as a notice.
import ABI

/// What a descriptor for a served file holds.
public final class RemoteFile {
    /// The service that owns it (Routes), looked up by name at every call.
    public let service: [UInt8]
    /// What the server's OPEN returned.
    public let handle: UInt64
    public let isDirectory: Bool
    /// A device whose reads may wait without bound (SV_FS_KIND_DEVICE: the terminal): a signal
    /// that runs a handler interrupts them (SignalDelivery.swift, `abandonCall`).
    public let isDevice: Bool
    /// The file offset (a directory's: the server's cookie), shared by dup and fork.
    public internal(set) var offset: UInt64 = 0

    public init(service: [UInt8], handle: UInt64, isDirectory: Bool, isDevice: Bool = false) {
        self.service = service
        self.handle = handle
        self.isDirectory = isDirectory
        self.isDevice = isDevice
    }
}

/// A call the kernel makes for a thread, and what its reply completes.
public enum ForwardedCall {
    /// open(): the reply's handle becomes a descriptor with these status flags.
    case open(service: [UInt8], statusFlags: UInt32, closeOnExec: Bool)
    /// read() of at most `requested` bytes; the offset advances by what came.
    case read(RemoteFile, requested: UInt64)
    /// write(); the offset advances, or (append) goes to the size after.
    case write(RemoteFile, requested: UInt64, append: Bool)
    /// lseek(fd, delta, SEEK_END): the size comes with the reply.
    case seekEnd(RemoteFile, delta: Int64)
    /// fstat() or stat(): the attributes become a struct sv_stat at `address`.
    case stat(address: UInt64)
    /// getdents64(): the reply says how much was written and the next cookie.
    case readDirectory(RemoteFile, requested: UInt64)
    /// ftruncate(), fsync(): only the status.
    case status
}

/// How long a forwarded call waits for its service to be served again before it fails with EIO.
public let servicePatienceNanoseconds: UInt64 = 10_000_000_000
/// Close notices an endpoint holds while its server is busy; beyond, they are dropped (the
/// server then keeps an unlinked file until its next restart reclaims — never loses data).
public let maximumNotices = 4096

extension KernelState {
    // ---- requests ----

    public static func pathRequest(_ op: Int32, path: [UInt8], a: UInt64 = 0, b: UInt64 = 0) -> [UInt8] {
        var r = sv_fs_request()
        r.op = UInt8(op)
        r.a = a
        r.b = b
        return withUnsafeBytes(of: &r) { Array($0) } + path
    }

    public static func handleRequest(_ op: Int32, handle: UInt64, offset: UInt64 = 0, count: UInt64 = 0, flags: Int32 = 0) -> [UInt8] {
        var r = sv_fs_handle_request()
        r.op = UInt8(op)
        r.flags = UInt8(flags)
        r.handle = handle
        r.offset = offset
        r.count = count
        return withUnsafeBytes(of: &r) { Array($0) }
    }

    // ---- forwarding ----

    /// Makes `request` to `service` for `t`, lending `lease` (address and length in t's space,
    /// checked by the machine layer; `leaseFlags` SV_LEASE_READ/WRITE); `t` blocks until
    /// `purpose` completes it. EDEADLK: a server calling its own service for a descriptor.
    public func forward(_ t: Thread, service: [UInt8], request: [UInt8], leaseAddress: UInt64 = 0,
                        leaseLength: UInt64 = 0, leaseFlags: UInt64 = 0, purpose: ForwardedCall) -> Result<Void, KernelError> {
        let call = PendingCall(request: request, replyAddress: 0, replyCapacity: UInt64(SV_IPC_MESSAGE_MAX),
                               leaseAddress: leaseAddress, leaseLength: leaseLength,
                               leaseFlags: leaseFlags | UInt64(SV_LEASE_KERNEL))
        if let e = ipc.endpoints.first(where: { $0.name == service }), e.owner == t.pid { return .failure(.init(SV_EDEADLK)) }
        t.forwarded = purpose
        t.forwardedService = service
        send(t, call, to: service)
        return .success(())
    }

    /// Sends a forwarded call to whoever serves `service` now, or parks it until someone does.
    func send(_ t: Thread, _ call: PendingCall, to service: [UInt8]) {
        if let e = ipc.endpoints.first(where: { $0.name == service }), e.owner != t.pid {
            _ = self.call(t, endpoint: e.id, call)
        } else {
            t.pendingCall = call
            t.serviceDeadline = now > UInt64.max - servicePatienceNanoseconds ? UInt64.max : now + servicePatienceNanoseconds
            scheduler.block(t, .awaitingService(service))
        }
    }

    /// A server of `name` appeared: the calls waiting for it are queued there, in order.
    func serviceAppeared(_ e: Endpoint) {
        for t in threads where t.blockReason == .awaitingService(e.name) {
            guard let call = t.pendingCall, e.owner != t.pid else { continue }
            _ = self.call(t, endpoint: e.id, call)
        }
    }

    /// The server of `service` died with `t`'s forwarded call queued or in progress: it waits
    /// for the next server, which gets the same request (explicit offsets make that safe).
    func serverDied(holding t: Thread) {
        guard let call = t.pendingCall else { return }
        send(t, call, to: t.forwardedService)
    }

    /// Forwarded calls whose service has not come back in time fail with EIO (each timer tick).
    func expireServiceWaits() {
        for t in threads {
            guard case .awaitingService = t.blockReason, t.serviceDeadline <= now else { continue }
            complete(t, result: KernelError(SV_EIO).result)
        }
    }

    func complete(_ t: Thread, result: UInt64, bytes: [UInt8] = [], at address: UInt64 = 0) {
        t.forwarded = nil
        t.pendingCall = nil
        t.completion = Completion(result: result, bytes: bytes, at: address)
        scheduler.wake(t)
    }

    /// The server's reply to a forwarded call: what the caller's system call returns.
    func completeForwarded(_ t: Thread, _ purpose: ForwardedCall, reply bytes: [UInt8]) {
        guard bytes.count >= MemoryLayout<sv_fs_reply>.size else { return complete(t, result: KernelError(SV_EIO).result) }
        // SAFETY: at least size(sv_fs_reply) bytes (checked above); any bytes are a valid value of
        // a struct of integers; loadUnaligned needs no alignment.
        let r = bytes.withUnsafeBytes { $0.loadUnaligned(as: sv_fs_reply.self) }
        guard r.status >= 0 else {
            // A server's errno is passed on if it is one; anything else is EIO.
            let code = r.status >= -4095 ? Int32(-r.status) : SV_EIO
            return complete(t, result: KernelError(code).result)
        }
        switch purpose {
        case .open(let service, let statusFlags, let closeOnExec):
            guard let p = process(t.pid) else { return complete(t, result: KernelError(SV_EIO).result) }
            let remote = RemoteFile(service: service, handle: r.value, isDirectory: r.kind == UInt8(SV_FS_KIND_DIRECTORY),
                                    isDevice: r.kind == UInt8(SV_FS_KIND_DEVICE))
            let file = OpenFile(kind: .remote(remote), statusFlags: statusFlags)
            switch p.descriptors.install(file, closeOnExec: closeOnExec) {
            case .success(let fd): complete(t, result: UInt64(fd))
            case .failure(let e):
                release(file)
                complete(t, result: e.result)
            }
        case .read(let file, let requested):
            let n = min(r.value, requested)
            file.offset &+= n
            complete(t, result: n)
        case .write(let file, let requested, let append):
            let n = min(r.value, requested)
            file.offset = append ? r.size : file.offset &+ n
            complete(t, result: n)
        case .seekEnd(let file, let delta):
            let target = Int64(clamping: r.size) &+ delta
            guard delta > 0 ? target >= Int64(clamping: r.size) : target >= 0 else { return complete(t, result: KernelError(SV_EINVAL).result) }
            file.offset = UInt64(target)
            complete(t, result: UInt64(target))
        case .stat(let address):
            guard bytes.count >= MemoryLayout<sv_fs_reply>.size + MemoryLayout<sv_fs_attributes>.size else {
                return complete(t, result: KernelError(SV_EIO).result)
            }
            // SAFETY: the attributes follow the reply (length checked above); integers only.
            let a = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: MemoryLayout<sv_fs_reply>.size, as: sv_fs_attributes.self) }
            complete(t, result: 0, bytes: KernelState.statBytes(size: r.size, attributes: a), at: address)
        case .readDirectory(let file, let requested):
            file.offset = r.size
            complete(t, result: min(r.value, requested))
        case .status:
            complete(t, result: 0)
        }
    }

    /// lseek with SEEK_SET or SEEK_CUR (SEEK_END needs the server: .seekEnd). EINVAL for a
    /// negative result, EOVERFLOW past Int64.max.
    public func seek(_ file: RemoteFile, delta: Int64, fromCurrent: Bool) -> Result<UInt64, KernelError> {
        let base = fromCurrent ? Int64(clamping: file.offset) : 0
        let (target, overflow) = base.addingReportingOverflow(delta)
        guard !overflow else { return .failure(.init(SV_EOVERFLOW)) }
        guard target >= 0 else { return .failure(.init(SV_EINVAL)) }
        file.offset = UInt64(target)
        return .success(file.offset)
    }

    /// Installs a description the kernel made itself (a kernel device, the console) at the lowest free fd.
    public func open(_ p: Process, _ kind: OpenFileKind, statusFlags: UInt32, closeOnExec: Bool) -> Result<Int32, KernelError> {
        p.descriptors.install(OpenFile(kind: kind, statusFlags: statusFlags), closeOnExec: closeOnExec)
    }

    // ---- stat ----

    /// struct sv_stat for a served file: its attributes, as Linux's stat reports them.
    static func statBytes(size: UInt64, attributes a: sv_fs_attributes) -> [UInt8] {
        var s = sv_stat()
        s.st_dev = 1
        s.st_ino = a.inode
        s.st_nlink = UInt64(a.links)
        s.st_mode = a.mode
        s.st_uid = a.uid
        s.st_gid = a.gid
        s.st_rdev = UInt64(a.rdev)
        s.st_size = Int64(clamping: size)
        s.st_blksize = 4096
        s.st_blocks = Int64(clamping: a.blocks)
        s.st_atime_sec = a.atime_sec
        s.st_atime_nsec = Int64(min(a.atime_nsec, 999_999_999))
        s.st_mtime_sec = a.mtime_sec
        s.st_mtime_nsec = Int64(min(a.mtime_nsec, 999_999_999))
        s.st_ctime_sec = a.ctime_sec
        s.st_ctime_nsec = Int64(min(a.ctime_nsec, 999_999_999))
        return withUnsafeBytes(of: &s) { Array($0) }
    }

    /// struct sv_stat for what the kernel itself holds: a pipe, the console, a kernel device.
    public static func statBytes(of kind: OpenFileKind) -> [UInt8]? {
        var s = sv_stat()
        s.st_dev = 2
        s.st_nlink = 1
        s.st_blksize = 4096
        switch kind {
        case .pipeReader(let pipe), .pipeWriter(let pipe):
            s.st_mode = UInt32(SV_S_IFIFO) | 0o600
            s.st_ino = UInt64(pipe.id)
            s.st_blksize = Int64(SV_PIPE_ATOMIC)
        case .console, .errorConsole:
            s.st_mode = UInt32(SV_S_IFCHR) | 0o620
            s.st_rdev = 5 << 8 | 1
        case .device(let d):
            s.st_mode = UInt32(SV_S_IFCHR) | 0o666
            s.st_rdev = d.deviceNumber
        case .remote:
            return nil
        }
        return withUnsafeBytes(of: &s) { Array($0) }
    }

    /// stat(path) on the kernel's own part of the namespace (nil: the path belongs to a server).
    public static func statBytes(of route: Route) -> [UInt8]? {
        switch route {
        case .device(let d): return statBytes(of: OpenFileKind.device(d))
        case .console: return statBytes(of: OpenFileKind.console)
        case .deviceDirectory:
            var s = sv_stat()
            s.st_dev = 2
            s.st_nlink = 2
            s.st_mode = UInt32(SV_S_IFDIR) | 0o755
            s.st_blksize = 4096
            return withUnsafeBytes(of: &s) { Array($0) }
        case .service: return nil
        }
    }

    // ---- closing and reclaiming ----

    /// The last descriptor of a served file closed: its server hears of it (a notice: nobody waits).
    func closed(_ remote: RemoteFile) {
        notify(remote.service, KernelState.handleRequest(SV_FS_HCLOSE, handle: remote.handle))
    }

    /// Queues a notice (a message from the kernel, caller SV_IPC_CALLER_KERNEL) for the server of
    /// `service`; dropped if no one serves it (a new server reclaims from openHandles instead).
    func notify(_ service: [UInt8], _ request: [UInt8]) {
        guard let e = ipc.endpoints.first(where: { $0.name == service }) else { return }
        notify(e, request)
    }

    /// Queues a notice for the server of endpoint `e` (see above).
    func notify(_ e: Endpoint, _ request: [UInt8]) {
        let message = encodeMessage(caller: Int32(SV_IPC_CALLER_KERNEL),
                                    PendingCall(request: request, replyAddress: 0, replyCapacity: 0, leaseAddress: 0,
                                                leaseLength: 0, leaseFlags: UInt64(SV_LEASE_KERNEL)))
        counters.ipcNotices &+= 1
        if let server = process(e.owner)?.threads.first(where: { $0.blockReason == .receiving(endpoint: e.id) }) {
            server.completion = Completion(result: 0, bytes: message, at: server.receiveAddress)
            scheduler.wake(server)
        } else if e.notices.count < maximumNotices {
            e.notices.append(message)
        }
    }

    /// ipc_handles by `server`: the handle of every open description on a service it serves, once
    /// per description; close notices still queued for it are dropped (this list supersedes them).
    public func openHandles(_ server: Process) -> [UInt64] {
        let served = ipc.endpoints.filter { $0.owner == server.pid }
        for e in served { e.notices.removeAll() }
        // Each description once, however many descriptors share it: marked with this round.
        reclaimRound &+= 1
        var handles: [UInt64] = []
        for p in processes where !p.isZombie {
            for slot in p.descriptors.slots {
                guard let file = slot?.file, case .remote(let r) = file.kind, file.reclaimRound != reclaimRound,
                      served.contains(where: { $0.name == r.service }) else { continue }
                file.reclaimRound = reclaimRound
                handles.append(r.handle)
            }
        }
        return handles
    }
}
