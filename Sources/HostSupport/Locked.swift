// Locked.swift — a value shared between threads, behind a lock ThreadSanitizer understands.
import Glibc

/// A value behind a pthread mutex: the lock for state that threads share in this package, instead
/// of Synchronization's Mutex. That one hands a contended lock over through the kernel
/// (priority-inheritance futexes), an edge ThreadSanitizer cannot see, so `make test`'s TSan run
/// reported the console input's appends (test thread) and drains (loop thread) as a race on
/// 8 December although both held the lock; a pthread mutex is one TSan models, and the suites run
/// under it (scripts/test-tsan.sh) must never report a race that is not there.
public final class PthreadLocked<Value>: @unchecked Sendable {
    // SAFETY: `value` is only touched between lock and unlock of `mutex`, which lives at a stable
    // address (allocated here, freed in deinit).
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
