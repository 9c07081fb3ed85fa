// PipeChecks.swift — `crash pipes`: the pipe server's rules, from a client: data comes out as it
// went in (more than the 64 KiB buffer, so the writer has to wait for the reader), the end of input
// after the write end closes, EPIPE once the read end is closed, and bad requests get errors.
import ABI
import UserLib

func pipeChecks() -> Bool {
    var ok = true
    func check(_ what: String, _ condition: Bool) {
        if !condition { print("crash: pipes: \(what) failed"); ok = false }
    }
    guard case .success(let pipe) = Pipes.create() else { print("crash: pipes: no pipe server"); return false }
    // A child writes 200 KiB through the pipe while this process reads it.
    Environment.set("SV_STDOUT", "pipe:\(pipe)")
    let writer = System.spawn("crash pipe-writer")
    Environment.set("SV_STDOUT", nil)
    check("spawn the writer", writer > 0)
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 3000)
    while received.count < 300_000 {
        guard case .success(let n) = Pipes.read(pipe, into: &buffer) else { check("read", false); break }
        if n == 0 { break }
        received += buffer.prefix(n)
        if received.count >= 200 << 10 { Pipes.close(pipe, end: Pipes.writeEnd) }   // as the shell does when it ends
    }
    _ = System.wait(writer)
    check("200 KiB in order", received.count == 200 << 10 && received.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset % 251) })
    Pipes.close(pipe, end: Pipes.readEnd)

    guard case .success(let second) = Pipes.create() else { return false }
    Pipes.close(second, end: Pipes.readEnd)
    var data = [UInt8](repeating: 1, count: 10)
    let epipe = Pipes.write(second, data)
    check("write with no reader is EPIPE", { if case .failure(let e) = epipe { return e.code == SV_EPIPE }; return false }())
    let badID = Pipes.write(999_999, data)
    check("unknown pipe is EBADF", { if case .failure(let e) = badID { return e.code == SV_EBADF }; return false }())
    // A read lease lent only for reading cannot receive data (a raw lease on purpose: the wrong flags).
    let wrongDirection = data.withUnsafeMutableBytes { Pipes.call(.read, pipe: second, lease: $0, leaseFlags: SV_LEASE_READ) }
    check("read with a read-only lease is refused", { if case .failure = wrongDirection { return true }; return false }())
    var noise = [UInt8](repeating: 0xff, count: 16)
    noise[0] = 99
    if case .success(let reply) = Channel.call(Channel.lookup(Pipes.service), request: noise) {
        check("unknown operation is ENOSYS", PipeProtocol.decodeReply(reply) == .failure(Errno(SV_ENOSYS)))
    } else { check("unknown operation answered", false) }
    if ok { print("crash: pipes: all checks passed") }
    return ok
}

/// `crash pipe-writer`: 200 KiB of a known pattern to standard output (the pipe).
func pipeWriter() -> Never {
    var chunk = [UInt8](repeating: 0, count: 4096)
    var written = 0
    while written < 200 << 10 {
        for i in 0..<chunk.count { chunk[i] = UInt8(truncatingIfNeeded: (written + i) % 251) }
        StandardOutput.write(chunk)
        written += chunk.count
    }
    System.exit(0)
}
