// TerminalBootTests.swift — the terminal server (ttyd, issue 10) in a booted guest: the shell on
// /dev/console through ttyd (`init=init -- sh tty`), typed at over the serial console one step at
// a time — each key only after the output it answers has appeared, no fixed sleeps. The terminal
// does output processing (ONLCR), so the screen is compared with "\r\n" read as "\n".
import Foundation
import TestSupport
import Testing

/// The guest shell on ttyd (`init=init -- sh tty`), typed at over the serial console: the terminal
/// tests here and the job-control tests (JobControlBootTests.swift).
final class GuestTerminal {
    let vm: Subprocess

    init(image: String) throws {
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        vm = try Subprocess([vmm, "run", image, "--cmdline", "init=init -- sh tty", "--timeout", "\(Boot.guestTimeout)"], interactive: true)
    }

    /// What the console showed so far, with the terminal's CR LF as LF.
    var screen: String { vm.stdoutSoFar().replacingOccurrences(of: "\r\n", with: "\n") }

    /// Waits until every one of `texts` appears, in order, after byte `from` of the screen.
    @discardableResult
    func waitFor(_ texts: [String], after from: Int = 0) -> Bool {
        vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { output in
            var rest = Substring(String(decoding: output.replacingOccurrences(of: "\r\n", with: "\n").utf8.dropFirst(from), as: UTF8.self))
            for t in texts {
                guard let r = rest.range(of: t) else { return false }
                rest = rest[r.upperBound...]
            }
            return true
        }
    }

    /// Waits until `text` appears after byte `from` of the screen.
    @discardableResult
    func waitFor(_ text: String, after from: Int = 0) -> Bool { waitFor([text], after: from) }

    /// Types `keys` and waits for `expected` (in order) to appear in what follows.
    @discardableResult
    func type(_ keys: String, thenSee expected: String...) -> Bool {
        let mark = screen.utf8.count
        vm.send(keys)
        return waitFor(expected, after: mark)
    }
}

@Test func terminalServerRawModeJobControlAndRestart() throws {
    try RepositoryPaths.requireKVM()
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let t = try GuestTerminal(image: image)
    #expect(t.waitFor("\n$ "), "no prompt: \(t.screen)")
    // The shell's descriptors are ttyd's terminal: a character device that answers TCGETS.
    #expect(t.type("ps\n", thenSee: "ttyd\n"), "\(t.screen)")
    #expect(t.waitFor("\n$ "), "\(t.screen)")
    // Raw mode: one key per read, Ctrl-C a byte like any other (ISIG off); the modes come back.
    #expect(t.type("ttytest keys 3\n", thenSee: "raw ready\n"), "\(t.screen)")
    #expect(t.type("a", thenSee: "key 1 61\n"), "\(t.screen)")
    #expect(t.type("\u{3}", thenSee: "key 1 03\n"), "\(t.screen)")
    #expect(t.type("z", thenSee: "key 1 7a\nrestored\n"), "\(t.screen)")
    #expect(t.waitFor("\n$ "), "\(t.screen)")
    // The window size: the 16550 has none to report, so ttyd's default; TIOCSWINSZ changes it.
    #expect(t.type("ttytest size\n", thenSee: "rows 25 columns 80\nrows 40 columns 120\n"), "\(t.screen)")
    // Job control: Ctrl-Z stops the foreground group's process (its parent, in the background,
    // sees it with WUNTRACED and continues it), Ctrl-C ends it, and not the parent or the shell.
    #expect(t.type("ttytest job\n", thenSee: "child ready\n"), "\(t.screen)")
    #expect(t.type("\u{1a}", thenSee: "child stopped by signal 20\nchild continued\n"), "\(t.screen)")
    #expect(t.type("\u{3}", thenSee: "child ended by signal 2\n"), "\(t.screen)")
    #expect(t.waitFor("\n$ "), "\(t.screen)")
    #expect(t.type("echo alive\n", thenSee: "\nalive\n$ "), "\(t.screen)")
    // ttyd killed mid-session: init starts another, the shell's next read goes to it, and
    // typing continues — even keys typed before the new server attached.
    #expect(t.type("kill -9 2\n", thenSee: "init: ttyd (pid 2) ended with status 137; restarting it"), "\(t.screen)")
    #expect(t.type("echo back\n", thenSee: "\nback\n"), "\(t.screen)")
    #expect(t.waitFor("\n$ "), "\(t.screen)")
    t.vm.send("exit 4\n")
    let r = t.vm.wait(timeoutSeconds: Boot.hostTimeout)
    #expect(r.stdout.contains("[kernel] init exited with status 4"), "\(r.stdout)")
    #expect(r.status == 4)
}

/// ttyd on the virtio-console (`--console virtio`), swiftvm run in a real pseudo-terminal as a user
/// runs it: the guest's window size is the host window's (TIOCGWINSZ through ttyd, from the
/// device's F_SIZE fields), resizing the host window reaches a guest program as SIGWINCH with the
/// new size, keys reach the shell through the device's receive queue, and a ttyd killed mid-session
/// (the kernel resets the device) is replaced by one that drives it again, typing continuing.
@Test func terminalServerDrivesTheVirtioConsole() throws {
    try RepositoryPaths.requireKVM()
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let t = try PseudoTerminal([vmm, "run", image, "--console", "virtio", "--timeout", "\(Boot.guestTimeout)"], columns: 100, rows: 30)
    let bound = Double(Boot.hostTimeout)
    /// The screen without CRs: ttyd's output processing makes LF CR LF, and the host pty's own
    /// (swiftvm keeps OPOST on for its messages) adds a CR again.
    func plain(_ s: String) -> String { String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\r" })) }
    func screen() -> String { plain(t.screen) }
    /// Types `keys` and waits for `expected` in what follows.
    func type(_ keys: String, thenSee expected: String) -> Bool {
        let mark = screen().utf8.count
        t.type(keys)
        return t.waitFor(timeoutSeconds: bound) {
            String(decoding: plain($0).utf8.dropFirst(mark), as: UTF8.self).contains(expected)
        }
    }
    #expect(t.waitFor(timeoutSeconds: bound) { plain($0).contains("\n$ ") }, "no prompt: \(screen())")
    #expect(!screen().contains("using the serial console"), "\(screen())")
    #expect(type("ttytest size\r", thenSee: "rows 30 columns 100\nrows 40 columns 120\n"), "\(screen())")
    #expect(type("ttytest winch\r", thenSee: "waiting for SIGWINCH\n"), "\(screen())")
    let mark = screen().utf8.count
    t.resize(columns: 132, rows: 43)
    #expect(t.waitFor(timeoutSeconds: bound) {
        String(decoding: plain($0).utf8.dropFirst(mark), as: UTF8.self).contains("SIGWINCH: rows 43 columns 132\n")
    }, "\(screen())")
    #expect(type("ttytest keys 1\r", thenSee: "raw ready\n"), "\(screen())")
    #expect(type("q", thenSee: "key 1 71\nrestored\n"), "\(screen())")
    #expect(type("kill -9 2\r", thenSee: "init: ttyd (pid 2) ended with status 137; restarting it"), "\(screen())")
    #expect(type("echo back\r", thenSee: "\nback\n"), "\(screen())")
    t.type("exit 5\r")
    #expect(t.exitStatus(timeoutSeconds: bound) == 5, "\(screen())")
}

/// The same terminal under QEMU TCG — an independent VMM, the native x86-64 path, and QEMU's own
/// virtio-console (virtio-serial with one virtconsole port) driven by ttyd: raw mode, the default
/// size (QEMU offers no F_SIZE), job control signals from typed keys, and the shell's status.
@Test func qemuTerminalServerOnQEMUsVirtioConsole() throws {
    let image = try Boot.imageCopy()
    let log = image + ".serial"
    defer {
        try? FileManager.default.removeItem(atPath: image)
        try? FileManager.default.removeItem(atPath: log)
    }
    let vm = try QEMU.startWithVirtioConsole(append: "init=init -- sh tty", serialLog: log, disk: QEMU.Disk(image))
    let bound = Double(Boot.hostTimeout)
    func screen() -> String { vm.stdoutSoFar().replacingOccurrences(of: "\r\n", with: "\n") }
    func serial() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
    func type(_ keys: String, thenSee expected: String) -> Bool {
        let mark = screen().utf8.count
        vm.send(keys)
        return vm.waitForOutput(timeoutSeconds: bound) {
            String(decoding: $0.replacingOccurrences(of: "\r\n", with: "\n").utf8.dropFirst(mark), as: UTF8.self).contains(expected)
        }
    }
    // The console shows only what ttyd writes (the kernel's messages go to the 16550): the prompt first.
    #expect(vm.waitForOutput(timeoutSeconds: bound) { $0.contains("$ ") },
            "no prompt on the virtio-console: \(screen())\nserial: \(serial())")
    #expect(type("ttytest size\n", thenSee: "rows 25 columns 80\nrows 40 columns 120\n"), "\(screen())")
    #expect(type("ttytest keys 2\n", thenSee: "raw ready\n"), "\(screen())")
    #expect(type("a", thenSee: "key 1 61\n"), "\(screen())")
    #expect(type("\u{3}", thenSee: "key 1 03\nrestored\n"), "\(screen())")
    #expect(type("ttytest job\n", thenSee: "child ready\n"), "\(screen())")
    #expect(type("\u{1a}", thenSee: "child stopped by signal 20\nchild continued\n"), "\(screen())")
    #expect(type("\u{3}", thenSee: "child ended by signal 2\n"), "\(screen())")
    #expect(type("echo alive\n", thenSee: "\nalive\n"), "\(screen())")
    vm.send("exit 6\n")
    let r = vm.wait(timeoutSeconds: bound)
    #expect(!r.timedOut)
    #expect(r.status == (6 << 1) | 1, "\(r.stdout)\nserial: \(serial())")
    #expect(!serial().contains("using the serial console"), "\(serial())")
}
