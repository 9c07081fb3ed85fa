// BackgroundProcess.swift — a child process that runs while the test does something else (the VMM
// while gdb talks to it), with its output captured and a deadline on waiting for it.
import Foundation

public final class BackgroundProcess: @unchecked Sendable {
    let process = Process()
    let outFile: URL
    let errFile: URL

    public init(_ executable: String, _ arguments: [String]) throws {
        let dir = FileManager.default.temporaryDirectory
        outFile = dir.appendingPathComponent("bg-\(UUID().uuidString).out")
        errFile = dir.appendingPathComponent("bg-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits up to `timeout` seconds; kills the process if it is still running then.
    public func wait(timeout: TimeInterval) -> SubprocessResult {
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        let out = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outFile)
        try? FileManager.default.removeItem(at: errFile)
        return SubprocessResult(status: process.terminationStatus, stdout: out, stderr: err, timedOut: timedOut)
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }
}

/// Waits until `path` exists (a socket a child creates), up to `timeout` seconds.
public func waitForFile(_ path: String, timeout: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if FileManager.default.fileExists(atPath: path) { return true }
        usleep(20_000)
    }
    return false
}
