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

/// The shell (sh, with the Shell library and the Posix backend) computes with Double (printf's
/// floating conversions, and Dictionary, whose growth uses Double), which soft-float code could
/// only do with compiler-rt's soft-float builtins. So it is built apart, with SSE, as ring-3 code
/// may be (the kernel saves each thread's FPU state): `SWIFTVM_GUEST_FLOAT=1 swift build --toolset
/// toolset-float.json --scratch-path .build-float --product sh` (the Makefile does it). That build
/// sees only these targets; the main build, soft-float, does not see them.
let floatBuild = Context.environment["SWIFTVM_GUEST_FLOAT"] == "1"
/// The toolchain's integer builtins (128-bit shifts and division, for Hasher and printf's widths).
let integerBuiltins: [LinkerSetting] = [.unsafeFlags(userLinkerScript + ["-Xlinker", "/opt/swift/usr/lib/clang/21/lib/linux/libclang_rt.builtins-x86_64.a"])]
let floatTargets: [Target] = [
    // the POSIX interface the shell library is written against (Contract.swift is the host's,
    // linked), over UserLib; and the shell library itself, shared with the host's swiftvm-sh
    .target(name: "Posix", dependencies: ["ABI", "UserLib"], path: "Libraries/Posix", swiftSettings: embedded),
    .target(name: "Shell", dependencies: ["Posix"], path: "Libraries/Shell", swiftSettings: embedded),
    .executableTarget(name: "sh", dependencies: ["UserLib", "Shell", "Posix"], path: "Programs/sh",
                      swiftSettings: embedded, linkerSettings: integerBuiltins),
]

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
        // sh: floatTargets above
        program("echo", in: "Programs"),
        program("ps", in: "Programs"),
        program("kill", in: "Programs"),
        program("ls", in: "Programs"),
        program("cat", in: "Programs"),
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
        cProgram("wc", in: "Programs"),
        cProgram("head", in: "Programs"),
        cProgram("grep", in: "Programs"),

        // ---- programs that test and measure the system ----
        program("hello", in: "TestPrograms"),
        program("crash", in: "TestPrograms", ["UserLib", "ABI", "UserRuntime"]),
        program("usertests", in: "TestPrograms"),
        program("unixtests", in: "TestPrograms", ["ABI", "UserLib"]),
        program("filetests", in: "TestPrograms", ["ABI", "UserLib", "UserRuntime"]),
        program("bench", in: "TestPrograms", ["ABI", "UserLib"]),
        program("blktest", in: "TestPrograms", ["UserLib", "VirtioDriver"]),
        program("fs", in: "TestPrograms", ["UserLib", "VirtioDriver", "DiskBlocks", "RedoxFS"]),
        program("fsbench", in: "TestPrograms", ["UserLib", "VirtioDriver", "DiskBlocks", "RedoxFS"]),
        cProgram("ctest", in: "TestPrograms"),
    ] + (floatBuild ? floatTargets : [])
)
