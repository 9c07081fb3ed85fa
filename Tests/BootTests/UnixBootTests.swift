// UnixBootTests.swift — the Unix process calls in the real kernel: `unixtests` (pipes,
// descriptors, fork, waitpid, exec of an ELF read from the filesystem, a fork bomb) through the
// shell on the OS image, and the same program as init under QEMU TCG (the native x86-64 path).
import Foundation
import TestSupport
import Testing

@Test func bootUnixProcessCallsPassInTheGuest() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    // A program put onto the image with the host tool is what exec loads.
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    #expect(try Subprocess.run(vmm, ["image", "mkdir", image, "/bin"], timeout: 60).status == 0)
    #expect(try Subprocess.run(vmm, ["image", "put", image, try RepositoryPaths.requireBuilt("hello.elf"), "/bin/hello"], timeout: 60).status == 0)
    let r = try Boot.shell("unixtests /bin/hello\nexit\n", image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    #expect(!out.contains("unixtests: FAIL"), "\(out)")
    #expect(out.contains("unixtests: ok   exec runs /bin/hello with the inherited stdout"), "\(out)")
    #expect(out.contains("unixtests: 25 of 25 passed"), "\(out)")
    #expect(!out.contains("PANIC"))
    #expect(r.status == 0)
}

@Test func qemuRunsTheUnixProcessCalls() throws {
    let qemu = "/usr/bin/qemu-system-x86_64"
    guard FileManager.default.fileExists(atPath: qemu) else { throw TestSetupError("\(qemu) is missing: install qemu-system-x86 (make test does)") }
    let r = try Subprocess.run(qemu, [
        "-accel", "tcg", "-cpu", "max", "-m", "256M", "-no-reboot", "-display", "none", "-monitor", "none",
        "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-kernel", try RepositoryPaths.requireBuilt("kernel.elf"), "-initrd", try RepositoryPaths.requireBuilt("initrd.img"),
        "-append", "init=unixtests",
    ], timeout: 300)
    #expect(!r.timedOut)
    #expect(!r.stdout.contains("unixtests: FAIL"), "\(r.stdout)")
    #expect(r.stdout.contains("unixtests: 23 of 23 passed"), "\(r.stdout)")
    #expect(r.status == (0 << 1) | 1, "init's status is the failure count")
}
