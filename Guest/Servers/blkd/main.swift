// blkd — the virtio-blk driver as a process of its own (the Redox model): it alone maps the disk,
// owns the DMA memory and takes the interrupts, and serves the disk's blocks as "disk0" over IPC
// (ABI sv_blk.h, UserLib/BlockProtocol.swift) to the file server — which then needs no device rights at all. If
// it crashes or is killed, the kernel resets the device, init starts a new blkd, and the file
// server repeats the call that was cut off.
//   blkd [crash-after N]     (crash-after: die on the Nth request — for the restart tests)
// Exit status 2: no disk this process may drive (init does not restart it).
import ABI
import DiskBlocks
import RedoxFS
import UserLib
import VirtioDriver

func fail(_ message: String, status: Int32 = 1) -> Never {
    print("blkd: " + message)
    System.exit(status)
}

/// Only root may use the raw disk (as only root opens /dev/sda on Unix): raw block access from
/// anyone else would bypass every check the file server makes. The caller's uid is the one the
/// kernel stamped on the message (sv_ipc_identity), never a name or anything the caller says; the
/// file server runs as root (init starts it), ordinary users never do.
func mayUse(_ message: Channel.Message) -> Bool { message.identity.uid == 0 }

func serve(_ message: Channel.Message, disk: inout DiskBlocks) -> [UInt8] {
    guard let request = BlockProtocol.decodeRequest(message.request) else { return BlockProtocol.reply(status: -Int64(SV_ENOSYS)) }
    let op = BlockOperation(rawValue: request.op)
    guard [.info, .flush, .read, .write].contains(op) else { return BlockProtocol.reply(status: -Int64(SV_ENOSYS)) }
    guard mayUse(message) else { return BlockProtocol.reply(status: -Int64(SV_EPERM)) }
    let block = request.block, count = request.count
    switch op {
    case .info:
        return BlockProtocol.reply(status: 0, value: disk.blockCount)
    case .flush:
        do { try disk.flush() } catch { return BlockProtocol.reply(status: -Int64(SV_EIO)) }
        return BlockProtocol.reply(status: 0)
    default:   // read, write
        let bytes = Int(min(count, UInt64(BlockProtocol.maximumBlocks))) * BlockProtocol.blockSize
        let needed: Int32 = op == .read ? SV_LEASE_WRITE : SV_LEASE_READ
        guard count > 0, count <= UInt64(BlockProtocol.maximumBlocks), message.leaseLength >= bytes,
              message.leaseFlags & needed != 0, block < disk.blockCount, count <= disk.blockCount - block else {
            return BlockProtocol.reply(status: -Int64(SV_EINVAL))
        }
        var leaseFault = false
        do {
            // Straight between the caller's lease and the DMA bounce buffer: one copy each way.
            try disk.transfer(op == .read ? BlockDriver.typeRead : BlockDriver.typeWrite,
                              block: block, bytes: bytes, operation: op == .read ? .read : .write) { offset, bounce, n in
                let copied = op == .read ? bounce.leaseWrite(message.caller, offset: offset, from: 0..<n)
                                         : bounce.leaseRead(message.caller, offset: offset, into: 0..<n)
                if copied != n { leaseFault = true }
            }
        } catch {
            return BlockProtocol.reply(status: -Int64(SV_EIO))
        }
        return leaseFault ? BlockProtocol.reply(status: -Int64(SV_EFAULT)) : BlockProtocol.reply(status: 0, value: count)
    }
}

func main() -> Never {
    var crashAfter = CrashAfter("blkd")
    // Claim the name first: a second blkd exits here, before it touches (and resets) the disk.
    let endpoint = Channel.serve(BlockProtocol.service)
    guard endpoint > 0 else { fail("cannot serve \"disk0\" (error \(-endpoint))") }
    guard let device = BlockDriver(), var disk = DiskBlocks(device) else {
        fail("no virtio-blk disk this process may drive", status: 2)
    }
    print("blkd: serving disk0, \(disk.blockCount) blocks of 4 KiB (pid \(System.getpid()))")
    var next = Channel.receive(endpoint)
    while true {
        guard case .success(let message) = next else { fail("receive failed") }
        crashAfter.request()
        let reply = serve(message, disk: &disk)
        next = Channel.replyAndReceive(endpoint, caller: message.caller, reply: reply)
    }
}

main()
