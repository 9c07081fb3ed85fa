// HostBackend.swift — the utilities' ToolIO over Glibc: files opened with open(2) and read in the
// tool's chunks, standard input from a file the test names, standard output and error captured
// in memory so a test compares them with what GNU coreutils wrote.
import Glibc
import Utilities

final class HostSource: ByteSource {
    let descriptor: Int32
    init(_ descriptor: Int32) { self.descriptor = descriptor }

    func read(into buffer: inout [UInt8]) -> Result<Int, SystemError> {
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if n >= 0 { return .success(n) }
            if errno != EINTR { return .failure(SystemError(errno)) }
        }
    }

    func close() { _ = Glibc.close(descriptor) }
}

final class HostSink: ByteSink {
    let descriptor: Int32
    init(_ descriptor: Int32) { self.descriptor = descriptor }

    func write(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError> {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SystemError(errno))
            }
            done += n
        }
        return .success(())
    }

    func close() { _ = Glibc.close(descriptor) }
}

/// One run's system: relative paths resolve against `directory` (the tests never chdir: tests
/// run in parallel in one process).
final class HostIO: ToolIO {
    let directory: String
    let stdinPath: String?
    let stdin: HostSource
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    /// Standard output is "closed by the reader" after this many bytes (yes | head): EPIPE.
    var outputLimit = Int.max

    init(directory: String, stdinPath: String?) {
        self.directory = directory
        self.stdinPath = stdinPath
        let path = stdinPath.map { directory + "/" + $0 } ?? "/dev/null"
        stdin = HostSource(Glibc.open(path, O_RDONLY))
    }

    deinit { stdin.close() }

    func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory + "/" + path }

    func open(_ path: String) -> Result<HostSource, SystemError> {
        let fd = Glibc.open(resolve(path), O_RDONLY)
        return fd < 0 ? .failure(SystemError(errno)) : .success(HostSource(fd))
    }

    func standardInput() -> HostSource { stdin }

    func status(_ path: String?) -> InputStatus? {
        var st = Glibc.stat()
        let r: Int32
        if let path {
            // open + fstat: `stat` the function is shadowed by `stat` the struct in Swift
            let fd = Glibc.open(resolve(path), O_RDONLY)
            guard fd >= 0 else { return nil }
            r = fstat(fd, &st)
            _ = Glibc.close(fd)
        } else {
            r = fstat(stdin.descriptor, &st)
        }
        guard r == 0 else { return nil }
        return InputStatus(isRegularFile: st.st_mode & S_IFMT == S_IFREG, size: UInt64(st.st_size))
    }

    func create(_ path: String, append: Bool) -> Result<HostSink, SystemError> {
        let fd = Glibc.open(resolve(path), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
        return fd < 0 ? .failure(SystemError(errno)) : .success(HostSink(fd))
    }

    func writeOutput(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError> {
        if stdout.count + bytes.count > outputLimit {
            stdout += bytes.prefix(outputLimit - stdout.count)
            return .failure(.EPIPE)
        }
        stdout += bytes
        return .success(())
    }

    func writeError(_ bytes: [UInt8]) { stderr += bytes }
}
