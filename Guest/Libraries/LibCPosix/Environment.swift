// Environment.swift — getenv, setenv, unsetenv (C11 7.22.4.6, XSH): the variables live in the
// kernel (sv_syscall.h: SV_SYS_ENV_GET), reached through UserLib (bridge.h: sv_env_get/_set).
// SAFETY: names and values are the caller's NUL-terminated strings; getenv's answer points into
// this file's buffer, and a buffer once returned is never freed.

@_extern(c, "sv_env_get") func envGet(_ name: UnsafePointer<CChar>, _ out: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int
@_extern(c, "sv_env_set") func envSet(_ name: UnsafePointer<CChar>, _ value: UnsafePointer<CChar>?) -> Int32

private let E2BIG: Int32 = 7

/// getenv's storage; the next getenv may reuse it (XSH getenv allows that). A longer value gets a
/// bigger buffer, and the old one is kept (not freed): a program may still hold what an earlier
/// getenv returned, and reading it must stay safe.
nonisolated(unsafe) private var valueBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
nonisolated(unsafe) private var valueCapacity = 4096

@_cdecl("getenv")
public func getenv(_ name: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? {
    while true {
        let n = envGet(name, valueBuffer, valueCapacity)
        if n < 0 { return nil }
        if n < valueCapacity { return valueBuffer }
        // sv_env_get gave the length only: the value did not fit.
        valueCapacity = n + 1
        valueBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: valueCapacity)
    }
}

/// A name setenv and unsetenv accept: not empty, no '=' (XSH: EINVAL otherwise).
private func validName(_ name: UnsafePointer<CChar>?) -> Bool {
    guard let name, name.pointee != 0 else { return false }
    return strchr(name, 0x3D /* = */) == nil
}

@_cdecl("setenv")
public func setenv(_ name: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>, _ overwrite: Int32) -> Int32 {
    guard validName(name), let name else { setErrno(EINVAL); return -1 }
    if overwrite == 0 && getenv(name) != nil { return 0 }
    if envSet(name, value) != 0 { setErrno(E2BIG); return -1 }
    return 0
}

@_cdecl("unsetenv")
public func unsetenv(_ name: UnsafePointer<CChar>?) -> Int32 {
    guard validName(name), let name else { setErrno(EINVAL); return -1 }
    _ = envSet(name, nil)
    return 0
}
