// FileBootTests.swift — files as descriptors in the real kernel: `filetests` and, from C through
// the C library, `cunix` (fork/exec/wait, pipes, posix_spawn, mmap…); `filetests`: (open's flags,
// offsets shared by dup and fork, fstat/stat, ftruncate, getdents, unlink while open, /dev, bad
// arguments, a 3 MiB file, and descriptors that survive three file-server kills) through the shell
// on the OS image, and the same session under QEMU microvm with its virtio-blk (the native path).
import Foundation
import TestSupport
import Testing

/// The counts `filetests` and `cunix` report: update them with the programs.
let fileTestCases = 76
let cUnixChecks = 37

@Test func bootFileDescriptorsPassInTheGuest() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("filetests\ncunix\nfsck\nexit\n", image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    // The same calls through the C library, from C.
    #expect(!out.contains("cunix: FAIL"), "\(out)")
    #expect(out.contains("cunix: \(cUnixChecks) of \(cUnixChecks) passed"), "\(out)")
    #expect(!out.contains("filetests: FAIL"), "\(out)")
    #expect(out.contains("filetests: \(fileTestCases) of \(fileTestCases) passed"), "\(out)")
    #expect(out.contains("filetests: ok   an unlinked open file survives 3 file server restarts"), "\(out)")
    #expect(out.contains("$ fsck\nclean: "), "\(out)")
    #expect(!out.contains("PANIC"))
    #expect(r.status == 0)
    // What the guest left is a consistent filesystem with no orphan kept.
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    #expect(try Subprocess.run(vmm, ["image", "fsck", image], timeout: 60).status == 0)
    let orphans = try Subprocess.run(vmm, ["image", "ls", image, "/.orphans"], timeout: 60)
    #expect(orphans.status != 0 || orphans.stdout.isEmpty, "orphans left: \(orphans.stdout)")
}

/// The same with fsd moving bulk data through grants (lease_map) instead of lease copies.
@Test func bootFileDescriptorsPassWithGrantsInTheFileServer() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("filetests\nexit\n", image: image, cmdline: "init=init -- sh fsd=grants")
    #expect(!r.stdout.contains("filetests: FAIL"), "\(r.stdout)")
    #expect(r.stdout.contains("filetests: \(fileTestCases) of \(fileTestCases) passed"), "\(r.stdout)")
    #expect(r.status == 0)
}

@Test func qemuRunsTheFileDescriptorTests() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try QEMU.boot(append: "init=init -- sh", microvm: true, disk: QEMU.Disk(image), input: "filetests\ncunix\nexit 5\n")
    #expect(!r.timedOut)
    #expect(r.stdout.contains("cunix: \(cUnixChecks) of \(cUnixChecks) passed"), "\(r.stdout)")
    #expect(!r.stdout.contains("filetests: FAIL"), "\(r.stdout)")
    #expect(r.stdout.contains("filetests: \(fileTestCases) of \(fileTestCases) passed"), "\(r.stdout)")
    #expect(r.status == (5 << 1) | 1)
}

/// The microkernel's promise (issue 9): `cat BIG | wc -c` with the system's programs gives the exact
/// count while the file server is killed again and again under it (and restarted by init).
@Test func aPipelineIsExactWhileTheFileServerIsKilled() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("filetests pipeline /tmp/big 32\nfsck\nexit\n", image: image, cmdline: "init=init -- sh")
    let out = r.stdout
    let line = out.split(separator: "\n").first { $0.hasPrefix("filetests: pipeline: ") }.map(String.init) ?? ""
    #expect(line.contains("gave 33554432 (expected 33554432)"), "\(out)")
    let kills = line.split(separator: " ").dropLast().last.flatMap { Int($0) } ?? 0
    #expect(kills >= 1, "the file server was never killed during the pipeline: \(line)")
    #expect(out.contains("fsd (pid"), "init restarted fsd: \(out)")
    #expect(out.contains("$ fsck\nclean: "), "\(out)")
    #expect(r.status == 0)
}
