// RunCommandTests.swift — `swiftvm run IMAGE -- COMMAND [ARGS…]` (issue 12 §2): the command's exit
// status is swiftvm's, its stdout and stderr come out separately (boot messages only with
// --verbose), its arguments arrive byte for byte, and --ephemeral leaves the image file
// byte-identical while a plain run's writes persist.
import Foundation
import TestSupport
import Testing

enum GuestRun {
    /// `swiftvm run IMAGE [OPTIONS] -- COMMAND…` on a copy of build/os.img unless `image` is given.
    static func run(_ command: [String], image: String? = nil, options: [String] = ["--ephemeral"]) throws -> SubprocessResult {
        try RepositoryPaths.requireKVM()
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        let target = try image ?? RepositoryPaths.requireBuilt("os.img")
        return try Subprocess.run(vmm, ["run", target, "--timeout", "\(Boot.guestTimeout)"] + options + ["--"] + command,
                                  timeout: Boot.hostTimeout)
    }

    static func sha256(_ path: String) throws -> String {
        let r = try Subprocess.run("sha256sum", [path], timeout: 60)
        guard r.status == 0, let hash = r.stdout.split(separator: " ").first else {
            throw TestSetupError("sha256sum \(path): \(r.stderr)")
        }
        return String(hash)
    }
}

@Test func runCommandExitsWithTheCommandsStatus() throws {
    let ok = try GuestRun.run(["ls", "/boot"])
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout == "initrd.img\nkernel.elf\n", "only the command's output, no boot messages")
    let failed = try GuestRun.run(["ls", "/no-such-directory"])
    #expect(failed.status == 2, "GNU ls: an operand it cannot access is serious trouble")
    let answer = try GuestRun.run(["sh", "-c", "exit 42"])
    #expect(answer.status == 42, "\(answer.stderr)")
    #expect(answer.stdout.isEmpty && answer.stderr.isEmpty)
    let missing = try GuestRun.run(["no-such-program"])
    #expect(missing.status == 127, "as sh reports a command it cannot find")
    #expect(missing.stderr == "no-such-program: not found\n")
    #expect(missing.stdout.isEmpty)
}

@Test func runCommandSeparatesStdoutFromStderr() throws {
    let r = try GuestRun.run(["ls", "/boot", "/no-such-directory"])
    #expect(r.stdout == "/boot:\ninitrd.img\nkernel.elf\n", "\(r.stdout)")
    #expect(r.stderr == "ls: cannot access '/no-such-directory': No such file or directory\n", "\(r.stderr)")
    #expect(r.status == 2)
    // --verbose adds the boot messages, on stderr; stdout stays the command's alone.
    let verbose = try GuestRun.run(["ls", "/boot"], options: ["--ephemeral", "--verbose"])
    #expect(verbose.stdout == "initrd.img\nkernel.elf\n")
    #expect(verbose.stderr.contains("fsd: serving RedoxFS"), "\(verbose.stderr)")
    #expect(verbose.stderr.contains("powering off"), "\(verbose.stderr)")
}

@Test func runCommandPassesArgumentsIntact() throws {
    // Spaces, both quotes, `$`, a backslash, a tab, an empty argument, non-ASCII, a leading dash,
    // and something that looks like a kernel option: the guest's echo must print what the host's
    // echo prints for the same argv.
    let arguments = ["a  b", "it's", "say \"hi\"", "$HOME", "back\\slash", "tab\there", "", "ünï ☃", "-x", "init=sh", "--", "a,b=c"]
    let host = try Subprocess.run("/bin/echo", ["--"] + arguments, timeout: 60)
    let r = try GuestRun.run(["echo", "--"] + arguments)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == host.stdout, "guest \(r.stdout.debugDescription) host \(host.stdout.debugDescription)")
}

@Test func runCommandRunsTheREADMEExampleThroughTheShell() throws {
    let r = try GuestRun.run(["sh", "-c", "cd /tmp && echo hi > f && cat f"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "hi\n")
    // The shell's words: `$` expands in the guest's shell, not on the way there.
    let words = try GuestRun.run(["sh", "-c", "x='a  b'; printf '[%s]' \"$x\" $x \"$0\" \"$1\"; echo", "name", "it's \"quoted\""])
    #expect(words.stdout == "[a  b][a][b][name][it's \"quoted\"]\n", "\(words.stdout) \(words.stderr)")
    let host = try Subprocess.run("/usr/bin/dash", ["-c", "x='a  b'; printf '[%s]' \"$x\" $x \"$0\" \"$1\"; echo", "name", "it's \"quoted\""], timeout: 60)
    #expect(words.stdout == host.stdout, "as dash prints it")
}

@Test func runCommandEphemeralLeavesTheImageByteIdentical() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let before = try GuestRun.sha256(image)
    let r = try GuestRun.run(["mkdir", "/tmp/ephemeral"], image: image)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try GuestRun.sha256(image) == before, "the image file changed")
    let list = try GuestRun.run(["ls", "/tmp"], image: image)
    #expect(list.stdout.isEmpty, "a later run sees nothing of it: \(list.stdout)")
}

@Test func runCommandWithoutEphemeralPersistsWrites() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let before = try GuestRun.sha256(image)
    let r = try GuestRun.run(["mkdir", "/tmp/kept"], image: image, options: [])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try GuestRun.sha256(image) != before)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    #expect(try Subprocess.run(vmm, ["image", "ls", image, "/tmp"], timeout: 60).stdout.contains("kept"))
    let list = try GuestRun.run(["ls", "/tmp"], image: image)
    #expect(list.stdout == "kept\n", "\(list.stdout)")
}

@Test func runCommandNeedsAnImageAndAWellFormedCommand() throws {
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let r = try Subprocess.run(vmm, ["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--", "ls"], timeout: 60)
    #expect(r.status != 0)
    #expect(r.stderr.contains("needs an OS image"), "\(r.stderr)")
    // init checks what it is given: a malformed run= (odd hex digits) is refused with a reason.
    let bad = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("os.img"), "--ephemeral", "--cmdline", "init=init -- run=6c7"])
    #expect(bad.status == 2)
    #expect(bad.stdout.contains("init: run=: argument 0: odd number of hex digits"), "\(bad.stdout)")
}

@Test func runRefusesAMalformedConsoleSize() throws {
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let r = try Subprocess.run(vmm, ["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--console", "virtio", "--console-size", "80"], timeout: 60)
    #expect(r.status != 0)
    #expect(r.stderr.contains("--console-size 80: expected COLSxROWS"), "\(r.stderr)")
}

/// The line, column and byte tools of issue 13 as programs in the guest's /bin (printf and test
/// by path: the shell would otherwise run its builtins), their output as the host's GNU tools print
/// the same script: one boot, many programs.
@Test func runCommandRunsTheTextAndByteUtilities() throws {
    let body = """
        printf 'x\\ny\\nz\\n' > a; printf 'x\\nyy\\nz\\n' > b; printf 'a\\tb\\t c\\n' > t
        expand -t 4 t; unexpand -a t | od -c; fold -w 3 a b; paste -d: a b; paste -s a; comm a b; comm -12 a b
        nl -ba a; od -t x1 -A d b; hexdump -C t; cmp a b; cmp -l a b; echo "cmp $?"
        /bin/printf '%s=%d|%5.2s|\\n' one 1 abc; /bin/test 3 -gt 2 && echo gt; /bin/[ -f a ] && echo file
        /bin/[ -d a ]; echo "d $?"; /bin/test; echo "empty $?"
        """
    let scratch = NSTemporaryDirectory() + "utilities-boot-\(getpid())"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let hostBody = body.replacingOccurrences(of: "/bin/printf", with: "/usr/bin/printf")
        .replacingOccurrences(of: "/bin/test", with: "/usr/bin/test").replacingOccurrences(of: "/bin/[", with: "/usr/bin/[")
    let host = try Subprocess.run("/usr/bin/env", ["LC_ALL=C", "/usr/bin/dash", "-c", "cd '\(scratch)' && " + hostBody], timeout: 60)
    let guest = try GuestRun.run(["sh", "-c", "cd /tmp && " + body])
    #expect(guest.status == 0, "\(guest.stderr)")
    #expect(guest.stdout == host.stdout, "guest:\n\(guest.stdout)\nhost:\n\(host.stdout)")
    #expect(guest.stdout.contains("file\n") && guest.stdout.contains("one=1|   ab|"), "\(guest.stdout)")
}
