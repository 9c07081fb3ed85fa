// QEMU.swift — the independent VMM: boots build/kernel.elf under QEMU TCG through its PVH entry,
// the serial console on stdio, isa-debug-exit at 0xf4 (QEMU's exit status is (status << 1) | 1).
import Foundation

public enum QEMU {
    public static let path = "/usr/bin/qemu-system-x86_64"

    /// A disk for `microvm`: a raw image as its virtio-blk device.
    public struct Disk {
        public let file: String
        public let serial: String?
        public init(_ file: String, serial: String? = nil) {
            self.file = file
            self.serial = serial
        }
    }

    /// Boots the kernel with `append` as its command line. `microvm`: QEMU's microvm machine,
    /// whose virtio-mmio devices (modern, version 2) are announced on the command line;
    /// otherwise the default PC. `initrd`: pass build/initrd.img.
    public static func boot(append: String, memory: String = "256M", initrd: Bool = true, microvm: Bool = false,
                            disk: Disk? = nil, input: String? = nil, timeout: Double = 300) throws -> SubprocessResult {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TestSetupError("\(path) is missing: install qemu-system-x86 (make test does)")
        }
        var arguments: [String] = []
        if microvm { arguments += ["-M", "microvm,ioapic2=off,acpi=off", "-global", "virtio-mmio.force-legacy=false"] }
        arguments += ["-accel", "tcg", "-cpu", "max", "-m", memory, "-no-reboot", "-display", "none", "-monitor", "none",
                      "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                      "-kernel", try RepositoryPaths.requireBuilt("kernel.elf")]
        if initrd { arguments += ["-initrd", try RepositoryPaths.requireBuilt("initrd.img")] }
        arguments += ["-append", append]
        if let disk {
            arguments += ["-drive", "id=d0,file=\(disk.file),format=raw,if=none",
                          "-device", "virtio-blk-device,drive=d0" + (disk.serial.map { ",serial=\($0)" } ?? "")]
        }
        return try Subprocess.run(path, arguments, input: input, timeout: timeout)
    }
}
