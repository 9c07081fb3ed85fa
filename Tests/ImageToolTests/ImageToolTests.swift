// ImageToolTests.swift — the `swiftvm image` commands through the ImageTool library, on real image
// files in a temporary directory: build from a host tree, change, read back, snapshots, and bad or
// damaged images (a clear error, nothing modified).
import Foundation
import Testing
@testable import ImageTool
@testable import RedoxFS

struct Scratch {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "imagetool-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String, _ contents: [UInt8]) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(contents))
        return p
    }
    func bytes(_ name: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path + "/" + name) ?? Data()) }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

func cat(_ image: String, _ path: String, snapshot: String? = nil) throws -> [UInt8] {
    var out: [UInt8] = []
    try ImageTool.read(image, path: path, snapshot: snapshot) { (piece: [UInt8]) throws(ImageToolError) in out += piece }
    return out
}

@Suite struct ImageToolTests {
    @Test("build copies files, directories, symlinks, modes and mtimes from a host directory")
    func build() throws {
        let s = Scratch()
        defer { s.remove() }
        let src = s.path + "/src"
        try FileManager.default.createDirectory(atPath: src + "/sub/deeper", withIntermediateDirectories: true)
        let big = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        FileManager.default.createFile(atPath: src + "/sub/big", contents: Data(big))
        FileManager.default.createFile(atPath: src + "/hello", contents: Data("hi\n".utf8))
        chmod(src + "/hello", 0o640)
        var times = [timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 5)]
        utimensat(AT_FDCWD, src + "/hello", &times, 0)
        symlink("sub/big", src + "/link")
        let image = s.path + "/img"
        try ImageTool.build(image, from: src, size: nil)
        #expect(try ImageTool.list(image, path: "/", snapshot: nil, long: false) == ["hello", "link", "sub"])
        #expect(try cat(image, "/sub/big") == big)
        #expect(try cat(image, "/hello") == Array("hi\n".utf8))
        let fs = try ImageTool.open(image, writable: false)
        let hello = try fs.stat("/hello")
        #expect(hello.permissions == 0o640)
        #expect(hello.mtime == Timestamp(seconds: 1_600_000_000, nanoseconds: 5))
        #expect(try fs.readLink(Array("/link".utf8)) == Array("sub/big".utf8))
        #expect(try fs.stat("/sub/deeper").kind == .directory)
        #expect(try ImageTool.check(image).isClean)
    }

    @Test("put, get, mkdir, mv, rm and snapshots on an image")
    func editing() throws {
        let s = Scratch()
        defer { s.remove() }
        let image = s.path + "/img"
        try ImageTool.create(image, size: 8 << 20)
        let data = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 >> 3) }
        try ImageTool.makeDirectory(image, path: "/a/b", parents: true)
        try ImageTool.put(image, from: s.file("f.bin", data), to: "/a/b")
        #expect(try cat(image, "/a/b/f.bin") == data)
        try ImageTool.createSnapshot(image, name: "first")
        try ImageTool.move(image, from: "/a/b/f.bin", to: "/g.bin")
        try ImageTool.put(image, from: s.file("small", [1, 2, 3]), to: "/g.bin")
        try ImageTool.remove(image, path: "/a", recursive: true)
        #expect(try ImageTool.list(image, path: "/", snapshot: nil, long: false) == ["g.bin"])
        #expect(try cat(image, "/g.bin") == [1, 2, 3])
        #expect(try cat(image, "/a/b/f.bin", snapshot: "first") == data)
        try ImageTool.get(image, path: "/a/b/f.bin", to: s.path + "/out", snapshot: "first")
        #expect(s.bytes("out") == data)
        #expect(try ImageTool.listSnapshots(image).count == 1)
        try ImageTool.deleteSnapshot(image, name: "first")
        #expect(try ImageTool.listSnapshots(image).isEmpty)
        #expect(try ImageTool.check(image).isClean)
    }

    @Test("errors name the image and the path, and a failed command changes nothing")
    func errors() throws {
        let s = Scratch()
        defer { s.remove() }
        let image = s.path + "/img"
        try ImageTool.create(image, size: 2 << 20)
        let before = s.bytes("img")
        #expect(throws: ImageToolError("\(image): /missing: no such file or directory")) {
            try ImageTool.remove(image, path: "/missing", recursive: false)
        }
        // Too big to fit: the put fails part-way, and the image is byte-for-byte unchanged.
        let tooBig = s.file("big", [UInt8](repeating: 7, count: 3 << 20))
        #expect(throws: ImageToolError.self) { try ImageTool.put(image, from: tooBig, to: "/big") }
        #expect(s.bytes("img") == before)
        #expect(throws: ImageToolError("\(image): /x/y: no such file or directory")) {
            try ImageTool.makeDirectory(image, path: "/x/y", parents: false)
        }
        #expect(s.bytes("img") == before)
        let garbage = s.file("garbage", [UInt8](repeating: 0x41, count: 2 << 20))
        do {
            _ = try ImageTool.list(garbage, path: "/", snapshot: nil, long: false)
            Issue.record("listing garbage succeeded")
        } catch {
            #expect("\(error)".hasPrefix(garbage + ": not a usable RedoxFS image"))
        }
        #expect(throws: ImageToolError.self) { try ImageTool.info(s.path + "/does-not-exist") }
    }

    @Test("a damaged data block: cat fails with a checksum error and fsck names the file")
    func damage() throws {
        let s = Scratch()
        defer { s.remove() }
        let image = s.path + "/img"
        try ImageTool.create(image, size: 4 << 20)
        try ImageTool.put(image, from: s.file("f", [UInt8](repeating: 9, count: 100_000)), to: "/victim")
        let fs = try ImageTool.open(image, writable: false)
        let node = try fs.node(try fs.lookup("/victim"))
        let record = try fs.recordPointer(node, 0)
        var bytes = s.bytes("img")
        bytes[Int(record.index) * 4096 + 100] ^= 0x10
        FileManager.default.createFile(atPath: image, contents: Data(bytes))
        do {
            _ = try cat(image, "/victim")
            Issue.record("read damaged data without an error")
        } catch {
            let text = "\(error)"
            #expect(text.contains("checksum mismatch"))
            #expect(text.hasPrefix("\(image): /victim: "))
        }
        let report = try ImageTool.check(image)
        #expect(!report.isClean)
        #expect(report.problems.contains { $0.location.contains("/victim") })
    }
}
