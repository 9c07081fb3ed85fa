// ScreenTerminal.swift — the terminal as the full-screen programs (less, more, nano) use it, over
// ttyd (docs/TERMINAL.md): raw mode by termios, put back on every way out (the program's end, and
// SIGINT, SIGTERM, SIGHUP, SIGTSTP, which are caught for it), the window size by TIOCGWINSZ and
// again on SIGWINCH, keys read from the terminal (/dev/tty, so that `… | less` reads the pipe as
// its text and the keyboard as its keys), and the screen written in one write per frame.
//
// Reads poll: VMIN 0 and VTIME 1 (100 ms) make a read come back with nothing when no key came,
// because ttyd does not end a read early for a signal (docs/TERMINAL.md, "Not done yet"), and a
// caught SIGWINCH or SIGTERM must be acted on without waiting for a key. That also tells a lone
// Escape from the start of a key's escape sequence (TerminalKeys).
import ABI
import UserLib
import Utilities

public final class ScreenTerminal {
    /// Linux's signal numbers (the kernel's).
    public static let SIGHUP: Int32 = 1, SIGINT: Int32 = 2, SIGTERM: Int32 = 15, SIGCONT: Int32 = 18
    public static let SIGTSTP: Int32 = 20, SIGWINCH: Int32 = 28

    let input: Int32
    let ownsInput: Bool
    let saved: [UInt8]
    var raw: [UInt8]
    var decoder = KeyDecoder()
    public private(set) var rows = 25
    public private(set) var columns = 80

    /// The terminal, if standard output is one (and its keyboard can be read); nil otherwise.
    /// `signals`: ISIG stays on, so ^C, ^Z reach the program as SIGINT, SIGTSTP (the pager);
    /// off, they are keys (the editor's ^C).
    public init?(signals: Bool) {
        guard case .success(let modes) = TerminalCalls.getAttributes(1) else { return nil }
        if case .success(let fd) = Unix.open("/dev/tty", SV_O_RDWR | SV_O_CLOEXEC), case .success = TerminalCalls.getAttributes(fd) {
            input = fd; ownsInput = true
        } else if case .success = TerminalCalls.getAttributes(0) {
            input = 0; ownsInput = false
        } else {
            return nil
        }
        saved = modes
        raw = modes
        // struct sv_termios: c_iflag at 0, c_lflag at 12, c_cc at 17 (sv_tty.h), little-endian.
        func clear(_ offset: Int, _ bits: UInt32) {
            for i in 0..<4 { raw[offset + i] &= ~UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i))) }
        }
        clear(0, UInt32(SV_IXON | SV_ICRNL))
        clear(12, UInt32(SV_ICANON | SV_ECHO | SV_IEXTEN | (signals ? 0 : SV_ISIG)))
        raw[17 + Int(SV_VMIN)] = 0
        raw[17 + Int(SV_VTIME)] = 1
        for s in [ScreenTerminal.SIGINT, ScreenTerminal.SIGTERM, ScreenTerminal.SIGHUP, ScreenTerminal.SIGTSTP, ScreenTerminal.SIGWINCH] {
            _ = Unix.catchSignal(s)
        }
        enterRaw()
        readSize()
    }

    public func enterRaw() { _ = TerminalCalls.setAttributes(input, SV_TCSETSW, raw) }

    /// Puts the modes back as they were found.
    public func restore() { _ = TerminalCalls.setAttributes(input, SV_TCSETSW, saved) }

    /// The modes back, the screen's last row cleared for the shell's prompt, the keyboard closed.
    public func finish() {
        write(Array("\u{1b}[\(rows);1H\u{1b}[K".utf8))
        restore()
        if ownsInput { _ = Unix.close(input) }
    }

    func readSize() {
        if case .success(let s) = TerminalCalls.windowSize(1), s.rows > 0, s.columns > 0 {
            // a size from the terminal is taken within what a screen can be (a bogus one: no crash)
            rows = min(s.rows, 1000)
            columns = min(s.columns, 1000)
        }
    }

    public func write(_ bytes: [UInt8]) { _ = Unix.writeAll(1, bytes) }

    /// What happened while waiting.
    public enum Event { case keys([Key]), resized, quit, resumed }

    /// Waits for keys or a signal. SIGINT, SIGTERM, SIGHUP: `.quit` (the caller restores and
    /// exits). SIGTSTP: the modes are put back, the program stops (SIGTSTP's default action) and,
    /// once continued, raw mode comes back: `.resumed` (redraw). SIGWINCH: `.resized`.
    public func next() -> Event {
        while true {
            let caught = Unix.takeCaughtSignals()
            func has(_ s: Int32) -> Bool { caught & (UInt64(1) << UInt64(s - 1)) != 0 }
            if has(ScreenTerminal.SIGINT) || has(ScreenTerminal.SIGTERM) || has(ScreenTerminal.SIGHUP) { return .quit }
            if has(ScreenTerminal.SIGTSTP) {
                write(Array("\u{1b}[\(rows);1H\u{1b}[K".utf8))
                restore()
                _ = Unix.ignoreSignal(ScreenTerminal.SIGTSTP, false)
                _ = Unix.kill(System.getpid(), signal: ScreenTerminal.SIGTSTP)
                // here again after SIGCONT
                _ = Unix.catchSignal(ScreenTerminal.SIGTSTP)
                enterRaw()
                readSize()
                return .resumed
            }
            if has(ScreenTerminal.SIGWINCH) { readSize(); return .resized }
            var buffer = [UInt8](repeating: 0, count: 256)
            switch Unix.read(input, into: &buffer) {
            case .failure(let e):
                if e.code == SV_EINTR { continue }
                return .quit   // the terminal is gone
            case .success(0):
                let keys = decoder.flush()
                if !keys.isEmpty { return .keys(keys) }
            case .success(let n):
                let keys = decoder.feed(buffer[0..<n])
                if !keys.isEmpty { return .keys(keys) }
            }
        }
    }
}
