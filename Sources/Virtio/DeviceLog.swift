// DeviceLog.swift — the rate-limited log a device writes guest errors to. A hostile guest can make
// a device fail a request per doorbell; the log must not become the host's bottleneck, so at most
// `burst` lines per second are written and the rest are counted and summarised.
import Glibc
import HostSupport
import Synchronization

/// Where a device reports guest protocol errors and unusual host conditions.
///
/// Every report is counted (`guestErrorCount`, for tests and metrics); at most `burst` lines per
/// second reach the sink, later ones in the same second are summarised as "N more suppressed".
public final class DeviceLog: Sendable {
    public typealias Sink = @Sendable (String) -> Void

    /// Writes a line to standard error.
    public static let standardError: Sink = { line in
        let text = line + "\n"
        var remaining = Array(text.utf8)[...]
        while !remaining.isEmpty {
            let n = remaining.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            remaining = remaining.dropFirst(n)
        }
    }

    public let label: String
    let sink: Sink
    let burst: Int
    let errors = Atomic<Int>(0)
    let window = PthreadLocked<(second: Int, printed: Int, suppressed: Int)>((second: -1, printed: 0, suppressed: 0))

    /// - Parameters:
    ///   - label: prefix of every line, e.g. "virtio-blk@0xd0000000".
    ///   - burst: lines per second that reach `sink`.
    public init(label: String, burst: Int = 10, sink: @escaping Sink = DeviceLog.standardError) {
        self.label = label
        self.sink = sink
        self.burst = burst
    }

    /// Number of guest errors reported so far (printed or not).
    public var guestErrorCount: Int { errors.load(ordering: .relaxed) }

    /// Reports a guest protocol error: a defined reaction followed (status, ignore, DEVICE_NEEDS_RESET).
    public func guestError(_ message: @autoclosure () -> String) {
        errors.add(1, ordering: .relaxed)
        emit(message)
    }

    /// Reports a host-side condition (an I/O error from the backing file, a full input buffer).
    public func warning(_ message: @autoclosure () -> String) {
        emit(message)
    }

    private func emit(_ message: () -> String) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let second = now.tv_sec
        let (print, summary): (Bool, Int) = window.withLock { w in
            var summary = 0
            if w.second != second {
                summary = w.suppressed
                w = (second: second, printed: 0, suppressed: 0)
            }
            if w.printed < burst {
                w.printed += 1
                return (true, summary)
            }
            w.suppressed += 1
            return (false, summary)
        }
        if summary > 0 { sink("\(label): \(summary) more messages suppressed") }
        if print { sink("\(label): \(message())") }
    }
}
