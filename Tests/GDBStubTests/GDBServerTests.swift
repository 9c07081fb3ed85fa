// GDBServerTests.swift — the transport over real sockets, driven by a raw protocol client: unix and
// tcp listeners, Ctrl-C while the target runs, detach and reconnect, one gdb at a time, floods of
// garbage, and setup errors.
import Testing
import Glibc
@testable import GDBStub
import GDBStubTestSupport

/// A raw remote-protocol client with timeouts on every read.
final class WireClient {
    let fd: Int32
    var received: [UInt8] = []

    init(_ endpoint: GDBEndpoint) throws(GDBServerError) {
        switch endpoint {
        case .unix(let path):
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (i, b) in path.utf8.enumerated() { raw[i] = b }
            }
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard r == 0 else { throw .socket(operation: "connect \(endpoint)", errno: errno) }
        case .tcp(_, let port):
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard r == 0 else { throw .socket(operation: "connect \(endpoint)", errno: errno) }
        }
    }

    deinit { close(fd) }

    func send(_ data: [UInt8]) {
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func send(_ text: String) { send(bytes(text)) }

    func sendPacket(_ payload: String) { send(PacketEncoder.frame(bytes(payload))) }

    /// Reads until `done(received)` holds, EOF, or the timeout; returns whether `done` held. The
    /// default timeout only bounds a failure (it returns as soon as `done` holds): 30 s, so a loaded
    /// machine or ThreadSanitizer cannot turn a slow answer into a failure.
    @discardableResult
    func read(timeoutMilliseconds: Int = 30_000, until done: ([UInt8]) -> Bool) -> Bool {
        let deadline = monotonicMilliseconds() + timeoutMilliseconds
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done(received) {
            let left = deadline - monotonicMilliseconds()
            if left <= 0 { return false }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(left)) > 0 else { return false }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return done(received) }
            received += buffer[0..<n]
        }
        return true
    }

    /// Waits for the next whole packet (after any acks) and returns its payload; consumes it.
    func nextPacket(timeoutMilliseconds: Int = 30_000) -> String? {
        var payload: String? = nil
        read(timeoutMilliseconds: timeoutMilliseconds) { data in
            guard let start = data.firstIndex(of: UInt8(ascii: "$")), let hash = data[start...].firstIndex(of: UInt8(ascii: "#")),
                  hash + 2 < data.count else { return false }
            payload = unframe(Array(data[start...(hash + 2)]))
            return true
        }
        if let p = payload, let start = received.firstIndex(of: UInt8(ascii: "$")),
           let hash = received[start...].firstIndex(of: UInt8(ascii: "#")) {
            received.removeSubrange(0...(hash + 2))
            return p
        }
        return nil
    }

    /// Whether the server closed the connection within the timeout.
    func closedByPeer(timeoutMilliseconds: Int = 30_000) -> Bool {
        let deadline = monotonicMilliseconds() + timeoutMilliseconds
        var buffer = [UInt8](repeating: 0, count: 4096)
        while monotonicMilliseconds() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) >= 0 else { return false }
            if p.revents == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
        return false
    }
}

func socketPath(_ name: String) -> String { "/tmp/gdbstub-test-\(getpid())-\(name).sock" }

/// Waits until the server has finished `count` sessions (at most 60 s: a bound for failures only).
func waitForSessions(_ server: GDBServer, _ count: Int) -> Bool {
    let deadline = monotonicMilliseconds() + 60_000
    while server.completedSessions < count {
        if monotonicMilliseconds() > deadline { return false }
        usleep(5000)
    }
    return true
}

@Suite("GDB server over sockets")
struct GDBServerTests {
    typealias P = SimulatedProgram

    @Test func unixSocketSessionDetachReconnectKill() throws {
        let target = SimulatedTarget()
        let server = try GDBServer(endpoint: .unix(path: socketPath("basic")), target: target)
        server.start()
        defer { server.stop() }

        let a = try WireClient(server.address)
        a.sendPacket("qSupported:swbreak+")
        #expect(a.nextPacket() == ourSupported)
        a.send("+")
        a.sendPacket("?")
        #expect(a.nextPacket() == "T05thread:1;")
        a.sendPacket("Z0,\(hex(P.marker)),1")
        #expect(a.nextPacket() == "OK")
        a.sendPacket("D")
        #expect(a.nextPacket() == "OK")
        #expect(a.closedByPeer())
        #expect(waitForSessions(server, 1))
        #expect(target.detachCount == 1 && target.softwareBreakpoints.isEmpty)

        // The server accepts the next gdb; attaching stops the (detached, running) machine again.
        let b = try WireClient(server.address)
        b.sendPacket("?")
        #expect(b.nextPacket() == "T02thread:1;")
        b.sendPacket("k")
        #expect(b.closedByPeer())
        server.waitUntilFinished()
        #expect(server.targetKilled && target.killed)
        #expect(target.attachCount == 2)
    }

    @Test func tcpPortZeroPicksAFreePort() throws {
        let server = try GDBServer(endpoint: .tcp(host: "127.0.0.1", port: 0), target: SimulatedTarget())
        guard case .tcp(let host, let port) = server.address else {
            Issue.record("not tcp: \(server.address)")
            return
        }
        #expect(host == "127.0.0.1" && port != 0)
        server.start()
        defer { server.stop() }
        let c = try WireClient(server.address)
        c.sendPacket("qC")
        #expect(c.nextPacket() == "QC1")
    }

    @Test func ctrlCReachesTheRunningTarget() throws {
        let target = SimulatedTarget()
        let server = try GDBServer(endpoint: .unix(path: socketPath("ctrlc")), target: target, pollMilliseconds: 20)
        server.start()
        defer { server.stop() }
        let c = try WireClient(server.address)
        c.sendPacket("QStartNoAckMode")
        #expect(c.nextPacket() == "OK")
        c.sendPacket("P10=\(le64(P.halt))")
        #expect(c.nextPacket() == "OK")
        c.sendPacket("vCont;c")
        #expect(c.nextPacket(timeoutMilliseconds: 300) == nil)  // parked in hlt: no stop
        c.send([0x03])
        #expect(c.nextPacket() == "T02thread:1;")
        c.sendPacket("p10")
        let pc = c.nextPacket()
        #expect(pc == le64(P.halt) || pc == le64(P.halt + 1))
    }

    @Test func disconnectWhileRunningDetaches() throws {
        let target = SimulatedTarget()
        let server = try GDBServer(endpoint: .unix(path: socketPath("drop")), target: target, pollMilliseconds: 20)
        server.start()
        defer { server.stop() }
        do {
            let c = try WireClient(server.address)
            c.sendPacket("Z0,\(hex(P.halt)),1")
            #expect(c.nextPacket() == "OK")
            c.sendPacket("P10=\(le64(P.idle))")
            #expect(c.nextPacket() == "OK")
            c.sendPacket("vCont;c")
            #expect(c.read { $0.last == UInt8(ascii: "+") })
        }  // the client closes here, with the target running
        #expect(waitForSessions(server, 1))
        #expect(target.detachCount == 1 && target.softwareBreakpoints.isEmpty)
    }

    @Test func aSecondGDBIsTurnedAway() throws {
        let server = try GDBServer(endpoint: .unix(path: socketPath("second")), target: SimulatedTarget())
        server.start()
        defer { server.stop() }
        let first = try WireClient(server.address)
        first.sendPacket("qC")
        #expect(first.nextPacket() == "QC1")
        let second = try WireClient(server.address)
        #expect(second.closedByPeer())
        first.sendPacket("qC")
        #expect(first.nextPacket() == "QC1")
    }

    @Test func floodsOfGarbageDoNotStallTheServer() throws {
        let server = try GDBServer(endpoint: .unix(path: socketPath("flood")), target: SimulatedTarget(),
                                   options: SessionOptions(maxPacketSize: 1024))
        server.start()
        defer { server.stop() }
        let c = try WireClient(server.address)
        var rng = SplitMix(seed: 7)
        // 1 MiB of noise with no '#': whatever '$' starts one endless packet, which must not be buffered.
        var junk: [UInt8] = []
        for _ in 0..<(1 << 20) {
            var b = UInt8(truncatingIfNeeded: rng.next())
            if b == UInt8(ascii: "#") { b = 0 }
            junk.append(b)
        }
        junk[0] = UInt8(ascii: "$")
        c.send(junk)
        c.send("#00")
        c.sendPacket("qC")
        #expect(c.read { data in
            data.count >= 8 && String(decoding: data, as: UTF8.self).contains("$QC1#")
        })
    }

    @Test func stopWithAConnectedGDBDetachesPromptly() throws {
        let target = SimulatedTarget()
        let server = try GDBServer(endpoint: .unix(path: socketPath("stop")), target: target)
        server.start()
        let c = try WireClient(server.address)
        c.sendPacket("qC")
        #expect(c.nextPacket() == "QC1")
        let before = monotonicMilliseconds()
        server.stop()
        #expect(monotonicMilliseconds() - before < 2000)
        #expect(target.detachCount == 1)
        #expect(c.closedByPeer())
    }

    @Test func refusesToReplaceAFileThatIsNotASocket() throws {
        let path = socketPath("regular-file")
        let fd = open(path, O_CREAT | O_WRONLY, 0o600)
        close(fd)
        defer { unlink(path) }
        #expect(throws: GDBServerError.pathInUse(path)) {
            try GDBServer(endpoint: .unix(path: path), target: SimulatedTarget())
        }
    }

    @Test func replacesAStaleSocket() throws {
        let path = socketPath("stale")
        do { _ = try GDBServer(endpoint: .unix(path: path), target: SimulatedTarget()) }
        // deinit removed it; make a stale one by binding without unlinking.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(fd)
        let server = try GDBServer(endpoint: .unix(path: path), target: SimulatedTarget())
        #expect(server.address == .unix(path: path))
    }

    @Test func portInUseNamesTheOperation() throws {
        let first = try GDBServer(endpoint: .tcp(host: "127.0.0.1", port: 0), target: SimulatedTarget())
        guard case .tcp(_, let port) = first.address else { return }
        #expect(throws: GDBServerError.socket(operation: "bind tcp:127.0.0.1:\(port)", errno: EADDRINUSE)) {
            try GDBServer(endpoint: .tcp(host: "127.0.0.1", port: port), target: SimulatedTarget())
        }
    }
}
