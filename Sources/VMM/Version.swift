// Version.swift — the VMM's version string, shown by `swiftvm --version`.
public enum SwiftVMVersion {
    public static let string = "0.1.0"
}
