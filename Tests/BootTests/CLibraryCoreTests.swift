// CLibraryCoreTests.swift — the C library's everyday functions (ctype, the strtol family, string.h,
// strerror/strsignal, qsort/bsearch, the environment, signal sets, snprintf/sscanf, stdout through
// every output call), written in Swift in LibCPosix, judged against the host's glibc:
// CPrograms/libcore.c built by swiftvm-cc prints in the guest exactly what the host's cc build prints.
import Foundation
import Glibc
import Testing
import TestSupport

@Test func bootCLibraryCoreMatchesGlibc() throws {
    let cc = try RepositoryPaths.requireBuilt("bin/swiftvm-cc")
    let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/libcore.c").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("libcore-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (tool, args) in [(cc, ["-O2", "-o", dir + "/libcore", source]), ("/usr/bin/cc", ["-O2", "-o", dir + "/libcore-host", source])] {
        let r = try Subprocess.run(tool, args, timeout: 300)
        #expect(r.status == 0, "\(tool): \(r.stderr)")
        if r.status != 0 { return }
    }
    let host = try Subprocess.run(dir + "/libcore-host", [], timeout: 60)
    // main's last line, then what the atexit functions print as main returns (C11 5.1.2.2.3)
    #expect(host.status == 0 && host.stdout.hasSuffix("libcore: done\natexit: registered second, runs first\na buffered line nobody flushed\natexit: registered first, runs last\n"))
    #expect(host.stdout.count > 25_000)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let pack = try Subprocess.run(vmm, ["initrd", dir + "/initrd.img", "libcore=" + dir + "/libcore"], timeout: 60)
    #expect(pack.status == 0, "\(pack.stderr)")
    let r = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", dir + "/initrd.img", "--cmdline", "init=libcore"])
    #expect(r.status == 0, "\(r.stderr)")
    // Line by line, so that a failure names the first lines that differ.
    let guestLines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let hostLines = Array(host.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast())   // after its final newline
    guard let first = guestLines.firstIndex(where: { $0.hasPrefix("ctype -1 ") }) else {
        Issue.record("no output from libcore in the guest:\n\(r.stdout)")
        return
    }
    let guest = Array(guestLines[first...].prefix(hostLines.count))
    let differing = zip(guest, hostLines).enumerated().filter { $0.element.0 != $0.element.1 }
    #expect(guest.count == hostLines.count, "guest printed \(guest.count) lines, host \(hostLines.count)")
    let report = differing.prefix(30).map { "guest: \($0.element.0)\nhost:  \($0.element.1)" }.joined(separator: "\n")
    #expect(differing.isEmpty, "\(differing.count) lines differ:\n\(report)")
}
