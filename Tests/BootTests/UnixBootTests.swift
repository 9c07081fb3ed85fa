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
    #expect(try Subprocess.run(vmm, ["image", "mkdir", image, "/opt"], timeout: 60).status == 0)
    #expect(try Subprocess.run(vmm, ["image", "put", image, try RepositoryPaths.requireBuilt("hello.elf"), "/opt/hello"], timeout: 60).status == 0)
    let r = try Boot.shell("unixtests /opt/hello\nexit\n", image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    #expect(!out.contains("unixtests: FAIL"), "\(out)")
    #expect(out.contains("unixtests: ok   exec runs /opt/hello with the inherited stdout"), "\(out)")
    #expect(out.contains("unixtests: 51 of 51 passed"), "\(out)")
    #expect(!out.contains("PANIC"))
    #expect(r.status == 0)
    // The guest's wall clock is the host's (the emulated CMOS RTC, read at boot).
    let line = out.split(separator: "\n").first { $0.hasPrefix("unixtests: realtime ") }
    let guestTime = line.flatMap { Int($0.dropFirst("unixtests: realtime ".count)) }
    #expect(guestTime.map { abs($0 - Int(Date().timeIntervalSince1970)) < 30 } == true, "guest time \(String(describing: line))")
}

@Test func qemuRunsTheUnixProcessCalls() throws {
    let r = try QEMU.boot(append: "init=unixtests")
    #expect(!r.timedOut)
    #expect(!r.stdout.contains("unixtests: FAIL"), "\(r.stdout)")
    #expect(r.stdout.contains("unixtests: 46 of 46 passed"), "\(r.stdout)")
    #expect(r.status == (0 << 1) | 1, "init's status is the failure count")
    // QEMU's RTC answers in BCD: the kernel converts it; the date is today's.
    let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("unixtests: realtime ") }
    let guestTime = line.flatMap { Int($0.dropFirst("unixtests: realtime ".count)) }
    #expect(guestTime.map { abs($0 - Int(Date().timeIntervalSince1970)) < 30 } == true, "guest time \(String(describing: line))")
}

/// The whole system under the independent VMM: QEMU's microvm announces its virtio-mmio devices
/// on the command line without their type, which the kernel reads from each device; init then
/// finds the disk and starts blkd and fsd, and a shell session works with files. The host reads
/// what the guest wrote.
@Test func qemuRunsTheWholeSystemWithItsDiskAndShell() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let script = "ls /boot\nmkdir /from-qemu\necho written under qemu > /from-qemu/note.txt\ncat /from-qemu/note.txt\nfsck\nexit 3\n"
    let r = try QEMU.boot(append: "init=init -- sh", microvm: true, disk: QEMU.Disk(image), input: script)
    let out = r.stdout
    #expect(!r.timedOut)
    #expect(out.contains("virtio id 2"), "\(out)")
    #expect(out.contains("fsd: serving RedoxFS generation"), "\(out)")
    #expect(out.contains("$ ls /boot\ninitrd.img\nkernel.elf\n"), "\(out)")
    #expect(out.contains("$ cat /from-qemu/note.txt\nwritten under qemu\n"), "\(out)")
    #expect(out.contains("$ fsck\nclean: "), "\(out)")
    #expect(r.status == (3 << 1) | 1)
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    #expect(try Subprocess.run(vmm, ["image", "cat", image, "/from-qemu/note.txt"], timeout: 60).stdout == "written under qemu\n")
    #expect(try Subprocess.run(vmm, ["image", "fsck", image], timeout: 60).status == 0)
}
