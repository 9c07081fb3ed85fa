// swift-tools-version: 6.2
// The swiftvm guest: the microkernel, its servers, libraries and programs, all in Embedded Swift
// (and a little C) for x86_64-unknown-none-elf. Build with the toolset (codegen flags: no SSE, no
// red zone):
//   swift build -c release --triple x86_64-unknown-none-elf --toolset toolset.json
// (`make` at the repository root does this). Pure modules here are also compiled by the host
// package for unit tests and host tools.
//
// The tree shows the architecture (README "Layout"):
//   ABI/            the contract: C headers read by the VMM, the kernel, servers and programs
//   Kernel/         KernelCore (pure, host-tested) · Kernel (the executable) · Arch/x86_64 (entry stubs, PVM/x86 layer)
//   Libraries/      shared code: UserRuntime, UserLib, LibC, RedoxFS, VirtioDriver, ELF, Initrd, …
//   Servers/        init and the system's user-mode servers and drivers: piped, blkd, fsd
//   Programs/       the utilities and the shell
//   TestPrograms/   programs that exist to test and measure the system
import PackageDescription

let embedded: [SwiftSetting] = [
    .enableExperimentalFeature("Embedded"),
    .enableExperimentalFeature("Extern"),
    .unsafeFlags(["-Osize"]),
]

/// User programs: static ELFs at 0x400000 (Libraries/UserRuntime/user.ld).
let userLinkerScript = ["-Xlinker", "-T", "-Xlinker", "Libraries/UserRuntime/user.ld"]
let userProgram: [LinkerSetting] = [.unsafeFlags(userLinkerScript)]

/// C programs: linked by swiftc like the Swift ones (they use UserLib through the C library), told
/// that this is Embedded Swift so it adds no host Swift runtime object (swiftrt.o).
let cProgram: [LinkerSetting] = [.unsafeFlags(userLinkerScript + ["-enable-experimental-feature", "Embedded"])]

/// A ring-3 Swift program in `folder`.
func program(_ name: String, in folder: String, _ dependencies: [Target.Dependency] = ["UserLib"]) -> Target {
    .executableTarget(name: name, dependencies: dependencies, path: "\(folder)/\(name)",
                      swiftSettings: embedded, linkerSettings: userProgram)
}

/// A ring-3 C program on the guest's C library.
func cProgram(_ name: String, in folder: String) -> Target {
    .executableTarget(name: name, dependencies: ["LibC", "UserLib"], path: "\(folder)/\(name)", linkerSettings: cProgram)
}

let package = Package(
    name: "Guest",
    targets: [
        // ---- the contract: C headers shared by kernel, user programs and the VMM ----
        .target(name: "ABI", path: "ABI"),

        // ---- pure Swift, shared with the host package ----
        .target(name: "ELF", path: "Libraries/ELF", swiftSettings: embedded),
        .target(name: "Initrd", dependencies: ["ABI"], path: "Libraries/Initrd", swiftSettings: embedded),
        .target(name: "RedoxFS", path: "Libraries/RedoxFS", swiftSettings: embedded),
        .target(name: "RuntimeSupport", path: "Libraries/RuntimeSupport", swiftSettings: embedded),
        .target(name: "Freestanding", path: "Libraries/Freestanding"),
        // exact printf/strtod for the C library (built here so the guest build proves it Embedded-clean)
        .target(name: "Numbers", path: "Libraries/Numbers", swiftSettings: embedded),
        .target(name: "VirtioSpec", path: "Libraries/VirtioSpec", swiftSettings: embedded),

        // ---- the kernel ----
        .target(name: "KernelCore", dependencies: ["ABI"], path: "Kernel/KernelCore", swiftSettings: embedded),
        // x86-64: entry stubs and one-instruction wrappers (C and assembly), and the platform layer
        // in Swift (PVM's VIF and CR3 rules, descriptors, LAPIC/IOAPIC, PVH boot, vectors)
        .target(name: "Arch", dependencies: ["ABI"], path: "Kernel/Arch/x86_64/Entry"),
        .target(name: "Platform", dependencies: ["ABI", "Arch", "KernelCore"], path: "Kernel/Arch/x86_64/Platform", swiftSettings: embedded),
        .executableTarget(
            name: "Kernel",
            dependencies: ["ABI", "Arch", "Platform", "ELF", "Initrd", "KernelCore", "RuntimeSupport", "Freestanding", "VirtioSpec"],
            path: "Kernel/Kernel",
            exclude: ["kernel.ld"],
            swiftSettings: embedded,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-T", "-Xlinker", "Kernel/Kernel/kernel.ld"])]),

        // ---- libraries for user programs ----
        .target(name: "UserRuntime", dependencies: ["ABI"], path: "Libraries/UserRuntime", exclude: ["user.ld"]),
        .target(name: "UserLib", dependencies: ["ABI", "UserRuntime", "RuntimeSupport", "Freestanding"],
                path: "Libraries/UserLib", swiftSettings: embedded),
        .target(name: "VirtioDriver", dependencies: ["ABI", "UserLib", "UserRuntime", "VirtioSpec"],
                path: "Libraries/VirtioDriver", swiftSettings: embedded),
        // the C library (POSIX subset over the file server)
        .target(name: "LibC", dependencies: ["ABI", "UserRuntime"], path: "Libraries/LibC"),

        // ---- init and the servers ----
        program("init", in: "Servers"),
        program("piped", in: "Servers", ["ABI", "UserLib"]),
        .executableTarget(name: "blkd", dependencies: ["ABI", "UserLib", "VirtioDriver", "DiskBlocks", "RedoxFS"], path: "Servers/blkd",
                          exclude: ["DiskBlocks"], swiftSettings: embedded, linkerSettings: userProgram),
        // blkd's disk adapter (the virtio disk as RedoxFS's BlockDevice), a library so that the test
        // programs fs and fsbench run RedoxFS on the same adapter
        .target(name: "DiskBlocks", dependencies: ["UserLib", "VirtioDriver", "VirtioSpec", "RedoxFS"],
                path: "Servers/blkd/DiskBlocks", swiftSettings: embedded),
        program("fsd", in: "Servers", ["ABI", "UserLib", "RedoxFS"]),

        // ---- the shell and the utilities ----
        program("sh", in: "Programs"),
        program("echo", in: "Programs"),
        program("ps", in: "Programs"),
        program("kill", in: "Programs"),
        program("ls", in: "Programs"),
        program("mkdir", in: "Programs", ["ABI", "UserLib"]),
        program("rmdir", in: "Programs"),
        program("rm", in: "Programs", ["ABI", "UserLib"]),
        program("mv", in: "Programs"),
        program("cp", in: "Programs", ["ABI", "UserLib"]),
        program("touch", in: "Programs"),
        program("df", in: "Programs"),
        program("sleep", in: "Programs"),
        program("snapshot", in: "Programs"),
        program("fsck", in: "Programs"),
        // the everyday utilities (issue 13): pure Swift in Utilities, over UserLib in UtilitiesGuest
        .target(name: "Utilities", path: "Libraries/Utilities", swiftSettings: embedded),
        .target(name: "UtilitiesGuest", dependencies: ["Utilities", "UserLib"], path: "Libraries/UtilitiesGuest", swiftSettings: embedded),
        program("cat", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("head", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("wc", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("tail", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("sort", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("uniq", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("cut", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("tr", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("tee", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("seq", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("basename", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("dirname", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("true", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("false", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("yes", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        cProgram("grep", in: "Programs"),

        // ---- programs that test and measure the system ----
        program("hello", in: "TestPrograms"),
        program("crash", in: "TestPrograms", ["UserLib", "ABI", "UserRuntime"]),
        program("usertests", in: "TestPrograms"),
        program("unixtests", in: "TestPrograms", ["ABI", "UserLib"]),
        program("bench", in: "TestPrograms", ["ABI", "UserLib"]),
        program("blktest", in: "TestPrograms", ["UserLib", "VirtioDriver"]),
        program("fs", in: "TestPrograms", ["UserLib", "VirtioDriver", "DiskBlocks", "RedoxFS"]),
        program("fsbench", in: "TestPrograms", ["UserLib", "VirtioDriver", "DiskBlocks", "RedoxFS"]),
        cProgram("ctest", in: "TestPrograms"),
    ]
)
