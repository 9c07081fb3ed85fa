// bench — the guest side of `make bench`: system-call round trip (SV_SYS_NOP), min and median
// over 100,000 calls, timed with the TSC and converted to ns with the kernel's clock.
import UserLib

func measureSyscalls(calls: Int) {
    var samples = [UInt64](repeating: 0, count: calls)
    let startNS = System.clock()
    let startTSC = System.timestamp()
    for i in 0..<calls {
        let t0 = System.timestamp()
        System.nop()
        samples[i] = System.timestamp() &- t0
    }
    let totalTSC = System.timestamp() &- startTSC
    let totalNS = System.clock() &- startNS
    samples.sort()
    func nanoseconds(_ cycles: UInt64) -> UInt64 { totalTSC == 0 ? 0 : cycles * totalNS / totalTSC }
    print("bench: syscall round trip over \(calls) calls: min \(nanoseconds(samples[0])) ns, median \(nanoseconds(samples[calls / 2])) ns, p99 \(nanoseconds(samples[calls * 99 / 100])) ns")
}

measureSyscalls(calls: 100_000)
