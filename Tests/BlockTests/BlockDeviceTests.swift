// BlockDeviceTests.swift — the guest's ring-3 virtio-blk driver (`blktest`) against a disk image the
// host wrote with a known pattern, checked afterwards byte for byte: on QEMU's own virtio-mmio block
// device under TCG (the independent implementation), and on swiftvm's.
import Foundation
import TestSupport
import Testing

/// Byte `offset` of the test disk (the same formula as Guest/TestPrograms/blktest/main.swift).
func diskPattern(_ offset: Int) -> UInt8 { UInt8(truncatingIfNeeded: (offset >> 9) &* 31 &+ (offset & 511) &* 7 &+ 1) }

/// The sectors blktest overwrites with pattern ^ 0xa5.
let overwritten = 100..<400

func makeDisk(sectors: Int) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("blk-\(UUID().uuidString.prefix(8)).img").path
    var data = [UInt8](repeating: 0, count: sectors * 512)
    for i in 0..<data.count { data[i] = diskPattern(i) }
    guard FileManager.default.createFile(atPath: path, contents: Data(data)) else { throw TestSetupError("cannot write \(path)") }
    return path
}

/// Every byte is the pattern, except the overwritten sectors, which are pattern ^ 0xa5.
func verifyDisk(_ path: String) throws -> Int {
    let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var wrong = 0
    for i in 0..<data.count {
        let expected = overwritten.contains(i / 512) ? diskPattern(i) ^ 0xa5 : diskPattern(i)
        if data[i] != expected { wrong += 1 }
    }
    return wrong
}

func expectBlktestTranscript(_ out: String) {
    #expect(out.contains("blktest: capacity 32768 sectors"), "\(out)")
    #expect(out.contains("blktest: read 32768 sectors, 0 bytes differ from the pattern"))
    #expect(out.contains("blktest: wrote 300 sectors in 38 requests (38 ok), flush status 0"))
    #expect(out.contains("blktest: read back 300 sectors, status 0, 0 bytes differ"))
    #expect(out.contains("blktest: read past the end: status 1"))
    #expect(out.contains("blktest: PASS"))
}

/// The guest's own --timeout: it powers off when done, so this only bounds a hung guest; generous
/// because these tests run in parallel with QEMU TCG ones on a loaded machine.
let guestTimeout = 300

@Test func qemuVirtioBlockDeviceAgreesWithOurDriver() throws {
    let disk = try makeDisk(sectors: 32768)
    defer { try? FileManager.default.removeItem(atPath: disk) }
    // microvm: virtio-mmio devices, announced on the command line (acpi=off), modern (version 2).
    let r = try QEMU.boot(append: "init=blktest", microvm: true, disk: QEMU.Disk(disk, serial: "swiftvm-disk0"))
    #expect(!r.timedOut)
    expectBlktestTranscript(r.stdout)
    #expect(r.stdout.contains("get-id status 0, id \"swiftvm-disk0\""))
    #expect(r.status == (0 << 1) | 1)
    #expect(try verifyDisk(disk) == 0)
}

@Test func swiftvmVirtioBlockDeviceServesTheSameDriver() throws {
    try RepositoryPaths.requireKVM()
    let disk = try makeDisk(sectors: 32768)
    defer { try? FileManager.default.removeItem(atPath: disk) }
    let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), [
        "run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", try RepositoryPaths.requireBuilt("initrd.img"),
        "--cmdline", "init=blktest", "--disk", "\(disk),serial=swiftvm-disk0", "--no-input", "--timeout", "\(guestTimeout)",
    ], timeout: TimeInterval(guestTimeout + 60))
    expectBlktestTranscript(r.stdout)
    #expect(r.stdout.contains("get-id status 0, id \"swiftvm-disk0\""))
    // The device reported the out-of-range read (rate-limited guest-error log).
    #expect(r.stderr.contains("beyond capacity 32768"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try verifyDisk(disk) == 0)
}

@Test func swiftvmReadOnlyDiskRefusesWrites() throws {
    try RepositoryPaths.requireKVM()
    let disk = try makeDisk(sectors: 64)
    defer { try? FileManager.default.removeItem(atPath: disk) }
    let before = try Data(contentsOf: URL(fileURLWithPath: disk))
    let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), [
        "run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", try RepositoryPaths.requireBuilt("initrd.img"),
        "--cmdline", "init=blktest -- readonly", "--disk", "\(disk),ro", "--no-input", "--timeout", "\(guestTimeout)",
    ], timeout: TimeInterval(guestTimeout + 60))
    #expect(r.stdout.contains("blktest: read-only: read status 0, write status 1, read again status 0, data intact: true"), "\(r.stdout)")
    #expect(r.status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: disk)) == before)
}

@Test func swiftvmRejectsABadDiskOption() throws {
    let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), [
        "run", try RepositoryPaths.requireBuilt("kernel.elf"), "--disk", "/tmp/x.img,rw",
    ], timeout: 30)
    #expect(r.status != 0)
    #expect(r.stderr.contains("--disk /tmp/x.img,rw: unknown option 'rw'"))
}

@Test func swiftvmMissingDiskFileIsAOneLineError() throws {
    try RepositoryPaths.requireKVM()
    let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), [
        "run", try RepositoryPaths.requireBuilt("kernel.elf"), "--disk", "/nonexistent/disk.img", "--no-input",
    ], timeout: 30)
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("swiftvm: /nonexistent/disk.img: "))
    #expect(r.stderr.split(separator: "\n").count == 1)
}
