// Ticker.swift — the clock of ttyd's VTIME timers (XBD 11.1.7: VTIME counts tenths of a second).
// ttyd waits in receive and has no timeout to wait with, so a child process of its own calls its
// endpoint every 100 ms with a one-byte TICK request, and ttyd then completes the reads whose
// deadline passed (LineDiscipline.advance). ttyd accepts TICK only from this child's pid (the
// kernel stamps the caller), never from the kernel's forwarded calls. The child ends when its
// call fails: ttyd has died (EPIPE), and the next ttyd starts its own.
import ABI
import UserLib

enum Ticker {
    /// The request byte: not an sv_fs.h or sv_tty.h operation.
    static let op: UInt8 = 0xee
    static let period: UInt64 = 100_000_000

    /// Starts the child; its pid (0 if fork failed: VTIME then only counts when input comes).
    static func start(_ endpoint: Int) -> Int {
        switch Unix.fork() {
        case .success(0):
            while true {
                System.sleep(nanoseconds: period)
                guard case .success = Channel.call(endpoint, request: [op]) else { System.exit(0) }
            }
        case .success(let pid): return pid
        case .failure: return 0
        }
    }
}
