// RemoteFileTests.swift — descriptors for served files on the host (KernelCore RemoteFiles.swift,
// Routes.swift): the path routes, open installing a descriptor from the server's reply, offsets
// shared by dup and fork, a call that survives its server's death and goes to the next server,
// EIO when no server comes back in time, close notices, and the reclaim list.
import ABI
import KernelCore
import Testing

let fs = Array("fs".utf8)

/// An sv_fs_reply (+ attributes) as a server sends it.
func fsReply(status: Int64 = 0, value: UInt64 = 0, size: UInt64 = 0, kind: Int32 = SV_FS_KIND_FILE, attributes: sv_fs_attributes? = nil) -> [UInt8] {
    var r = sv_fs_reply()
    r.status = status
    r.value = value
    r.size = size
    r.kind = UInt8(kind)
    var bytes = withUnsafeBytes(of: &r) { Array($0) }
    if var a = attributes { bytes += withUnsafeBytes(of: &a) { Array($0) } }
    return bytes
}

/// The handle request in a delivered message.
func handleRequest(_ c: Completion?) -> sv_fs_handle_request? {
    guard let request = decoded(c)?.request, request.count >= MemoryLayout<sv_fs_handle_request>.size else { return nil }
    return request.withUnsafeBytes { $0.loadUnaligned(as: sv_fs_handle_request.self) }
}

/// A machine with a file server receiving on "fs" and a client; opens `handle` as fd 0 of the client.
func machineWithOpenFile(handle: UInt64 = 42, flags: UInt32 = UInt32(SV_O_RDWR)) -> (Machine, server: Process, client: Process, endpoint: Int, fd: Int32) {
    let m = Machine()
    let server = m.start("fsd"), client = m.start("cat")
    let e = try! m.kernel.serve(server, name: fs).get()
    let s = m.thread(server), c = m.thread(client)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    let open = KernelState.pathRequest(SV_FS_OPEN, path: Array("/f".utf8), a: UInt64(flags))
    #expect(ok(m.kernel.forward(c, service: fs, request: open, purpose: .open(service: fs, statusFlags: flags, closeOnExec: false))))
    let message = decoded(s.completion)
    #expect(message?.caller == UInt64(client.pid) && message?.request == open)
    #expect(ok(m.kernel.reply(s, caller: client.pid, bytes: fsReply(value: handle, size: 10))))
    let fd = Int32(c.completion!.result)
    c.completion = nil
    return (m, server, client, e, fd)
}

@Test func pathsAreNormalizedAndRouted() {
    let n = { (s: String) in Routes.normalize(Array(s.utf8)).map { String(decoding: $0, as: UTF8.self) } }
    #expect(n("/tmp/../dev//./null") == "/dev/null")
    #expect(n("/..") == "/" && n("/") == "/" && n("relative") == nil)
    let route = { (s: String) in Routes.route(Array(s.utf8)) }
    #expect(route("/dev/null") == .success(.device(.null)))
    #expect(route("/dev/urandom") == .success(.device(.random)))
    #expect(route("/dev/tty") == .success(.console))
    #expect(route("/dev") == .success(.deviceDirectory))
    #expect(err(route("/dev/sda")) == SV_ENOENT)
    #expect(route("/devices/x") == .success(.service(fs, path: Array("/devices/x".utf8))))
    #expect(route("/tmp/a") == .success(.service(fs, path: Array("/tmp/a".utf8))))
}

@Test func openInstallsADescriptorWithTheServersHandle() {
    let (m, _, client, _, fd) = machineWithOpenFile()
    #expect(fd == 0)
    guard case .remote(let r)? = client.descriptors.file(fd)?.kind else { Issue.record("not a served file"); return }
    #expect(r.handle == 42 && r.offset == 0 && r.service == fs)
    #expect(m.kernel.openHandles(m.kernel.process(1)!) == [42])
}

@Test func aFailedOpenReturnsTheServersErrnoAndInstallsNothing() {
    let m = Machine()
    let server = m.start("fsd"), client = m.start("cat")
    let e = try! m.kernel.serve(server, name: fs).get()
    let s = m.thread(server), c = m.thread(client)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = m.kernel.forward(c, service: fs, request: [1], purpose: .open(service: fs, statusFlags: 0, closeOnExec: false))
    _ = m.kernel.reply(s, caller: client.pid, bytes: fsReply(status: -Int64(SV_ENOENT)))
    #expect(c.completion?.result == KernelError(SV_ENOENT).result)
    #expect(client.descriptors.openCount == 0)
    // A reply too short to be one, or a nonsense errno, is EIO.
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = m.kernel.forward(c, service: fs, request: [1], purpose: .open(service: fs, statusFlags: 0, closeOnExec: false))
    _ = m.kernel.reply(s, caller: client.pid, bytes: [1, 2, 3])
    #expect(c.completion?.result == KernelError(SV_EIO).result)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = m.kernel.forward(c, service: fs, request: [1], purpose: .open(service: fs, statusFlags: 0, closeOnExec: false))
    _ = m.kernel.reply(s, caller: client.pid, bytes: fsReply(status: Int64.min))
    #expect(c.completion?.result == KernelError(SV_EIO).result)
}

@Test func readsAdvanceTheOffsetSharedByDupAndFork() {
    let (m, server, client, e, fd) = machineWithOpenFile()
    let s = m.thread(server), c = m.thread(client)
    guard case .remote(let r)? = client.descriptors.file(fd)?.kind else { return }
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    let request = KernelState.handleRequest(SV_FS_HREAD, handle: r.handle, offset: r.offset, count: 100)
    #expect(ok(m.kernel.forward(c, service: fs, request: request, leaseAddress: 0x5000, leaseLength: 100,
                                leaseFlags: UInt64(SV_LEASE_WRITE), purpose: .read(r, requested: 100))))
    #expect(handleRequest(s.completion)?.op == UInt8(SV_FS_HREAD))
    // The server may write the caller's buffer: the lease is marked as the kernel's.
    let lease = try? m.kernel.lease(s, caller: client.pid, offset: 0, write: true).get()
    #expect(lease?.address == 0x5000 && lease?.available == 100)
    // A server claiming more than was asked is held to the request.
    _ = m.kernel.reply(s, caller: client.pid, bytes: fsReply(value: 1000))
    #expect(c.completion?.result == 100 && r.offset == 100)
    // dup and fork share the description, so the offset.
    let copy = try! m.kernel.dup(client, fd: fd).get()
    m.kernel.fork(client, child: Process(pid: 99, parentPID: client.pid, name: []), thread: Thread(id: 99, pid: 99))
    #expect(client.descriptors.file(copy) === client.descriptors.file(fd))
    #expect(m.kernel.process(99)?.descriptors.file(fd) === client.descriptors.file(fd))
    #expect(m.kernel.seek(r, delta: -40, fromCurrent: true) == .success(60))
    #expect(err(m.kernel.seek(r, delta: -61, fromCurrent: true)) == SV_EINVAL && r.offset == 60)
    #expect(err(m.kernel.seek(r, delta: Int64.max, fromCurrent: true)) == SV_EOVERFLOW)
}

@Test func anAppendingWriteMovesTheOffsetToTheNewEnd() {
    let (m, server, client, e, fd) = machineWithOpenFile()
    let s = m.thread(server), c = m.thread(client)
    guard case .remote(let r)? = client.descriptors.file(fd)?.kind else { return }
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = m.kernel.forward(c, service: fs, request: [UInt8(SV_FS_HWRITE)], leaseAddress: 0x5000, leaseLength: 5,
                         leaseFlags: UInt64(SV_LEASE_READ), purpose: .write(r, requested: 5, append: true))
    _ = m.kernel.reply(s, caller: client.pid, bytes: fsReply(value: 5, size: 1234))
    #expect(c.completion?.result == 5 && r.offset == 1234)
}

@Test func aCallCutOffByTheServersDeathGoesToTheNextServer() {
    let (m, server, client, e, fd) = machineWithOpenFile()
    let s = m.thread(server), c = m.thread(client)
    guard case .remote(let r)? = client.descriptors.file(fd)?.kind else { return }
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    let request = KernelState.handleRequest(SV_FS_HREAD, handle: r.handle, offset: 0, count: 10)
    _ = m.kernel.forward(c, service: fs, request: request, leaseAddress: 0x5000, leaseLength: 10,
                         leaseFlags: UInt64(SV_LEASE_WRITE), purpose: .read(r, requested: 10))
    #expect(c.blockReason == .awaitingReply(server: server.pid))
    // The server dies with the call received but not answered: the call waits, not EPIPE.
    _ = m.kernel.exit(server, status: 137, signal: 9)
    #expect(c.blockReason == .awaitingService(fs) && c.completion == nil)
    // A new server: it learns the open handle, then receives the same request.
    let next = m.start("fsd")
    let e2 = try! m.kernel.serve(next, name: fs).get()
    #expect(m.kernel.openHandles(next) == [42])
    _ = m.kernel.receive(m.thread(next), endpoint: e2, messageAddress: 0x7000)
    #expect(decoded(m.thread(next).completion)?.request == request)
    _ = m.kernel.reply(m.thread(next), caller: client.pid, bytes: fsReply(value: 10))
    #expect(c.completion?.result == 10 && r.offset == 10)
}

@Test func aForwardedCallWithNoServerFailsWithEIOAfterThePatience() {
    let m = Machine()
    let client = m.start("cat")
    let c = m.thread(client)
    m.kernel.wakeSleepers(now: 1_000)
    _ = m.kernel.forward(c, service: fs, request: [1], purpose: .open(service: fs, statusFlags: 0, closeOnExec: false))
    #expect(c.blockReason == .awaitingService(fs))
    m.kernel.wakeSleepers(now: 1_000 + servicePatienceNanoseconds - 1)
    #expect(c.blockReason == .awaitingService(fs))
    m.kernel.wakeSleepers(now: 1_000 + servicePatienceNanoseconds)
    #expect(c.isRunnable && c.completion?.result == KernelError(SV_EIO).result)
}

@Test func aServerCannotForwardToItself() {
    let m = Machine()
    let server = m.start("fsd")
    _ = try! m.kernel.serve(server, name: fs).get()
    #expect(err(m.kernel.forward(m.thread(server), service: fs, request: [1], purpose: .status)) == SV_EDEADLK)
}

@Test func theLastCloseSendsANoticeAndReclaimingDropsQueuedNotices() {
    let (m, server, client, e, fd) = machineWithOpenFile()
    let s = m.thread(server)
    let copy = try! m.kernel.dup(client, fd: fd).get()
    _ = m.kernel.close(client, fd: fd)
    // The server is not receiving: nothing yet (another descriptor still holds the description).
    #expect(m.kernel.ipc.endpoint(e)?.notices.isEmpty == true)
    _ = m.kernel.close(client, fd: copy)
    #expect(m.kernel.ipc.endpoint(e)?.notices.count == 1)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(decoded(s.completion)?.caller == UInt64(SV_IPC_CALLER_KERNEL))
    #expect(handleRequest(s.completion)?.op == UInt8(SV_FS_HCLOSE) && handleRequest(s.completion)?.handle == 42)
    #expect(s.isRunnable, "a notice is taken without waiting")
    // A client's exit closes its descriptors the same way; openHandles supersedes queued notices.
    let (m2, server2, client2, e2, _) = machineWithOpenFile(handle: 7)
    _ = m2.kernel.exit(client2, status: 0)
    #expect(m2.kernel.ipc.endpoint(e2)?.notices.count == 1)
    #expect(m2.kernel.openHandles(server2) == [] && m2.kernel.ipc.endpoint(e2)?.notices.isEmpty == true)
}

@Test func statOfKernelObjects() {
    let null = KernelState.statBytes(of: Route.device(.null))!
    let s = null.withUnsafeBytes { $0.loadUnaligned(as: sv_stat.self) }
    #expect(s.st_mode == UInt32(SV_S_IFCHR) | 0o666 && s.st_rdev == 0x103)
    let dev = KernelState.statBytes(of: Route.deviceDirectory)!.withUnsafeBytes { $0.loadUnaligned(as: sv_stat.self) }
    #expect(dev.st_mode & UInt32(SV_S_IFMT) == UInt32(SV_S_IFDIR))
    #expect(KernelState.statBytes(of: Route.service(fs, path: [])) == nil)
}

@Test func pollReadinessFollowsPOSIX() {
    let m = Machine()
    let p = m.start("sh")
    let (r, w, pipe) = try! m.kernel.makePipe(p, flags: 0).get()
    let reader = p.descriptors.file(r)!, writer = p.descriptors.file(w)!
    let all = Int16(SV_POLLIN | SV_POLLOUT)
    #expect(Readiness.revents(reader, fd: r, events: all, consoleHasInput: false) == 0)
    #expect(Readiness.revents(writer, fd: w, events: all, consoleHasInput: false) == Int16(SV_POLLOUT))
    #expect(Readiness.revents(nil, fd: 9, events: all, consoleHasInput: false) == Int16(SV_POLLNVAL))
    #expect(Readiness.revents(nil, fd: -1, events: all, consoleHasInput: false) == 0)
    _ = m.kernel.close(p, fd: w)
    #expect(pipe.writers == 0)
    #expect(Readiness.revents(reader, fd: r, events: Int16(SV_POLLIN), consoleHasInput: false) == Int16(SV_POLLHUP), "hang-up is reported unasked")
    let console = OpenFile(kind: .console, statusFlags: UInt32(SV_O_RDWR))
    #expect(Readiness.revents(console, fd: 0, events: all, consoleHasInput: false) == Int16(SV_POLLOUT))
    #expect(Readiness.revents(console, fd: 0, events: all, consoleHasInput: true) == all)
    let file = OpenFile(kind: .device(.null), statusFlags: UInt32(SV_O_RDONLY))
    #expect(Readiness.revents(file, fd: 3, events: all, consoleHasInput: false) == Int16(SV_POLLIN))
    // A poller is woken by a pipe changing and by its deadline.
    let t = m.thread(p)
    m.kernel.waitForPoll(t, until: 500)
    m.kernel.pipeChanged(pipe)
    #expect(t.isRunnable)
    m.kernel.waitForPoll(t, until: 500)
    m.kernel.wakeSleepers(now: 499)
    #expect(!t.isRunnable)
    m.kernel.wakeSleepers(now: 500)
    #expect(t.isRunnable)
}

@Test func grantsFillTheWindowAreBoundedAndEndWithTheCall() {
    let m = Machine()
    let g1 = try! m.kernel.reserveGrant(server: 5, caller: 7, pages: 3).get()
    #expect(g1.start == UInt64(SV_USER_GRANT_BASE))
    let g2 = try! m.kernel.reserveGrant(server: 5, caller: 8, pages: 2).get()
    #expect(g2.start == g1.end, "the window fills upwards")
    #expect(err(m.kernel.reserveGrant(server: 5, caller: 7, pages: Int(SV_GRANT_PAGES_MAX) - 4)) == SV_ENOMEM)
    #expect(err(m.kernel.reserveGrant(server: 5, caller: 7, pages: 0)) == SV_ENOMEM)
    #expect(m.kernel.takeGrants(server: 5, caller: 7) == [g1], "a reply ends its call's grants only")
    #expect(m.kernel.takeGrants(involving: 8) == [g2], "a caller's end takes its grants")
    #expect(m.kernel.grants.isEmpty)
    // With nothing held the window starts over.
    #expect(try! m.kernel.reserveGrant(server: 5, caller: 9, pages: 1).get().start == UInt64(SV_USER_GRANT_BASE))
    #expect(m.kernel.takeGrants(involving: 5).count == 1, "a server's end takes its grants")
}

/// A machine with a terminal-like server on "tty" (its OPEN reply says SV_FS_KIND_DEVICE) and a
/// client holding it as fd 0, with a handler for SIGINT; the server waits in receive.
func machineWithOpenDevice(kind: Int32 = SV_FS_KIND_DEVICE) -> (Machine, server: Process, client: Process, endpoint: Int, file: RemoteFile) {
    let m = Machine()
    let tty = Array("tty".utf8)
    _ = m.start("init")
    let server = m.start("ttyd", parent: 1), client = m.start("sh", parent: 1)
    let e = try! m.kernel.serve(server, name: tty).get()
    let s = m.thread(server), c = m.thread(client)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = m.kernel.forward(c, service: tty, request: [UInt8(SV_FS_OPEN)], purpose: .open(service: tty, statusFlags: 0, closeOnExec: false))
    _ = m.kernel.reply(s, caller: client.pid, bytes: fsReply(value: 7, kind: kind))
    c.completion = nil
    s.completion = nil
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = client.signals.setAction(Sig.INT, SignalAction(handler: 0x40_1000, flags: SigFlag.RESTORER, restorer: 0x40_2000))
    guard case .remote(let r)? = client.descriptors.file(0)?.kind else { fatalError("no descriptor") }
    return (m, server, client, e, r)
}

/// The client's read of `file` (100 bytes into 0x5000), forwarded.
func forwardRead(_ m: Machine, _ client: Process, _ file: RemoteFile) {
    let request = KernelState.handleRequest(SV_FS_HREAD, handle: file.handle, offset: 0, count: 100)
    _ = m.kernel.forward(m.thread(client), service: file.service, request: request, leaseAddress: 0x5000, leaseLength: 100,
                         leaseFlags: UInt64(SV_LEASE_WRITE), purpose: .read(file, requested: 100))
}

@Test func aSignalEndsAReadOfADeviceTheServerHoldsAndTheLateReplyIsDiscarded() {
    let (m, server, client, e, file) = machineWithOpenDevice()
    let s = m.thread(server), c = m.thread(client)
    #expect(file.isDevice)
    forwardRead(m, client, file)
    #expect(handleRequest(s.completion)?.op == UInt8(SV_FS_HREAD), "the server received the read")
    s.completion = nil
    // The server keeps the read (no input yet) and maps the lease; then it waits again.
    #expect(ok(m.kernel.reserveGrant(server: server.pid, caller: client.pid, pages: 1)))
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(c.blockReason == .awaitingReply(server: server.pid))

    _ = m.kernel.kill(from: server, pid: client.pid, signal: Sig.INT)
    #expect(c.isRunnable && c.interruptedBySignal, "the read's wait ended")
    #expect(c.completion?.result == restartMarker, "EINTR, or restarted with SA_RESTART")
    #expect(c.pendingCall == nil && c.forwarded == nil)
    #expect(m.kernel.grants.isEmpty && m.kernel.takeAbandonedGrants().map(\.caller) == [client.pid],
            "the grant goes to the machine layer to unmap before the caller runs")
    // The server hears of it (a notice naming the caller) at once, since it waits in receive.
    let notice = handleRequest(s.completion)
    #expect(decoded(s.completion)?.caller == UInt64(SV_IPC_CALLER_KERNEL))
    #expect(notice?.op == UInt8(SV_FS_HCANCEL) && notice?.handle == 7 && notice?.offset == UInt64(client.pid))
    // Its late answer touches nothing: no lease, no reply, no grant for a call that is over.
    #expect(err(m.kernel.lease(s, caller: client.pid, offset: 0, write: true)) == SV_ESRCH)
    #expect(err(m.kernel.reply(s, caller: client.pid, bytes: fsReply(value: 5))) == SV_ESRCH)
    #expect(c.completion?.result == restartMarker && file.offset == 0)
    // The caller's next read is a new call, received after the notice (notices come first).
    c.completion = nil
    c.interruptedBySignal = false
    forwardRead(m, client, file)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(handleRequest(s.completion)?.op == UInt8(SV_FS_HREAD))
    #expect(ok(m.kernel.reply(s, caller: client.pid, bytes: fsReply(value: 3))))
    #expect(c.completion?.result == 3 && file.offset == 3)
}

@Test func aSignalEndsAQueuedOrParkedDeviceReadButNotAFilesCall() {
    // Queued: the server is busy; the read leaves the queue, and the server never sees it.
    do {
        let (m, server, client, e, file) = machineWithOpenDevice()
        let s = m.thread(server), c = m.thread(client)
        m.kernel.scheduler.wake(s)   // busy elsewhere, not in receive
        forwardRead(m, client, file)
        #expect(c.blockReason == .calling(endpoint: e))
        _ = m.kernel.kill(from: server, pid: client.pid, signal: Sig.INT)
        #expect(c.isRunnable && c.completion?.result == restartMarker)
        #expect(m.kernel.ipc.endpoint(e)?.queue.isEmpty == true)
        _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
        #expect(s.completion == nil && s.blockReason == .receiving(endpoint: e), "nothing to receive")
    }
    // Parked while no one serves the device: ended too.
    do {
        let (m, server, client, _, file) = machineWithOpenDevice()
        let c = m.thread(client)
        _ = m.kernel.exit(server, status: 0)
        forwardRead(m, client, file)
        guard case .awaitingService? = c.blockReason else { Issue.record("not parked: \(String(describing: c.blockReason))"); return }
        _ = m.kernel.kill(from: client, pid: client.pid, signal: Sig.INT)
        #expect(c.isRunnable && c.completion?.result == restartMarker && c.pendingCall == nil)
    }
    // A file's read, received by its server, finishes first (like a disk wait).
    do {
        let (m, server, client, _, file) = machineWithOpenDevice(kind: SV_FS_KIND_FILE)
        let s = m.thread(server), c = m.thread(client)
        #expect(!file.isDevice)
        forwardRead(m, client, file)
        #expect(c.blockReason == .awaitingReply(server: server.pid))
        _ = m.kernel.kill(from: server, pid: client.pid, signal: Sig.INT)
        #expect(!c.isRunnable && c.completion == nil)
        #expect(ok(m.kernel.reply(s, caller: client.pid, bytes: fsReply(value: 4))))
        #expect(c.completion?.result == 4)
    }
}
