// BlockRequest.swift — a virtio-blk request (virtio 1.2 §5.2.6) in three steps: `parse` reads and
// checks the guest's header and framing (pure: no host I/O, fuzzed), `execute` does the host I/O,
// `complete` writes the status byte. Splitting them is what lets a later I/O worker run `execute`
// off the event-loop thread while the queue stays with the loop.
//
// Chain layout (§5.2.6 `struct virtio_blk_req`), independent of how it is split into descriptors:
//
//   device-readable:  le32 type | le32 reserved | le64 sector | [data for OUT, DISCARD, WRITE_ZEROES]
//   device-writable:  [data for IN, GET_ID] | u8 status
import GuestMemory

/// A parsed request whose framing and bounds are valid; only host I/O can still fail.
public struct BlockRequest {
    public enum Operation: Equatable, Sendable {
        case read(offset: UInt64)
        case write(offset: UInt64)
        case flush
        case getID
        case discard([DiscardRange])
        case writeZeroes([DiscardRange])
    }

    /// One `struct virtio_blk_discard_write_zeroes` segment, in bytes, already range-checked.
    public struct DiscardRange: Equatable, Sendable {
        public let offset: UInt64
        public let length: UInt64
        public let unmap: Bool
    }

    public let head: UInt16
    public let operation: Operation
    /// Data buffers in guest memory: written by IN/GET_ID, read by OUT.
    public let data: [UnsafeMutableRawBufferPointer]
    public let dataLength: Int
    /// The status byte in guest memory (the last device-writable byte).
    let status: UnsafeMutableRawPointer
}

/// What `BlockRequest.parse` decided.
public enum BlockParseResult {
    /// A valid request to execute.
    case request(BlockRequest)
    /// A request answered without I/O: write `status` and use the chain with `usedLength` 1.
    case reject(BlockStatus, statusByte: UnsafeMutableRawPointer, reason: String)
    /// No device-writable byte for the status: the chain is used with length 0 and nothing is written.
    case unanswerable(reason: String)
}

/// The device parameters `parse` checks requests against.
public struct BlockLimits: Sendable {
    public var capacity: UInt64        // sectors
    public var readOnly: Bool
    public var features: UInt64        // negotiated
    public var segMax: UInt32

    public init(capacity: UInt64, readOnly: Bool, features: UInt64, segMax: UInt32) {
        self.capacity = capacity
        self.readOnly = readOnly
        self.features = features
        self.segMax = segMax
    }
}

extension BlockRequest {
    /// Reads the header and checks framing, type, features, read-only and bounds (§5.2.6.1 and
    /// §5.2.6.2). Touches guest memory only inside the validated chain.
    public static func parse(_ chain: DescriptorChain, limits: BlockLimits) -> BlockParseResult {
        // The status byte is the chain's last device-writable byte.
        guard let last = chain.writableSegments.last else {
            return .unanswerable(reason: "request \(chain.head) has no device-writable status byte")
        }
        // SAFETY: segments are non-empty checked guest views.
        let status = last.buffer.baseAddress! + (last.buffer.count - 1)
        func reject(_ s: BlockStatus, _ reason: String) -> BlockParseResult { .reject(s, statusByte: status, reason: reason) }

        var reader = chain.reader()
        guard reader.remaining >= BlockConfig.headerSize else {
            return reject(.ioError, "request \(chain.head): \(reader.remaining) readable bytes, the header needs 16")
        }
        let header = reader.readBytes(BlockConfig.headerSize)
        let type = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) }
        let sector = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        let readableData = reader.remaining
        let writableData = chain.writableLength - 1
        var writer = chain.writer()

        func negotiated(_ bit: UInt64) -> Bool { limits.features & bit != 0 }

        switch type {
        case BlockConfig.typeIn, BlockConfig.typeOut:
            let isRead = type == BlockConfig.typeIn
            // IN data is device-writable, OUT data device-readable; bytes on the other side are a
            // framing error (§2.7.4.2, §5.2.6).
            let length = isRead ? writableData : readableData
            if (isRead ? readableData : writableData) != 0 {
                return reject(.ioError, "request \(chain.head): \(isRead ? "read" : "write") with data on the wrong side of the chain")
            }
            if !isRead && limits.readOnly {
                // §5.2.6.2: IOERR for a write to a read-only device, and no data written.
                return reject(.ioError, "request \(chain.head): write to a read-only device")
            }
            guard length % BlockConfig.sectorSize == 0 else {
                return reject(.ioError, "request \(chain.head): data length \(length) is not a multiple of 512 (§5.2.6.1)")
            }
            let sectors = UInt64(length / BlockConfig.sectorSize)
            guard sector <= limits.capacity, sectors <= limits.capacity - sector else {
                return reject(.ioError, "request \(chain.head): sectors [\(sector), +\(sectors)) beyond capacity \(limits.capacity) (§5.2.6.1)")
            }
            let data = isRead ? writer.take(length) : reader.take(length)
            if negotiated(BlockConfig.featureSegMax) && data.count > Int(limits.segMax) {
                return reject(.ioError, "request \(chain.head): \(data.count) data segments, seg_max is \(limits.segMax)")
            }
            let offset = sector * UInt64(BlockConfig.sectorSize)
            return .request(BlockRequest(head: chain.head, operation: isRead ? .read(offset: offset) : .write(offset: offset),
                                         data: data, dataLength: length, status: status))

        case BlockConfig.typeFlush:
            // §5.2.6.1: sector 0 and no data are driver obligations; neither matters to a flush.
            return .request(BlockRequest(head: chain.head, operation: .flush, data: [], dataLength: 0, status: status))

        case BlockConfig.typeGetID:
            // §5.2.6.1 says 20 bytes; like QEMU we fill what the driver gave, up to 20.
            let data = writer.take(min(writableData, BlockConfig.idLength))
            return .request(BlockRequest(head: chain.head, operation: .getID, data: data,
                                         dataLength: min(writableData, BlockConfig.idLength), status: status))

        case BlockConfig.typeDiscard, BlockConfig.typeWriteZeroes:
            let isDiscard = type == BlockConfig.typeDiscard
            guard negotiated(isDiscard ? BlockConfig.featureDiscard : BlockConfig.featureWriteZeroes) else {
                return reject(.unsupported, "request \(chain.head): \(isDiscard ? "discard" : "write zeroes") without its feature")
            }
            if limits.readOnly { return reject(.ioError, "request \(chain.head): \(isDiscard ? "discard" : "write zeroes") on a read-only device") }
            guard readableData > 0, readableData % BlockConfig.discardSegmentSize == 0 else {
                return reject(.ioError, "request \(chain.head): segment data of \(readableData) bytes is not a non-zero multiple of 16 (§5.2.6.1)")
            }
            let count = readableData / BlockConfig.discardSegmentSize
            let maxSegments = isDiscard ? BlockConfig.maxDiscardSegments : BlockConfig.maxWriteZeroesSegments
            guard count <= Int(maxSegments) else {
                return reject(.ioError, "request \(chain.head): \(count) segments, the device allows \(maxSegments)")
            }
            let maxSectors = UInt64(isDiscard ? BlockConfig.maxDiscardSectors : BlockConfig.maxWriteZeroesSectors)
            var ranges: [DiscardRange] = []
            for _ in 0 ..< count {
                let raw = reader.readBytes(BlockConfig.discardSegmentSize)
                let start = raw.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) }
                let sectors = raw.withUnsafeBytes { UInt64(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self))) }
                let flags = raw.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) }
                // §5.2.6.2: UNSUPP for unknown flags, and for `unmap` on a discard.
                if flags & ~BlockConfig.segmentFlagUnmap != 0 || (isDiscard && flags & BlockConfig.segmentFlagUnmap != 0) {
                    return reject(.unsupported, "request \(chain.head): segment flags 0x\(String(flags, radix: 16)) not supported")
                }
                guard sectors <= maxSectors, start <= limits.capacity, sectors <= limits.capacity - start else {
                    return reject(.ioError, "request \(chain.head): segment [\(start), +\(sectors)) beyond capacity or limit")
                }
                ranges.append(DiscardRange(offset: start * UInt64(BlockConfig.sectorSize), length: sectors * UInt64(BlockConfig.sectorSize),
                                           unmap: flags & BlockConfig.segmentFlagUnmap != 0))
            }
            return .request(BlockRequest(head: chain.head, operation: isDiscard ? .discard(ranges) : .writeZeroes(ranges),
                                         data: [], dataLength: 0, status: status))

        default:
            // GET_LIFETIME, SECURE_ERASE (not offered) and unknown types.
            return reject(.unsupported, "request \(chain.head): type \(type) is not supported")
        }
    }

    /// Does the host I/O. Returns the status and the used length (bytes written into the chain,
    /// including the status byte).
    public func execute(on backend: any BlockBackend, id: [UInt8]) -> (BlockStatus, UInt32, BlockIOError?) {
        do throws(BlockIOError) {
            switch operation {
            case .read(let offset):
                try backend.read(into: data, at: offset)
                return (.ok, UInt32(dataLength + 1), nil)
            case .write(let offset):
                try backend.write(from: data, at: offset)
            case .flush:
                try backend.flush()
            case .getID:
                var done = 0
                for piece in data {
                    for i in 0 ..< piece.count { piece[i] = done + i < id.count ? id[done + i] : 0 }
                    done += piece.count
                }
                return (.ok, UInt32(dataLength + 1), nil)
            case .discard(let ranges):
                for r in ranges { try backend.discard(at: r.offset, length: r.length) }
            case .writeZeroes(let ranges):
                for r in ranges { try backend.writeZeroes(at: r.offset, length: r.length, mayUnmap: r.unmap) }
            }
            return (.ok, 1, nil)
        } catch {
            // The host's errno becomes VIRTIO_BLK_S_IOERR; the used length covers the status byte only.
            return (.ioError, 1, error)
        }
    }

    /// Writes the status byte. The caller then puts the chain into the used ring (whose release
    /// fence orders this store before the used idx, §2.7.8.2).
    public func complete(_ result: BlockStatus) {
        BlockRequest.writeStatus(result, to: status)
    }

    static func writeStatus(_ result: BlockStatus, to byte: UnsafeMutableRawPointer) {
        // SAFETY: `byte` is the last byte of a checked device-writable guest buffer.
        byte.storeBytes(of: result.rawValue, as: UInt8.self)
    }
}
