// CLibraryCoreTests.swift — the C library's everyday functions written in Swift in LibCPosix, judged
// against the host's glibc: each program in CPrograms, built by swiftvm-cc, prints in the guest
// exactly what the host's cc build of the same source prints.
//   libcore.c: ctype, the strtol family, string.h, strerror/strsignal, qsort/bsearch, the
//     environment, signal sets, snprintf/sscanf, stdout through every output call, setvbuf's
//     three modes, atexit.
//   arguments.c: getopt, getopt_long and getopt_long_only (returns, optind/optarg/optopt, glibc's
//     diagnostics, argv's permutation), then environ and main's envp through setenv, putenv,
//     unsetenv and clearenv.
import Foundation
import Glibc
import Testing
import TestSupport

/// Builds CPrograms/`name`.c for the guest and the host, runs both, and compares the guest's output
/// from its first line beginning with `firstLine` with all of the host's, line by line (a failure
/// names the first lines that differ). `hostEnding`: how the host's output must end, so that a
/// host build that stopped early cannot pass. Returns the host's output for further checks.
@discardableResult
private func expectGuestMatchesGlibc(_ name: String, firstLine: String, hostEnding: String,
                                     minimumHostBytes: Int) throws -> String {
    let cc = try RepositoryPaths.requireBuilt("bin/swiftvm-cc")
    let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/\(name).c").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (tool, args) in [(cc, ["-O2", "-o", dir + "/" + name, source]), ("/usr/bin/cc", ["-O2", "-o", dir + "/\(name)-host", source])] {
        let r = try Subprocess.run(tool, args, timeout: 300)
        #expect(r.status == 0, "\(tool): \(r.stderr)")
        if r.status != 0 { return "" }
    }
    let host = try Subprocess.run(dir + "/\(name)-host", [], timeout: 60)
    #expect(host.status == 0 && host.stdout.hasSuffix(hostEnding), "host build: status \(host.status)")
    #expect(host.stdout.utf8.count > minimumHostBytes)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let pack = try Subprocess.run(vmm, ["initrd", dir + "/initrd.img", "\(name)=" + dir + "/" + name], timeout: 60)
    #expect(pack.status == 0, "\(pack.stderr)")
    let r = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", dir + "/initrd.img", "--cmdline", "init=\(name)"])
    #expect(r.status == 0, "\(r.stderr)")
    let guestLines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let hostLines = Array(host.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast())   // after its final newline
    guard let first = guestLines.firstIndex(where: { $0.hasPrefix(firstLine) }) else {
        Issue.record("no output from \(name) in the guest:\n\(r.stdout)")
        return host.stdout
    }
    let guest = Array(guestLines[first...].prefix(hostLines.count))
    let differing = zip(guest, hostLines).enumerated().filter { $0.element.0 != $0.element.1 }
    #expect(guest.count == hostLines.count, "guest printed \(guest.count) lines, host \(hostLines.count)")
    let report = differing.prefix(30).map { "guest: \($0.element.0)\nhost:  \($0.element.1)" }.joined(separator: "\n")
    #expect(differing.isEmpty, "\(differing.count) lines differ:\n\(report)")
    return host.stdout
}

@Test func bootCLibraryCoreMatchesGlibc() throws {
    // main's last line, then what the atexit functions print as main returns (C11 5.1.2.2.3)
    let host = try expectGuestMatchesGlibc("libcore", firstLine: "ctype -1 ",
                                           hostEnding: "libcore: done\natexit: registered second, runs first\na buffered line nobody flushed\natexit: registered first, runs last\n",
                                           minimumHostBytes: 25_000)
    // setvbuf's modes make a difference the pipe sees.
    for text in ["_IOFBF: after \" line\" readable 0", "_IOLBF: after \" line\" readable 1", "_IONBF: after \"part\" readable 1",
                 "unbuffered stdout: abc"] {
        #expect(host.contains(text), "the host's output lacks \(text)")
    }
}

@Test func bootGetoptAndEnvironMatchGlibc() throws {
    let host = try expectGuestMatchesGlibc("arguments", firstLine: "envp is environ: ", hostEnding: "arguments: done\n",
                                           minimumHostBytes: 200_000)
    // The program must exercise what it claims to: permutation, each diagnostic, the environment.
    for text in ["envp is environ: 1", "invalid option -- 'z'", "option requires an argument -- 'b'",
                 "unrecognized option '--nosuch'", "is ambiguous; possibilities:", "doesn't allow an argument",
                 "end optind 4 argv: [prog] [-a] [-b] [z] [x] [y] [w]", "environ after unsetenv: [ARGT_ONE=uno] [ARGT_PUT=from putenv]"] {
        #expect(host.contains(text), "the host's output lacks \(text)")
    }
}
