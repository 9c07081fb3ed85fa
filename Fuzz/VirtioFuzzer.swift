// VirtioFuzzer.swift — libFuzzer target for the virtio device model: arbitrary bytes become guest
// RAM plus a sequence of MMIO register accesses, queue notifications and concurrent-looking ring
// rewrites, driven through `MMIOTransport` into the descriptor-chain walker, the split ring and the
// block request parser (and the console and entropy devices). Built and run by
// scripts/fuzz-virtio.sh; a crash, a trap (precondition, overflow, bounds), an ASan report, a hang or
// a touch of the guard pages around guest RAM is a finding.
//
// Input layout (little-endian):
//
//   0   u8   device: 0 block, 1 block read-only, 2 console, 3 entropy
//   1   u8   mode: bit 0 = run the standard driver initialisation first
//   2   u16  QueueNum for every queue
//   4   u64  features the driver accepts
//   12  u16  descriptor table address   14 u16 available ring   16 u16 used ring (queue 0; queue 1
//            of the console uses the same addresses + 0x800)
//   18  u8   number of operations       19..23 reserved
//   24  8 bytes per operation: u8 opcode, u8 argument, u16 a, u32 b
//   ... the rest is copied to guest RAM from address 0
import Glibc
import GuestMemory
import Virtio

final class NullInterrupt: InterruptLine {
    func signal() {}
}

/// A RAM disk, so the fuzzer spends its time in the parser, not in system calls.
final class MemoryBackend: BlockBackend, @unchecked Sendable {
    let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 512, alignment: 16)
    var size: UInt64 { UInt64(storage.count) }
    let isReadOnly: Bool
    let identity = "fuzz-disk"
    init(readOnly: Bool) {
        isReadOnly = readOnly
        storage.initializeMemory(as: UInt8.self, repeating: 0x5a)
    }
    deinit { storage.deallocate() }

    func check(_ offset: UInt64, _ length: Int) -> Int {
        precondition(offset <= size && UInt64(length) <= size - offset, "backend access [\(offset), +\(length)) outside the disk")
        return Int(offset)
    }
    func read(into buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) {
        var at = check(offset, buffers.reduce(0) { $0 + $1.count })
        for b in buffers where b.count > 0 {
            b.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[at ..< at + b.count]))
            at += b.count
        }
    }
    func write(from buffers: [UnsafeMutableRawBufferPointer], at offset: UInt64) throws(BlockIOError) {
        precondition(!isReadOnly, "write reached a read-only backend")
        var at = check(offset, buffers.reduce(0) { $0 + $1.count })
        for b in buffers where b.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: storage[at ..< at + b.count]).copyMemory(from: UnsafeRawBufferPointer(b))
            at += b.count
        }
    }
    func flush() throws(BlockIOError) {}
    func discard(at offset: UInt64, length: UInt64) throws(BlockIOError) { _ = check(offset, Int(length)) }
    func writeZeroes(at offset: UInt64, length: UInt64, mayUnmap: Bool) throws(BlockIOError) {
        let at = check(offset, Int(length))
        UnsafeMutableRawBufferPointer(rebasing: storage[at ..< at + Int(length)]).initializeMemory(as: UInt8.self, repeating: 0)
    }
}

struct PatternSource: EntropySource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        buffer.initializeMemory(as: UInt8.self, repeating: 0xa5)
        return buffer.count
    }
}

/// Reads integers from the fuzz input; past the end everything is 0.
struct Input {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    mutating func u8() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }
    mutating func u16() -> UInt16 { UInt16(u8()) | UInt16(u8()) << 8 }
    mutating func u32() -> UInt32 { UInt32(u16()) | UInt32(u16()) << 16 }
    mutating func u64() -> UInt64 { UInt64(u32()) | UInt64(u32()) << 32 }
}

let guestSize: UInt64 = 16 * 1024
let log = DeviceLog(label: "fuzz", burst: 0, sink: { _ in })
let mapFixedNoReplace: Int32 = 0x100000

/// Maps inaccessible pages right below and above guest RAM (when that address range is free), so a
/// host access just outside guest RAM faults instead of silently reading a neighbour.
func guardPages(around memory: GuestMemory) -> [UnsafeMutableRawPointer] {
    var guards: [UnsafeMutableRawPointer] = []
    for at in [memory.hostBase - 4096, memory.hostBase + Int(memory.size)] {
        let p = mmap(at, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | mapFixedNoReplace, -1, 0)
        if let p, p != MAP_FAILED {
            if p == at { guards.append(p) } else { munmap(p, 4096) }
        }
    }
    return guards
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var input = Input(bytes: UnsafeRawBufferPointer(start: data, count: size))
    let kind = input.u8() % 4
    let mode = input.u8()
    let queueNum = input.u16()
    let features = input.u64()
    let desc = UInt64(input.u16()), avail = UInt64(input.u16()), used = UInt64(input.u16())
    let opCount = Int(input.u8())
    input.position = 24
    let opsStart = input.position
    let imageStart = min(size, opsStart + 8 * opCount)

    let memory = try! GuestMemory(size: guestSize)
    let guards = guardPages(around: memory)
    defer { for g in guards { munmap(g, 4096) } }
    if imageStart < size {
        let n = min(size - imageStart, Int(guestSize))
        try! memory.write(at: GuestAddress(0), from: UnsafeRawBufferPointer(start: data + imageStart, count: n))
    }

    let console = ConsoleDevice(output: { _ in }, queueSize: 64, inputCapacity: 256)
    let device: any VirtioDevice = switch kind {
    case 0: BlockDevice(backend: MemoryBackend(readOnly: false), queueSize: 64)
    case 1: BlockDevice(backend: MemoryBackend(readOnly: true), readOnly: true, queueSize: 64)
    case 2: console
    default: EntropyDevice(source: PatternSource(), queueSize: 64)
    }
    let window = MMIOTransport(device: device, memory: memory, interrupt: NullInterrupt(), log: log)
    func w(_ r: MMIORegister, _ v: UInt32) { window.write(offset: r.rawValue, size: 4, value: UInt64(v)) }

    if mode & 1 != 0 {
        // virtio 1.2 §3.1.1 with the fuzzer's features, queue size and ring addresses.
        w(.status, 0); w(.status, 1); w(.status, 3)
        w(.driverFeaturesSel, 0); w(.driverFeatures, UInt32(truncatingIfNeeded: features))
        w(.driverFeaturesSel, 1); w(.driverFeatures, UInt32(truncatingIfNeeded: features >> 32))
        w(.status, 11)
        for q in 0 ..< window.queueCount {
            let shift = UInt64(q) * 0x800
            w(.queueSel, UInt32(q))
            w(.queueNum, UInt32(queueNum))
            w(.queueDescLow, UInt32(desc + shift)); w(.queueDriverLow, UInt32(avail + shift)); w(.queueDeviceLow, UInt32(used + shift))
            w(.queueReady, 1)
        }
        w(.status, 15)
    }

    for _ in 0 ..< opCount {
        let op = input.u8(), arg = input.u8(), a = input.u16(), b = input.u32()
        switch op % 8 {
        case 0:
            let sizes = [1, 2, 4, 8]
            window.write(offset: UInt64(a % 0x200), size: sizes[Int(arg % 4)], value: UInt64(b) | UInt64(b) << 32)
        case 1:
            let sizes = [1, 2, 4, 8]
            _ = window.read(offset: UInt64(a % 0x200), size: sizes[Int(arg % 4)])
        case 2:
            window.queueNotified(Int(arg % 3))   // includes a queue index the device may not have
        case 3:
            // The guest rewriting its own RAM between notifications (rings, descriptors, buffers).
            try? memory.store(b, at: GuestAddress(UInt64(a) % (guestSize - 3)))
        case 4:
            w(.queueNotify, UInt32(arg))
        case 5:
            console.sendInput((0 ..< Int(arg % 32)).map { UInt8(truncatingIfNeeded: $0) })
        case 6:
            console.resize(columns: a, rows: UInt16(truncatingIfNeeded: b))
        default:
            w(.interruptACK, b)
        }
    }
    for q in 0 ..< window.queueCount { window.queueNotified(q) }
    return 0
}
