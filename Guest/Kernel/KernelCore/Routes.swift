// Routes.swift — which server owns a path (Redox's schemes, as path prefixes): the kernel's own
// devices under /dev, everything else the file service "fs". The one table of the system's
// namespace; open and stat route through it (docs/FILES.md). Paths are normalised first, so
// "/tmp/../dev//null" is /dev/null and no spelling escapes a route.
import ABI

/// A device the kernel implements itself: no server, no state.
public enum KernelDevice: Equatable, Sendable {
    /// /dev/null: reads end at once, writes vanish.
    case null
    /// /dev/zero: reads give zero bytes, writes vanish.
    case zero
    /// /dev/full: reads give zero bytes, writes fail with ENOSPC.
    case full
    /// /dev/random, /dev/urandom: the kernel's random bytes.
    case random

    /// Its device number, as st_rdev reports it (Linux's, so programs that check them agree).
    public var deviceNumber: UInt64 {
        switch self {
        case .null: return 1 << 8 | 3
        case .zero: return 1 << 8 | 5
        case .full: return 1 << 8 | 7
        case .random: return 1 << 8 | 9
        }
    }
}

public enum Route: Equatable, Sendable {
    case device(KernelDevice)
    /// The terminal (/dev/tty, /dev/console): today the kernel console.
    case console
    /// The directory /dev itself: no server holds it, so it cannot be opened yet.
    case deviceDirectory
    /// A path a server owns: the service's name and the path sent to it.
    case service([UInt8], path: [UInt8])
}

public enum Routes {
    /// The file service: everything outside /dev.
    public static let fileService: [UInt8] = Array(SV_FS_SERVICE.utf8)

    static let devices: [(name: [UInt8], route: Route)] = [
        (Array("null".utf8), .device(.null)), (Array("zero".utf8), .device(.zero)),
        (Array("full".utf8), .device(.full)), (Array("random".utf8), .device(.random)),
        (Array("urandom".utf8), .device(.random)), (Array("tty".utf8), .console),
        (Array("console".utf8), .console),
    ]

    /// `path` without empty and "." components, ".." applied (never above the root), starting with
    /// "/". nil for a relative path (the kernel has no working directory: the C library resolves it).
    public static func normalize(_ path: [UInt8]) -> [UInt8]? {
        guard path.first == UInt8(ascii: "/") else { return nil }
        var parts: [ArraySlice<UInt8>] = []
        for part in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.count == 1 && part.first == UInt8(ascii: ".") { continue }
            if part.count == 2 && part.allSatisfy({ $0 == UInt8(ascii: ".") }) { _ = parts.popLast(); continue }
            parts.append(part)
        }
        var out: [UInt8] = []
        for part in parts { out.append(UInt8(ascii: "/")); out += part }
        return out.isEmpty ? [UInt8(ascii: "/")] : out
    }

    /// Where an absolute, normalised path goes. ENOENT for a name under /dev the kernel does not have.
    public static func route(_ normalized: [UInt8]) -> Result<Route, KernelError> {
        let dev = Array("/dev".utf8)
        if normalized == dev { return .success(.deviceDirectory) }
        if normalized.count > dev.count + 1, normalized.starts(with: dev), normalized[dev.count] == UInt8(ascii: "/") {
            let name = Array(normalized[(dev.count + 1)...])
            guard let entry = devices.first(where: { $0.name == name }) else { return .failure(.init(SV_ENOENT)) }
            return .success(entry.route)
        }
        return .success(.service(fileService, path: normalized))
    }
}
