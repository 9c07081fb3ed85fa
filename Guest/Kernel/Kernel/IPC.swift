// IPC.swift — synchronous calls between processes (the microkernel's one way to talk to a server),
// after Hubris and L4: a server names an endpoint; a client's call carries a small request (≤ 256
// bytes, copied at once), says where the reply goes, and may lend one buffer (a lease) that the
// server reads or writes through the kernel while the client waits. The kernel copies between the
// two address spaces through the direct map; neither side ever maps the other's memory.
import ABI
import Arch
import KernelCore

final class Endpoint {
    let id: Int
    let name: [UInt8]
    let owner: Int32
    /// Callers waiting to be received, first come first served.
    var queue: [Int32] = []

    init(id: Int, name: [UInt8], owner: Int32) {
        self.id = id
        self.name = name
        self.owner = owner
    }
}

/// A call in progress, kept with the calling process.
struct PendingCall {
    var request: [UInt8]
    var replyAddress: UInt64
    var replyCapacity: UInt64
    var leaseAddress: UInt64
    var leaseLength: UInt64
    var leaseFlags: UInt64
}

enum IPC {
    nonisolated(unsafe) static var endpoints: [Endpoint] = []
    nonisolated(unsafe) static var nextID = 1
    static let maximumEndpoints = 64
    static let messageMaximum = Int(SV_IPC_MESSAGE_MAX)

    static func endpoint(_ id: Int) -> Endpoint? { endpoints.first { $0.id == id } }

    static func name(_ p: Process, _ address: UInt64, _ length: UInt64) -> [UInt8]? {
        guard length > 0, length <= UInt64(SV_IPC_NAME_MAX) else { return nil }
        return try? p.userMemory.bytes(at: address, count: Int(length))
    }

    /// serve(name, len) -> endpoint.
    static func serve(_ p: Process, name address: UInt64, length: UInt64) -> UInt64 {
        guard let name = name(p, address, length) else { return Syscalls.errno(length == 0 || length > UInt64(SV_IPC_NAME_MAX) ? SV_EINVAL : SV_EFAULT) }
        guard !endpoints.contains(where: { $0.name == name }) else { return Syscalls.errno(SV_EEXIST) }
        guard endpoints.count < maximumEndpoints else { return Syscalls.errno(SV_EAGAIN) }
        let e = Endpoint(id: nextID, name: name, owner: p.pid)
        nextID += 1
        endpoints.append(e)
        return UInt64(e.id)
    }

    /// lookup(name, len) -> endpoint.
    static func lookup(_ p: Process, name address: UInt64, length: UInt64) -> UInt64 {
        guard let name = name(p, address, length) else { return Syscalls.errno(SV_EINVAL) }
        guard let e = endpoints.first(where: { $0.name == name }) else { return Syscalls.errno(SV_ENOENT) }
        return UInt64(e.id)
    }

    /// call(endpoint, struct sv_ipc_call *): checks every pointer and length before it blocks.
    static func call(_ p: Process, endpoint id: Int, call address: UInt64) {
        guard let e = endpoint(id) else { p.context.rax = Syscalls.errno(SV_EPIPE); return }
        var c = sv_ipc_call()
        do { try p.userMemory.copyIn(from: address, length: MemoryLayout<sv_ipc_call>.size, into: &c) } catch {
            p.context.rax = Syscalls.errno(SV_EFAULT); return
        }
        let user = p.userMemory
        guard c.request_length <= UInt64(messageMaximum), c.lease_flags & ~UInt64(SV_LEASE_READ | SV_LEASE_WRITE) == 0,
              e.owner != p.pid else { p.context.rax = Syscalls.errno(SV_EINVAL); return }
        let replyCapacity = min(c.reply_capacity, UInt64(messageMaximum))
        do {
            try user.checkRange(c.reply, replyCapacity)
            try user.checkRange(c.lease, c.lease_length)
        } catch { p.context.rax = Syscalls.errno(SV_EFAULT); return }
        let request: [UInt8]
        do { request = try user.bytes(at: c.request, count: Int(c.request_length)) } catch {
            p.context.rax = Syscalls.errno(SV_EFAULT); return
        }
        p.pendingCall = PendingCall(request: request, replyAddress: c.reply, replyCapacity: replyCapacity,
                                    leaseAddress: c.lease, leaseLength: c.lease_length, leaseFlags: c.lease_flags)
        p.state = .calling(endpoint: e.id)
        if let server = Scheduler.process(e.owner), server.state == .receiving(endpoint: e.id) {
            deliver(p, to: server)
        } else {
            e.queue.append(p.pid)
        }
    }

    /// receive(endpoint, struct sv_ipc_message *): the next call, or sleep until one comes.
    static func receive(_ p: Process, endpoint id: Int, message address: UInt64) {
        guard let e = endpoint(id), e.owner == p.pid else { p.context.rax = Syscalls.errno(SV_EPERM); return }
        do { try p.userMemory.checkRange(address, UInt64(MemoryLayout<sv_ipc_message>.size)) } catch {
            p.context.rax = Syscalls.errno(SV_EFAULT); return
        }
        p.receiveAddress = address
        p.state = .receiving(endpoint: id)
        while let callerPID = e.queue.first {
            e.queue.removeFirst()
            if let caller = Scheduler.process(callerPID), caller.state == .calling(endpoint: id) {
                deliver(caller, to: p)
                return
            }
        }
    }

    /// Hands `caller`'s request to `server` (blocked in receive); the caller now waits for the reply.
    static func deliver(_ caller: Process, to server: Process) {
        guard let call = caller.pendingCall else { return }
        var m = sv_ipc_message()
        m.caller = UInt64(caller.pid)
        m.length = UInt64(call.request.count)
        m.lease_length = call.leaseLength
        m.lease_flags = call.leaseFlags
        withUnsafeMutableBytes(of: &m.buffer) { b in
            for (i, byte) in call.request.enumerated() { b[i] = byte }
        }
        do {
            try server.userMemory.copyOut(to: server.receiveAddress, from: &m, length: MemoryLayout<sv_ipc_message>.size)
            server.context.rax = 0
        } catch {
            server.context.rax = Syscalls.errno(SV_EFAULT)
        }
        server.state = .runnable
        caller.state = .awaitingReply(server: server.pid)
    }

    /// The caller `pid` if it is waiting for `server`'s reply.
    static func client(_ pid: UInt64, of server: Process) -> Process? {
        guard let caller = Scheduler.process(Int32(truncatingIfNeeded: pid)), caller.state == .awaitingReply(server: server.pid) else { return nil }
        return caller
    }

    /// reply(caller, buf, len): copies the reply (truncated to what the caller made room for) and wakes it.
    static func reply(_ p: Process, caller pid: UInt64, buffer: UInt64, length: UInt64) -> UInt64 {
        guard let caller = client(pid, of: p), let call = caller.pendingCall else { return Syscalls.errno(SV_ESRCH) }
        guard length <= UInt64(messageMaximum) else { return Syscalls.errno(SV_EINVAL) }
        let bytes: [UInt8]
        do { bytes = try p.userMemory.bytes(at: buffer, count: Int(length)) } catch { return Syscalls.errno(SV_EFAULT) }
        let n = min(bytes.count, Int(call.replyCapacity))
        let copied = n == 0 || bytes.withUnsafeBytes { b in
            (try? caller.userMemory.copyOut(to: call.replyAddress, from: b.baseAddress!, length: n)) != nil
        }
        caller.context.rax = copied ? UInt64(n) : Syscalls.errno(SV_EFAULT)
        caller.pendingCall = nil
        caller.state = .runnable
        return 0
    }

    /// lease_read / lease_write: copy between the caller's lease and the server's buffer, within the
    /// lease and only in the directions it was lent for — straight from one address space to the
    /// other through the direct map (UserMemory.copy), every page checked on both sides.
    static func lease(_ p: Process, caller pid: UInt64, offset: UInt64, buffer: UInt64, length: UInt64, write: Bool) -> UInt64 {
        guard let caller = client(pid, of: p), let call = caller.pendingCall else { return Syscalls.errno(SV_ESRCH) }
        guard call.leaseFlags & UInt64(write ? SV_LEASE_WRITE : SV_LEASE_READ) != 0 else { return Syscalls.errno(SV_EPERM) }
        guard offset <= call.leaseLength else { return Syscalls.errno(SV_EINVAL) }
        let n = min(length, call.leaseLength - offset)
        guard n > 0 else { return 0 }
        do {
            if write {
                try p.userMemory.copy(from: buffer, to: caller.userMemory, at: call.leaseAddress + offset, length: Int(n))
            } else {
                try caller.userMemory.copy(from: call.leaseAddress + offset, to: p.userMemory, at: buffer, length: Int(n))
            }
        } catch {
            return Syscalls.errno(SV_EFAULT)
        }
        return n
    }

    /// A process is ending: its endpoints go away (their callers get EPIPE), and it leaves any queue.
    static func processEnded(_ p: Process) {
        for e in endpoints where e.owner == p.pid {
            for q in Scheduler.processes where q.state == .calling(endpoint: e.id) || q.state == .awaitingReply(server: p.pid) {
                q.pendingCall = nil
                q.context.rax = Syscalls.errno(SV_EPIPE)
                q.state = .runnable
            }
        }
        endpoints.removeAll { $0.owner == p.pid }
        for e in endpoints { e.queue.removeAll { $0 == p.pid } }
        p.pendingCall = nil
    }
}
