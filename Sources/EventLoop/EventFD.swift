// EventFD.swift — owner of one eventfd(2): the doorbell between KVM and the device threads. The VMM
// hands `fileDescriptor` to KVM_IOEVENTFD (guest → device: a queue notification) or KVM_IRQFD
// (device → guest: an interrupt); the event loop waits on it.
import CEventLoop
import Glibc

/// An eventfd counter, closed when the owner goes away.
///
/// A class, not a `~Copyable` struct: the same eventfd is shared by the event loop (which reads
/// it), the device (which signals it) and KVM (which holds the descriptor), on different threads.
/// `signal()` and `drain()` are single system calls and safe from any thread.
public final class EventFD: Sendable {
    public let fileDescriptor: Int32

    /// Creates a non-blocking, close-on-exec eventfd with counter 0.
    public init() throws(EventLoopError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw EventLoopError("eventfd", errno: errno) }
        fileDescriptor = fd
    }

    deinit { close(fileDescriptor) }

    /// Adds 1 to the counter, waking a waiter. (Matches `InterruptLine.signal()`, so the VMM can
    /// declare `extension EventFD: InterruptLine {}` for an irqfd.)
    public func signal() {
        var one: UInt64 = 1
        while true {
            let n = write(fileDescriptor, &one, 8)
            if n == 8 { return }
            if n < 0 && errno == EINTR { continue }
            // EAGAIN: the counter is at its maximum, i.e. the reader already has a pending wake-up.
            // EBADF/EINVAL on our own descriptor would be our bug.
            precondition(n < 0 && errno == EAGAIN, "eventfd write failed: \(String(cString: strerror(errno)))")
            return
        }
    }

    /// Reads and resets the counter; returns 0 if it was already 0.
    @discardableResult
    public func drain() -> UInt64 {
        var value: UInt64 = 0
        while true {
            let n = read(fileDescriptor, &value, 8)
            if n == 8 { return value }
            if n < 0 && errno == EINTR { continue }
            precondition(n < 0 && errno == EAGAIN, "eventfd read failed: \(String(cString: strerror(errno)))")
            return 0
        }
    }
}
