// DynamicLoading.swift — dlfcn.h: programs are linked statically and the kernel loads no shared
// objects, so dlopen always fails and says why through dlerror (XSH dlopen: NULL, with the reason
// for dlerror); dlsym and dlclose are given no handle dlopen made, so they fail the same way.

private let unsupported: StaticString = "dynamic loading is not supported: programs are linked statically"
private let badHandle: StaticString = "invalid handle: dlopen never made one (dynamic loading is not supported)"

/// The message the next dlerror returns (then NULL until the next failure: XSH dlerror).
nonisolated(unsafe) private var pending: StaticString? = nil

private func fail(_ message: StaticString) { pending = message }

@_cdecl("dlopen")
public func dlopen(_ file: UnsafePointer<CChar>?, _ mode: Int32) -> UnsafeMutableRawPointer? {
    fail(unsupported)
    return nil
}

@_cdecl("dlsym")
public func dlsym(_ handle: UnsafeMutableRawPointer?, _ name: UnsafePointer<CChar>) -> UnsafeMutableRawPointer? {
    fail(badHandle)
    return nil
}

@_cdecl("dlclose")
public func dlclose(_ handle: UnsafeMutableRawPointer?) -> Int32 {
    fail(badHandle)
    return -1
}

@_cdecl("dlerror")
public func dlerror() -> UnsafeMutablePointer<CChar>? {
    guard let message = pending else { return nil }
    pending = nil
    return UnsafeMutablePointer(mutating: UnsafeRawPointer(message.utf8Start).assumingMemoryBound(to: CChar.self))
}
