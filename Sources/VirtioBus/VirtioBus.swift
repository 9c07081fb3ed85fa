// VirtioBus.swift — the machine's virtio-mmio slots: device i gets the window base + i * 0x1000 and
// interrupt line irqBase + i (sv_machine.h), one eventfd per queue for KVM_IOEVENTFD, one eventfd for
// KVM_IRQFD, and an event-loop registration that serves the queue when its eventfd fires. Still no
// KVM here: the VMM reads `slots` and makes the two ioctls per eventfd itself.
import EventLoop
import GuestMemory
import Virtio

/// An irqfd is an `InterruptLine`: signalling the eventfd makes KVM raise the GSI.
extension EventFD: InterruptLine {}

/// One device on the bus and everything the VMM must hand to KVM for it.
public final class VirtioSlot: Sendable {
    public let index: Int
    /// Guest-physical base of the 4 KiB window.
    public let base: UInt64
    public let size: UInt64
    /// Interrupt line (IOAPIC pin / GSI).
    public let irq: UInt32
    public let transport: MMIOTransport
    /// `queueEventFDs[q]`: register with KVM_IOEVENTFD at `notifyAddress`, 4 bytes, datamatch `q`.
    public let queueEventFDs: [EventFD]
    /// Register with KVM_IRQFD for `irq`.
    public let interruptEventFD: EventFD

    init(index: Int, base: UInt64, size: UInt64, irq: UInt32, transport: MMIOTransport,
         queueEventFDs: [EventFD], interruptEventFD: EventFD) {
        self.index = index
        self.base = base
        self.size = size
        self.irq = irq
        self.transport = transport
        self.queueEventFDs = queueEventFDs
        self.interruptEventFD = interruptEventFD
    }

    /// The guest address of QueueNotify in this window.
    public var notifyAddress: UInt64 { base + MMIOTransport.queueNotifyOffset }
    public var deviceID: VirtioDeviceID { transport.device.deviceID }

    /// `virtio_mmio.device=4K@0x…:irq` for Linux guests.
    public var linuxCommandLineArgument: String {
        MMIOTransport.linuxCommandLineArgument(base: base, size: size, irq: irq)
    }
}

/// The virtio-mmio devices of one machine.
///
/// ```swift
/// let bus = VirtioBus(memory: memory, loop: loop, base: SV_VIRTIO_MMIO_BASE, irqBase: SV_VIRTIO_IRQ_BASE)
/// let disk = try bus.add(BlockDevice(backend: FileBlockBackend(path: p, readOnly: ro), readOnly: ro))
/// for slot in bus.slots {
///     for (q, fd) in slot.queueEventFDs.enumerated() {
///         try vm.registerIOEventFD(fd.fileDescriptor, address: slot.notifyAddress, length: 4, pio: false, matching: UInt64(q))
///     }
///     try vm.registerIRQFD(slot.interruptEventFD.fileDescriptor, gsi: slot.irq)
///     bootDevices.append(BootDevice(mmioBase: slot.base, mmioSize: slot.size, irq: slot.irq,
///                                   virtioID: slot.deviceID.rawValue))
/// }
/// try loop.start()
/// // vCPU thread, MMIO exit: if let v = bus.read(address: a, size: n) … / bus.write(address: a, size: n, value: v)
/// ```
public final class VirtioBus {
    public let memory: GuestMemory
    public let loop: EventLoop
    public let base: UInt64
    public let windowSize: UInt64
    public let irqBase: UInt32
    public let maxDevices: Int
    public private(set) var slots: [VirtioSlot] = []

    public init(memory: GuestMemory, loop: EventLoop, base: UInt64, windowSize: UInt64 = MMIOTransport.windowSize,
                irqBase: UInt32, maxDevices: Int = 8) {
        self.memory = memory
        self.loop = loop
        self.base = base
        self.windowSize = windowSize
        self.irqBase = irqBase
        self.maxDevices = maxDevices
    }

    /// Puts `device` into the next slot: creates its eventfds, its transport, and registers each
    /// queue's eventfd with the event loop. Call before the guest runs.
    @discardableResult
    public func add(_ device: any VirtioDevice, log: DeviceLog? = nil, ignoresReset: Bool = false) throws(EventLoopError) -> VirtioSlot {
        let index = slots.count
        precondition(index < maxDevices, "virtio bus full (\(maxDevices) devices)")
        let slotBase = base + UInt64(index) * windowSize
        let irq = irqBase + UInt32(index)
        let interrupt = try EventFD()
        var kicks: [EventFD] = []
        for _ in device.queueMaxSizes { kicks.append(try EventFD()) }
        let queueEventFDs = kicks
        let transport = MMIOTransport(
            device: device, memory: memory, interrupt: interrupt,
            // A QueueNotify that reaches the VMM (no ioeventfd, or the device asking for service)
            // takes the same path as the ioeventfd: the loop thread serves the queue.
            queueNotifier: { queueEventFDs[$0].signal() },
            log: log ?? DeviceLog(label: "virtio-\(device.deviceID)@0x\(String(slotBase, radix: 16))"),
            ignoresReset: ignoresReset)
        for (q, kick) in queueEventFDs.enumerated() {
            try loop.register(kick) { transport.queueNotified(q) }
        }
        let slot = VirtioSlot(index: index, base: slotBase, size: windowSize, irq: irq, transport: transport,
                              queueEventFDs: queueEventFDs, interruptEventFD: interrupt)
        slots.append(slot)
        return slot
    }

    /// The slot whose window contains `address`, and the offset into it.
    public func slot(containing address: UInt64) -> (VirtioSlot, UInt64)? {
        guard address >= base else { return nil }
        let index = (address - base) / windowSize
        guard index < UInt64(slots.count) else { return nil }
        return (slots[Int(index)], (address - base) % windowSize)
    }

    /// An MMIO read; nil if `address` is not in any window.
    public func read(address: UInt64, size: Int) -> UInt64? {
        guard let (slot, offset) = slot(containing: address) else { return nil }
        return slot.transport.read(offset: offset, size: size)
    }

    /// An MMIO write; false if `address` is not in any window.
    @discardableResult
    public func write(address: UInt64, size: Int, value: UInt64) -> Bool {
        guard let (slot, offset) = slot(containing: address) else { return false }
        slot.transport.write(offset: offset, size: size, value: value)
        return true
    }

    /// All devices in Linux command-line syntax, space separated.
    public var linuxCommandLine: String { slots.map(\.linuxCommandLineArgument).joined(separator: " ") }
}
