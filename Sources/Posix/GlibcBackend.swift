// GlibcBackend.swift — the host implementation of the Posix contract (Contract.swift) over Glibc.
// The only file of the shell's world that imports Glibc.
import Glibc
import Synchronization

@inline(__always) private func lastErrno() -> Errno { Errno(Glibc.errno) }

/// Calls `body` until it does not fail with EINTR; a negative result throws the errno.
@inline(__always) private func retrying<R: BinaryInteger>(_ body: () -> R) throws(Errno) -> R {
    while true {
        let r = body()
        if r >= 0 { return r }
        if Glibc.errno == EINTR { continue }
        throw lastErrno()
    }
}

// MARK: files — open(2) close(2) read(2) write(2) lseek(2) dup(2) dup2(2) pipe(2) fcntl(2)

public func open(_ path: String, _ flags: Int32, _ mode: UInt32 = 0o666) throws(Errno) -> Int32 {
    try retrying { Glibc.open(path, flags, mode_t(mode)) }
}
public func close(_ fd: Int32) throws(Errno) {
    if Glibc.close(fd) < 0 && Glibc.errno != EINTR { throw lastErrno() }
}
/// read(2) of at most `count` bytes; an empty result is end of file.
/// `interruptible`: a caught signal that ends the wait throws EINTR instead of reading again.
public func read(_ fd: Int32, count: Int, interruptible: Bool = false) throws(Errno) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: count)
    let n: Int
    if interruptible {
        n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw lastErrno() }
    } else {
        n = try retrying { buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
    }
    buffer.removeSubrange(n...)
    return buffer
}
/// write(2): returns how many bytes were written (possibly fewer than given).
public func write(_ fd: Int32, _ bytes: [UInt8]) throws(Errno) -> Int {
    if bytes.isEmpty { return 0 }
    return try retrying { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } }
}
public func lseek(_ fd: Int32, _ offset: Int64, _ whence: Int32) throws(Errno) -> Int64 {
    Int64(try retrying { Glibc.lseek(fd, off_t(offset), whence) })
}
public func dup(_ fd: Int32) throws(Errno) -> Int32 { try retrying { Glibc.dup(fd) } }
public func dup2(_ fd: Int32, _ fd2: Int32) throws(Errno) -> Int32 { try retrying { Glibc.dup2(fd, fd2) } }
public func pipe() throws(Errno) -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    _ = try retrying { Glibc.pipe(&fds) }
    return (fds[0], fds[1])
}
public func fcntl(_ fd: Int32, _ cmd: Int32, _ arg: Int32 = 0) throws(Errno) -> Int32 {
    try retrying { Glibc.fcntl(fd, cmd, arg) }
}
public func isatty(_ fd: Int32) -> Bool { Glibc.isatty(fd) == 1 }

// MARK: file status — stat(2) lstat(2) fstat(2) access(2) umask(2)

private func status(_ st: stat) -> FileStatus {
    FileStatus(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino), mode: UInt32(st.st_mode),
               nlink: UInt64(st.st_nlink), uid: st.st_uid, gid: st.st_gid, size: Int64(st.st_size),
               mtimeSeconds: Int64(st.st_mtim.tv_sec), mtimeNanoseconds: Int64(st.st_mtim.tv_nsec))
}
public func stat(_ path: String) throws(Errno) -> FileStatus {
    var st = Glibc.stat()
    _ = try retrying { callStat(path, &st) }
    return status(st)
}
public func lstat(_ path: String) throws(Errno) -> FileStatus {
    var st = Glibc.stat()
    _ = try retrying { callLstat(path, &st) }
    return status(st)
}
public func fstat(_ fd: Int32) throws(Errno) -> FileStatus {
    var st = Glibc.stat()
    _ = try retrying { callFstat(fd, &st) }
    return status(st)
}
public func access(_ path: String, _ mode: Int32) throws(Errno) { _ = try retrying { Glibc.access(path, mode) } }
public func umask(_ mask: UInt32) -> UInt32 { UInt32(Glibc.umask(mode_t(mask))) }

// MARK: directories — getcwd(3) chdir(2) opendir(3)/readdir(3)

public func getcwd() throws(Errno) -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard Glibc.getcwd(&buffer, buffer.count) != nil else { throw lastErrno() }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
public func chdir(_ path: String) throws(Errno) { _ = try retrying { Glibc.chdir(path) } }
/// opendir/readdir/closedir: every entry name of the directory, "." and ".." included.
public func readDirectory(_ path: String) throws(Errno) -> [String] {
    guard let dir = Glibc.opendir(path) else { throw lastErrno() }
    defer { Glibc.closedir(dir) }
    var names: [String] = []
    while let entry = Glibc.readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        names.append(name)
    }
    return names
}

// MARK: processes — fork(2) execve(2) waitpid(2) _exit(2) exit(3) getpid(2) getppid(2) kill(2)

public func fork() throws(Errno) -> Int32 { try retrying { Glibc.fork() } }

/// execve(2): replaces the process image; returns only by throwing.
public func execve(_ path: String, _ argv: [String], _ envp: [String]) throws(Errno) -> Never {
    func cStrings(_ list: [String]) -> [UnsafeMutablePointer<CChar>?] { list.map { strdup($0) } + [nil] }
    let cArgv = cStrings(argv), cEnvp = cStrings(envp)
    Glibc.execve(path, cArgv, cEnvp)
    let e = lastErrno()
    for p in cArgv + cEnvp { free(p) }
    throw e
}
/// waitpid(2): (0, 0) with WNOHANG and no child changed state. EINTR is thrown, not retried.
public func waitpid(_ pid: Int32, _ options: Int32) throws(Errno) -> (pid: Int32, status: Int32) {
    var status: Int32 = 0
    let r = Glibc.waitpid(pid, &status, options)
    guard r >= 0 else { throw lastErrno() }
    return (r, status)
}
public func _exit(_ status: Int32) -> Never { Glibc._exit(status) }
public func exit(_ status: Int32) -> Never { Glibc.exit(status) }
public func getpid() -> Int32 { Glibc.getpid() }
public func getppid() -> Int32 { Glibc.getppid() }
public func getuid() -> UInt32 { Glibc.getuid() }
public func geteuid() -> UInt32 { Glibc.geteuid() }
public func getgid() -> UInt32 { Glibc.getgid() }
public func kill(_ pid: Int32, _ sig: Int32) throws(Errno) { _ = try retrying { Glibc.kill(pid, sig) } }

// MARK: job control — setpgid(2) getpgrp(2) tcgetpgrp(3) tcsetpgrp(3)

public func setpgid(_ pid: Int32, _ pgid: Int32) throws(Errno) { _ = try retrying { Glibc.setpgid(pid, pgid) } }
public func getpgrp() -> Int32 { Glibc.getpgrp() }
public func tcgetpgrp(_ fd: Int32) throws(Errno) -> Int32 { try retrying { Glibc.tcgetpgrp(fd) } }
public func tcsetpgrp(_ fd: Int32, _ pgid: Int32) throws(Errno) { _ = try retrying { Glibc.tcsetpgrp(fd, pgid) } }

/// The process environment (`environ`), as "NAME=value" strings.
public func environment() -> [String] {
    var result: [String] = []
    var p = Glibc.environ
    while let entry = p.pointee { result.append(String(cString: entry)); p += 1 }
    return result
}

/// getpwnam(3): the user database entry for `name`, or nil.
public func getpwnam(_ name: String) -> PasswordEntry? {
    guard let p = Glibc.getpwnam(name) else { return nil }
    let e = p.pointee
    return PasswordEntry(name: String(cString: e.pw_name), uid: e.pw_uid, gid: e.pw_gid,
                         home: String(cString: e.pw_dir), shell: String(cString: e.pw_shell))
}

// MARK: signals — sigaction(2), with caught signals recorded as pending bits

private let pendingSignalBits = Atomic<UInt64>(0)

/// sigaction(2): sets the disposition of `sig`, returning the previous one.
@discardableResult
public func setSignalDisposition(_ sig: Int32, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition {
    var action = sigaction(), old = sigaction()
    switch disposition {
    case .default: action.__sigaction_handler.sa_handler = SIG_DFL
    case .ignore: action.__sigaction_handler.sa_handler = SIG_IGN
    case .caught:
        action.__sigaction_handler.sa_handler = { sig in
            _ = pendingSignalBits.bitwiseOr(UInt64(1) << UInt64(sig & 63), ordering: .sequentiallyConsistent)
        }
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    _ = try retrying { callSigaction(sig, &action, &old) }
    return dispositionOf(old)
}
/// The current disposition of `sig` (sigaction with no new action).
public func signalDisposition(_ sig: Int32) throws(Errno) -> SignalDisposition {
    var old = sigaction()
    _ = try retrying { callSigaction(sig, nil, &old) }
    return dispositionOf(old)
}
private func dispositionOf(_ a: sigaction) -> SignalDisposition {
    let h = unsafeBitCast(a.__sigaction_handler.sa_handler, to: Int.self)
    if h == 0 { return .default }
    if h == 1 { return .ignore }
    return .caught
}
/// sigprocmask(2) over signal numbers: applies `how` with `signals`, returns the old mask.
@discardableResult
public func sigprocmask(_ how: Int32, _ signals: [Int32]) throws(Errno) -> [Int32] {
    var set = sigset_t(), old = sigset_t()
    sigemptyset(&set)
    for s in signals { sigaddset(&set, s) }
    _ = try retrying { Glibc.sigprocmask(how, &set, &old) }
    return (1..<65).filter { sigismember(&old, Int32($0)) == 1 }.map { Int32($0) }
}

/// The caught signals that arrived since the last call, lowest number first; clears them.
public func takePendingSignals() -> [Int32] {
    let bits = pendingSignalBits.exchange(0, ordering: .sequentiallyConsistent)
    if bits == 0 { return [] }
    return (1..<64).filter { bits & (UInt64(1) << UInt64($0)) != 0 }.map { Int32($0) }
}

// MARK: time — times(2), sysconf(_SC_CLK_TCK), clock_gettime(CLOCK_MONOTONIC)

public func times() -> ProcessTimes {
    var t = tms()
    _ = Glibc.times(&t)
    return ProcessTimes(user: Int64(t.tms_utime), system: Int64(t.tms_stime),
                        childrenUser: Int64(t.tms_cutime), childrenSystem: Int64(t.tms_cstime))
}
public func clockTicksPerSecond() -> Int64 { Int64(sysconf(Int32(_SC_CLK_TCK))) }
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

// Glibc's stat and sigaction are both a struct and a function; these name the functions.
private func callStat(_ p: String, _ st: inout Glibc.stat) -> Int32 { stat(p, &st) }
private func callLstat(_ p: String, _ st: inout Glibc.stat) -> Int32 { Glibc.lstat(p, &st) }
private func callFstat(_ fd: Int32, _ st: inout Glibc.stat) -> Int32 { Glibc.fstat(fd, &st) }
private func callSigaction(_ sig: Int32, _ new: UnsafePointer<sigaction>?, _ old: UnsafeMutablePointer<sigaction>?) -> Int32 {
    sigaction(sig, new, old)
}

// MARK: terminal — tcgetattr(3) tcsetattr(3), for the interactive shell's line editor

private let savedTerminalModes = Mutex<[Int32: termios]>([:])

/// Switches the terminal on `fd` to byte-at-a-time input without echo (ICANON, ECHO and ISIG
/// off, as the line editor handles Enter, editing keys and Ctrl-C itself); output processing stays
/// on. Remembers the previous modes for `restoreTerminalMode`. False if `fd` is not a terminal.
public func enterRawMode(_ fd: Int32) -> Bool {
    var t = termios()
    guard tcgetattr(fd, &t) == 0 else { return false }
    savedTerminalModes.withLock { if $0[fd] == nil { $0[fd] = t } }
    var raw = t
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
    raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
    // VMIN 1, VTIME 0: read returns as soon as one byte is there.
    withUnsafeMutableBytes(of: &raw.c_cc) { cc in
        cc[Int(VMIN)] = 1
        cc[Int(VTIME)] = 0
    }
    return tcsetattr(fd, TCSADRAIN, &raw) == 0
}

/// Puts back the modes `enterRawMode` found (before a command runs, and at exit).
public func restoreTerminalMode(_ fd: Int32) {
    guard var t = savedTerminalModes.withLock({ $0.removeValue(forKey: fd) }) else { return }
    _ = tcsetattr(fd, TCSADRAIN, &t)
}
