// CBridge.swift — what the C library (Guest/Libraries/LibC, bridge.h) calls: the file service with
// its restart handling, path resolution, standard output with redirection, the environment and the
// heap — one implementation for Swift and C programs.
// The C export layer: its raw pointers come from C callers, which bridge.h obliges to pass valid,
// NUL-terminated strings and buffers of the stated length for the call (SAFETY for every function).
import ABI
import RuntimeSupport

func cString(_ p: UnsafePointer<CChar>) -> String {
    var n = 0
    while p[n] != 0 { n += 1 }
    return p.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
}

/// Copies `text` with a NUL into `out`; its length, or -1 if it does not fit.
func copyOut(_ text: String, _ out: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int {
    let bytes = Array(text.utf8)
    guard bytes.count < capacity else { return -1 }
    for (i, b) in bytes.enumerated() { out[i] = CChar(bitPattern: b) }
    out[bytes.count] = 0
    return bytes.count
}

@_cdecl("sv_fs_call")
func svFSCall(_ op: Int32, _ path: UnsafePointer<CChar>, _ a: UInt64, _ b: UInt64, _ flags: Int32,
              _ lease: UnsafeMutableRawPointer?, _ leaseLength: Int, _ leaseFlags: Int32,
              _ result: UnsafeMutablePointer<UInt64>) -> Int32 {
    let operation = FileOperation(rawValue: UInt8(truncatingIfNeeded: op))
    guard operation.isKnown else { return -SV_EINVAL }
    let buffer = lease.map { UnsafeMutableRawBufferPointer(start: $0, count: leaseLength) }
    switch Files.call(operation, cString(path), a: a, b: b, flags: UInt8(truncatingIfNeeded: flags), lease: buffer, leaseFlags: leaseFlags) {
    case .failure(let e):
        return -e.code
    case .success(let r):
        result[0] = r.value
        result[1] = r.size
        result[2] = UInt64(r.kind.rawValue)
        return 0
    }
}

@_cdecl("sv_path_absolute")
func svPathAbsolute(_ path: UnsafePointer<CChar>, _ out: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int {
    let n = copyOut(Paths.absolute(cString(path)), out, capacity)
    return n < 0 ? -Int(SV_ENAMETOOLONG) : n
}

@_cdecl("sv_stdout_write")
func svStdoutWrite(_ buffer: UnsafeRawPointer, _ length: Int) {
    StandardOutput.write(UnsafeRawBufferPointer(start: buffer, count: length))
}

@_cdecl("sv_stdout_flush")
func svStdoutFlush() { StandardOutput.flush() }

@_cdecl("sv_env_get")
func svEnvGet(_ name: UnsafePointer<CChar>, _ out: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int {
    guard let value = Environment.get(cString(name)) else { return -1 }
    let n = copyOut(value, out, capacity)
    return n < 0 ? value.utf8.count : n
}

/// The whole environment as NAME=value strings, each ended by a NUL, in order: its length, and the
/// bytes when they fit in `capacity` (nothing is written otherwise).
@_cdecl("sv_env_block")
func svEnvBlock(_ out: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int {
    var block: [UInt8] = []
    for v in Environment.all() { block += Array(v.name.utf8) + [UInt8(ascii: "=")] + Array(v.value.utf8) + [0] }
    if block.count <= capacity { for (i, b) in block.enumerated() { out[i] = b } }
    return block.count
}

@_cdecl("sv_env_set")
func svEnvSet(_ name: UnsafePointer<CChar>, _ value: UnsafePointer<CChar>?) -> Int32 {
    Environment.set(cString(name), value.map(cString)) ? 0 : -SV_E2BIG
}

@_cdecl("sv_user_heap_usable_size")
func svUserHeapUsableSize(_ p: UnsafeMutableRawPointer) -> Int { HeapAllocator.usableSize(p) }

/// Reads from pipe `pipe` (waiting while it is empty): bytes, 0 at the end, or -errno.
@_cdecl("sv_pipe_read")
func svPipeRead(_ pipe: UInt64, _ buffer: UnsafeMutableRawPointer, _ length: Int) -> Int {
    switch Pipes.read(pipe, into: UnsafeMutableRawBufferPointer(start: buffer, count: length)) {
    case .failure(let e): return -Int(e.code)
    case .success(let n): return n
    }
}

/// execve for C (bridge.h): `argv` a NULL-terminated array of strings; `envp` the same, or NULL to
/// keep this process's environment. PATH is searched when `search` is nonzero (execvp) and the path
/// has no slash. Returns -errno (it returns only on failure).
@_cdecl("sv_execve")
func svExecve(_ path: UnsafePointer<CChar>, _ argv: UnsafePointer<UnsafePointer<CChar>?>?,
              _ envp: UnsafePointer<UnsafePointer<CChar>?>?, _ search: Int32) -> Int32 {
    var arguments: [String] = []
    if let argv { var i = 0; while let a = argv[i] { arguments.append(cString(a)); i += 1 } }
    var environment: [UInt8]? = nil
    if let envp {
        var block: [UInt8] = []
        var i = 0
        while let e = envp[i] { block += Array(cString(e).utf8) + [0]; i += 1 }
        environment = block
    }
    let name = cString(path)
    // execve (no search) runs exactly the path given, relative to the working directory.
    let target = search != 0 || name.utf8.contains(UInt8(ascii: "/")) ? name : "./" + name
    return -Unix.execve(target, arguments: arguments, environment: environment).code
}
