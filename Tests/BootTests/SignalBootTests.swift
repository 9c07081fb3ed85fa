// SignalBootTests.swift — signals, process groups and sessions in the real kernel (issue 10):
// `sigtests` (Guest/TestPrograms/sigtests) checks each behaviour from C in the guest, and the same
// source built for the host against glibc must print the same lines; a signal storm between
// processes leaves the kernel, the file server and the shell working; `kill -l` names signals.
import Foundation
import TestSupport
import Testing

/// The checks sigtests makes: update with the program.
let signalChecks = 33

/// The lines a sigtests run prints about its checks (its "sigtests: " lines), in order.
private func checkLines(_ out: String) -> [Substring] {
    out.split(separator: "\n").filter { $0.hasPrefix("sigtests: ") }
}

@Test func bootSignalsBehaveAsOnLinuxWithGlibc() throws {
    // The host's answer first: the same program against glibc on Linux.
    let source = RepositoryPaths.root.appendingPathComponent("Guest/TestPrograms/sigtests/main.c").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sigtests-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let build = try Subprocess.run("/usr/bin/cc", ["-O2", "-o", dir + "/sigtests", source], timeout: 120)
    #expect(build.status == 0, "\(build.stderr)")
    let host = try Subprocess.run(dir + "/sigtests", [], timeout: 120)
    #expect(host.status == 0, "\(host.stdout)")
    let hostLines = checkLines(host.stdout)
    #expect(hostLines.last == "sigtests: \(signalChecks) of \(signalChecks) passed", "\(host.stdout)")

    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("sigtests\nexit\n", image: image, cmdline: "init=init -- sh")
    let guestLines = checkLines(r.stdout)
    #expect(!r.stdout.contains("sigtests: FAIL"), "\(r.stdout)")
    #expect(guestLines == hostLines, "guest:\n\(r.stdout)\nhost:\n\(host.stdout)")
    // The faults the checks provoke are reported, and the kernel goes on.
    #expect(r.stdout.contains("page fault at 0x10 (write, not mapped)"), "\(r.stdout)")
    #expect(!r.stdout.contains("PANIC"))
    #expect(r.status == 0)
}

@Test func bootSignalStormLeavesTheSystemWorking() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let script = """
        sigtests storm 3
        echo after the storm > /tmp/storm.txt
        cat /tmp/storm.txt
        kill -l
        kill -l 143
        sigtests bench 2000
        exit 4

        """
    let r = try Boot.shell(script, image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    #expect(out.contains("sigtests storm: 4 of 4 processes sent and received signals for 3 s and exited normally"), "\(out)")
    // The file server and the shell still answer, and the file reached the disk.
    #expect(out.contains("$ cat /tmp/storm.txt\nafter the storm\n"), "\(out)")
    // kill is the shell's builtin: its list as the host's dash prints it.
    let dashList = try Subprocess.run("/usr/bin/dash", ["-c", "kill -l"], timeout: 30).stdout
    #expect(dashList.hasPrefix("0\nHUP\nINT\n"), "\(dashList)")
    #expect(out.contains("$ kill -l\n" + dashList), "\(out)")
    #expect(out.contains("$ kill -l 143\nTERM\n"), "\(out)")
    #expect(out.contains("sigtests bench: 2000 signals: "), "\(out)")
    #expect(!out.contains("PANIC"))
    #expect(r.status == 4)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    #expect(try Subprocess.run(vmm, ["image", "cat", image, "/tmp/storm.txt"], timeout: 60).stdout == "after the storm\n")
}
