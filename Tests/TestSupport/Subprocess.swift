// Subprocess.swift — runs gdb (or gdbstub-sim) for tests with a hard deadline: a hung child is
// killed and the test fails instead of blocking CI. stdout and stderr are drained while waiting so
// a chatty child cannot fill a pipe and stall.
import Glibc

public struct SubprocessError: Error, CustomStringConvertible {
    public let operation: String
    public let errno: Int32
    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

public final class Subprocess: @unchecked Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The deadline passed and the child was killed.
        public var timedOut: Bool
    }

    public let pid: pid_t
    let outFD: Int32
    let errFD: Int32
    var out: [UInt8] = []
    var err: [UInt8] = []
    var outOpen = true
    var errOpen = true
    /// The write end of the child's stdin, for `interactive` children (-1 once closed).
    var inFD: Int32 = -1

    /// Starts `arguments[0]` (searched in PATH) with a small, fixed environment (C locale, no
    /// pager, no terminal) so the output is predictable.
    /// `input`: written to the child's stdin, which is then closed (at most a pipe's worth, 64 KiB);
    /// `interactive`: stdin stays open for `send` (a test that types once it has seen output);
    /// with neither, stdin is /dev/null.
    public init(_ arguments: [String], input: [UInt8]? = nil, interactive: Bool = false) throws(SubprocessError) {
        precondition(!arguments.isEmpty, "no program to run")
        precondition((input?.count ?? 0) <= 65536, "stdin input larger than a pipe")
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw SubprocessError(operation: "pipe", errno: errno) }
        guard pipe(&errPipe) == 0 else { throw SubprocessError(operation: "pipe", errno: errno) }
        precondition(input == nil || !interactive, "either input or interactive")
        if input != nil || interactive { guard pipe(&inPipe) == 0 else { throw SubprocessError(operation: "pipe", errno: errno) } }
        // Children spawned concurrently by other tests must not inherit these (EOF would never come).
        for fd in outPipe + errPipe + inPipe where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil || interactive {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LC_ALL=C", "TERM=dumb"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        // The child must not inherit the test runner's blocked or ignored signals: gdb turns SIGINT
        // into a Ctrl-C for the target only if SIGINT reaches it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = posix_spawnp(&child, arguments[0], &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        if let input {
            close(inPipe[0])
            if rc == 0 { input.withUnsafeBytes { _ = write(inPipe[1], $0.baseAddress, $0.count) } }
            close(inPipe[1])
        }
        if interactive {
            close(inPipe[0])
            if rc == 0 {
                inFD = inPipe[1]
                // A child that died must fail the test's expectations, not kill the test runner.
                _ = Glibc.signal(SIGPIPE, SIG_IGN)
            } else {
                close(inPipe[1])
            }
        }
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw SubprocessError(operation: "posix_spawn \(arguments[0])", errno: rc)
        }
        pid = child
        outFD = outPipe[0]
        errFD = errPipe[0]
    }

    deinit {
        close(outFD)
        close(errFD)
        closeInput()
    }

    /// Writes `text` to the child's stdin (`interactive` children only).
    public func send(_ text: String) {
        precondition(inFD >= 0, "send to a child without an open stdin")
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(inFD, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }   // the child is gone: its output says why
            done += n
        }
    }

    /// Closes the child's stdin (EOF).
    public func closeInput() {
        if inFD >= 0 { close(inFD) }
        inFD = -1
    }

    /// Waits until the standard output so far satisfies `condition`, the output ends, or
    /// `timeoutSeconds` pass (a bound for failures only); returns whether `condition` held.
    public func waitForOutput(timeoutSeconds: Double, _ condition: (String) -> Bool) -> Bool {
        let deadline = monotonicMilliseconds() + Int(timeoutSeconds * 1000)
        while true {
            if condition(String(decoding: out, as: UTF8.self)) { return true }
            let left = deadline - monotonicMilliseconds()
            if left <= 0 || !outOpen { return false }
            drain(timeoutMilliseconds: Int32(min(left, 100)))
        }
    }

    public func signal(_ number: Int32) { kill(pid, number) }

    /// Standard output received so far (reads what is available, without waiting).
    public func stdoutSoFar() -> String {
        drain(timeoutMilliseconds: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Waits up to `timeoutSeconds` for the child to exit, collecting its output; kills it (SIGKILL)
    /// when the deadline passes.
    public func wait(timeoutSeconds: Double) -> Result {
        closeInput()
        let deadline = monotonicMilliseconds() + Int(timeoutSeconds * 1000)
        var timedOut = false
        while outOpen || errOpen {
            let left = deadline - monotonicMilliseconds()
            if left <= 0 {
                timedOut = true
                kill(pid, SIGKILL)
                break
            }
            drain(timeoutMilliseconds: Int32(min(left, 100)))
        }
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, timedOut ? 0 : WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if r == 0 {
                if monotonicMilliseconds() >= deadline {
                    timedOut = true
                    kill(pid, SIGKILL)
                } else {
                    usleep(10_000)
                }
            }
        }
        drain(timeoutMilliseconds: 0)
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self), timedOut: timedOut)
    }

    func drain(timeoutMilliseconds: Int32) {
        var fds: [pollfd] = []
        if outOpen { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
        if errOpen { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
        guard !fds.isEmpty, poll(&fds, nfds_t(fds.count), timeoutMilliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        for f in fds where f.revents != 0 {
            let n = buffer.withUnsafeMutableBytes { read(f.fd, $0.baseAddress, $0.count) }
            if n > 0 {
                if f.fd == outFD { out += buffer[0..<n] } else { err += buffer[0..<n] }
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                if f.fd == outFD { outOpen = false } else { errOpen = false }
            }
        }
    }
}

public typealias SubprocessResult = Subprocess.Result

extension Subprocess {
    /// Runs `executable` with `arguments` to completion (or the deadline).
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil, timeout: Double) throws -> Result {
        try Subprocess([executable] + arguments, input: input.map { Array($0.utf8) }).wait(timeoutSeconds: timeout)
    }
}

/// Waits until `path` exists (a socket a child creates), up to `timeout` seconds.
public func waitForFile(_ path: String, timeout: Double) -> Bool {
    let deadline = monotonicMilliseconds() + Int(timeout * 1000)
    while monotonicMilliseconds() < deadline {
        if access(path, F_OK) == 0 { return true }
        usleep(20_000)
    }
    return false
}

/// CLOCK_MONOTONIC in milliseconds (for the deadlines above).
fileprivate func monotonicMilliseconds() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int(ts.tv_sec) * 1000 + Int(ts.tv_nsec) / 1_000_000
}
