// GuestIO.swift — the utilities' ToolIO in the guest, over UserLib: named files through kernel
// descriptors (opened, read in the tool's chunks — bounded memory — and closed), standard input
// and output as the shell arranged them (descriptors 0 and 1; or the old line shell's SV_STDIN /
// SV_STDOUT: a file or a pipe-server pipe), standard error on fd 2. `runUtility` is what each
// program's main calls.
import ABI
import UserLib
import Utilities

/// A descriptor read in the tool's chunks.
public final class DescriptorSource: ByteSource {
    let fd: Int32
    let owned: Bool
    init(fd: Int32, owned: Bool) { self.fd = fd; self.owned = owned }

    public func read(into buffer: inout [UInt8]) -> Result<Int, SystemError> {
        Unix.read(fd, into: &buffer).mapError { SystemError($0.code) }
    }
    public func close() { if owned { _ = Unix.close(fd) } }
}

/// Standard input from a pipe-server pipe ("pipe:ID", a stage of the old line shell's pipeline).
public final class StreamSource: ByteSource {
    let pipe: UInt64
    init(pipe: UInt64) { self.pipe = pipe }

    public func read(into buffer: inout [UInt8]) -> Result<Int, SystemError> {
        Pipes.read(pipe, into: &buffer).mapError { SystemError($0.code) }
    }
    public func close() {}
}

/// A file written through a descriptor (tee, sort -o, uniq's OUTPUT).
public final class FileSink: ByteSink {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }

    public func write(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError> {
        guard !bytes.isEmpty else { return .success(()) }
        return Unix.writeAll(fd, Array(bytes)).mapError { SystemError($0.code) }
    }
    public func close() { _ = Unix.close(fd) }
}

public final class GuestIO: ToolIO {
    public init() {}

    /// The one adapter from a path to a stream: a descriptor (a directory is EISDIR, as GNU says).
    func openFile(_ path: String) -> Result<DescriptorSource, SystemError> {
        switch Unix.open(path, SV_O_RDONLY | SV_O_CLOEXEC) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(let fd):
            if case .success(let s) = Unix.fstat(fd), s.isDirectory { _ = Unix.close(fd); return .failure(.EISDIR) }
            return .success(DescriptorSource(fd: fd, owned: true))
        }
    }

    public func open(_ path: String) -> Result<GuestSource, SystemError> {
        openFile(path).map { GuestSource.descriptor($0) }
    }

    public func standardInput() -> GuestSource {
        if let file = StandardInput.file {
            switch openFile(file) {
            case .success(let s): return .descriptor(s)
            case .failure(let e): return .failed(e)
            }
        }
        if let pipe = StandardInput.pipe { return .stream(StreamSource(pipe: pipe)) }
        return .descriptor(DescriptorSource(fd: 0, owned: false))
    }

    public func status(_ path: String?) -> InputStatus? {
        let s: Result<FileStatus, Errno>
        if let path { s = Unix.stat(path) } else if let file = StandardInput.file { s = Unix.stat(file) } else { s = Unix.fstat(0) }
        guard case .success(let status) = s else { return nil }
        return InputStatus(isRegularFile: status.isRegular, size: status.size)
    }

    public func create(_ path: String, append: Bool) -> Result<FileSink, SystemError> {
        let flags = SV_O_WRONLY | SV_O_CREAT | SV_O_CLOEXEC | (append ? SV_O_APPEND : SV_O_TRUNC)
        return Unix.open(path, flags, mode: 0o666).map { FileSink(fd: $0) }.mapError { SystemError($0.code) }
    }

    public func writeOutput(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError> {
        // As StandardOutput does, but with the error returned: a closed pipe (… | head) ends yes.
        if let name = Environment.get("SV_STDOUT") {
            if let pipe = Pipes.parse(name) {
                return Pipes.write(pipe, Array(bytes)).mapError { SystemError($0.code) }
            }
            return Files.append(Paths.absolute(name), Array(bytes)).mapError { SystemError($0.code) }
        }
        let copy = Array(bytes)
        var done = 0
        while done < copy.count {
            let n = System.write(1, Array(copy[done...]))
            if n < 0 { return .failure(SystemError(Int32(-n))) }
            if n == 0 { return .failure(.EIO) }
            done += n
        }
        return .success(())
    }

    public func writeError(_ bytes: [UInt8]) { _ = System.write(2, bytes) }
}

extension GuestIO: ProcessIO {
    public func environment() -> [String] { Environment.all().map { $0.name + "=" + $0.value } }

    public func workingDirectory() -> Result<String, SystemError> { .success(Environment.workingDirectory) }

    /// fork, then execve in the child (the path resolved first, so "not found" is the parent's
    /// error, as GNU env and xargs report it); the parent waits.
    public func execute(_ arguments: [String], environment: [String]?) -> Result<Int32, SystemError> {
        guard let command = arguments.first else { return .failure(.ENOENT) }
        let path: String
        switch Unix.resolve(command) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(let p): path = p
        }
        if case .failure(let e) = Unix.executable(path) { return .failure(SystemError(e.code)) }
        var block: [UInt8]? = nil
        if let environment {
            var b: [UInt8] = []
            for entry in environment { b += Array(entry.utf8) + [0] }
            // UserLib's exec reads an empty block as "keep this process's": one empty string
            // (no "=", so no variable) stands for none.
            block = b.isEmpty ? [0] : b
        }
        switch Unix.fork() {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(0):
            let e = Unix.execve(path, arguments: arguments, environment: block)
            System.exit(e.code == SV_ENOENT ? 127 : 126)
        case .success(let pid):
            switch Unix.waitpid(pid) {
            case .failure(let e): return .failure(SystemError(e.code))
            case .success(let r):
                return .success(r.status.signaled ? Int32(128 + r.status.signal) : Int32(r.status.exitCode))
            }
        }
    }
}

extension GuestIO: FileIO {
    public func rename(_ from: String, to: String) -> Result<Void, SystemError> {
        Files.rename(Paths.absolute(from), to: Paths.absolute(to)).mapError { SystemError($0.code) }
    }
    public func remove(_ path: String) -> Result<Void, SystemError> {
        Files.unlink(Paths.absolute(path)).mapError { SystemError($0.code) }
    }
}

/// A stream of any of these kinds (ToolIO has one Source type; Embedded Swift has no existentials).
public final class GuestSource: ByteSource {
    enum Kind { case descriptor(DescriptorSource), stream(StreamSource), failed(SystemError) }
    let kind: Kind
    init(_ kind: Kind) { self.kind = kind }
    static func descriptor(_ s: DescriptorSource) -> GuestSource { GuestSource(.descriptor(s)) }
    static func stream(_ s: StreamSource) -> GuestSource { GuestSource(.stream(s)) }
    static func failed(_ e: SystemError) -> GuestSource { GuestSource(.failed(e)) }

    public func read(into buffer: inout [UInt8]) -> Result<Int, SystemError> {
        switch kind {
        case .descriptor(let s): return s.read(into: &buffer)
        case .stream(let s): return s.read(into: &buffer)
        case .failed(let e): return .failure(e)
        }
    }
    public func close() {
        switch kind {
        case .descriptor(let s): s.close()
        case .stream(let s): s.close()
        case .failed: break
        }
    }
}

/// A program's whole main: runs one utility (`Cat.run`, …) on the process's arguments and exits
/// with its status. Each main names its own tool, so a program links only that one.
public func runUtility(_ tool: ([String], GuestIO) -> Int32) -> Never {
    System.exit(tool(Array(System.arguments.dropFirst()), GuestIO()))
}

extension GuestIO: TreeIO {
    /// The file server has no symbolic links to read as such (stat follows none), so
    /// `followLinks` changes nothing here.
    public func info(_ path: String, followLinks: Bool) -> Result<FileInfo, SystemError> {
        switch Unix.stat(path) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(let s):
            let kind: FileInfo.Kind
            switch s.mode & UInt32(SV_S_IFMT) {
            case UInt32(SV_S_IFREG): kind = .regular
            case UInt32(SV_S_IFDIR): kind = .directory
            case UInt32(SV_S_IFLNK): kind = .symlink
            default: kind = .other
            }
            return .success(FileInfo(kind: kind, size: s.size, permissions: s.mode & 0o7777, modified: s.modified.seconds,
                                     modifiedNanoseconds: s.modified.nanoseconds, blocks: s.blocks))
        }
    }

    public func list(_ path: String) -> Result<[String], SystemError> {
        Unix.readDirectory(path).mapError { SystemError($0.code) }
    }

    /// The listing with the file server's d_type for each entry (find needs no status for most walks).
    public func listWithKinds(_ path: String) -> Result<[(name: String, kind: FileInfo.Kind?)], SystemError> {
        Unix.readDirectoryEntries(path).mapError { SystemError($0.code) }.map { entries in
            entries.map { e -> (name: String, kind: FileInfo.Kind?) in
                switch Int32(e.type) {
                case SV_DT_REG: return (e.name, .regular)
                case SV_DT_DIR: return (e.name, .directory)
                case SV_DT_LNK: return (e.name, .symlink)
                case SV_DT_FIFO, SV_DT_CHR: return (e.name, .other)
                default: return (e.name, nil)   // DT_UNKNOWN: only a status tells
                }
            }
        }
    }

    public func removeDirectory(_ path: String) -> Result<Void, SystemError> {
        Files.removeDirectory(Paths.absolute(path)).mapError { SystemError($0.code) }
    }

    public func currentTime() -> Int64 { (try? Unix.clock(SV_CLOCK_REALTIME).get().seconds) ?? 0 }
}
