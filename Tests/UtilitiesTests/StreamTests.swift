// StreamTests.swift — the utilities whose output is not just standard output: yes (endless, ended
// by its reader, as in `yes | head -c N`) and tee (files written beside standard output). Each is
// compared with GNU coreutils run the same way.
import Foundation
import Testing
import Utilities

/// Runs a shell command line in the fixture directory; its standard output.
func shell(_ command: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = URL(fileURLWithPath: Fixtures.directory)
    process.environment = ["LC_ALL": "C", "PATH": "/usr/bin:/bin"]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}

@Suite struct UtilitiesStreamTests {
    @Test(arguments: [[], ["abc"], ["a", "b c"], [""]])
    func yesEndsWhenItsReaderDoes(_ words: [String]) throws {
        let limit = 200_000
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let gnu = try shell("yes \(quoted) | head -c \(limit)")
        let io = HostIO(directory: Fixtures.directory, stdinPath: nil)
        io.outputLimit = limit
        let status = Utilities.run("yes", words, io)
        #expect(gnu.count == limit)
        let same = io.stdout == gnu
        #expect(same, "yes \(words): \(io.stdout.count) bytes, starting \(String(decoding: io.stdout.prefix(20), as: UTF8.self).debugDescription)")
        #expect(status == 1, "a closed output ends yes with a failure status (GNU dies of SIGPIPE)")
        #expect(io.stderr.isEmpty, "a closed pipe is not reported")
    }

    @Test(arguments: [("big", false), ("binary", false), ("empty", false), ("lines", true)])
    func teeCopiesToFilesAndOutput(_ input: String, _ append: Bool) throws {
        let tag = "\(input)-\(append)"
        let ours = ["tee-ours-\(tag)-1", "tee-ours-\(tag)-2"], gnu = ["tee-gnu-\(tag)-1", "tee-gnu-\(tag)-2"]
        if append {
            for name in ours + gnu { try Data("before\n".utf8).write(to: URL(fileURLWithPath: Fixtures.directory + "/" + name)) }
        }
        let flag = append ? "-a " : ""
        let gnuOut = try shell("tee \(flag)\(gnu[0]) \(gnu[1]) < \(input)")
        let io = HostIO(directory: Fixtures.directory, stdinPath: input)
        let status = Utilities.run("tee", (append ? ["-a"] : []) + ours, io)
        #expect(status == 0)
        let sameOutput = io.stdout == gnuOut
        #expect(sameOutput)
        for (o, g) in zip(ours, gnu) {
            let a = try Data(contentsOf: URL(fileURLWithPath: Fixtures.directory + "/" + o))
            let b = try Data(contentsOf: URL(fileURLWithPath: Fixtures.directory + "/" + g))
            #expect(a == b, "\(o) differs from GNU's \(g)")
            #expect(b.count >= Array(gnuOut).count)
        }
    }

    @Test func teeReportsAFileItCannotCreateAndGoesOn() throws {
        let io = HostIO(directory: Fixtures.directory, stdinPath: "lines")
        let status = Utilities.run("tee", ["nodir/x", "tee-ok"], io)
        #expect(status == 1)
        #expect(String(decoding: io.stderr, as: UTF8.self) == "tee: nodir/x: No such file or directory\n")
        let written = try Data(contentsOf: URL(fileURLWithPath: Fixtures.directory + "/tee-ok"))
        let lines = try Data(contentsOf: URL(fileURLWithPath: Fixtures.directory + "/lines"))
        #expect(written == lines)
        #expect(Data(io.stdout) == lines)
    }
}
