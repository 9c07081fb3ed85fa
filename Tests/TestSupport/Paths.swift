// Paths.swift — where tests find the repository's build outputs (`make` puts them in build/).
import Foundation

public enum RepositoryPaths {
    /// The repository root, derived from this file's location (Tests/TestSupport/Paths.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func build(_ name: String) -> String { root.appendingPathComponent("build").appendingPathComponent(name).path }

    /// Fails with a clear message when a build output is missing (run `make` first).
    public static func requireBuilt(_ name: String) throws -> String {
        let path = build(name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw TestSetupError("\(path) is missing: run `make` (or `make test`) first")
        }
        return path
    }

    /// True when /dev/kvm can be opened; tests that need it fail with this message otherwise.
    public static func requireKVM() throws {
        let fd = open("/dev/kvm", O_RDWR)
        guard fd >= 0 else {
            throw TestSetupError("this test needs /dev/kvm (\(String(cString: strerror(errno)))); run on a machine with KVM, as root")
        }
        close(fd)
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
