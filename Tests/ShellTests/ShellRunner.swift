// ShellRunner.swift — runs a script under a shell in a fresh, prepared temporary directory and
// captures what the differential tests compare: stdout, whether stderr is empty, the exit status.
import Foundation

struct ShellResult: Equatable {
    var stdout: Data
    var stderr: Data
    var status: Int32

    /// The comparison the corpus makes: stdout byte for byte, stderr only as empty / not empty.
    func matches(_ other: ShellResult) -> Bool {
        stdout == other.stdout && stderr.isEmpty == other.stderr.isEmpty && status == other.status
    }

    var summary: String {
        "status \(status), stdout \(String(decoding: stdout, as: UTF8.self).debugDescription), stderr \(String(decoding: stderr, as: UTF8.self).debugDescription)"
    }
}

enum ShellRunner {
    /// The swiftvm-sh binary next to the test bundle (swift build puts every product in one
    /// directory; the test target depends on the executable, so `swift test` builds it).
    static let swiftvmSh: String = {
        var exe = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &exe, exe.count - 1)
        let testBinary = String(decoding: exe[0..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let directory = testBinary.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory + "/swiftvm-sh"
    }()

    static let dash = "/usr/bin/dash"

    /// A fresh directory holding `work/` (the script's cwd, with fixture files) and the script.
    static func prepare(_ root: String, script: Data) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: root)
        let work = root + "/work"
        try fm.createDirectory(atPath: work + "/sub/deeper", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: work + "/emptydir", withIntermediateDirectories: true)
        let files: [(String, String)] = [
            ("a.txt", "alpha\nbeta\ngamma\n"), ("b.txt", "one two three\n"), ("c.log", "log line\n"),
            ("sp ace.txt", "spaced\n"), (".hidden", "secret\n"), ("sub/x.txt", "x\n"), ("sub/y.dat", "y\n"),
            ("sub/deeper/z.txt", "z\n"), ("numbers", "3\n1\n2\n10\n"),
            ("data.csv", "name,age\nann,31\nbob,27\ncid,45\n"),
        ]
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: work + "/" + name)) }
        let exe = work + "/tool.sh"
        try Data("#!/bin/sh\necho tool: \"$@\"\nexit 3\n".utf8).write(to: URL(fileURLWithPath: exe))
        chmod(exe, 0o755)
        try script.write(to: URL(fileURLWithPath: root + "/script.sh"))
    }

    /// Runs `shell ../script.sh` in root/work with a fixed environment, stdin /dev/null, killed
    /// after `timeout` seconds (status 137 then). Spawned with every signal unblocked and at its
    /// default (posix_spawn SETSIGMASK/SETSIGDEF): the test runner's threads block some signals,
    /// and a shell must be tested as it runs from a terminal or a service manager.
    static func run(_ shell: String, in root: String, timeout: Int = 20, arguments: [String] = ["../script.sh"]) throws -> ShellResult {
        let outPath = root + "/stdout", errPath = root + "/stderr"
        // /bin/sh changes directory (posix_spawn has no portable chdir action), closes 3–9 and
        // execs timeout. Descriptors inherited from whatever started the test run, or opened by
        // another test thread between markDescriptorsCloseOnExec and the spawn, would change what
        // `>&7` or `exec 3>` does in the scripts (the tests use 3–9).
        let argv = ["/bin/sh", "-c", "cd \"$0\" && exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- && exec \"$@\"", root + "/work",
                    "/usr/bin/timeout", "-s", "KILL", String(timeout), shell] + arguments
        let env = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(root)/work", "LC_ALL=C", "PWD=\(root)/work",
                   "TESTVAR=from environment"]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        markDescriptorsCloseOnExec()
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup($0) } + [nil]
        defer { for p in cArgv + cEnv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgv, cEnv)
        guard rc == 0 else { throw CocoaError(.executableLoad) }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        let status = waitStatus & 0x7f == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
        return ShellResult(stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
                           stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(),
                           status: status)
    }

    /// Nothing of the test process may leak into the shells (an inherited fd 7 changes what
    /// `>&7` does): every descriptor above 2 becomes close-on-exec.
    static func markDescriptorsCloseOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Runs the script under dash and under swiftvm-sh, each in the same freshly prepared path.
    static func compare(_ name: String, _ script: Data) throws -> (dash: ShellResult, ours: ShellResult) {
        let root = NSTemporaryDirectory() + "swiftvm-shell-tests-\(getpid())/" + name.replacingOccurrences(of: "/", with: "_")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try prepare(root, script: script)
        let d = try run(dash, in: root)
        try prepare(root, script: script)
        let o = try run(swiftvmSh, in: root)
        return (d, o)
    }
}
