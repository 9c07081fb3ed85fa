// GDBEndpoint.swift — where the stub listens, parsed from `swiftvm run --gdb SPEC`:
//   tcp::PORT        loopback only (127.0.0.1): a debugger reads and writes all guest memory, so
//                    listening on every interface must be asked for explicitly
//   tcp:HOST:PORT    HOST is a name or an address (`0.0.0.0` for every interface, `[::1]` for IPv6)
//   unix:PATH        a Unix-domain socket (QEMU's `-gdb unix:path`; Firecracker's only transport)
// PORT 0 picks a free port (`GDBServer.address` tells which).

public enum GDBEndpoint: Equatable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    case unix(path: String)

    /// The longest socket path `sockaddr_un.sun_path` holds, leaving its terminating NUL.
    public static let maxUnixPathLength = 107

    public var description: String {
        switch self {
        case .tcp(let host, let port): return host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        case .unix(let path): return "unix:\(path)"
        }
    }

    /// Parses a `--gdb` value.
    public init(parsing spec: String) throws(GDBEndpointError) {
        if spec.hasPrefix("unix:") {
            let path = String(spec.dropFirst("unix:".count))
            guard !path.isEmpty else { throw .missingPath(spec) }
            guard path.utf8.count <= GDBEndpoint.maxUnixPathLength else {
                throw .pathTooLong(path, limit: GDBEndpoint.maxUnixPathLength)
            }
            guard !path.utf8.contains(0) else { throw .missingPath(spec) }
            self = .unix(path: path)
            return
        }
        guard spec.hasPrefix("tcp:") else { throw .unknownTransport(spec) }
        let rest = spec.dropFirst("tcp:".count)
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            // [IPv6]:PORT
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw .badHost(spec)
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            portText = rest[rest.index(close, offsetBy: 2)...]
            guard !host.isEmpty else { throw .badHost(spec) }
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw .missingPort(spec) }
            host = rest[rest.startIndex..<colon]
            portText = rest[rest.index(after: colon)...]
            guard !host.contains(":") else { throw .badHost(spec) }
        }
        guard !portText.isEmpty else { throw .missingPort(spec) }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portText) else {
            throw .badPort(String(portText))
        }
        self = .tcp(host: host.isEmpty ? "127.0.0.1" : String(host), port: port)
    }
}

public enum GDBEndpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownTransport(String)
    case missingPort(String)
    case badPort(String)
    case badHost(String)
    case missingPath(String)
    case pathTooLong(String, limit: Int)

    public var description: String {
        let forms = "expected tcp::PORT, tcp:HOST:PORT or unix:PATH"
        switch self {
        case .unknownTransport(let s): return "--gdb \(s): unknown transport (\(forms))"
        case .missingPort(let s): return "--gdb \(s): missing port (\(forms))"
        case .badPort(let p): return "--gdb: port \"\(p)\" is not a number from 0 to 65535"
        case .badHost(let s): return "--gdb \(s): bad host (write IPv6 addresses in brackets: tcp:[::1]:1234)"
        case .missingPath(let s): return "--gdb \(s): missing or invalid socket path"
        case .pathTooLong(let p, let limit): return "--gdb: socket path \(p) is longer than \(limit) bytes"
        }
    }
}
