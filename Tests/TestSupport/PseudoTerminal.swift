// PseudoTerminal.swift — a program on the slave side of a real pseudo-terminal, as a user runs it
// in a terminal window: its stdin, stdout and stderr are the slave, the slave is its controlling
// terminal (a new session), so a resize of the window — TIOCSWINSZ on the master — sends it
// SIGWINCH as a terminal emulator's would. The test holds the master: it types, reads the screen
// and resizes. Every wait is for output, bounded only against a hang.
import Glibc

public final class PseudoTerminal: @unchecked Sendable {
    public let master: Int32
    public let pid: pid_t
    private var output: [UInt8] = []
    private var reaped: Int32? = nil

    /// Starts `arguments[0]` (a path) on a new pty of `columns` x `rows`, in its own session with the
    /// pty as its controlling terminal (POSIX_SPAWN_SETSID, then the slave opened without
    /// O_NOCTTY: Linux gives a session leader its first terminal opened so, tty_open).
    public init(_ arguments: [String], columns: UInt16 = 80, rows: UInt16 = 25,
                environment: [String] = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LC_ALL=C", "TERM=vt100"]) throws(SubprocessError) {
        precondition(!arguments.isEmpty, "no program to run")
        // posix_openpt/grantpt/unlockpt/ptsname as Linux implements them (pts(4)): the master from
        // /dev/ptmx, unlocked with TIOCSPTLCK, its number from TIOCGPTN (asm-generic/ioctls.h:
        // _IOW('T', 0x31, int), _IOR('T', 0x30, unsigned int); Glibc's module does not import them).
        // Close-on-exec: children other tests spawn meanwhile must not hold this terminal.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw SubprocessError(operation: "open /dev/ptmx", errno: errno) }
        var unlock: CInt = 0, number: CInt = 0
        guard ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            let e = errno
            close(master)
            throw SubprocessError(operation: "unlock the pty", errno: e)
        }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/pts/\(number)", O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // POSIX_SPAWN_SETSID is 0x80 in glibc's spawn.h (2.26 and later).
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | 0x80))
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var child: pid_t = 0
        let r = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        guard r == 0 else {
            close(master)
            throw SubprocessError(operation: "posix_spawn \(arguments[0])", errno: r)
        }
        pid = child
    }

    deinit {
        if reaped == nil {
            kill(pid, SIGKILL)
            var s: Int32 = 0
            waitpid(pid, &s, 0)
        }
        close(master)
    }

    /// Everything the program wrote so far (as read by the waits).
    public var screen: String { String(decoding: output, as: UTF8.self) }
    public var screenBytes: Int { output.count }

    /// Types `keys` (all of them, however the pty's buffer takes them).
    public func type(_ keys: String) {
        var bytes = Array(keys.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Resizes the window: the program's terminal gets SIGWINCH (the pty driver sends it to the
    /// foreground process group, which is the program's).
    public func resize(columns: UInt16, rows: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// Reads until `condition` holds on the screen (true), or the program's side closes, or
    /// `timeoutSeconds` pass (false) — a bound for a hang only.
    @discardableResult
    public func waitFor(timeoutSeconds: Double, _ condition: (String) -> Bool) -> Bool {
        let deadline = now() + timeoutSeconds
        while !condition(screen) {
            let left = deadline - now()
            guard left > 0 else { return false }
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else { return condition(screen) }   // EIO: every slave descriptor closed
            output += buffer[0..<n]
        }
        return true
    }

    /// Waits for `text` to appear after byte `from` of the screen.
    @discardableResult
    public func waitFor(_ text: String, after from: Int = 0, timeoutSeconds: Double) -> Bool {
        waitFor(timeoutSeconds: timeoutSeconds) { String(decoding: $0.utf8.dropFirst(from), as: UTF8.self).contains(text) }
    }

    /// The exit status once the program ends (128 + N for a signal), reading its output meanwhile
    /// so it never blocks writing; nil if it does not end within `timeoutSeconds`.
    public func exitStatus(timeoutSeconds: Double) -> Int32? {
        if let reaped { return reaped }
        let deadline = now() + timeoutSeconds
        while now() < deadline {
            var s: Int32 = 0
            if waitpid(pid, &s, WNOHANG) == pid {
                reaped = (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f)
                drain()
                return reaped
            }
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 50) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(master, &buffer, buffer.count)
                if n > 0 { output += buffer[0..<n] }
            }
        }
        return nil
    }

    /// Reads what the pty still holds, without waiting.
    private func drain() {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, 0) > 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else { return }
            output += buffer[0..<n]
        }
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
