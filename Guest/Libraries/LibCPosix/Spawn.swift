// Spawn.swift — posix_spawn and posix_spawnp (XSH) on fork and execve, with the file actions open,
// close and dup2 applied in the child first. Attributes are accepted and ignored (no process
// groups or signal masks yet: LibC/include/spawn.h).
//
// posix_spawn_file_actions_t (spawn.h, 16 bytes): count Int32 at 0, capacity Int32 at 4, and at 8
// a pointer to this file's SpawnAction array, which only this file reads or writes.
// SAFETY: every `actions` below is the caller's posix_spawn_file_actions_t, set up by
// posix_spawn_file_actions_init (XSH: otherwise undefined).

private let EBADF: Int32 = 9, ENOMEM: Int32 = 12
private let O_CLOEXEC: Int32 = 0o2000000, F_SETFD: Int32 = 2

private struct SpawnAction {
    enum Kind { case open, close, dup2 }
    var kind: Kind
    var fd: Int32, target: Int32 = -1, flags: Int32 = 0, mode: UInt32 = 0
    var path: UnsafeMutablePointer<CChar>? = nil
}

private func count(_ a: UnsafeRawPointer) -> Int { Int(a.load(as: Int32.self)) }
private func list(_ a: UnsafeRawPointer) -> UnsafeMutablePointer<SpawnAction>? {
    a.load(fromByteOffset: 8, as: UnsafeMutablePointer<SpawnAction>?.self)
}

@_cdecl("posix_spawn_file_actions_init")
public func spawnActionsInit(_ a: UnsafeMutableRawPointer) -> Int32 { _ = cMemset(a, 0, 16); return 0 }

@_cdecl("posix_spawn_file_actions_destroy")
public func spawnActionsDestroy(_ a: UnsafeMutableRawPointer) -> Int32 {
    if let actions = list(a) {
        let n = count(a)
        for i in 0..<n { cFree(actions[i].path) }
        actions.deinitialize(count: n)
        actions.deallocate()
    }
    _ = cMemset(a, 0, 16)
    return 0
}

/// Appends an action, growing the array by doubling: 0, EBADF for a negative descriptor, ENOMEM.
private func add(_ a: UnsafeMutableRawPointer, _ action: SpawnAction) -> Int32 {
    if action.fd < 0 || action.target < -1 { return EBADF }
    let n = count(a), capacity = Int(a.load(fromByteOffset: 4, as: Int32.self))
    var actions = list(a)
    if n == capacity {
        let grown = capacity == 0 ? 4 : capacity * 2
        let more = UnsafeMutablePointer<SpawnAction>.allocate(capacity: grown)
        if let actions {
            more.moveInitialize(from: actions, count: n)
            actions.deallocate()
        }
        actions = more
        a.storeBytes(of: Int32(grown), toByteOffset: 4, as: Int32.self)
        a.storeBytes(of: more, toByteOffset: 8, as: UnsafeMutablePointer<SpawnAction>?.self)
    }
    (actions! + n).initialize(to: action)
    a.storeBytes(of: Int32(n + 1), as: Int32.self)
    return 0
}

@_cdecl("posix_spawn_file_actions_addopen")
public func spawnAddOpen(_ a: UnsafeMutableRawPointer, _ fd: Int32, _ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: UInt32) -> Int32 {
    guard let copy = strdup(path) else { return ENOMEM }
    let e = add(a, SpawnAction(kind: .open, fd: fd, flags: flags, mode: mode, path: copy))
    if e != 0 { cFree(copy) }
    return e
}
@_cdecl("posix_spawn_file_actions_addclose")
public func spawnAddClose(_ a: UnsafeMutableRawPointer, _ fd: Int32) -> Int32 { add(a, SpawnAction(kind: .close, fd: fd)) }
@_cdecl("posix_spawn_file_actions_adddup2")
public func spawnAddDup2(_ a: UnsafeMutableRawPointer, _ fd: Int32, _ target: Int32) -> Int32 {
    add(a, SpawnAction(kind: .dup2, fd: fd, target: target))
}
@_cdecl("posix_spawnattr_init")
public func spawnAttributesInit(_ attributes: UnsafeMutablePointer<Int32>) -> Int32 { attributes.pointee = 0; return 0 }
@_cdecl("posix_spawnattr_destroy")
public func spawnAttributesDestroy(_ attributes: UnsafeMutablePointer<Int32>) -> Int32 { 0 }

/// In the child: the actions in order; 0, or the errno of the first that failed.
private func applyActions(_ a: UnsafeRawPointer?) -> Int32 {
    guard let a, let actions = list(a) else { return 0 }
    for i in 0..<Int(a.load(as: Int32.self)) {
        let action = actions[i]
        switch action.kind {
        case .close:
            _ = cClose(action.fd)   // closing a closed descriptor is not an error here
        case .dup2:
            if cDup2(action.fd, action.target) < 0 { return errnoLocation().pointee }
            _ = cFcntl(action.target, F_SETFD, 0)
        case .open:
            let fd = cOpen(action.path!, action.flags, action.mode)
            if fd < 0 { return errnoLocation().pointee }
            if fd != action.fd {
                let e = cDup2(fd, action.fd) < 0 ? errnoLocation().pointee : 0
                _ = cClose(fd)
                if e != 0 { return e }
            }
        }
    }
    return 0
}

/// The child applies the actions and execs; if anything fails it reports the errno through a
/// close-on-exec pipe (which a successful exec closes: end of file) and exits 127, so posix_spawn
/// returns the error, as the standard says it may.
private func spawn(_ pid: UnsafeMutablePointer<Int32>?, _ path: UnsafePointer<CChar>, _ actions: UnsafeRawPointer?,
                   _ argv: UnsafePointer<UnsafePointer<CChar>?>, _ envp: UnsafePointer<UnsafePointer<CChar>?>?,
                   search: Bool) -> Int32 {
    var report: (Int32, Int32) = (-1, -1)
    let made = withUnsafeMutablePointer(to: &report) { $0.withMemoryRebound(to: Int32.self, capacity: 2) { cPipe2($0, O_CLOEXEC) } }
    if made < 0 { return errnoLocation().pointee }
    let child = cFork()
    if child < 0 {
        let e = errnoLocation().pointee
        _ = cClose(report.0); _ = cClose(report.1)
        return e
    }
    if child == 0 {
        var e = applyActions(actions)
        if e == 0 { e = 0 &- userExecve(path, argv, envp, search ? 1 : 0) }
        _ = withUnsafeBytes(of: &e) { cWrite(report.1, $0.baseAddress!, 4) }
        cExit(127)
    }
    _ = cClose(report.1)
    var e: Int32 = 0
    let n = withUnsafeMutableBytes(of: &e) { cRead(report.0, $0.baseAddress!, 4) }
    _ = cClose(report.0)
    if n == 4 && e != 0 {
        _ = cWaitpid(child, nil, 0)   // the child never ran the program: reap it here
        return e
    }
    pid?.pointee = child
    return 0
}

@_cdecl("posix_spawn")
public func posixSpawn(_ pid: UnsafeMutablePointer<Int32>?, _ path: UnsafePointer<CChar>, _ actions: UnsafeRawPointer?,
                       _ attributes: UnsafeRawPointer?, _ argv: UnsafePointer<UnsafePointer<CChar>?>,
                       _ envp: UnsafePointer<UnsafePointer<CChar>?>?) -> Int32 {
    spawn(pid, path, actions, argv, envp, search: false)
}

@_cdecl("posix_spawnp")
public func posixSpawnp(_ pid: UnsafeMutablePointer<Int32>?, _ file: UnsafePointer<CChar>, _ actions: UnsafeRawPointer?,
                        _ attributes: UnsafeRawPointer?, _ argv: UnsafePointer<UnsafePointer<CChar>?>,
                        _ envp: UnsafePointer<UnsafePointer<CChar>?>?) -> Int32 {
    spawn(pid, file, actions, argv, envp, search: true)
}
