// RunCommand.swift — `swiftvm run KERNEL.elf [--initrd FILE] …`: boot a guest and exit with its status.
import ArgumentParser
import Glibc
import HostSupport
import Sandbox
import VMM

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Boot an OS image or a kernel ELF and run it until it powers off.",
        discussion: """
        With `-- COMMAND [ARGS…]` (an OS image only), init runs the command once the servers are up: \
        its stdout is swiftvm's stdout, its stderr swiftvm's stderr (boot messages only with --verbose), \
        and swiftvm exits with its status. Its stdin is not connected. \
        The exit status is the guest's (the low 8 bits of what it writes to the debug-exit port), \
        124 on --timeout, 125 if the guest crashed (triple fault, KVM error), 130 if you quit with Ctrl-A x. \
        With a terminal on stdin the serial console is interactive: Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A.
        """)

    @Argument(help: "An OS image (RedoxFS holding /boot/kernel.elf and /boot/initrd.img; attached as the first disk) or a kernel ELF.")
    var kernel: String
    @Option(help: "An initial ramdisk to load after the kernel.") var initrd: String?
    @Option(help: "The kernel command line.") var cmdline: String = ""
    @Option(help: "Guest RAM, e.g. 256M or 1G.") var memory: String = "256M"
    @Option(help: "Stop the guest after this many seconds (exit status 124).") var timeout: Double?
    @Flag(help: "Print boot timings, VM exits and VMM memory use on exit (to stderr).") var stats = false
    @Flag(help: "Do not read the console from stdin.") var noInput = false
    @Option(help: "A virtio-blk disk: FILE[,ro][,serial=NAME] (repeatable).") var disk: [String] = []
    @Flag(help: "Add a virtio-rng device fed from the host's getrandom.") var rng = false
    @Option(help: "The guest console: serial (the 16550) or virtio (adds a virtio-console on stdin/stdout).")
    var console: String = "serial"
    @Option(help: "With --console virtio: the console size COLSxROWS the guest sees (default: the terminal's, else 80x25).")
    var consoleSize: String?
    @Option(help: "Serve gdb: tcp::PORT (127.0.0.1), tcp:HOST:PORT or unix:PATH.") var gdb: String?
    @Flag(help: "With --gdb: stop before the first guest instruction until gdb continues.") var gdbWait = false
    @Option(help: "Where the unstripped kernel.elf and NAME.elf are, to symbolize a crash and for gdb's program symbols (default: next to the image, the swiftvm binary, ./build).")
    var symbols: String?
    @Option(help: "Write a core file DIR/core.NAME.PID for each guest process that dies of a fault (open it with gdb build/NAME.elf CORE).")
    var coreDir: String?

    @Option(name: .customLong("core"), help: "On a kernel panic write the guest's core to FILE (open it with gdb build/kernel.elf FILE); default with --core-dir: DIR/core.kernel.")
    var kernelCore: String?
    @Flag(help: "Run on a copy-on-write overlay: the disks' writes stay in memory and their files are left untouched.")
    var ephemeral = false
    @Flag(help: "With a command: show the boot messages too (on stderr).") var verbose = false
    @Flag(help: "Run without the seccomp filters (each VMM thread is otherwise limited to the system calls it needs; a forbidden call stops the VMM with status 159).")
    var noSandbox = false
    @Flag(help: .hidden) var sandboxSelfTest = false
    /// Test-only: the disks ignore the driver's reset, as a wedged device would (kernel quarantine).
    @Flag(help: .hidden) var testStuckReset = false
    @Argument(parsing: .postTerminator, help: "After --: a command for init to run in the guest (argv, run by path lookup in /bin).")
    var command: [String] = []

    func run() throws {
        var config = MachineConfiguration(kernelPath: kernel)
        config.initrdPath = initrd
        let watcher = CrashWatcher()
        let gate = command.isEmpty ? nil : CommandOutputGate(verbose: verbose)
        config.serialOutput = { bytes in
            watcher.feed(bytes)
            if let gate { gate.console(bytes) } else { _ = try? writeStandardOutput(bytes) }
        }
        if let gate { config.errorOutput = { bytes in gate.errors(bytes) } }
        var bootedKernel: FileFingerprint? = nil
        if try OSImage.isImage(kernel) {
            let image = try OSImage.load(kernel)
            config.kernelPath = "\(kernel):\(OSImage.kernelPath)"
            bootedKernel = FileFingerprint(image.kernel)
            let initrdData = initrd == nil ? image.initrd : nil
            if initrdData != nil { config.initrdPath = "\(kernel):\(OSImage.initrdPath)" }
            config.bootFiles = BootFiles(kernel: image.kernel, initrd: initrdData)
            config.disks.append(DiskConfiguration(path: kernel, serial: "os", ephemeral: ephemeral))
        } else if !command.isEmpty {
            throw ValidationError("a command (after --) needs an OS image: its /bin holds the programs")
        }
        config.commandLine = command.isEmpty ? cmdline : GuestCommand.commandLine(cmdline, running: command)
        guard let bytes = SizeParser.parse(memory) else {
            throw ValidationError("--memory \(memory): expected a size like 256M or 1G")
        }
        config.memorySize = bytes
        config.timeout = timeout
        config.printStats = stats
        // A command's stdin is not connected: the console has no end of file to give it.
        config.interactive = !noInput && command.isEmpty
        for spec in disk {
            switch DiskConfiguration.parse(spec) {
            case .success(var d):
                d.ephemeral = ephemeral
                config.disks.append(d)
            case .failure(let e): throw ValidationError(e.description)
            }
        }
        config.entropy = rng
        config.testStuckReset = testStuckReset
        guard console == "serial" || console == "virtio" else { throw ValidationError("--console \(console): expected serial or virtio") }
        config.virtioConsole = console == "virtio"
        if let consoleSize {
            guard let size = ConsoleSize(parsing: consoleSize) else {
                throw ValidationError("--console-size \(consoleSize): expected COLSxROWS, e.g. 80x25 (each 1 to 65535)")
            }
            config.consoleSize = size
        }
        config.gdbEndpoint = gdb
        config.gdbWait = gdbWait
        config.symbolDirectories = CrashSymbols.directories(explicit: symbols, booted: kernel)
        config.coreDirectory = coreDir
        config.kernelCoreFile = kernelCore
        if gdbWait && gdb == nil { throw ValidationError("--gdb-wait needs --gdb") }
        if !noSandbox { try enableSandbox(&config) }
        let result: RunResult
        do {
            result = try noSandbox ? Machine.boot(config) : bootOnAVCPUThread(config)
        } catch {
            writeStandardError("swiftvm: \(error)\n")
            throw ExitCode(1)
        }
        let symbolDirectories = CrashSymbols.directories(explicit: symbols, booted: kernel)
        let kernelELF = bootedKernel == nil ? kernel : CrashSymbols.find("kernel.elf", in: symbolDirectories, matching: bootedKernel)
        if let report = CrashReport.render(watcher.evidence, kernelELF: kernelELF,
                                           programELF: { CrashSymbols.find("\($0).elf", in: symbolDirectories, matching: nil) }) {
            writeStandardError(report)
        }
        if let boot = gate?.unshownBootLog() {
            writeStandardError("swiftvm: the guest never started the command; it printed:\n")
            writeBytesToStandardError(boot)
        }
        if let report = result.statsReport {
            writeStandardError((report + "\n"))
        }
        switch result.outcome {
        case .exited: break
        case .timedOut(let s): writeStandardError("swiftvm: guest timed out after \(s) s\n")
        case .crashed(let reason): writeStandardError("swiftvm: guest crashed: \(reason)\n")
        case .quit: writeStandardError("swiftvm: quit\n")
        case .killedByDebugger: writeStandardError("swiftvm: killed by gdb\n")
        }
        throw ExitCode(result.outcome.processStatus)
    }
}

extension RunCommand {
    /// Makes every thread of the run load its seccomp filter once its setup is done (Sandbox).
    /// A filter that cannot be loaded stops the run: running unconfined without being asked to
    /// would hide the failure.
    func enableSandbox(_ config: inout MachineConfiguration) throws {
        do { try Sandbox.prepare() } catch {
            writeStandardError("swiftvm: the sandbox: \(error) (--no-sandbox runs without it)\n")
            throw ExitCode(1)
        }
        let options = SandboxOptions(writesCoreFiles: config.coreDirectory != nil || config.kernelCoreFile != nil,
                                     servesGDBOnUnixSocket: config.gdbEndpoint?.hasPrefix("unix:") == true)
        let selfTest = sandboxSelfTest
        config.enterSandbox = { thread in
            do { try Sandbox.enter(thread, options: options) } catch {
                writeStandardError("swiftvm: the sandbox: \(error) (--no-sandbox runs without it)\n")
                Glibc.exit(1)
            }
            // The test-only path: a call the vCPU's list forbids, which must stop the VMM.
            if selfTest && thread == .vcpu {
                Sandbox.makeForbiddenCall()
                writeStandardError("swiftvm: --sandbox-self-test: the forbidden call was allowed\n")
                Glibc.exit(1)
            }
        }
    }
}

extension RunCommand {
    /// Sandboxed, the machine runs on a thread of its own ("vcpu0", under the vCPU's filter once
    /// its devices are started) while this one waits under the supervisor's filter and then writes
    /// the crash report, which needs what the vCPU's filter forbids (loading libdw).
    func bootOnAVCPUThread(_ config: MachineConfiguration) throws(MachineError) -> RunResult {
        final class Outcome: Sendable { let value = PthreadLocked<Result<RunResult, MachineError>?>(nil) }
        let outcome = Outcome()
        let thread = spawnThread(name: "vcpu0") {
            let r: Result<RunResult, MachineError>
            do throws(MachineError) { r = .success(try Machine.boot(config)) } catch { r = .failure(error) }
            outcome.value.withLock { $0 = r }
        }
        config.enterSandbox?(.supervisor)
        pthread_join(thread, nil)
        return try outcome.value.withLock { $0 }!.get()
    }
}

/// Parses sizes like "64M", "1G", "4096", "512K".
enum SizeParser {
    static func parse(_ text: String) -> UInt64? {
        guard let last = text.last else { return nil }
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        if let unit = units[last] {
            guard let n = UInt64(text.dropLast()), n <= UInt64.max / unit else { return nil }
            return n * unit
        }
        return UInt64(text)
    }
}
