// ConsoleDevice.swift — virtio-console with a single port (virtio 1.2 §5.3): guest output from the
// transmitq goes to a host sink; host input waits in a bounded buffer until the guest posts receive
// buffers. Offers VIRTIO_CONSOLE_F_SIZE and VIRTIO_CONSOLE_F_EMERG_WRITE, not MULTIPORT.
import HostSupport

/// The virtio console device (device ID 3).
///
/// The VMM feeds host input with `sendInput(_:)` from any thread and receives guest output through
/// the `output` sink (called on the event-loop thread, and on a vCPU thread for emergency writes).
public final class ConsoleDevice: VirtioDevice {
    let output: ConsoleOutputSink
    let input: ConsoleInput
    let queueSize: UInt16
    let size: PthreadLocked<(columns: UInt16, rows: UInt16)>
    let host = PthreadLocked<DeviceHost?>(nil)

    public init(output: @escaping ConsoleOutputSink, columns: UInt16 = 80, rows: UInt16 = 25,
                queueSize: UInt16 = ConsoleConfig.defaultQueueSize, inputCapacity: Int = ConsoleConfig.defaultInputCapacity) {
        self.output = output
        self.input = ConsoleInput(capacity: inputCapacity)
        self.queueSize = queueSize
        self.size = PthreadLocked((columns: columns, rows: rows))
    }

    public var deviceID: VirtioDeviceID { .console }
    public var deviceFeatures: UInt64 { ConsoleConfig.featureSize | ConsoleConfig.featureEmergencyWrite }
    public var queueMaxSizes: [UInt16] { [queueSize, queueSize] }

    public func attach(_ host: DeviceHost) { self.host.withLock { $0 = host } }

    // MARK: - Host side

    /// Queues host input for the guest and asks for the receive queue to be served. Returns how many
    /// bytes were accepted (the rest did not fit the input buffer and were dropped).
    @discardableResult
    public func sendInput(_ bytes: [UInt8]) -> Int {
        let accepted = input.append(bytes)
        host.withLock { $0 }?.requestService(queue: ConsoleConfig.receiveQueue)
        return accepted
    }

    /// Host input bytes dropped because the guest did not read them in time.
    public var droppedInputBytes: Int { input.dropped }

    /// The host terminal changed size: update `cols`/`rows` and send a configuration change
    /// notification (§5.3.6 item 3).
    public func resize(columns: UInt16, rows: UInt16) {
        size.withLock { $0 = (columns: columns, rows: rows) }
        host.withLock { $0 }?.notifyConfigChanged()
    }

    // MARK: - VirtioDevice

    public func configSpace() -> [UInt8] {
        let s = size.withLock { $0 }
        return ConsoleConfig.bytes(columns: s.columns, rows: s.rows)
    }

    public func writeConfig(offset: Int, bytes: [UInt8], context: DeviceContext) {
        // §5.3.5.1: a write to emerg_wr is allowed even on an unconfigured device; its lower byte
        // goes to the output.
        if offset == ConsoleConfig.emergencyWriteOffset, let byte = bytes.first {
            output([byte])
            return
        }
        context.log.guestError("console config write at offset \(offset) (only emerg_wr is writable); ignored")
    }

    public func process(queue index: Int, _ queue: inout SplitQueue, budget: Int, context: DeviceContext) throws(QueueError) -> Bool {
        switch index {
        case ConsoleConfig.transmitQueue: return try transmit(&queue, budget: budget, log: context.log)
        case ConsoleConfig.receiveQueue: return try receive(&queue, budget: budget, log: context.log)
        default: preconditionFailure("console has no queue \(index)")
        }
    }

    /// transmitq: every device-readable byte goes to the output; the device writes nothing (used
    /// length 0). The chains of one notification leave as one output call (one write(2) on the
    /// host, not one per chain or line), cut only every `ConsoleConfig.outputBatch` bytes.
    private func transmit(_ queue: inout SplitQueue, budget: Int, log: DeviceLog) throws(QueueError) -> Bool {
        var batch: [UInt8] = []
        defer { if !batch.isEmpty { output(batch) } }
        return try drainQueue(&queue, budget: budget, log: log) { chain in
            if chain.writableLength > 0 {
                // §5.3.6.1: "The driver MUST NOT put a device-writable buffer in a transmitq."
                log.guestError("console transmit chain \(chain.head) has device-writable buffers; they are ignored")
            }
            var reader = chain.reader()
            while reader.remaining > 0 {
                batch += reader.readBytes(ConsoleConfig.outputChunk)
                if batch.count >= ConsoleConfig.outputBatch {
                    output(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            return 0
        }
    }

    /// receiveq: chains are consumed only while host input is waiting; each gets as many bytes as
    /// fit, and the used length says how many.
    private func receive(_ queue: inout SplitQueue, budget: Int, log: DeviceLog) throws(QueueError) -> Bool {
        var used = 0
        while true {
            while used < budget, !input.isEmpty, let popped = try queue.pop() {
                switch popped {
                case .malformed(let head, let error):
                    log.guestError("descriptor chain \(head): \(error); returned with length 0")
                    queue.addUsed(head: head, length: 0)
                case .chain(let chain):
                    if chain.readableLength > 0 {
                        // §5.3.6.1: "The driver MUST NOT put a device-readable buffer in a receiveq."
                        log.guestError("console receive chain \(chain.head) has device-readable buffers; they are ignored")
                    }
                    var writer = chain.writer()
                    let n = input.drain(into: &writer, limit: chain.writableLength)
                    queue.addUsed(head: chain.head, length: UInt32(n))
                }
                used += 1
            }
            // Nothing left to deliver: no doorbell needed (new input asks for service itself).
            if input.isEmpty { return false }
            // Input is waiting for buffers: ask the driver to ring when it posts some (§2.7.10),
            // and look again in case it just did.
            guard queue.armNotification() else { return false }
            if used >= budget { return true }
        }
    }
}
