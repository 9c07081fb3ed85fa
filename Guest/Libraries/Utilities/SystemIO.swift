// SystemIO.swift — what the system utilities (uname, id, whoami, mktemp, stat, dd, diff, time, ln,
// which, chown) need beyond streams and trees: a file's whole status (stat(2)), the system's names
// (uname(2)), the process's identity and the user/group databases, exclusive creation, output
// opened at an offset (dd), links, owners, a monotonic clock. One protocol so that Utilities.run
// names one backend; each backend says what its system does not have (the guest: no links, no
// owners other than root) by the errno Linux uses for it.

/// A moment: seconds since the Epoch and the nanoseconds within that second.
public struct Timestamp: Equatable {
    public var seconds: Int64
    public var nanoseconds: Int64
    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
}

/// Everything stat(2)/statx(2) tells of a file (what GNU stat prints).
public struct FullStatus {
    /// st_mode: the type bits (S_IFMT) and the permission bits.
    public var mode: UInt32
    public var size: UInt64
    /// 512-byte blocks held.
    public var blocks: UInt64
    /// The preferred I/O size (st_blksize).
    public var blockSize: UInt64
    public var inode: UInt64
    public var links: UInt64
    public var uid: UInt32
    public var gid: UInt32
    /// The device holding the file, and (for device files) the device it is.
    public var deviceMajor: UInt32, deviceMinor: UInt32
    public var specialMajor: UInt32, specialMinor: UInt32
    public var accessed: Timestamp, modified: Timestamp, changed: Timestamp
    /// The creation time, when the file system records one.
    public var born: Timestamp?

    public init(mode: UInt32, size: UInt64, blocks: UInt64, blockSize: UInt64, inode: UInt64, links: UInt64, uid: UInt32, gid: UInt32,
                deviceMajor: UInt32, deviceMinor: UInt32, specialMajor: UInt32 = 0, specialMinor: UInt32 = 0,
                accessed: Timestamp, modified: Timestamp, changed: Timestamp, born: Timestamp?) {
        self.mode = mode; self.size = size; self.blocks = blocks; self.blockSize = blockSize
        self.inode = inode; self.links = links; self.uid = uid; self.gid = gid
        self.deviceMajor = deviceMajor; self.deviceMinor = deviceMinor
        self.specialMajor = specialMajor; self.specialMinor = specialMinor
        self.accessed = accessed; self.modified = modified; self.changed = changed; self.born = born
    }

    public static let typeMask: UInt32 = 0o170000
    public static let regular: UInt32 = 0o100000, directory: UInt32 = 0o040000, symlink: UInt32 = 0o120000
    public static let character: UInt32 = 0o020000, block: UInt32 = 0o060000, fifo: UInt32 = 0o010000, socket: UInt32 = 0o140000
    public var type: UInt32 { mode & FullStatus.typeMask }
}

/// uname(2)'s fields, and the operating system's name (GNU uname -o).
public struct SystemNames {
    public var system: String, node: String, release: String, version: String, machine: String
    public var operatingSystem: String
    public init(system: String, node: String, release: String, version: String, machine: String, operatingSystem: String) {
        self.system = system; self.node = node; self.release = release; self.version = version
        self.machine = machine; self.operatingSystem = operatingSystem
    }
}

/// The process's user and groups (getuid, geteuid, getgid, getegid, getgroups).
public struct Identity {
    public var uid: UInt32, euid: UInt32, gid: UInt32, egid: UInt32
    public var groups: [UInt32]
    public init(uid: UInt32, euid: UInt32, gid: UInt32, egid: UInt32, groups: [UInt32]) {
        self.uid = uid; self.euid = euid; self.gid = gid; self.egid = egid; self.groups = groups
    }
}

extension SystemError {
    public static let EPERM = SystemError(1), EACCES = SystemError(13), EEXIST = SystemError(17)
    public static let ENOTDIR = SystemError(20), ENOTSUP = SystemError(95)
}

public protocol SystemIO: ProcessIO, FileIO, TreeIO {
    /// stat(2) (or lstat(2) unless `followLinks`).
    func fullStatus(_ path: String, followLinks: Bool) -> Result<FullStatus, SystemError>
    /// A symbolic link's target (stat's "-> target"); nil when `path` is not one.
    func linkTarget(_ path: String) -> String?
    func systemNames() -> SystemNames
    func identity() -> Identity
    /// The user database (/etc/passwd): a name by number, a number and primary group by name.
    func userName(_ uid: UInt32) -> String?
    func user(named name: String) -> (uid: UInt32, gid: UInt32)?
    /// The group database (/etc/group): a name by number, a number by name, a user's groups.
    func groupName(_ gid: UInt32) -> String?
    func groupID(named name: String) -> UInt32?
    func supplementaryGroups(of user: String) -> [UInt32]
    /// Creates `path`, failing with EEXIST if it exists (mktemp).
    func createExclusive(_ path: String, mode: UInt32) -> Result<Void, SystemError>
    func makeDirectory(_ path: String, mode: UInt32) -> Result<Void, SystemError>
    /// Unpredictable bytes (mktemp's names).
    func randomBytes(_ count: Int) -> [UInt8]
    /// Opens `path` for writing (created if missing) at byte `offset`, cut there first when
    /// `truncate` (dd's of= and seek=).
    func openOutput(_ path: String, offset: UInt64, truncate: Bool) -> Result<Sink, SystemError>
    /// ln: a symbolic link at `path` holding `target`, or a hard link to the file `target`.
    func makeLink(_ target: String, at path: String, symbolic: Bool) -> Result<Void, SystemError>
    /// chown: nil leaves that id as it is.
    func changeOwner(_ path: String, uid: UInt32?, gid: UInt32?) -> Result<Void, SystemError>
    /// Whether `path` is a regular file this process may execute (which).
    func isExecutableFile(_ path: String) -> Bool
    /// A monotonic clock, nanoseconds (time, dd's rate).
    func monotonicNanoseconds() -> UInt64
    /// Waits `nanoseconds` (tail -f between looks at its files); false when the caller should
    /// stop waiting altogether (a test harness's time budget is spent).
    func sleep(nanoseconds: UInt64) -> Bool
    /// The user and system CPU time of the waited-for children so far, nanoseconds; nil when
    /// the system does not account it.
    func childrenTimes() -> (user: UInt64, system: UInt64)?
    /// Whether standard output is a terminal (ls --color=auto).
    func outputIsTerminal() -> Bool
    /// The terminal's width in columns when standard output is one (TIOCGWINSZ; ls -C).
    func terminalColumns() -> Int?
}
