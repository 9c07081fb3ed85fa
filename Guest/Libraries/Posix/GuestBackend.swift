// GuestBackend.swift — the guest's implementation of the Posix contract (Contract.swift, shared
// with the host through a symbolic link) over UserLib's system calls, so the Shell library runs as
// the guest's /bin/sh. Each function keeps the meaning of the POSIX function it is named after;
// where the kernel has no such notion yet, the function does the honest minimum, all listed here:
//
// * Working directory: the kernel has none; it is the PWD environment variable (UserLib's
//   Environment.workingDirectory, which UserLib makes relative paths absolute against). chdir
//   checks the directory and sets PWD; execve passes the caller's PWD on, as a child inherits a
//   working directory.
// * Users: the kernel's ids (UserLib Credentials); getpwnam reads /etc/passwd (root alone without
//   it). access() checks the bits that apply to the caller (its effective ids, as fsd does).
// * umask: the kernel's, per process and inherited; the file server applies it to new files.
// * Signals are the kernel's (docs/SIGNALS.md): a caught signal runs UserRuntime's recorder,
//   which only sets a bit (Swift code must not run in a handler), collected by
//   takePendingSignals. It is installed without SA_RESTART, so a wait it interrupts ends with
//   EINTR: waitpid and an interruptible read report it (the contract), every other call here
//   retries.
// * times(): all zero (the kernel keeps no CPU accounting yet).
// * lstat is stat: RedoxFS here has no symbolic links.
import ABI
import UserLib

/// UserLib's errno as the contract's (both carry Linux's numbers).
@inline(__always) private func posix(_ e: UserLib.Errno) -> Errno { Errno(e.code) }

@inline(__always) private func value<T>(_ r: Result<T, UserLib.Errno>) throws(Errno) -> T {
    switch r {
    case .success(let v): return v
    case .failure(let e): throw posix(e)
    }
}

/// `body` again while it fails with EINTR (a caught signal; see the header).
@inline(__always) private func retrying<T>(_ body: () -> Result<T, UserLib.Errno>) throws(Errno) -> T {
    while true {
        switch body() {
        case .success(let v): return v
        case .failure(let e):
            if e.code == Errno.EINTR.rawValue { continue }
            throw posix(e)
        }
    }
}

// MARK: files — open(2) close(2) read(2) write(2) lseek(2) dup(2) dup2(2) pipe(2) fcntl(2)

/// open(2); a file it creates gets `mode` less the umask (the file server applies the caller's).
public func open(_ path: String, _ flags: Int32, _ mode: UInt32 = 0o666) throws(Errno) -> Int32 {
    try retrying { Unix.open(path, flags, mode: mode) }
}
public func close(_ fd: Int32) throws(Errno) { _ = try value(Unix.close(fd)) }
/// read(2) of at most `count` bytes; an empty result is end of file.
/// `interruptible`: a caught signal that ends the wait throws EINTR instead of reading again.
public func read(_ fd: Int32, count: Int, interruptible: Bool = false) throws(Errno) -> [UInt8] {
    guard count > 0 else { return [] }
    var buffer = [UInt8](repeating: 0, count: count)
    let n: Int
    if interruptible {
        n = try value(Unix.read(fd, into: &buffer, count: count))
    } else {
        n = try retrying { Unix.read(fd, into: &buffer, count: count) }
    }
    buffer.removeSubrange(n...)
    return buffer
}
/// write(2): returns how many bytes were written (possibly fewer than given).
public func write(_ fd: Int32, _ bytes: [UInt8]) throws(Errno) -> Int {
    if bytes.isEmpty { return 0 }
    return try retrying { Unix.write(fd, bytes) }
}
public func lseek(_ fd: Int32, _ offset: Int64, _ whence: Int32) throws(Errno) -> Int64 {
    try value(Unix.lseek(fd, offset, whence))
}
public func dup(_ fd: Int32) throws(Errno) -> Int32 { Int32(try value(Unix.dup(fd))) }
public func dup2(_ fd: Int32, _ fd2: Int32) throws(Errno) -> Int32 { Int32(try retrying { Unix.dup2(fd, fd2) }) }
public func pipe() throws(Errno) -> (read: Int32, write: Int32) {
    let p = try value(Unix.pipe())
    return (p.reader, p.writer)
}
public func fcntl(_ fd: Int32, _ cmd: Int32, _ arg: Int32 = 0) throws(Errno) -> Int32 {
    Int32(truncatingIfNeeded: try value(Unix.fcntl(fd, cmd, UInt64(UInt32(bitPattern: arg)))))
}
/// A terminal: a character device with a tty major number (4: ttyN, 5: the console and /dev/tty,
/// 136: a pseudo-terminal), as the kernel reports in st_rdev.
public func isatty(_ fd: Int32) -> Bool {
    guard case .success(let s) = Unix.fstat(fd), s.mode & S_IFMT == S_IFCHR else { return false }
    let major = s.device >> 8
    return major == 4 || major == 5 || major == 136
}

// MARK: file status — stat(2) lstat(2) fstat(2) access(2) umask(2)

private func status(_ s: UserLib.FileStatus) -> FileStatus {
    // One filesystem and the kernel's devices: st_dev is not reported, so all share device 1.
    FileStatus(dev: 1, ino: s.inode, mode: s.mode, nlink: UInt64(s.links), uid: s.uid, gid: s.gid,
               size: Int64(clamping: s.size), mtimeSeconds: s.modified.seconds, mtimeNanoseconds: s.modified.nanoseconds)
}
public func stat(_ path: String) throws(Errno) -> FileStatus { status(try value(Unix.stat(path))) }
public func lstat(_ path: String) throws(Errno) -> FileStatus { try stat(path) }
public func fstat(_ fd: Int32) throws(Errno) -> FileStatus { status(try value(Unix.fstat(fd))) }
public func access(_ path: String, _ mode: Int32) throws(Errno) {
    let s = try value(Unix.stat(path))
    let bits = UInt32((mode & R_OK != 0 ? 4 : 0) | (mode & W_OK != 0 ? 2 : 0) | (mode & X_OK != 0 ? 1 : 0))
    if !mayAccess(s, bits) { throw Errno.EACCES }
}

/// XSH 4.5 for `bits` (4 read, 2 write, 1 execute/search) by this process's effective ids, as fsd
/// decides (docs/SECURITY.md): root reads and writes anything and executes what has some x bit
/// (searches any directory); others get the owner's, group's or others' triple, whichever applies.
private func mayAccess(_ s: UserLib.FileStatus, _ bits: UInt32) -> Bool {
    let euid = Credentials.geteuid()
    if euid == 0 { return bits & 1 == 0 || s.isDirectory || s.mode & 0o111 != 0 }
    let inGroup = Credentials.getegid() == s.gid || Credentials.getgroups().contains(s.gid)
    let shift: UInt32 = euid == s.uid ? 6 : inGroup ? 3 : 0
    return (s.mode >> shift) & bits == bits
}

/// umask(2): the kernel's mask for this process (inherited by its children).
public func umask(_ mask: UInt32) -> UInt32 { Credentials.umask(mask) }

// MARK: directories — getcwd(3) chdir(2) opendir(3)/readdir(3)

public func getcwd() throws(Errno) -> String { Environment.workingDirectory }
public func chdir(_ path: String) throws(Errno) {
    guard !path.isEmpty else { throw Errno.ENOENT }
    let absolute = Paths.absolute(path)
    let s = try stat(absolute)
    guard S_ISDIR(s.mode) else { throw Errno.ENOTDIR }
    guard Environment.set("PWD", absolute) else { throw Errno.ENAMETOOLONG }
}
/// Every entry name of the directory, "." and ".." included (readdir's view).
public func readDirectory(_ path: String) throws(Errno) -> [String] {
    [".", ".."] + (try value(Unix.readDirectory(path)))
}

// MARK: processes — fork(2) execve(2) waitpid(2) _exit(2) exit(3) getpid(2) getppid(2) kill(2)

public func fork() throws(Errno) -> Int32 { Int32(try value(Unix.fork())) }

/// execve(2): replaces the process image; returns only by throwing. PWD is set to the caller's
/// working directory (see the header).
public func execve(_ path: String, _ argv: [String], _ envp: [String]) throws(Errno) -> Never {
    var block: [UInt8] = []
    for entry in envp where !entry.hasPrefix("PWD=") { block += Array(entry.utf8) + [0] }
    block += Array("PWD=\(Environment.workingDirectory)".utf8) + [0]
    // The program is read once, here, and judged by its first bytes: an ELF image is executed as
    // it is; a "#!" script goes to UserLib's execve, which finds its interpreter. Anything else is
    // refused with ENOEXEC, as the kernel would refuse it, but without the kernel's console
    // message about it: the shell then runs it as a script (XCU 2.9.1.1), and its output stays
    // the script's own. (Checking first and letting execve read the file again cost four more
    // requests to the file server for every command the shell starts.) A file that is not a
    // regular file with an execute bit, or a name without a slash (a PATH search), is left to
    // UserLib's execve, which reports it (EACCES for a missing execute bit, as the kernel).
    if path.utf8.contains(UInt8(ascii: "/")), case .success = Unix.executable(path), case .success(let image) = Files.read(path) {
        if image.starts(with: [0x7f, 0x45, 0x4c, 0x46]) {
            throw posix(Unix.exec(image: image, arguments: argv.isEmpty ? [path] : argv, environment: block))
        }
        if !image.starts(with: [0x23, 0x21]) { throw Errno.ENOEXEC }
    }
    throw posix(Unix.execve(path, arguments: argv, environment: block))
}
/// waitpid(2): (0, 0) with WNOHANG and no child changed state.
public func waitpid(_ pid: Int32, _ options: Int32) throws(Errno) -> (pid: Int32, status: Int32) {
    let r = try value(Unix.waitpid(Int(pid), options: options))
    return (Int32(truncatingIfNeeded: r.pid), r.status.raw)
}
public func _exit(_ status: Int32) -> Never { System.exit(status & 0xff) }
public func exit(_ status: Int32) -> Never { System.exit(status & 0xff) }
public func getpid() -> Int32 { Int32(truncatingIfNeeded: System.getpid()) }
public func getppid() -> Int32 { Int32(truncatingIfNeeded: Unix.getppid()) }
public func getuid() -> UInt32 { Credentials.getuid() }
public func geteuid() -> UInt32 { Credentials.geteuid() }
public func getgid() -> UInt32 { Credentials.getgid() }
public func kill(_ pid: Int32, _ sig: Int32) throws(Errno) {
    guard sig >= 0 && sig < 65 else { throw Errno.EINVAL }
    let r = System.kill(Int(pid), signal: sig)
    if r < 0 { throw Errno(Int32(-r)) }
}
/// The process environment, as "NAME=value" strings.
public func environment() -> [String] {
    Environment.all().map { "\($0.name)=\($0.value)" }
}
/// getpwnam(3): from /etc/passwd (see the header).
public func getpwnam(_ name: String) -> PasswordEntry? {
    guard let u = UserDatabase.user(named: name) else { return nil }
    return PasswordEntry(name: u.name, uid: u.uid, gid: u.gid, home: u.home, shell: u.shell)
}

// MARK: signals — sigaction(2) with the recorder, sigprocmask(2) (see the header)

@discardableResult
public func setSignalDisposition(_ sig: Int32, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition {
    guard sig > 0 && sig < 65, sig != SIGKILL, sig != SIGSTOP else { throw Errno.EINVAL }
    let old = try signalDisposition(sig)
    switch disposition {
    case .default: _ = try value(Unix.ignoreSignal(sig, false))
    case .ignore: _ = try value(Unix.ignoreSignal(sig, true))
    case .caught: _ = try value(Unix.catchSignal(sig))
    }
    return old
}
public func signalDisposition(_ sig: Int32) throws(Errno) -> SignalDisposition {
    guard sig > 0 && sig < 65 else { throw Errno.EINVAL }
    switch try value(Unix.signalHandler(sig)) {
    case 0: return .default
    case 1: return .ignore
    default: return .caught
    }
}
private func maskBits(_ signals: [Int32]) -> UInt64 {
    var bits: UInt64 = 0
    for s in signals where s > 0 && s < 65 && s != SIGKILL && s != SIGSTOP { bits |= 1 << UInt64(s - 1) }
    return bits
}
@discardableResult
public func sigprocmask(_ how: Int32, _ signals: [Int32]) throws(Errno) -> [Int32] {
    guard how == SIG_BLOCK || how == SIG_UNBLOCK || how == SIG_SETMASK else { throw Errno.EINVAL }
    let old = try value(Unix.signalMask(how, maskBits(signals)))
    return (1..<65).filter { old & (UInt64(1) << UInt64($0 - 1)) != 0 }.map { Int32($0) }
}
/// The caught signals that arrived since the last call, lowest number first; clears them.
public func takePendingSignals() -> [Int32] {
    let bits = Unix.takeCaughtSignals()
    if bits == 0 { return [] }
    return (1..<65).filter { bits & (UInt64(1) << UInt64($0 - 1)) != 0 }.map { Int32($0) }
}

// MARK: job control — setpgid(2) getpgrp(2) tcgetpgrp(3) tcsetpgrp(3)

public func setpgid(_ pid: Int32, _ pgid: Int32) throws(Errno) { _ = try value(Unix.setpgid(Int(pid), Int(pgid))) }
public func getpgrp() -> Int32 { (try? value(Unix.getpgid(0))).map { Int32(truncatingIfNeeded: $0) } ?? 0 }
/// tcgetpgrp: ENOTTY on the kernel console (no terminal server: no job control there).
public func tcgetpgrp(_ fd: Int32) throws(Errno) -> Int32 { Int32(truncatingIfNeeded: try value(TerminalCalls.foregroundGroup(fd))) }
public func tcsetpgrp(_ fd: Int32, _ pgid: Int32) throws(Errno) { _ = try value(TerminalCalls.setForegroundGroup(fd, Int(pgid))) }

// MARK: time

public func times() -> ProcessTimes { ProcessTimes(user: 0, system: 0, childrenUser: 0, childrenSystem: 0) }
public func clockTicksPerSecond() -> Int64 { 100 }
public func monotonicNanoseconds() -> UInt64 { System.clock() }

// MARK: terminal — the one place the line editor's terminal modes are set
//
// On the terminal server (ttyd: canonical mode with echo by default) these are tcgetattr and
// tcsetattr with ICANON/ECHO/ISIG/IEXTEN and IXON/ICRNL cleared, VMIN 1 and VTIME 0, as the host
// backend (Sources/Posix/GlibcBackend.swift) does. The kernel console (no ttyd: boots with
// init=PROGRAM) has no line discipline and answers ENOTTY: it already hands every byte over as
// typed and echoes nothing, the raw mode the line editor wants, so there is nothing to set.
nonisolated(unsafe) private var savedTerminalModes: [(fd: Int32, termios: [UInt8])] = []
public func enterRawMode(_ fd: Int32) -> Bool {
    guard case .success(let current) = TerminalCalls.getAttributes(fd) else { return isatty(fd) }
    if !savedTerminalModes.contains(where: { $0.fd == fd }) { savedTerminalModes.append((fd, current)) }
    var raw = current
    // struct sv_termios: c_iflag at 0, c_lflag at 12, c_cc at 17 (sv_tty.h), little-endian.
    func clear(_ offset: Int, _ bits: UInt32) {
        for i in 0..<4 { raw[offset + i] &= ~UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i))) }
    }
    clear(0, UInt32(SV_IXON | SV_ICRNL))
    clear(12, UInt32(SV_ICANON | SV_ECHO | SV_ISIG | SV_IEXTEN))
    raw[17 + Int(SV_VMIN)] = 1
    raw[17 + Int(SV_VTIME)] = 0
    if case .success = TerminalCalls.setAttributes(fd, SV_TCSETSW, raw) { return true }
    return false
}
/// Puts back the modes `enterRawMode` found (before a command runs, and at exit).
public func restoreTerminalMode(_ fd: Int32) {
    guard let i = savedTerminalModes.firstIndex(where: { $0.fd == fd }) else { return }
    _ = TerminalCalls.setAttributes(fd, SV_TCSETSW, savedTerminalModes.remove(at: i).termios)
}
