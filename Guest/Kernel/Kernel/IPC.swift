// IPC.swift — the IPC system calls (sv_syscall.h 16–23): every pointer and length the caller
// passes is checked here, in its address space, before KernelCore's IPC bookkeeping runs; lease
// copies go straight between the two address spaces through the direct map (UserMemory.copy).
import ABI
import Arch
import Platform
import KernelCore

enum IPCCalls {
    static let messageMaximum = Int(SV_IPC_MESSAGE_MAX)

    static func name(_ t: UserThread, _ address: UInt64, _ length: UInt64) -> Result<[UInt8], KernelError> {
        guard length > 0, length <= UInt64(SV_IPC_NAME_MAX) else { return .failure(.init(SV_EINVAL)) }
        guard let bytes = try? t.userMemory.bytes(at: address, count: Int(length)) else { return .failure(.init(SV_EFAULT)) }
        return .success(bytes)
    }

    /// serve(name, len) -> endpoint.
    static func serve(_ t: UserThread, name address: UInt64, length: UInt64) -> UInt64 {
        Syscalls.result(name(t, address, length).flatMap { kernel.serve(t.process, name: $0) }.map { UInt64($0) })
    }

    /// lookup(name, len) -> endpoint.
    static func lookup(_ t: UserThread, name address: UInt64, length: UInt64) -> UInt64 {
        let n = name(t, address, length).mapError { _ in KernelError(SV_EINVAL) }
        return Syscalls.result(n.flatMap { kernel.lookup(name: $0) }.map { UInt64($0) })
    }

    /// call(endpoint, struct sv_ipc_call *): checks every pointer and length before it blocks.
    static func call(_ t: UserThread, endpoint id: Int, call address: UInt64) {
        guard kernel.ipc.endpoint(id) != nil else { t.context.rax = Syscalls.errno(SV_EPIPE); return }
        let c: sv_ipc_call
        do { c = try t.userMemory.load(sv_ipc_call.self, from: address, initial: sv_ipc_call()) } catch {
            t.context.rax = Syscalls.errno(SV_EFAULT); return
        }
        let user = t.userMemory
        guard c.request_length <= UInt64(messageMaximum), c.lease_flags & ~UInt64(SV_LEASE_READ | SV_LEASE_WRITE) == 0,
              kernel.ipc.endpoint(id)?.owner != t.pid else { t.context.rax = Syscalls.errno(SV_EINVAL); return }
        let replyCapacity = min(c.reply_capacity, UInt64(messageMaximum))
        do {
            try user.checkRange(c.reply, replyCapacity)
            try user.checkRange(c.lease, c.lease_length)
        } catch { t.context.rax = Syscalls.errno(SV_EFAULT); return }
        let request: [UInt8]
        do { request = try user.bytes(at: c.request, count: Int(c.request_length)) } catch {
            t.context.rax = Syscalls.errno(SV_EFAULT); return
        }
        let pending = PendingCall(request: request, replyAddress: c.reply, replyCapacity: replyCapacity,
                                  leaseAddress: c.lease, leaseLength: c.lease_length, leaseFlags: c.lease_flags)
        if case .failure(let e) = kernel.call(t, endpoint: id, pending) { t.context.rax = e.result }
    }

    /// receive(endpoint, struct sv_ipc_message *): the next call, or sleep until one comes.
    static func receive(_ t: UserThread, endpoint id: Int, message address: UInt64) {
        guard let e = kernel.ipc.endpoint(id), e.owner == t.pid else { t.context.rax = Syscalls.errno(SV_EPERM); return }
        do { try t.userMemory.checkRange(address, UInt64(MemoryLayout<sv_ipc_message>.size)) } catch {
            t.context.rax = Syscalls.errno(SV_EFAULT); return
        }
        if case .failure(let e) = kernel.receive(t, endpoint: id, messageAddress: address) { t.context.rax = e.result }
    }

    /// reply(caller, buf, len): copies the reply (truncated to what the caller made room for) and wakes it.
    static func reply(_ t: UserThread, caller: UInt64, buffer: UInt64, length: UInt64) -> UInt64 {
        let id = Int32(truncatingIfNeeded: caller)
        guard kernel.client(id, of: t) != nil else { return Syscalls.errno(SV_ESRCH) }
        guard length <= UInt64(messageMaximum) else { return Syscalls.errno(SV_EINVAL) }
        let bytes: [UInt8]
        do { bytes = try t.userMemory.bytes(at: buffer, count: Int(length)) } catch { return Syscalls.errno(SV_EFAULT) }
        let r = kernel.reply(t, caller: id, bytes: bytes)
        if case .success = r { revoke(kernel.takeGrants(server: t.pid, caller: id)) }   // the call is over
        return Syscalls.result(r.map { 0 })
    }

    /// lease_map(caller, offset, length): the lease's pages mapped into the server's grant window
    /// (KernelCore Grants.swift) — read-write if the lease was lent for writing, else read-only,
    /// never executable and never owned (the caller's frames stay the caller's). Every page must
    /// be present in the caller now, with the access granted: EFAULT otherwise.
    static func leaseMap(_ t: UserThread, caller: UInt64, offset: UInt64, length: UInt64) -> UInt64 {
        let id = Int32(truncatingIfNeeded: caller)
        guard let (callerThread, call) = kernel.client(id, of: t) else { return Syscalls.errno(SV_ESRCH) }
        let writable = call.leaseFlags & UInt64(SV_LEASE_WRITE) != 0
        guard call.leaseFlags & UInt64(SV_LEASE_READ | SV_LEASE_WRITE) != 0 else { return Syscalls.errno(SV_EPERM) }
        guard length > 0, offset <= call.leaseLength, length <= call.leaseLength - offset else { return Syscalls.errno(SV_EINVAL) }
        let start = call.leaseAddress + offset
        let first = start & ~(pageSize - 1)
        let pages = Int(((start + length - 1) & ~(pageSize - 1) - first) / pageSize) + 1
        guard pages <= Int(SV_GRANT_PAGES_MAX) else { return Syscalls.errno(SV_ENOMEM) }
        let from = callerThread.user.process.space
        var frames: [PhysicalAddress] = []
        frames.reserveCapacity(pages)
        for i in 0..<pages {
            guard let (frame, flags) = from.lookup(VirtualAddress(first + UInt64(i) * pageSize), memory: Memory.window!),
                  flags.contains(.user), !writable || flags.contains(.writable) else { return Syscalls.errno(SV_EFAULT) }
            frames.append(frame)
        }
        let grant: Grant
        switch kernel.reserveGrant(server: t.pid, caller: id, pages: pages) {
        case .failure(let e): return e.result
        case .success(let g): grant = g
        }
        var flags: PageFlags = [.user, .noExecute]
        if writable { flags.insert(.writable) }
        for (i, frame) in frames.enumerated() {
            do {
                try t.process.space.map(VirtualAddress(grant.start + UInt64(i) * pageSize), to: frame, flags: flags,
                                        frames: &Memory.frames!, memory: Memory.window!)
            } catch {
                // Out of frames for page tables: nothing of this grant stays.
                unmap(grant, in: t.process, pages: i)
                kernel.forgetGrant(grant)
                return Syscalls.errno(SV_ENOMEM)
            }
        }
        return grant.start + (start - first)
    }

    /// Unmaps grants from their servers (the frames stay with their callers).
    static func revoke(_ grants: [Grant]) {
        for g in grants {
            guard let server = kernel.process(g.server), !server.isZombie else { continue }
            unmap(g, in: server.user, pages: g.pages)
        }
    }

    static func unmap(_ g: Grant, in server: UserProcess, pages: Int) {
        for i in 0..<pages { _ = server.space.unmap(VirtualAddress(g.start + UInt64(i) * pageSize), memory: Memory.window!) }
    }

    /// lease_read / lease_write: copy between the caller's lease and the server's buffer, within the
    /// lease and only in the directions it was lent for — straight from one address space to the
    /// other through the direct map (UserMemory.copy), every page checked on both sides.
    static func lease(_ t: UserThread, caller: UInt64, offset: UInt64, buffer: UInt64, length: UInt64, write: Bool) -> UInt64 {
        let id = Int32(truncatingIfNeeded: caller)
        let lease: (caller: Thread, address: UInt64, available: UInt64)
        switch kernel.lease(t, caller: id, offset: offset, write: write) {
        case .failure(let e): return e.result
        case .success(let l): lease = l
        }
        let n = min(length, lease.available)
        guard n > 0 else { return 0 }
        do {
            if write {
                try t.userMemory.copy(from: buffer, to: lease.caller.user.userMemory, at: lease.address, length: Int(n))
            } else {
                try lease.caller.user.userMemory.copy(from: lease.address, to: t.userMemory, at: buffer, length: Int(n))
            }
        } catch {
            return Syscalls.errno(SV_EFAULT)
        }
        return n
    }
}
