// GDBServer.swift — the transport: listens on a `GDBEndpoint`, accepts one gdb at a time and runs its
// `Session` on a thread of its own. While the target runs it alternates between checking the socket
// (for Ctrl-C, or gdb going away) and waiting up to `pollMilliseconds` for the target to stop, so a
// Ctrl-C takes effect within that time and an idle running target costs no CPU here.
import Glibc
import HostSupport
import Synchronization

public enum GDBServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A socket call failed; `operation` names it and its argument ("bind tcp:127.0.0.1:1234").
    case socket(operation: String, errno: Int32)
    /// The host name did not resolve.
    case resolve(host: String, message: String)
    /// A file that is not a socket is in the way of `unix:PATH`.
    case pathInUse(String)

    public var description: String {
        switch self {
        case .socket(let op, let e): return "gdb stub: \(op): \(String(cString: strerror(e)))"
        case .resolve(let h, let m): return "gdb stub: cannot resolve \(h): \(m)"
        case .pathInUse(let p): return "gdb stub: \(p) exists and is not a socket; not replacing it"
        }
    }
}

public final class GDBServer: @unchecked Sendable {
    // @unchecked: the listener and wake pipe are immutable after init; `state` is behind a Mutex; the
    // target and the sessions are touched only by the server thread.
    public let endpoint: GDBEndpoint
    /// Where we actually listen (the real port when the endpoint asked for port 0).
    public let address: GDBEndpoint
    let target: any DebugTarget
    let options: SessionOptions
    /// How long one wait for a running target's stop lasts before the socket is checked again.
    public let pollMilliseconds: Int32

    let listener: Int32
    let wakeRead: Int32
    let wakeWrite: Int32
    struct State {
        var started = false
        var stopRequested = false
        var thread: pthread_t? = nil
        var finished = false
        var sessionsServed = 0
        var killed = false
    }
    let state = PthreadLocked(State())

    /// Binds and listens at once, so a bad `--gdb` fails before the guest starts.
    public init(endpoint: GDBEndpoint, target: any DebugTarget, options: SessionOptions = SessionOptions(),
                pollMilliseconds: Int32 = 50) throws(GDBServerError) {
        self.endpoint = endpoint
        self.target = target
        self.options = options
        self.pollMilliseconds = pollMilliseconds
        let (fd, bound) = try GDBServer.listen(on: endpoint)
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            let e = errno
            close(fd)
            throw .socket(operation: "pipe2", errno: e)
        }
        for p in pipeFDs { setCloseOnExec(p) }
        _ = fcntl(pipeFDs[1], F_SETFL, O_NONBLOCK)
        self.listener = fd
        self.address = bound
        self.wakeRead = pipeFDs[0]
        self.wakeWrite = pipeFDs[1]
    }

    deinit {
        stop()
        close(listener)
        close(wakeRead)
        close(wakeWrite)
        if case .unix(let path) = address { unlink(path) }
    }

    /// Starts serving on the server thread. Call once.
    public func start() {
        state.withLock {
            precondition(!$0.started, "GDBServer.start called twice")
            $0.started = true
            // The new thread's first lock waits until this one is released.
            $0.thread = spawnThread(name: "gdb-stub") { [self] in self.run() }
        }
    }

    /// Stops serving: closes any connection (detaching the target) and joins the server thread.
    public func stop() {
        let t: pthread_t? = state.withLock {
            $0.stopRequested = true
            let t = $0.thread
            $0.thread = nil
            return t
        }
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
        guard let t else { return }
        // The last reference may be dropped on the server thread itself (deinit after a kill).
        if pthread_equal(t, pthread_self()) != 0 { pthread_detach(t) } else { pthread_join(t, nil) }
    }

    /// Blocks until the server thread ends (gdb killed the target, or `stop`).
    public func waitUntilFinished() {
        while true {
            if state.withLock({ !$0.started || $0.finished }) { return }
            usleep(20_000)
        }
    }

    /// Whether a gdb killed the target (`k`, `vKill`).
    public var targetKilled: Bool { state.withLock { $0.killed } }

    /// How many gdb sessions have ended.
    public var completedSessions: Int { state.withLock { $0.sessionsServed } }

    var shouldStop: Bool { state.withLock { $0.stopRequested } }

    func log(_ message: String) { options.log?(message) }

    // MARK: - Server thread

    /// Called first on the server thread (the VMM loads the thread's seccomp filter there). Set
    /// before `start`.
    public var threadStart: (@Sendable () -> Void)? = nil

    func run() {
        threadStart?()
        defer { state.withLock { $0.finished = true } }
        while !shouldStop {
            guard let connection = acceptConnection() else { break }
            serve(connection)
            close(connection)
            state.withLock { $0.sessionsServed += 1 }
            if targetKilled { break }
        }
    }

    /// Waits for a gdb; nil when asked to stop.
    func acceptConnection() -> Int32? {
        while !shouldStop {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 {
                if errno == EINTR { continue }
                log("poll on listener: \(String(cString: strerror(errno)))")
                return nil
            }
            if fds[1].revents != 0 { return nil }
            if fds[0].revents != 0 {
                let fd = acceptCloseOnExec(listener)
                if fd < 0 {
                    if errno == EINTR || errno == EAGAIN || errno == ECONNABORTED { continue }
                    log("accept: \(String(cString: strerror(errno)))")
                    return nil
                }
                configure(connection: fd)
                log("gdb connected")
                return fd
            }
        }
        return nil
    }

    func configure(connection fd: Int32) {
        var one: Int32 = 1
        if case .tcp = address {
            // Small request/response packets: do not let Nagle hold them back.
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        // A gdb that stops reading must not block the server thread forever.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Runs one session to its end.
    func serve(_ fd: Int32) {
        let session = Session(target: target, options: options)
        var buffer = [UInt8](repeating: 0, count: 4096)
        defer {
            session.connectionLost()
            if session.targetKilled { state.withLock { $0.killed = true } }
            log("gdb session ended")
        }
        while !session.isFinished {
            // While the target runs, only peek at the socket; otherwise wait for gdb.
            let timeout: Int32 = session.isRunning ? 0 : -1
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 3, timeout)
            if n < 0 {
                if errno == EINTR { continue }
                log("poll: \(String(cString: strerror(errno)))")
                return
            }
            if fds[1].revents != 0 { return }
            if fds[2].revents != 0 { refuseExtraConnection() }
            if fds[0].revents != 0 {
                // SAFETY: recv writes at most buffer.count bytes into the buffer it is given.
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if count <= 0 { return }  // gdb went away (or error): detach in defer
                let out = session.receive(buffer[0..<count])
                guard sendAll(fd, out) else { return }
            }
            if session.isRunning, let event = target.waitForStop(timeoutMilliseconds: Int(pollMilliseconds)) {
                guard sendAll(fd, session.targetStopped(event)) else { return }
            }
        }
    }

    /// One gdb at a time: a second connection is accepted and closed at once (QEMU does the same).
    func refuseExtraConnection() {
        let extra = acceptCloseOnExec(listener)
        if extra >= 0 {
            log("refused a second gdb connection")
            close(extra)
        }
    }

    func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            // SAFETY: offset < bytes.count, so the pointer and length stay inside the array.
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                log("send to gdb: \(String(cString: strerror(errno)))")
                return false
            }
            offset += n
        }
        return true
    }

    // MARK: - Listening

    static func listen(on endpoint: GDBEndpoint) throws(GDBServerError) -> (Int32, GDBEndpoint) {
        switch endpoint {
        case .unix(let path): return (try listenUnix(path), endpoint)
        case .tcp(let host, let port): return try listenTCP(host: host, port: port)
        }
    }

    static func listenUnix(_ path: String) throws(GDBServerError) -> Int32 {
        var st = stat()
        if lstat(path, &st) == 0 {
            // Replace a stale socket from an earlier run, never any other file.
            guard st.st_mode & S_IFMT == S_IFSOCK else { throw .pathInUse(path) }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket(AF_UNIX)", errno: errno) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        precondition(bytes.count <= GDBEndpoint.maxUnixPathLength, "GDBEndpoint checks the path length")
        // SAFETY: GDBEndpoint limits the path to 107 bytes; sun_path holds 108 with the NUL.
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        // SAFETY: sockaddr_un begins with the sockaddr header; bind reads the length we pass.
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard r == 0 else {
            let e = errno
            close(fd)
            throw .socket(operation: "bind unix:\(path)", errno: e)
        }
        guard Glibc.listen(fd, 1) == 0 else {
            let e = errno
            close(fd)
            throw .socket(operation: "listen unix:\(path)", errno: e)
        }
        return fd
    }

    static func listenTCP(host: String, port: UInt16) throws(GDBServerError) -> (Int32, GDBEndpoint) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolve(host: host, message: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        var lastError: GDBServerError = .resolve(host: host, message: "no usable address")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let ai = entry {
            entry = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            if fd < 0 {
                lastError = .socket(operation: "socket for tcp:\(host):\(port)", errno: errno)
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
                lastError = .socket(operation: "bind tcp:\(host):\(port)", errno: errno)
                close(fd)
                continue
            }
            guard Glibc.listen(fd, 1) == 0 else {
                lastError = .socket(operation: "listen tcp:\(host):\(port)", errno: errno)
                close(fd)
                continue
            }
            return (fd, .tcp(host: host, port: boundPort(fd) ?? port))
        }
        throw lastError
    }

    static func boundPort(_ fd: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        // SAFETY: sockaddr_storage is large enough for any address getsockname returns.
        let r = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard r == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
        default: return nil
        }
    }
}

/// Children of the VMM (none today) must not inherit the stub's sockets.
func setCloseOnExec(_ fd: Int32) {
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
}

/// accept(2), with the new descriptor close-on-exec (Glibc's module does not export accept4).
func acceptCloseOnExec(_ listener: Int32) -> Int32 {
    let fd = accept(listener, nil, nil)
    if fd >= 0 { setCloseOnExec(fd) }
    return fd
}
