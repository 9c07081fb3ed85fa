// swift-tools-version: 6.2
// The swiftvm guest: the microkernel, its user programs and their shared modules, all in Embedded
// Swift for x86_64-unknown-none-elf. Build with the toolset (codegen flags: no SSE, no red zone):
//   swift build -c release --triple x86_64-unknown-none-elf --toolset toolset.json
// (`make` at the repository root does this). Pure modules here are also compiled by the host
// package for unit tests and host tools.
import PackageDescription

let embedded: [SwiftSetting] = [
    .enableExperimentalFeature("Embedded"),
    .enableExperimentalFeature("Extern"),
    .unsafeFlags(["-Osize"]),
]

let package = Package(
    name: "Guest",
    targets: [
        // ---- the contract: C headers shared by kernel, user programs and the VMM ----
        .target(name: "ABI"),
        // ---- pure Swift, shared with the host package ----
        .target(name: "ELF", swiftSettings: embedded),
        .target(name: "Initrd", dependencies: ["ABI"], swiftSettings: embedded),
        .target(name: "RedoxFS", swiftSettings: embedded),
    ]
)
