// bench — the guest side of `make bench`: system-call round trip (SV_SYS_NOP), min and median
// over 100,000 calls, timed with the TSC and converted to ns with the kernel's clock; then an IPC
// round trip to a server process (`bench ipc-server`), reported against the system call measured
// in the same run.
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
    func nanoseconds(_ cycles: UInt64) -> UInt64 { totalTSC == 0 ? 0 : cycles * totalNS / totalTSC }
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
System.exit(0)
