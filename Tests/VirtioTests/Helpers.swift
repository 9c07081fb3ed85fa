// Helpers.swift — test fixtures: a device that records the chains it is given (to test the queue
// walker independently of any real device type), temporary backing files, and small byte helpers.
import Glibc
import GuestMemory
import Synchronization
import Virtio
import VirtioTestSupport

/// A device with one queue that records every chain it is served and uses it with `usedLength`.
final class RecordingDevice: VirtioDevice {
    struct Seen: Equatable {
        let head: UInt16
        let readable: [UInt8]
        let writableLength: Int
        let segmentLengths: [Int]
        let descriptorCount: Int
    }

    let queueSize: UInt16
    let usedLength: UInt32
    let features: UInt64
    let seen = Mutex<[Seen]>([])
    /// Called for each chain while it is being served (e.g. to publish more work concurrently).
    let onChain: (@Sendable () -> Void)?

    init(queueSize: UInt16 = 8, usedLength: UInt32 = 0, features: UInt64 = 0, onChain: (@Sendable () -> Void)? = nil) {
        self.queueSize = queueSize
        self.usedLength = usedLength
        self.features = features
        self.onChain = onChain
    }

    var deviceID: VirtioDeviceID { .entropy }
    var deviceFeatures: UInt64 { features }
    var queueMaxSizes: [UInt16] { [queueSize] }
    func configSpace() -> [UInt8] { [] }

    var chains: [Seen] { seen.withLock { $0 } }

    func process(queue index: Int, _ queue: inout SplitQueue, budget: Int, context: DeviceContext) throws(QueueError) -> Bool {
        try drainQueue(&queue, budget: budget, log: context.log) { chain in
            var reader = chain.reader()
            let s = Seen(head: chain.head, readable: reader.readBytes(chain.readableLength),
                         writableLength: chain.writableLength, segmentLengths: chain.segments.map { $0.buffer.count },
                         descriptorCount: chain.descriptorCount)
            seen.withLock { $0.append(s) }
            onChain?()
            return usedLength
        }
    }
}

/// A temporary file, removed when the value goes away.
final class TempFile {
    let path: String

    init(size: Int, fill: (Int) -> UInt8 = { UInt8(truncatingIfNeeded: $0 * 7 + 3) }) {
        var template = Array("/tmp/swiftvm-virtio-test-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "mkstemp failed")
        path = String(cString: template)
        let bytes = (0 ..< size).map(fill)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        precondition(written == size, "short write to temp file")
        close(fd)
    }

    deinit { unlink(path) }

    var contents: [UInt8] {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buffer[0 ..< n]
        }
        return out
    }
}

func le32(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
func le64(_ v: UInt64) -> [UInt8] { (0 ..< 8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

extension MockDriver {
    /// A driver with a `RecordingDevice` already initialised (all features accepted).
    static func recording(queueSize: UInt16 = 8, usedLength: UInt32 = 0, memorySize: UInt64 = 1 << 20,
                          accept: UInt64? = nil) throws -> (MockDriver, RecordingDevice, DriverQueue) {
        let device = RecordingDevice(queueSize: queueSize, usedLength: usedLength)
        let driver = try MockDriver(device: device, memorySize: memorySize)
        let queues = driver.initialize(accept: accept)
        return (driver, device, queues[0])
    }
}
