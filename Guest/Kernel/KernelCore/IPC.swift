// IPC.swift — synchronous calls between processes, the microkernel's one way to talk to a server
// (after Hubris and L4): a server names an endpoint; a client's call carries a small request
// (≤ SV_IPC_MESSAGE_MAX bytes, copied at once), says where the reply goes, and may lend one buffer
// (a lease) that the server reads or writes through the kernel while the client waits. This file
// is the bookkeeping — who is queued where, who waits for whom, what each side gets back; the
// machine layer validates user pointers before it calls in and does the lease copies.
import ABI

public final class Endpoint {
    public let id: Int
    public let name: [UInt8]
    /// The pid of the serving process.
    public let owner: Int32
    /// Callers waiting to be received, first come first served.
    public internal(set) var queue: [Thread] = []
    /// Notices from the kernel (whole sv_ipc_message bytes), received before calls.
    public internal(set) var notices: [[UInt8]] = []

    init(id: Int, name: [UInt8], owner: Int32) {
        self.id = id
        self.name = name
        self.owner = owner
    }
}

/// A call in progress, kept with the calling thread. Addresses are in the caller's address space
/// and were checked by the machine layer when the call was made.
public struct PendingCall: Equatable, Sendable {
    public var request: [UInt8]
    public var replyAddress: UInt64
    public var replyCapacity: UInt64
    public var leaseAddress: UInt64
    public var leaseLength: UInt64
    public var leaseFlags: UInt64

    public init(request: [UInt8], replyAddress: UInt64, replyCapacity: UInt64,
                leaseAddress: UInt64, leaseLength: UInt64, leaseFlags: UInt64) {
        self.request = request
        self.replyAddress = replyAddress
        self.replyCapacity = replyCapacity
        self.leaseAddress = leaseAddress
        self.leaseLength = leaseLength
        self.leaseFlags = leaseFlags
    }
}

/// The message receive() hands a server: sv_ipc_message's bytes (sv_syscall.h), with the
/// identity the kernel vouches for (a notice's: pid 0, root).
public func encodeMessage(caller: Int32, identity: sv_ipc_identity = kernelIdentity, _ call: PendingCall) -> [UInt8] {
    var m = sv_ipc_message()
    m.caller = UInt64(caller)
    m.identity = identity
    m.length = UInt64(call.request.count)
    m.lease_length = call.leaseLength
    m.lease_flags = call.leaseFlags
    withUnsafeMutableBytes(of: &m.buffer) { b in
        for (i, byte) in call.request.prefix(b.count).enumerated() { b[i] = byte }
    }
    return withUnsafeBytes(of: &m) { Array($0) }
}

/// The identity on the kernel's own notices: no process, root's ids.
public var kernelIdentity: sv_ipc_identity { Credentials.root.identity(pid: 0, umask: 0) }

public struct EndpointTable {
    public internal(set) var endpoints: [Endpoint] = []
    var nextID = 1
    public static let maximumEndpoints = 64

    public init() {}

    public func endpoint(_ id: Int) -> Endpoint? { endpoints.first { $0.id == id } }
}

extension KernelState {
    /// serve(name) -> endpoint: `p` answers calls to `name`.
    public func serve(_ p: Process, name: [UInt8]) -> Result<Int, KernelError> {
        guard !name.isEmpty, name.count <= Int(SV_IPC_NAME_MAX) else { return .failure(.init(SV_EINVAL)) }
        guard !ipc.endpoints.contains(where: { $0.name == name }) else { return .failure(.init(SV_EEXIST)) }
        guard ipc.endpoints.count < EndpointTable.maximumEndpoints else { return .failure(.init(SV_EAGAIN)) }
        let e = Endpoint(id: ipc.nextID, name: name, owner: p.pid)
        ipc.nextID += 1
        ipc.endpoints.append(e)
        serviceAppeared(e)
        return .success(e.id)
    }

    /// lookup(name) -> endpoint.
    public func lookup(name: [UInt8]) -> Result<Int, KernelError> {
        guard !name.isEmpty, name.count <= Int(SV_IPC_NAME_MAX) else { return .failure(.init(SV_EINVAL)) }
        guard let e = ipc.endpoints.first(where: { $0.name == name }) else { return .failure(.init(SV_ENOENT)) }
        return .success(e.id)
    }

    /// call(endpoint): `t` blocks until the reply; it is delivered at once if the server waits in
    /// receive, else queued. EPIPE: no such endpoint (its server went away); EINVAL: a call to
    /// one's own endpoint (it could never be received).
    public func call(_ t: Thread, endpoint id: Int, _ call: PendingCall) -> Result<Void, KernelError> {
        guard let e = ipc.endpoint(id) else { return .failure(.init(SV_EPIPE)) }
        guard e.owner != t.pid else { return .failure(.init(SV_EINVAL)) }
        t.pendingCall = call
        scheduler.block(t, .calling(endpoint: e.id))
        if let server = process(e.owner)?.threads.first(where: { $0.blockReason == .receiving(endpoint: e.id) }) {
            deliver(t, to: server)
        } else {
            e.queue.append(t)
        }
        return .success(())
    }

    /// receive(endpoint, address): the next call, or block until one comes. EPERM: not the owner.
    public func receive(_ server: Thread, endpoint id: Int, messageAddress: UInt64) -> Result<Void, KernelError> {
        guard let e = ipc.endpoint(id), e.owner == server.pid else { return .failure(.init(SV_EPERM)) }
        server.receiveAddress = messageAddress
        if !e.notices.isEmpty {
            server.completion = Completion(result: 0, bytes: e.notices.removeFirst(), at: messageAddress)
            return .success(())
        }
        scheduler.block(server, .receiving(endpoint: id))
        while !e.queue.isEmpty {
            let caller = e.queue.removeFirst()
            if caller.blockReason == .calling(endpoint: id) {
                deliver(caller, to: server)
                break
            }
        }
        return .success(())
    }

    /// Hands `caller`'s request to `server` (blocked in receive); the caller now waits for the reply.
    func deliver(_ caller: Thread, to server: Thread) {
        guard let call = caller.pendingCall else { return }
        counters.ipcCalls &+= 1
        // Stamped now, from the kernel's own record of the caller: a server trusts nothing else.
        let identity = process(caller.pid).map { $0.credentials.identity(pid: $0.pid, umask: $0.umask) } ?? kernelIdentity
        server.completion = Completion(result: 0, bytes: encodeMessage(caller: caller.id, identity: identity, call),
                                       at: server.receiveAddress)
        scheduler.wake(server)
        scheduler.block(caller, .awaitingReply(server: server.pid))
    }

    /// The thread `id` if it waits for `server`'s reply, with its call.
    public func client(_ id: Int32, of server: Thread) -> (thread: Thread, call: PendingCall)? {
        guard let caller = thread(id), caller.blockReason == .awaitingReply(server: server.pid),
              let call = caller.pendingCall else { return nil }
        return (caller, call)
    }

    /// reply(caller, bytes): the caller's call returns the reply (truncated to the room it made).
    /// ESRCH: no such caller waiting for this server; EINVAL: longer than a message.
    public func reply(_ server: Thread, caller id: Int32, bytes: [UInt8]) -> Result<Void, KernelError> {
        guard let (caller, call) = client(id, of: server) else { return .failure(.init(SV_ESRCH)) }
        guard bytes.count <= Int(SV_IPC_MESSAGE_MAX) else { return .failure(.init(SV_EINVAL)) }
        counters.ipcReplies &+= 1
        if let purpose = caller.forwarded {
            completeForwarded(caller, purpose, reply: bytes)
            return .success(())
        }
        let n = min(bytes.count, Int(call.replyCapacity))
        caller.completion = Completion(result: UInt64(n), bytes: Array(bytes.prefix(n)), at: call.replyAddress)
        caller.pendingCall = nil
        scheduler.wake(caller)
        return .success(())
    }

    /// The lease a server may use for `caller`: the directions it was lent for, and its bounds.
    /// ESRCH: no such caller; EPERM: not lent for that direction; EINVAL: offset past its end.
    /// Returns the caller's thread, the lease address at `offset`, and how many bytes remain.
    public func lease(_ server: Thread, caller id: Int32, offset: UInt64, write: Bool)
        -> Result<(caller: Thread, address: UInt64, available: UInt64), KernelError> {
        guard let (caller, call) = client(id, of: server) else { return .failure(.init(SV_ESRCH)) }
        guard call.leaseFlags & UInt64(write ? SV_LEASE_WRITE : SV_LEASE_READ) != 0 else { return .failure(.init(SV_EPERM)) }
        guard offset <= call.leaseLength else { return .failure(.init(SV_EINVAL)) }
        return .success((caller, call.leaseAddress + offset, call.leaseLength - offset))
    }

    /// A process is ending: its endpoints go away (their callers get EPIPE), its threads leave
    /// every queue, and a call it was making is dropped.
    func ipcProcessEnded(_ p: Process) {
        for t in p.threads { t.pendingCall = nil; t.forwarded = nil }
        let dying = ipc.endpoints.filter { $0.owner == p.pid }
        ipc.endpoints.removeAll { $0.owner == p.pid }
        for e in ipc.endpoints { e.queue.removeAll { $0.pid == p.pid } }
        for e in dying {
            for q in threads where q.blockReason == .calling(endpoint: e.id) || q.blockReason == .awaitingReply(server: p.pid) {
                // A call the kernel forwards for a descriptor waits for the next server instead.
                if q.forwarded != nil {
                    serverDied(holding: q)
                    continue
                }
                q.pendingCall = nil
                q.completion = Completion(result: KernelError(SV_EPIPE).result)
                scheduler.wake(q)
            }
        }
    }
}
