// Environment.swift — the process environment (sv_syscall.h: NUL-terminated NAME=value strings kept
// by the kernel, copied to each child at spawn): PWD, the working directory, and SV_STDOUT, a file
// that standard output goes to (set by the shell for `command > file`).
// SAFETY: the raw buffers below are handed to env_get/env_set for one call each (see System.swift);
// the cache is `nonisolated(unsafe)` because a user process is one thread.
import ABI
import UserRuntime

public enum Environment {
    nonisolated(unsafe) static var cache: [(name: String, value: String)]? = nil

    /// Every variable, in order.
    public static func all() -> [(name: String, value: String)] {
        if let cache { return cache }
        var raw = [UInt8](repeating: 0, count: Int(SV_ENVIRONMENT_MAX))
        let n = raw.withUnsafeMutableBytes { Int(sv_syscall2(Int64(SV_SYS_ENV_GET), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count))) }
        var result: [(name: String, value: String)] = []
        if n > 0 {
            for entry in raw.prefix(min(n, raw.count)).split(separator: 0) {
                guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { continue }
                result.append((String(decoding: entry[entry.startIndex..<equals], as: UTF8.self),
                               String(decoding: entry[(equals + 1)...], as: UTF8.self)))
            }
        }
        cache = result
        return result
    }

    public static func get(_ name: String) -> String? {
        all().first { $0.name == name }?.value
    }

    /// Sets (or, with nil, removes) `name`; the kernel's copy is what children get. false: too big.
    /// A variable that is set again keeps its place (as glibc's setenv keeps it in environ); a
    /// new one goes last.
    @discardableResult
    public static func set(_ name: String, _ value: String?) -> Bool {
        var variables = all()
        if let value, let i = variables.firstIndex(where: { $0.name == name }) {
            variables[i].value = value
        } else {
            variables.removeAll { $0.name == name }
            if let value { variables.append((name, value)) }
        }
        var raw: [UInt8] = []
        for v in variables { raw += Array(v.name.utf8) + [UInt8(ascii: "=")] + Array(v.value.utf8) + [0] }
        let r = raw.withUnsafeBytes { sv_syscall2(Int64(SV_SYS_ENV_SET), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count)) }
        guard r == 0 else { return false }
        cache = variables
        return true
    }

    /// The working directory (PWD; "/" when unset).
    public static var workingDirectory: String { Environment.get("PWD") ?? "/" }
}

/// Standard input as the shell arranged it: a file (SV_STDIN, for `command < file`), a pipe
/// ("pipe:ID", a pipeline stage), or the console.
public enum StandardInput {
    /// The file standard input comes from, or nil (a pipe, or the console).
    public static var file: String? {
        guard let name = Environment.get("SV_STDIN"), Pipes.parse(name) == nil else { return nil }
        return Paths.absolute(name)
    }

    /// The pipe standard input comes from, if any.
    public static var pipe: UInt64? { Environment.get("SV_STDIN").flatMap { Pipes.parse($0) } }

    /// All of standard input when it is a file or a pipe; nil for the console.
    public static func readAll() -> Result<[UInt8], Errno>? {
        if let file { return Files.read(file) }
        guard let pipe else { return nil }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            switch buffer.withUnsafeMutableBytes({ Pipes.read(pipe, into: $0) }) {
            case .failure(let e): return .failure(e)
            case .success(0): return .success(out)
            case .success(let n): out += buffer.prefix(n)
            }
        }
    }
}
