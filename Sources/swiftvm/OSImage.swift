// OSImage.swift — `swiftvm run os.img`: an OS image is a RedoxFS image with the kernel at
// /boot/kernel.elf and the initial ramdisk at /boot/initrd.img. The VMM boots them from the image
// (read with the same RedoxFS code the guest uses) and attaches the image as the first disk.
import ArgumentParser
import Glibc
import ImageTool

enum OSImage {
    static let kernelPath = "/boot/kernel.elf"
    static let initrdPath = "/boot/initrd.img"

    /// An ELF starts with 0x7f "ELF"; anything else that opens as RedoxFS is an image. A file that
    /// is neither is left to the kernel loader, whose error names the file.
    static func isImage(_ path: String) throws -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4) }
        if n == 4 && magic == [0x7f, 0x45, 0x4c, 0x46] { return false }
        do {
            _ = try ImageTool.open(path, writable: false)
            return true
        } catch {
            return false
        }
    }

    static func load(_ image: String) throws -> (kernel: [UInt8], initrd: [UInt8]?) {
        func file(_ path: String) throws(ImageToolError) -> [UInt8] {
            var bytes: [UInt8] = []
            try ImageTool.read(image, path: path, snapshot: nil) { (piece: [UInt8]) throws(ImageToolError) in bytes += piece }
            return bytes
        }
        do {
            let kernel = try file(kernelPath)
            let initrd = try? file(initrdPath)
            return (kernel, initrd)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
