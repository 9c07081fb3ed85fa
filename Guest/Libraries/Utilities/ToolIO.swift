// ToolIO.swift — the one interface every utility is written against: named inputs opened as byte
// streams read in bounded chunks, standard input/output/error, the status of an input (wc's column
// width, tail), files opened for writing (tee). A backend implements it once: over Glibc for the
// host's differential tests (Tests/UtilitiesTests), over UserLib for the guest
// (Guest/Libraries/UtilitiesGuest). Pure Swift that compiles as Embedded Swift: no existentials,
// typed errors only.

/// An error from the system, as the errno value Linux uses (the guest's ABI shares the numbers).
public struct SystemError: Error, Equatable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }

    public static let ENOENT = SystemError(2), EIO = SystemError(5), EBADF = SystemError(9)
    public static let EISDIR = SystemError(21), EINVAL = SystemError(22), EPIPE = SystemError(32)

    /// glibc's strerror text, which GNU's messages carry (`cat: x: No such file or directory`).
    public var message: String {
        switch code {
        case 1: return "Operation not permitted"
        case 2: return "No such file or directory"
        case 5: return "Input/output error"
        case 9: return "Bad file descriptor"
        case 12: return "Cannot allocate memory"
        case 13: return "Permission denied"
        case 17: return "File exists"
        case 18: return "Invalid cross-device link"
        case 20: return "Not a directory"
        case 21: return "Is a directory"
        case 22: return "Invalid argument"
        case 24: return "Too many open files"
        case 27: return "File too large"
        case 28: return "No space left on device"
        case 29: return "Illegal seek"
        case 30: return "Read-only file system"
        case 31: return "Too many links"
        case 32: return "Broken pipe"
        case 36: return "File name too long"
        case 38: return "Function not implemented"
        case 39: return "Directory not empty"
        case 40: return "Too many levels of symbolic links"
        case 95: return "Operation not supported"
        default: return "Unknown error \(code)"
        }
    }
}

/// A readable byte stream (a file, standard input, a pipe).
public protocol ByteSource: AnyObject {
    /// Reads at most `buffer.count` bytes into the front of `buffer`; 0 is the end of the stream.
    func read(into buffer: inout [UInt8]) -> Result<Int, SystemError>
    /// Gives the stream back (standard input is left open by the backend).
    func close()
}

/// A writable byte stream (a file opened by tee).
public protocol ByteSink: AnyObject {
    func write(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError>
    func close()
}

/// What a utility needs to know of an input's file (GNU wc sizes its columns from it).
public struct InputStatus {
    public var isRegularFile: Bool
    public var size: UInt64
    public init(isRegularFile: Bool, size: UInt64) {
        self.isRegularFile = isRegularFile
        self.size = size
    }
}

/// The system as a utility sees it.
public protocol ToolIO: AnyObject {
    associatedtype Source: ByteSource
    associatedtype Sink: ByteSink
    /// Opens the file `path` for reading ("-" is not special here: the tools decide that).
    func open(_ path: String) -> Result<Source, SystemError>
    /// Standard input.
    func standardInput() -> Source
    /// The status of `path`, or of standard input when nil; nil when it cannot be known.
    func status(_ path: String?) -> InputStatus?
    /// Creates (or empties; with `append`, extends) `path` for writing.
    func create(_ path: String, append: Bool) -> Result<Sink, SystemError>
    /// Writes to standard output, all of `bytes` or an error.
    func writeOutput(_ bytes: ArraySlice<UInt8>) -> Result<Void, SystemError>
    /// Writes to standard error.
    func writeError(_ bytes: [UInt8])
}

/// What the tools that run other programs or report the process's state (env, pwd, xargs) need
/// of the system, apart from streams: kept a separate protocol so the stream tools' backends
/// stay as small as they are.
public protocol ProcessIO: ToolIO {
    /// The environment, NAME=VALUE, in order.
    func environment() -> [String]
    /// The working directory.
    func workingDirectory() -> Result<String, SystemError>
    /// Runs `arguments[0]` (searched in PATH when it has no slash) with `arguments` and, when
    /// given, `environment` instead of this process's; waits for it. Its exit status, or 128+N
    /// when signal N ended it; an error when it could not be started (ENOENT: not found, EACCES:
    /// not executable). Standard output and error are this process's (flushed first by the tool).
    func execute(_ arguments: [String], environment: [String]?) -> Result<Int32, SystemError>
}

/// Renaming and removing files (sed -i writes a new file beside the old and renames it over).
public protocol FileIO: ToolIO {
    func rename(_ from: String, to: String) -> Result<Void, SystemError>
    func remove(_ path: String) -> Result<Void, SystemError>
}

/// What `stat` says of a file, as far as the tools need it (grep -r, find).
public struct FileInfo {
    public enum Kind: Equatable { case regular, directory, symlink, other }
    public var kind: Kind
    public var size: UInt64
    /// The permission bits (and set-id/sticky), without the type.
    public var permissions: UInt32
    /// The modification time, seconds since the Epoch, and the nanoseconds within that second.
    public var modified: Int64
    public var modifiedNanoseconds: Int64
    /// The 512-byte blocks it holds (st_blocks: du).
    public var blocks: UInt64
    public init(kind: Kind, size: UInt64, permissions: UInt32, modified: Int64, modifiedNanoseconds: Int64 = 0, blocks: UInt64 = 0) {
        self.blocks = blocks
        self.kind = kind
        self.size = size
        self.permissions = permissions
        self.modified = modified
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}

/// Walking directory trees (grep -r, find): a file's status and a directory's names.
public protocol TreeIO: ToolIO {
    /// The status of `path`; of a symbolic link itself unless `followLinks`.
    func info(_ path: String, followLinks: Bool) -> Result<FileInfo, SystemError>
    /// The names in directory `path` without "." and "..", in the file system's order.
    func list(_ path: String) -> Result<[String], SystemError>
    /// Removes the empty directory `path` (find -delete).
    func removeDirectory(_ path: String) -> Result<Void, SystemError>
    /// The time now, seconds since the Epoch (find -mtime measures ages from it).
    func currentTime() -> Int64
    /// The entries of directory `path` as `list` gives them, each with its kind when the
    /// directory listing says it (readdir's d_type) and nil when only a status would tell.
    func listWithKinds(_ path: String) -> Result<[(name: String, kind: FileInfo.Kind?)], SystemError>
}

extension TreeIO {
    /// A listing that knows no kinds: every entry needs its status.
    public func listWithKinds(_ path: String) -> Result<[(name: String, kind: FileInfo.Kind?)], SystemError> {
        list(path).map { names in names.map { (name: $0, kind: nil) } }
    }
}
