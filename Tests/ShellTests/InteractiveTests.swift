// InteractiveTests.swift — the interactive shell (swiftvm-sh -i, Shell/Interactive.swift) on a real
// pseudo-terminal: keys are typed once the prompt they answer has appeared, and every check waits
// for output (with a deadline that only bounds a failure), never for a fixed time.
import Foundation
import Testing

/// swiftvm-sh on the slave side of a pty; the test holds the master.
final class PtySession {
    let master: Int32
    let pid: pid_t
    let home: String
    private(set) var output: [UInt8] = []

    /// `shell`: the program to run (swiftvm-sh, or dash to compare with). `controllingTerminal`:
    /// the shell starts a session whose controlling terminal is the pty (as a login shell's is),
    /// so it can do job control; otherwise the pty is only its standard descriptors.
    init(arguments: [String] = ["-i"], environment: [String] = [], files: [String: String] = [:],
         shell: String = ShellRunner.swiftvmSh, controllingTerminal: Bool = false) throws {
        home = NSTemporaryDirectory() + "swiftvm-shell-pty-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: home + "/" + name)) }
        // posix_openpt/grantpt/unlockpt/ptsname as Linux implements them (pts(4)): the master from
        // /dev/ptmx, unlocked with TIOCSPTLCK, its slave /dev/pts/N from TIOCGPTN (Linux
        // asm-generic/ioctls.h: _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int); Glibc's
        // module does not import them).
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: CInt = 0, number: CInt = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw PtyError("no pseudo-terminal: errno \(errno)")
        }
        // O_CLOEXEC: another test's shell, spawned while this one is open, must not hold this
        // terminal (the dup2 actions give this session's shell its own copies).
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw PtyError("cannot open the pty's slave: errno \(errno)") }
        defer { close(slave) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // POSIX_SPAWN_SETSID (glibc's spawn.h: 0x80, not imported by Swift's Glibc module): a new
        // session, whose leader's first open of a terminal makes it the controlling one (Linux
        // tty_open, without O_NOCTTY) — the `exec 9<>` below.
        let setsid: Int32 = controllingTerminal ? 0x80 : 0
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setsid))
        // In $HOME (posix_spawn has no portable chdir), with a small fixed environment.
        let takeTerminal = controllingTerminal ? "exec 9<>/dev/pts/\(number) 9>&- && " : ""
        let argv = ["/bin/sh", "-c", "cd \"$0\" && \(takeTerminal)exec \"$@\"", home, shell] + arguments
        let env = ["PATH=/usr/bin:/bin", "HOME=\(home)", "LC_ALL=C", "TERM=vt100", "PS1=$ "] + environment
        var cArgv = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer { for p in cArgv + cEnv { free(p) } }
        var child: pid_t = 0
        let r = posix_spawn(&child, "/bin/sh", &actions, &attributes, &cArgv, &cEnv)
        guard r == 0 else { throw PtyError("posix_spawn: \(r)") }
        pid = child
    }

    deinit {
        kill(pid, SIGKILL)
        var s: Int32 = 0
        waitpid(pid, &s, 0)
        close(master)
        try? FileManager.default.removeItem(atPath: home)
    }

    /// What the terminal showed, with the CR of each CR LF (the pty's output processing) removed.
    var screen: String { String(decoding: output.filter { $0 != 13 }, as: UTF8.self) }

    func type(_ keys: String) {
        var bytes = Array(keys.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Reads until `condition` holds on the screen (true) or the shell's side closes or 60 s pass (false):
    /// a bound for a hung shell only, generous because `make test` runs it beside boot tests on two busy cores.
    @discardableResult
    func waitFor(timeout: TimeInterval = 60, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(screen) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(left * 1000)) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else { return condition(screen) }   // EIO: the slave side is closed
            output += buffer[0..<n]
        }
        return true
    }

    /// Waits for `text` to appear after byte `from` of the screen.
    @discardableResult
    func waitFor(_ text: String, after from: Int = 0) -> Bool {
        waitFor { String($0.utf8.dropFirst(from)).map { $0.contains(text) } ?? false }
    }

    /// The exit status once the shell ends (nil if it does not within 60 s).
    func exitStatus() -> Int32? {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            var s: Int32 = 0
            let r = waitpid(pid, &s, WNOHANG)
            if r == pid { return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f) }
            // Drain the terminal so the shell never blocks writing; poll bounds the wait.
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 50) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(master, &buffer, buffer.count)
                if n > 0 { output += buffer[0..<n] }
            }
        }
        return nil
    }
}

struct PtyError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

@Suite struct InteractiveTests {
    @Test func aCorrectedCommandRuns() throws {
        let sh = try PtySession()
        #expect(sh.waitFor("$ "))
        sh.type("echo helo\u{7f}\u{7f}llo world\r")
        #expect(sh.waitFor("\nhello world\n"), "\(sh.screen.debugDescription)")
        // The correction is shown: two BS-space-BS, then the rest.
        #expect(sh.screen.contains("echo helo\u{8} \u{8}\u{8} \u{8}llo world\n"), "\(sh.screen.debugDescription)")
    }

    @Test func historyRecallRunsTheLineAgain() throws {
        let sh = try PtySession()
        #expect(sh.waitFor("$ "))
        sh.type("echo first-$((20+22))\r")
        #expect(sh.waitFor("\nfirst-42\n$ "))
        let mark = sh.screen.utf8.count
        sh.type("\u{1b}[A")
        #expect(sh.waitFor("echo first-$((20+22))", after: mark), "the recalled line is shown")
        sh.type("\r")
        #expect(sh.waitFor("\nfirst-42\n", after: mark), "\(sh.screen.debugDescription)")
        // And it is kept in $HOME/.sh_history.
        sh.type("exit\r")
        #expect(sh.exitStatus() == 0)
        let saved = try String(contentsOfFile: sh.home + "/.sh_history", encoding: .utf8)
        #expect(saved == "echo first-$((20+22))\necho first-$((20+22))\nexit\n")
    }

    @Test func tabCompletesACommandAndAFileName() throws {
        let sh = try PtySession(files: ["uniquely-named.txt": "the file's text\n"])
        #expect(sh.waitFor("$ "))
        sh.type("ech\t")
        #expect(sh.waitFor("echo "), "\(sh.screen.debugDescription)")
        sh.type("x; cat uniq\t")
        #expect(sh.waitFor("cat uniquely-named.txt "), "\(sh.screen.debugDescription)")
        sh.type("\r")
        #expect(sh.waitFor("\nx\nthe file's text\n"), "\(sh.screen.debugDescription)")
    }

    @Test func promptsAreExpandedAndPS2ContinuesACommand() throws {
        let sh = try PtySession(environment: ["WHO=tester", "PS1=[$WHO $((6*7))]% "])
        #expect(sh.waitFor("[tester 42]% "), "\(sh.screen.debugDescription)")
        sh.type("if true\r")
        #expect(sh.waitFor("\n> "))
        sh.type("then echo yes; fi\r")
        #expect(sh.waitFor("\nyes\n[tester 42]% "), "\(sh.screen.debugDescription)")
    }

    @Test func errorsDoNotEndTheShellAndExitDoes() throws {
        let sh = try PtySession()
        #expect(sh.waitFor("$ "))
        sh.type("unset -v; readonly R=1; R=2; echo still here $?\r")
        #expect(sh.waitFor("$ ", after: sh.screen.utf8.count))
        sh.type("echo alive\r")
        #expect(sh.waitFor("\nalive\n"), "\(sh.screen.debugDescription)")
        sh.type("exit 3\r")
        #expect(sh.exitStatus() == 3)
    }

    @Test func controlDEndsAndControlCDropsTheLine() throws {
        let sh = try PtySession()
        #expect(sh.waitFor("$ "))
        sh.type("echo never\u{3}")
        #expect(sh.waitFor("^C\n$ "))
        sh.type("echo $?\r")
        // ^D once the prompt is up: typed while the terminal is still canonical (between commands)
        // it would be Linux's end-of-file mark, which a raw-mode read then returns as a NUL byte.
        #expect(sh.waitFor("\n130\n$ "))
        sh.type("\u{4}")
        #expect(sh.exitStatus() == 0, "the status of the last command, echo")
        #expect(!sh.screen.contains("\nnever\n"))
    }

    @Test func aLoginShellReadsProfileAndEveryInteractiveOneReadsENV() throws {
        let sh = try PtySession(arguments: ["-il"], environment: ["ENV=$HOME/env.sh"],
                                files: [".profile": "FROM_PROFILE=p\n", "env.sh": "FROM_ENV=e\n"])
        #expect(sh.waitFor("$ "))
        sh.type("echo $FROM_PROFILE$FROM_ENV\r")
        #expect(sh.waitFor("\npe\n"), "\(sh.screen.debugDescription)")
    }

    @Test func aFinishedBackgroundJobIsReportedBeforeThePrompt() throws {
        let sh = try PtySession()
        #expect(sh.waitFor("$ "))
        sh.type("true &\r")
        #expect(sh.waitFor("\n$ "))
        // The job may end before or after the next prompt: ask until it is reported.
        var reported = false
        // Bounded by time, not by a count of Enters: under load the job may not run for a while.
        let deadline = Date().addingTimeInterval(60)
        while !reported && Date() < deadline {
            let mark = sh.screen.utf8.count
            sh.type("\r")
            #expect(sh.waitFor("$ ", after: mark + 1), "\(sh.screen.debugDescription)")
            reported = sh.screen.contains("[1] + Done")
        }
        #expect(reported, "\(sh.screen.debugDescription)")
    }
}
