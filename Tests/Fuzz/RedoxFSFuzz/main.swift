// main.swift — libFuzzer target: mounts arbitrary bytes as a RedoxFS image and walks it. Built
// outside SwiftPM by scripts/fuzz-redoxfs.sh (swiftc -sanitize=fuzzer) together with the core's
// sources. Any trap, hang or sanitizer report is a bug: corrupt input must only produce FSError.
//
// Input: byte 0 selects a mode, the rest is data.
//   mode & 1 == 0: the data patches a valid template image: records of (u32 offset, u8 length, bytes)
//                  applied over it, so mutations reach every structure behind a valid header.
//   mode & 1 == 1: the data is the image itself (zero-padded to the minimum size), headers included.
//   mode & 2 != 0: checksums are not verified, so the structural checks are reached too.

/// A small image with every kind of structure: inline and multi-record files, a sparse file past
/// the direct records, a split directory, a symlink, a snapshot, a long allocation log.
let template: [UInt8] = {
    let fs = try! FileSystem.format(MemoryDevice(blocks: 640), uuid: [UInt8](repeating: 1, count: 16))
    try! fs.makeDirectory(Array("/d".utf8))
    for i in 0..<40 { try! fs.createFile(Array("/d/entry-number-\(i)".utf8)) }
    let f = try! fs.createFile(Array("/f".utf8))
    try! fs.write(id: f, at: 0, [UInt8](repeating: 3, count: 140_000))
    let s = try! fs.createFile(Array("/sparse".utf8))
    try! fs.write(id: s, at: 16_800_000, [UInt8](repeating: 4, count: 5000))
    try! fs.write(id: try! fs.createFile(Array("/small".utf8)), at: 0, Array("inline".utf8))
    try! fs.makeSymlink(Array("/link".utf8), target: Array("f".utf8))
    try! fs.createSnapshot(Array("snap".utf8))
    try! fs.write(id: f, at: 1000, [UInt8](repeating: 5, count: 10_000))
    try! fs.commit()
    return fs.device.bytes
}()

/// Walks everything reachable; returns how many entries it saw (so nothing is optimized away).
func walk<D>(_ fs: FileSystem<D>) -> Int {
    var seen = 0
    var queue: [[UInt8]] = [[]]
    while let dir = queue.popLast(), seen < 10_000 {
        guard let entries = try? fs.list(dir.isEmpty ? [0x2f] : dir) else { continue }
        for e in entries {
            seen += 1
            let path = dir + [0x2f] + e.name
            switch e.kind {
            case .directory: if queue.count < 1000 { queue.append(path) }
            case .file:
                if let info = try? fs.stat(path) {
                    _ = try? fs.read(id: info.id, at: 0, count: 8192)
                    _ = try? fs.read(id: info.id, at: info.size > 8192 ? info.size - 8192 : 0, count: 8192)
                }
            case .symlink: _ = try? fs.readLink(path)
            }
        }
    }
    for s in fs.snapshotList {
        if let view = try? fs.snapshot(s.name), let entries = try? view.list([0x2f]) { seen += entries.count }
    }
    if let report = try? fs.check(maxProblems: 50) { seen += report.problems.count }
    return seen
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let mode = data[0]
    var image: [UInt8]
    if mode & 1 == 0 {
        image = template
        var i = 1
        while i + 5 <= size {
            let offset = Int(UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24)
            let length = Int(data[i + 4])
            i += 5
            for k in 0..<length where i + k < size {
                image[(offset &+ k) % image.count] = data[i + k]
            }
            i += length
        }
    } else {
        image = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
        let minimum = Int(Format.minimumBlocks) * Format.blockSize
        if image.count < minimum { image += [UInt8](repeating: 0, count: minimum - image.count) }
    }
    let options = MountOptions(readOnly: mode & 4 != 0, verifyChecksums: mode & 2 == 0)
    guard let fs = try? FileSystem.mount(MemoryDevice(bytes: image), options: options) else { return 0 }
    _ = walk(fs)
    if !fs.readOnly {
        // Changes over a damaged image must fail cleanly or commit something that mounts again.
        _ = try? fs.createFile(Array("/fuzz-new".utf8))
        if let id = try? fs.lookup(Array("/f".utf8)) { _ = try? fs.write(id: id, at: 5, [1, 2, 3]) }
        _ = try? fs.rename(Array("/small".utf8), Array("/d/moved".utf8))
        _ = try? fs.unlink(Array("/link".utf8))
        if (try? fs.commit()) != nil, let again = try? FileSystem.mount(fs.device, options: options) {
            _ = walk(again)
        }
    }
    return 0
}
