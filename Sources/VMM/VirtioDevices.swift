// VirtioDevices.swift — the machine's virtio-mmio devices (issue 3): builds the bus from the
// configuration, connects each queue's doorbell to an ioeventfd and each device's interrupt to an
// irqfd (HOST.md rule 7: an exit costs 35–50 µs on PVM, an ioeventfd 3 µs), and runs the devices on
// the event-loop thread so a slow disk never stalls the vCPU.
import ABI
import Glibc
import EventLoop
import GuestMemory
import KVM
import Virtio
import VirtioBus

/// A `--disk` argument: `FILE[,ro][,serial=NAME]`.
public struct DiskConfiguration: Sendable, Equatable {
    public var path: String
    public var readOnly: Bool
    public var serial: String?
    /// Writes go to a copy-on-write overlay in memory; the file is opened read-only and never changes.
    public var ephemeral: Bool

    public init(path: String, readOnly: Bool = false, serial: String? = nil, ephemeral: Bool = false) {
        self.path = path
        self.readOnly = readOnly
        self.serial = serial
        self.ephemeral = ephemeral
    }

    /// Parses `FILE[,ro][,serial=NAME]`; nil with a reason if malformed.
    public static func parse(_ spec: String) -> Result<DiskConfiguration, MachineError> {
        let parts = spec.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let path = parts.first, !path.isEmpty else { return .failure(.badOption("--disk \(spec): missing file name")) }
        var disk = DiskConfiguration(path: path)
        for option in parts.dropFirst() {
            if option == "ro" { disk.readOnly = true }
            else if option.hasPrefix("serial="), option.count > 7, option.count <= 27 { disk.serial = String(option.dropFirst(7)) }
            else { return .failure(.badOption("--disk \(spec): unknown option '\(option)' (expected ro or serial=NAME, at most 20 characters)")) }
        }
        return .success(disk)
    }
}

/// The bus and its event loop, for the lifetime of a run.
final class VirtioDevices {
    let loop: EventLoop
    let bus: VirtioBus
    var console: ConsoleDevice? = nil

    init(memory: GuestMemory, configuration: MachineConfiguration, consoleOutput: @escaping ConsoleOutputSink) throws(MachineError) {
        do {
            loop = try EventLoop(name: "virtio", threadStart: configuration.sandboxHook(.virtio))
        } catch {
            throw .device("event loop: \(error)")
        }
        bus = VirtioBus(memory: memory, loop: loop, base: UInt64(SV_VIRTIO_MMIO_BASE),
                        irqBase: UInt32(SV_VIRTIO_IRQ_BASE), maxDevices: Int(SV_VIRTIO_MAX_DEVICES))
        do {
            for disk in configuration.disks {
                var backend: any BlockBackend
                do { backend = try FileBlockBackend(path: disk.path, readOnly: disk.readOnly || disk.ephemeral) } catch {
                    throw MachineError.cannotRead(path: disk.path, reason: "\(error)")
                }
                if disk.ephemeral && !disk.readOnly { backend = OverlayBlockBackend(base: backend) }
                _ = try bus.add(BlockDevice(backend: backend, readOnly: disk.readOnly, serial: disk.serial),
                                ignoresReset: configuration.testStuckReset)
            }
            if configuration.entropy { _ = try bus.add(EntropyDevice()) }
            if configuration.virtioConsole {
                let size = configuration.consoleSize
                    ?? (configuration.interactive ? HostTerminal.size(of: STDIN_FILENO) : nil) ?? .fallback
                let c = ConsoleDevice(output: consoleOutput, columns: size.columns, rows: size.rows)
                _ = try bus.add(c)
                console = c
            }
        } catch let error as MachineError {
            throw error
        } catch {
            throw .device("virtio: \(error)")
        }
    }

    /// Doorbells and interrupts in KVM; boot-info entries for the guest.
    func attach(to vm: borrowing VirtualMachine) throws(MachineError) -> [BootDevice] {
        var devices: [BootDevice] = []
        for slot in bus.slots {
            do {
                for (q, fd) in slot.queueEventFDs.enumerated() {
                    try vm.registerIOEventFD(fd.fileDescriptor, address: slot.notifyAddress, length: 4, pio: false, matching: UInt64(q))
                }
                try vm.registerIRQFD(slot.interruptEventFD.fileDescriptor, gsi: slot.irq)
            } catch {
                throw .kvm(error)
            }
            devices.append(BootDevice(mmioBase: slot.base, mmioSize: slot.size, irq: slot.irq, virtioID: UInt32(slot.deviceID.rawValue)))
        }
        do { try loop.start() } catch { throw .device("event loop: \(error)") }
        return devices
    }

    /// `virtio_mmio.device=…` for each device (Linux's syntax; our kernel reads it too).
    var linuxCommandLine: String { bus.linuxCommandLine }

    func read(address: UInt64, size: Int) -> UInt64? { bus.read(address: address, size: size) }
    func write(address: UInt64, size: Int, value: UInt64) -> Bool { bus.write(address: address, size: size, value: value) }

    func shutdown() { loop.shutdown() }
}
