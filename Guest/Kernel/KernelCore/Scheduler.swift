// Scheduler.swift — per-CPU run queues and round-robin choice. Each CPU's state is explicit
// (its current thread, its queue, a preemption request), so a second CPU is one more element and
// not a rewrite; a host test runs two simulated CPUs. The scheduler only orders threads: blocking
// and waking are decided by the callers (IPC, wait, devices) through `block` and `wake`.

public struct CPU {
    public let index: Int
    /// The thread this CPU runs (or is returning to), if any.
    public internal(set) var current: Thread? = nil
    /// Runnable threads waiting for this CPU, first in first out.
    var queue: [Thread] = []
    /// Set by the timer tick or yield: the current thread used up its turn.
    public var preemptRequested = false

    init(index: Int) { self.index = index }

    public var queuedCount: Int { queue.count }
}

public struct Scheduler {
    public internal(set) var cpus: [CPU]

    public init(cpuCount: Int) {
        precondition(cpuCount > 0, "a machine has at least one CPU")
        cpus = (0..<cpuCount).map { CPU(index: $0) }
    }

    /// Makes `t` runnable and queues it: on the CPU it last ran on, or on the least loaded CPU
    /// if that is busier. A thread already queued or running stays where it is.
    public mutating func wake(_ t: Thread) {
        guard t.state != .dead else { return }
        t.state = .runnable
        guard !t.isQueued, !isCurrent(t), !t.isStopped else { return }
        var target = t.cpu
        if target >= cpus.count { target = 0 }
        if let lighter = cpus.indices.min(by: { load($0) < load($1) }), load(lighter) + 1 < load(target) { target = lighter }
        enqueue(t, on: target)
    }

    /// The thread stops being runnable for `reason` (it is some CPU's current thread, or queued).
    public mutating func block(_ t: Thread, _ reason: BlockReason) {
        t.state = .blocked(reason)
        dequeue(t)
    }

    /// The thread will never run again (its process exited).
    public mutating func retire(_ t: Thread) {
        t.state = .dead
        dequeue(t)
        for i in cpus.indices where cpus[i].current === t { cpus[i].current = nil }
    }

    /// The thread to run next on `cpu`: its current one unless it blocked, died or was preempted;
    /// otherwise the first in its queue (a preempted current goes to the back), or one taken from
    /// the busiest other CPU. Sets and returns the CPU's new current thread (nil: idle).
    public mutating func pickNext(cpu index: Int) -> Thread? {
        let preempt = cpus[index].preemptRequested
        cpus[index].preemptRequested = false
        if let c = cpus[index].current {
            if c.isRunnable && !c.isStopped && !preempt { return c }
            cpus[index].current = nil
            if c.isRunnable && !c.isStopped { enqueue(c, on: index) }
        }
        var next: Thread? = nil
        if !cpus[index].queue.isEmpty {
            next = cpus[index].queue.removeFirst()
        } else if let busiest = cpus.indices.max(by: { cpus[$0].queue.count < cpus[$1].queue.count }),
                  busiest != index, !cpus[busiest].queue.isEmpty {
            next = cpus[busiest].queue.removeFirst()
        }
        guard let t = next else { return nil }
        t.isQueued = false
        t.cpu = index
        cpus[index].current = t
        return t
    }

    /// Its process stopped (SIGSTOP and co.): off the run queue until `resume`, whatever its state.
    public mutating func stop(_ t: Thread) {
        t.isStopped = true
        dequeue(t)
    }

    /// Its process continued: queued again if it is runnable.
    public mutating func resume(_ t: Thread) {
        guard t.isStopped else { return }
        t.isStopped = false
        if t.isRunnable { wake(t) }
    }

    public mutating func requestPreemption(cpu index: Int) { cpus[index].preemptRequested = true }

    public func current(cpu index: Int) -> Thread? { cpus[index].current }

    public func isCurrent(_ t: Thread) -> Bool { cpus.contains { $0.current === t } }

    func load(_ index: Int) -> Int { cpus[index].queue.count + (cpus[index].current == nil ? 0 : 1) }

    mutating func enqueue(_ t: Thread, on index: Int) {
        precondition(!t.isQueued, "a thread is on one run queue at most")
        t.isQueued = true
        t.cpu = index
        cpus[index].queue.append(t)
    }

    mutating func dequeue(_ t: Thread) {
        guard t.isQueued else { return }
        for i in cpus.indices { cpus[i].queue.removeAll { $0 === t } }
        t.isQueued = false
    }
}
