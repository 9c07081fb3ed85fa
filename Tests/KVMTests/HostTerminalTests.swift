// HostTerminalTests.swift — the virtio-console's size from the host: `--console-size` parsing,
// TIOCGWINSZ on a real pty, and a SIGWINCH reaching the resize callback (no KVM needed).
import Glibc
import Synchronization
import Testing
@testable import VMM

@Suite struct HostTerminalTests {
    @Test("--console-size takes COLSxROWS", arguments: [
        ("80x25", ConsoleSize(columns: 80, rows: 25)), ("132x50", ConsoleSize(columns: 132, rows: 50)),
        ("65535x1", ConsoleSize(columns: 65535, rows: 1)),
    ])
    func parses(_ text: String, _ expected: ConsoleSize) {
        #expect(ConsoleSize(parsing: text) == expected)
    }

    @Test("--console-size rejects what is not COLSxROWS", arguments: ["", "80", "80x", "x25", "0x25", "80x0", "80X25", "65536x1", "-1x5", "8x2x1", " 80x25"])
    func rejects(_ text: String) {
        #expect(ConsoleSize(parsing: text) == nil)
    }

    @Test("the size of a pty is what it was given (TIOCGWINSZ); not a tty: nil")
    func ptySize() throws {
        var master: Int32 = -1, slave: Int32 = -1
        var size = winsize(ws_row: 42, ws_col: 117, ws_xpixel: 0, ws_ypixel: 0)
        try #require(openpty(&master, &slave, nil, nil, &size) == 0)
        defer { close(master); close(slave) }
        #expect(HostTerminal.size(of: slave) == ConsoleSize(columns: 117, rows: 42))
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(HostTerminal.size(of: fds[0]) == nil)
    }

    @Test("a SIGWINCH to the process reaches the resize callback")
    func sigwinch() throws {
        let calls = Mutex(0)
        HostTerminal.watchResizes { calls.withLock { $0 += 1 } }
        defer { HostTerminal.stopWatchingResizes() }
        // To the process (any thread that does not block it), as a terminal sends it.
        kill(getpid(), SIGWINCH)
        // Wait on the outcome (a 10 s guard against a hang, not a delay).
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let deadline = ts.tv_sec + 10
        while calls.withLock({ $0 }) == 0 {
            clock_gettime(CLOCK_MONOTONIC, &ts)
            try #require(ts.tv_sec < deadline, "SIGWINCH never reached the callback")
            sched_yield()
        }
        #expect(calls.withLock { $0 } >= 1)
    }
}
