// swift-tools-version: 6.2
// swiftvm — the host package: the VMM libraries, the `swiftvm` CLI, host tools and all host tests.
// The guest (kernel, user programs) is its own package in Guest/, built for x86_64-unknown-none-elf;
// the guest's pure modules (ABI, ELF, Initrd, …) are compiled here *by path* as well, so the host
// tools and tests run the very code the guest runs.
import PackageDescription

/// Modules shared with the guest must compile in Embedded Swift too: the host build rejects what
/// the guest build would (shared/docs/STYLE.md).
let embeddedCompatible: [SwiftSetting] = [
    .treatWarning("EmbeddedRestrictions", as: .error),
]

let package = Package(
    name: "swiftvm",
    products: [
        .executable(name: "swiftvm", targets: ["swiftvm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    ],
    targets: [
        // ---- shared with the guest (compiled by path) ----
        .target(name: "ABI", path: "Guest/Sources/ABI"),
        .target(name: "ELF", path: "Guest/Sources/ELF", swiftSettings: embeddedCompatible),
        .target(name: "Initrd", dependencies: ["ABI"], path: "Guest/Sources/Initrd",
                swiftSettings: embeddedCompatible),
        .target(name: "RedoxFS", path: "Guest/Sources/RedoxFS", swiftSettings: embeddedCompatible),

        // ---- the VMM ----
        .target(name: "CKVM"),
        .target(name: "KVM", dependencies: ["CKVM"]),
        .target(name: "GuestMemory"),
        .target(name: "VMM", dependencies: ["KVM", "GuestMemory", "ELF", "ABI"]),
        .target(name: "ImageTool", dependencies: ["RedoxFS"]),
        .executableTarget(name: "swiftvm", dependencies: [
            "VMM", "Initrd", "ImageTool",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // ---- tests ----
        .testTarget(name: "ELFTests", dependencies: ["ELF"]),
        .testTarget(name: "InitrdTests", dependencies: ["Initrd"]),
        .testTarget(name: "GuestMemoryTests", dependencies: ["GuestMemory"]),
        .testTarget(name: "RedoxFSTests", dependencies: ["RedoxFS"]),
        .testTarget(name: "ImageToolTests", dependencies: ["ImageTool", "RedoxFS"]),
    ]
)
