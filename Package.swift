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
        .target(name: "ABI", path: "Guest/ABI"),
        .target(name: "ELF", path: "Guest/Libraries/ELF", swiftSettings: embeddedCompatible),
        .target(name: "Initrd", dependencies: ["ABI"], path: "Guest/Libraries/Initrd",
                swiftSettings: embeddedCompatible),
        .target(name: "RedoxFS", path: "Guest/Libraries/RedoxFS", swiftSettings: embeddedCompatible),
        .target(name: "KernelCore", dependencies: ["ABI"], path: "Guest/Kernel/KernelCore", swiftSettings: embeddedCompatible),
        .target(name: "RuntimeSupport", path: "Guest/Libraries/RuntimeSupport", swiftSettings: embeddedCompatible),
        .target(name: "Numbers", path: "Guest/Libraries/Numbers", swiftSettings: embeddedCompatible + [.unsafeFlags(["-O"])]),
        // the virtio 1.2 numbers: the host's devices and the guest's driver read the same module
        .target(name: "VirtioSpec", path: "Guest/Libraries/VirtioSpec", swiftSettings: embeddedCompatible),
        // the terminal's line discipline (termios, canonical editing, echo, VMIN/VTIME): ttyd runs it
        .target(name: "Terminal", dependencies: ["ABI"], path: "Guest/Libraries/Terminal", swiftSettings: embeddedCompatible),
        // dlopen's ELF work (the C library's shared objects): layout, dynamic section, symbols, relocations
        .target(name: "LibCDynamic", path: "Guest/Libraries/LibCDynamic", swiftSettings: embeddedCompatible),

        // ---- host support: files, stdio, threads, formatting over Glibc (no Foundation in swiftvm) ----
        .target(name: "CHostSupport"),
        .target(name: "HostSupport", dependencies: ["CHostSupport"]),

        // ---- the VMM ----
        .target(name: "CKVM"),
        .target(name: "KVM", dependencies: ["CKVM"]),
        .target(name: "GuestMemory"),
        .target(name: "Devices"),
        .target(name: "GDBStub", dependencies: ["HostSupport"]),
        .target(name: "VMM", dependencies: ["KVM", "GuestMemory", "ELF", "ABI", "Devices", "GDBStub",
                                            "Virtio", "VirtioBus", "EventLoop", "HostSupport", "Sandbox"]),
        // seccomp filters per VMM thread (issue 16 §5): libseccomp from Debian's libseccomp-dev
        .target(name: "CSandbox", linkerSettings: [.linkedLibrary("seccomp")]),
        .target(name: "Sandbox", dependencies: ["CSandbox", "CKVM"]),
        // virtio-mmio devices (issue #3): KVM-independent; a device sees guest memory, register
        // offsets and an interrupt line. CVirtio holds the READ_ONCE/WRITE_ONCE/fence wrappers.
        .target(name: "CVirtio"),
        .target(name: "Virtio", dependencies: ["GuestMemory", "CVirtio", "VirtioSpec", "HostSupport"]),
        .target(name: "CEventLoop"),
        .target(name: "EventLoop", dependencies: ["CEventLoop", "HostSupport"]),
        .target(name: "VirtioBus", dependencies: ["Virtio", "EventLoop", "GuestMemory"]),
        .target(name: "VirtioTestSupport", dependencies: ["Virtio", "GuestMemory", "HostSupport"]),
        .target(name: "ImageTool", dependencies: ["RedoxFS", "HostSupport"]),
        // Crash reports (issue #15): libdw through dlopen (CDwarf), Swift's runtime demangler.
        .target(name: "CDwarf"),
        .target(name: "Symbolizer", dependencies: ["CDwarf"]),
        .executableTarget(name: "swiftvm", dependencies: [
            "VMM", "Initrd", "ImageTool", "HostSupport", "Symbolizer", "Sandbox",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // ---- tests ----
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ABITests", dependencies: ["ABI"]),
        .testTarget(name: "ELFTests", dependencies: ["ELF", "TestSupport"]),
        .testTarget(name: "InitrdTests", dependencies: ["Initrd"]),
        .testTarget(name: "GuestMemoryTests", dependencies: ["GuestMemory"]),
        .testTarget(name: "RedoxFSTests", dependencies: ["RedoxFS"]),
        .testTarget(name: "ImageToolTests", dependencies: ["ImageTool", "RedoxFS"]),
        .testTarget(name: "DevicesTests", dependencies: ["Devices"]),
        // the line discipline, and the same keystrokes through a real Linux pty
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "ABI"]),
        .testTarget(name: "KernelCoreTests", dependencies: ["KernelCore", "RuntimeSupport", "ABI"]),
        .testTarget(name: "KVMTests", dependencies: ["VMM", "TestSupport"]),
        .testTarget(name: "BootTests", dependencies: ["TestSupport"], exclude: ["CPrograms"]),
        .testTarget(name: "GDBTests", dependencies: ["TestSupport", "VMM", "ABI", "GuestMemory", "KVM", "CKVM", "GDBStub"]),
        .testTarget(name: "BlockTests", dependencies: ["TestSupport"]),
        .testTarget(name: "SymbolizerTests", dependencies: ["Symbolizer", "TestSupport"]),
        // LibCDynamic on shared objects built by build/bin/swiftvm-cc (module.c), run on the host
        .testTarget(name: "DynamicLoadingTests", dependencies: ["LibCDynamic", "TestSupport"], exclude: ["module.c"]),
        .testTarget(name: "NumbersTests", dependencies: ["Numbers"], swiftSettings: [.unsafeFlags(["-O"])]),
        // the guest's libm (musl's objects, fetched by `make`) against glibc's; libmcheck.c is built by the test
        .testTarget(name: "LibmTests", dependencies: ["TestSupport"], exclude: ["libmcheck.c"]),

        // ---- gdb stub: a simulated x86-64 target, a server for it, tests (unit + real gdb) ----
        .target(name: "GDBStubTestSupport", dependencies: ["GDBStub"]),
        .executableTarget(name: "gdbstub-sim", dependencies: ["GDBStub", "GDBStubTestSupport"]),
        .testTarget(name: "GDBStubTests", dependencies: ["GDBStub", "GDBStubTestSupport", "TestSupport", "gdbstub-sim"]),

        // ---- POSIX shell (issue 12): the shell library shared with the guest, its host system
        // interface (Posix over Glibc), the host executable and the differential tests vs dash ----
        .target(name: "Posix"),
        .target(name: "LineEditor", path: "Guest/Libraries/LineEditor", swiftSettings: embeddedCompatible),
        .target(name: "Shell", dependencies: ["Posix", "LineEditor"], path: "Guest/Libraries/Shell",
                swiftSettings: embeddedCompatible),
        .executableTarget(name: "swiftvm-sh", dependencies: ["Shell", "Posix"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Posix", "LineEditor", "swiftvm-sh"],
                    exclude: ["corpus"]),

        // ---- the everyday utilities (issue 13): the tools as pure Swift shared with the guest,
        // run in-process over a Glibc backend and compared with GNU coreutils ----
        .target(name: "Utilities", dependencies: ["Numbers"], path: "Guest/Libraries/Utilities", swiftSettings: embeddedCompatible + [.unsafeFlags(["-O"])]),
        .testTarget(name: "UtilitiesTests", dependencies: ["Utilities"]),
        // test-only: our utilities as host programs (one binary, called as seq, sort, …) so toybox's
        // test files run against them on the host (scripts/toybox/host-harness.sh); not in `make`
        .executableTarget(name: "utilities-host", dependencies: ["Utilities"], path: "Tests/UtilitiesHost"),
        // the pager (less, more) and the editor (nano) as screen models: keys in, screens out
        .testTarget(name: "PagerTests", dependencies: ["Utilities"]),
        .testTarget(name: "EditorTests", dependencies: ["Utilities"]),

        // ---- virtio devices (issue #3) ----
        .testTarget(name: "VirtioTests", dependencies: ["Virtio", "VirtioTestSupport", "EventLoop", "VirtioBus", "GuestMemory"]),
    ]
)
