// swift-tools-version: 6.2
// The swiftvm guest: the microkernel, its servers, libraries and programs, all in Embedded Swift
// (and a little C) for x86_64-unknown-none-elf. Build with the toolset (codegen flags: no red zone;
// the kernel's targets add soft-float, see `kernelSwift`):
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

/// Floating point: user programs (C and Swift) use SSE2, the normal x86-64 ABI (toolset.json sets
/// no float flags). Everything linked into the kernel is soft-float instead: the kernel saves a
/// process's FPU/SSE registers only when another process takes the FPU (Dispatch.swift), so kernel
/// code must never touch them — no SSE, x87 or MMX instructions, and no soft-float libcalls either
/// (keep doubles out of these modules: there is no soft-float compiler-rt here).
/// These flags must be per target, not toolset-wide: SwiftPM puts a target's own flags before the
/// toolset's, so a toolset-wide +soft-float could not be undone for user programs.
/// Modules shared by the kernel and user programs (ABI, ELF, Initrd, RuntimeSupport, Freestanding,
/// VirtioSpec) are kernel-side: soft-float objects link fine into an SSE program as long as no
/// function passes a float across the boundary (these modules have none).
let softFloatC = ["-mno-sse", "-mno-mmx", "-Xclang", "-target-feature", "-Xclang", "+soft-float"]
let kernelSwift: [SwiftSetting] = embedded + [.unsafeFlags(softFloatC.flatMap { ["-Xcc", $0] })]
let kernelC: [CSetting] = [.unsafeFlags(softFloatC)]

/// User programs: static ELFs at 0x400000 (Libraries/UserRuntime/user.ld).
let userLinkerScript = ["-Xlinker", "-T", "-Xlinker", "Libraries/UserRuntime/user.ld"]
let userProgram: [LinkerSetting] = [.unsafeFlags(userLinkerScript)]

/// C programs: linked by swiftc like the Swift ones (they use UserLib through the C library), told
/// that this is Embedded Swift so it adds no host Swift runtime object (swiftrt.o).
let cProgram: [LinkerSetting] = [.unsafeFlags(userLinkerScript + ["-enable-experimental-feature", "Embedded"])]

/// The shell (sh, with the Shell library and the Posix backend) computes with Double (printf's
/// floating conversions, and Dictionary, whose growth uses Double): user programs have SSE (the
/// kernel saves each thread's FPU state), so it builds with the rest.
/// The toolchain's integer builtins (128-bit shifts and division, for Hasher and printf's widths).
let integerBuiltins: [LinkerSetting] = [.unsafeFlags(userLinkerScript + ["-Xlinker", "/opt/swift/usr/lib/clang/21/lib/linux/libclang_rt.builtins-x86_64.a"])]
let shellTargets: [Target] = [
    // the POSIX interface the shell library is written against (Contract.swift is the host's,
    // linked), over UserLib; and the shell library itself, shared with the host's swiftvm-sh
    .target(name: "Posix", dependencies: ["ABI", "UserLib"], path: "Libraries/Posix", swiftSettings: embedded),
    // the interactive shell's line editor (keys in, screen bytes out; no system calls)
    .target(name: "LineEditor", path: "Libraries/LineEditor", swiftSettings: embedded),
    .target(name: "Shell", dependencies: ["Posix", "LineEditor"], path: "Libraries/Shell", swiftSettings: embedded),
    .executableTarget(name: "sh", dependencies: ["UserLib", "Shell", "Posix"], path: "Programs/sh",
                      swiftSettings: embedded, linkerSettings: integerBuiltins),
    // /bin/printf and /bin/test (also /bin/[): the shell's own builtins run as programs
    .executableTarget(name: "printf", dependencies: ["UserLib", "Shell", "Posix"], path: "Programs/printf",
                      swiftSettings: embedded, linkerSettings: integerBuiltins),
    .executableTarget(name: "test", dependencies: ["UserLib", "Shell", "Posix"], path: "Programs/test",
                      swiftSettings: embedded, linkerSettings: integerBuiltins),
]

/// A ring-3 Swift program in `folder`.
func program(_ name: String, in folder: String, _ dependencies: [Target.Dependency] = ["UserLib"]) -> Target {
    .executableTarget(name: name, dependencies: dependencies, path: "\(folder)/\(name)",
                      swiftSettings: embedded, linkerSettings: userProgram)
}

/// A ring-3 C program on the guest's C library.
func cProgram(_ name: String, in folder: String) -> Target {
    .executableTarget(name: name, dependencies: ["LibC", "LibCNumbers", "LibCTime", "LibCPosix", "UserLib"], path: "\(folder)/\(name)", linkerSettings: cProgram)
}

let package = Package(
    name: "Guest",
    targets: [
        // ---- the contract: C headers shared by kernel, user programs and the VMM ----
        .target(name: "ABI", path: "ABI", cSettings: kernelC),

        // ---- pure Swift, shared with the host package ----
        .target(name: "ELF", path: "Libraries/ELF", swiftSettings: kernelSwift),
        .target(name: "Initrd", dependencies: ["ABI"], path: "Libraries/Initrd", swiftSettings: kernelSwift),
        .target(name: "RedoxFS", path: "Libraries/RedoxFS", swiftSettings: embedded),
        .target(name: "RuntimeSupport", path: "Libraries/RuntimeSupport", swiftSettings: kernelSwift),
        .target(name: "Freestanding", path: "Libraries/Freestanding", cSettings: kernelC),
        // exact printf/strtod for the C library (built here so the guest build proves it Embedded-clean)
        .target(name: "Numbers", path: "Libraries/Numbers", swiftSettings: embedded),
        .target(name: "VirtioSpec", path: "Libraries/VirtioSpec", swiftSettings: kernelSwift),
        // the terminal's line discipline (termios, canonical editing, echo, VMIN/VTIME), for ttyd
        .target(name: "Terminal", dependencies: ["ABI"], path: "Libraries/Terminal", swiftSettings: embedded),

        // ---- the kernel ----
        .target(name: "KernelCore", dependencies: ["ABI"], path: "Kernel/KernelCore", swiftSettings: kernelSwift),
        // x86-64: entry stubs and one-instruction wrappers (C and assembly), and the platform layer
        // in Swift (PVM's VIF and CR3 rules, descriptors, LAPIC/IOAPIC, PVH boot, vectors)
        .target(name: "Arch", dependencies: ["ABI"], path: "Kernel/Arch/x86_64/Entry", cSettings: kernelC),
        .target(name: "Platform", dependencies: ["ABI", "Arch", "KernelCore"], path: "Kernel/Arch/x86_64/Platform", swiftSettings: kernelSwift),
        .executableTarget(
            name: "Kernel",
            dependencies: ["ABI", "Arch", "Platform", "ELF", "Initrd", "KernelCore", "RuntimeSupport", "Freestanding", "VirtioSpec"],
            path: "Kernel/Kernel",
            exclude: ["kernel.ld"],
            swiftSettings: kernelSwift,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-T", "-Xlinker", "Kernel/Kernel/kernel.ld"])]),

        // ---- libraries for user programs ----
        .target(name: "UserRuntime", dependencies: ["ABI"], path: "Libraries/UserRuntime", exclude: ["user.ld"]),
        .target(name: "UserLib", dependencies: ["ABI", "UserRuntime", "RuntimeSupport", "Freestanding"],
                path: "Libraries/UserLib", swiftSettings: embedded),
        .target(name: "VirtioDriver", dependencies: ["ABI", "UserLib", "UserRuntime", "VirtioSpec"],
                path: "Libraries/VirtioDriver", swiftSettings: embedded),
        // the C library (POSIX subset over the file server): its headers and the C that must stay C
        // (variadic entry points, va_arg, data objects, malloc), and its Swift half: printf and
        // strtod on the Numbers module
        .target(name: "LibC", dependencies: ["ABI", "UserRuntime"], path: "Libraries/LibC"),
        .target(name: "LibCNumbers", dependencies: ["Numbers"], path: "Libraries/LibCNumbers", swiftSettings: embedded),
        // and time.h's calendar arithmetic and strftime
        .target(name: "LibCTime", path: "Libraries/LibCTime", swiftSettings: embedded),
        // and the rest of its logic, in Swift: streams, files, directories, processes, signals,
        // clocks, string.h, ctype, strtol, qsort, the environment, the scanf engine, locale "C", …
        .target(name: "LibCPosix", dependencies: ["UserRuntime", "LibCDynamic", "LineEditor"], path: "Libraries/LibCPosix", swiftSettings: embedded),
        // dlopen's ELF work (checking a shared object, its layout, symbols, relocations): pure
        // Swift, tested on the host (Tests/DynamicLoadingTests)
        .target(name: "LibCDynamic", path: "Libraries/LibCDynamic", swiftSettings: embedded),

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
        program("ttyd", in: "Servers", ["ABI", "UserLib", "Terminal", "VirtioDriver"]),
        program("watchdog", in: "Servers", ["ABI", "UserLib"]),
        program("ttytest", in: "TestPrograms", ["ABI", "UserLib"]),

        // ---- the shell and the utilities ----
        // sh: shellTargets above
        program("echo", in: "Programs"),
        program("ps", in: "Programs"),
        program("kill", in: "Programs"),
        program("ls", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("mkdir", in: "Programs", ["ABI", "UserLib"]),
        program("rmdir", in: "Programs"),
        program("rm", in: "Programs", ["ABI", "UserLib"]),
        program("mv", in: "Programs"),
        program("cp", in: "Programs", ["ABI", "UserLib"]),
        program("touch", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("df", in: "Programs"),
        program("sleep", in: "Programs"),
        program("snapshot", in: "Programs"),
        program("fsck", in: "Programs"),
        // the everyday utilities (issue 13): pure Swift in Utilities, over UserLib in UtilitiesGuest
        .target(name: "Utilities", dependencies: ["Numbers"], path: "Libraries/Utilities", swiftSettings: embedded),
        .target(name: "UtilitiesGuest", dependencies: ["Utilities", "UserLib", "ABI"], path: "Libraries/UtilitiesGuest", swiftSettings: embedded),
        program("cat", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("head", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("wc", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("tail", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("sort", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("uniq", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("cut", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("tr", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("tee", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("seq", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("basename", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("dirname", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("true", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("false", in: "Programs", ["UtilitiesGuest", "UserLib"]),
        program("yes", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("chmod", in: "Programs", ["ABI", "UserLib"]),
        program("fold", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("expand", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("unexpand", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("paste", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("comm", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("nl", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("cmp", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("od", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("hexdump", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("expr", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("env", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("pwd", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("xargs", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("base64", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("md5sum", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("printenv", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("truncate", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("xxd", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("egrep", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("fgrep", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("sed", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("grep", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("find", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("date", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("du", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("realpath", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("readlink", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("uname", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("id", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("whoami", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("mktemp", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("stat", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("dd", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("diff", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("time", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("kstat", in: "Programs", ["ABI", "Utilities", "UtilitiesGuest", "UserLib", "UserRuntime"]),
        program("ln", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("which", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("chown", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("su", in: "Programs", ["ABI", "UserLib"]),
        // the pager (less, and more: the same program with more's behaviour) and the editor
        program("less", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("more", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),
        program("nano", in: "Programs", ["UtilitiesGuest", "Utilities", "UserLib"]),

        // ---- programs that test and measure the system ----
        program("hello", in: "TestPrograms"),
        program("crash", in: "TestPrograms", ["UserLib", "ABI", "UserRuntime"]),
        program("usertests", in: "TestPrograms"),
        program("unixtests", in: "TestPrograms", ["ABI", "UserLib"]),
        program("sysfuzz", in: "TestPrograms", ["ABI", "UserLib", "UserRuntime"]),
        program("filetests", in: "TestPrograms", ["ABI", "UserLib", "UserRuntime"]),
        program("bench", in: "TestPrograms", ["ABI", "UserLib"]),
        program("blktest", in: "TestPrograms", ["UserLib", "VirtioDriver"]),
        program("fs", in: "TestPrograms", ["UserLib", "VirtioDriver", "DiskBlocks", "RedoxFS"]),
        program("fsbench", in: "TestPrograms", ["UserLib", "VirtioDriver", "DiskBlocks", "RedoxFS"]),
        cProgram("ctest", in: "TestPrograms"),
        cProgram("cunix", in: "TestPrograms"),
        cProgram("sigtests", in: "TestPrograms"),
        program("fputest", in: "TestPrograms"),
        cProgram("printftest", in: "TestPrograms"),
    ] + shellTargets
)
