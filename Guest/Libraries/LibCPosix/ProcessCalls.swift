// ProcessCalls.swift — processes, pipes, descriptors and memory for C programs: the kernel's calls
// (sv_syscall.h 28–40) with errno set on failure, execve through UserLib (bridge.h: ELF from the
// filesystem, #! scripts, the exec bit), pread/pwrite on lseek, and mmap of a file as a private
// copy. fcntl is variadic in C: LibC/variadic.c reads its argument and calls sv_fcntl here.
// SAFETY: argv/envp are the caller's NULL-terminated arrays of strings, `fds` two ints, buffers the
// counts given with them (XSH); UserLib and the kernel check what they read.
import UserRuntime

@_extern(c, "sv_execve")
func userExecve(_ path: UnsafePointer<CChar>, _ argv: UnsafePointer<UnsafePointer<CChar>?>,
                _ envp: UnsafePointer<UnsafePointer<CChar>?>?, _ search: Int32) -> Int32

private let F_GETFD: Int32 = 1, F_GETFL: Int32 = 3, F_GETLK: Int32 = 5, F_SETLK: Int32 = 6, F_SETLKW: Int32 = 7
private let ENODEV: Int32 = 19
private let PROT_READ: Int32 = 1, PROT_WRITE: Int32 = 2, MAP_SHARED: Int32 = 1, MAP_PRIVATE: Int32 = 2,
            MAP_ANONYMOUS: Int32 = 0x20
nonisolated(unsafe) let MAP_FAILED = UnsafeMutableRawPointer(bitPattern: -1)!

@_cdecl("getppid")
public func cGetppid() -> Int32 { Int32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETPPID))) }

@_cdecl("fork")
public func cFork() -> Int32 {
    standardOutputFlush()   // what was printed is printed once, not by both
    return Int32(checkedCall(sv_syscall0(Int64(SV_SYS_FORK))))
}

/// The exec calls return only on failure: -1 with errno.
private func failedExec(_ e: Int32) -> Int32 { setErrno(0 &- e); return -1 }

@_cdecl("execve")
public func cExecve(_ path: UnsafePointer<CChar>, _ argv: UnsafePointer<UnsafePointer<CChar>?>,
                    _ envp: UnsafePointer<UnsafePointer<CChar>?>?) -> Int32 {
    failedExec(userExecve(path, argv, envp, 0))
}
@_cdecl("execv")
public func cExecv(_ path: UnsafePointer<CChar>, _ argv: UnsafePointer<UnsafePointer<CChar>?>) -> Int32 {
    failedExec(userExecve(path, argv, nil, 0))
}
@_cdecl("execvp")
public func cExecvp(_ file: UnsafePointer<CChar>, _ argv: UnsafePointer<UnsafePointer<CChar>?>) -> Int32 {
    failedExec(userExecve(file, argv, nil, 1))
}

@_cdecl("waitpid")
public func cWaitpid(_ pid: Int32, _ status: UnsafeMutablePointer<Int32>?, _ options: Int32) -> Int32 {
    Int32(checkedCall(sv_syscall3(Int64(SV_SYS_WAITPID), argument(pid), address(status), UInt64(UInt32(bitPattern: options)))))
}
@_cdecl("wait")
public func cWait(_ status: UnsafeMutablePointer<Int32>?) -> Int32 { cWaitpid(-1, status, 0) }

@_cdecl("pipe2")
public func cPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
    Int32(checkedCall(sv_syscall2(Int64(SV_SYS_PIPE), address(fds), UInt64(UInt32(bitPattern: flags)))))
}
@_cdecl("pipe")
public func cPipe(_ fds: UnsafeMutablePointer<Int32>) -> Int32 { cPipe2(fds, 0) }
@_cdecl("dup")
public func cDup(_ fd: Int32) -> Int32 { Int32(checkedCall(sv_syscall1(Int64(SV_SYS_DUP), argument(fd)))) }

@_cdecl("dup2")
public func cDup2(_ fd: Int32, _ target: Int32) -> Int32 {
    if fd == target {   // dup2's rule: fd must be open, nothing changes
        return cFcntl(fd, F_GETFD, 0) < 0 ? -1 : target
    }
    if target == 1 { standardOutputFlush() }   // what was printed goes where fd 1 went before
    return Int32(checkedCall(sv_syscall3(Int64(SV_SYS_DUP3), argument(fd), argument(target), 0)))
}

/// fcntl: the record locks to RecordLocks.swift, everything else to the kernel.
@_cdecl("sv_fcntl")
public func cFcntl(_ fd: Int32, _ command: Int32, _ argument: Int) -> Int32 {
    if command == F_GETLK || command == F_SETLK || command == F_SETLKW {
        return fcntlLock(fd, command, UnsafeMutableRawPointer(bitPattern: argument))
    }
    return Int32(checkedCall(sv_syscall3(Int64(SV_SYS_FCNTL), UserRuntime_argument(fd), UserRuntime_argument(command),
                                         UInt64(bitPattern: Int64(argument)))))
}

/// Signed arguments as the kernel takes them (a name that the parameter `argument` above hides).
@inline(__always) private func UserRuntime_argument(_ v: Int32) -> UInt64 { UInt64(bitPattern: Int64(v)) }

/// pread/pwrite: at `offset`, leaving the descriptor's offset where it was. Not atomic against
/// another process sharing the description (the kernel has no positioned read yet).
@_cdecl("pread")
public func cPread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64) -> Int {
    let saved = cLseek(fd, 0, 1)
    if saved < 0 || cLseek(fd, offset, 0) < 0 { return -1 }
    var done = 0
    while done < count {
        let n = cRead(fd, buffer + done, count - done)
        if n < 0 {
            if done == 0 { _ = cLseek(fd, saved, 0); return -1 }
            break
        }
        if n == 0 { break }
        done += n
    }
    _ = cLseek(fd, saved, 0)
    return done
}

@_cdecl("pwrite")
public func cPwrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: Int64) -> Int {
    let saved = cLseek(fd, 0, 1)
    if saved < 0 || cLseek(fd, offset, 0) < 0 { return -1 }
    let n = cWrite(fd, buffer, count)
    let e = errnoLocation().pointee
    _ = cLseek(fd, saved, 0)
    setErrno(e)
    return n
}

// ---- memory ----

private func kernelMmap(_ address: UnsafeMutableRawPointer?, _ length: Int, _ protection: Int32, _ flags: Int32) -> Int64 {
    sv_syscall4(Int64(SV_SYS_MMAP), UInt64(UInt(bitPattern: address)), UInt64(length),
                UInt64(UInt32(bitPattern: protection)), UInt64(UInt32(bitPattern: flags)))
}

/// Undoes a mapping that could not be completed, keeping the errno of what failed.
private func unmapAfterFailure(_ p: UnsafeMutableRawPointer, _ length: Int) -> UnsafeMutableRawPointer {
    let e = errnoLocation().pointee
    _ = cMunmap(p, length)
    setErrno(e)
    return MAP_FAILED
}

/// mmap: anonymous memory from the kernel; a file MAP_PRIVATE only (ENODEV otherwise), as a copy
/// of its bytes read now (later changes to the file are not seen, which POSIX leaves unspecified
/// for private mappings); EINVAL for an offset that is negative or not page-aligned.
@_cdecl("mmap")
public func cMmap(_ address: UnsafeMutableRawPointer?, _ length: Int, _ protection: Int32, _ flags: Int32,
                  _ fd: Int32, _ offset: Int64) -> UnsafeMutableRawPointer? {
    if flags & MAP_ANONYMOUS != 0 {
        let r = kernelMmap(address, length, protection, flags)
        if r < 0 { setErrno(Int32(truncatingIfNeeded: -r)); return MAP_FAILED }
        return UnsafeMutableRawPointer(bitPattern: Int(r))!
    }
    if flags & MAP_PRIVATE == 0 || flags & MAP_SHARED != 0 { setErrno(ENODEV); return MAP_FAILED }
    if offset < 0 || offset & 4095 != 0 { setErrno(EINVAL); return MAP_FAILED }
    let r = kernelMmap(address, length, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS)
    if r < 0 { setErrno(Int32(truncatingIfNeeded: -r)); return MAP_FAILED }
    guard let p = UnsafeMutableRawPointer(bitPattern: Int(r)) else { setErrno(EINVAL); return MAP_FAILED }
    if cPread(fd, p, length, offset) < 0 { return unmapAfterFailure(p, length) }
    if protection != PROT_READ | PROT_WRITE && cMprotect(p, length, protection) < 0 { return unmapAfterFailure(p, length) }
    return p
}

@_cdecl("munmap")
public func cMunmap(_ address: UnsafeMutableRawPointer, _ length: Int) -> Int32 {
    Int32(checkedCall(sv_syscall2(Int64(SV_SYS_MUNMAP), UInt64(UInt(bitPattern: address)), UInt64(length))))
}

@_cdecl("mprotect")
public func cMprotect(_ address: UnsafeMutableRawPointer, _ length: Int, _ protection: Int32) -> Int32 {
    Int32(checkedCall(sv_syscall3(Int64(SV_SYS_MPROTECT), UInt64(UInt(bitPattern: address)), UInt64(length),
                                  UInt64(UInt32(bitPattern: protection)))))
}
