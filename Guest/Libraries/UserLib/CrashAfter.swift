// CrashAfter.swift — the servers' `crash-after N` option, for the restart tests: a real fault (not
// an exit) on the Nth request, so the kernel ends the server as it would a buggy one and the
// clients' repeats and init's restart are exercised.
public struct CrashAfter {
    let program: String
    let limit: Int
    var served = 0

    /// Reads `PROGRAM crash-after N` from this process's arguments (no option: never).
    public init(_ program: String) {
        self.program = program
        let arguments = System.arguments
        if arguments.count == 3 && arguments[1] == "crash-after", let n = Int(arguments[2]), n > 0 { limit = n } else { limit = Int.max }
    }

    /// Counts one request; on the Nth, says so and faults.
    public mutating func request() {
        served += 1
        if served == limit {
            print("\(program): crashing on request \(served), as asked")
            System.faultForTesting()
        }
    }
}
