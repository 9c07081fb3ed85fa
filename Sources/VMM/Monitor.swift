// Monitor.swift — a mutex with a condition variable (pthread), for the few places where one thread
// waits for another (the gdb stub's thread and the vCPU thread; the watchdog and the run loop).
import Glibc

final class Monitor: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()

    init() {
        pthread_mutex_init(&mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(&condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }

    /// Waits (the lock held by the caller, inside `withLock`) until signalled or `milliseconds` pass
    /// (nil: no limit). Returns false on timeout.
    @discardableResult
    func wait(milliseconds: Int? = nil) -> Bool {
        guard let milliseconds else {
            pthread_cond_wait(&condition, &mutex)
            return true
        }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        var deadline = now
        let ns = Int(now.tv_nsec) + (milliseconds % 1000) * 1_000_000
        deadline.tv_sec = now.tv_sec + milliseconds / 1000 + ns / 1_000_000_000
        deadline.tv_nsec = ns % 1_000_000_000
        return pthread_cond_timedwait(&condition, &mutex, &deadline) == 0
    }

    /// Waits (the lock held by the caller, inside `withLock`) until signalled or CLOCK_MONOTONIC
    /// reaches `deadline` nanoseconds (`monotonicNanoseconds()`). Returns false on timeout.
    @discardableResult
    func wait(untilNanoseconds deadline: UInt64) -> Bool {
        var time = timespec()
        time.tv_sec = Int(deadline / 1_000_000_000)
        time.tv_nsec = Int(deadline % 1_000_000_000)
        return pthread_cond_timedwait(&condition, &mutex, &time) == 0
    }

    func broadcast() { pthread_cond_broadcast(&condition) }
}
