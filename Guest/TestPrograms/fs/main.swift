// fs — RedoxFS in a ring-3 guest program, on the first virtio-blk disk through the ring-3 driver:
// the same filesystem core as `swiftvm image`. (The seed of the filesystem server.)
//   fs ls PATH            list a directory
//   fs cat PATH           print a file
//   fs write PATH TEXT…   create or replace a file with the words of TEXT, and commit
//   fs check              verify every checksum and invariant (fsck), from inside the guest
import DiskBlocks
import RedoxFS
import UserLib
import VirtioDriver

func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

func fail(_ message: String) -> Never {
    print("fs: " + message)
    System.exit(1)
}

let arguments = System.arguments
guard arguments.count >= 2 else { fail("usage: fs ls PATH | cat PATH | write PATH TEXT… | check") }
guard let disk = BlockDriver(), let blocks = DiskBlocks(disk) else { fail("no virtio-blk disk") }
func mount(_ blocks: DiskBlocks, writable: Bool) -> FileSystem<DiskBlocks> {
    do {
        return try FileSystem.mount(blocks, options: MountOptions(readOnly: !writable))
    } catch {
        fail("cannot mount the disk: \(error.description)")
    }
}

func run(_ filesystem: FileSystem<DiskBlocks>) throws(FSError) {
    switch arguments[1] {
    case "ls" where arguments.count == 3:
        for entry in try filesystem.list(arguments[2]) {
            let suffix = entry.kind == .directory ? "/" : entry.kind == .symlink ? "@" : ""
            print(string(entry.name) + suffix)
        }
    case "cat" where arguments.count == 3:
        let info = try filesystem.stat(arguments[2])
        var offset: UInt64 = 0
        while offset < info.size {
            let piece = try filesystem.read(id: info.id, at: offset, count: 1 << 16)
            if piece.isEmpty { break }
            System.write(1, piece)
            offset += UInt64(piece.count)
        }
    case "write" where arguments.count >= 4:
        let path = Array(arguments[2].utf8)
        var text: [UInt8] = []
        for (i, word) in arguments[3...].enumerated() {
            if i > 0 { text.append(UInt8(ascii: " ")) }
            text += Array(word.utf8)
        }
        text.append(UInt8(ascii: "\n"))
        if (try? filesystem.stat(path)) != nil { try filesystem.unlink(path) }
        let id = try filesystem.createFile(path)
        try filesystem.write(id: id, at: 0, text)
        try filesystem.commit()
        print("fs: wrote \(text.count) bytes to \(arguments[2]) and committed")
    case "check":
        let report = try filesystem.check()
        for problem in report.problems { print("fs: " + problem.description) }
        print("fs: \(report.problems.isEmpty ? "clean" : "DAMAGED"): \(report.directories) directories, \(report.files) files")
        if !report.problems.isEmpty { System.exit(1) }
    default:
        fail("usage: fs ls PATH | cat PATH | write PATH TEXT… | check")
    }
}

do { try run(mount(blocks, writable: arguments[1] == "write")) } catch { fail(error.description) }
