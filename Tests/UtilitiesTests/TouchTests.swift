// TouchTests.swift — touch (Utilities/Touch.swift) against GNU coreutils' touch: each case runs in
// two fresh directories holding the same files with the same times, GNU's touch (TZ=UTC) in one
// and ours in the other; the status, standard error (GNU's messages, program name and all), and
// afterwards which files exist and their access and modification times must be the same. Cases
// that set the time to "now" compare the times as "within a minute of the run" instead.
import Foundation
import Glibc
import Testing
import Utilities

/// UTIME_OMIT (Linux's stat.h: ((1l << 30) - 2l)), which Swift's Glibc module does not import.
private let utimeOmit = (1 << 30) - 2

extension HostIO: TimeIO {
    func setTimes(_ path: String, accessed: Timestamp?, modified: Timestamp?) -> Result<Void, SystemError> {
        func spec(_ t: Timestamp?) -> timespec {
            t.map { timespec(tv_sec: Int($0.seconds), tv_nsec: Int($0.nanoseconds)) } ?? timespec(tv_sec: 0, tv_nsec: utimeOmit)
        }
        var times = [spec(accessed), spec(modified)]
        return utimensat(AT_FDCWD, resolve(path), &times, 0) == 0 ? .success(()) : .failure(SystemError(errno))
    }

    func createFile(_ path: String) -> Result<Void, SystemError> {
        let fd = Glibc.open(resolve(path), O_WRONLY | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return .failure(SystemError(errno)) }
        Glibc.close(fd)
        return .success(())
    }
}

struct TouchCase: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    /// The times are "now": compared with the clock, not with GNU's exactly.
    var now = false
    var testDescription: String { (["touch"] + arguments).joined(separator: " ") }
}

/// The starting files: their access and modification times are fixed (not those of the run).
private let touchFiles = ["a.txt": (atime: 1_000_000_000, mtime: 1_100_000_000), "b.txt": (atime: 1_200_000_000, mtime: 1_300_000_000)]

private let touchCases: [TouchCase] = [
    TouchCase(arguments: ["-d", "2020-01-01", "old.f"]),
    TouchCase(arguments: ["-d", "2020-01-01 12:34:56", "a.txt", "new"]),
    TouchCase(arguments: ["-d", "2021-02-03T04:05", "a.txt"]),
    TouchCase(arguments: ["-d", "@86400", "-m", "a.txt"]),
    TouchCase(arguments: ["-d", "@86400", "-a", "a.txt"]),
    TouchCase(arguments: ["--date=@123456789", "b.txt"]),
    TouchCase(arguments: ["-t", "202001011230.45", "x"]),
    TouchCase(arguments: ["-t", "0001011230", "x"]),
    TouchCase(arguments: ["-t", "6912311230", "x"]),
    TouchCase(arguments: ["-t", "200002291200", "leap"]),
    TouchCase(arguments: ["-t", "200102291200", "x"]),
    TouchCase(arguments: ["-t", "2020", "x"]),
    TouchCase(arguments: ["-t", "20201301.00", "x"]),
    TouchCase(arguments: ["-r", "b.txt", "a.txt", "c"]),
    TouchCase(arguments: ["-r", "missing", "x"]),
    TouchCase(arguments: ["-d", "not a date", "x"]),
    TouchCase(arguments: ["-d", "2020-02-30", "x"]),
    TouchCase(arguments: ["-d", "@0", "-t", "202001010000", "x"]),
    TouchCase(arguments: ["-c", "-d", "@0", "missing", "a.txt"]),
    TouchCase(arguments: ["-d", "@5", "nodir/x", "a.txt"]),
    TouchCase(arguments: ["-d", "@5"]),
    TouchCase(arguments: []),
    TouchCase(arguments: ["-q", "x"]),
    TouchCase(arguments: ["fresh", "a.txt"], now: true),
    TouchCase(arguments: ["-c", "nothing"], now: true),
]

@Suite struct TouchDifferentialTests {
    /// A fresh directory with the starting files.
    static func prepare() throws -> String {
        let dir = NSTemporaryDirectory() + "touch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, t) in touchFiles {
            #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(name.utf8)))
            var times = [timespec(tv_sec: t.atime, tv_nsec: 0), timespec(tv_sec: t.mtime, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, dir + "/" + name, &times, 0) == 0)
        }
        return dir
    }

    /// Every file's name with its access and modification times (seconds) and its mode.
    static func state(_ dir: String) throws -> [String: (Int, Int, UInt32)] {
        var result: [String: (Int, Int, UInt32)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            var s = stat()
            #expect(stat(dir + "/" + name, &s) == 0)
            result[name] = (s.st_atim.tv_sec, s.st_mtim.tv_sec, s.st_mode)
        }
        return result
    }

    @Test(arguments: touchCases) func touchMatchesGNU(_ t: TouchCase) throws {
        let gnuDir = try Self.prepare(), ourDir = try Self.prepare()
        defer { try? FileManager.default.removeItem(atPath: gnuDir); try? FileManager.default.removeItem(atPath: ourDir) }
        let gnu = try Case(tool: "touch", arguments: t.arguments, stdin: nil, directory: gnuDir, environment: ["TZ": "UTC"]).runGNU()
        let io = HostIO(directory: ourDir, stdinPath: nil)
        let status = Touch.run(t.arguments, io)
        #expect(status == gnu.status, "status: ours \(status), GNU's \(gnu.status)")
        #expect(io.stdout.isEmpty && gnu.stdout.isEmpty)
        #expect(String(decoding: io.stderr, as: UTF8.self) == String(decoding: gnu.stderr, as: UTF8.self))
        let gnuState = try Self.state(gnuDir), ourState = try Self.state(ourDir)
        #expect(gnuState.keys.sorted() == ourState.keys.sorted(), "files: ours \(ourState.keys.sorted()), GNU's \(gnuState.keys.sorted())")
        let now = Int(Date().timeIntervalSince1970)
        for (name, g) in gnuState {
            guard let o = ourState[name] else { continue }
            #expect(o.2 == g.2, "\(name): mode ours \(String(o.2, radix: 8)), GNU's \(String(g.2, radix: 8))")
            if t.now && touchFiles[name] == nil || t.now && t.arguments.contains(name) {
                #expect(abs(o.0 - now) < 60 && abs(o.1 - now) < 60 && abs(g.1 - now) < 60, "\(name): ours \(o), GNU's \(g), now \(now)")
            } else {
                #expect(o.0 == g.0 && o.1 == g.1, "\(name): ours (atime, mtime) \(o), GNU's \(g)")
            }
        }
    }
}
