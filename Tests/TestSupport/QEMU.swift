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

    /// Starts QEMU's microvm with the kernel, the initrd and a virtio-console (QEMU's virtio-serial
    /// with one port, a virtconsole — not MULTIPORT, no F_SIZE) on stdio, for a test that types at
    /// it (`send`) and reads its output; the 16550 (the kernel's own messages) goes to `serialLog`.
    public static func startWithVirtioConsole(append: String, serialLog: String, memory: String = "256M", disk: Disk? = nil) throws -> Subprocess {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TestSetupError("\(path) is missing: install qemu-system-x86 (make test does)")
        }
        let arguments = [path, "-M", "microvm,ioapic2=off,acpi=off", "-global", "virtio-mmio.force-legacy=false",
                         "-accel", "tcg", "-cpu", "max", "-m", memory, "-no-reboot", "-display", "none", "-monitor", "none",
                         "-serial", "file:" + serialLog, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                         "-chardev", "stdio,id=console0", "-device", "virtio-serial-device,max_ports=1",
                         "-device", "virtconsole,chardev=console0",
                         "-kernel", try RepositoryPaths.requireBuilt("kernel.elf"),
                         "-initrd", try RepositoryPaths.requireBuilt("initrd.img"), "-append", append]
        let drive = disk.map { ["-drive", "id=d0,file=\($0.file),format=raw,if=none",
                                "-device", "virtio-blk-device,drive=d0" + ($0.serial.map { ",serial=\($0)" } ?? "")] } ?? []
        return try Subprocess(arguments + drive, interactive: true)
    }
}
