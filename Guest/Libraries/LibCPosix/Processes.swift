// Processes.swift — the C library's calls that run a command through the shell (POSIX system,
// popen, pclose): /bin/sh -c COMMAND in a child made by fork and execv, the child's standard
// input or output joined to a pipe for popen. Also freopen, which re-aims a stream's descriptor.

private let shellPath: StaticString = "/bin/sh"
private let shellName: StaticString = "sh"
private let dashC: StaticString = "-c"

private func cString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// In the child: runs the command with the shell; 127 if the shell cannot be run (XCU sh).
private func execShell(_ command: UnsafePointer<CChar>) -> Never {
    var argv: [UnsafePointer<CChar>?] = [cString(shellName), cString(dashC), command, nil]
    _ = argv.withUnsafeMutableBufferPointer { cExecv(cString(shellPath), $0.baseAddress!) }
    cExit(127)
}

/// Waits for `pid`, retrying when interrupted: its status word, or -1 (errno set).
private func waitFor(_ pid: Int32) -> Int32 {
    var status: Int32 = 0
    while cWaitpid(pid, &status, 0) < 0 {
        if errnoLocation().pointee != EINTR { return -1 }
    }
    return status
}

/// system (POSIX): NULL asks whether a shell exists (it does: nonzero); otherwise the command's
/// status word as waitpid reports it, or -1 if no child could be made.
@_cdecl("system")
public func system(_ command: UnsafePointer<CChar>?) -> Int32 {
    guard let command else { return 1 }
    _ = cFflush(nil)   // what the program wrote comes before what the command writes
    let pid = cFork()
    if pid < 0 { return -1 }
    if pid == 0 { execShell(command) }
    return waitFor(pid)
}

/// The streams popen made and their children, for pclose (FOPEN_MAX-sized, as in musl).
private let maximumPipes = 16
nonisolated(unsafe) private var pipes = [(stream: OpaquePointer?, pid: Int32)](repeating: (nil, 0), count: maximumPipes)

/// popen (POSIX): mode "r" reads the command's standard output, "w" writes its standard input
/// (an "e" for close-on-exec is accepted); NULL with errno EINVAL for another mode, EMFILE when
/// 16 pipes are open, or the failed call's errno.
@_cdecl("popen")
public func popen(_ command: UnsafePointer<CChar>, _ mode: UnsafePointer<CChar>) -> OpaquePointer? {
    let m = cStringBytes(mode)
    guard let first = m.first, first == UInt8(ascii: "r") || first == UInt8(ascii: "w"),
          m.dropFirst().allSatisfy({ $0 == UInt8(ascii: "e") }) else { setErrno(EINVAL); return nil }
    let reading = first == UInt8(ascii: "r")
    guard let slot = pipes.firstIndex(where: { $0.stream == nil }) else { setErrno(EMFILE); return nil }
    var fds: (Int32, Int32) = (-1, -1)
    let made = withUnsafeMutablePointer(to: &fds) { $0.withMemoryRebound(to: Int32.self, capacity: 2) { cPipe($0) } }
    guard made == 0 else { return nil }
    let (ours, theirs) = reading ? (fds.0, fds.1) : (fds.1, fds.0)
    _ = cFflush(nil)
    let pid = cFork()
    if pid < 0 { _ = cClose(fds.0); _ = cClose(fds.1); return nil }
    if pid == 0 {
        // The child: the pipe's other end as stdin or stdout; no descriptor of an earlier popen
        // stays open in it (POSIX popen: "shall close … streams from previous popen() calls").
        let target: Int32 = reading ? 1 : 0
        if theirs != target { _ = cDup2(theirs, target); _ = cClose(theirs) }
        _ = cClose(ours)
        for p in pipes where p.stream != nil { _ = cClose(cFileno(p.stream!)) }
        execShell(command)
    }
    _ = cClose(theirs)
    let modeString: StaticString = reading ? "r" : "w"
    guard let stream = cFdopen(ours, cString(modeString)) else {
        _ = cClose(ours); _ = waitFor(pid); return nil
    }
    pipes[slot] = (stream, pid)
    return stream
}

/// pclose (POSIX): closes the stream, waits for its command, returns its status word; -1 with
/// ECHILD for a stream popen did not make.
@_cdecl("pclose")
public func pclose(_ stream: OpaquePointer) -> Int32 {
    guard let slot = pipes.firstIndex(where: { $0.stream == stream }) else { setErrno(ECHILD); return -1 }
    let pid = pipes[slot].pid
    pipes[slot] = (nil, 0)
    _ = cFclose(stream)
    return waitFor(pid)
}

/// freopen (C11 7.21.5.4): the stream's descriptor now refers to `path`, opened with `mode` (its
/// buffered output flushed first, its error and end-of-file indicators cleared, its directions
/// those of `mode`); a NULL path
/// (changing only the mode) is not supported: NULL with EINVAL. On failure the stream is closed,
/// as C says, and NULL returned.
@_cdecl("freopen")
public func freopen(_ path: UnsafePointer<CChar>?, _ mode: UnsafePointer<CChar>, _ stream: OpaquePointer) -> OpaquePointer? {
    _ = cFflush(stream)
    guard let path, let flags = openFlags(cStringBytes(mode)) else {
        _ = cFclose(stream); setErrno(EINVAL); return nil
    }
    let fd = cOpen(path, flags, 0o666)
    guard fd >= 0 else { _ = cFclose(stream); return nil }
    let target = cFileno(stream)
    if fd != target {
        guard cDup2(fd, target) >= 0 else { _ = cClose(fd); _ = cFclose(stream); return nil }
        _ = cClose(fd)
    }
    resetStream(stream, mode: mode)
    return stream
}

/// open(2) flags for an fopen mode (C11 7.21.5.3: r w a, then + and b in either order).
func openFlags(_ mode: UnsafeBufferPointer<UInt8>) -> Int32? {
    guard let first = mode.first else { return nil }
    let plus = mode.dropFirst().contains(UInt8(ascii: "+"))
    switch first {
    case UInt8(ascii: "r"): return plus ? O_RDWR : O_RDONLY
    case UInt8(ascii: "w"): return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC
    case UInt8(ascii: "a"): return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND
    default: return nil
    }
}
