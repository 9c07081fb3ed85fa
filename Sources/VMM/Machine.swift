// Machine.swift — one virtual machine: KVM VM + guest RAM + boot + the vCPU run loop dispatching
// port I/O to the devices. `swiftvm run` builds a configuration and calls `Machine.boot(_:)`.
import ABI
import CKVM
import Devices
import Sandbox
import Virtio
import GDBStub
import GuestMemory
import Glibc
import HostSupport
import KVM

/// How a run ended.
public enum RunOutcome: Equatable, Sendable {
    /// The guest powered off through the debug-exit port with this status.
    case exited(status: UInt32)
    /// The configured timeout expired.
    case timedOut(seconds: Double)
    /// The guest triple-faulted, or KVM could not continue; the message says what happened.
    case crashed(reason: String)
    /// The user quit from the console (Ctrl-A x).
    case quit
    /// gdb killed the guest (`kill`).
    case killedByDebugger

    /// The process exit status `swiftvm run` reports for this outcome.
    public var processStatus: Int32 {
        switch self {
        case .exited(let s): return Int32(truncatingIfNeeded: s & 0xff)
        case .timedOut: return 124
        case .crashed: return 125
        case .quit: return 130
        case .killedByDebugger: return 137
        }
    }
}

public struct RunResult: Sendable {
    public var outcome: RunOutcome
    /// The `--stats` report, if requested.
    public var statsReport: String?
    public var isPVM: Bool
}

public final class Machine {
    let configuration: MachineConfiguration
    let memory: GuestMemory
    var serial = Serial16550()
    /// COM2: output only, no interrupt line (the kernel writes to it, never waits on it).
    var errorSerial = Serial16550()
    /// The CMOS real-time clock on ports 0x70/0x71: the host's wall-clock time (UTC).
    var rtc = CMOSClock(now: { Int64(time(nil)) })
    let stats: RunStats
    let console: Console
    var isPVM = false
    var debugger: GuestDebugger? = nil
    /// `--core-dir`: writes a core file for each user process that dies of a fault.
    var coreDumper: CoreDumper? = nil
    var virtio: VirtioDevices? = nil
    var gdbServer: GDBServer? = nil

    init(configuration: MachineConfiguration, memory: GuestMemory, stats: RunStats, console: Console) {
        self.configuration = configuration
        self.memory = memory
        self.stats = stats
        self.console = console
    }

    /// Builds the machine described by `configuration`, boots it and runs it to the end.
    public static func boot(_ configuration: MachineConfiguration) throws(MachineError) -> RunResult {
        let stats = RunStats()
        guard configuration.memorySize >= MachineConfiguration.minimumMemory,
              configuration.memorySize <= MachineConfiguration.maximumMemory,
              configuration.memorySize % 4096 == 0 else {
            throw .badMemorySize(configuration.memorySize)
        }
        // Read before touching KVM so file errors come first; dropped once copied into guest RAM.
        let handedOver: (kernel: [UInt8]?, initrd: [UInt8]?) = configuration.bootFiles?.take() ?? (nil, nil)
        var kernel: [UInt8]
        if let data = handedOver.kernel { kernel = data } else { kernel = try readFile(configuration.kernelPath) }
        var initrd: [UInt8]? = handedOver.initrd
        if initrd == nil, let path = configuration.initrdPath { initrd = try readFile(path) }

        let system: KVMSystem
        do { system = try KVMSystem() } catch { throw .kvm(error) }
        // The CPU's physical address width bounds guest-physical RAM (CPUID 0x80000008 EAX[7:0],
        // SDM Vol. 2A CPUID; KVM reports the guest's in its supported table).
        let supportedCPUID: [kvm_cpuid_entry2]
        do { supportedCPUID = try system.supportedCPUID() } catch { throw .kvm(error) }
        if let widths = supportedCPUID.first(where: { $0.function == 0x8000_0008 }) {
            let bits = Int(widths.eax & 0xff)
            if bits > 0 && bits < 64 && MachineConfiguration.ramEnd(size: configuration.memorySize) > 1 << UInt64(bits) {
                throw .memoryBeyondPhysicalAddressWidth(configuration.memorySize, bits: bits)
            }
        }
        let memory: GuestMemory
        do {
            memory = try GuestMemory(size: configuration.memorySize, holeStart: MachineConfiguration.lowMemoryLimit)
        } catch { throw .memory(error) }
        let console = Console(interactive: configuration.interactive, output: configuration.serialOutput)
        let machine = Machine(configuration: configuration, memory: memory, stats: stats, console: console)
        do {
            let vm = try system.createVM()
            for (slot, region) in memory.regions.enumerated() {
                try vm.setUserMemoryRegion(slot: UInt32(slot), guestPhysical: region.guestPhysical, size: region.size,
                                           host: memory.hostBase + Int(region.hostOffset))
            }
            // Intel VMX needs a 3-page TSS region below 4 GiB for real-mode emulation (KVM api.rst
            // KVM_SET_TSS_ADDR; Firecracker uses the same address). Other KVMs, PVM included, may refuse it.
            try? vm.setTSSAddress(0xfffb_d000)
            try vm.createIRQChip()
            let vcpu = try vm.createVCPU(id: 0)
            try vcpu.setCPUID(cpuidTable(supportedCPUID, vcpuID: 0))
            // PVM (HOST.md): the signature MSR reads 0x4d5650; plain KVM does not know the MSR.
            machine.isPVM = (try? vcpu.readMSR(UInt32(SV_MSR_PVM_SIGNATURE))) == UInt64(SV_PVM_SIGNATURE)
            let tscKHz = (try? vcpu.tscKHz()) ?? 0
            var flags: UInt64 = 0
            if machine.isPVM { flags |= UInt64(SV_BOOT_FLAG_PVM) }
            if configuration.gdbEndpoint != nil { flags |= UInt64(SV_BOOT_FLAG_DEBUGGER) }
            if configuration.coreDirectory != nil || configuration.kernelCoreFile != nil {
                flags |= UInt64(SV_BOOT_FLAG_CORE_DUMPS)
                let kernelCore = configuration.kernelCoreFile ?? configuration.coreDirectory.map { $0 + "/core.kernel" }
                machine.coreDumper = CoreDumper(directory: configuration.coreDirectory, kernelCorePath: kernelCore, memory: memory)
            }
            flags |= UInt64(SV_BOOT_FLAG_CONSOLE_PORT)
            if configuration.interactive && isatty(STDIN_FILENO) != 0 { flags |= UInt64(SV_BOOT_FLAG_INTERACTIVE) }
            let devices = try VirtioDevices(memory: memory, configuration: configuration,
                                            consoleOutput: { bytes in console.write(bytes) })
            machine.virtio = devices
            if let virtioConsole = devices.console {
                console.virtioInput = { bytes in _ = virtioConsole.sendInput(bytes) }
                // The host terminal's resizes reach the guest as a config change (§5.3.6 item 3).
                if configuration.interactive && isatty(STDIN_FILENO) != 0 {
                    HostTerminal.watchResizes(threadStart: configuration.sandboxHook(.consoleResize)) {
                        if let size = HostTerminal.size(of: STDIN_FILENO) {
                            virtioConsole.resize(columns: size.columns, rows: size.rows)
                        }
                    }
                }
            }
            defer { HostTerminal.stopWatchingResizes() }
            defer { devices.shutdown() }
            let bootDevices = try devices.attach(to: vm)
            let commandLine = Machine.commandLine(configuration.commandLine, adding: devices.linuxCommandLine)
            let boot = try BootLayout.prepare(memory: memory, kernel: kernel, kernelPath: configuration.kernelPath,
                                              initrd: initrd, initrdPath: configuration.initrdPath,
                                              commandLine: commandLine, flags: flags,
                                              tscKHz: tscKHz, devices: bootDevices)
            kernel = []
            initrd = nil
            // Reading an OS image leaves freed heap behind (its blocks, the initrd's pieces):
            // give it back to the host before the run (issue 14: VMM RSS without guest RAM).
            returnFreedMemoryToTheSystem()
            pageOutProgramText()
            try LongMode.enter(vcpu: vcpu, boot: boot)
            if let spec = configuration.gdbEndpoint {
                try machine.startDebugger(spec: spec, vcpu: vcpu)
            }
            defer { machine.gdbServer?.stop() }
            let outcome = machine.run(vcpu: vcpu, vm: vm)
            let report = configuration.printStats ? stats.report(guestMemoryBase: memory.hostBase) : nil
            return RunResult(outcome: outcome, statsReport: report, isPVM: machine.isPVM)
        } catch let error as KVMError {
            throw .kvm(error)
        } catch let error as MachineError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// The kernel command line with `extra` parameters added before any `--` (what follows `--`
    /// belongs to init, as on Linux).
    static func commandLine(_ line: String, adding extra: String) -> String {
        guard !extra.isEmpty else { return line }
        var words = line.split(separator: " ").map(String.init)
        let at = words.firstIndex(of: "--") ?? words.count
        words.insert(extra, at: at)
        return words.joined(separator: " ")
    }

    /// Starts the gdb stub (GDBStub) with this machine as its target. Binds at once, so a bad
    /// endpoint fails before the guest runs.
    func startDebugger(spec: String, vcpu: borrowing VCPU) throws(MachineError) {
        let endpoint: GDBEndpoint
        do { endpoint = try GDBEndpoint(parsing: spec) } catch { throw .debugger("--gdb \(spec): \(error)") }
        let kicker = vcpu.kicker
        let target = GuestDebugger(memory: memory, vcpu: vcpu.handle, kick: { kicker.kick() }, hardwareBreakpointsWork: !isPVM,
                                   symbolDirectories: configuration.symbolDirectories)
        do {
            gdbServer = try GDBServer(endpoint: endpoint, target: target)
        } catch {
            throw .debugger("\(error)")
        }
        debugger = target
        gdbServer!.threadStart = configuration.sandboxHook(.gdb)
        gdbServer!.start()
        writeStandardError("swiftvm: gdb stub listening on \(gdbServer!.address)\(configuration.gdbWait ? ", guest stopped before its first instruction" : "")\n")
    }

    static func readFile(_ path: String) throws(MachineError) -> [UInt8] {
        // Any stat failure reads as "no such file", any read failure (a directory included) as
        // "cannot read" (HostSupport's fileExists/readFile): the messages the tests compare.
        guard fileExists(path) else {
            throw .cannotRead(path: path, reason: "no such file")
        }
        do { return try HostSupport.readFile(path) } catch {
            throw .cannotRead(path: path, reason: "cannot read (permissions?)")
        }
    }

    /// KVM's supported CPUID with this vCPU's APIC ID filled in.
    static func cpuidTable(_ supported: [kvm_cpuid_entry2], vcpuID: UInt32) -> [kvm_cpuid_entry2] {
        supported.map { entry in
            var e = entry
            if e.function == 1 { e.ebx = (e.ebx & 0x00ff_ffff) | vcpuID << 24 }
            if e.function == 0xb || e.function == 0x1f { e.edx = vcpuID }
            return e
        }
    }

    /// The vCPU loop, on the calling thread, until the guest powers off, crashes or times out.
    func run(vcpu: borrowing VCPU, vm: borrowing VirtualMachine) -> RunOutcome {
        let kicker = vcpu.kicker
        let watchdog = Watchdog(kicker: kicker, threadStart: configuration.sandboxHook(.watchdog))
        if let timeout = configuration.timeout { watchdog.arm(seconds: timeout) }
        console.start(kicker: kicker, threadStart: configuration.sandboxHook(.consoleInput))
        defer {
            console.stop()
            watchdog.disarm()
        }
        // Every other thread of the run is started: from here on the vCPU needs only its own list.
        configuration.enterSandbox?(.vcpu)
        stats.markStart()
        if let debugger, configuration.gdbWait {
            if debugger.vcpuStopped(context: .kvm, reason: .attached) == .kill { return finish(.killedByDebugger) }
        }
        while true {
            let exit: VCPUExit
            do { exit = try vcpu.run() } catch {
                return .crashed(reason: "\(error)")
            }
            stats.exits += 1
            switch exit {
            case .io(let io):
                stats.count("io 0x" + String(io.port, radix: 16))
                let data = vcpu.ioData(io)
                if io.port == UInt16(SV_PORT_DEBUG), io.isWrite, data.count == 4, debugger != nil || coreDumper != nil {
                    // The kernel stopped for the debugger (sv_debug.h); the page must lie in RAM.
                    let address = UInt64(data.loadUnaligned(as: UInt32.self))
                    if memory.contains(GuestAddress(address), length: UInt64(MemoryLayout<sv_debug_state>.size)),
                       (try? memory.load(UInt32.self, at: GuestAddress(address))) == SV_DEBUG_MAGIC {
                        // The core first: gdb may kill the guest at the fault's stop.
                        coreDumper?.channelMessage(at: address)
                        if let debugger, debugger.channelMessage(at: address) == .kill { return finish(.killedByDebugger) }
                    }
                    continue
                }
                if let outcome = handlePortIO(io, data: data, vm: vm) { return finish(outcome) }
            case .mmio(let m):
                stats.count("mmio")
                handleMMIO(m, data: vcpu.mmioData(m))
            case .halt:
                // With the in-kernel irqchip KVM handles HLT itself; a HLT exit means the guest stopped for good.
                return finish(.crashed(reason: "guest halted with interrupts disabled\n" + registerDump(vcpu)))
            case .shutdown:
                return finish(.crashed(reason: "guest triple fault (KVM_EXIT_SHUTDOWN)\n" + registerDump(vcpu)))
            case .internalError(let sub, let data):
                let words = data.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
                return finish(.crashed(reason: "KVM internal error, suberror \(sub) [\(words)]\n" + registerDump(vcpu)))
            case .failEntry(let reason):
                return finish(.crashed(reason: "KVM entry failure, reason 0x\(String(reason, radix: 16))\n" + registerDump(vcpu)))
            case .systemEvent(let type):
                return finish(.crashed(reason: "guest system event \(type) (reset or shutdown request)"))
            case .debug(let exception, let pc, let dr6, _):
                guard let debugger else {
                    return finish(.crashed(reason: "unexpected debug exit, exception \(exception) at 0x\(String(pc, radix: 16))"))
                }
                // A KVM single step (KVM_GUESTDBG_SINGLESTEP): exception 1 with DR6.BS.
                let reason: StopReason = exception == 1 && dr6 & (1 << 14) != 0 ? .step : .signal(5)
                if debugger.vcpuStopped(context: .kvm, reason: reason) == .kill { return finish(.killedByDebugger) }
            case .interrupted:
                stats.count("interrupted")
                if console.quitRequested { return finish(.quit) }
                if let debugger {
                    if debugger.isKilled { return finish(.killedByDebugger) }
                    if debugger.takeInterruptRequest(),
                       debugger.vcpuStopped(context: .kvm, reason: .interrupted) == .kill {
                        return finish(.killedByDebugger)
                    }
                }
                let wasAsserted = serial.interruptAsserted
                console.drainInput(into: &serial)
                if serial.interruptAsserted != wasAsserted {
                    try? vm.setIRQLine(UInt32(SV_IRQ_SERIAL), level: serial.interruptAsserted)
                }
                if watchdog.fired {
                    return finish(.timedOut(seconds: configuration.timeout ?? 0))
                }
            case .unknown(let reason):
                return finish(.crashed(reason: "unhandled KVM exit reason \(reason)\n" + registerDump(vcpu)))
            }
        }
    }

    func finish(_ outcome: RunOutcome) -> RunOutcome {
        console.flush()
        stats.markEnd()
        // gdb sees the guest go away (`W` reply) before the stub shuts down.
        if let debugger, outcome != .killedByDebugger {
            debugger.guestExited(code: UInt8(truncatingIfNeeded: outcome.processStatus))
        }
        return outcome
    }

    /// Port I/O dispatch. Returns an outcome when the guest asked to power off.
    func handlePortIO(_ io: IOExit, data: UnsafeMutableRawBufferPointer, vm: borrowing VirtualMachine) -> RunOutcome? {
        let port = io.port
        let size = Int(io.size)
        switch port {
        case UInt16(SV_PORT_SERIAL)..<UInt16(SV_PORT_SERIAL + 8):
            let offset = port - UInt16(SV_PORT_SERIAL)
            let wasAsserted = serial.interruptAsserted
            if io.isWrite {
                // A `rep outsb` arrives as one exit with `count` bytes.
                var output: [UInt8] = []
                output.reserveCapacity(data.count)
                for i in stride(from: 0, to: data.count, by: size) {
                    if let byte = serial.write(offset: offset, value: data[i]) { output.append(byte) }
                }
                if !output.isEmpty {
                    stats.markFirstSerialByte()
                    console.write(output)
                }
            } else {
                console.drainInput(into: &serial)
                for i in stride(from: 0, to: data.count, by: size) {
                    data[i] = serial.read(offset: offset)
                    for j in 1..<size { data[i + j] = 0 }
                }
            }
            if serial.interruptAsserted != wasAsserted {
                try? vm.setIRQLine(UInt32(SV_IRQ_SERIAL), level: serial.interruptAsserted)
            }
        case Serial16550.com2Base..<Serial16550.com2Base + 8:
            let offset = port - Serial16550.com2Base
            if io.isWrite {
                var output: [UInt8] = []
                for i in stride(from: 0, to: data.count, by: size) {
                    if let byte = errorSerial.write(offset: offset, value: data[i]) { output.append(byte) }
                }
                if !output.isEmpty { writeErrors(output) }
            } else {
                for i in stride(from: 0, to: data.count, by: size) {
                    data[i] = errorSerial.read(offset: offset)
                    for j in 1..<size { data[i + j] = 0 }
                }
            }
        case UInt16(SV_PORT_DEBUG_EXIT):
            guard io.isWrite else { fillAllOnes(data); return nil }
            return .exited(status: DebugExit.status(written: data.prefix(size)))
        case UInt16(SV_PORT_CONSOLE_WRITE):
            // One buffer of console output (sv_boot.h struct sv_console_write), checked against RAM.
            guard io.isWrite, size == 4 else { fillAllOnes(data); return nil }
            let address = GuestAddress(UInt64(data.loadUnaligned(as: UInt32.self)))
            guard let length = try? memory.load(UInt32.self, at: address), length <= UInt32(SV_CONSOLE_WRITE_MAX),
                  let start = address.adding(8), let bytes = try? memory.read(at: start, count: Int(length)) else {
                stats.badConsoleWrites += 1
                return nil
            }
            if !bytes.isEmpty {
                stats.markFirstSerialByte()
                console.write(bytes)
            }
        case CMOSClock.indexPort:
            if io.isWrite { rtc.writeIndex(data[0]) } else { data[0] = rtc.index; for j in 1..<max(size, 1) { data[j] = 0 } }
        case CMOSClock.dataPort:
            if io.isWrite { break }
            data[0] = rtc.readData()
            for j in 1..<max(size, 1) { data[j] = 0 }
        case UInt16(SV_PORT_BOOT_EVENT):
            if io.isWrite { stats.markEvent(data[0]) } else { fillAllOnes(data) }
        case UInt16(SV_PORT_KERNEL_COUNTERS):
            // The kernel's counters at power-off (sv_syscall.h struct sv_kernel_counters), checked
            // against RAM; numbers only, reported as the guest gave them.
            guard io.isWrite, size == 4 else { fillAllOnes(data); return nil }
            let address = GuestAddress(UInt64(data.loadUnaligned(as: UInt32.self)))
            guard let bytes = try? memory.read(at: address, count: MemoryLayout<sv_kernel_counters>.size) else {
                stats.badCounterReports += 1
                return nil
            }
            stats.kernelCounters = KernelCountersReport(bytes)
        default:
            // Absent device: reads float high, writes are ignored (as on a PC bus). Counted for --stats.
            stats.unknownPortAccesses += 1
            if !io.isWrite { fillAllOnes(data) }
        }
        return nil
    }

    /// COM2's output: to the configured sink, or with the console's (in order, as a terminal
    /// shows a program's stdout and stderr).
    func writeErrors(_ bytes: [UInt8]) {
        if let sink = configuration.errorOutput { sink(bytes) } else { console.write(bytes) }
    }

    /// MMIO outside RAM: the virtio windows; anything else is an absent device (reads all-ones,
    /// writes dropped).
    func handleMMIO(_ m: MMIOExit, data: UnsafeMutableRawBufferPointer) {
        let size = data.count
        if m.isWrite {
            var value: UInt64 = 0
            for i in 0..<size { value |= UInt64(data[i]) << (8 * UInt64(i)) }
            if virtio?.write(address: m.address, size: size, value: value) != true { stats.unknownMMIOAccesses += 1 }
        } else if let value = virtio?.read(address: m.address, size: size) {
            for i in 0..<size { data[i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        } else {
            stats.unknownMMIOAccesses += 1
            fillAllOnes(data)
        }
    }

    func fillAllOnes(_ data: UnsafeMutableRawBufferPointer) {
        for i in 0..<data.count { data[i] = 0xff }
    }

    func registerDump(_ vcpu: borrowing VCPU) -> String {
        guard let r = try? vcpu.registers(), let s = try? vcpu.specialRegisters() else { return "(registers unavailable)" }
        func h(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
        return """
          rip=\(h(r.rip)) rsp=\(h(r.rsp)) rbp=\(h(r.rbp)) rflags=\(h(r.rflags))
          rax=\(h(r.rax)) rbx=\(h(r.rbx)) rcx=\(h(r.rcx)) rdx=\(h(r.rdx)) rsi=\(h(r.rsi)) rdi=\(h(r.rdi))
          cs=\(h(UInt64(s.cs.selector))) ss=\(h(UInt64(s.ss.selector))) cr0=\(h(s.cr0)) cr2=\(h(s.cr2)) cr3=\(h(s.cr3)) cr4=\(h(s.cr4)) efer=\(h(s.efer))
        """
    }
}
