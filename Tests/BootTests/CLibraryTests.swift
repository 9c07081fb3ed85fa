// CLibraryTests.swift — the guest's C library judged against the host's glibc: printftest prints
// each case with its result in the guest, and the same case is redone here with glibc.
import Foundation
import Glibc
import Testing
import TestSupport

/// glibc's snprintf of one double.
private func glibcFormat(_ format: String, _ value: Double) -> (text: String, count: Int32) {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
    return (String(cString: buffer), n)
}

/// glibc's strtod or strtof of `input`: the bits, the characters consumed, whether errno was ERANGE.
private func glibcParse(_ input: String, float: Bool) -> (bits: UInt64, consumed: Int, range: Bool) {
    input.withCString { p in
        var end: UnsafeMutablePointer<CChar>? = nil
        errno = 0
        let bits = float ? UInt64(strtof(p, &end).bitPattern) : strtod(p, &end).bitPattern
        let range = errno == ERANGE
        return (bits, end.map { p.distance(to: UnsafePointer($0)) } ?? 0, range)
    }
}

/// Every floating-point printf case (e f g a, both cases, random flags/width/precision, hard values,
/// NaN and infinities, random doubles) and every strtod/strtof case (printed forms, long decimals
/// near halfway points and the extremes, hex floats, malformed subjects) gives glibc's answer.
@Test func bootPrintfAndStrtodMatchGlibc() throws {
    let r = try Boot.kernel(cmdline: "init=printftest")
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("printftest: done\n"))
    var printed = 0, parsed = 0, mismatches: [String] = []
    for line in r.stdout.split(separator: "\n") {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard let kind = f.first, kind.count == 1, "PSF".contains(kind) else { continue }
        guard f.count == 5 else { mismatches.append("malformed: \(line)"); continue }
        if kind == "P" {
            printed += 1
            guard let bits = UInt64(f[2], radix: 16) else { mismatches.append("bits: \(line)"); continue }
            let want = glibcFormat(f[1], Double(bitPattern: bits))
            if want.text != f[3] || String(want.count) != f[4] {
                mismatches.append("printf(\"\(f[1])\", \(f[2])): guest '\(f[3])' (\(f[4])), glibc '\(want.text)' (\(want.count))")
            }
        } else {
            parsed += 1
            let want = glibcParse(f[1], float: kind == "F")
            let got = (UInt64(f[2], radix: 16), Int(f[3]), f[4] == "1")
            if got.0 != want.bits || got.1 != want.consumed || got.2 != want.range {
                mismatches.append("\(kind == "F" ? "strtof" : "strtod")(\"\(f[1])\"): guest \(f[2]) \(f[3]) \(f[4]), glibc \(String(want.bits, radix: 16)) \(want.consumed) \(want.range)")
            }
        }
    }
    #expect(printed > 4000 && parsed > 2000, "printed \(printed), parsed \(parsed)")
    #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
}

/// The toolchain: build/bin/swiftvm-cc compiles (-c), archives (ar) and links an ordinary C program
/// for the guest; it runs there and prints exactly what the same sources print when built by the
/// host's cc against glibc (floating-point formats, strtod, qsort, math.h), with the same exit status.
@Test func bootSwiftvmCCBuildsAProgramThatRunsInTheGuest() throws {
    let cc = try RepositoryPaths.requireBuilt("bin/swiftvm-cc")
    let sources = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-cc-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func run(_ tool: String, _ args: [String]) throws {
        let r = try Subprocess.run(tool, args, timeout: 300)
        #expect(r.status == 0, "\(tool) \(args.joined(separator: " ")): \(r.stdout)\(r.stderr)")
        if r.status != 0 { throw TestSetupError("\(tool) failed") }
    }
    let arguments = ["3.5", "-1e3", "0x1.8p1", "2.718281828459045", "1e-5", "42", "7.25"]
    // The guest build: -c, ar, then a link with -L/-l as a makefile would.
    try run(cc, ["-O2", "-c", "-o", dir + "/summary.o", sources + "/summary.c"])
    try run("/usr/bin/ar", ["rcs", dir + "/libsummary.a", dir + "/summary.o"])
    try run(cc, ["-O2", "-o", dir + "/stats", sources + "/stats.c", "-L" + dir, "-lsummary", "-lm"])
    // The same sources on the host, against glibc.
    try run("/usr/bin/cc", ["-O2", "-o", dir + "/stats-host", sources + "/stats.c", sources + "/summary.c", "-lm"])
    let host = try Subprocess.run(dir + "/stats-host", arguments, timeout: 60)
    #expect(host.status == Int32(arguments.count))
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    try run(vmm, ["initrd", dir + "/initrd.img", "stats=" + dir + "/stats"])
    let r = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", dir + "/initrd.img",
                              "--cmdline", "init=stats -- " + arguments.joined(separator: " ")])
    #expect(r.stdout.contains(host.stdout), "guest:\n\(r.stdout)\nhost:\n\(host.stdout)")
    #expect(r.stdout.contains("[kernel] init exited with status \(arguments.count) "), "\(r.stdout)")
}

/// setjmp/longjmp (assembly) and time.h (gmtime, timegm/mktime normalizing out-of-range fields,
/// strftime of every conversion, years -1991 to 3000): calendar.c built by swiftvm-cc prints in the
/// guest exactly what the host's glibc build prints with TZ=UTC (the guest's only zone).
@Test func bootSetjmpAndTimeMatchGlibc() throws {
    let cc = try RepositoryPaths.requireBuilt("bin/swiftvm-cc")
    let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/calendar.c").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (tool, args) in [(cc, ["-O2", "-o", dir + "/calendar", source]), ("/usr/bin/cc", ["-O2", "-o", dir + "/calendar-host", source])] {
        let r = try Subprocess.run(tool, args, timeout: 300)
        #expect(r.status == 0, "\(tool): \(r.stderr)")
        if r.status != 0 { return }
    }
    let host = try Subprocess.run("/usr/bin/env", ["TZ=UTC", dir + "/calendar-host"], timeout: 60)
    #expect(host.status == 0 && host.stdout.contains("setjmp returned 50 after depth 5, kept 8\nlongjmp(0) gives 1\n"))
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let pack = try Subprocess.run(vmm, ["initrd", dir + "/initrd.img", "calendar=" + dir + "/calendar"], timeout: 60)
    #expect(pack.status == 0, "\(pack.stderr)")
    let r = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", dir + "/initrd.img", "--cmdline", "init=calendar"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(host.stdout.count > 50_000)
    #expect(r.stdout.contains(host.stdout), "guest:\n\(r.stdout)\nhost:\n\(host.stdout)")
}

/// termios.h and sys/ioctl.h on the guest's terminal: CPrograms/termraw.c, built by swiftvm-cc, run
/// from the shell on ttyd's terminal (`init=init -- sh tty`, typed at over the serial console, each
/// key only once the output it answers has appeared). It reads the window size (TIOCGWINSZ: ttyd's
/// default 80x25), puts the terminal in raw mode with cfmakeraw and tcsetattr(TCSAFLUSH), reads
/// single keys — Ctrl-C a byte like any other (ISIG off), CR unchanged (ICRNL off) —, checks
/// tcgetpgrp, tcdrain, tcflush, tcflow and tcsendbreak, restores the modes with TCSADRAIN, and
/// the shell's terminal works as before.
@Test func bootTermiosRawModeFromC() throws {
    try RepositoryPaths.requireKVM()
    let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/termraw.c").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("termraw-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cc = try Subprocess.run(try RepositoryPaths.requireBuilt("bin/swiftvm-cc"), ["-O2", "-Wall", "-Werror", "-o", dir + "/termraw", source], timeout: 300)
    try #require(cc.status == 0, "\(cc.stderr)")
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let put = try Subprocess.run(vmm, ["image", "put", image, dir + "/termraw", "/tmp/termraw"], timeout: 120)
    try #require(put.status == 0, "\(put.stderr)")
    let vm = try Subprocess([vmm, "run", image, "--cmdline", "init=init -- sh tty", "--timeout", "\(Boot.guestTimeout)"], interactive: true)
    // The screen with the terminal's CR LF (ONLCR) as LF; raw mode's output has bare LFs.
    func screen() -> String { vm.stdoutSoFar().replacingOccurrences(of: "\r\n", with: "\n") }
    func waitFor(_ text: String, after mark: Int) -> Bool {
        vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) {
            String(decoding: $0.replacingOccurrences(of: "\r\n", with: "\n").utf8.dropFirst(mark), as: UTF8.self).contains(text)
        }
    }
    func type(_ keys: String, thenSee expected: String) -> Bool {
        let mark = screen().utf8.count
        vm.send(keys)
        return waitFor(expected, after: mark)
    }
    #expect(waitFor("\n$ ", after: 0), "no prompt: \(screen())")
    #expect(type("/tmp/termraw 3\n", thenSee: "window 25 rows 80 columns\nraw ready\n"), "\(screen())")
    #expect(type("q", thenSee: "key 1 71\n"), "\(screen())")
    #expect(type("\u{3}", thenSee: "key 1 03\n"), "\(screen())")
    let beforeEnter = screen().utf8.count
    vm.send("\r")
    #expect(waitFor("key 1 0d\nrestored\n", after: beforeEnter), "\(screen())")
    let prompted = vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) {
        let after = String(decoding: $0.replacingOccurrences(of: "\r\n", with: "\n").utf8.dropFirst(beforeEnter), as: UTF8.self)
        guard let restored = after.range(of: "restored\n") else { return false }
        return after[restored.upperBound...].contains("$ ")
    }
    #expect(prompted, "the shell's prompt again: \(screen())")
    #expect(!screen().contains("FAIL"), "\(screen())")
    // Canonical mode and echo are back: the shell reads a line.
    #expect(type("echo back $?\n", thenSee: "\nback 0\n"), "\(screen())")
    vm.send("exit 3\n")
    let r = vm.wait(timeoutSeconds: Boot.hostTimeout)
    #expect(r.status == 3, "\(r.stdout)")
}
