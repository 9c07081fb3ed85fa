// IPCTests.swift — the kernel core's IPC on the host: delivery to a waiting server or through the
// queue, replies, leases and their limits, and a server that dies with callers queued or waiting.
import ABI
import KernelCore
import Testing

func call(_ bytes: [UInt8], lease: UInt64 = 0, length: UInt64 = 0, flags: Int32 = 0) -> PendingCall {
    PendingCall(request: bytes, replyAddress: 0x9000, replyCapacity: 16, leaseAddress: lease, leaseLength: length,
                leaseFlags: UInt64(flags))
}

/// Decodes sv_ipc_message bytes: (caller, request).
func decoded(_ c: Completion?) -> (caller: UInt64, request: [UInt8])? {
    guard let bytes = c?.bytes, bytes.count == MemoryLayout<sv_ipc_message>.size else { return nil }
    var m = sv_ipc_message()
    withUnsafeMutableBytes(of: &m) { $0.copyBytes(from: bytes) }
    let request = withUnsafeBytes(of: &m.buffer) { Array($0.prefix(Int(m.length))) }
    return (m.caller, request)
}

@Test func serveAndLookupByName() {
    let m = Machine()
    let server = m.start("fsd")
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    #expect(m.kernel.lookup(name: Array("fs".utf8)) == .success(e))
    #expect(err(m.kernel.lookup(name: Array("nope".utf8))) == SV_ENOENT)
    #expect(err(m.kernel.serve(server, name: Array("fs".utf8))) == SV_EEXIST)
    #expect(err(m.kernel.serve(server, name: [])) == SV_EINVAL)
    #expect(err(m.kernel.serve(server, name: [UInt8](repeating: 65, count: Int(SV_IPC_NAME_MAX) + 1))) == SV_EINVAL)
}

@Test func aCallToAWaitingServerIsDeliveredAndRepliedTo() {
    let m = Machine()
    let server = m.start("fsd"), client = m.start("cat")
    let s = m.thread(server), c = m.thread(client)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    #expect(ok(m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)))
    #expect(s.blockReason == .receiving(endpoint: e))
    #expect(ok(m.kernel.call(c, endpoint: e, call([1, 2, 3]))))
    #expect(s.isRunnable && s.completion?.address == 0x7000)
    #expect(decoded(s.completion)?.caller == UInt64(client.pid))
    #expect(decoded(s.completion)?.request == [1, 2, 3])
    #expect(c.blockReason == .awaitingReply(server: server.pid))
    // The reply is cut to the room the caller made (16 bytes).
    #expect(ok(m.kernel.reply(s, caller: client.pid, bytes: [UInt8](repeating: 7, count: 20))))
    #expect(c.isRunnable && c.completion == Completion(result: 16, bytes: [UInt8](repeating: 7, count: 16), at: 0x9000))
    #expect(err(m.kernel.reply(s, caller: client.pid, bytes: [])) == SV_ESRCH, "one reply per call")
}

@Test func callsQueueInOrderUntilTheServerReceives() {
    let m = Machine()
    let server = m.start("fsd"), a = m.start("a"), b = m.start("b")
    let s = m.thread(server)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    #expect(ok(m.kernel.call(m.thread(a), endpoint: e, call([0xa]))))
    #expect(ok(m.kernel.call(m.thread(b), endpoint: e, call([0xb]))))
    #expect(m.thread(a).blockReason == .calling(endpoint: e))
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(decoded(s.completion)?.request == [0xa])
    _ = m.kernel.reply(s, caller: a.pid, bytes: [])
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(decoded(s.completion)?.request == [0xb])
}

@Test func onlyTheOwnerReceivesAndNobodyCallsItself() {
    let m = Machine()
    let server = m.start("fsd"), other = m.start("x")
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    #expect(err(m.kernel.receive(m.thread(other), endpoint: e, messageAddress: 0)) == SV_EPERM)
    #expect(err(m.kernel.call(m.thread(server), endpoint: e, call([]))) == SV_EINVAL)
    #expect(err(m.kernel.call(m.thread(other), endpoint: 999, call([]))) == SV_EPIPE)
}

@Test func leasesAreUsableOnlyAsLentAndWithinBounds() {
    let m = Machine()
    let server = m.start("fsd"), client = m.start("cat"), stranger = m.start("x")
    let s = m.thread(server)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = m.kernel.call(m.thread(client), endpoint: e, call([], lease: 0x20000, length: 100, flags: SV_LEASE_WRITE))
    let ok = try! m.kernel.lease(s, caller: client.pid, offset: 40, write: true).get()
    #expect(ok.caller === m.thread(client) && ok.address == 0x20028 && ok.available == 60)
    #expect(err(m.kernel.lease(s, caller: client.pid, offset: 0, write: false)) == SV_EPERM)
    #expect(err(m.kernel.lease(s, caller: client.pid, offset: 101, write: true)) == SV_EINVAL)
    #expect(try! m.kernel.lease(s, caller: client.pid, offset: 100, write: true).get().available == 0)
    #expect(err(m.kernel.lease(s, caller: stranger.pid, offset: 0, write: true)) == SV_ESRCH)
    // Another server cannot touch the lease of a call it did not receive.
    #expect(err(m.kernel.lease(m.thread(stranger), caller: client.pid, offset: 0, write: true)) == SV_ESRCH)
}

@Test func aDyingServerFailsItsCallersWithEPIPEAndItsNameIsFree() {
    let m = Machine()
    let server = m.start("fsd"), waiting = m.start("a"), queued = m.start("b")
    let s = m.thread(server)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    _ = m.kernel.call(m.thread(waiting), endpoint: e, call([1]))   // received: waits for the reply
    _ = m.kernel.call(m.thread(queued), endpoint: e, call([2]))    // still queued
    _ = m.kernel.exit(server, status: 139)
    for t in [m.thread(waiting), m.thread(queued)] {
        #expect(t.isRunnable)
        #expect(t.completion?.result == KernelError(SV_EPIPE).result)
        #expect(t.pendingCall == nil)
    }
    #expect(err(m.kernel.lookup(name: Array("fs".utf8))) == SV_ENOENT)
    // A restarted server takes the name again, with a new endpoint; the old one stays dead.
    let again = m.start("fsd")
    let e2 = try! m.kernel.serve(again, name: Array("fs".utf8)).get()
    #expect(e2 != e)
    #expect(err(m.kernel.call(m.thread(waiting), endpoint: e, call([]))) == SV_EPIPE)
}

@Test func aCallerThatDiesLeavesTheQueue() {
    let m = Machine()
    let server = m.start("fsd"), quitter = m.start("a"), stayer = m.start("b")
    let s = m.thread(server)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    _ = m.kernel.call(m.thread(quitter), endpoint: e, call([1]))
    _ = m.kernel.call(m.thread(stayer), endpoint: e, call([2]))
    _ = m.kernel.exit(quitter, status: 137)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(decoded(s.completion)?.request == [2])
    #expect(err(m.kernel.reply(s, caller: quitter.pid, bytes: [])) == SV_ESRCH)
}

@Test func theKernelCountsDeliveredCallsRepliesAndNoticesNotRefusedOnes() {
    let m = Machine()
    let server = m.start("fsd"), a = m.start("a"), b = m.start("b")
    let s = m.thread(server)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    #expect(ok(m.kernel.call(m.thread(a), endpoint: e, call([1]))))
    #expect(ok(m.kernel.call(m.thread(b), endpoint: e, call([2]))))
    #expect(m.kernel.counters.ipcCalls == 0, "queued, not yet delivered")
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(m.kernel.counters.ipcCalls == 1)
    #expect(ok(m.kernel.reply(s, caller: a.pid, bytes: [])))
    #expect(err(m.kernel.reply(s, caller: a.pid, bytes: [])) == SV_ESRCH)
    #expect(m.kernel.counters.ipcReplies == 1, "a refused reply is not a message")
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(m.kernel.counters.ipcCalls == 2)
    #expect(m.kernel.counters.abi.ipc_calls == 2 && m.kernel.counters.abi.ipc_replies == 1)
    #expect(m.kernel.counters.entries == 0, "entries are the machine layer's to count")
}
