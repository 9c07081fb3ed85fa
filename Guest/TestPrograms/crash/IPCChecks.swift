// IPCChecks.swift — `crash ipc`: the kernel's IPC calls against bad arguments and a real server
// (`crash ipc-echo`, a child): every pointer, length, lease direction and bound is checked, and a
// client whose server dies mid-call gets EPIPE, not a hang.
// Deliberately unsafe: raw system calls with hand-made pointers and leases are what it tests.
import ABI
import UserLib
import UserRuntime

func ipcRaw(_ n: Int32, _ a: UInt64, _ b: UInt64, _ c: UInt64 = 0, _ d: UInt64 = 0) -> Int {
    Int(sv_syscall4(Int64(n), a, b, c, d))
}

func address(_ p: UnsafeRawPointer) -> UInt64 { UInt64(UInt(bitPattern: p)) }

/// A raw call to `endpoint`, so the test can hand the kernel what a hostile client would.
func rawCall(_ endpoint: Int, request: UInt64, requestLength: UInt64, reply: UInt64, replyCapacity: UInt64,
             lease: UInt64 = 0, leaseLength: UInt64 = 0, leaseFlags: UInt64 = 0) -> Int {
    var c = sv_ipc_call(request: request, request_length: requestLength, reply: reply, reply_capacity: replyCapacity,
                        lease: lease, lease_length: leaseLength, lease_flags: leaseFlags)
    return withUnsafeMutablePointer(to: &c) { ipcRaw(SV_SYS_IPC_CALL, UInt64(bitPattern: Int64(endpoint)), address($0)) }
}

func ipcChecks() -> Bool {
    var ok = true
    let name = Array("crash-test".utf8)
    let n = UInt64(name.count)
    ok = expect("serve(kernel pointer)", ipcRaw(SV_SYS_IPC_SERVE, kernelText, 4), SV_EFAULT) && ok
    ok = expect("serve(empty name)", ipcRaw(SV_SYS_IPC_SERVE, 0x40_0000, 0), SV_EINVAL) && ok
    ok = expect("serve(name too long)", ipcRaw(SV_SYS_IPC_SERVE, 0x40_0000, 33), SV_EINVAL) && ok
    let mine = name.withUnsafeBytes { ipcRaw(SV_SYS_IPC_SERVE, address($0.baseAddress!), n) }
    if mine <= 0 { print("crash: serve: \(mine)"); ok = false }
    ok = expect("serve(the same name again)", name.withUnsafeBytes { ipcRaw(SV_SYS_IPC_SERVE, address($0.baseAddress!), n) }, SV_EEXIST) && ok
    ok = expect("lookup(nobody serves it)", Channel.lookup("no-such-service"), SV_ENOENT) && ok
    ok = expect("call(own endpoint)", failure(Channel.call(mine, request: [1])), SV_EINVAL) && ok
    ok = expect("call(no such endpoint)", failure(Channel.call(9999, request: [1])), SV_EPIPE) && ok
    ok = expect("call(struct in the kernel)", ipcRaw(SV_SYS_IPC_CALL, UInt64(mine), kernelText), SV_EFAULT) && ok
    ok = expect("receive(not my endpoint)", failure(Channel.receive(9999)), SV_EPERM) && ok
    ok = expect("receive(message in the kernel)", ipcRaw(SV_SYS_IPC_RECEIVE, UInt64(mine), kernelText), SV_EFAULT) && ok
    ok = expect("reply(not a caller)", Channel.reply(1, [1]), SV_ESRCH) && ok
    ok = expect("reply_receive(not my endpoint)", failure(Channel.replyAndReceive(9999, caller: 1, reply: [1])), SV_EPERM) && ok
    ok = expect("reply_receive(message in the kernel)",
                Int(sv_syscall5(Int64(SV_SYS_IPC_REPLY_RECEIVE), UInt64(mine), kernelText, 0, 0, 0)), SV_EFAULT) && ok
    ok = expect("lease_read(not a caller)", ipcRaw(SV_SYS_IPC_LEASE_READ, 1, 0, 0x40_0000, 8), SV_ESRCH) && ok

    // wait(pid, who) checks `who` before it blocks.
    let child = System.spawn("hello")
    ok = expect("wait(who in the kernel)", ipcRaw(SV_SYS_WAIT, UInt64(child), kernelText), SV_EFAULT) && ok
    if let (pid, status) = System.waitAny(), pid == child, status == 0 {} else { print("crash: waitAny did not report hello"); ok = false }

    // A real server in another process.
    let server = System.spawn("crash ipc-echo")
    let deadline = System.clock() + 5_000_000_000
    var echo = Channel.lookup("echo-test")
    while echo < 0 && System.clock() < deadline { System.yield(); echo = Channel.lookup("echo-test") }
    guard echo > 0 else { print("crash: the echo server never came up"); return false }
    var reply = [UInt8](repeating: 0, count: 8)
    reply.withUnsafeMutableBytes { r in
        let at = address(r.baseAddress!)
        ok = expect("call(request in the kernel)", rawCall(echo, request: kernelText, requestLength: 8, reply: at, replyCapacity: 8), SV_EFAULT) && ok
        ok = expect("call(request too long)", rawCall(echo, request: at, requestLength: 300, reply: at, replyCapacity: 8), SV_EINVAL) && ok
        ok = expect("call(reply in the kernel)", rawCall(echo, request: at, requestLength: 1, reply: kernelText, replyCapacity: 8), SV_EFAULT) && ok
        ok = expect("call(lease in the kernel)", rawCall(echo, request: at, requestLength: 1, reply: at, replyCapacity: 8,
                                                       lease: kernelText, leaseLength: 64, leaseFlags: UInt64(SV_LEASE_READ)), SV_EFAULT) && ok
        ok = expect("call(lease wraps)", rawCall(echo, request: at, requestLength: 1, reply: at, replyCapacity: 8,
                                               lease: 0x40_0000, leaseLength: UInt64.max - 0x1000, leaseFlags: UInt64(SV_LEASE_READ)), SV_EFAULT) && ok
        ok = expect("call(unknown lease flag)", rawCall(echo, request: at, requestLength: 1, reply: at, replyCapacity: 8,
                                                      lease: at, leaseLength: 8, leaseFlags: 0x100), SV_EINVAL) && ok
    }

    // "swap": the server reads the lease's first half and writes it upper-cased into the second,
    // then tries to reach past the lease; its reply reports what the kernel said.
    var lease = Array("abcdefgh________".utf8)
    let swap = lease.withUnsafeMutableBytes { Channel.call(echo, request: Array("swap".utf8), lease: $0, leaseFlags: SV_LEASE_READ | SV_LEASE_WRITE) }
    if case .success(let r) = swap, r == Array("ok".utf8), lease == Array("abcdefghABCDEFGH".utf8) {} else {
        print("crash: swap through a lease: \(swap), lease now \(String(decoding: lease, as: UTF8.self))"); ok = false
    }
    // A lease lent only for reading cannot be written.
    var readOnly = Array("abcdefgh________".utf8)
    let refused = readOnly.withUnsafeMutableBytes { Channel.call(echo, request: Array("swap".utf8), lease: $0, leaseFlags: SV_LEASE_READ) }
    if case .success(let r) = refused, r == Array("write: -1".utf8), readOnly == Array("abcdefgh________".utf8) {} else {
        print("crash: write to a read-only lease: \(refused)"); ok = false
    }
    // The server dies during the call: the caller gets EPIPE.
    ok = expect("call(server dies before replying)", failure(Channel.call(echo, request: Array("die".utf8))), SV_EPIPE) && ok
    _ = System.wait(server)
    return ok
}

func failure<T>(_ r: Result<T, Errno>) -> Int {
    if case .failure(let e) = r { return -Int(e.code) }
    return 0
}

/// `crash ipc-echo`: the server side of ipcChecks.
func echoServer() -> Never {
    let endpoint = Channel.serve("echo-test")
    guard endpoint > 0 else { System.exit(1) }
    while true {
        guard case .success(let m) = Channel.receive(endpoint) else { System.exit(1) }
        let command = String(decoding: m.request, as: UTF8.self)
        if command == "die" { System.exit(0) }
        var half = [UInt8](repeating: 0, count: 8)
        let read = half.withUnsafeMutableBytes { Channel.leaseRead(m.caller, offset: 0, into: $0) }
        let upper = half.map { $0 >= 0x61 && $0 <= 0x7a ? $0 - 0x20 : $0 }
        let wrote = upper.withUnsafeBytes { Channel.leaseWrite(m.caller, offset: 8, from: $0) }
        // Past the end of the lease, and a write longer than what is left of it.
        let past = half.withUnsafeMutableBytes { Channel.leaseRead(m.caller, offset: 17, into: $0) }
        let long = [UInt8](repeating: 0x21, count: 64).withUnsafeBytes { Channel.leaseWrite(m.caller, offset: 16, from: $0) }
        let answer: String
        if read != 8 { answer = "read: \(read)" }
        else if wrote != 8 { answer = "write: \(wrote == -Int(SV_EPERM) ? -1 : wrote)" }
        else if past != -Int(SV_EINVAL) { answer = "past: \(past)" }
        else if long != 0 && long != -Int(SV_EPERM) { answer = "long: \(long)" }
        else { answer = "ok" }
        Channel.reply(m.caller, Array(answer.utf8))
    }
}
