// Differential.swift — runs a case twice, with GNU coreutils (a process) and with our utility
// (in-process, HostBackend), on the same fixture files and standard input, and gives both results.
import Foundation
import Testing
import Utilities

struct RunResult: Equatable {
    var stdout: [UInt8]
    var stderr: [UInt8]
    var status: Int32

    var summary: String {
        let text = String(decoding: stdout.prefix(400), as: UTF8.self)
        return "status \(status), stdout(\(stdout.count) bytes) \(text.debugDescription), stderr \(String(decoding: stderr, as: UTF8.self).debugDescription)"
    }
}

/// One comparison: a tool, its arguments, standard input (a fixture name, or /dev/null).
struct Case: CustomTestStringConvertible, Sendable {
    var tool: String
    var arguments: [String]
    var stdin: String?
    /// LC_ALL for GNU: "C" (bytes), or "C.UTF-8" where our behaviour is the UTF-8 one (wc -m).
    var locale = "C"
    /// Also compare standard error byte for byte (the GNU-form messages: missing files).
    var exactError = false
    /// GNU's output is closed after this many bytes (yes | head -c N).
    var outputLimit: Int? = nil
    /// The working directory of both runs (nil: the fixtures'); a stdin name is relative to it.
    var directory: String? = nil
    /// More environment for both runs (TZ=UTC for the times stat and diff -u print, TMPDIR).
    var environment: [String: String] = [:]

    var testDescription: String {
        (stdin.map { "<\($0) " } ?? "") + ([tool] + arguments).map { $0.debugDescription }.joined(separator: " ")
    }

    func runGNU() throws -> RunResult {
        let process = Process()
        // through env, so that the program's name (argv[0], in its messages) is the bare name
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let directory = self.directory ?? Fixtures.directory
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["LC_ALL": locale, "PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let scratch = NSTemporaryDirectory() + "gnu-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: scratch + ".out", contents: nil)
        FileManager.default.createFile(atPath: scratch + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: scratch + ".out")
            try? FileManager.default.removeItem(atPath: scratch + ".err")
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + ".err"))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: stdin.map { directory + "/" + $0 } ?? "/dev/null")
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        let stdout = try Data(contentsOf: URL(fileURLWithPath: scratch + ".out"))
        let stderr = try Data(contentsOf: URL(fileURLWithPath: scratch + ".err"))
        return RunResult(stdout: Array(stdout), stderr: Array(stderr), status: process.terminationStatus)
    }

    func runOurs() -> RunResult {
        let io = HostIO(directory: directory ?? Fixtures.directory, stdinPath: stdin)
        if let outputLimit { io.outputLimit = outputLimit }
        io.environmentList = ["LC_ALL=" + locale, "PATH=/usr/bin:/bin"] + environment.sorted { $0.key < $1.key }.map { $0.key + "=" + $0.value }
        let status = Utilities.run(tool, arguments, io)
        return RunResult(stdout: io.stdout, stderr: io.stderr, status: status)
    }
}

func c(_ words: String..., stdin: String? = nil, locale: String = "C", exactError: Bool = false) -> Case {
    Case(tool: words[0], arguments: Array(words.dropFirst()), stdin: stdin, locale: locale, exactError: exactError)
}

/// Runs `testCase` both ways and expects identical stdout and status, stderr alike (empty or not)
/// and, for an `exactError` case, identical stderr.
func compareWithGNU(_ testCase: Case) throws {
    let gnu = try testCase.runGNU()
    let ours = testCase.runOurs()
    let sameStdout = ours.stdout == gnu.stdout
    #expect(sameStdout, "stdout differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    #expect(ours.status == gnu.status, "status differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    #expect(ours.stderr.isEmpty == gnu.stderr.isEmpty, "stderr differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    if testCase.exactError {
        let sameStderr = ours.stderr == gnu.stderr
        #expect(sameStderr, "stderr text differs\n  GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    }
}
