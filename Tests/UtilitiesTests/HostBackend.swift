// HostBackend.swift — the utilities' ToolIO over Glibc: files opened with open(2) and read in the
// tool's chunks, standard input from a file the test names, standard output and error captured
// in memory so a test compares them with what GNU coreutils wrote.
import Foundation
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
    /// nil: sleep as asked; otherwise, once this many nanoseconds were slept, `sleep` says stop.
    var sleepBudget: UInt64? = nil
    var slept: UInt64 = 0
    /// The files made by createExclusive (mktemp's, sort's runs), for tests that count them.
    var created: [String] = []
    /// The environment GNU's process gets in the same case (Case.runGNU).
    var environmentList = ["LC_ALL=C", "PATH=/usr/bin:/bin"]

    init(directory: String, stdinPath: String?) {
        self.directory = directory
        self.stdinPath = stdinPath
        let path = stdinPath.map { directory + "/" + $0 } ?? "/dev/null"
        stdin = HostSource(Glibc.open(path, O_RDONLY))
    }

    /// Standard input from an open descriptor (the host harness, Tests/UtilitiesHost: its own fd 0).
    init(directory: String, standardInput descriptor: Int32) {
        self.directory = directory
        stdinPath = nil
        stdin = HostSource(descriptor)
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

    /// Told the bytes written so far after each write (tail -f's tests start appending once the
    /// first pass is out).
    var outputObserver: ((Int) -> Void)? = nil

    /// The host harness (Tests/UtilitiesHost): output and errors written straight to these
    /// descriptors instead of kept (a pipeline's reader sees them as they come, and can close).
    var passthrough: (output: HostSink, error: HostSink)? = nil

    func writeOutput(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError> {
        if let passthrough { return passthrough.output.write(bytes) }
        defer { outputObserver?(stdout.count) }
        if stdout.count + bytes.count > outputLimit {
            stdout += bytes.prefix(outputLimit - stdout.count)
            return .failure(.EPIPE)
        }
        stdout += bytes
        return .success(())
    }

    func writeError(_ bytes: [UInt8]) {
        if let passthrough { _ = passthrough.error.write(bytes[...]); return }
        stderr += bytes
    }
}

extension HostIO: ProcessIO {
    func environment() -> [String] { environmentList }

    func workingDirectory() -> Result<String, SystemError> { .success(directory) }

    /// The program runs as a child (Foundation's Process) in the fixtures' directory with the
    /// test's standard input; what it writes is appended to this run's captured output.
    func execute(_ arguments: [String], environment: [String]?) -> Result<Int32, SystemError> {
        guard let command = arguments.first else { return .failure(.ENOENT) }
        let variables = environment ?? environmentList
        var path = command
        if !command.contains("/") {
            let search = variables.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? "/usr/bin:/bin"
            guard let found = search.split(separator: ":").map({ $0 + "/" + command }).first(where: { access($0, X_OK) == 0 }) else {
                return .failure(.ENOENT)
            }
            path = found
        } else {
            path = resolve(command)
            if access(path, F_OK) != 0 { return .failure(.ENOENT) }
            if access(path, X_OK) != 0 { return .failure(SystemError(EACCES)) }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var dictionary: [String: String] = [:]
        for v in variables {
            guard let equals = v.firstIndex(of: "=") else { continue }
            dictionary[String(v[..<equals])] = String(v[v.index(after: equals)...])
        }
        process.environment = dictionary
        let scratch = NSTemporaryDirectory() + "child-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: scratch + ".out", contents: nil)
        FileManager.default.createFile(atPath: scratch + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: scratch + ".out")
            try? FileManager.default.removeItem(atPath: scratch + ".err")
        }
        guard let out = FileHandle(forWritingAtPath: scratch + ".out"), let err = FileHandle(forWritingAtPath: scratch + ".err") else {
            return .failure(.EIO)
        }
        process.standardOutput = out
        process.standardError = err
        // The child reads the test's standard input from its start (env's command; the cases'
        // xargs commands read none).
        process.standardInput = FileHandle(forReadingAtPath: stdinPath.map { directory + "/" + $0 } ?? "/dev/null")
        do { try process.run() } catch { return .failure(.ENOENT) }
        process.waitUntilExit()
        try? out.close(); try? err.close()
        stdout += (try? Data(contentsOf: URL(fileURLWithPath: scratch + ".out"))).map { Array($0) } ?? []
        stderr += (try? Data(contentsOf: URL(fileURLWithPath: scratch + ".err"))).map { Array($0) } ?? []
        if process.terminationReason == .uncaughtSignal { return .success(128 + process.terminationStatus) }
        return .success(process.terminationStatus)
    }
}

extension HostIO: FileIO {
    func rename(_ from: String, to: String) -> Result<Void, SystemError> {
        Glibc.rename(resolve(from), resolve(to)) == 0 ? .success(()) : .failure(SystemError(errno))
    }
    func remove(_ path: String) -> Result<Void, SystemError> {
        unlink(resolve(path)) == 0 ? .success(()) : .failure(SystemError(errno))
    }
}

extension HostIO: TreeIO {
    func info(_ path: String, followLinks: Bool) -> Result<FileInfo, SystemError> {
        var st = Glibc.stat()
        let r = fstatat(AT_FDCWD, resolve(path), &st, followLinks ? 0 : AT_SYMLINK_NOFOLLOW)   // stat(2): the name is the struct in Swift
        guard r == 0 else { return .failure(SystemError(errno)) }
        let kind: FileInfo.Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        return .success(FileInfo(kind: kind, size: UInt64(st.st_size), permissions: UInt32(st.st_mode & 0o7777),
                                 modified: Int64(st.st_mtim.tv_sec), modifiedNanoseconds: Int64(st.st_mtim.tv_nsec), blocks: UInt64(st.st_blocks)))
    }

    func list(_ path: String) -> Result<[String], SystemError> {
        guard let dir = opendir(resolve(path)) else { return .failure(SystemError(errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    /// readdir with d_type, as the guest's getdents gives it (find walks without a status per file).
    func listWithKinds(_ path: String) -> Result<[(name: String, kind: FileInfo.Kind?)], SystemError> {
        guard let dir = opendir(resolve(path)) else { return .failure(SystemError(errno)) }
        defer { closedir(dir) }
        var entries: [(name: String, kind: FileInfo.Kind?)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let kind: FileInfo.Kind?
            switch Int(entry.pointee.d_type) {
            case Int(DT_REG): kind = .regular
            case Int(DT_DIR): kind = .directory
            case Int(DT_LNK): kind = .symlink
            case Int(DT_UNKNOWN): kind = nil
            default: kind = .other
            }
            entries.append((name, kind))
        }
        return .success(entries)
    }

    func removeDirectory(_ path: String) -> Result<Void, SystemError> {
        rmdir(resolve(path)) == 0 ? .success(()) : .failure(SystemError(errno))
    }

    func currentTime() -> Int64 { Int64(time(nil)) }
}
