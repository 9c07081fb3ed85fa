// CrashAfter.swift — the servers' `crash-after N` option, for the restart tests: a real fault (not
// an exit) on the Nth request, so the kernel ends the server as it would a buggy one and the
// clients' repeats and init's restart are exercised.
// `hang-after N` instead stops answering on the Nth request (sleeps for ever), for the watchdog's
// test: a server that hangs rather than crashes.
public struct CrashAfter {
    let program: String
    let limit: Int
    let hangs: Bool
    var served = 0

    /// Reads `PROGRAM crash-after N` or `PROGRAM hang-after N` from this process's arguments (no
    /// option: never).
    public init(_ program: String) {
        self.program = program
        let arguments = System.arguments
        if arguments.count == 3 && (arguments[1] == "crash-after" || arguments[1] == "hang-after"), let n = Int(arguments[2]), n > 0 {
            limit = n
            hangs = arguments[1] == "hang-after"
        } else {
            limit = Int.max
            hangs = false
        }
    }

    /// Counts one request; on the Nth, says so and faults (or hangs).
    public mutating func request() {
        served += 1
        guard served == limit else { return }
        if hangs {
            print("\(program): hanging on request \(served), as asked")
            while true { System.sleep(nanoseconds: 3_600_000_000_000) }
        }
        print("\(program): crashing on request \(served), as asked")
        System.faultForTesting()
    }
}
