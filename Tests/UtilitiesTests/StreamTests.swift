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

/// tail -f: what another process appends after the first pass is printed, headed by its file's
/// name when it is not the file printed last (GNU's form, as toybox's tests expect it). The
/// follow loop ends when its output fails, so a short output limit ends the test.
@Suite struct UtilitiesFollowTests {
    func scratchDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "tail-f-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Appends `text` to `path` from another thread once `ready` holds (the first pass printed).
    func append(_ text: String, to path: String, when ready: @escaping @Sendable () -> Bool) {
        Thread.detachNewThread {
            while !ready() { usleep(1000) }
            let handle = FileHandle(forWritingAtPath: path)!
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        }
    }

    /// The failure bound: a tail -f that misses the appends would follow forever; after 30 s a
    /// block past any output limit is appended to `path`, which ends it (and fails the test).
    func watchdog(_ path: String) {
        Thread.detachNewThread {
            sleep(30)
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data(repeating: UInt8(ascii: "x"), count: 4096))
            try? handle.close()
        }
    }

    @Test func followPrintsAppendedLines() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/one", contents: Data("111\n".utf8))
        let io = HostIO(directory: directory, stdinPath: nil)
        let expected = Array("111\ntwo\n".utf8)
        io.outputLimit = expected.count - 1   // the last byte fails: tail -f stops there
        let started = LockedFlag()
        io.outputObserver = { if $0 >= 4 { started.value = true } }
        append("two\n", to: directory + "/one") { started.value }
        watchdog(directory + "/one")
        let status = Utilities.run("tail", ["-f", "-s", "0.01", "one"], io)
        #expect(io.stdout == Array(expected.dropLast()), "\(String(decoding: io.stdout, as: UTF8.self).debugDescription)")
        #expect(status == 1, "a closed output ends tail -f")
    }

    @Test func followHeadsAppendsWithTheirFile() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, text) in [("one", "uno\n"), ("two", "dos\n")] {
            FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(text.utf8))
        }
        let io = HostIO(directory: directory, stdinPath: nil)
        let expected = Array("==> one <==\nuno\n\n==> two <==\ndos\nmore\n\n==> one <==\nalso\n".utf8)
        io.outputLimit = expected.count - 1
        let first = "==> one <==\nuno\n\n==> two <==\ndos\n".utf8.count
        let started = LockedFlag(), shownMore = LockedFlag()
        io.outputObserver = { count in
            if count >= first { started.value = true }
            if count >= first + 5 { shownMore.value = true }
        }
        // "more" to two (the file printed last: no header) once the first pass is out, then
        // "also" to one once "more" is (a header)
        append("more\n", to: directory + "/two") { started.value }
        append("also\n", to: directory + "/one") { shownMore.value }
        watchdog(directory + "/one")
        _ = Utilities.run("tail", ["-f", "-s", "0.01", "one", "two"], io)
        #expect(io.stdout == Array(expected.dropLast()), "\(String(decoding: io.stdout, as: UTF8.self).debugDescription)")
    }

    @Test(arguments: ["x", "-1", "1.2.3", ""]) func followRefusesABadInterval(_ interval: String) throws {
        let io = HostIO(directory: Fixtures.directory, stdinPath: nil)
        let status = Utilities.run("tail", ["-f", "-s", interval, "lines"], io)
        #expect(status == 1 && !io.stderr.isEmpty && io.stdout.isEmpty)
    }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool {
        get { lock.withLock { flag } }
        set { lock.withLock { flag = newValue } }
    }
}
