// TerminalBootTests.swift — the terminal server (ttyd, issue 10) in a booted guest: the shell on
// /dev/console through ttyd (`init=init -- sh tty`), typed at over the serial console one step at
// a time — each key only after the output it answers has appeared, no fixed sleeps. The terminal
// does output processing (ONLCR), so the screen is compared with "\r\n" read as "\n".
import Foundation
import TestSupport
import Testing

private final class Terminal {
    let vm: Subprocess

    init(image: String) throws {
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        vm = try Subprocess([vmm, "run", image, "--cmdline", "init=init -- sh tty", "--timeout", "\(Boot.guestTimeout)"], interactive: true)
    }

    /// What the console showed so far, with the terminal's CR LF as LF.
    var screen: String { vm.stdoutSoFar().replacingOccurrences(of: "\r\n", with: "\n") }

    /// Waits until `text` appears after byte `from` of the screen.
    @discardableResult
    func waitFor(_ text: String, after from: Int = 0) -> Bool {
        vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) {
            String(decoding: $0.replacingOccurrences(of: "\r\n", with: "\n").utf8.dropFirst(from), as: UTF8.self).contains(text)
        }
    }

    /// Types `keys` and waits for `expected` to appear in what follows.
    @discardableResult
    func type(_ keys: String, thenSee expected: String) -> Bool {
        let mark = screen.utf8.count
        vm.send(keys)
        return waitFor(expected, after: mark)
    }
}

@Test func terminalServerRawModeJobControlAndRestart() throws {
    try RepositoryPaths.requireKVM()
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let t = try Terminal(image: image)
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
