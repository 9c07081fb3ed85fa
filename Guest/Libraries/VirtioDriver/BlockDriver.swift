// BlockDriver.swift — a virtio-blk driver for ring-3 programs (virtio 1.2 §5.2): finds the device,
// sets up its one request queue, and runs requests with up to a queue's worth in flight, sleeping
// on the device interrupt (irq_wait) while the device works.
import ABI
import UserLib
import UserRuntime
import VirtioSpec

public final class BlockDriver {
    public static let sectorSize = VirtioBlock.sectorSize
    /// Request types (§5.2.6), by the driver's names (IN reads, OUT writes).
    public static let typeRead = VirtioBlock.typeIn, typeWrite = VirtioBlock.typeOut
    public static let typeFlush = VirtioBlock.typeFlush, typeGetID = VirtioBlock.typeGetID
    /// Status values (§5.2.6).
    public static let statusOK = BlockStatus.ok.rawValue, statusIOError = BlockStatus.ioError.rawValue
    public static let statusUnsupported = BlockStatus.unsupported.rawValue

    public struct Request {
        public var type: UInt32
        public var sector: UInt64
        /// Data buffers (physical address, length); the device writes them for reads and GET_ID.
        public var data: [(physical: UInt64, length: UInt32)]
        public init(type: UInt32, sector: UInt64, data: [(physical: UInt64, length: UInt32)]) {
            self.type = type
            self.sector = sector
            self.data = data
        }
    }

    public let deviceIndex: Int
    let device: MMIODevice
    var queue: DriverQueue
    /// Per descriptor head: a 16-byte request header and a status byte, in DMA memory.
    let headers: DMABuffer
    let statuses: DMABuffer
    /// Capacity in 512-byte sectors (config offset 0).
    public let capacity: UInt64
    public let negotiatedFeatures: UInt64
    public private(set) var interrupts = 0
    /// Time spent asleep in irq_wait (the device working), in TSC cycles.
    public private(set) var waitCycles: UInt64 = 0

    /// Finds the first virtio-blk device this process may use and initialises it; nil if none.
    public init?(queueSize wanted: UInt16 = 128) {
        // Id 0 (a device from the command line, type unknown) is probed.
        let found = MMIODevice.find(.block, probingUnknown: true)
        guard let (i, d) = found, let features = d.negotiate(wanted: VirtioBlock.featureFlush) else { return nil }
        d.write(.queueSel, 0)
        let maximum = UInt16(truncatingIfNeeded: min(d.read(.queueNumMax), 32768))
        var size: UInt16 = 1
        while size * 2 <= min(wanted, maximum) { size *= 2 }
        guard maximum > 0, let ring = DMABuffer(bytes: DriverQueue.bytes(size)),
              let headerMemory = DMABuffer(bytes: VirtioBlock.headerSize * Int(size)),
              let statusMemory = DMABuffer(bytes: Int(size)) else { d.fail(); return nil }
        let q = DriverQueue(size: size, memory: ring)
        guard d.setUpQueue(0, q) else { d.fail(); return nil }
        d.driverReady()
        deviceIndex = i
        device = d
        queue = q
        headers = headerMemory
        statuses = statusMemory
        capacity = d.config64(0)
        negotiatedFeatures = features
    }

    public var queueSize: Int { Int(queue.size) }

    /// Runs `requests`, keeping as many in flight as the queue holds; returns each one's status.
    public func run(_ requests: [Request]) -> [UInt8] {
        var results = [UInt8](repeating: 0xff, count: requests.count)
        var requestOfHead = [Int](repeating: -1, count: Int(queue.size))
        var next = 0, done = 0
        while done < requests.count {
            var added = false
            while next < requests.count {
                let r = requests[next]
                guard Int(queue.freeCount) >= r.data.count + 2 else { break }
                // Header and status live at the slot of the chain's head, which is only known after
                // `add`: reserve by peeking the free head (the first descriptor `add` will use).
                let head = queue.freeHead
                // struct virtio_blk_req's header (§5.2.6): le32 type, le32 reserved, le64 sector.
                let header = VirtioBlock.headerSize * Int(head)
                headers.store(r.type, at: header)
                headers.store(UInt32(0), at: header + 4)
                headers.store(r.sector, at: header + 8)
                statuses.store(UInt8(0xff), at: Int(head))
                // Chain (§5.2.6): header (device reads), data, status byte (device writes).
                let deviceWrites = r.type == BlockDriver.typeRead || r.type == BlockDriver.typeGetID
                let dataCount = r.data.count
                let headerPhysical = headers.physical + UInt64(VirtioBlock.headerSize) * UInt64(head), statusPhysical = statuses.physical + UInt64(head)
                guard let used = queue.add(count: dataCount + 2, { n in
                    if n == 0 { return DriverQueue.Buffer(physical: headerPhysical, length: UInt32(VirtioBlock.headerSize), deviceWrites: false) }
                    if n == dataCount + 1 { return DriverQueue.Buffer(physical: statusPhysical, length: 1, deviceWrites: true) }
                    let d = r.data[n - 1]
                    return DriverQueue.Buffer(physical: d.physical, length: d.length, deviceWrites: deviceWrites)
                }) else { break }
                requestOfHead[Int(used)] = next
                next += 1
                added = true
            }
            if added {
                queue.publish()
                device.notify(queue: 0)
            }
            var progressed = false
            while let (head, _) = queue.popUsed() {
                progressed = true
                let index = head < queue.size ? requestOfHead[Int(head)] : -1
                guard index >= 0 else { continue }
                // A volatile read: the device wrote the byte behind the compiler's back. SAFETY:
                // head < queue.size (checked above), and `statuses` holds queue.size bytes.
                results[index] = UInt8(sv_user_mmio_read8(statuses.address + UInt64(head)))
                requestOfHead[Int(head)] = -1
                done += 1
            }
            if !progressed {
                let t0 = System.timestamp()
                System.irqWait(deviceIndex)
                waitCycles &+= System.timestamp() &- t0
                _ = device.acknowledgeInterrupt()
                interrupts += 1
            }
        }
        return results
    }
}
