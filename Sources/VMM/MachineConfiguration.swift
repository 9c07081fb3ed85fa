// MachineConfiguration.swift — everything `swiftvm run` needs to build and boot a machine.
import Sandbox
import HostSupport

public struct MachineConfiguration: Sendable {
    /// The kernel ELF to boot.
    public var kernelPath: String
    /// An optional initial ramdisk (Guest/ABI/include/sv_initrd.h).
    public var initrdPath: String?
    /// The kernel's and the initrd's bytes, when they come from somewhere other than `kernelPath`
    /// and `initrdPath` (an OS image; the paths then only name them in messages). Handed over:
    /// `Machine.boot` takes them and frees them once they are in guest RAM.
    public var bootFiles: BootFiles? = nil
    public var commandLine: String = ""
    /// Guest RAM in bytes.
    public var memorySize: UInt64 = 256 << 20
    /// Stop the guest after this many seconds (nil: never).
    public var timeout: Double? = nil
    /// Print boot timings, exit counts and memory use on exit.
    public var printStats = false
    /// Serial console input from the terminal (raw mode, Ctrl-A x quits) when stdin is a TTY.
    public var interactive = true
    /// virtio-blk disks, in order (the first is device 0).
    public var disks: [DiskConfiguration] = []
    /// A virtio-rng device fed from getrandom(2).
    public var entropy = false
    /// A virtio-console device on stdin/stdout (the 16550 stays too).
    public var virtioConsole = false
    /// The virtio-console's cols/rows; nil: the terminal on stdin's (TIOCGWINSZ), else 80x25.
    /// With a terminal on stdin, a SIGWINCH reads its size again and tells the guest.
    public var consoleSize: ConsoleSize? = nil
    /// Serve gdb on this endpoint (`tcp::1234`, `tcp:HOST:PORT`, `unix:PATH`).
    public var gdbEndpoint: String? = nil
    /// With `gdbEndpoint`: stop before the first guest instruction until gdb resumes it.
    public var gdbWait = false
    /// Where gdb's stub finds each guest program's unstripped NAME.elf (first match wins).
    public var symbolDirectories: [String] = []
    /// Write a core file (DIR/core.NAME.PID) for each user process that dies of a fault.
    public var coreDirectory: String? = nil
    /// Where a kernel panic writes the guest's core (default: coreDirectory/core.kernel).
    public var kernelCoreFile: String? = nil
    /// Where serial output goes; nil: stdout. Tests capture it here.
    public var serialOutput: (@Sendable ([UInt8]) -> Void)? = nil
    /// Where the second UART's output (COM2: the guest programs' stderr) goes; nil: with the
    /// console output (`swiftvm run IMAGE -- COMMAND` sends it to stderr).
    public var errorOutput: (@Sendable ([UInt8]) -> Void)? = nil
    /// Called by each of the run's threads once its setup is done, on that thread: `swiftvm run`
    /// loads the thread's seccomp filter there (Sandbox). nil (tests, --no-sandbox): nothing.
    public var enterSandbox: (@Sendable (SandboxedThread) -> Void)? = nil
    /// Test-only fault injection: the disks ignore a reset (a wedged device), so the kernel's
    /// quarantine path runs when their driver dies.
    public var testStuckReset = false

    /// `enterSandbox` for `thread`, as a thread-start hook.
    func sandboxHook(_ thread: SandboxedThread) -> (@Sendable () -> Void)? {
        guard let enter = enterSandbox else { return nil }
        return { enter(thread) }
    }

    public init(kernelPath: String) {
        self.kernelPath = kernelPath
    }

    /// The smallest RAM the boot layout fits into (boot pages + a 1 MiB kernel hole + room to run).
    public static let minimumMemory: UInt64 = 16 << 20

    /// Where guest-physical RAM ends for `size` bytes of it (the hole moves what exceeds the low
    /// limit to 4 GiB).
    public static func ramEnd(size: UInt64) -> UInt64 {
        size <= lowMemoryLimit ? size : (1 << 32) + size - lowMemoryLimit
    }

    /// The most RAM whose end fits `bits` of guest-physical address.
    public static func largestMemory(physicalAddressBits bits: Int) -> UInt64 {
        let top: UInt64 = bits >= 64 ? .max : 1 << UInt64(bits)
        return min(maximumMemory, top <= 1 << 32 ? min(top, lowMemoryLimit) : top - (1 << 32) + lowMemoryLimit)
    }
    /// RAM below the virtio-mmio/IOAPIC/LAPIC hole (sv_machine.h); the rest continues at 4 GiB.
    public static let lowMemoryLimit: UInt64 = 0xd000_0000
    /// The kernel's direct map is one PML4 slot, 512 GiB of guest-physical space, so RAM (which
    /// ends 3 GiB past its size because of the hole) stays below 512 GiB; the host's mapping and
    /// the CPU's physical address width may allow less (`Machine.boot` checks both).
    public static let maximumMemory: UInt64 = 508 << 30
}

/// Boot files already in memory, taken exactly once. A reference, so that the copies of a
/// configuration (the caller's, a thread's closure) do not keep the bytes alive for the whole run:
/// an OS image's initrd is tens of MiB, which would otherwise stay in the VMM's RSS (issue 14).
public final class BootFiles: Sendable {
    private let files: PthreadLocked<(kernel: [UInt8]?, initrd: [UInt8]?)>

    public init(kernel: [UInt8], initrd: [UInt8]?) {
        files = PthreadLocked((kernel, initrd))
    }

    /// The bytes, the first time; nil afterwards.
    func take() -> (kernel: [UInt8]?, initrd: [UInt8]?) {
        files.withLock { f in
            defer { f = (nil, nil) }
            return f
        }
    }
}

public enum SwiftVMVersion {
    public static let string = "0.1.0"
}
