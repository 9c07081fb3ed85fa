// Environment.swift — getenv, setenv, unsetenv, putenv, clearenv (C11 7.22.4.6, XSH) and POSIX's
// environ: the variables live in the kernel (sv_syscall.h: SV_SYS_ENV_GET), reached through UserLib
// (bridge.h: sv_env_get/_set/_block), which is what children inherit and getenv reads. environ is
// a copy for the programs that walk it (env-like tools, awk's ENVIRON, main's third argument):
// made before main and again after every change made through these calls. A program that
// assigns environ itself changes only its own view (getenv and children still see the kernel's).
// SAFETY: names and values are the caller's NUL-terminated strings; getenv's answer points into
// this file's buffer, and a buffer once returned is never freed; environ's strings are never freed
// either (a program may keep one), and an unchanged variable keeps its string.

@_extern(c, "sv_env_get") func envGet(_ name: UnsafePointer<CChar>, _ out: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int
@_extern(c, "sv_env_set") func envSet(_ name: UnsafePointer<CChar>, _ value: UnsafePointer<CChar>?) -> Int32
@_extern(c, "sv_env_block") func envBlock(_ out: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int
@_extern(c, "sv_environ") func environLocation() -> UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>

/// The array environ points at when this file made it (freed when replaced), and every string it
/// has held, by contents (reused when a variable comes back unchanged).
nonisolated(unsafe) private var environArray: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
/// (An array, not a Dictionary: hashing pulls libm's ceil into every program; environments are small.)
nonisolated(unsafe) private var environStrings: [(bytes: [UInt8], string: UnsafeMutablePointer<CChar>)] = []

/// The kernel's variables, each "NAME=value", in order.
private func kernelEnvironment() -> [[UInt8]] {
    var capacity = 4096
    var block: [UInt8] = []
    while true {
        block = [UInt8](repeating: 0, count: capacity)
        let n = block.withUnsafeMutableBufferPointer { envBlock($0.baseAddress!, capacity) }
        if n <= capacity { block.removeLast(capacity - n); break }
        capacity = n
    }
    return block.split(separator: 0).map { Array($0) }
}

/// Copies the kernel's environment into environ.
func refreshEnviron() {
    let entries = kernelEnvironment()
    let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: entries.count + 1)
    for (i, entry) in entries.enumerated() {
        if let existing = environStrings.first(where: { $0.bytes == entry }) {
            array[i] = existing.string
        } else {
            let string = UnsafeMutablePointer<CChar>.allocate(capacity: entry.count + 1)
            for (j, b) in entry.enumerated() { string[j] = CChar(bitPattern: b) }
            string[entry.count] = 0
            environStrings.append((entry, string))
            array[i] = string
        }
    }
    array[entries.count] = nil
    setEnviron(array)
}

/// Points environ at `array` (made here, or nil). The old array goes only if environ still points
/// at it (the program did not replace it).
private func setEnviron(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
    let location = environLocation()
    if let old = environArray, location.pointee == old { old.deallocate() }
    location.pointee = array
    environArray = array
}

/// What UserRuntime's _start calls before a C program's main: environ filled, and returned as
/// main's third argument (envp).
@_cdecl("sv_libc_start")
public func libcStart() -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    refreshEnviron()
    return environLocation().pointee
}

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
    refreshEnviron()
    return 0
}

@_cdecl("unsetenv")
public func unsetenv(_ name: UnsafePointer<CChar>?) -> Int32 {
    guard validName(name), let name else { setErrno(EINVAL); return -1 }
    _ = envSet(name, nil)
    refreshEnviron()
    return 0
}

/// putenv (XSH): "NAME=value" set as setenv would (the string is copied: a later change to it does
/// not reach the environment, which lives in the kernel); a string without '=' removes NAME, as
/// glibc does. 0, or -1 with errno.
@_cdecl("putenv")
public func putenv(_ string: UnsafeMutablePointer<CChar>) -> Int32 {
    let bytes = Array(cStringBytes(string))
    guard let equals = bytes.firstIndex(of: 0x3D /* = */) else { return unsetenv(string) }
    guard equals > 0 else { setErrno(EINVAL); return -1 }
    var name = bytes[..<equals].map { CChar(bitPattern: $0) } + [0]
    return name.withUnsafeMutableBufferPointer { setenv($0.baseAddress!, string + equals + 1, 1) }
}

/// clearenv (glibc, BSD): every variable removed, and environ NULL as glibc leaves it (the next
/// setenv makes a new one).
@_cdecl("clearenv")
public func clearenv() -> Int32 {
    for entry in kernelEnvironment() {
        guard let equals = entry.firstIndex(of: 0x3D) else { continue }
        var name = entry[..<equals].map { CChar(bitPattern: $0) } + [0]
        _ = name.withUnsafeMutableBufferPointer { envSet($0.baseAddress!, nil) }
    }
    setEnviron(nil)
    return 0
}
