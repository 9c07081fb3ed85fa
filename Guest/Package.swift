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

/// User programs: static ELFs at 0x400000 (UserRuntime/user.ld).
let userProgram: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "-T", "-Xlinker", "Sources/UserRuntime/user.ld"])]

/// C programs: linked by swiftc like the Swift ones (they use UserLib through the C library), told
/// that this is Embedded Swift so it adds no host Swift runtime object (swiftrt.o).
let cProgram: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "-T", "-Xlinker", "Sources/UserRuntime/user.ld",
                                               "-enable-experimental-feature", "Embedded"])]

let package = Package(
    name: "Guest",
    targets: [
        // ---- the contract: C headers shared by kernel, user programs and the VMM ----
        .target(name: "ABI"),
        // ---- pure Swift, shared with the host package ----
        .target(name: "ELF", swiftSettings: embedded),
        .target(name: "Initrd", dependencies: ["ABI"], swiftSettings: embedded),
        .target(name: "RedoxFS", swiftSettings: embedded),
        .target(name: "KernelCore", swiftSettings: embedded),
        .target(name: "RuntimeSupport", swiftSettings: embedded),
        .target(name: "Freestanding"),

        // ---- the kernel ----
        .target(name: "Arch", dependencies: ["ABI"]),
        .executableTarget(
            name: "Kernel",
            dependencies: ["ABI", "Arch", "ELF", "Initrd", "KernelCore", "RuntimeSupport", "Freestanding"],
            exclude: ["kernel.ld"],
            swiftSettings: embedded,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-T", "-Xlinker", "Sources/Kernel/kernel.ld"])]),

        // ---- user programs ----
        .target(name: "UserRuntime", dependencies: ["ABI"], exclude: ["user.ld"]),
        .target(name: "UserLib", dependencies: ["ABI", "UserRuntime", "RuntimeSupport", "Freestanding"], swiftSettings: embedded),
        .target(name: "VirtioDriver", dependencies: ["ABI", "UserLib", "UserRuntime", "RedoxFS"], swiftSettings: embedded),
        .executableTarget(name: "init", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "hello", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "crash", dependencies: ["UserLib", "ABI", "UserRuntime"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "usertests", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "bench", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "blktest", dependencies: ["UserLib", "VirtioDriver"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "fs", dependencies: ["UserLib", "VirtioDriver", "RedoxFS"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "sh", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "echo", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "ps", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "kill", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        // the C library (POSIX subset over the file server) and programs written in C
        .target(name: "LibC", dependencies: ["ABI", "UserRuntime"]),
        .executableTarget(name: "ctest", dependencies: ["LibC", "UserLib"], linkerSettings: cProgram),
        .executableTarget(name: "wc", dependencies: ["LibC", "UserLib"], linkerSettings: cProgram),
        .executableTarget(name: "head", dependencies: ["LibC", "UserLib"], linkerSettings: cProgram),
        .executableTarget(name: "grep", dependencies: ["LibC", "UserLib"], linkerSettings: cProgram),
        // the file server and the file utilities that talk to it
        .executableTarget(name: "piped", dependencies: ["ABI", "UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "blkd", dependencies: ["ABI", "UserLib", "VirtioDriver", "RedoxFS"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "fsd", dependencies: ["ABI", "UserLib", "RedoxFS"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "ls", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "cat", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "mkdir", dependencies: ["ABI", "UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "rmdir", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "rm", dependencies: ["ABI", "UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "mv", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "cp", dependencies: ["ABI", "UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "touch", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "fsbench", dependencies: ["UserLib", "VirtioDriver", "RedoxFS"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "df", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "sleep", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "snapshot", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
        .executableTarget(name: "fsck", dependencies: ["UserLib"], swiftSettings: embedded, linkerSettings: userProgram),
    ]
)
