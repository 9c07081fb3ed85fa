// fsbench direct | client — what the file server costs. The same workloads run either on RedoxFS
// mounted in this process through the ring-3 virtio-blk driver (`direct`: the baseline; needs the
// devices right, so boot it as init) or through fsd over IPC (`client`: run from the shell that
// init starts), each commit-per-operation as fsd does. scripts/bench-fs-server.sh runs both on
// copies of the same image and prints the ratios.
import DiskBlocks
import RedoxFS
import UserLib
import VirtioDriver

/// The operations both sides offer.
protocol Store {
    func write(_ path: String, _ data: [UInt8]) -> Bool
    func read(_ path: String) -> [UInt8]?
    func size(_ path: String) -> UInt64?
    func makeDirectory(_ path: String) -> Bool
}

/// RedoxFS in this process, committing after each change (as fsd does before it replies).
struct DirectStore: Store {
    let fs: FileSystem<DiskBlocks>
    func write(_ path: String, _ data: [UInt8]) -> Bool {
        do {
            let id: NodeID
            if let existing = try? fs.lookup(path) { id = existing; try fs.truncate(id: id, size: 0) } else { id = try fs.createFile(Array(path.utf8)) }
            var offset = 0
            while offset < data.count {
                let n = min(64 << 10, data.count - offset)
                try fs.write(id: id, at: UInt64(offset), Array(data[offset..<offset + n]))
                offset += n
            }
            try fs.commit()
            return true
        } catch { return false }
    }
    func read(_ path: String) -> [UInt8]? {
        guard let info = try? fs.stat(path) else { return nil }
        var out: [UInt8] = []
        while UInt64(out.count) < info.size {
            guard let piece = try? fs.read(id: info.id, at: UInt64(out.count), count: 64 << 10), !piece.isEmpty else { break }
            out += piece
        }
        return out
    }
    func size(_ path: String) -> UInt64? { (try? fs.stat(path))?.size }
    func makeDirectory(_ path: String) -> Bool { (try? fs.makeDirectory(Array(path.utf8))) != nil && (try? fs.commit()) != nil }
}

/// The file server, through UserLib.Files.
struct ClientStore: Store {
    func write(_ path: String, _ data: [UInt8]) -> Bool { (try? Files.write(path, data).get()) != nil }
    func read(_ path: String) -> [UInt8]? { try? Files.read(path).get() }
    func size(_ path: String) -> UInt64? { (try? Files.stat(path).get())?.size }
    func makeDirectory(_ path: String) -> Bool { (try? Files.makeDirectory(path).get()) != nil }
}

func time(_ body: () -> Bool) -> UInt64? {
    let start = System.clock()
    guard body() else { return nil }
    return System.clock() - start
}

func report(_ mode: String, _ what: String, _ ns: UInt64?, per count: Int, unit: String) {
    guard let ns else { print("fsbench: \(mode) \(what): FAILED"); return }
    let perSecond = ns == 0 ? 0 : UInt64(count) * 1_000_000_000 / ns
    print("fsbench: \(mode) \(what): \(perSecond) \(unit) (\(ns / 1000) us)")
}

func run(_ store: some Store, mode: String) {
    let big = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
    _ = store.makeDirectory("/bench")
    report(mode, "write 4 MiB file", time { store.write("/bench/big", big) }, per: 4, unit: "MiB/s")
    report(mode, "read 4 MiB file", time { store.read("/bench/big") == big }, per: 4, unit: "MiB/s")
    let small = Array("a small file of forty-odd bytes, committed\n".utf8)
    report(mode, "create 200 small files", time {
        for i in 0..<200 where !store.write("/bench/f\(i)", small) { return false }
        return true
    }, per: 200, unit: "files/s")
    report(mode, "stat 2000 times", time {
        for i in 0..<2000 where store.size("/bench/f\(i % 200)") != UInt64(small.count) { return false }
        return true
    }, per: 2000, unit: "stats/s")
    report(mode, "read 200 small files", time {
        for i in 0..<200 where store.read("/bench/f\(i)") != small { return false }
        return true
    }, per: 200, unit: "files/s")
}

let arguments = System.arguments
switch arguments.count == 2 ? arguments[1] : "" {
case "direct":
    guard let disk = BlockDriver(), let blocks = DiskBlocks(disk),
          let fs = try? FileSystem.mount(blocks, options: MountOptions(readOnly: false)) else {
        print("fsbench: cannot mount the disk (boot as init=fsbench -- direct, with a RedoxFS disk)")
        System.exit(1)
    }
    run(DirectStore(fs: fs), mode: "direct")
case "client":
    run(ClientStore(), mode: "client")
default:
    print("usage: fsbench direct | client")
    System.exit(2)
}
System.exit(0)
