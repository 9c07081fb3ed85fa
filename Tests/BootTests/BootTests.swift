// BootTests.swift — the real kernel and its ring-3 programs, booted by the real `swiftvm` binary
// (built by `make`), checked through the serial transcript and the exit status; and the same
// kernel under QEMU TCG, the independent check of the native x86-64 path.
import Foundation
import TestSupport
import Testing

struct Boot {
    /// The guest's own `--timeout` (it powers off by itself when done, so this only bounds a hung
    /// guest): generous, because Swift Testing runs these tests in parallel with the QEMU TCG ones,
    /// and a guest that needs 20 s on an idle machine has needed more than 90 s beside them.
    static let guestTimeout = 300
    /// How long the test waits for swiftvm: the guest's timeout plus room for swiftvm to report it.
    static let hostTimeout = TimeInterval(guestTimeout + 60)

    static func swiftvm(_ arguments: [String], timeout: TimeInterval = hostTimeout) throws -> SubprocessResult {
        try RepositoryPaths.requireKVM()
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        return try Subprocess.run(vmm, arguments + ["--no-input", "--timeout", "\(guestTimeout)"], timeout: timeout)
    }

    /// Boots the image with init, its servers and the shell (`init=init -- sh`: the shell runs
    /// programs from the file system with fork and execve, so it needs fsd) and types `script` on
    /// the serial console (stdin of swiftvm). The pristine build/os.img is booted --ephemeral.
    static func shell(_ script: String, image: String? = nil, cmdline: String = "init=init -- sh") throws -> SubprocessResult {
        try RepositoryPaths.requireKVM()
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        let target = try image ?? RepositoryPaths.requireBuilt("os.img")
        return try Subprocess.run(vmm, ["run", target, "--cmdline", cmdline, "--timeout", "\(guestTimeout)"] + (image == nil ? ["--ephemeral"] : []),
                                  input: script, timeout: hostTimeout)
    }

    /// What the pristine OS image holds (directories, files), by the host's fsck: tests that add
    /// files expect these plus their own, so a new program in /bin does not change them.
    static func pristineCounts() throws -> (directories: Int, files: Int) {
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        let out = try Subprocess.run(vmm, ["image", "fsck", try RepositoryPaths.requireBuilt("os.img")], timeout: 60).stdout
        func number(before word: String) -> Int? {
            guard let r = out.range(of: " " + word) else { return nil }
            return Int(out[..<r.lowerBound].split(separator: " ").last ?? "")
        }
        guard let d = number(before: "directories"), let f = number(before: "files") else {
            throw TestSetupError("cannot read the counts of build/os.img from: \(out)")
        }
        return (d, f)
    }

    /// The guest fsck's summary for the pristine image plus `directories` and `files`.
    static func clean(adding directories: Int, _ files: Int) throws -> String {
        let base = try pristineCounts()
        return "clean: \(base.directories + directories) directories, \(base.files + files) files"
    }

    /// A private copy of the OS image, removed by the caller.
    static func imageCopy() throws -> String {
        let image = FileManager.default.temporaryDirectory.appendingPathComponent("os-\(getpid())-\(UUID().uuidString.prefix(6)).img").path
        try FileManager.default.copyItem(atPath: try RepositoryPaths.requireBuilt("os.img"), toPath: image)
        return image
    }

    static func kernel(cmdline: String? = nil, extra: [String] = []) throws -> SubprocessResult {
        var args = ["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", try RepositoryPaths.requireBuilt("initrd.img")]
        if let cmdline { args += ["--cmdline", cmdline] }
        return try swiftvm(args + extra)
    }
}

/// The shell on the serial console, typed at one command at a time: each line is sent once the
/// shell has prompted for it, and a command's output is what came between its echo and the next
/// prompt. So a test can ask again until the guest has reached a state (a job listed by `ps`)
/// instead of assuming how fast it gets there.
final class ShellSession {
    let vm: Subprocess

    init(image: String? = nil, cmdline: String = "init=init -- sh") throws {
        try RepositoryPaths.requireKVM()
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        let target = try image ?? RepositoryPaths.requireBuilt("os.img")
        vm = try Subprocess([vmm, "run", target, "--cmdline", cmdline, "--timeout", "\(Boot.guestTimeout)"] + (image == nil ? ["--ephemeral"] : []),
                            interactive: true)
        _ = vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { $0.hasPrefix("$ ") || $0.contains("\n$ ") }
    }

    /// Types `line` and returns the command's output (nil if the next prompt never came).
    @discardableResult
    func run(_ line: String) -> String? {
        let start = vm.stdoutSoFar().utf8.count
        vm.send(line + "\n")
        var result: String? = nil
        _ = vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { out in
            let new = String(decoding: out.utf8.dropFirst(start), as: UTF8.self)
            guard let echo = new.range(of: line + "\n") else { return false }
            let after = new[echo.upperBound...]
            if after.hasPrefix("$ ") { result = ""; return true }
            guard let prompt = after.range(of: "\n$ ") else { return false }
            result = String(after[..<prompt.lowerBound]) + "\n"
            return true
        }
        return result
    }

    /// Runs `line` until its output satisfies `condition` (at most `tries` times); whether it did.
    func runUntil(_ line: String, tries: Int = 50, _ condition: (String) -> Bool) -> Bool {
        for _ in 0 ..< tries {
            guard let out = run(line) else { return false }
            if condition(out) { return true }
        }
        return false
    }

    /// Types `line` (`exit N`) and waits for the machine to power off.
    func finish(_ line: String = "exit") -> SubprocessResult {
        vm.send(line + "\n")
        return vm.wait(timeoutSeconds: Boot.hostTimeout)
    }
}

@Test func bootDefaultGuestRunsRing3ProgramAndPowersOffWithZero() throws {
    let r = try Boot.kernel()
    #expect(!r.timedOut)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("swiftvm kernel: Embedded Swift microkernel"))
    // init starts the pipe server (pid 2) first, then hello.
    #expect(r.stdout.contains("Hello from ring 3: a Swift program in user mode, pid 3."), "\(r.stdout)")
    #expect(r.stdout.contains("init: hello exited with status 0"))
    #expect(r.stdout.contains("[kernel] init exited with status 0 after "))
    #expect(r.stdout.contains(" timer ticks; powering off"))
}

@Test func bootTheOSImage() throws {
    // make builds build/os.img: RedoxFS with /boot/kernel.elf and /boot/initrd.img.
    let r = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("os.img")])
    #expect(r.status == 0, "\(r.stderr)")
    // With a disk, init starts the pipe server (pid 2), the disk driver (pid 3) and the file server
    // (pid 4) first, then hello.
    #expect(r.stdout.contains("blkd: serving disk0, 65536 blocks of 4 KiB (pid 3)"), "\(r.stdout)")   // 256 MiB (Makefile)
    #expect(r.stdout.contains("fsd: serving RedoxFS generation"))
    #expect(r.stdout.contains("Hello from ring 3: a Swift program in user mode, pid 5."), "\(r.stdout)")
    // The image is also the first disk: the kernel sees its virtio-mmio window.
    #expect(r.stdout.contains("[kernel] device: virtio-mmio at 0xd0000000"))
}

@Test func bootAFileThatIsNeitherAnELFNorAnImage() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("neither-\(getpid()).bin").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x42, count: 8192)))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try Boot.swiftvm(["run", path])
    #expect(r.status == 1)
    #expect(r.stderr == "swiftvm: \(path): bad kernel ELF: not an ELF file (bad magic)\n")
}

/// HOST.md: CI machines are PVM, where the kernel switches itself to native execution; on hardware
/// KVM it runs as an ordinary x86-64 kernel. The banner says which path it took: each host checks
/// its own (a host without kvm_pvm used to return early, i.e. pass without checking anything).
@Test func bootTheKernelTakesThisHostsPath() throws {
    let pvm = FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm")
    let r = try Boot.kernel()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    if pvm {
        #expect(r.stdout.contains("swiftvm kernel: Embedded Swift microkernel, native on PVM"), "\(r.stdout)")
    } else {
        #expect(r.stdout.contains("swiftvm kernel: Embedded Swift microkernel, x86-64"), "\(r.stdout)")
        #expect(!r.stdout.contains("PVM"), "\(r.stdout)")
    }
}

@Test func bootUserTestsAllPass() throws {
    let r = try Boot.kernel(cmdline: "init=usertests")
    #expect(r.status == 0, "transcript:\n\(r.stdout)\nstderr: \(r.stderr)")
    let ok = r.stdout.split(separator: "\n").filter { $0.hasPrefix("usertests: ok") }
    #expect(ok.count == 13)
    #expect(r.stdout.contains("usertests: all 13 passed"))
    // The kernel reported each kill and went on.
    #expect(r.stdout.contains("page fault at 0x8 (read, not mapped)"))
    #expect(r.stdout.contains("page fault at 0x400000100000 (read, not mapped)"))
    #expect(r.stdout.contains("page fault at 0x400000200000 (write, not mapped)"))
    #expect(r.stdout.contains("general protection"))
    #expect(!r.stdout.contains("PANIC"))
    // Each forbidden instruction was stopped by the fault it must raise — `mov cr3` and `hlt` by
    // #GP specifically, not by any fault: the kernel's kill line comes right before the case's result
    // (after it only the killed program's callers, "user backtrace" lines for the host's report).
    let lines = r.stdout.split(separator: "\n").map(String.init)
    func killLine(before name: String) -> String? {
        guard var i = lines.firstIndex(where: { $0.hasPrefix("usertests: ok   crash \(name):") }), i > 0 else { return nil }
        while i > 1 && lines[i - 1].hasPrefix("[kernel]   user backtrace: 0x") { i -= 1 }
        return lines[i - 1]
    }
    for (name, fault) in [("privileged", ": general protection, rip"), ("halt", ": general protection, rip"),
                          ("ud2", ": invalid opcode, rip"), ("null-read", ": page fault at 0x8 (read, not mapped)"),
                          ("kernel-exec", ": page fault at 0x400000100000 (execute, not mapped)")] {
        let line = killLine(before: name)
        #expect(line?.hasPrefix("[kernel] pid ") == true && line?.contains(" (crash)" + fault) == true, "\(name): \(line ?? "no kill line")")
    }
}

@Test func bootAKernelPanicExitsNonZeroWithABacktrace() throws {
    let r = try Boot.kernel(cmdline: "test.panic")
    #expect(r.status == 101)
    #expect(r.stdout.contains("[kernel] PANIC: page fault (vector 14) in kernel mode"))
    #expect(r.stdout.contains("cr2=0x10"))
    #expect(r.stdout.contains("backtrace: 0x4000001"))
}

@Test func bootAMissingInitProgramIsAPanic() throws {
    let r = try Boot.kernel(cmdline: "init=no-such-program")
    #expect(r.status == 101)
    #expect(r.stdout.contains("cannot start init program 'no-such-program': no such program"))
}

@Test func bootMissingKernelFileIsAOneLineError() throws {
    let r = try Boot.swiftvm(["run", "/nonexistent/kernel.elf"])
    #expect(r.status == 1)
    #expect(r.stderr == "swiftvm: /nonexistent/kernel.elf: no such file\n")
}

@Test func bootAnInitrdThatIsNotAnArchiveIsReportedByTheKernel() throws {
    // The kernel validates the archive (Initrd module) and reports it instead of crashing.
    let bogus = FileManager.default.temporaryDirectory.appendingPathComponent("bogus-initrd-\(getpid()).img").path
    #expect(FileManager.default.createFile(atPath: bogus, contents: Data(repeating: 0x41, count: 4096)))
    let r = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", bogus])
    #expect(r.stdout.contains("[kernel] initrd rejected: not an initrd archive (bad magic)"))
    #expect(r.status == 101)
}

@Test func bootStatsReportTimingsAndExits() throws {
    let r = try Boot.kernel(extra: ["--stats"])
    #expect(r.status == 0)
    for label in ["first serial byte", "first ring-3 entry", "power-off", "VM exits", "VMM RSS (no guest RAM)"] {
        #expect(r.stderr.contains(label), "missing \(label) in:\n\(r.stderr)")
    }
    #expect(!r.stderr.contains("first ring-3 entry    -"))
}

/// QEMU TCG boots the same ELF through its PVH entry; isa-debug-exit reports (status << 1) | 1.
@Test func qemuBootsTheSameKernelAndRunsUserTests() throws {
    let r = try QEMU.boot(append: "init=usertests")
    #expect(!r.timedOut)
    #expect(r.status == (0 << 1) | 1, "transcript:\n\(r.stdout)\n\(r.stderr)")
    #expect(r.stdout.contains("swiftvm kernel: Embedded Swift microkernel, x86-64"))
    #expect(r.stdout.contains("usertests: all 13 passed"))
}

@Test func qemuKernelPanicExitsWithThePanicStatus() throws {
    let r = try QEMU.boot(append: "test.panic", memory: "128M", initrd: false)
    #expect(r.status == (101 << 1 | 1) & 0xff)
    #expect(r.stdout.contains("PANIC: page fault (vector 14) in kernel mode"))
}

/// The hardware-breakpoint path gdb's `hbreak`/`watch` use off PVM (README "what works where"): the
/// kernel loads DR0/DR7 itself, as it does from the debug channel. Under QEMU TCG (a native x86-64
/// machine) an instruction breakpoint in DR0 fires: a #DB in kernel mode at exactly the probe's
/// address, which the kernel's panic report shows (on PVM the same code never fires).
@Test func qemuDebugRegisterBreakpointFiresAtTheProbe() throws {
    let nm = try Subprocess.run("/usr/bin/nm", [try RepositoryPaths.requireBuilt("kernel.elf")], timeout: 60)
    let line = try #require(nm.stdout.split(separator: "\n").first { $0.hasSuffix(" sv_debug_register_probe") }, "no probe symbol")
    let probe = try #require(UInt64(line.prefix { $0 != " " }, radix: 16))
    let r = try QEMU.boot(append: "test.debugregs", memory: "128M", initrd: false)
    #expect(r.stdout.contains("PANIC: debug (vector 1) in kernel mode"), "\(r.stdout)")
    #expect(r.stdout.contains("rip=0x\(String(probe, radix: 16)) "), "probe at \(String(probe, radix: 16)): \(r.stdout)")
    #expect(!r.stdout.contains("DR0 breakpoint did not fire"))
}

/// RedoxFS in a ring-3 guest program over the ring-3 virtio-blk driver: the guest writes a file into
/// the OS image, and the host's image tools (the same filesystem code) read it back and fsck it.
@Test func bootGuestFilesystemWritesWhatTheHostReads() throws {
    let image = FileManager.default.temporaryDirectory.appendingPathComponent("os-\(getpid())-\(UUID().uuidString.prefix(6)).img").path
    try FileManager.default.copyItem(atPath: try RepositoryPaths.requireBuilt("os.img"), toPath: image)
    defer { try? FileManager.default.removeItem(atPath: image) }
    let list = try Boot.swiftvm(["run", image, "--cmdline", "init=fs -- ls /boot"])
    #expect(list.status == 0, "\(list.stdout)\(list.stderr)")
    #expect(list.stdout.contains("initrd.img\nkernel.elf\n"))
    let write = try Boot.swiftvm(["run", image, "--cmdline", "init=fs -- write /notes/../hello.txt", "--no-input"])
    // A path with .. is refused by the filesystem (no such directory), and nothing is written.
    #expect(write.status == 1)
    let good = try Boot.swiftvm(["run", image, "--cmdline", "init=fs -- write /hello.txt written by the guest"])
    #expect(good.stdout.contains("fs: wrote 21 bytes to /hello.txt and committed"), "\(good.stdout)")
    #expect(good.status == 0)
    let check = try Boot.swiftvm(["run", image, "--cmdline", "init=fs -- check"])
    #expect(check.stdout.contains("fs: " + (try Boot.clean(adding: 0, 1))), "\(check.stdout)")
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let cat = try Subprocess.run(vmm, ["image", "cat", image, "/hello.txt"], timeout: 60)
    #expect(cat.stdout == "written by the guest\n")
    let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 60)
    #expect(fsck.status == 0, "\(fsck.stdout)")
}

/// The shell, driven over the serial console: commands run as programs with their arguments,
/// builtins, errors, and the exit status of the guest comes from `exit N` (init exits with the
/// shell's status).
@Test func bootShellOverTheSerialConsole() throws {
    let r = try Boot.shell("echo hello from the console\nps\nhello\nnosuch\nkill 1\nexit 7\n")
    let out = r.stdout
    #expect(out.contains("$ echo hello from the console\nhello from the console\n"), "\(out)")
    // ps with process groups and sessions: init is pid 1, the shell one of its children.
    #expect(out.contains("  PID  PPID STATE    PGID   SID NAME\n    1     0 wait        1     1 init\n"), "\(out)")
    #expect(out.contains(#/     1 wait +[0-9]+ +[0-9]+ sh\n/#), "\(out)")
    #expect(out.contains(#/ run +[0-9]+ +[0-9]+ ps\n/#), "\(out)")
    #expect(out.contains("$ hello\nHello from ring 3: a Swift program in user mode"), "\(out)")
    #expect(out.contains(": nosuch: not found\n"), "\(out)")
    #expect(out.contains(": kill: Operation not permitted\n"), "init cannot be killed: \(out)")
    #expect(out.contains("[kernel] init exited with status 7"))
    #expect(r.status == 7)
}

@Test func bootShellBackgroundJobAndKill() throws {
    let sh = try ShellSession()
    let started = sh.run("crash spin 60 &") ?? ""
    // The interactive shell names the job and its process (dash: "[1] PID").
    let pid = started.firstMatch(of: /\[1\] ([0-9]+)\n/).map { String($0.1) } ?? "?"
    #expect(pid != "?", "\(sh.vm.stdoutSoFar())")
    // ps lists the job (a child of the shell) once it is in the process table: asked until it is.
    let padded = String(repeating: " ", count: max(0, 5 - pid.count)) + pid
    #expect(sh.runUntil("ps") { $0.contains("\n\(padded) ") && $0.contains(" crash\n") }, "\(sh.vm.stdoutSoFar())")
    sh.run("kill \(pid)")
    // After the kill the spinner is gone (a zombie until reaped, or reaped already).
    #expect(sh.runUntil("ps") { !$0.contains(#/ (run|wait) +[0-9]+ +[0-9]+ crash\n/#) }, "\(sh.vm.stdoutSoFar())")
    let r = sh.finish()
    #expect(r.status == 0, "\(r.stdout)")
}

/// `make run` in a terminal: init runs hello, then the shell (swiftvm passes "interactive" when its
/// stdin is a terminal). `script` gives swiftvm a pseudo-terminal; Enter sends CR, as a keyboard does.
@Test func bootInteractiveTerminalGetsAShell() throws {
    try RepositoryPaths.requireKVM()
    let vmm = try RepositoryPaths.requireBuilt("swiftvm"), image = try RepositoryPaths.requireBuilt("os.img")
    // Then ↑ recalls the line, ← moves into it and X is inserted: "echo typXed"; then Tab completion.
    // Each key sequence is typed once the transcript (script's log, flushed on every write: -f)
    // shows the previous command's output and ends with the prompt, not after a fixed sleep.
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("pty-\(getpid())-\(UUID().uuidString.prefix(6)).log").path
    defer { try? FileManager.default.removeItem(atPath: log) }
    let typing = #"""
        # Polls every 50 ms, up to LIMIT times (the guest's own timeout).
        after() {  # after TEXT [KEYS]: wait until a line of the transcript is TEXT and it ends with the prompt
            i=0
            while [ $i -lt "$LIMIT" ]; do
                if tr -d '\r' < "$LOG" | grep -qxF -- "$1" && [ "$(tail -c 2 "$LOG")" = '$ ' ]; then
                    [ $# -gt 1 ] && printf "$2"
                    return 0
                fi
                sleep 0.05; i=$((i + 1))
            done
            return 1
        }
        until_seen() {  # until_seen TEXT: wait until the transcript contains TEXT (then stdin may close)
            i=0
            while [ $i -lt "$LIMIT" ] && ! tr -d '\r' < "$LOG" | grep -qF -- "$1"; do sleep 0.05; i=$((i + 1)); done
        }
        after 'init: hello exited with status 0' 'echo typed\r' &&
        after 'typed' '\033[A\033[D\033[DX\r' &&
        after 'typXed' 'ls /bo\t\r' &&
        after 'initrd.img  kernel.elf' 'exit 5\r' &&
        until_seen 'init exited with status 5'
        """#
    let r = try Subprocess.run("/bin/sh", ["-c", "LOG='\(log)'; LIMIT=\(Boot.guestTimeout * 20); : > \"$LOG\"; ( \(typing) ) | script -qefc '\(vmm) run \(image) --timeout \(Boot.guestTimeout)' \"$LOG\""],
                               timeout: Boot.hostTimeout)
    let out = r.stdout.replacingOccurrences(of: "\r", with: "")
    #expect(out.contains("init: hello exited with status 0"), "\(out)")
    #expect(out.contains("$ echo typed\ntyped\n"), "\(out)")
    #expect(out.contains("\ntypXed\n"), "\(out)")
    // Tab completes a path (a directory gets its "/"); ls on the terminal prints columns, as GNU's does.
    #expect(out.contains("$ ls /boot/\ninitrd.img  kernel.elf\n"), "\(out)")
    #expect(out.contains("[kernel] init exited with status 5"), "\(out)")
}

/// The file utilities, through the file server (fsd, a user process that owns the disk), typed at
/// the shell that init starts, with a working directory and output redirection; what the guest
/// wrote is then read back by the host's image tools.
@Test func bootFileUtilitiesThroughTheFileServer() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let script = """
        mkdir -p /home/user/docs
        echo hello world > /home/user/docs/a.txt
        echo second line >> /home/user/docs/a.txt
        cat /home/user/docs/a.txt
        cp /home/user/docs/a.txt /home/b.txt
        mv /home/b.txt /home/c.txt
        ls -F /home
        rm /home
        rmdir /nosuch
        cp -r /home/user /copy
        rm -r /home/user
        ls /home /copy/docs
        touch /empty
        ls -l /empty
        cat /nosuch /home/c.txt
        mkdir /home
        df
        cd /home
        pwd
        ls -F .. > ../listing
        cat /listing
        cd nosuch
        cd /
        fsck
        exit

        """
    let r = try Boot.shell(script, image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    #expect(out.contains("fsd: serving RedoxFS generation"), "\(out)")
    #expect(out.contains("$ cat /home/user/docs/a.txt\nhello world\nsecond line\n$ "), "\(out)")
    #expect(out.contains("$ ls -F /home\nc.txt\nuser/\n$ "))
    #expect(out.contains("$ rm /home\nrm: cannot remove '/home': is a directory\n$ "), "\(out)")
    #expect(out.contains("rmdir: failed to remove '/nosuch': no such file or directory"))
    // the directories in name order, as GNU ls sorts its operands
    #expect(out.contains("$ ls /home /copy/docs\n/copy/docs:\na.txt\n\n/home:\nc.txt\n$ "), "\(out)")
    // ls -l as GNU prints it: mode, links, owner, group, size, the modification time (UTC), name.
    let long = out.split(separator: "\n").first { $0.hasSuffix(" /empty") && $0.hasPrefix("-") }.map(String.init) ?? ""
    #expect(long.wholeMatch(of: /-rw-r--r-- 1 root root 0 (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123][0-9] [0-2][0-9]:[0-5][0-9] \/empty/) != nil, "\(long)")
    // cat goes on after a missing file, and says so.
    #expect(out.contains("cat: /nosuch: No such file or directory\nhello world\nsecond line\n$ "), "\(out)")
    #expect(out.contains("mkdir: cannot create directory '/home': file exists"))
    #expect(out.contains("$ df\nFilesystem  1K-blocks      Used Available Use% Mounted on\nredoxfs        262144 "), "\(out)")   // the 256 MiB image (Makefile)
    // A working directory (PWD in the environment) and a program's output sent to a file.
    #expect(out.contains("$ pwd\n/home\n"))
    #expect(out.contains("$ cat /listing\nbin/\nboot/\ncopy/\nempty\netc/\nhome/\nlisting\ntmp/\nusr/\n$ "), "\(out)")
    #expect(out.contains(": cd: can't cd to nosuch\n"), "\(out)")
    #expect(out.contains("$ fsck\n" + (try Boot.clean(adding: 3, 4)) + "\n"), "\(out)")
    #expect(r.status == 0)

    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let cat = try Subprocess.run(vmm, ["image", "cat", image, "/copy/docs/a.txt"], timeout: 60)
    #expect(cat.stdout == "hello world\nsecond line\n")
    let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 60)
    #expect(fsck.status == 0, "\(fsck.stdout)")
}

/// The file server crashes (a page fault on every 10th request it receives, so in the middle of
/// several commands: the shell's PATH search alone asks for six paths before it finds /bin/cat, and
/// init gives up on a server that ends 17 times in 10 s); each time init restarts it, the cut-off call is repeated against the new
/// server, every command completes, and nothing committed is lost.
@Test func bootFileServerCrashesAndIOContinues() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let script = "echo one > /1\necho two > /2\nls /\necho three > /3\ncat /1 /2 /3\nexit\n"
    let r = try Boot.shell(script, image: image, cmdline: "init=init -- sh fsd=crash-after,10")
    let out = r.stdout
    let crashes = out.components(separatedBy: "fsd: crashing on request 10, as asked").count - 1
    #expect(crashes >= 3, "\(out)")
    #expect(out.contains("init: fsd crash-after 10 (pid 4) ended with status 139; restarting it"), "\(out)")
    #expect(out.contains("1\n2\nbin\nboot\netc\ntmp\nusr\n$ "), "\(out)")
    // cat's output, with the restart messages in between: every line, in order.
    let catOutput = out.components(separatedBy: "$ cat /1 /2 /3\n").last ?? ""
    let lines = catOutput.split(separator: "\n").map(String.init).filter { ["one", "two", "three"].contains($0) }
    #expect(lines == ["one", "two", "three"], "\(catOutput)")
    #expect(!out.contains("sh: "), "a command failed: \(out)")
    #expect(r.status == 0)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    for (file, text) in [("/1", "one\n"), ("/2", "two\n"), ("/3", "three\n")] {
        let cat = try Subprocess.run(vmm, ["image", "cat", image, file], timeout: 60)
        #expect(cat.stdout == text, "\(file)")
    }
    let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 60)
    #expect(fsck.status == 0, "\(fsck.stdout)")
}

/// The file server killed from the shell (pid 4: init starts the pipe server, the disk driver, then it) is restarted by init.
@Test func bootFileServerKilledFromTheShellIsRestarted() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("echo one > /1\nkill -9 4\necho two > /2\ncat /1 /2\nexit\n", image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    #expect(out.contains("init: fsd (pid 4) ended with status 137; restarting it"), "\(out)")
    #expect(out.contains("$ cat /1 /2\none\ntwo\n$ exit"), "\(out)")
    #expect(r.status == 0)
}

/// C programs built against the guest's C library (Guest/Libraries/LibC): `ctest` checks formatting,
/// strings, numbers, memory, the environment and POSIX file calls through the file server from C;
/// grep is an ordinary C utility; wc and head are the Swift utilities (Guest/Libraries/Utilities);
/// all used from the shell with redirection and pipelines.
@Test func bootCProgramsRunOnTheCLibrary() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let script = """
        ctest
        echo alpha beta > /t.txt
        echo Gamma delta >> /t.txt
        echo alphabet >> /t.txt
        wc /t.txt
        grep -n alpha /t.txt
        grep -ic GAMMA /t.txt
        grep zzz /t.txt
        head -n 2 /t.txt > /h.txt
        wc -l /t.txt /h.txt
        wc /nosuch
        grep alpha /t.txt | wc -l
        cat < /t.txt | head -n 1 | wc -c
        wc < /t.txt
        ls /tmp
        cat /boot/initrd.img | head -n 1 | wc -l
        """
    let sh = try ShellSession(image: image, cmdline: "init=init -- sh")
    for line in script.split(separator: "\n") { sh.run(String(line)) }
    // The stages run concurrently: ps sees the sleep piped into it. Whether sleep has started by
    // the time ps reads the process table is up to the scheduler, so ask until it has (stages run
    // one after the other would never show it).
    let sawCat = sh.runUntil("sleep 1 | ps") { $0.contains(" sleep\n") }
    let r = sh.finish()
    let out = r.stdout
    #expect(sawCat, "\(out)")
    #expect(out.contains("ctest: 68 of 68 checks passed"), "\(out)")
    // Pipelines (all stages at once, through piped: nothing is written to the disk) and input redirection.
    #expect(out.contains("$ grep alpha /t.txt | wc -l\n2\n$ "))
    #expect(out.contains("$ cat < /t.txt | head -n 1 | wc -c\n11\n$ "))
    // GNU wc's column width: the digits of the input files' total size (32 bytes: 2)
    #expect(out.contains("$ wc < /t.txt\n 3  5 32\n$ "), "\(out)")
    #expect(out.contains("$ ls /tmp\n$ "), "the image's /tmp starts empty: \(out)")
    // A reader that stops early ends its writer's output quietly (EPIPE), and the pipeline goes on.
    #expect(out.contains("$ cat /boot/initrd.img | head -n 1 | wc -l\n1\n$ "), "\(out)")
    #expect(!out.contains("ctest: FAIL"))
    #expect(out.contains("$ wc /t.txt\n 3  5 32 /t.txt\n"), "\(out)")
    #expect(out.contains("$ grep -n alpha /t.txt\n1:alpha beta\n3:alphabet\n"))
    #expect(out.contains("$ grep -ic GAMMA /t.txt\n1\n"))
    #expect(out.contains("$ grep zzz /t.txt\n$ "), "\(out)")
    #expect(out.contains(" 3 /t.txt\n 2 /h.txt\n 5 total\n"), "\(out)")
    #expect(out.contains("wc: /nosuch: No such file or directory"))
    #expect(r.status == 0)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let head = try Subprocess.run(vmm, ["image", "cat", image, "/h.txt"], timeout: 60)
    #expect(head.stdout == "alpha beta\nGamma delta\n")
}

/// Snapshots from inside the guest: made by the shell's `snapshot`, read at /@NAME, never changed,
/// used to restore a file; the host's image tools (the same RedoxFS code) see the guest's snapshot.
@Test func bootSnapshotsFromTheGuest() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let script = """
        echo version one > /doc.txt
        snapshot create before
        echo version two > /doc.txt
        rm /boot/initrd.img
        cat /doc.txt /@before/doc.txt
        rm /@before/doc.txt
        cp /@before/boot/initrd.img /boot/
        snapshot
        exit

        """
    let r = try Boot.shell(script, image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    #expect(out.contains("$ cat /doc.txt /@before/doc.txt\nversion two\nversion one\n"), "\(out)")
    #expect(out.contains("rm: cannot remove '/@before/doc.txt': read-only file system"))
    #expect(out.contains("$ snapshot\nbefore  (generation "), "\(out)")
    #expect(r.status == 0)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let list = try Subprocess.run(vmm, ["image", "snapshot", "list", image], timeout: 60)
    #expect(list.stdout.contains("before"), "\(list.stdout)")
    let old = try Subprocess.run(vmm, ["image", "cat", image, "/doc.txt", "--snapshot", "before"], timeout: 60)
    #expect(old.stdout == "version one\n", "\(old.stdout)\(old.stderr)")
    // The restored initrd (5 MiB: written in 1 MiB calls) is byte for byte the one the snapshot kept.
    let restored = image + ".restored", original = image + ".original"
    defer { try? FileManager.default.removeItem(atPath: restored); try? FileManager.default.removeItem(atPath: original) }
    _ = try Subprocess.run(vmm, ["image", "get", image, "/boot/initrd.img", restored], timeout: 60)
    _ = try Subprocess.run(vmm, ["image", "get", image, "/boot/initrd.img", original, "--snapshot", "before"], timeout: 60)
    let restoredBytes = FileManager.default.contents(atPath: restored), originalBytes = FileManager.default.contents(atPath: original)
    #expect((restoredBytes?.count ?? 0) > 3 << 20 && restoredBytes == originalBytes)
    let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 60)
    #expect(fsck.status == 0, "\(fsck.stdout)")
}

/// The file server against a hostile client: 2000 random requests over raw IPC (noise, unknown
/// operations, random offsets, paths with NUL/../@/300-byte names, leases of every direction and
/// size). fsd must answer every one, never crash (same pid), still serve files, and fsck clean —
/// inside the guest and from the host.
@Test func bootFileServerSurvivesAHostileClient() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("crash fs-hostile 2000; echo crash status $?\nexit\n", image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    #expect(out.contains("crash: fsd answered all 2000 of 2000 requests with a well-formed reply, and is still pid 4"), "\(out)")
    #expect(out.contains("crash: blkd refused a raw block write from pid "))
    #expect(out.contains("\ncrash status 0\n"), "\(out)")
    #expect(!out.contains("init: fsd"), "fsd must not have been restarted: \(out)")
    #expect(r.status == 0)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 120)
    #expect(fsck.status == 0, "\(fsck.stdout)")
}

/// sleep blocks for at least the time asked (the kernel wakes sleepers on its 10 ms timer tick),
/// in the foreground and in the background, and refuses nonsense.
@Test func bootSleepWaitsAtLeastAsLongAsAsked() throws {
    let sh = try ShellSession()
    sh.run("sleep 0.5")
    sh.run("sleep 2 &")
    // The background sleep is listed as waiting once it has made its sleep call: asked until it is.
    #expect(sh.runUntil("ps") { $0.contains(#/ wait +[0-9]+ +[0-9]+ sleep\n/#) }, "\(sh.vm.stdoutSoFar())")
    #expect(sh.run("sleep x")?.contains("usage: sleep SECONDS") == true, "\(sh.vm.stdoutSoFar())")
    let r = sh.finish("exit 0")   // `exit` alone would exit with the status of `sleep x`
    let out = r.stdout
    // The machine ran at least the foreground sleep (the background one is cut off by the exit).
    let ms = out.components(separatedBy: "init exited with status 0 after ").last?.split(separator: " ").first.flatMap { Int($0) }
    #expect((ms ?? 0) >= 500, "\(out)")
    #expect(r.status == 0)
}

/// The disk driver is a process of its own (blkd): killed from the shell, then crashing on every
/// 200th request (in the middle of fsck's walk of the whole disk, some 700–1000 block requests, so a few restarts:
/// init gives up on a server that ends 17 times in 10 s), it is restarted by init each
/// time — the kernel resets the device before its DMA memory is freed — and the file server
/// repeats the cut-off block calls: every command completes and nothing is lost.
@Test func bootDiskDriverRestartsUnderTheFileServer() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("echo one > /1\nkill -9 3\necho two > /2\ncat /1 /2\nfsck\nexit\n", image: image,
                           cmdline: "init=init -- sh blkd=crash-after,200")
    let out = r.stdout
    #expect(out.contains("[kernel] device 0: its driver (pid 3) ended; device reset"), "\(out)")
    #expect(out.contains("init: blkd crash-after 200 (pid 3) ended with status 137; restarting it"))
    #expect(out.contains("blkd: crashing on request 200, as asked"), "\(out)")
    #expect(out.contains("$ cat /1 /2\none\ntwo\n"), "\(out)")
    #expect(out.contains(try Boot.clean(adding: 0, 2)), "\(out)")
    #expect(!out.contains("sh: "), "a command failed: \(out)")
    #expect(r.status == 0)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 60)
    #expect(fsck.status == 0, "\(fsck.stdout)")
}

/// The pipe server (piped, started by init): 200 KiB through one pipe — three times its buffer, so
/// the writer waits for the reader — in order; EPIPE without a reader; errors for bad requests.
/// Without init (init=sh: no servers, no file system) a pipeline between the shell's own commands
/// still works: pipe(2) is the kernel's.
@Test func bootPipesBetweenProcesses() throws {
    try RepositoryPaths.requireKVM()
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let withInit = try Boot.shell("crash pipes\necho a | cat\nexit\n")
    #expect(withInit.stdout.contains("crash: pipes: all checks passed"), "\(withInit.stdout)")
    #expect(withInit.stdout.contains("$ echo a | cat\na\n"), "\(withInit.stdout)")
    let args = ["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", try RepositoryPaths.requireBuilt("initrd.img"),
                "--cmdline", "init=sh", "--timeout", "\(Boot.guestTimeout)"]
    let bare = try Subprocess.run(vmm, args, input: "echo a | { read x; echo \"got $x\"; }\nexit\n", timeout: Boot.hostTimeout)
    #expect(bare.stdout.contains("\ngot a\n"), "\(bare.stdout)")
    #expect(bare.status == 0)
}

/// User programs compute with SSE2 and the kernel keeps each process's FPU/SSE registers apart:
/// `fputest` forks, and parent and child iterate a chaotic recurrence from different seeds at once
/// (yielding to each other and preempted by the timer). The expected bits come from the same
/// arithmetic on the host (IEEE 754 binary64, round to nearest: identical on both sides); one bit of
/// one process's registers leaking into the other's would change its result entirely.
@Test func bootFloatingPointStateIsPerProcess() throws {
    func expected(seed: Double, rounds: Int) -> String {
        var x0 = seed, x1 = seed + 0.125, x2 = seed + 0.25, x3 = seed + 0.375
        let r0 = 3.75, r1 = 3.8, r2 = 3.85, r3 = 3.9
        for _ in 0..<rounds {
            for _ in 0..<100_000 {
                x0 = r0 * x0 * (1 - x0)
                x1 = r1 * x1 * (1 - x1)
                x2 = r2 * x2 * (1 - x2)
                x3 = r3 * x3 * (1 - x3)
            }
        }
        return [x0, x1, x2, x3].map { " " + String($0.bitPattern, radix: 16) }.joined()
    }
    let r = try Boot.kernel(cmdline: "init=fputest")
    #expect(r.status == 0, "transcript:\n\(r.stdout)\nstderr: \(r.stderr)")
    #expect(r.stdout.contains("fputest: child seed 0.1:" + expected(seed: 0.1, rounds: 300) + "\n"), "\(r.stdout)")
    #expect(r.stdout.contains("fputest: parent seed 0.2:" + expected(seed: 0.2, rounds: 300) + "\n"), "\(r.stdout)")
    #expect(r.stdout.contains("fputest: child exited 0"), "\(r.stdout)")
}

@Test func anEightGiBGuestUsesRAMAboveTheMMIOHole() throws {
    // 8 GiB: 3.25 GiB below the MMIO hole at 0xd0000000, the rest from 4 GiB up (issue 14 §Scale).
    // test.high-memory writes and reads back the highest free frame through the kernel's direct
    // map: with RAM past the hole unmapped or unbacked it would fault or exit to the VMM.
    let r = try Boot.kernel(cmdline: "test.high-memory", extra: ["--memory", "8G"])
    #expect(r.status == 0, "\(r.stderr)")
    let free = r.stdout.split(separator: "\n").first { $0.hasSuffix("programs in the initrd") }
    let freeMiB = free.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
    #expect(freeMiB > 8000, "\(free ?? "no free-memory line")")
    let check = try #require(r.stdout.split(separator: "\n").first { $0.contains("test.high-memory:") }, "\(r.stdout)")
    let frame = try #require(check.split(separator: " ").first { $0.hasPrefix("0x") }.flatMap { UInt64($0.dropFirst(2), radix: 16) })
    #expect(frame >= 8 << 30, "the highest frame of an 8 GiB guest lies past 8 GiB of guest-physical space: \(check)")
    #expect(check.hasSuffix("512 of 512 words intact"), "\(check)")
}

@Test func memoryBeyondTheDirectMapIsRefusedClearly() throws {
    let r = try Boot.kernel(extra: ["--memory", "600G"])
    #expect(r.status == 1)
    #expect(r.stderr == "swiftvm: memory size 614400 MiB is outside [16 MiB, 520192 MiB]\n", "\(r.stderr)")
}

@Test func aDeviceThatDoesNotResetIsQuarantinedWithItsDMAMemory() throws {
    // --test-stuck-reset: the disk ignores a reset, as a wedged device would. When its driver dies
    // the kernel must say so, keep the driver's DMA memory out of circulation and never hand the
    // device to the next blkd (which then has nothing to drive, and init stops restarting it).
    try RepositoryPaths.requireKVM()
    let vmm = try RepositoryPaths.requireBuilt("swiftvm"), image = try RepositoryPaths.requireBuilt("os.img")
    let vm = try Subprocess([vmm, "run", image, "--ephemeral", "--test-stuck-reset", "--cmdline", "init=init -- sh",
                             "--timeout", "\(Boot.guestTimeout)"], interactive: true)
    #expect(vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { $0.hasPrefix("$ ") || $0.contains("\n$ ") })
    let serving = try #require(vm.stdoutSoFar().split(separator: "\n").first { $0.hasPrefix("blkd: serving disk0") })
    let pid = try #require(serving.split(separator: "(pid ").last.flatMap { Int($0.prefix { $0.isNumber }) })
    vm.send("kill -9 \(pid)\n")
    let quarantined = vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { $0.contains("has nothing to serve; not restarting it") }
    let out = vm.stdoutSoFar()
    #expect(quarantined, "\(out.suffix(1500))")
    let line = try #require(out.split(separator: "\n").first { $0.contains("did not reset within") }, "\(out.suffix(1500))")
    #expect(line.contains("device 0: its driver (pid \(pid)) ended"), "\(line)")
    #expect(line.contains("quarantined"))
    let kept = line.split(separator: "the ").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
    #expect(kept > 0, "the dead driver's DMA memory is kept: \(line)")
    #expect(out.contains("blkd: no virtio-blk disk this process may drive"), "the next blkd cannot claim it")
    vm.send("exit 0\n")
    let r = vm.wait(timeoutSeconds: Boot.hostTimeout)
    #expect(r.status == 0, "\(r.stderr)")
}

/// A file server that hangs instead of crashing (`fsd hang-after 20`: it stops answering on its
/// 20th request, and so does every fsd init starts after it): with `watchdog=1,2` the watchdog
/// pings the servers every second, kills one whose answer is 2 s late, and init restarts it; the
/// client's cut-off call is repeated against the new server, so the commands complete with their
/// output and what was written is there.
@Test func aHungFileServerIsKilledAndRestarted() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let script = "echo one > /1\nls /bin | wc -l\necho two >> /1\nls / | wc -l\ncat /1\nexit 0\n"
    let r = try Boot.shell(script, image: image, cmdline: "init=init -- sh watchdog=1,2 fsd=hang-after,20")
    let out = r.stdout
    #expect(r.status == 0, "\(r.stderr)")
    #expect(out.contains("watchdog: pinging the servers every 1 s; one silent for 2 s is restarted"), "\(out)")
    #expect(out.contains("fsd: hanging on request 20, as asked"), "\(out)")
    #expect(out.contains(#/watchdog: fsd \(pid [0-9]+\) has not answered for 2 s; killing it/#), "\(out)")
    #expect(out.contains(#/init: fsd hang-after 20 \(pid [0-9]+\) ended with status 137; restarting it/#), "\(out)")
    let bin = try Subprocess.run("/bin/sh", ["-c", "ls '\(RepositoryPaths.build("root/bin"))' | wc -l"], timeout: 60).stdout
    #expect(out.contains("\n" + bin.trimmingCharacters(in: .whitespaces)), "ls /bin through the restarts: \(out)")
    let catOutput = out.components(separatedBy: "$ cat /1\n").last ?? ""
    let lines = catOutput.split(separator: "\n").map(String.init).filter { ["one", "two"].contains($0) }
    #expect(lines == ["one", "two"], "\(catOutput)")
}
