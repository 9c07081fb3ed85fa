// FileBootTests.swift — files as descriptors in the real kernel: `filetests` (open's flags,
// offsets shared by dup and fork, fstat/stat, ftruncate, getdents, unlink while open, /dev, bad
// arguments, a 3 MiB file, and descriptors that survive three file-server kills) through the shell
// on the OS image, and the same session under QEMU microvm with its virtio-blk (the native path).
import Foundation
import TestSupport
import Testing

/// The count `filetests` reports: update it with the program.
let fileTestCases = 70

@Test func bootFileDescriptorsPassInTheGuest() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try Boot.shell("filetests\nfsck\nexit\n", image: image, cmdline: "init=init -- sh")
    let out = r.stdout
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

@Test func qemuRunsTheFileDescriptorTests() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let r = try QEMU.boot(append: "init=init -- sh", microvm: true, disk: QEMU.Disk(image), input: "filetests\nexit 5\n")
    #expect(!r.timedOut)
    #expect(!r.stdout.contains("filetests: FAIL"), "\(r.stdout)")
    #expect(r.stdout.contains("filetests: \(fileTestCases) of \(fileTestCases) passed"), "\(r.stdout)")
    #expect(r.status == (5 << 1) | 1)
}
