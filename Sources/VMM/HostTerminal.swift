// HostTerminal.swift — the host terminal's window size for the virtio-console (virtio 1.2 §5.3.4
// cols/rows): read with TIOCGWINSZ on stdin, and followed through SIGWINCH, which a handler turns
// into a byte on a pipe (the only thing it may safely do) that a thread reads to resize the device.
import Glibc
import HostSupport

/// A console size in character cells.
public struct ConsoleSize: Sendable, Equatable {
    public var columns: UInt16
    public var rows: UInt16

    public init(columns: UInt16, rows: UInt16) {
        self.columns = columns
        self.rows = rows
    }

    /// `COLSxROWS` as `--console-size` takes it: each 1…65535.
    public init?(parsing text: String) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let c = UInt16(parts[0]), let r = UInt16(parts[1]), c > 0, r > 0 else { return nil }
        self.init(columns: c, rows: r)
    }

    /// When neither a terminal nor `--console-size` says otherwise.
    public static let fallback = ConsoleSize(columns: 80, rows: 25)
}

enum HostTerminal {
    /// The size of the terminal on `fd` (TIOCGWINSZ), or nil if it is not a terminal or reports 0.
    static func size(of fd: Int32) -> ConsoleSize? {
        guard isatty(fd) != 0 else { return nil }
        var w = winsize()
        // SAFETY: TIOCGWINSZ writes one struct winsize to the pointer, which is `w`.
        guard ioctl(fd, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 else { return nil }
        return ConsoleSize(columns: w.ws_col, rows: w.ws_row)
    }

    /// The write end of the SIGWINCH pipe, read by the signal handler (a plain Int32 load).
    nonisolated(unsafe) static var resizePipe: Int32 = -1

    /// What a SIGWINCH calls now (the running machine's console), if anything.
    static let resizeHandler = PthreadLocked<(@Sendable () -> Void)?>(nil)

    /// Calls `onResize` (on a thread of its own) after each SIGWINCH the process receives, until
    /// `stopWatchingResizes`.
    /// `threadStart` runs first on the resize thread (which starts once per process).
    static func watchResizes(threadStart: (@Sendable () -> Void)? = nil, _ onResize: @escaping @Sendable () -> Void) {
        resizeThreadStart.withLock { $0 = threadStart }
        _ = installOnce
        resizeHandler.withLock { $0 = onResize }
    }

    /// The resize thread's start hook, read once by that thread.
    static let resizeThreadStart = PthreadLocked<(@Sendable () -> Void)?>(nil)

    static func stopWatchingResizes() { resizeHandler.withLock { $0 = nil } }

    /// The handler, its pipe and the thread that reads it, once per process. SA_RESTART, so reads
    /// and writes elsewhere in the VMM are not cut short by a resize.
    static let installOnce: Void = {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        // The handler must never block: a full pipe already holds a wake-up.
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        let reader = fds[0]
        resizePipe = fds[1]
        spawnDetachedThread(name: "console-resize") {
            resizeThreadStart.withLock { $0 }?()
            var buffer = [UInt8](repeating: 0, count: 64)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                resizeHandler.withLock { $0 }?()
            }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            let saved = errno
            _ = write(HostTerminal.resizePipe, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGWINCH, &action, nil)
    }()
}
