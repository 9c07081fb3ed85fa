// EventLoopTests.swift — the epoll loop and eventfd owner, and the path the VMM builds from them:
// a queue's eventfd (what KVM_IOEVENTFD would signal) wakes the loop, which serves the queue off the
// caller's thread and raises the interrupt through another eventfd (what KVM_IRQFD would read).
import Glibc
import Testing
import Synchronization
import EventLoop
import Virtio
import VirtioBus
import VirtioTestSupport

/// Polls `condition` until it holds. It returns as soon as it does, so the limit only bounds a real
/// failure: 60 s, far above any wait of a correct loop even on a loaded machine or under TSan (a 2 s
/// limit made a slow but correct run fail).
func eventually(_ condition: () -> Bool) -> Bool {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let deadline = now.tv_sec + 60
    while now.tv_sec < deadline {
        if condition() { return true }
        usleep(1000)
        clock_gettime(CLOCK_MONOTONIC, &now)
    }
    return condition()
}

@Suite struct EventLoopTests {
    @Test("an eventfd counts signals until drained")
    func eventFD() throws {
        let e = try EventFD()
        #expect(e.drain() == 0)
        e.signal()
        e.signal()
        #expect(e.drain() == 2)
        #expect(e.drain() == 0)
    }

    @Test("a registered eventfd runs its handler on the loop thread")
    func handlerOnLoopThread() throws {
        let loop = try EventLoop(name: "test-loop")
        let e = try EventFD()
        let calls = Atomic<Int>(0)
        let onCallerThread = Atomic<Bool>(false)
        let caller = pthread_self()
        try loop.register(e) {
            calls.add(1, ordering: .relaxed)
            if pthread_equal(pthread_self(), caller) != 0 { onCallerThread.store(true, ordering: .relaxed) }
        }
        try loop.start()
        e.signal()
        #expect(eventually { calls.load(ordering: .relaxed) == 1 })
        let ranOnCaller = onCallerThread.load(ordering: .relaxed)
        #expect(!ranOnCaller)
        loop.shutdown()
    }

    @Test("an unregistered handler is not called again")
    func unregister() throws {
        let loop = try EventLoop()
        let e = try EventFD()
        let calls = Atomic<Int>(0)
        let token = try loop.register(e) { calls.add(1, ordering: .relaxed) }
        try loop.start()
        e.signal()
        #expect(eventually { calls.load(ordering: .relaxed) == 1 })
        loop.unregister(token)
        e.signal()
        // e stays readable (nobody drains it now), and epoll is level-triggered: had it stayed in
        // the set, every epoll_wait from here on would report it. So once the loop has served two
        // later signals of another eventfd in two separate wake-ups, it has had every chance to call
        // the old handler: no fixed sleep needed.
        let other = try EventFD()
        let otherCalls = Atomic<Int>(0)
        try loop.register(other) { otherCalls.add(1, ordering: .relaxed) }
        other.signal()
        #expect(eventually { otherCalls.load(ordering: .relaxed) == 1 })
        other.signal()
        #expect(eventually { otherCalls.load(ordering: .relaxed) == 2 })
        let count = calls.load(ordering: .relaxed)
        #expect(count == 1)
        loop.shutdown()
    }

    @Test("shutdown joins the thread and is idempotent; the loop can be dropped afterwards")
    func shutdown() throws {
        let loop = try EventLoop()
        try loop.start()
        #expect(loop.isRunning)
        loop.shutdown()
        #expect(!loop.isRunning)
        loop.shutdown()
    }

    @Test("registering a bad descriptor reports the failed call")
    func badDescriptor() throws {
        let loop = try EventLoop()
        #expect(throws: EventLoopError("epoll_ctl(ADD)", errno: EBADF)) {
            try loop.register(fileDescriptor: 9999) {}
        }
    }

    @Test("end to end: queue eventfd → loop → device → used ring → interrupt eventfd")
    func virtioThroughLoop() throws {
        let loop = try EventLoop(name: "virtio-test")
        let irq = try EventFD()                                // what KVM_IRQFD would consume
        let kicks = [try EventFD(), try EventFD()]             // what KVM_IOEVENTFD would signal
        let out = OutputCollector()
        let console = ConsoleDevice(output: out.sink)
        let d = try MockDriver(device: console, queueNotifier: { kicks[$0].signal() }, interrupt: irq)
        let window = d.transport
        for (q, kick) in kicks.enumerated() {
            try loop.register(kick) { window.queueNotified(q) }
        }
        try loop.start()
        defer { loop.shutdown() }

        let queues = d.initialize()
        queues[ConsoleConfig.transmitQueue].submit([d.readable(Array("ping".utf8))])
        #expect(eventually { out.all == Array("ping".utf8) })
        #expect(eventually { queues[ConsoleConfig.transmitQueue].usedIndex == 1 })
        #expect(eventually { irq.drain() >= 1 })

        let rx = queues[ConsoleConfig.receiveQueue]
        let buffer = d.writable(8)
        rx.submit([buffer])
        console.sendInput(Array("pong".utf8))
        #expect(eventually { rx.usedIndex == 1 })
        #expect(rx.takeUsed().map(\.length) == [4])
        #expect(Array(d.bytes(of: buffer).prefix(4)) == Array("pong".utf8))
        #expect(eventually { d.read(.interruptStatus) & InterruptStatus.usedBuffer.rawValue != 0 })
    }
}
