// ConsoleDriver.swift — a virtio-console driver for ring-3 programs (virtio 1.2 §5.3), one port
// (no MULTIPORT): ttyd's console when the machine has one. Input: receive buffers stay posted on
// the receiveq and the bytes of each used one are handed over (`takeInput`); output: bytes are
// copied into transmit slots and the whole write is one notification — one VM exit for up to
// `transmitBytes` of output, however many lines it holds. The size (F_SIZE) is read from the
// configuration space; its changes arrive as configuration-change interrupts (§5.3.6 item 3).
// Every number the device writes (used lengths, heads) is checked before it is used.
import ABI
import UserLib
import UserRuntime
import VirtioSpec

public final class ConsoleDriver {
    /// Receive buffers: `receiveSlots` of `slotBytes` each, all posted while the driver runs.
    static let receiveSlots = 16
    /// Transmit slots: a write is cut into pieces of `slotBytes`, one descriptor each.
    static let transmitSlots = 16
    static let slotBytes = 4096
    /// The most one `write` sends with a single notification.
    public static let transmitBytes = transmitSlots * slotBytes
    /// How long a write waits for the device to free a transmit slot before it drops the rest.
    static let transmitPatienceNanoseconds: UInt64 = 5_000_000_000

    public let deviceIndex: Int
    let device: MMIODevice
    var receive: DriverQueue
    var transmit: DriverQueue
    let receiveMemory: DMABuffer
    let transmitMemory: DMABuffer
    /// The slot behind each descriptor head (-1: none in flight there).
    var receiveSlotOfHead: [Int]
    var transmitSlotOfHead: [Int]
    var freeTransmitSlots: [Int]
    public let hasSize: Bool
    /// Output dropped because the device did not take it in time (a stuck device).
    public private(set) var droppedOutputBytes = 0

    /// Finds the first virtio-console this process may drive and starts it; nil if none.
    public init?() {
        guard let (index, d) = MMIODevice.find(.console),
              let features = d.negotiate(wanted: VirtioConsole.featureSize) else { return nil }
        guard let rx = ConsoleDriver.queue(d, VirtioConsole.receiveQueue, slots: ConsoleDriver.receiveSlots),
              let tx = ConsoleDriver.queue(d, VirtioConsole.transmitQueue, slots: ConsoleDriver.transmitSlots),
              let rxMemory = DMABuffer(bytes: ConsoleDriver.receiveSlots * ConsoleDriver.slotBytes),
              let txMemory = DMABuffer(bytes: ConsoleDriver.transmitSlots * ConsoleDriver.slotBytes),
              d.setUpQueue(UInt32(VirtioConsole.receiveQueue), rx), d.setUpQueue(UInt32(VirtioConsole.transmitQueue), tx) else {
            d.fail()
            return nil
        }
        deviceIndex = index
        device = d
        receive = rx
        transmit = tx
        receiveMemory = rxMemory
        transmitMemory = txMemory
        receiveSlotOfHead = [Int](repeating: -1, count: Int(rx.size))
        transmitSlotOfHead = [Int](repeating: -1, count: Int(tx.size))
        freeTransmitSlots = Array(0..<ConsoleDriver.transmitSlots)
        hasSize = features & VirtioConsole.featureSize != 0
        // Finished output is reclaimed at the next write: no interrupt needed for it.
        transmit.suppressInterrupts()
        for slot in 0..<ConsoleDriver.receiveSlots { post(slot) }
        receive.publish()
        d.driverReady()
        device.notify(queue: UInt32(VirtioConsole.receiveQueue))
    }

    /// A queue of at least `slots` entries (a power of two no larger than the device allows).
    static func queue(_ d: MMIODevice, _ index: Int, slots: Int) -> DriverQueue? {
        d.write(.queueSel, UInt32(index))
        let maximum = Int(min(d.read(.queueNumMax), 32768))
        var size = 1
        while size < slots { size *= 2 }
        guard size <= maximum, let memory = DMABuffer(bytes: DriverQueue.bytes(UInt16(size))) else { return nil }
        return DriverQueue(size: UInt16(size), memory: memory)
    }

    /// Gives receive slot `slot` to the device (not yet visible: publish).
    func post(_ slot: Int) {
        let physical = receiveMemory.physical + UInt64(slot * ConsoleDriver.slotBytes)
        guard let head = receive.add(count: 1, { _ in
            DriverQueue.Buffer(physical: physical, length: UInt32(ConsoleDriver.slotBytes), deviceWrites: true)
        }) else { return }
        receiveSlotOfHead[Int(head)] = slot
    }

    /// The interrupt's causes, acknowledged (§4.2.2). Call on each interrupt before `takeInput`,
    /// so a cause that comes later raises a new interrupt.
    public func acknowledgeInterrupt() -> (used: Bool, configChanged: Bool) {
        let status = InterruptStatus(rawValue: device.acknowledgeInterrupt())
        return (status.contains(.usedBuffer), status.contains(.configChange))
    }

    /// The bytes typed since the last call (empty if none); the buffers go back to the device.
    public func takeInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var reposted = false
        while let (head, written) = receive.popUsed() {
            guard head < receive.size else { continue }   // a device bug: nothing of ours there
            let slot = receiveSlotOfHead[Int(head)]
            guard slot >= 0 else { continue }
            receiveSlotOfHead[Int(head)] = -1
            let start = slot * ConsoleDriver.slotBytes
            bytes += receiveMemory.bytes(start..<(start + min(Int(written), ConsoleDriver.slotBytes)))
            post(slot)
            reposted = true
        }
        if reposted {
            receive.publish()
            device.notify(queue: UInt32(VirtioConsole.receiveQueue))
        }
        return bytes
    }

    /// Returns finished transmit slots to the free list.
    func reclaimTransmitted() {
        while let (head, _) = transmit.popUsed() {
            guard head < transmit.size, transmitSlotOfHead[Int(head)] >= 0 else { continue }
            freeTransmitSlots.append(transmitSlotOfHead[Int(head)])
            transmitSlotOfHead[Int(head)] = -1
        }
    }

    /// Sends `bytes`: in slots of 4 KiB, one notification per `transmitBytes`. When every slot is
    /// still with the device it waits (yielding) for one; a device that frees none for
    /// `transmitPatienceNanoseconds` is stuck, and the rest of the output is dropped and counted.
    public func write(_ bytes: [UInt8]) {
        var start = 0
        var queued = false
        var waitingSince: UInt64 = 0
        while start < bytes.count {
            reclaimTransmitted()
            guard let slot = freeTransmitSlots.popLast() else {
                if queued {   // let the device see what is queued before waiting for it
                    transmit.publish()
                    device.notify(queue: UInt32(VirtioConsole.transmitQueue))
                    queued = false
                }
                let now = System.clock()
                if waitingSince == 0 { waitingSince = now }
                if now - waitingSince > ConsoleDriver.transmitPatienceNanoseconds {
                    droppedOutputBytes += bytes.count - start
                    return
                }
                System.yield()
                continue
            }
            waitingSince = 0
            let n = min(ConsoleDriver.slotBytes, bytes.count - start)
            transmitMemory.copy(from: bytes, start..<(start + n), to: slot * ConsoleDriver.slotBytes)
            let physical = transmitMemory.physical + UInt64(slot * ConsoleDriver.slotBytes)
            guard let head = transmit.add(count: 1, { _ in
                DriverQueue.Buffer(physical: physical, length: UInt32(n), deviceWrites: false)
            }) else {
                freeTransmitSlots.append(slot)   // cannot happen: as many descriptors as slots
                droppedOutputBytes += bytes.count - start
                break
            }
            transmitSlotOfHead[Int(head)] = slot
            queued = true
            start += n
        }
        if queued {
            transmit.publish()
            device.notify(queue: UInt32(VirtioConsole.transmitQueue))
        }
    }

    /// The console's size from the configuration space (§5.3.4), or nil without F_SIZE.
    public var size: (columns: UInt16, rows: UInt16)? {
        guard hasSize else { return nil }
        // cols and rows are one 32-bit word: read it whole, retried if the generation changed.
        while true {
            let generation = device.read(.configGeneration)
            let word = device.config32(UInt64(VirtioConsole.columnsOffset))
            if device.read(.configGeneration) == generation {
                return (UInt16(truncatingIfNeeded: word), UInt16(truncatingIfNeeded: word >> 16))
            }
        }
    }
}
