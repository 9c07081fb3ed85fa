// bench — the guest side of `make bench`: system-call round trip (SV_SYS_NOP), min and median
// over 100,000 calls, timed with the TSC and converted to ns with the kernel's clock; then an IPC
// round trip to a server process (`bench ipc-server`), reported against the system call measured
// in the same run; then the Unix process calls: fork+wait, fork+exec+wait of a minimal program,
// spawn+wait, a pipe round trip between two processes and pipe throughput — each also as a ratio
// to the system call of the same run (the host's trap price multiplies all of them).
import ABI
import UserLib

struct Timing {
    var median: UInt64
    var line: String
}

func measure(_ what: String, calls: Int, _ body: () -> Void) -> Timing {
    var samples = [UInt64](repeating: 0, count: calls)
    let startNS = System.clock()
    let startTSC = System.timestamp()
    for i in 0..<calls {
        let t0 = System.timestamp()
        body()
        samples[i] = System.timestamp() &- t0
    }
    let totalTSC = System.timestamp() &- startTSC
    let totalNS = System.clock() &- startNS
    samples.sort()
    // cycles × ns / cycles without overflow (a fork takes milliseconds; 128-bit division would
    // need compiler-rt): the ratio's terms are halved until their product fits in 64 bits.
    func nanoseconds(_ cycles: UInt64) -> UInt64 {
        var tsc = totalTSC, ns = totalNS
        while tsc > 1 && ns > UInt64.max / tsc { tsc >>= 1; ns >>= 1 }
        guard tsc > 0 else { return 0 }
        return (cycles / tsc) &* ns &+ (cycles % tsc) * ns / tsc
    }
    let median = nanoseconds(samples[calls / 2])
    return Timing(median: median, line: "bench: \(what) over \(calls) calls: min \(nanoseconds(samples[0])) ns, median \(median) ns, p99 \(nanoseconds(samples[calls * 99 / 100])) ns")
}

func ipcServer(separate: Bool) -> Never {
    let endpoint = Channel.serve("bench-echo")
    guard endpoint > 0 else { System.exit(1) }
    let empty: [UInt8] = []
    var next = Channel.receive(endpoint)
    while true {
        guard case .success(let m) = next else { System.exit(1) }
        if m.request.first == 0xff { Channel.reply(m.caller, empty); System.exit(0) }
        // `separate`: reply, then receive (two kernel entries), to show what the combined call saves.
        if separate {
            Channel.reply(m.caller, empty)
            next = Channel.receive(endpoint)
        } else {
            next = Channel.replyAndReceive(endpoint, caller: m.caller, reply: empty)
        }
    }
}

func measureIPC(calls: Int, syscall: Timing, separate: Bool) {
    let server = System.spawn(separate ? "bench ipc-server separate" : "bench ipc-server")
    var endpoint = Channel.lookup("bench-echo")
    let deadline = System.clock() + 5_000_000_000
    while endpoint < 0 && System.clock() < deadline { System.yield(); endpoint = Channel.lookup("bench-echo") }
    guard server > 0, endpoint > 0 else { print("bench: no IPC server"); return }
    let request: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    let how = separate ? "server: reply, then receive" : "server: reply_receive"
    let ipc = measure("IPC call round trip (8-byte request, empty reply, another process; \(how))", calls: calls) {
        _ = Channel.call(endpoint, request: request)
    }
    print(ipc.line)
    let tenths = syscall.median == 0 ? 0 : ipc.median * 10 / syscall.median
    print("bench: IPC round trip (\(how)) / syscall round trip: \(tenths / 10).\(tenths % 10)")
    _ = Channel.call(endpoint, request: [0xff])
    _ = System.wait(server)
}

/// malloc/free of small blocks (what Swift arrays and class instances cost), with `live` other
/// blocks allocated around them (interleaved with holes, as a long-running server's heap is).
func measureAllocation(live: Int) -> Timing {
    // Raw heap blocks: this measures the allocator itself (Heap.allocate/release).
    var keep: [UnsafeMutableRawPointer] = []
    var holes: [UnsafeMutableRawPointer] = []
    for i in 0..<live {
        let p = Heap.allocate(48 + (i % 7) * 16)!
        if i % 2 == 0 { keep.append(p) } else { holes.append(p) }
    }
    for p in holes { Heap.release(p) }
    let t = measure("malloc+free of 4 KiB with \(live) small blocks live (\(live / 2) holes)", calls: 20_000) {
        Heap.release(Heap.allocate(4096)!)
    }
    for p in keep { Heap.release(p) }
    return t
}

/// The smallest static x86-64 ELF the kernel runs: one PT_LOAD at 0x400000 whose code is
/// `mov eax, SV_SYS_EXIT; xor edi, edi; syscall` (ELF-64 spec: header 64 bytes, phdr 56).
func minimalProgram() -> [UInt8] {
    var b = [UInt8](repeating: 0, count: 136)
    func put(_ v: UInt64, at: Int, size: Int) { for i in 0..<size { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
    b[0] = 0x7f; b[1] = 0x45; b[2] = 0x4c; b[3] = 0x46; b[4] = 2; b[5] = 1; b[6] = 1
    put(2, at: 16, size: 2); put(0x3e, at: 18, size: 2); put(1, at: 20, size: 4)
    put(0x400078, at: 24, size: 8); put(64, at: 32, size: 8)
    put(64, at: 52, size: 2); put(56, at: 54, size: 2); put(1, at: 56, size: 2); put(64, at: 58, size: 2)
    put(1, at: 64, size: 4); put(5, at: 68, size: 4); put(0, at: 72, size: 8)
    put(0x400000, at: 80, size: 8); put(0x400000, at: 88, size: 8)
    put(136, at: 96, size: 8); put(136, at: 104, size: 8); put(0x1000, at: 112, size: 8)
    let code: [UInt8] = [0xb8, UInt8(SV_SYS_EXIT), 0, 0, 0, 0x31, 0xff, 0x0f, 0x05]
    for (i, c) in code.enumerated() { b[120 + i] = c }
    return b
}

func ratio(_ t: Timing, _ base: Timing) -> String {
    let tenths = base.median == 0 ? 0 : t.median * 10 / base.median
    return "\(tenths / 10).\(tenths % 10)"
}

func measureProcesses(syscall: Timing) {
    let forkWait = measure("fork + waitpid (the child exits at once)", calls: 300) {
        if case .success(0) = Unix.fork() { System.exit(0) }
        _ = Unix.waitpid(-1)
    }
    print(forkWait.line + " = \(ratio(forkWait, syscall)) syscalls")
    // What eager copying costs per page, against the trap a copy-on-write fault would cost at least.
    let extraPages = 2048
    if case .success(let heap) = Unix.mapAnonymous(length: extraPages * 4096) {
        for page in 0..<extraPages { UnsafeMutablePointer<UInt8>(bitPattern: UInt(heap) + UInt(page * 4096))!.pointee = 1 }
        let bigFork = measure("fork + waitpid with 8 MiB more memory", calls: 60) {
            if case .success(0) = Unix.fork() { System.exit(0) }
            _ = Unix.waitpid(-1)
        }
        print(bigFork.line)
        let perPage = bigFork.median > forkWait.median ? (bigFork.median - forkWait.median) * 1000 / UInt64(extraPages) : 0
        let pagesPerTrap = perPage == 0 ? 0 : syscall.median * 1000 / perPage
        print("bench: fork copies a page in \(perPage / 1000) ns; one trap (a copy-on-write fault at least) costs as much as copying \(pagesPerTrap) pages")
        _ = Unix.munmap(heap, length: extraPages * 4096)
    }
    let image = minimalProgram()
    let forkExec = measure("fork + exec (136-byte ELF) + waitpid", calls: 300) {
        if case .success(0) = Unix.fork() {
            _ = Unix.exec(image: image, arguments: ["tiny"])
            System.exit(99)
        }
        _ = Unix.waitpid(-1)
    }
    print(forkExec.line + " = \(ratio(forkExec, syscall)) syscalls")
    let spawn = measure("spawn (initrd program hello) + wait", calls: 100) {
        let pid = System.spawn("hello quiet")
        _ = System.wait(pid)
    }
    print(spawn.line + " = \(ratio(spawn, syscall)) syscalls")
    guard case .success(let (toChild, childReads)) = Unix.pipe(), case .success(let (childWrites, fromChild)) = Unix.pipe() else { return }
    if case .success(0) = Unix.fork() {
        var byte = [UInt8](repeating: 0, count: 1)
        while case .success(1) = Unix.read(childReads, into: &byte) { _ = Unix.write(childWrites, byte) }
        System.exit(0)
    }
    var byte: [UInt8] = [7]
    let pingPong = measure("pipe round trip (1 byte there and back between two processes)", calls: 5_000) {
        _ = Unix.write(toChild, byte)
        _ = Unix.read(fromChild, into: &byte)
    }
    print(pingPong.line + " = \(ratio(pingPong, syscall)) syscalls")
    _ = Unix.close(toChild)
    _ = Unix.waitpid(-1)
    for fd in [childReads, childWrites, fromChild] { _ = Unix.close(fd) }
    // Throughput: 64 MiB in 256 KiB writes to a reader that drains with 256 KiB reads.
    guard case .success(let (r, w)) = Unix.pipe() else { return }
    let total = 64 << 20, chunk = 256 << 10
    if case .success(0) = Unix.fork() {
        _ = Unix.close(r)
        let block = [UInt8](repeating: 0x5a, count: chunk)
        var sent = 0
        while sent < total { if case .success(let n) = Unix.write(w, block) { sent += n } else { break } }
        System.exit(0)
    }
    _ = Unix.close(w)
    var buffer = [UInt8](repeating: 0, count: chunk)
    var received = 0, reads = 0
    let start = System.clock()
    while case .success(let n) = Unix.read(r, into: &buffer), n > 0 { received += n; reads += 1 }
    let elapsed = System.clock() - start
    _ = Unix.waitpid(-1)
    _ = Unix.close(r)
    let mbPerSecond = elapsed == 0 ? 0 : UInt64(received) * 1000 / elapsed
    print("bench: pipe throughput: \(received >> 20) MiB in \(elapsed / 1_000_000) ms = \(mbPerSecond) MB/s; reader system calls per MiB: \(reads * 1024 * 1024 / max(received, 1)) (writer: \(1024 * 1024 / chunk) per MiB at most)")
}

if System.arguments.count > 1 && System.arguments[1] == "ipc-server" { ipcServer(separate: System.arguments.count > 2) }
let syscall = measure("syscall round trip", calls: 100_000) { System.nop() }
print(syscall.line)
measureIPC(calls: 20_000, syscall: syscall, separate: true)
measureIPC(calls: 20_000, syscall: syscall, separate: false)
let quiet = measureAllocation(live: 0)
print(quiet.line)
let busy = measureAllocation(live: 20_000)
print(busy.line)
let slowdown = quiet.median == 0 ? 0 : busy.median * 10 / quiet.median
print("bench: malloc+free of 4 KiB with 20000 small blocks live / with none: \(slowdown / 10).\(slowdown % 10)")
measureProcesses(syscall: syscall)
System.exit(0)
