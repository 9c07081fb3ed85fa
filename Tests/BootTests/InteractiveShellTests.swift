// InteractiveShellTests.swift — the guest's interactive /bin/sh (the Shell library's interactive
// mode with the line editor) typed at over the serial console, which is its terminal: keys go in
// as a keyboard sends them (DEL for Backspace, ESC [ A for Up, Tab), each only after the output
// it answers has appeared. No fixed sleeps: every step waits for text, with a deadline that
// only bounds a failure.
import Foundation
import TestSupport
import Testing

private final class ConsoleTyping {
    let vm: Subprocess

    init(image: String) throws {
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        vm = try Subprocess([vmm, "run", image, "--cmdline", "init=init -- sh", "--timeout", "\(Boot.guestTimeout)"], interactive: true)
    }

    /// Everything the console showed so far.
    var screen: String { vm.stdoutSoFar() }

    /// Waits until `text` appears after byte `from` of the console output.
    @discardableResult
    func waitFor(_ text: String, after from: Int = 0) -> Bool {
        vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { String(decoding: $0.utf8.dropFirst(from), as: UTF8.self).contains(text) }
    }

    /// Types `keys` and waits for `expected` to appear in what follows.
    @discardableResult
    func type(_ keys: String, thenSee expected: String) -> Bool {
        let mark = screen.utf8.count
        vm.send(keys)
        return waitFor(expected, after: mark)
    }
}

@Test func guestInteractiveShellEditsRecallsCompletesAndExits() throws {
    try RepositoryPaths.requireKVM()
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let sh = try ConsoleTyping(image: image)
    #expect(sh.waitFor("\n$ "), "no prompt: \(sh.screen)")
    // PS1 with parameter expansion.
    #expect(sh.type("cd /boot; PS1='[$PWD]% '\n", thenSee: "[/boot]% "), "\(sh.screen)")
    // A typing error corrected with Backspace (DEL, as a terminal sends it).
    #expect(sh.type("echo helo\u{7f}\u{7f}llo world\n", thenSee: "\nhello world\n[/boot]% "), "\(sh.screen)")
    // Up recalls the line; Enter runs it again.
    let mark = sh.screen.utf8.count
    #expect(sh.type("\u{1b}[A", thenSee: "echo hello world"), "\(sh.screen)")
    #expect(sh.type("\n", thenSee: "\nhello world\n[/boot]% "), "\(sh.screen)")
    #expect(String(decoding: sh.screen.utf8.dropFirst(mark), as: UTF8.self).contains("echo hello world\nhello world\n"))
    // Tab completes a command name (echo) and a file name (kernel.elf in the working directory).
    #expect(sh.type("ech\t", thenSee: "echo "), "\(sh.screen)")
    #expect(sh.type("found; ls ker\t", thenSee: "ls kernel.elf "), "\(sh.screen)")
    #expect(sh.type("\n", thenSee: "\nfound\nkernel.elf\n[/boot]% "), "\(sh.screen)")
    // PS2 for an unfinished command; errors end the command, not the shell.
    #expect(sh.type("for w in a b\n", thenSee: "\n> "), "\(sh.screen)")
    #expect(sh.type("do echo $w; done\n", thenSee: "\na\nb\n[/boot]% "), "\(sh.screen)")
    #expect(sh.type("nosuch-command\n", thenSee: "nosuch-command: not found\n[/boot]% "), "\(sh.screen)")
    sh.vm.send("exit 4\n")
    let r = sh.vm.wait(timeoutSeconds: Boot.hostTimeout)
    #expect(r.stdout.contains("[kernel] init exited with status 4"), "\(r.stdout)")
    #expect(r.status == 4)
}
