// MMIOTransport.swift — one virtio-mmio device window, version 2 (virtio 1.2 §4.2): the register
// file (§4.2.2), the device status state machine (§2.1, §3.1), feature negotiation (§2.2, §6),
// queue configuration (§4.2.3.2), InterruptStatus/InterruptACK (§4.2.3.4), ConfigGeneration (§2.5),
// device reset (§2.4) and DEVICE_NEEDS_RESET on guest protocol errors (§2.1.2).
import GuestMemory
import HostSupport
import Synchronization

/// A virtio device as the guest sees it through one virtio-mmio window.
///
/// What the VMM wires (see docs/VIRTIO.md for the full sketch):
///
/// ```swift
/// let irq = try EventFD()                                   // KVM_IRQFD → GSI 5 + i
/// let kicks = try device.queueMaxSizes.map { _ in try EventFD() }
/// let window = MMIOTransport(device: device, memory: memory, interrupt: irq,
///                            queueNotifier: { kicks[$0].signal() })
/// for (q, kick) in kicks.enumerated() {                     // KVM_IOEVENTFD on base + 0x50, datamatch q
///     try loop.register(kick) { window.queueNotified(q) }
/// }
/// // vCPU thread, on an MMIO exit inside [base, base + 0x1000):
/// //   read:  window.read(offset: address - base, size: length)
/// //   write: window.write(offset: address - base, size: length, value: data)
/// ```
///
/// Threads: `read`/`write` run on vCPU threads, `queueNotified` on the event-loop thread. Queue
/// processing and register changes are serialised by one lock per device; InterruptStatus,
/// InterruptACK, QueueNotify and ConfigGeneration never take it, so the vCPU's interrupt path never
/// waits for a slow disk.
///
/// Guest errors never trap, throw or crash: each gets the reaction listed in docs/VIRTIO.md (ignore
/// and log, a virtio status code, or DEVICE_NEEDS_RESET) and is counted in `log.guestErrorCount`.
public final class MMIOTransport: Sendable {
    /// The size of one window (virtio 1.2 §4.2.2: registers, then config space from 0x100).
    public static let windowSize: UInt64 = 0x1000
    /// Offset of QueueNotify: where the VMM registers each queue's ioeventfd (datamatch = queue index).
    public static let queueNotifyOffset: UInt64 = MMIORegister.queueNotify.rawValue
    /// "SWVM" little-endian; virtio-mmio leaves the vendor ID to the implementation.
    public static let vendorID: UInt32 = 0x4d56_5753

    public let device: any VirtioDevice
    public let memory: GuestMemory
    public let log: DeviceLog
    let interrupt: any InterruptLine
    let notifier: (@Sendable (Int) -> Void)?
    let offeredFeatures: UInt64
    /// Fault injection for tests (`swiftvm run --test-stuck-reset`): the device ignores the
    /// driver's reset (Status 0), as a wedged device would, so the kernel's give-up path runs.
    let ignoresReset: Bool
    let state: PthreadLocked<TransportState>
    let interruptBits = Atomic<UInt32>(0)
    let generation = Atomic<UInt32>(0)

    /// - Parameters:
    ///   - device: the device type behind the window.
    ///   - memory: guest RAM; every address the guest hands the device is checked against it.
    ///   - interrupt: the device's interrupt line (an irqfd in the VMM).
    ///   - queueNotifier: how a QueueNotify that reaches `write` (no ioeventfd installed, or the
    ///     device asking for service) gets to `queueNotified`: the VMM signals the queue's eventfd
    ///     so the work happens on the event loop; nil calls `queueNotified` on the calling thread.
    ///   - log: where guest errors go (rate-limited).
    public init(device: any VirtioDevice, memory: GuestMemory, interrupt: any InterruptLine,
                queueNotifier: (@Sendable (Int) -> Void)? = nil, log: DeviceLog? = nil, ignoresReset: Bool = false) {
        let offered = device.deviceFeatures
        precondition(offered & ~VirtioFeature.deviceTypeMask == 0,
                     "device offers reserved feature bits 0x\(String(offered & ~VirtioFeature.deviceTypeMask, radix: 16))")
        self.device = device
        self.memory = memory
        self.interrupt = interrupt
        self.notifier = queueNotifier
        self.ignoresReset = ignoresReset
        self.log = log ?? DeviceLog(label: "virtio-\(device.deviceID)")
        self.offeredFeatures = offered | VirtioFeature.transportOffered
        self.state = PthreadLocked(TransportState(queues: device.queueMaxSizes.map { SplitQueue(maxSize: $0) }))
        device.attach(DeviceHost(
            requestService: { [weak self] index in self?.kick(index) },
            configChanged: { [weak self] in self?.configurationChanged() }))
    }

    // MARK: - Inspection (VMM and tests)

    public var queueCount: Int { device.queueMaxSizes.count }
    /// The device status register.
    public var status: DeviceStatus { state.withLock { $0.status } }
    /// The features both sides agreed on (0 before FEATURES_OK).
    public var negotiatedFeatures: UInt64 { state.withLock { $0.negotiated } }
    /// Whether InterruptStatus has a bit set (for a level-triggered line's resample handler).
    public var isInterruptPending: Bool { interruptBits.load(ordering: .acquiring) != 0 }
    /// A copy of queue `index` (for tests and diagnostics).
    public func queue(_ index: Int) -> SplitQueue? { state.withLock { index < $0.queues.count ? $0.queues[index] : nil } }

    /// The Linux command-line argument that declares this window, for kernels that take
    /// `CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES` (e.g. `virtio_mmio.device=4K@0xd0000000:5`).
    public static func linuxCommandLineArgument(base: UInt64, size: UInt64 = windowSize, irq: UInt32) -> String {
        let sizeText: String
        if size % (1 << 20) == 0 { sizeText = "\(size >> 20)M" }
        else if size % (1 << 10) == 0 { sizeText = "\(size >> 10)K" }
        else { sizeText = "\(size)" }
        return "virtio_mmio.device=\(sizeText)@0x\(String(base, radix: 16)):\(irq)"
    }

    // MARK: - MMIO accesses (vCPU thread)

    /// A guest read of `size` bytes (1, 2, 4 or 8) at `offset` into the window. Control registers
    /// answer only 32-bit aligned reads (§4.2.2.2); anything else reads 0 and is logged.
    public func read(offset: UInt64, size: Int) -> UInt64 {
        if offset >= MMIORegister.configOffset {
            return readConfig(offset: Int(clamping: offset - MMIORegister.configOffset), size: size)
        }
        guard size == 4, offset % 4 == 0, let register = MMIORegister(rawValue: offset) else {
            log.guestError("read of \(size) bytes at register offset 0x\(String(offset, radix: 16)): not a 32-bit register; reads 0")
            return 0
        }
        return UInt64(readRegister(register))
    }

    /// A guest write of `size` bytes of `value` at `offset` into the window.
    public func write(offset: UInt64, size: Int, value: UInt64) {
        if offset >= MMIORegister.configOffset {
            writeConfig(offset: Int(clamping: offset - MMIORegister.configOffset), size: size, value: value)
            return
        }
        guard size == 4, offset % 4 == 0, let register = MMIORegister(rawValue: offset) else {
            log.guestError("write of \(size) bytes at register offset 0x\(String(offset, radix: 16)): not a 32-bit register; ignored")
            return
        }
        writeRegister(register, UInt32(truncatingIfNeeded: value))
    }

    func readRegister(_ register: MMIORegister) -> UInt32 {
        switch register {
        case .magicValue: return MMIORegister.magic
        case .version: return MMIORegister.modernVersion
        case .deviceID: return device.deviceID.rawValue
        case .vendorID: return MMIOTransport.vendorID
        case .deviceFeatures:
            let select = state.withLock { $0.deviceFeaturesSel }
            switch select {
            case 0: return UInt32(truncatingIfNeeded: offeredFeatures)
            case 1: return UInt32(truncatingIfNeeded: offeredFeatures >> 32)
            default: return 0
            }
        case .queueNumMax:
            return state.withLock { s in s.selectedQueue.map { UInt32(s.queues[$0].maxSize) } ?? 0 }
        case .queueReady:
            return state.withLock { s in s.selectedQueue.map { s.queues[$0].isReady ? 1 : 0 } ?? 0 }
        case .interruptStatus:
            return interruptBits.load(ordering: .acquiring)
        case .status:
            return state.withLock { $0.status.rawValue }
        case .configGeneration:
            return generation.load(ordering: .acquiring)
        case .shmLenLow, .shmLenHigh, .shmBaseLow, .shmBaseHigh:
            // No shared memory regions: length -1 and base ~0 for every SHMSel (§4.2.2).
            return 0xffff_ffff
        case .queueReset:
            // VIRTIO_F_RING_RESET is not offered; the register reads 0 (§4.2.2.1).
            return 0
        case .deviceFeaturesSel, .driverFeatures, .driverFeaturesSel, .queueSel, .queueNum, .queueNotify,
             .interruptACK, .queueDescLow, .queueDescHigh, .queueDriverLow, .queueDriverHigh,
             .queueDeviceLow, .queueDeviceHigh, .shmSel:
            log.guestError("read of write-only register \(register) (§4.2.2.2); reads 0")
            return 0
        }
    }

    func writeRegister(_ register: MMIORegister, _ value: UInt32) {
        switch register {
        case .queueNotify:
            // §4.2.3.3: without VIRTIO_F_NOTIFICATION_DATA the value is the queue index.
            let index = Int(value & 0xffff)
            guard index < queueCount else {
                log.guestError("QueueNotify for queue \(value), the device has \(queueCount); ignored")
                return
            }
            kick(index)
        case .interruptACK:
            if value & ~InterruptStatus.all.rawValue != 0 {
                log.guestError("InterruptACK 0x\(String(value, radix: 16)) sets undefined bits (§4.2.2.2); they are ignored")
            }
            interruptBits.bitwiseAnd(~(value & InterruptStatus.all.rawValue), ordering: .acquiringAndReleasing)
        case .status:
            writeStatus(value)
        case .magicValue, .version, .deviceID, .vendorID, .deviceFeatures, .queueNumMax, .interruptStatus,
             .configGeneration, .shmLenLow, .shmLenHigh, .shmBaseLow, .shmBaseHigh:
            log.guestError("write of read-only register \(register) (§4.2.2.2); ignored")
        case .queueReset:
            log.guestError("QueueReset written but VIRTIO_F_RING_RESET is not offered; ignored")
        case .shmSel:
            break // Any region id selects "no region".
        default:
            let (raise, kicks): (InterruptStatus, [Int]) = state.withLock { s in
                let raise = writeLockedRegister(register, value, &s)
                return (raise, s.takePendingKicks())
            }
            signal(raise)
            for q in kicks { kick(q) }
        }
    }

    /// Registers that change transport state. Returns interrupt bits to signal (DEVICE_NEEDS_RESET).
    private func writeLockedRegister(_ register: MMIORegister, _ value: UInt32, _ s: inout TransportState) -> InterruptStatus {
        switch register {
        case .deviceFeaturesSel: s.deviceFeaturesSel = value
        case .driverFeaturesSel: s.driverFeaturesSel = value
        case .queueSel: s.queueSel = value
        case .driverFeatures:
            // §3.1.1 step 4: features are written after DRIVER and before FEATURES_OK, never later.
            guard s.status.contains(.driver), !s.status.contains(.featuresOK), !s.status.contains(.failed) else {
                log.guestError("DriverFeatures written in status \(s.status) (only between DRIVER and FEATURES_OK); ignored")
                return []
            }
            switch s.driverFeaturesSel {
            case 0: s.driverFeatures = (s.driverFeatures & 0xffff_ffff_0000_0000) | UInt64(value)
            case 1: s.driverFeatures = (s.driverFeatures & 0x0000_0000_ffff_ffff) | (UInt64(value) << 32)
            default: if value != 0 { s.acceptedUnknownFeatures = true }
            }
        case .queueNum, .queueDescLow, .queueDescHigh, .queueDriverLow, .queueDriverHigh, .queueDeviceLow, .queueDeviceHigh:
            guard let q = configurableQueue(register, s) else { return [] }
            switch register {
            case .queueNum:
                guard value <= UInt32(UInt16.max) else {
                    return enterNeedsReset("QueueNum \(value) for queue \(q) does not fit 16 bits", &s)
                }
                s.queues[q].size = UInt16(value)
            case .queueDescLow: s.queues[q].descriptorTable = GuestAddress(low(s.queues[q].descriptorTable.value, value))
            case .queueDescHigh: s.queues[q].descriptorTable = GuestAddress(high(s.queues[q].descriptorTable.value, value))
            case .queueDriverLow: s.queues[q].availableRing = GuestAddress(low(s.queues[q].availableRing.value, value))
            case .queueDriverHigh: s.queues[q].availableRing = GuestAddress(high(s.queues[q].availableRing.value, value))
            case .queueDeviceLow: s.queues[q].usedRing = GuestAddress(low(s.queues[q].usedRing.value, value))
            case .queueDeviceHigh: s.queues[q].usedRing = GuestAddress(high(s.queues[q].usedRing.value, value))
            default: break
            }
        case .queueReady:
            switch value {
            case 0:
                // §4.2.2.2: "To stop using the queue the driver MUST write zero"; the queue keeps
                // its configuration until reset.
                if let q = s.selectedQueue { s.queues[q].deactivate() }
            case 1:
                guard let q = configurableQueue(register, s) else { return [] }
                do {
                    try s.queues[q].activate(memory: memory, features: s.negotiated)
                } catch {
                    return enterNeedsReset("queue \(q): \(error)", &s)
                }
                // A queue enabled after DRIVER_OK may already hold buffers.
                if s.status.contains(.driverOK) { s.pendingKicks.append(q) }
            default:
                log.guestError("QueueReady written with \(value) (only 0 or 1); ignored")
            }
        default:
            preconditionFailure("register \(register) is not handled under the lock")
        }
        return []
    }

    /// The selected queue if its configuration may change now (§4.2.2.2: after FEATURES_OK, while
    /// QueueReady is 0), else nil after logging why the write is ignored.
    private func configurableQueue(_ register: MMIORegister, _ s: TransportState) -> Int? {
        guard let q = s.selectedQueue else {
            log.guestError("\(register) written for queue \(s.queueSel), the device has \(s.queues.count); ignored")
            return nil
        }
        guard s.status.contains(.featuresOK), !s.status.contains(.failed), !s.status.contains(.deviceNeedsReset) else {
            log.guestError("\(register) written for queue \(q) in status \(s.status) (queues are set up after FEATURES_OK); ignored")
            return nil
        }
        guard !s.queues[q].isReady else {
            log.guestError("\(register) written for queue \(q) while QueueReady is 1 (§4.2.2.2); ignored")
            return nil
        }
        return q
    }

    private func low(_ old: UInt64, _ value: UInt32) -> UInt64 { (old & 0xffff_ffff_0000_0000) | UInt64(value) }
    private func high(_ old: UInt64, _ value: UInt32) -> UInt64 { (old & 0x0000_0000_ffff_ffff) | (UInt64(value) << 32) }

    // MARK: - Device status state machine (§2.1, §3.1.1)

    private func writeStatus(_ value: UInt32) {
        if value == 0 {
            if ignoresReset {
                log.guestError("reset ignored (--test-stuck-reset): the device keeps its queues")
                return
            }
            reset()
            return
        }
        let (raise, kicks): (InterruptStatus, [Int]) = state.withLock { s in
            let raise = applyStatus(value, &s)
            return (raise, s.takePendingKicks())
        }
        signal(raise)
        for q in kicks { kick(q) }
    }

    private func applyStatus(_ value: UInt32, _ s: inout TransportState) -> InterruptStatus {
        // DEVICE_NEEDS_RESET belongs to the device; a driver echoing it back does not set or clear it.
        var requested = DeviceStatus(rawValue: value).subtracting(.deviceNeedsReset)
        if requested.rawValue & ~DeviceStatus.all.rawValue != 0 {
            log.guestError("status 0x\(String(value, radix: 16)) has undefined bits; they are ignored")
            requested = requested.intersection(.all)
        }
        let current = s.status.subtracting(.deviceNeedsReset)
        if requested == current { return [] }
        if requested.contains(.failed) {
            // The driver gave up (§2.1: FAILED); whatever else it wrote, the device stops using its
            // queues until reset. Accepted even from a driver that forgot to echo the other bits.
            s.status.insert(.failed)
            return []
        }
        // §2.1.1: "The driver MUST NOT clear a device status bit" (only a reset, writing 0, does).
        guard requested.isSuperset(of: current) else {
            log.guestError("status write \(requested) clears bits of \(current) (§2.1.1); ignored")
            return []
        }
        guard !current.contains(.failed) else {
            log.guestError("status write \(requested) after FAILED (a reset is required, §2.1.1); ignored")
            return []
        }
        // §3.1.1: ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK, each step needing the one before.
        let prerequisites: [(DeviceStatus, DeviceStatus)] = [
            (.driver, .acknowledge), (.featuresOK, .driver), (.driverOK, .featuresOK),
        ]
        for (step, needs) in prerequisites where requested.contains(step) && !requested.contains(needs) {
            log.guestError("status write \(requested) sets \(step) without \(needs) (§3.1.1); ignored")
            return []
        }
        var granted = requested
        if requested.contains(.featuresOK) && !current.contains(.featuresOK) {
            if let reason = featureProblem(s) {
                // §2.2.2: the device "MUST fail to set the FEATURES_OK device status bit"; the
                // driver re-reads status and sees it clear (§3.1.1 step 6).
                log.guestError("FEATURES_OK refused: \(reason)")
                granted.subtract([.featuresOK, .driverOK])
            } else {
                s.negotiated = s.driverFeatures
            }
        }
        s.status = granted.union(s.status.intersection(.deviceNeedsReset))
        if granted.contains(.driverOK) && !current.contains(.driverOK) {
            // §2.1.2: nothing was consumed before DRIVER_OK, so look at every ready queue now.
            s.pendingKicks.append(contentsOf: s.queues.indices.filter { s.queues[$0].isReady })
        }
        return []
    }

    /// Why the driver's feature selection cannot be accepted, or nil.
    private func featureProblem(_ s: TransportState) -> String? {
        let accepted = s.driverFeatures
        if s.acceptedUnknownFeatures { return "driver accepted feature bits above 63, none are offered" }
        let unoffered = accepted & ~offeredFeatures
        if unoffered != 0 { return "driver accepted features not offered: 0x\(String(unoffered, radix: 16)) (§2.2.1)" }
        if accepted & VirtioFeature.version1 == 0 { return "driver did not accept VIRTIO_F_VERSION_1 (legacy drivers are not supported, §6)" }
        if !device.acceptsFeatures(accepted) { return "device rejects the combination 0x\(String(accepted, radix: 16))" }
        return nil
    }

    /// Sets DEVICE_NEEDS_RESET (§2.1.2): the device stops consuming buffers until reset, and tells a
    /// live driver with a configuration change notification.
    private func enterNeedsReset(_ reason: String, _ s: inout TransportState) -> InterruptStatus {
        log.guestError("\(reason); device needs reset")
        let alreadySet = s.status.contains(.deviceNeedsReset)
        s.status.insert(.deviceNeedsReset)
        guard s.status.contains(.driverOK), !alreadySet else { return [] }
        interruptBits.bitwiseOr(InterruptStatus.configChange.rawValue, ordering: .acquiringAndReleasing)
        return .configChange
    }

    /// Device reset (§2.4, §4.2.2.1): status 0, features, selectors and queues back to their reset
    /// values, InterruptStatus cleared. Under the lock, so it waits for a request being processed:
    /// when the driver reads status 0 the device no longer touches the old rings (§2.4.1).
    private func reset() {
        state.withLock { s in
            for q in s.queues.indices { s.queues[q].reset() }
            s = TransportState(queues: s.queues)
            interruptBits.store(0, ordering: .releasing)
            device.reset()
        }
    }

    // MARK: - Config space (§2.5, §4.2.2 "Config")

    private func readConfig(offset: Int, size: Int) -> UInt64 {
        let bytes = device.configSpace()
        guard [1, 2, 4, 8].contains(size), offset <= bytes.count, size <= bytes.count - offset else {
            log.guestError("config read of \(size) bytes at 0x\(String(offset, radix: 16)), config space is \(bytes.count) bytes; reads 0")
            return 0
        }
        var value: UInt64 = 0
        for i in (0 ..< size).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    private func writeConfig(offset: Int, size: Int, value: UInt64) {
        guard [1, 2, 4, 8].contains(size) else {
            log.guestError("config write of \(size) bytes; ignored")
            return
        }
        let bytes = (0 ..< size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        let features = state.withLock { $0.negotiated }
        device.writeConfig(offset: offset, bytes: bytes, context: DeviceContext(features: features, log: log))
    }

    private func configurationChanged() {
        generation.add(1, ordering: .acquiringAndReleasing)
        let raise: InterruptStatus = state.withLock { s in
            guard s.status.contains(.driverOK) else { return [] }
            interruptBits.bitwiseOr(InterruptStatus.configChange.rawValue, ordering: .acquiringAndReleasing)
            return .configChange
        }
        signal(raise)
    }

    // MARK: - Queue service (event-loop thread)

    /// The queue's notification arrived (its ioeventfd fired, or QueueNotify was written): serve it.
    ///
    /// Before DRIVER_OK, after FAILED or DEVICE_NEEDS_RESET, or for a queue that is not ready the
    /// notification is dropped (§2.1.2: no buffers are consumed before DRIVER_OK; the transport
    /// looks at every ready queue when DRIVER_OK is set).
    public func queueNotified(_ index: Int) {
        var again = true
        while again {
            again = false
            let more: Bool = state.withLock { s in
                guard index >= 0, index < s.queues.count else {
                    log.guestError("notification for queue \(index), the device has \(s.queues.count); ignored")
                    return false
                }
                // Not logged: the same path carries host-side service requests (console input
                // arriving before the driver is up) and eventfd signals left over from before a reset.
                guard s.status.contains(.driverOK), !s.status.contains(.deviceNeedsReset), !s.status.contains(.failed),
                      s.queues[index].isReady else {
                    return false
                }
                let context = DeviceContext(features: s.negotiated, log: log)
                var more = false
                var raise: InterruptStatus = []
                do {
                    more = try device.process(queue: index, &s.queues[index], budget: Int(s.queues[index].size), context: context)
                } catch {
                    raise = enterNeedsReset("queue \(index): \(error)", &s)
                }
                // Chains used before a ring error still get their notification.
                if s.queues[index].needsNotification() {
                    interruptBits.bitwiseOr(InterruptStatus.usedBuffer.rawValue, ordering: .acquiringAndReleasing)
                    raise.insert(.usedBuffer)
                }
                if !raise.isEmpty { interrupt.signal() }
                return more
            }
            if more {
                // Budget exhausted with work left: let the event loop serve other devices first.
                if let notifier { notifier(index) } else { again = true }
            }
        }
    }

    /// Routes a notification for queue `index` the way the VMM asked (see `init`).
    func kick(_ index: Int) {
        if let notifier { notifier(index) } else { queueNotified(index) }
    }

    /// InterruptStatus bits were set under the lock; raise the line.
    private func signal(_ bits: InterruptStatus) {
        if !bits.isEmpty { interrupt.signal() }
    }
}

/// The transport's registers and queues; only touched under `MMIOTransport.state`'s lock.
struct TransportState {
    var status: DeviceStatus = []
    var deviceFeaturesSel: UInt32 = 0
    var driverFeaturesSel: UInt32 = 0
    var driverFeatures: UInt64 = 0
    /// The driver wrote a non-zero word for feature bits 64 and up.
    var acceptedUnknownFeatures = false
    var negotiated: UInt64 = 0
    var queueSel: UInt32 = 0
    var queues: [SplitQueue]
    /// Queues to look at once the lock is released (DRIVER_OK was set, a queue became ready).
    var pendingKicks: [Int] = []

    init(queues: [SplitQueue]) { self.queues = queues }

    var selectedQueue: Int? { Int(queueSel) < queues.count ? Int(queueSel) : nil }

    mutating func takePendingKicks() -> [Int] {
        defer { pendingKicks = [] }
        return pendingKicks
    }
}
