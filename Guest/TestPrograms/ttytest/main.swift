// ttytest — drives the terminal server's calls from a program, for the terminal boot tests
// (Tests/BootTests/TerminalBootTests.swift), which type at it and wait for each line:
//   ttytest keys N   raw mode (ICANON, ECHO, ISIG off; VMIN 1): N reads, one key each, printed as
//                    "key COUNT HEX"; then the modes it found are put back ("restored")
//   ttytest size     TIOCGWINSZ, then TIOCSWINSZ to 40x120 and TIOCGWINSZ again
//   ttytest winch    in its own group made the foreground, TIOCGWINSZ, then waits (SIGWINCH blocked, seen pending; at most 120 s) for a
//                    resize and prints "SIGWINCH" and the new size
//   ttytest job      job control without a shell: a child in its own group made the foreground
//                    (tcsetpgrp), which sleeps until a signal; the parent (its own group, in the
//                    background) reports what waitpid(WUNTRACED) says: stopped (Ctrl-Z) — then it
//                    continues the child in the foreground — or ended by a signal (Ctrl-C); at the
//                    end the terminal goes back to the group the parent started in
// Exit status 1 when a call fails (the message says which).
import ABI
import UserLib

func say(_ line: String) {
    print(line)
    StandardOutput.flush()
}

func fail(_ what: String, _ e: Errno) -> Never {
    say("ttytest: \(what): \(e.description)")
    System.exit(1)
}

func hex(_ bytes: ArraySlice<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

func keys(_ count: Int) {
    guard case .success(let saved) = TerminalCalls.getAttributes(0) else { say("ttytest: tcgetattr: not a terminal"); System.exit(1) }
    var raw = saved
    // struct sv_termios (sv_tty.h): c_lflag at 12 (little-endian), c_cc at 17.
    let off = UInt32(SV_ICANON | SV_ECHO | SV_ISIG)
    for i in 0..<4 { raw[12 + i] &= ~UInt8(truncatingIfNeeded: off >> (8 * UInt32(i))) }
    raw[17 + Int(SV_VMIN)] = 1
    raw[17 + Int(SV_VTIME)] = 0
    if case .failure(let e) = TerminalCalls.setAttributes(0, SV_TCSETSF, raw) { fail("tcsetattr", e) }
    say("raw ready")
    var buffer = [UInt8](repeating: 0, count: 16)
    for _ in 0..<count {
        switch Unix.read(0, into: &buffer) {
        case .success(let n): say("key \(n) \(hex(buffer[..<n]))")
        case .failure(let e): fail("read", e)
        }
    }
    if case .failure(let e) = TerminalCalls.setAttributes(0, SV_TCSETS, saved) { fail("tcsetattr", e) }
    guard case .success(let now) = TerminalCalls.getAttributes(0), now == saved else { say("ttytest: modes not restored"); System.exit(1) }
    say("restored")
}

func size() {
    func show() {
        switch TerminalCalls.windowSize(0) {
        case .success(let s): say("rows \(s.rows) columns \(s.columns)")
        case .failure(let e): fail("TIOCGWINSZ", e)
        }
    }
    show()
    var w: [UInt8] = [40, 0, 120, 0, 0, 0, 0, 0]   // struct sv_winsize: rows, columns, pixels
    if case .failure(let e) = TerminalCalls.ioctl(0, UInt32(SV_TIOCSWINSZ), &w) { fail("TIOCSWINSZ", e) }
    show()
}

func winch() {
    // SIGWINCH goes to the terminal's foreground group: this process's own, as a job-control
    // shell would make it (the group the terminal had is given back at the end).
    guard case .success(let original) = TerminalCalls.foregroundGroup(0) else { say("ttytest: tcgetpgrp failed"); System.exit(1) }
    if case .failure(let e) = Unix.setpgid(0, 0) { fail("setpgid", e) }
    if case .failure(let e) = TerminalCalls.setForegroundGroup(0, System.getpid()) { fail("tcsetpgrp", e) }
    defer { if original > 0 { _ = TerminalCalls.setForegroundGroup(0, original) } }
    let bit = UInt64(1) << 27   // SIGWINCH (28): bit s-1
    if case .failure(let e) = Unix.signalMask(SV_SIG_BLOCK, bit) { fail("sigprocmask", e) }
    guard case .success(let before) = TerminalCalls.windowSize(0) else { say("ttytest: TIOCGWINSZ failed"); System.exit(1) }
    say("rows \(before.rows) columns \(before.columns); waiting for SIGWINCH")
    let deadline = System.clock() + 120_000_000_000
    while Unix.pendingSignals() & bit == 0 {
        guard System.clock() < deadline else { say("ttytest: no SIGWINCH"); System.exit(1) }
        System.sleep(nanoseconds: 10_000_000)
    }
    guard case .success(let after) = TerminalCalls.windowSize(0) else { say("ttytest: TIOCGWINSZ failed"); System.exit(1) }
    say("SIGWINCH: rows \(after.rows) columns \(after.columns)")
}

func job() {
    guard case .success(let original) = TerminalCalls.foregroundGroup(0) else { say("ttytest: tcgetpgrp failed"); System.exit(1) }
    if case .failure(let e) = Unix.setpgid(0, 0) { fail("setpgid", e) }
    let child: Int
    switch Unix.fork() {
    case .failure(let e): fail("fork", e)
    case .success(0):
        _ = Unix.setpgid(0, 0)
        // Until a signal ends it (bounded: a test that never sends one still ends).
        for _ in 0..<100 { System.sleep(nanoseconds: 1_000_000_000) }
        System.exit(0)
    case .success(let pid): child = pid
    }
    _ = Unix.setpgid(child, child)   // both sides, so neither order of the two calls matters
    if case .failure(let e) = TerminalCalls.setForegroundGroup(0, child) { fail("tcsetpgrp", e) }
    say("child ready")
    while true {
        guard case .success(let (_, status)) = Unix.waitpid(child, options: SV_WUNTRACED) else { say("ttytest: waitpid failed"); break }
        if status.stopped {
            say("child stopped by signal \(status.stopSignal)")
            if case .failure(let e) = TerminalCalls.setForegroundGroup(0, child) { fail("tcsetpgrp", e) }
            if case .failure(let e) = Unix.kill(-child, signal: 18) { fail("kill SIGCONT", e) }
            say("child continued")
            continue
        }
        say(status.signaled ? "child ended by signal \(status.signal)" : "child exited \(status.exitCode)")
        break
    }
    _ = TerminalCalls.setForegroundGroup(0, original)
}

let arguments = System.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "keys": keys(arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1)
case "size": size()
case "job": job()
case "winch": winch()
default:
    say("usage: ttytest keys N | size | winch | job")
    System.exit(2)
}
System.exit(0)
