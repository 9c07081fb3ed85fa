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
    /// after `timeout` seconds (status 137 then).
    static func run(_ shell: String, in root: String, timeout: Int = 20, arguments: [String] = ["../script.sh"]) throws -> ShellResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["-s", "KILL", String(timeout), shell] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: root + "/work")
        p.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root + "/work", "LC_ALL": "C",
                         "PWD": root + "/work", "TESTVAR": "from environment"]
        let outPath = root + "/stdout", errPath = root + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        p.standardError = FileHandle(forWritingAtPath: errPath)
        try p.run()
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return ShellResult(stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
                           stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(),
                           status: status)
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
