// VirtioDevice.swift — what a device type (block, console, entropy) implements, and what the
// transport gives it back: the interrupt line the VMM provides and the hooks a device uses to ask
// for service. A device sees guest memory, its queues and an interrupt line — never KVM.

/// The guest's interrupt line for one device. The VMM implements it with an irqfd (an `EventFD`
/// registered with KVM_IRQFD: `extension EventFD: InterruptLine {}` is all it takes); tests count.
///
/// The transport calls `signal()` every time it sets a bit in InterruptStatus, from whatever thread
/// did the work (the event loop, or the vCPU thread during an MMIO write). It is an edge: the
/// driver learns the cause from InterruptStatus (virtio 1.2 §4.2.3.4). For a level-triggered pin
/// with a resample eventfd the VMM re-signals while `MMIOTransport.isInterruptPending`.
public protocol InterruptLine: Sendable {
    func signal()
}

/// The negotiated state a device needs while it serves a queue.
public struct DeviceContext {
    /// Features the driver accepted (valid after FEATURES_OK).
    public let features: UInt64
    public let log: DeviceLog

    public func negotiated(_ bit: UInt64) -> Bool { features & bit != 0 }
}

/// A virtio device type behind a transport.
///
/// The transport owns the queues and serialises everything below under one lock per device: a
/// device is never asked to do two things at once. Methods run on the thread that triggered them
/// (`process` on the event-loop thread that saw the queue's ioeventfd; config accesses on a vCPU
/// thread), so a device that blocks (disk I/O) blocks only its own device.
public protocol VirtioDevice: AnyObject, Sendable {
    var deviceID: VirtioDeviceID { get }
    /// Device-type feature bits offered (bits 0–23, 50–63; virtio 1.2 §2.2). The transport adds
    /// VERSION_1, INDIRECT_DESC and EVENT_IDX.
    var deviceFeatures: UInt64 { get }
    /// QueueNumMax of each queue; the count is the number of queues.
    var queueMaxSizes: [UInt16] { get }

    /// The device-specific configuration space (little-endian, virtio 1.2 §2.5) as it is now.
    func configSpace() -> [UInt8]
    /// A driver write of `bytes` at `offset` into the configuration space (may be outside it; the
    /// device decides what is writable). Allowed in every device state (virtio 1.2 §5.3.5.1:
    /// emerg_wr works "even on an unconfigured device").
    func writeConfig(offset: Int, bytes: [UInt8], context: DeviceContext)

    /// Extra validation of the accepted features at FEATURES_OK (dependencies between bits).
    func acceptsFeatures(_ features: UInt64) -> Bool

    /// Serves queue `index` after an available buffer notification: pop chains, use them, push used
    /// elements. The transport decides about interrupts afterwards. Throws only when the ring is
    /// corrupt (the transport then sets DEVICE_NEEDS_RESET).
    ///
    /// `budget` bounds the number of chains to use in this call so that one busy queue cannot starve
    /// the event loop; return true if work is left (the transport re-notifies the queue).
    func process(queue index: Int, _ queue: inout SplitQueue, budget: Int, context: DeviceContext) throws(QueueError) -> Bool

    /// The driver reset the device (virtio 1.2 §2.4); queues are already reset by the transport.
    func reset()

    /// Called once when the device is attached to its transport; `host` lets the device ask for
    /// service later (e.g. console input arriving from the host).
    func attach(_ host: DeviceHost)
}

extension VirtioDevice {
    public func writeConfig(offset: Int, bytes: [UInt8], context: DeviceContext) {}
    public func acceptsFeatures(_ features: UInt64) -> Bool { true }
    public func reset() {}
    public func attach(_ host: DeviceHost) {}
}

/// The transport's side of a device: a device calls these from a host thread (never from inside
/// `process`, which runs under the transport's lock) when something outside the guest happened.
public final class DeviceHost: Sendable {
    let requestService: @Sendable (Int) -> Void
    let configChanged: @Sendable () -> Void

    init(requestService: @escaping @Sendable (Int) -> Void, configChanged: @escaping @Sendable () -> Void) {
        self.requestService = requestService
        self.configChanged = configChanged
    }

    /// Asks for `process(queue:)` on queue `index` (through the same path as a guest notification,
    /// i.e. on the event-loop thread when the VMM installed a queue notifier).
    public func requestService(queue index: Int) { requestService(index) }

    /// The configuration space changed: bump ConfigGeneration and send a configuration change
    /// notification (virtio 1.2 §2.5, §4.2.2 InterruptStatus bit 1).
    public func notifyConfigChanged() { configChanged() }
}

/// A standard loop for request/response devices: pops up to `budget` chains, lets `handle` use
/// each one (returning the used length), returns malformed chains with length 0 (logged), then
/// re-arms notifications (§2.7.10) and keeps going if the driver published more meanwhile.
/// Returns true if the budget ran out with work left.
public func drainQueue(_ queue: inout SplitQueue, budget: Int, log: DeviceLog,
                       _ handle: (DescriptorChain) -> UInt32) throws(QueueError) -> Bool {
    var used = 0
    while true {
        while used < budget, let popped = try queue.pop() {
            switch popped {
            case .chain(let chain):
                queue.addUsed(head: chain.head, length: handle(chain))
            case .malformed(let head, let error):
                log.guestError("descriptor chain \(head): \(error); returned with length 0")
                queue.addUsed(head: head, length: 0)
            }
            used += 1
        }
        // Always re-arm before stopping, also when the budget ran out exactly as the ring emptied:
        // with EVENT_IDX a stale avail_event would make the driver skip every later doorbell.
        guard queue.armNotification() else { return false }
        if used >= budget { return true }
    }
}
