// GuestIO.swift — the utilities' ToolIO in the guest, over UserLib: files through the file server,
// standard input and output as the shell arranged them (a file, a pipe of the pipe server, or the
// console), standard error on the console. `runUtility` is what each program's main calls.
//
// Until the kernel's file descriptors for files land (issue 9: Unix.open/lseek), a named file is
// read whole by `Files.read` in `openFile` below — the one place to change to stream it in
// chunks. The tools themselves already read in bounded chunks.
import UserLib
import Utilities

/// Bytes already in memory, handed out in the tool's chunks.
public final class MemorySource: ByteSource {
    var bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: inout [UInt8]) -> Result<Int, SystemError> {
        let n = min(buffer.count, bytes.count - offset)
        for i in 0..<n { buffer[i] = bytes[offset + i] }
        offset += n
        if offset == bytes.count { bytes = []; offset = 0 }   // give the memory back at the end
        return .success(n)
    }
    public func close() { bytes = [] }
}

/// Standard input from a pipe server pipe ("pipe:ID", a pipeline stage) or the console (fd 0).
public final class StreamSource: ByteSource {
    let pipe: UInt64?
    init(pipe: UInt64?) { self.pipe = pipe }

    public func read(into buffer: inout [UInt8]) -> Result<Int, SystemError> {
        if let pipe {
            return Pipes.read(pipe, into: &buffer).mapError { SystemError($0.code) }
        }
        return Unix.read(0, into: &buffer).mapError { SystemError($0.code) }
    }
    public func close() {}
}

/// A file written through the file server at a growing offset (tee, sort -o, uniq's OUTPUT).
public final class FileSink: ByteSink {
    let path: String
    var offset: UInt64
    init(path: String, offset: UInt64) { self.path = path; self.offset = offset }

    public func write(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError> {
        guard !bytes.isEmpty else { return .success(()) }
        switch Files.write(path, Array(bytes), offset: offset, create: true, truncate: false) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success: offset += UInt64(bytes.count); return .success(())
        }
    }
    public func close() {}
}

public final class GuestIO: ToolIO {
    public init() {}

    /// The one adapter from a path to a stream (see the file comment).
    func openFile(_ path: String) -> Result<MemorySource, SystemError> {
        if case .success(let status) = Files.stat(path), status.kind == .directory { return .failure(.EISDIR) }
        return Files.read(path).map { MemorySource($0) }.mapError { SystemError($0.code) }
    }

    public func open(_ path: String) -> Result<GuestSource, SystemError> {
        openFile(path).map { GuestSource.memory($0) }
    }

    public func standardInput() -> GuestSource {
        if let file = StandardInput.file {
            switch openFile(file) {
            case .success(let s): return .memory(s)
            case .failure(let e): return .failed(e)
            }
        }
        return .stream(StreamSource(pipe: StandardInput.pipe))
    }

    public func status(_ path: String?) -> InputStatus? {
        guard let name = path ?? StandardInput.file else { return InputStatus(isRegularFile: false, size: 0) }
        guard case .success(let s) = Files.stat(name) else { return nil }
        return InputStatus(isRegularFile: s.kind == .file, size: s.size)
    }

    public func create(_ path: String, append: Bool) -> Result<FileSink, SystemError> {
        var offset: UInt64 = 0
        if append, case .success(let s) = Files.stat(path) { offset = s.size }
        // create (and, without -a, empty) it now, so a missing directory is reported at once
        if case .failure(let e) = Files.write(path, [], offset: offset, create: true, truncate: !append) {
            return .failure(SystemError(e.code))
        }
        return .success(FileSink(path: path, offset: offset))
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

/// A stream of any of these kinds (ToolIO has one Source type; Embedded Swift has no existentials).
public final class GuestSource: ByteSource {
    enum Kind { case memory(MemorySource), stream(StreamSource), failed(SystemError) }
    let kind: Kind
    init(_ kind: Kind) { self.kind = kind }
    static func memory(_ s: MemorySource) -> GuestSource { GuestSource(.memory(s)) }
    static func stream(_ s: StreamSource) -> GuestSource { GuestSource(.stream(s)) }
    static func failed(_ e: SystemError) -> GuestSource { GuestSource(.failed(e)) }

    public func read(into buffer: inout [UInt8]) -> Result<Int, SystemError> {
        switch kind {
        case .memory(let s): return s.read(into: &buffer)
        case .stream(let s): return s.read(into: &buffer)
        case .failed(let e): return .failure(e)
        }
    }
    public func close() {
        switch kind {
        case .memory(let s): s.close()
        case .stream(let s): s.close()
        case .failed: break
        }
    }
}

/// A program's whole main: runs utility `name` on the process's arguments and exits with its status.
public func runUtility(_ name: String) -> Never {
    let status = Utilities.run(name, Array(System.arguments.dropFirst()), GuestIO())
    System.exit(status)
}
