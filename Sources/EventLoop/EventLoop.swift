// EventLoop.swift — a small epoll loop on its own thread: descriptors are registered with a handler,
// the thread waits in epoll_wait and runs the handlers of the ready ones. The VMM registers one
// eventfd per virtqueue (the same fd KVM_IOEVENTFD signals), so device work never runs on a vCPU
// thread. Shutdown wakes the thread through an internal eventfd and joins it.
import CEventLoop
import Glibc
import HostSupport
import Synchronization

/// An epoll-based event loop running on one dedicated thread.
///
/// ```swift
/// let loop = try EventLoop(name: "virtio")
/// let kick = try EventFD()
/// let token = try loop.register(kick) { window.queueNotified(0) }  // drains the eventfd first
/// try loop.start()
/// ...
/// loop.shutdown()                                                   // joins the thread
/// ```
///
/// Handlers run one at a time on the loop thread. `register`/`unregister` work from any thread,
/// including from inside a handler. After `unregister` returns on another thread, a handler already
/// running may finish, but it is not started again.
public final class EventLoop: Sendable {
    public typealias Handler = @Sendable () -> Void
    /// Identifies a registration.
    public struct Token: Hashable, Sendable { let value: UInt64 }

    let epollFD: Int32
    let wakeFD: EventFD
    let name: String
    /// Called first on the loop thread (the VMM loads the thread's seccomp filter there).
    let threadStart: Handler?
    let registry = PthreadLocked<Registry>(Registry())
    let thread = PthreadLocked<pthread_t?>(nil)
    let stopping = Atomic<Bool>(false)

    struct Registry {
        var next: UInt64 = 1
        var handlers: [UInt64: (fd: Int32, handler: Handler)] = [:]
    }

    /// The token reserved for the internal wake-up eventfd.
    static let wakeToken: UInt64 = 0

    public init(name: String = "event-loop", threadStart: Handler? = nil) throws(EventLoopError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw EventLoopError("epoll_create1", errno: errno) }
        epollFD = fd
        self.name = name
        self.threadStart = threadStart
        do {
            wakeFD = try EventFD()
        } catch {
            close(fd)
            throw error
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = EventLoop.wakeToken
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD.fileDescriptor, &event) == 0 else {
            let e = errno
            close(fd)
            throw EventLoopError("epoll_ctl(ADD wake)", errno: e)
        }
    }

    deinit {
        shutdown()
        close(epollFD)
    }

    /// Calls `handler` on the loop thread whenever `fd` is readable (level-triggered).
    @discardableResult
    public func register(fileDescriptor fd: Int32, _ handler: @escaping Handler) throws(EventLoopError) -> Token {
        let token = registry.withLock { r in
            let t = r.next
            r.next += 1
            r.handlers[t] = (fd: fd, handler: handler)
            return t
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = token
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            let e = errno
            _ = registry.withLock { $0.handlers.removeValue(forKey: token) }
            throw EventLoopError("epoll_ctl(ADD)", errno: e)
        }
        return Token(value: token)
    }

    /// Calls `handler` on the loop thread after each signal of `eventFD` (the counter is drained
    /// first, so several signals before the loop runs cause one call).
    @discardableResult
    public func register(_ eventFD: EventFD, _ handler: @escaping Handler) throws(EventLoopError) -> Token {
        try register(fileDescriptor: eventFD.fileDescriptor) {
            eventFD.drain()
            handler()
        }
    }

    /// Removes a registration; its handler is not started again.
    public func unregister(_ token: Token) {
        guard let entry = registry.withLock({ $0.handlers.removeValue(forKey: token.value) }) else { return }
        // ENOENT/EBADF: the descriptor was closed already, which removed it from the epoll set.
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, entry.fd, nil)
    }

    /// Starts the loop thread.
    public func start() throws(EventLoopError) {
        try thread.withLock { (t: inout pthread_t?) throws(EventLoopError) in
            precondition(t == nil, "EventLoop.start called twice")
            let box = Unmanaged.passRetained(self)
            var handle = pthread_t()
            let r = pthread_create(&handle, nil, { context in
                let loop = Unmanaged<EventLoop>.fromOpaque(context!).takeRetainedValue()
                loop.run()
                return nil
            }, box.toOpaque())
            guard r == 0 else {
                box.release()
                throw EventLoopError("pthread_create", errno: r)
            }
            t = handle
        }
    }

    /// Whether `start` was called and `shutdown` was not.
    public var isRunning: Bool { thread.withLock { $0 != nil } && !stopping.load(ordering: .acquiring) }

    /// Stops the loop and waits for its thread to exit. Idempotent; must not be called from a
    /// handler (the thread cannot join itself).
    public func shutdown() {
        guard let handle = thread.withLock({ t -> pthread_t? in
            defer { t = nil }
            return t
        }) else { return }
        precondition(pthread_equal(handle, pthread_self()) == 0, "EventLoop.shutdown called from its own thread")
        stopping.store(true, ordering: .releasing)
        wakeFD.signal()
        pthread_join(handle, nil)
        stopping.store(false, ordering: .releasing)
    }

    private func run() {
        setThreadName()
        threadStart?()
        let capacity = 32
        var events = [epoll_event](repeating: epoll_event(), count: capacity)
        while !stopping.load(ordering: .acquiring) {
            let n = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, Int32(capacity), -1) }
            if n < 0 {
                if errno == EINTR { continue }
                preconditionFailure("epoll_wait: \(String(cString: strerror(errno)))")
            }
            for i in 0 ..< Int(n) {
                let token = events[i].data.u64
                if token == EventLoop.wakeToken {
                    wakeFD.drain()
                    continue
                }
                // Looked up per event: a handler earlier in this batch may have unregistered it.
                guard let handler = registry.withLock({ $0.handlers[token]?.handler }) else { continue }
                handler()
            }
        }
    }

    private func setThreadName() {
        setCurrentThreadName(name)
    }
}
