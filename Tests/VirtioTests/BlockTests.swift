// BlockTests.swift — virtio-blk (virtio 1.2 §5.2) against real temporary files: configuration,
// read/write/flush/get-id, read-only, bounds, discard/write-zeroes, and host I/O errors.
import Glibc
import Testing
import GuestMemory
import Virtio
import VirtioTestSupport

/// A block device on a temp file, initialised through the mock driver.
final class BlockHarness {
    let file: TempFile
    let device: BlockDevice
    let driver: MockDriver
    let queue: DriverQueue

    init(sectors: Int = 64, readOnly: Bool = false, serial: String? = nil, accept: UInt64? = nil,
         backend: ((TempFile) throws -> any BlockBackend)? = nil, queueSize: UInt16 = 16) throws {
        file = TempFile(size: sectors * 512)
        let b = try backend?(file) ?? FileBlockBackend(path: file.path, readOnly: readOnly)
        device = BlockDevice(backend: b, readOnly: readOnly, serial: serial, queueSize: queueSize)
        driver = try MockDriver(device: device, memorySize: 4 << 20)
        queue = driver.initialize(accept: accept)[0]
    }

    struct Result {
        let status: UInt8
        let usedLength: UInt32
        let data: [UInt8]
    }

    /// Sends one request: header, then `out` data (device-readable) or `inLength` bytes of
    /// device-writable data, then the status byte. Data is split into `segments` descriptors.
    func request(type: UInt32, sector: UInt64 = 0, out: [UInt8] = [], inLength: Int = 0, segments: Int = 1,
                 indirect: Bool = false) -> Result {
        let d = driver
        var buffers = [d.readable(le32(type) + le32(0) + le64(sector))]
        var inBuffers: [DriverQueue.Buffer] = []
        if !out.isEmpty {
            let step = (out.count + segments - 1) / segments
            for start in stride(from: 0, to: out.count, by: step) {
                buffers.append(d.readable(Array(out[start ..< min(start + step, out.count)])))
            }
        }
        if inLength > 0 {
            let step = (inLength + segments - 1) / segments
            for start in stride(from: 0, to: inLength, by: step) {
                inBuffers.append(d.writable(min(step, inLength - start)))
            }
            buffers += inBuffers
        }
        let status = d.writable(1, fill: 0xff)
        buffers.append(status)
        queue.submit(buffers, indirect: indirect)
        let used = queue.takeUsed()
        #expect(used.count == 1, "expected one used element, got \(used)")
        return Result(status: d.bytes(of: status)[0], usedLength: used.first?.length ?? 0xdead, data: inBuffers.flatMap { d.bytes(of: $0) })
    }

    func sectors(_ first: Int, _ count: Int) -> [UInt8] { Array(file.contents[first * 512 ..< (first + count) * 512]) }
}

/// A backend whose every operation fails with `errno`.
final class FailingBackend: BlockBackend {
    let size: UInt64 = 64 * 512
    let isReadOnly = false
    let identity = "failing"
    let error: Int32
    init(errno: Int32) { error = errno }
    func read(into buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) { throw BlockIOError("preadv", errno: error) }
    func write(from buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) { throw BlockIOError("pwritev", errno: error) }
    func flush() throws(BlockIOError) { throw BlockIOError("fdatasync", errno: error) }
    func discard(at offset: UInt64, length: UInt64) throws(BlockIOError) { throw BlockIOError("fallocate", errno: error) }
    func writeZeroes(at offset: UInt64, length: UInt64, mayUnmap: Bool) throws(BlockIOError) { throw BlockIOError("fallocate", errno: error) }
}

let OK: UInt8 = 0, IOERR: UInt8 = 1, UNSUPP: UInt8 = 2

@Suite struct BlockTests {
    @Test("configuration space: capacity, size_max, seg_max, blk_size, discard limits (§5.2.4)")
    func config() throws {
        let h = try BlockHarness(sectors: 100, queueSize: 32)
        let d = h.driver
        #expect(d.readConfig(0, size: 8) == 100)
        #expect(d.readConfig(0, size: 4) == 100)
        #expect(d.readConfig(4, size: 4) == 0)
        #expect(d.readConfig(8, size: 4) == UInt64(BlockConfig.sizeMax))
        #expect(d.readConfig(12, size: 4) == 30)
        #expect(d.readConfig(20, size: 4) == 512)
        #expect(d.readConfig(36, size: 4) == UInt64(BlockConfig.maxDiscardSectors))
        #expect(d.readConfig(40, size: 4) == UInt64(BlockConfig.maxDiscardSegments))
        #expect(d.readConfig(48, size: 4) == UInt64(BlockConfig.maxWriteZeroesSectors))
        #expect(d.readConfig(56, size: 1) == 1)
        #expect(d.readConfig(33, size: 1) == 0)   // unused0 (§5.2.5.2)
    }

    @Test("a file whose size is not a multiple of 512 exposes whole sectors only")
    func partialSector() throws {
        let file = TempFile(size: 1000)
        let device = BlockDevice(backend: try FileBlockBackend(path: file.path, readOnly: true))
        #expect(device.capacity == 1)
    }

    @Test("offered features", arguments: [false, true])
    func features(readOnly: Bool) throws {
        let h = try BlockHarness(readOnly: readOnly)
        let f = h.driver.deviceFeatures
        #expect((f & BlockConfig.featureReadOnly != 0) == readOnly)
        #expect(f & BlockConfig.featureFlush != 0)
        #expect(f & BlockConfig.featureSegMax != 0)
        #expect((f & BlockConfig.featureDiscard != 0) == !readOnly)
        #expect((f & BlockConfig.featureWriteZeroes != 0) == !readOnly)
    }

    @Test("read sectors, scattered over several buffers, direct or indirect", arguments: [(1, false), (3, false), (4, true)])
    func read(segments: Int, indirect: Bool) throws {
        let h = try BlockHarness()
        let r = h.request(type: BlockConfig.typeIn, sector: 5, inLength: 3 * 512, segments: segments, indirect: indirect)
        #expect(r.status == OK)
        #expect(r.usedLength == 3 * 512 + 1)
        #expect(r.data == h.sectors(5, 3))
    }

    @Test("write sectors, then read them back")
    func write() throws {
        let h = try BlockHarness()
        let data = (0 ..< 1024).map { UInt8(truncatingIfNeeded: $0 ^ 0x5a) }
        let w = h.request(type: BlockConfig.typeOut, sector: 10, out: data, segments: 2)
        #expect(w.status == OK)
        #expect(w.usedLength == 1)
        #expect(h.sectors(10, 2) == data)
        #expect(h.request(type: BlockConfig.typeIn, sector: 10, inLength: 1024).data == data)
    }

    @Test("the last sector is reachable; one past it is not", arguments: [(UInt64(63), 1, OK), (63, 2, IOERR), (64, 1, IOERR), (UInt64.max, 1, IOERR), (UInt64.max / 512, 1, IOERR)])
    func bounds(sector: UInt64, count: Int, expected: UInt8) throws {
        let h = try BlockHarness(sectors: 64)
        #expect(h.request(type: BlockConfig.typeIn, sector: sector, inLength: count * 512).status == expected)
        let before = h.file.contents
        #expect(h.request(type: BlockConfig.typeOut, sector: sector, out: [UInt8](repeating: 1, count: count * 512)).status == expected)
        if expected != OK { #expect(h.file.contents == before) }
    }

    @Test("data that is not a multiple of 512 bytes is an I/O error (§5.2.6.1)", arguments: [1, 511, 513])
    func unalignedLength(length: Int) throws {
        let h = try BlockHarness()
        #expect(h.request(type: BlockConfig.typeIn, inLength: length).status == IOERR)
        #expect(h.request(type: BlockConfig.typeOut, out: [UInt8](repeating: 0, count: length)).status == IOERR)
    }

    @Test("flush succeeds (and ignores sector and data)")
    func flush() throws {
        let h = try BlockHarness()
        let r = h.request(type: BlockConfig.typeFlush)
        #expect(r.status == OK)
        #expect(r.usedLength == 1)
    }

    @Test("get-id returns the serial, NUL-padded to 20 bytes (§5.2.6)", arguments: [
        ("disk0", Array("disk0".utf8) + [UInt8](repeating: 0, count: 15)),
        ("exactly-twenty-bytes", Array("exactly-twenty-bytes".utf8)),
        ("a-serial-longer-than-twenty", Array("a-serial-longer-than".utf8)),
    ])
    func getID(serial: String, expected: [UInt8]) throws {
        let h = try BlockHarness(serial: serial)
        let r = h.request(type: BlockConfig.typeGetID, inLength: 20)
        #expect(r.status == OK)
        #expect(r.data == expected)
        #expect(r.usedLength == 21)
    }

    @Test("get-id into a buffer shorter than 20 bytes fills what fits (as QEMU does)")
    func shortGetID() throws {
        let h = try BlockHarness(serial: "0123456789abcdefghij")
        let r = h.request(type: BlockConfig.typeGetID, inLength: 8)
        #expect(r.status == OK)
        #expect(r.data == Array("01234567".utf8))
        #expect(r.usedLength == 9)
    }

    @Test("get-id without a serial answers the backing file's identity")
    func defaultID() throws {
        let h = try BlockHarness()
        let r = h.request(type: BlockConfig.typeGetID, inLength: 20)
        #expect(r.status == OK)
        #expect(r.data.starts(with: Array("sv".utf8)))
    }

    @Test("read-only: writes fail with IOERR and write nothing; reads and flush work (§5.2.6.2)")
    func readOnly() throws {
        let h = try BlockHarness(readOnly: true)
        let before = h.file.contents
        let w = h.request(type: BlockConfig.typeOut, sector: 1, out: [UInt8](repeating: 0xab, count: 512))
        #expect(w.status == IOERR)
        #expect(h.file.contents == before)
        #expect(h.request(type: BlockConfig.typeIn, sector: 1, inLength: 512).data == h.sectors(1, 1))
        #expect(h.request(type: BlockConfig.typeFlush).status == OK)
    }

    @Test("read-only flag on a writable file still refuses writes")
    func readOnlyFlagOnWritableBackend() throws {
        let h = try BlockHarness(readOnly: true, backend: { try FileBlockBackend(path: $0.path, readOnly: false) })
        let before = h.file.contents
        #expect(h.request(type: BlockConfig.typeOut, out: [UInt8](repeating: 1, count: 512)).status == IOERR)
        #expect(h.file.contents == before)
    }

    @Test("unsupported request types answer UNSUPP", arguments: [BlockConfig.typeGetLifetime, BlockConfig.typeSecureErase, 2, 99, 0xffff_ffff])
    func unsupported(type: UInt32) throws {
        let h = try BlockHarness()
        #expect(h.request(type: type, inLength: 512).status == UNSUPP)
    }

    @Test("host I/O errors become VIRTIO_BLK_S_IOERR", arguments: [BlockConfig.typeIn, BlockConfig.typeOut, BlockConfig.typeFlush])
    func hostErrors(type: UInt32) throws {
        let h = try BlockHarness(backend: { _ in FailingBackend(errno: EIO) })
        let r = h.request(type: type, out: type == BlockConfig.typeOut ? [UInt8](repeating: 0, count: 512) : [],
                          inLength: type == BlockConfig.typeIn ? 512 : 0)
        #expect(r.status == IOERR)
        #expect(r.usedLength == 1)
        #expect(h.driver.logLines.contains("host I/O failed"))
    }

    @Test("a real descriptor the host cannot read (opened write-only) gives IOERR on read")
    func readFromWriteOnlyDescriptor() throws {
        var fd: Int32 = -1
        let h = try BlockHarness(backend: { file in
            fd = open(file.path, O_WRONLY)
            return try FileBlockBackend(fileDescriptor: fd, readOnly: false, ownsDescriptor: true)
        })
        #expect(fd >= 0)
        #expect(h.request(type: BlockConfig.typeIn, inLength: 512).status == IOERR)
        #expect(h.driver.logLines.contains("preadv: Bad file descriptor"))
    }

    @Test("a real write failure (ENOSPC from /dev/full) gives IOERR")
    func writeToFullDevice() throws {
        let h = try BlockHarness(backend: { _ in
            let fd = open("/dev/full", O_RDWR)
            return try FileBlockBackend(fileDescriptor: fd, readOnly: false, ownsDescriptor: true, size: 64 * 512)
        })
        #expect(h.request(type: BlockConfig.typeOut, out: [UInt8](repeating: 7, count: 512)).status == IOERR)
        #expect(h.driver.logLines.contains("No space left on device"))
    }

    @Test("write zeroes makes the range read as zeroes, with or without unmap (§5.2.6.2)", arguments: [false, true])
    func writeZeroes(unmap: Bool) throws {
        let h = try BlockHarness()
        let segment = le64(8) + le32(16) + le32(unmap ? 1 : 0)
        let r = h.request(type: BlockConfig.typeWriteZeroes, out: segment)
        #expect(r.status == OK)
        #expect(h.sectors(8, 16) == [UInt8](repeating: 0, count: 16 * 512))
        #expect(h.sectors(7, 1) != [UInt8](repeating: 0, count: 512))
        #expect(h.sectors(24, 1) != [UInt8](repeating: 0, count: 512))
    }

    @Test("discard of several ranges succeeds")
    func discard() throws {
        let h = try BlockHarness()
        let segments = le64(0) + le32(8) + le32(0) + le64(32) + le32(8) + le32(0)
        #expect(h.request(type: BlockConfig.typeDiscard, out: segments).status == OK)
    }

    @Test("discard and write-zeroes segment errors (§5.2.6.2)", arguments: [
        ("discard with unmap", BlockConfig.typeDiscard, le64(0) + le32(1) + le32(1), UNSUPP),
        ("unknown segment flag", BlockConfig.typeWriteZeroes, le64(0) + le32(1) + le32(2), UNSUPP),
        ("beyond capacity", BlockConfig.typeDiscard, le64(60) + le32(8) + le32(0), IOERR),
        ("sector overflow", BlockConfig.typeWriteZeroes, le64(UInt64.max) + le32(1) + le32(0), IOERR),
        ("more sectors than max_write_zeroes_sectors", BlockConfig.typeWriteZeroes, le64(0) + le32(BlockConfig.maxWriteZeroesSectors + 1) + le32(0), IOERR),
        ("segment data not a multiple of 16", BlockConfig.typeDiscard, le64(0) + le32(1), IOERR),
        ("no segment", BlockConfig.typeDiscard, [], IOERR),
        ("too many segments", BlockConfig.typeDiscard, (0 ..< 17).flatMap { _ in le64(0) + le32(1) + le32(0) }, IOERR),
    ])
    func discardErrors(_ name: String, type: UInt32, data: [UInt8], expected: UInt8) throws {
        let h = try BlockHarness()
        let before = h.file.contents
        #expect(h.request(type: type, out: data).status == expected, "\(name)")
        #expect(h.file.contents == before)
    }

    @Test("discard and write zeroes without the feature negotiated answer UNSUPP")
    func discardNotNegotiated() throws {
        let h = try BlockHarness(accept: VirtioFeature.version1 | BlockConfig.featureFlush)
        #expect(h.request(type: BlockConfig.typeDiscard, out: le64(0) + le32(1) + le32(0)).status == UNSUPP)
        #expect(h.request(type: BlockConfig.typeWriteZeroes, out: le64(0) + le32(1) + le32(0)).status == UNSUPP)
    }

    @Test("seg_max is enforced when negotiated: queue size 16 allows 14 data segments")
    func segMax() throws {
        let h = try BlockHarness(queueSize: 16)
        #expect(h.request(type: BlockConfig.typeIn, inLength: 14 * 512, segments: 14, indirect: true).status == OK)
        #expect(h.request(type: BlockConfig.typeIn, inLength: 15 * 512, segments: 15, indirect: true).status == IOERR)
    }

    @Test("framing errors", arguments: ["short header", "read with readable data", "write with writable data"])
    func framing(_ kind: String) throws {
        let h = try BlockHarness()
        let d = h.driver
        let status = d.writable(1, fill: 0xff)
        var buffers: [DriverQueue.Buffer]
        switch kind {
        case "short header": buffers = [d.readable(le32(BlockConfig.typeIn) + le32(0))]
        case "read with readable data": buffers = [d.readable(le32(BlockConfig.typeIn) + le32(0) + le64(0)), d.readable([UInt8](repeating: 0, count: 512)), d.writable(512)]
        default: buffers = [d.readable(le32(BlockConfig.typeOut) + le32(0) + le64(0)), d.writable(512)]
        }
        h.queue.submit(buffers + [status])
        #expect(h.queue.takeUsed().map(\.length) == [1])
        #expect(d.bytes(of: status) == [IOERR])
    }

    @Test("a request without a writable status byte is used with length 0 and nothing is written")
    func noStatusByte() throws {
        let h = try BlockHarness()
        let before = h.file.contents
        let data = h.driver.readable([UInt8](repeating: 9, count: 512))
        h.queue.submit([h.driver.readable(le32(BlockConfig.typeOut) + le32(0) + le64(0)), data])
        #expect(h.queue.takeUsed().map(\.length) == [0])
        #expect(h.file.contents == before)
    }

    @Test("header, data and status in one descriptor each side work (no framing assumptions, §2.7.4.1)")
    func anyLayout() throws {
        let h = try BlockHarness()
        let d = h.driver
        // Header + data in one readable descriptor, status alone.
        let status = d.writable(1, fill: 0xff)
        h.queue.submit([d.readable(le32(BlockConfig.typeOut) + le32(0) + le64(3) + [UInt8](repeating: 0x33, count: 512)), status])
        #expect(d.bytes(of: status) == [OK])
        #expect(h.sectors(3, 1) == [UInt8](repeating: 0x33, count: 512))
        // Read: data + status in one writable descriptor.
        let both = d.writable(513)
        h.queue.submit([d.readable(le32(BlockConfig.typeIn) + le32(0) + le64(3)), both])
        #expect(d.bytes(of: both) == [UInt8](repeating: 0x33, count: 512) + [OK])
        #expect(h.queue.takeUsed().map(\.length) == [1, 513])
    }
}
