// EntropyDevice.swift — virtio-rng (virtio 1.2 §5.4): every device-writable buffer placed in the
// request queue is filled with random bytes from the host.

/// The virtio entropy device (device ID 4).
public final class EntropyDevice: VirtioDevice {
    public let source: any EntropySource
    let queueSize: UInt16

    public init(source: any EntropySource = GetRandomSource(), queueSize: UInt16 = EntropyConfig.defaultQueueSize) {
        self.source = source
        self.queueSize = queueSize
    }

    public var deviceID: VirtioDeviceID { .entropy }
    public var deviceFeatures: UInt64 { EntropyConfig.features }
    public var queueMaxSizes: [UInt16] { [queueSize] }
    public func configSpace() -> [UInt8] { [] }

    public func process(queue index: Int, _ queue: inout SplitQueue, budget: Int, context: DeviceContext) throws(QueueError) -> Bool {
        try drainQueue(&queue, budget: budget, log: context.log) { chain in
            if chain.readableLength > 0 {
                // §5.4.6.1: "The driver MUST NOT place device-readable buffers into the queue."
                context.log.guestError("entropy request \(chain.head) has \(chain.readableLength) device-readable bytes; they are ignored")
            }
            guard chain.writableLength > 0 else {
                context.log.guestError("entropy request \(chain.head) has no device-writable buffer; used with length 0")
                return 0
            }
            var writer = chain.writer()
            var filled = 0
            for piece in writer.take(min(chain.writableLength, EntropyConfig.maxBytesPerRequest)) {
                let n = source.fill(piece)
                filled += n
                if n < piece.count { break }
            }
            if filled == 0 { context.log.warning("entropy source failed; request \(chain.head) used with length 0") }
            // §5.4.6.1: the driver reads the used length to learn how many bytes are random.
            return UInt32(filled)
        }
    }
}
