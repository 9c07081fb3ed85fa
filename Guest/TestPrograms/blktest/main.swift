// blktest — a ring-3 virtio-blk test driver (issue 3): against a disk whose byte at offset o is
// `pattern(o)`, it checks the capacity, reads every sector and verifies it, overwrites a range with
// `pattern(o) ^ 0xa5`, flushes, reads the range back, asks for the device id, and checks that a
// read past the end fails with an I/O error. The host test then checks the file byte for byte.
// The same program runs on swiftvm's virtio-blk device and on QEMU's.
//   blktest                     the check above (prints "blktest: PASS" and exits 0)
//   blktest readonly            on a read-only disk: reads work, a write fails with IOERR
//   blktest bench               throughput and IOPS (the issue's benchmark)
import UserLib
import VirtioDriver

@inline(__always)
func pattern(_ offset: UInt64) -> UInt8 {
    UInt8(truncatingIfNeeded: (offset >> 9) &* 31 &+ (offset & 511) &* 7 &+ 1)
}

/// The region the check overwrites: sectors [writeStart, writeStart + writeCount).
let writeStart: UInt64 = 100, writeCount: UInt64 = 300

func check(_ disk: BlockDriver) -> Bool {
    var ok = true
    print("blktest: capacity \(disk.capacity) sectors, queue size \(disk.queueSize), features 0x\(String(disk.negotiatedFeatures, radix: 16))")
    let chunkSectors: UInt64 = 128                       // 64 KiB requests, two 32 KiB segments each
    let slots = 16
    guard let buffer = DMABuffer(bytes: Int(chunkSectors) * 512 * slots) else { print("blktest: no DMA memory"); return false }
    // 1. Read everything, up to `slots` requests in flight, and verify.
    var sector: UInt64 = 0
    var mismatches = 0
    while sector < disk.capacity {
        var batch: [BlockDriver.Request] = []
        var starts: [UInt64] = []
        for s in 0..<slots {
            let start = sector + UInt64(s) * chunkSectors
            guard start < disk.capacity else { break }
            let count = min(chunkSectors, disk.capacity - start)
            let physical = buffer.physical + UInt64(s) * chunkSectors * 512
            let half = UInt32(count * 512 / 2)
            batch.append(.init(type: BlockDriver.typeRead, sector: start,
                               data: count >= 2 ? [(physical, half), (physical + UInt64(half), UInt32(count * 512) - half)] : [(physical, UInt32(count * 512))]))
            starts.append(start)
        }
        let statuses = disk.run(batch)
        for (i, status) in statuses.enumerated() {
            guard status == BlockDriver.statusOK else { print("blktest: read at sector \(starts[i]) failed, status \(status)"); ok = false; continue }
            let count = min(chunkSectors, disk.capacity - starts[i])
            let base = i * Int(chunkSectors) * 512
            for j in 0..<Int(count * 512) where buffer[base + j] != pattern(starts[i] * 512 + UInt64(j)) { mismatches += 1 }
        }
        sector += UInt64(slots) * chunkSectors
    }
    print("blktest: read \(disk.capacity) sectors, \(mismatches) bytes differ from the pattern")
    if mismatches != 0 { ok = false }

    // 2. Overwrite [writeStart, writeStart + writeCount) in 4 KiB requests, flush.
    var writes: [BlockDriver.Request] = []
    let dataCount = Int(writeCount) * 512
    for j in 0..<dataCount { buffer[j] = pattern(writeStart * 512 + UInt64(j)) ^ 0xa5 }
    var s: UInt64 = 0
    while s < writeCount {
        let n = min(8, writeCount - s)
        writes.append(.init(type: BlockDriver.typeWrite, sector: writeStart + s, data: [(buffer.physical + s * 512, UInt32(n * 512))]))
        s += n
    }
    let writeStatuses = disk.run(writes)
    let flush = disk.run([.init(type: BlockDriver.typeFlush, sector: 0, data: [])])
    print("blktest: wrote \(writeCount) sectors in \(writes.count) requests (\(writeStatuses.filter { $0 == 0 }.count) ok), flush status \(flush[0])")
    if writeStatuses.contains(where: { $0 != 0 }) || flush[0] != 0 { ok = false }

    // 3. Read the range back into a cleared buffer.
    for j in 0..<dataCount { buffer[j] = 0 }
    let back = disk.run([.init(type: BlockDriver.typeRead, sector: writeStart, data: [(buffer.physical, UInt32(writeCount * 512))])])
    var backMismatches = 0
    for j in 0..<dataCount where buffer[j] != pattern(writeStart * 512 + UInt64(j)) ^ 0xa5 { backMismatches += 1 }
    print("blktest: read back \(writeCount) sectors, status \(back[0]), \(backMismatches) bytes differ")
    if back[0] != 0 || backMismatches != 0 { ok = false }

    // 4. The device id (20 bytes, §5.2.6), and a read past the end.
    for j in 0..<20 { buffer[j] = 0 }
    let idStatus = disk.run([.init(type: BlockDriver.typeGetID, sector: 0, data: [(buffer.physical, UInt32(20))])])[0]
    var idText = ""
    for j in 0..<20 where buffer[j] != 0 { idText.append(Character(Unicode.Scalar(buffer[j]))) }
    print("blktest: get-id status \(idStatus), id \"\(idText)\"")
    let past = disk.run([.init(type: BlockDriver.typeRead, sector: disk.capacity, data: [(buffer.physical, UInt32(512))])])[0]
    print("blktest: read past the end: status \(past)")
    if past != BlockDriver.statusIOError { ok = false }
    print("blktest: \(disk.interrupts) interrupts")
    return ok
}

func benchmark(_ disk: BlockDriver) {
    let bufferBytes = 4 << 20
    guard let buffer = DMABuffer(bytes: bufferBytes) else { print("blktest: no DMA memory"); return }
    let total = disk.capacity * 512
    // Requests go to the driver 1024 at a time; it keeps the queue full (refilling as requests
    // complete), so the device and the driver work at the same time. Requests in flight at the same
    // time never share a buffer slot (fewer in flight than slots).
    let batchSize = 1024
    func sequential(_ type: UInt32, requestBytes: Int) {
        let slots = bufferBytes / requestBytes
        let start = System.clock()
        var offset: UInt64 = 0
        var requests = 0
        while offset < total {
            var batch: [BlockDriver.Request] = []
            batch.reserveCapacity(batchSize)
            for i in 0..<batchSize where offset < total {
                batch.append(.init(type: type, sector: offset / 512,
                                   data: [(buffer.physical + UInt64((i % slots) * requestBytes), UInt32(min(UInt64(requestBytes), total - offset)))]))
                offset += UInt64(requestBytes)
            }
            _ = disk.run(batch)
            requests += batch.count
        }
        let ns = max(System.clock() - start, 1)
        _ = requests
        print("blkbench: sequential \(type == BlockDriver.typeRead ? "read " : "write") \(requestBytes / 1024) KiB requests: \(total * 1000 / ns) MB/s (\(requests) requests, \(ns / 1_000_000) ms)")
    }
    let cycles0 = System.timestamp(), wait0 = disk.waitCycles
    sequential(BlockDriver.typeRead, requestBytes: 64 << 10)
    print("blkbench: (asleep waiting for the device \((disk.waitCycles - wait0) * 100 / max(System.timestamp() - cycles0, 1))% of that time)")
    let cycles1 = System.timestamp(), wait1 = disk.waitCycles
    sequential(BlockDriver.typeRead, requestBytes: 4 << 10)
    print("blkbench: (asleep waiting for the device \((disk.waitCycles - wait1) * 100 / max(System.timestamp() - cycles1, 1))% of that time)")
    sequential(BlockDriver.typeWrite, requestBytes: 64 << 10)
    sequential(BlockDriver.typeWrite, requestBytes: 4 << 10)
    // Random 4 KiB reads, xorshift offsets.
    var state: UInt64 = 0x9e37_79b9_7f4a_7c15
    let count = 20_000
    let slots = bufferBytes / 4096
    let start = System.clock()
    var issued = 0
    while issued < count {
        var batch: [BlockDriver.Request] = []
        batch.reserveCapacity(batchSize)
        for i in 0..<min(batchSize, count - issued) {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let block = state % (total / 4096)
            batch.append(.init(type: BlockDriver.typeRead, sector: block * 8, data: [(buffer.physical + UInt64((i % slots) * 4096), UInt32(4096))]))
        }
        _ = disk.run(batch)
        issued += batch.count
    }
    let ns = max(System.clock() - start, 1)
    print("blkbench: random 4 KiB reads: \(UInt64(count) * 1_000_000_000 / ns) IOPS (\(count) requests, up to \(disk.queueSize / 3) in flight, \(ns / 1_000_000) ms)")
}

guard let disk = BlockDriver() else {
    print("blktest: no virtio-blk device")
    System.exit(2)
}
/// On a read-only disk (VIRTIO_BLK_F_RO, §5.2.3): the first sector reads as the pattern, a write is
/// refused with VIRTIO_BLK_S_IOERR, and the sector still reads as the pattern afterwards.
func checkReadOnly(_ disk: BlockDriver) -> Bool {
    guard let buffer = DMABuffer(bytes: 4096) else { return false }
    let read = disk.run([.init(type: BlockDriver.typeRead, sector: 0, data: [(buffer.physical, UInt32(512))])])[0]
    var same = (0..<512).allSatisfy { buffer[$0] == pattern(UInt64($0)) }
    for j in 0..<512 { buffer[j] = 0xee }
    let write = disk.run([.init(type: BlockDriver.typeWrite, sector: 0, data: [(buffer.physical, UInt32(512))])])[0]
    let again = disk.run([.init(type: BlockDriver.typeRead, sector: 0, data: [(buffer.physical, UInt32(512))])])[0]
    same = same && (0..<512).allSatisfy { buffer[$0] == pattern(UInt64($0)) }
    print("blktest: read-only: read status \(read), write status \(write), read again status \(again), data intact: \(same)")
    return read == 0 && write == BlockDriver.statusIOError && again == 0 && same
}

if System.arguments.count > 1 && System.arguments[1] == "readonly" {
    let passed = checkReadOnly(disk)
    print(passed ? "blktest: PASS" : "blktest: FAIL")
    System.exit(passed ? 0 : 1)
}
if System.arguments.count > 1 && System.arguments[1] == "bench" {
    benchmark(disk)
    System.exit(0)
}
let passed = check(disk)
print(passed ? "blktest: PASS" : "blktest: FAIL")
System.exit(passed ? 0 : 1)
