// BlockDevice.swift — virtio-blk (virtio 1.2 §5.2): one request queue served from a `BlockBackend`.
// Offers SEG_MAX, SIZE_MAX, BLK_SIZE, FLUSH, and either RO or DISCARD + WRITE_ZEROES.

/// The virtio block device (device ID 2).
///
/// Requests run synchronously on the thread that serves the queue (the event loop): parse, execute,
/// complete. A slow disk therefore delays this device's queue, never a vCPU (with ioeventfd the vCPU
/// does not wait for the notification to be handled). `BlockRequest` keeps parse/execute/complete
/// apart so that execute can move to an I/O worker later.
public final class BlockDevice: VirtioDevice {
    public let backend: any BlockBackend
    public let isReadOnly: Bool
    /// Capacity in 512-byte sectors (a trailing partial sector of the file is not exposed).
    public let capacity: UInt64
    /// VIRTIO_BLK_T_GET_ID answer: up to 20 bytes, NUL-padded (§5.2.6).
    public let id: [UInt8]
    let queueSize: UInt16

    /// - Parameters:
    ///   - readOnly: offer VIRTIO_BLK_F_RO and fail writes with IOERR (forced on if the backend is
    ///     read-only).
    ///   - serial: the GET_ID string (truncated to 20 bytes); default: the backend's identity.
    public init(backend: any BlockBackend, readOnly: Bool = false, serial: String? = nil,
                queueSize: UInt16 = BlockConfig.defaultQueueSize) {
        precondition(queueSize >= 4, "a block queue needs room for header, data and status")
        self.backend = backend
        self.isReadOnly = readOnly || backend.isReadOnly
        self.capacity = backend.size / UInt64(BlockConfig.sectorSize)
        self.id = Array((serial ?? backend.identity).utf8.prefix(BlockConfig.idLength))
        self.queueSize = queueSize
    }

    /// seg_max: leave two descriptors of a maximal chain for the header and the status byte.
    var segMax: UInt32 { UInt32(queueSize) - 2 }

    public var deviceID: VirtioDeviceID { .block }
    public var deviceFeatures: UInt64 {
        var f = BlockConfig.featureSegMax | BlockConfig.featureSizeMax | BlockConfig.featureBlockSize | BlockConfig.featureFlush
        f |= isReadOnly ? BlockConfig.featureReadOnly : BlockConfig.featureDiscard | BlockConfig.featureWriteZeroes
        return f
    }
    public var queueMaxSizes: [UInt16] { [queueSize] }
    public func configSpace() -> [UInt8] { BlockConfig.bytes(capacity: capacity, segMax: segMax) }

    public func writeConfig(offset: Int, bytes: [UInt8], context: DeviceContext) {
        // `writeback` is writable only with VIRTIO_BLK_F_CONFIG_WCE, which is not offered.
        context.log.guestError("block config write at offset \(offset) (the config space is read-only); ignored")
    }

    public func process(queue index: Int, _ queue: inout SplitQueue, budget: Int, context: DeviceContext) throws(QueueError) -> Bool {
        let limits = BlockLimits(capacity: capacity, readOnly: isReadOnly, features: context.features, segMax: segMax)
        return try drainQueue(&queue, budget: budget, log: context.log) { chain in
            serve(chain, limits: limits, log: context.log)
        }
    }

    /// Parses, executes and completes one request; returns the used length.
    func serve(_ chain: DescriptorChain, limits: BlockLimits, log: DeviceLog) -> UInt32 {
        switch BlockRequest.parse(chain, limits: limits) {
        case .unanswerable(let reason):
            log.guestError("\(reason); used with length 0")
            return 0
        case .reject(let status, let byte, let reason):
            log.guestError("\(reason); status \(status)")
            BlockRequest.writeStatus(status, to: byte)
            return 1
        case .request(let request):
            let (status, length, error) = request.execute(on: backend, id: id)
            if let error { log.warning("request \(chain.head): host I/O failed: \(error); status IOERR") }
            request.complete(status)
            return length
        }
    }
}
