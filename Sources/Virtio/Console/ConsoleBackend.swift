// ConsoleBackend.swift — the host side of the console: a bounded buffer of input bytes waiting for
// the guest's receive buffers, and the sink guest output goes to.
import Glibc

/// Bytes from the host (a terminal, a test) waiting for the guest. Bounded: when the guest does not
/// read, new input is dropped and counted rather than growing without limit.
final class ConsoleInput: @unchecked Sendable {
    let capacity: Int
    let state = PthreadLocked<(bytes: [UInt8], dropped: Int)>((bytes: [], dropped: 0))

    init(capacity: Int) { self.capacity = capacity }

    /// Appends what fits; returns how many bytes were accepted.
    func append(_ bytes: [UInt8]) -> Int {
        state.withLock { s in
            let n = min(bytes.count, capacity - s.bytes.count)
            s.bytes.append(contentsOf: bytes.prefix(n))
            s.dropped += bytes.count - n
            return n
        }
    }

    var isEmpty: Bool { state.withLock { $0.bytes.isEmpty } }
    var dropped: Int { state.withLock { $0.dropped } }

    /// Moves up to `limit` bytes into `writer`; returns how many.
    func drain(into writer: inout ChainWriter, limit: Int) -> Int {
        state.withLock { s in
            let n = min(limit, s.bytes.count)
            let written = s.bytes.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[0 ..< n])) }
            s.bytes.removeFirst(written)
            return written
        }
    }
}

/// Receives guest console output, on the thread that serves the transmit queue (the event loop).
/// It should not block for long: the VMM writes to a non-blocking terminal or a buffer.
public typealias ConsoleOutputSink = @Sendable ([UInt8]) -> Void

/// A value behind a pthread mutex. Synchronization's Mutex hands a contended lock over through the
/// kernel (priority-inheritance futexes), an edge ThreadSanitizer cannot see, so `make test`'s TSan
/// run reported the console input's appends (test thread) and drains (loop thread) as a race on
/// 8 December although both held the lock; a pthread mutex is one TSan models.
final class PthreadLocked<Value>: @unchecked Sendable {
    // SAFETY: `value` is only touched between lock and unlock of `mutex`, which lives at a stable
    // address (allocated here, freed in deinit).
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
