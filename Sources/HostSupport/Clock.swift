// Clock.swift — CLOCK_MONOTONIC in nanoseconds: the timeline for run statistics and timeouts
// (wall-clock changes must not stretch or cut a --timeout).
import Glibc

public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The monotonic time `seconds` from now, saturating; a non-positive or NaN delay is now.
public func monotonicDeadline(afterSeconds seconds: Double) -> UInt64 {
    let now = monotonicNanoseconds()
    guard seconds > 0 else { return now }
    let delay = seconds * 1e9
    guard delay < 1.8e19 else { return .max }   // UInt64.max is about 1.8447e19
    let (deadline, overflow) = now.addingReportingOverflow(UInt64(delay))
    return overflow ? .max : deadline
}
