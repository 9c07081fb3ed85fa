// SchedulerTests.swift — run queues on the host, with one and with two simulated CPUs: round
// robin, blocking and waking, preemption, and IPC between threads on different CPUs.
import ABI
import KernelCore
import Testing

@Test func roundRobinOnOneCPU() {
    let m = Machine()
    let a = m.start("a"), b = m.start("b"), c = m.start("c")
    var order: [Int32] = []
    for _ in 0..<6 {
        order.append(m.kernel.scheduler.pickNext(cpu: 0)!.id)
        m.kernel.scheduler.requestPreemption(cpu: 0)
    }
    #expect(order == [a.pid, b.pid, c.pid, a.pid, b.pid, c.pid])
}

@Test func theCurrentThreadKeepsTheCPUUntilPreemptedOrBlocked() {
    let m = Machine()
    let a = m.start("a"), b = m.start("b")
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(a))
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(a))
    m.kernel.sleep(m.thread(a), nanoseconds: 100, now: 0)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(b))
    m.kernel.sleep(m.thread(b), nanoseconds: 100, now: 0)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) == nil, "nothing runnable: idle")
    m.kernel.wakeSleepers(now: 100)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(a))
}

@Test func aYieldGivesTheTurnAway() {
    let m = Machine()
    let a = m.start("a"), b = m.start("b")
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(a))
    m.kernel.sleep(m.thread(a), nanoseconds: 0, now: 0)        // sleep(0) is a yield
    #expect(m.thread(a).isRunnable)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(b))
    m.kernel.scheduler.requestPreemption(cpu: 0)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(a))
}

@Test func aDeadThreadIsNeverPicked() {
    let m = Machine()
    let a = m.start("a"), b = m.start("b")
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(a))
    let ta = m.thread(a)
    _ = m.kernel.exit(a, status: 0)
    #expect(ta.state == .dead)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(b))
    m.kernel.scheduler.requestPreemption(cpu: 0)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(b))
}

@Test func twoCPUsNeverRunTheSameThreadAndShareTheWork() {
    let m = Machine(cpus: 2)
    let processes = (0..<6).map { m.start("p\($0)") }
    var ran = Set<Int32>()
    for round in 0..<12 {
        let t0 = m.kernel.scheduler.pickNext(cpu: 0), t1 = m.kernel.scheduler.pickNext(cpu: 1)
        #expect(t0 != nil && t1 != nil, "round \(round): both CPUs have work")
        #expect(t0 !== t1, "round \(round): one thread on one CPU")
        ran.insert(t0!.id); ran.insert(t1!.id)
        m.kernel.scheduler.requestPreemption(cpu: 0)
        m.kernel.scheduler.requestPreemption(cpu: 1)
    }
    #expect(ran == Set(processes.map(\.pid)), "every thread ran")
}

@Test func anIdleCPUTakesWorkFromABusyOne() {
    let m = Machine(cpus: 2)
    let a = m.start("a"), b = m.start("b")
    // Both were queued; CPU 1 finds its queue empty or not, and still gets the other thread.
    let first = m.kernel.scheduler.pickNext(cpu: 0)
    let second = m.kernel.scheduler.pickNext(cpu: 1)
    #expect(Set([first!.id, second!.id]) == Set([a.pid, b.pid]))
    #expect(m.kernel.scheduler.pickNext(cpu: 1) === second, "CPU 1 keeps its thread")
}

@Test func ipcBetweenThreadsOnTwoCPUs() {
    let m = Machine(cpus: 2)
    let server = m.start("fsd"), client = m.start("cat")
    let s = m.thread(server), c = m.thread(client)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    // CPU 0 runs the server, CPU 1 the client.
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === s)
    #expect(m.kernel.scheduler.pickNext(cpu: 1) === c)
    _ = m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)
    #expect(m.kernel.scheduler.pickNext(cpu: 0) == nil, "the server waits: CPU 0 idles")
    _ = m.kernel.call(c, endpoint: e, call([9]))
    #expect(m.kernel.scheduler.pickNext(cpu: 1) === s, "the woken server runs where there is room")
    #expect(m.kernel.scheduler.pickNext(cpu: 0) == nil)
    _ = m.kernel.reply(s, caller: client.pid, bytes: [1])
    m.kernel.scheduler.requestPreemption(cpu: 1)
    let next = m.kernel.scheduler.pickNext(cpu: 0) ?? m.kernel.scheduler.pickNext(cpu: 1)
    #expect(next === c, "the client runs again after the reply")
    #expect(c.completion?.result == 1)
}
