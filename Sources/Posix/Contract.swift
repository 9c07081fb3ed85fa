// Contract.swift — the Posix module's interface: the system calls the shell (Guest/Libraries/Shell)
// is written against, mirroring POSIX.1-2017 System Interfaces one-to-one.
//
// THE CONTRACT (every backend — this host one over Glibc, later the guest's — provides exactly
// these declarations, with these meanings):
//
// * Each function has the name and meaning of the POSIX function it mirrors; see the POSIX page of
//   that name. Arguments are Swift values (String paths, [UInt8] buffers, [String] argv/envp).
// * Failures throw `Errno` (typed throws) carrying Linux's errno value; nothing returns -1.
//   EINTR is retried inside the backend except by `waitpid`, and by `read(fd, count:,
//   interruptible: true)`, which report it so a caller can notice a caught signal (the `read`
//   builtin: a trapped signal ends its wait, XCU 2.11).
// * Constants (O_*, F_*, FD_CLOEXEC, SIG*, S_IF*, W* decoders) have their Linux x86-64 values and
//   are declared once, here, in pure Swift.
// * Signals: a disposition is default, ignore or catch. A caught signal only sets a pending bit
//   (no Swift code runs in the handler); the program collects them with `takePendingSignals()`.
// * `fork` is only called by single-threaded programs; in the child, only Posix calls are made
//   before `execve`/`_exit`.
// * Directory listing is `readdir`-shaped: `readDirectory(path)` returns every entry name
//   (including "." and ".."), in the order the file system gives them.
//
// The functions a backend provides (signatures: GlibcBackend.swift):
//   files        open close read(count:interruptible:) write lseek dup dup2 pipe fcntl isatty
//   status       stat lstat fstat access umask
//   directories  getcwd chdir readDirectory
//   processes    fork execve waitpid _exit exit getpid getppid getuid geteuid getgid kill
//                environment getpwnam
//   job control  setpgid getpgrp tcgetpgrp tcsetpgrp (XCU 2.11: a job per process group, the
//                terminal's foreground group)
//   signals      setSignalDisposition signalDisposition sigprocmask takePendingSignals
//   time         times clockTicksPerSecond monotonicNanoseconds
//   terminal     enterRawMode restoreTerminalMode (tcgetattr/tcsetattr for the line editor: the
//                terminal's own echo and line editing off, then back as it was)
//
// This file is pure Swift (no Glibc) so the guest can share it; GlibcBackend.swift is the host.

/// A POSIX error number (Linux values).
public struct Errno: Error, Equatable, Hashable, Sendable {
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public static let EPERM = Errno(1), ENOENT = Errno(2), ESRCH = Errno(3), EINTR = Errno(4)
    public static let EIO = Errno(5), ENXIO = Errno(6), E2BIG = Errno(7), ENOEXEC = Errno(8)
    public static let EBADF = Errno(9), ECHILD = Errno(10), EAGAIN = Errno(11), ENOMEM = Errno(12)
    public static let EACCES = Errno(13), EFAULT = Errno(14), EBUSY = Errno(16), EEXIST = Errno(17)
    public static let EXDEV = Errno(18), ENODEV = Errno(19), ENOTDIR = Errno(20), EISDIR = Errno(21)
    public static let EINVAL = Errno(22), ENFILE = Errno(23), EMFILE = Errno(24), ENOTTY = Errno(25)
    public static let ETXTBSY = Errno(26), EFBIG = Errno(27), ENOSPC = Errno(28), ESPIPE = Errno(29)
    public static let EROFS = Errno(30), EMLINK = Errno(31), EPIPE = Errno(32), ERANGE = Errno(34)
    public static let ENAMETOOLONG = Errno(36), ENOSYS = Errno(38), ENOTEMPTY = Errno(39), ELOOP = Errno(40)

    /// The text dash (glibc's strerror) prints for the errors a shell reports.
    public var message: String {
        switch rawValue {
        case 1: return "Operation not permitted"
        case 2: return "No such file or directory"
        case 3: return "No such process"
        case 4: return "Interrupted system call"
        case 5: return "Input/output error"
        case 7: return "Argument list too long"
        case 8: return "Exec format error"
        case 9: return "Bad file descriptor"
        case 10: return "No child processes"
        case 11: return "Resource temporarily unavailable"
        case 12: return "Cannot allocate memory"
        case 13: return "Permission denied"
        case 17: return "File exists"
        case 20: return "Not a directory"
        case 21: return "Is a directory"
        case 22: return "Invalid argument"
        case 24: return "Too many open files"
        case 25: return "Inappropriate ioctl for device"
        case 26: return "Text file busy"
        case 28: return "No space left on device"
        case 29: return "Illegal seek"
        case 30: return "Read-only file system"
        case 32: return "Broken pipe"
        case 36: return "File name too long"
        case 39: return "Directory not empty"
        case 40: return "Too many levels of symbolic links"
        default: return "Unknown error \(rawValue)"
        }
    }
}

// MARK: open(2) flags, fcntl(2) commands (Linux x86-64)
public let O_RDONLY: Int32 = 0, O_WRONLY: Int32 = 1, O_RDWR: Int32 = 2, O_ACCMODE: Int32 = 3
public let O_CREAT: Int32 = 0o100, O_EXCL: Int32 = 0o200, O_NOCTTY: Int32 = 0o400
public let O_TRUNC: Int32 = 0o1000, O_APPEND: Int32 = 0o2000, O_NONBLOCK: Int32 = 0o4000
public let O_DIRECTORY: Int32 = 0o200000, O_NOFOLLOW: Int32 = 0o400000, O_CLOEXEC: Int32 = 0o2000000
public let F_DUPFD: Int32 = 0, F_GETFD: Int32 = 1, F_SETFD: Int32 = 2, F_GETFL: Int32 = 3
public let F_SETFL: Int32 = 4, F_DUPFD_CLOEXEC: Int32 = 1030
public let FD_CLOEXEC: Int32 = 1
public let SEEK_SET: Int32 = 0, SEEK_CUR: Int32 = 1, SEEK_END: Int32 = 2
public let R_OK: Int32 = 4, W_OK: Int32 = 2, X_OK: Int32 = 1, F_OK: Int32 = 0
public let WNOHANG: Int32 = 1, WUNTRACED: Int32 = 2, WCONTINUED: Int32 = 8

// MARK: file modes (sys/stat.h)
public let S_IFMT: UInt32 = 0o170000, S_IFSOCK: UInt32 = 0o140000, S_IFLNK: UInt32 = 0o120000
public let S_IFREG: UInt32 = 0o100000, S_IFBLK: UInt32 = 0o060000, S_IFDIR: UInt32 = 0o040000
public let S_IFCHR: UInt32 = 0o020000, S_IFIFO: UInt32 = 0o010000
public let S_ISUID: UInt32 = 0o4000, S_ISGID: UInt32 = 0o2000, S_ISVTX: UInt32 = 0o1000
public func S_ISREG(_ m: UInt32) -> Bool { m & S_IFMT == S_IFREG }
public func S_ISDIR(_ m: UInt32) -> Bool { m & S_IFMT == S_IFDIR }
public func S_ISLNK(_ m: UInt32) -> Bool { m & S_IFMT == S_IFLNK }
public func S_ISCHR(_ m: UInt32) -> Bool { m & S_IFMT == S_IFCHR }
public func S_ISBLK(_ m: UInt32) -> Bool { m & S_IFMT == S_IFBLK }
public func S_ISFIFO(_ m: UInt32) -> Bool { m & S_IFMT == S_IFIFO }
public func S_ISSOCK(_ m: UInt32) -> Bool { m & S_IFMT == S_IFSOCK }

// MARK: signals (Linux x86-64 numbers)
public let SIGHUP: Int32 = 1, SIGINT: Int32 = 2, SIGQUIT: Int32 = 3, SIGILL: Int32 = 4
public let SIGTRAP: Int32 = 5, SIGABRT: Int32 = 6, SIGBUS: Int32 = 7, SIGFPE: Int32 = 8
public let SIGKILL: Int32 = 9, SIGUSR1: Int32 = 10, SIGSEGV: Int32 = 11, SIGUSR2: Int32 = 12
public let SIGPIPE: Int32 = 13, SIGALRM: Int32 = 14, SIGTERM: Int32 = 15, SIGCHLD: Int32 = 17
public let SIGCONT: Int32 = 18, SIGSTOP: Int32 = 19, SIGTSTP: Int32 = 20, SIGTTIN: Int32 = 21
public let SIGTTOU: Int32 = 22, SIGURG: Int32 = 23, SIGXCPU: Int32 = 24, SIGXFSZ: Int32 = 25
public let SIGVTALRM: Int32 = 26, SIGPROF: Int32 = 27, SIGWINCH: Int32 = 28, SIGIO: Int32 = 29
public let SIGPWR: Int32 = 30, SIGSYS: Int32 = 31
/// Signal names without the SIG prefix, indexed by number (as `kill -l` lists them).
public let signalNames: [String] = ["EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
    "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
    "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"]

/// sigprocmask(2) `how` values.
public let SIG_BLOCK: Int32 = 0, SIG_UNBLOCK: Int32 = 1, SIG_SETMASK: Int32 = 2

/// What a process does on a signal. `caught` only records it (see `takePendingSignals`).
public enum SignalDisposition: Equatable, Sendable { case `default`, ignore, caught }

// MARK: wait status decoders (sys/wait.h macros as functions)
public func WIFEXITED(_ s: Int32) -> Bool { s & 0x7f == 0 }
public func WEXITSTATUS(_ s: Int32) -> Int32 { (s >> 8) & 0xff }
public func WIFSIGNALED(_ s: Int32) -> Bool { ((s & 0x7f) + 1) >> 1 > 0 && s & 0x7f != 0x7f }
public func WTERMSIG(_ s: Int32) -> Int32 { s & 0x7f }
public func WIFSTOPPED(_ s: Int32) -> Bool { s & 0xff == 0x7f }
public func WSTOPSIG(_ s: Int32) -> Int32 { WEXITSTATUS(s) }
public func WCOREDUMP(_ s: Int32) -> Bool { s & 0x80 != 0 }
public func WIFCONTINUED(_ s: Int32) -> Bool { s == 0xffff }

/// `struct stat`, the fields a shell uses.
public struct FileStatus: Equatable, Sendable {
    public var dev: UInt64, ino: UInt64, mode: UInt32, nlink: UInt64
    public var uid: UInt32, gid: UInt32, size: Int64
    public var mtimeSeconds: Int64, mtimeNanoseconds: Int64
    public init(dev: UInt64, ino: UInt64, mode: UInt32, nlink: UInt64, uid: UInt32, gid: UInt32,
                size: Int64, mtimeSeconds: Int64, mtimeNanoseconds: Int64) {
        self.dev = dev; self.ino = ino; self.mode = mode; self.nlink = nlink; self.uid = uid
        self.gid = gid; self.size = size; self.mtimeSeconds = mtimeSeconds; self.mtimeNanoseconds = mtimeNanoseconds
    }
}

/// `struct tms` from times(2), in clock ticks (`clockTicksPerSecond()` per second).
public struct ProcessTimes: Equatable, Sendable {
    public var user: Int64, system: Int64, childrenUser: Int64, childrenSystem: Int64
    public init(user: Int64, system: Int64, childrenUser: Int64, childrenSystem: Int64) {
        self.user = user; self.system = system; self.childrenUser = childrenUser; self.childrenSystem = childrenSystem
    }
}

/// `struct passwd` from getpwnam(3), the fields a shell uses (~user is the home directory).
public struct PasswordEntry: Equatable, Sendable {
    public var name: String, uid: UInt32, gid: UInt32, home: String, shell: String
    public init(name: String, uid: UInt32, gid: UInt32, home: String, shell: String) {
        self.name = name; self.uid = uid; self.gid = gid; self.home = home; self.shell = shell
    }
}
