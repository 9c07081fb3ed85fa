// ImageTool.swift — the `swiftvm image` commands over RedoxFS image files. Every change goes
// through one copy-on-write transaction committed at the end, so a command that fails leaves the
// image exactly as it was (the old header stays in place); `create` and `build` write a temporary
// file and rename it into place.
import Glibc
import HostSupport
import RedoxFS

public typealias ImageFS = FileSystem<FileBlockDevice>

public enum ImageTool {
    // MARK: - Opening

    static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanoseconds: UInt32(ts.tv_nsec))
    }

    static func fail(_ image: String, _ path: String?, _ error: FSError) -> ImageToolError {
        ImageToolError(path.map { "\(image): \($0): \(error)" } ?? "\(image): \(error)")
    }

    /// Mounts an image; read-only unless `writable`.
    public static func open(_ image: String, writable: Bool) throws(ImageToolError) -> ImageFS {
        let device = try FileBlockDevice(path: image, writable: writable)
        do {
            let fs = try FileSystem.mount(device, options: MountOptions(readOnly: !writable))
            fs.clock = { now() }
            return fs
        } catch {
            throw ImageToolError("\(image): not a usable RedoxFS image: \(error)")
        }
    }

    /// Runs `body` on a writable mount and commits; on any failure nothing is committed.
    static func modify(_ image: String, _ body: (ImageFS) throws(ImageToolError) -> Void) throws(ImageToolError) {
        let fs = try open(image, writable: true)
        try body(fs)
        do { try fs.commit() } catch { throw fail(image, nil, error) }
    }

    /// Parses sizes such as 4096, 512K, 64M, 2G.
    public static func parseSize(_ text: String) -> UInt64? {
        var digits = text
        var scale: UInt64 = 1
        if let last = text.last?.uppercased() {
            switch last {
            case "K": scale = 1 << 10
            case "M": scale = 1 << 20
            case "G": scale = 1 << 30
            case "T": scale = 1 << 40
            default: break
            }
            if scale != 1 { digits.removeLast() }
        }
        guard let n = UInt64(digits) else { return nil }
        let (v, o) = n.multipliedReportingOverflow(by: scale)
        return o ? nil : v
    }

    static func uuid() -> [UInt8] {
        var u = (0..<16).map { _ in UInt8.random(in: 0...255) }
        u[6] = (u[6] & 0x0F) | 0x40   // RFC 4122 version 4
        u[8] = (u[8] & 0x3F) | 0x80
        return u
    }

    // MARK: - create / build

    /// Formats a new image of `size` bytes, then lets `fill` populate it, in a temporary file that
    /// is renamed into place only when everything succeeded.
    static func makeImage(_ image: String, size: UInt64, fill: (ImageFS) throws(ImageToolError) -> Void) throws(ImageToolError) {
        let blocks = size / UInt64(Format.blockSize)
        guard blocks >= Format.minimumBlocks else {
            throw ImageToolError("\(image): size \(size) is too small (at least \(Format.minimumBlocks * 4096) bytes)")
        }
        let temp = image + ".tmp-\(getpid())"
        let fd = Glibc.open(temp, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ImageToolError("\(image): cannot create: \(String(cString: strerror(errno)))") }
        defer { unlink(temp) }
        guard ftruncate(fd, off_t(blocks * UInt64(Format.blockSize))) == 0 else {
            let e = errno
            close(fd)
            throw ImageToolError("\(image): cannot size to \(size) bytes: \(String(cString: strerror(e)))")
        }
        close(fd)
        let device = try FileBlockDevice(path: temp, writable: true)
        let fs: ImageFS
        do { fs = try FileSystem.format(device, uuid: uuid(), now: now()) } catch { throw fail(image, nil, error) }
        fs.clock = { now() }
        try fill(fs)
        do { try fs.commit() } catch { throw fail(image, nil, error) }
        guard rename(temp, image) == 0 else {
            throw ImageToolError("\(image): cannot rename into place: \(String(cString: strerror(errno)))")
        }
    }

    public static func create(_ image: String, size: UInt64) throws(ImageToolError) {
        try makeImage(image, size: size) { (_: ImageFS) throws(ImageToolError) in }
    }

    /// Bytes a host tree needs: data rounded to blocks, a block per entry, room for the metadata.
    static func estimate(_ dir: String) -> UInt64 {
        var total: UInt64 = 0
        walkDirectory(dir) { _, st in
            total += (UInt64(max(st.st_size, 0)) + 4095) / 4096 * 4096 + 8192
        }
        return total + total / 4 + (Format.minimumBlocks + 2048) * 4096
    }

    public static func build(_ image: String, from dir: String, size: UInt64?) throws(ImageToolError) {
        var st = stat()
        guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw ImageToolError("\(dir): not a directory")
        }
        try makeImage(image, size: size ?? estimate(dir)) { (fs: ImageFS) throws(ImageToolError) in
            try copyTree(fs, image: image, host: dir, inside: "")
            let root = try fsCall(image, "/") { () throws(FSError) in try fs.lookup("/") }
            try fsCall(image, "/") { () throws(FSError) in
                try fs.setAttributes(id: root, permissions: UInt16(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid,
                                     atime: stamp(st.st_atim), mtime: stamp(st.st_mtim))
            }
        }
    }

    static func stamp(_ t: timespec) -> Timestamp { Timestamp(seconds: Int64(t.tv_sec), nanoseconds: UInt32(t.tv_nsec)) }

    @discardableResult
    static func fsCall<R>(_ image: String, _ path: String, _ body: () throws(FSError) -> R) throws(ImageToolError) -> R {
        do { return try body() } catch { throw fail(image, path, error) }
    }

    /// Copies a host directory's entries (files, directories, symlinks; modes, owners, times) into `inside`.
    static func copyTree(_ fs: ImageFS, image: String, host: String, inside: String) throws(ImageToolError) {
        let names: [String]
        do { names = try directoryEntries(host).sorted() } catch {
            throw ImageToolError("\(host): cannot list: \(listingFailure(error.code))")
        }
        for name in names {
            let hostPath = host + "/" + name, path = inside + "/" + name
            var st = stat()
            guard lstat(hostPath, &st) == 0 else { throw ImageToolError("\(hostPath): cannot stat: \(String(cString: strerror(errno)))") }
            let bytes = Array(path.utf8)
            let id: NodeID
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                id = try fsCall(image, path) { () throws(FSError) in try fs.makeDirectory(bytes, permissions: UInt16(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid) }
                try copyTree(fs, image: image, host: hostPath, inside: path)
            case S_IFREG:
                id = try fsCall(image, path) { () throws(FSError) in try fs.createFile(bytes, permissions: UInt16(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid) }
                try copyIn(fs, image: image, host: hostPath, id: id, path: path)
            case S_IFLNK:
                var buffer = [Int8](repeating: 0, count: 4097)
                let n = readlink(hostPath, &buffer, 4096)
                guard n > 0 else { throw ImageToolError("\(hostPath): cannot read link") }
                let target = buffer[0..<n].map { UInt8(bitPattern: $0) }
                id = try fsCall(image, path) { () throws(FSError) in try fs.makeSymlink(bytes, target: target, uid: st.st_uid, gid: st.st_gid) }
            default:
                writeStandardError("swiftvm image build: skipping \(hostPath): not a file, directory or symlink\n")
                continue
            }
            try fsCall(image, path) { () throws(FSError) in
                try fs.setAttributes(id: id, atime: stamp(st.st_atim), mtime: stamp(st.st_mtim))
            }
        }
    }

    /// The text Foundation's contentsOfDirectory error gave as localizedDescription for `code`
    /// (its errno-to-CocoaError mapping for reads), so the message stays what it was.
    static func listingFailure(_ code: Int32) -> String {
        let reason: String
        switch code {
        case ENOENT: reason = "The file doesn’t exist."
        case EPERM, EACCES: reason = "You don’t have permission."
        case ENAMETOOLONG: reason = "The file name is invalid."
        case EFBIG: reason = "The item is too large."
        default: reason = "(NSCocoaErrorDomain error 256.)"
        }
        return "The operation could not be completed. " + reason
    }

    /// Streams a host file into node `id` in 1 MiB pieces.
    static func copyIn(_ fs: ImageFS, image: String, host: String, id: NodeID, path: String) throws(ImageToolError) {
        let fd = Glibc.open(host, O_RDONLY)
        guard fd >= 0 else { throw ImageToolError("\(host): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset: UInt64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ImageToolError("\(host): read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            let piece = n == chunk.count ? chunk : Array(chunk[0..<n])
            try fsCall(image, path) { () throws(FSError) in try fs.write(id: id, at: offset, piece) }
            offset += UInt64(n)
        }
    }

    // MARK: - Reading

    /// Reads from the live tree or from one snapshot.
    struct Source {
        let fs: ImageFS
        let snapshot: Snapshot<FileBlockDevice>?
        func stat(_ p: [UInt8]) throws(FSError) -> FileInfo {
            if let snapshot { return try snapshot.stat(p) }
            return try fs.stat(p)
        }
        func list(_ p: [UInt8]) throws(FSError) -> [DirectoryEntry] {
            if let snapshot { return try snapshot.list(p) }
            return try fs.list(p)
        }
        func read(id: NodeID, at offset: UInt64, count: Int) throws(FSError) -> [UInt8] {
            if let snapshot { return try snapshot.read(id: id, at: offset, count: count) }
            return try fs.read(id: id, at: offset, count: count)
        }
        func readLink(_ p: [UInt8]) throws(FSError) -> [UInt8] {
            if let snapshot { return try snapshot.readLink(p) }
            return try fs.readLink(p)
        }
    }

    static func view(_ fs: ImageFS, image: String, snapshot: String?) throws(ImageToolError) -> Source {
        guard let snapshot else { return Source(fs: fs, snapshot: nil) }
        let s = try fsCall(image, "@" + snapshot) { () throws(FSError) in try fs.snapshot(Array(snapshot.utf8)) }
        return Source(fs: fs, snapshot: s)
    }

    static func modeString(_ info: FileInfo) -> String {
        let type: Character = info.kind == .directory ? "d" : info.kind == .symlink ? "l" : "-"
        var s = String(type)
        let chars: [Character] = ["r", "w", "x"]
        for i in 0..<9 { s.append(info.permissions & (0o400 >> UInt16(i)) != 0 ? chars[i % 3] : "-") }
        return s
    }

    static func dateString(_ t: Timestamp) -> String {
        var time = time_t(t.seconds)
        var tm = tm()
        gmtime_r(&time, &tm)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, 32, "%Y-%m-%d %H:%M", &tm)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `ls`: one line per entry (or for the path itself, if it is not a directory).
    public static func list(_ image: String, path: String, snapshot: String?, long: Bool) throws(ImageToolError) -> [String] {
        let fs = try open(image, writable: false)
        let s = try view(fs, image: image, snapshot: snapshot)
        let bytes = Array(path.utf8)
        let info = try fsCall(image, path) { () throws(FSError) in try s.stat(bytes) }
        var rows: [(String, FileInfo, String)] = []
        if info.kind == .directory {
            let entries = try fsCall(image, path) { () throws(FSError) in try s.list(bytes) }
            for e in entries {
                let name = String(decoding: e.name, as: UTF8.self)
                let child = (path.hasSuffix("/") ? path : path + "/") + name
                let cb = Array(child.utf8)
                let ci = try fsCall(image, child) { () throws(FSError) in try s.stat(cb) }
                rows.append((name, ci, child))
            }
        } else {
            rows.append((path, info, path))
        }
        var lines: [String] = []
        for (name, i, full) in rows {
            guard long else { lines.append(name); continue }
            var line = "\(modeString(i)) \(i.links) \(i.uid) \(i.gid) \(i.size) \(dateString(i.mtime)) \(name)"
            if i.kind == .symlink {
                let fb = Array(full.utf8)
                let target = try fsCall(image, full) { () throws(FSError) in try s.readLink(fb) }
                line += " -> " + String(decoding: target, as: UTF8.self)
            }
            lines.append(line)
        }
        return lines
    }

    /// Streams a file's bytes to `sink` in 1 MiB pieces.
    public static func read(_ image: String, path: String, snapshot: String?, to sink: ([UInt8]) throws(ImageToolError) -> Void) throws(ImageToolError) {
        let fs = try open(image, writable: false)
        let s = try view(fs, image: image, snapshot: snapshot)
        let bytes = Array(path.utf8)
        let info = try fsCall(image, path) { () throws(FSError) in try s.stat(bytes) }
        guard info.kind == .file else { throw fail(image, path, info.kind == .directory ? .isDirectory : .notFile) }
        var offset: UInt64 = 0
        while offset < info.size {
            let piece = try fsCall(image, path) { () throws(FSError) in
                try s.read(id: info.id, at: offset, count: 1 << 20)
            }
            if piece.isEmpty { break }
            try sink(piece)
            offset += UInt64(piece.count)
        }
    }

    public static func get(_ image: String, path: String, to host: String, snapshot: String?) throws(ImageToolError) {
        let temp = host + ".tmp-\(getpid())"
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ImageToolError("\(host): cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd); unlink(temp) }
        try read(image, path: path, snapshot: snapshot) { (piece: [UInt8]) throws(ImageToolError) in
            let n = piece.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
            guard n == piece.count else { throw ImageToolError("\(host): write failed") }
        }
        guard rename(temp, host) == 0 else { throw ImageToolError("\(host): cannot rename into place") }
    }

    // MARK: - Changing

    public static func put(_ image: String, from host: String, to path: String) throws(ImageToolError) {
        var st = stat()
        guard stat(host, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw ImageToolError("\(host): not a regular file") }
        try modify(image) { (fs: ImageFS) throws(ImageToolError) in
            var target = path
            if let existing = try? fs.stat(Array(path.utf8)), existing.kind == .directory {
                target = (path.hasSuffix("/") ? path : path + "/") + lastPathComponent(host)
            }
            let bytes = Array(target.utf8)
            let id: NodeID
            if let existing = try? fs.stat(bytes) {
                guard existing.kind == .file else { throw fail(image, target, existing.kind == .directory ? .isDirectory : .notFile) }
                id = existing.id
                try fsCall(image, target) { () throws(FSError) in try fs.truncate(id: id, size: 0) }
            } else {
                id = try fsCall(image, target) { () throws(FSError) in try fs.createFile(bytes, permissions: UInt16(st.st_mode & 0o7777)) }
            }
            try copyIn(fs, image: image, host: host, id: id, path: target)
        }
    }

    public static func makeDirectory(_ image: String, path: String, parents: Bool) throws(ImageToolError) {
        try modify(image) { (fs: ImageFS) throws(ImageToolError) in
            if !parents {
                try fsCall(image, path) { () throws(FSError) in try fs.makeDirectory(Array(path.utf8)) }
                return
            }
            var prefix = ""
            for part in path.split(separator: "/") {
                prefix += "/" + part
                let b = Array(prefix.utf8)
                if let i = try? fs.stat(b) {
                    guard i.kind == .directory else { throw fail(image, prefix, .notDirectory) }
                    continue
                }
                try fsCall(image, prefix) { () throws(FSError) in try fs.makeDirectory(b) }
            }
        }
    }

    public static func remove(_ image: String, path: String, recursive: Bool) throws(ImageToolError) {
        try modify(image) { (fs: ImageFS) throws(ImageToolError) in try removeTree(fs, image: image, path: path, recursive: recursive) }
    }

    static func removeTree(_ fs: ImageFS, image: String, path: String, recursive: Bool) throws(ImageToolError) {
        let b = Array(path.utf8)
        let info = try fsCall(image, path) { () throws(FSError) in try fs.stat(b) }
        guard info.kind == .directory else {
            try fsCall(image, path) { () throws(FSError) in try fs.unlink(b) }
            return
        }
        if recursive {
            for e in try fsCall(image, path, { () throws(FSError) in try fs.list(b) }) {
                try removeTree(fs, image: image, path: (path.hasSuffix("/") ? path : path + "/") + String(decoding: e.name, as: UTF8.self), recursive: true)
            }
        }
        try fsCall(image, path) { () throws(FSError) in try fs.removeDirectory(b) }
    }

    public static func move(_ image: String, from: String, to: String) throws(ImageToolError) {
        try modify(image) { (fs: ImageFS) throws(ImageToolError) in
            var target = to
            if let i = try? fs.stat(Array(to.utf8)), i.kind == .directory,
               (try? fs.stat(Array(from.utf8)))?.kind != .directory || to.hasSuffix("/") {
                target = (to.hasSuffix("/") ? to : to + "/") + lastPathComponent(from)
            }
            try fsCall(image, from) { () throws(FSError) in try fs.rename(Array(from.utf8), Array(target.utf8)) }
        }
    }

    // MARK: - info, fsck, snapshots

    public static func info(_ image: String) throws(ImageToolError) -> [String] {
        let fs = try open(image, writable: false)
        let s = fs.statistics()
        let uuid = s.uuid.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        return [
            "image:       \(image)",
            "format:      RedoxFS (swiftvm variant, version 0x\(String(Format.version, radix: 16)))",
            "uuid:        \(uuid)",
            "size:        \(s.totalBlocks * 4096) bytes (\(s.totalBlocks) blocks of 4096)",
            "used:        \(s.allocatedBlocks) blocks (\(s.allocatedBlocks * 4096) bytes)",
            "free:        \(s.freeBlocks) blocks (\(s.freeBlocks * 4096) bytes)",
            "generation:  \(s.generation)",
            "snapshots:   \(s.snapshots)",
            "next node:   \(s.nextNodeID)",
        ]
    }

    public static func check(_ image: String) throws(ImageToolError) -> CheckReport {
        let fs = try open(image, writable: false)
        do { return try fs.check() } catch { throw fail(image, nil, error) }
    }

    public static func createSnapshot(_ image: String, name: String) throws(ImageToolError) {
        let fs = try open(image, writable: true)
        try fsCall(image, "@" + name) { () throws(FSError) in try fs.createSnapshot(Array(name.utf8)) }
    }

    public static func deleteSnapshot(_ image: String, name: String) throws(ImageToolError) {
        let fs = try open(image, writable: true)
        try fsCall(image, "@" + name) { () throws(FSError) in try fs.deleteSnapshot(Array(name.utf8)) }
    }

    public static func listSnapshots(_ image: String) throws(ImageToolError) -> [String] {
        let fs = try open(image, writable: false)
        return fs.snapshotList.map { "\(String(decoding: $0.name, as: UTF8.self))\tgeneration \($0.generation)\t\(dateString($0.time))" }
    }
}
