// ServiceConnection.swift — a client's connection to a named service (fs, disk0, pipe): look the
// name up, call, and when the server died (EPIPE) find its successor and repeat, sleeping while no
// one serves the name, giving up after the patience period. The one copy of that loop; whether a
// repeated call may be repeated, and what a repeat's answer means, stays with each protocol.
import ABI

public struct ServiceConnection {
    public let service: String
    /// How long a call waits for the service to be (re)started before it gives up; 0: it neither
    /// waits nor repeats (a service whose state dies with its server, like pipes).
    public let patienceNanoseconds: UInt64
    /// The error of a call that found no one serving the name.
    let unavailable: Errno
    var endpoint = 0

    public init(_ service: String, patienceNanoseconds: UInt64, unavailable: Int32 = SV_EPIPE) {
        self.service = service
        self.patienceNanoseconds = patienceNanoseconds
        self.unavailable = Errno(unavailable)
    }

    /// Whether someone serves the name now.
    public var isServed: Bool { Channel.lookup(service) > 0 }

    /// The same, lending `buffer[range]` (`leaseFlags`: whether the server may read and/or write it).
    public mutating func call(_ request: [UInt8], lending buffer: inout [UInt8], _ range: Range<Int>,
                              leaseFlags: Int32) -> Result<(reply: [UInt8], repeated: Bool), Errno> {
        // SAFETY: the slice is bounds-checked by Array and stays valid (and unaliased: `buffer` is
        // inout) for the whole call, repeats included.
        buffer.withUnsafeMutableBytes {
            call(request, lease: UnsafeMutableRawBufferPointer(rebasing: $0[range]), leaseFlags: leaseFlags)
        }
    }

    /// Calls the service with `request` (and `lease`, lent with `leaseFlags`): the reply, and
    /// whether the call was repeated against a new server (the first may have done the work and
    /// died before replying). EPIPE, or `unavailable`, once the patience period is over.
    public mutating func call(_ request: [UInt8], lease: UnsafeMutableRawBufferPointer? = nil,
                              leaseFlags: Int32 = 0) -> Result<(reply: [UInt8], repeated: Bool), Errno> {
        var repeated = false
        // The clock is read only once something goes wrong: the common case is one system call.
        var deadline: UInt64 = 0
        func patient() -> Bool {
            guard patienceNanoseconds > 0 else { return false }
            let now = System.clock()
            if deadline == 0 { deadline = now + patienceNanoseconds }
            return now < deadline
        }
        while true {
            if endpoint <= 0 {
                endpoint = Channel.lookup(service)
                if endpoint <= 0 {                       // not (yet, or again) served
                    guard patient() else { return .failure(unavailable) }
                    System.sleep(nanoseconds: 1_000_000)   // until init has started it again
                    continue
                }
            }
            switch Channel.call(endpoint, request: request, lease: lease, leaseFlags: leaseFlags) {
            case .failure(let e) where e.code == SV_EPIPE:
                endpoint = 0                             // the server went away: find the new one
                repeated = true
                guard patient() else { return .failure(e) }
            case .failure(let e):
                return .failure(e)
            case .success(let reply):
                return .success((reply, repeated))
            }
        }
    }
}
