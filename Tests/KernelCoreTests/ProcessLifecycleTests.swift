// ProcessLifecycleTests.swift — the kernel core's process life cycle on the host: start, exit,
// wait, reap, orphans going to init, zombies nobody waits for, kill, the process-table bound.
import ABI
import KernelCore
import Testing

/// A kernel state with processes started by name; pids are handed out in order from 1.
final class Machine {
    let kernel: KernelState
    init(cpus: Int = 1) { kernel = KernelState(cpuCount: cpus) }

    @discardableResult
    func start(_ name: String, parent: Int32 = 0) -> Process {
        let pid = try! kernel.reservePID().get()
        let p = Process(pid: pid, parentPID: parent, name: Array(name.utf8))
        kernel.start(p, thread: Thread(id: pid, pid: pid))
        return p
    }

    func thread(_ p: Process) -> Thread { p.mainThread! }
    var pids: [Int32] { kernel.processes.map(\.pid) }
}

@Test func startedProcessesAreRunnableInPIDOrder() {
    let m = Machine()
    let a = m.start("init"), b = m.start("b", parent: 1)
    #expect(a.pid == 1 && b.pid == 2)
    #expect(m.kernel.displayState(b) == UInt32(SV_PROCESS_RUNNABLE))
    #expect(m.kernel.scheduler.pickNext(cpu: 0) === m.thread(a))
}

@Test func waitForAnExitedChildReapsItAndReportsItsStatusAndPID() {
    let m = Machine()
    let parent = m.start("init"), child = m.start("child", parent: 1)
    _ = m.kernel.exit(child, status: 42)
    #expect(child.isZombie)
    #expect(m.kernel.displayState(child) == UInt32(SV_PROCESS_ZOMBIE))
    let t = m.thread(parent)
    #expect(m.kernel.wait(t, pid: 0, whoAddress: 0x1000) == .success(.reaped))
    #expect(t.completion?.result == 42)
    #expect(t.completion?.bytes == [2, 0, 0, 0, 0, 0, 0, 0])
    #expect(t.completion?.address == 0x1000)
    #expect(m.pids == [1])
}

@Test func waitBlocksUntilTheChildExits() {
    let m = Machine()
    let parent = m.start("init"), child = m.start("child", parent: 1)
    let t = m.thread(parent)
    #expect(m.kernel.wait(t, pid: child.pid, whoAddress: 0) == .success(.blocked))
    #expect(t.blockReason == .waitingForChild(pid: 2))
    #expect(m.kernel.displayState(parent) == UInt32(SV_PROCESS_BLOCKED))
    _ = m.kernel.exit(child, status: 3)
    #expect(t.isRunnable)
    #expect(t.completion?.result == 3)
    #expect(t.completion?.bytes == [])
    #expect(m.pids == [1])
}

@Test func waitForAnotherChildKeepsWaiting() {
    let m = Machine()
    let parent = m.start("init"), first = m.start("a", parent: 1), second = m.start("b", parent: 1)
    let t = m.thread(parent)
    #expect(m.kernel.wait(t, pid: second.pid, whoAddress: 0) == .success(.blocked))
    _ = m.kernel.exit(first, status: 1)
    #expect(!t.isRunnable, "the exit of another child does not end wait(\(second.pid))")
    #expect(first.isZombie && m.pids == [1, 2, 3])
}

@Test func waitWithoutChildrenIsECHILD() {
    let m = Machine()
    let p = m.start("init")
    #expect(err(m.kernel.wait(m.thread(p), pid: 0, whoAddress: 0)) == SV_ECHILD)
    let other = m.start("x", parent: 0)
    #expect(err(m.kernel.wait(m.thread(p), pid: other.pid, whoAddress: 0)) == SV_ECHILD)
}

@Test func orphansGoToInitAndZombieOrphansAreReaped() {
    let m = Machine()
    m.start("init")
    let middle = m.start("middle", parent: 1)
    let live = m.start("live", parent: middle.pid), dead = m.start("dead", parent: middle.pid)
    _ = m.kernel.exit(dead, status: 0)                  // a zombie: middle never waits for it
    #expect(m.pids == [1, 2, 3, 4])
    _ = m.kernel.exit(middle, status: 0)
    #expect(live.parentPID == 1, "orphans go to init")
    #expect(m.kernel.process(dead.pid) == nil, "a zombie whose parent died is reaped: nobody can wait for it")
    #expect(m.pids == [1, 2, 3])                        // middle stays a zombie until init waits
    let initThread = m.kernel.process(1)!.mainThread!
    #expect(m.kernel.wait(initThread, pid: 0, whoAddress: 0) == .success(.reaped))
    #expect(m.pids == [1, 3])
    _ = m.kernel.exit(live, status: 5)
    #expect(m.kernel.wait(initThread, pid: 0, whoAddress: 0) == .success(.reaped))
    #expect(initThread.completion?.result == 5)
    #expect(m.pids == [1])
}

@Test func initExitingAsksForPowerOff() {
    let m = Machine()
    let i = m.start("init")
    #expect(m.kernel.exit(i, status: 7).powerOff)
    #expect(!m.kernel.exit(i, status: 7).powerOff, "a second exit of a zombie does nothing")
}

@Test func killEndsWithSIGKILLStatusButNeverInit() {
    let m = Machine()
    m.start("init")
    let victim = m.start("victim", parent: 1)
    #expect(err(m.kernel.kill(1)) == SV_EPERM)
    #expect(err(m.kernel.kill(99)) == SV_ESRCH)
    _ = try? m.kernel.kill(victim.pid).get()
    #expect(victim.isZombie && victim.exitStatus == 137)
    #expect(err(m.kernel.kill(victim.pid)) == SV_ESRCH, "a zombie cannot be killed again")
    #expect(victim.threads.allSatisfy { $0.state == .dead })
    #expect(m.kernel.threads.count == 1)
}

@Test func theProcessTableIsBounded() {
    let m = Machine()
    for _ in 0..<KernelState.maximumProcesses { m.start("p") }
    #expect(err(m.kernel.reservePID()) == SV_EAGAIN)
    _ = m.kernel.exit(m.kernel.processes[5], status: 0)
    _ = m.kernel.exit(m.kernel.processes[0], status: 0)    // init: the zombie at 5 is not its child
    #expect(err(m.kernel.reservePID()) == SV_EAGAIN, "zombies count until reaped")
}

@Test func sleepersWakeAtTheirDeadline() {
    let m = Machine()
    let p = m.start("init")
    let t = m.thread(p)
    m.kernel.sleep(t, nanoseconds: 1_000, now: 5_000)
    #expect(t.blockReason == .sleeping(until: 6_000))
    m.kernel.wakeSleepers(now: 5_999)
    #expect(!t.isRunnable)
    m.kernel.wakeSleepers(now: 6_000)
    #expect(t.isRunnable && t.completion?.result == 0)
    m.kernel.sleep(t, nanoseconds: UInt64.max, now: 10)
    #expect(t.blockReason == .sleeping(until: UInt64.max), "the deadline saturates")
}

@Test func consoleReadBlocksUntilInputIsHandedOver() {
    let m = Machine()
    let t = m.thread(m.start("sh"))
    m.kernel.waitForConsole(t, address: 0x5000, length: 10)
    #expect(m.kernel.consoleReader === t)
    m.kernel.completeConsoleRead(t, bytes: Array("ls\n".utf8), at: 0x5000)
    #expect(t.isRunnable && t.completion == Completion(result: 3, bytes: Array("ls\n".utf8), at: 0x5000))
    #expect(m.kernel.consoleReader == nil)
}

@Test func deviceInterruptsWakeTheirDriverOrAreRemembered() {
    let m = Machine()
    m.kernel.setDeviceCount(2)
    let driver = m.start("blkd"), other = m.start("intruder")
    // Both hold the right to device 0 (the test is of ownership, not rights: DeviceRightsTests).
    driver.deviceRights = 0b11
    other.deviceRights = 0b01
    let t = m.thread(driver)
    #expect(ok(m.kernel.claimDevice(0, by: driver)))
    #expect(err(m.kernel.claimDevice(0, by: other)) == SV_EBUSY)
    #expect(err(m.kernel.claimDevice(2, by: driver)) == SV_ENODEV)
    #expect(err(m.kernel.waitForInterrupt(m.thread(other), device: 0)) == SV_EBUSY)
    // An interrupt before the wait is remembered: the wait returns at once.
    m.kernel.deviceInterrupted(0)
    #expect(ok(m.kernel.waitForInterrupt(t, device: 0)))
    #expect(t.isRunnable && t.completion?.result == 0)
    // Otherwise the wait blocks until the interrupt.
    t.completion = nil
    #expect(ok(m.kernel.waitForInterrupt(t, device: 0)))
    #expect(t.blockReason == .waitingForIRQ(device: 0))
    m.kernel.deviceInterrupted(0)
    #expect(t.isRunnable && t.completion?.result == 0)
    // The driver's end releases its device for the next driver (the machine layer resets it).
    #expect(m.kernel.exit(driver, status: 1).devicesToReset == [0])
    #expect(ok(m.kernel.claimDevice(0, by: other)))
}

@Test func aQuarantinedDeviceIsHandedToNoDriver() {
    // A device that did not reset when its driver ended may still write that driver's memory:
    // the machine layer quarantines it, and no later driver — not even a new one — may claim it.
    let m = Machine()
    m.kernel.setDeviceCount(2)
    let driver = m.start("blkd"), next = m.start("blkd")
    driver.deviceRights = 0b11
    next.deviceRights = 0b11
    #expect(ok(m.kernel.claimDevice(0, by: driver)))
    #expect(m.kernel.exit(driver, status: 9).devicesToReset == [0])
    m.kernel.quarantineDevice(0)
    #expect(err(m.kernel.claimDevice(0, by: next)) == SV_EIO)
    #expect(m.kernel.devices.quarantined == [true, false])
    #expect(ok(m.kernel.claimDevice(1, by: next)), "other devices are not affected")
    m.kernel.quarantineDevice(7)   // out of range: ignored
}

@Test func irqNotifyTurnsInterruptsIntoNoticesOnTheDriversEndpoint() throws {
    let m = Machine()
    m.kernel.setDeviceCount(1)
    let driver = m.start("ttyd"), other = m.start("intruder")
    driver.deviceRights = 0b1
    let endpoint = try m.kernel.serve(driver, name: Array("tty".utf8)).get()
    let foreign = try m.kernel.serve(other, name: Array("elsewhere".utf8)).get()
    #expect(err(m.kernel.notifyInterrupts(driver, device: 0, endpoint: endpoint)) == SV_EBUSY, "only the device's driver")
    #expect(ok(m.kernel.claimDevice(0, by: driver)))
    #expect(err(m.kernel.notifyInterrupts(driver, device: 0, endpoint: foreign)) == SV_EPERM, "only an endpoint it serves")
    #expect(err(m.kernel.notifyInterrupts(driver, device: 1, endpoint: endpoint)) == SV_ENODEV)
    // An interrupt remembered for irq_wait before the switch becomes the first notice.
    m.kernel.deviceInterrupted(0)
    #expect(ok(m.kernel.notifyInterrupts(driver, device: 0, endpoint: endpoint)))
    let queued = m.kernel.ipc.endpoint(endpoint)?.notices ?? []
    #expect(queued.count == 1)
    #expect(!m.kernel.devices.pending[0])
    // The notice is what sv_irq_notice says, after the message header: op, then the device index.
    let start = try #require(MemoryLayout<sv_ipc_message>.offset(of: \.buffer))
    let notice = try #require(queued.first).dropFirst(start).prefix(MemoryLayout<sv_irq_notice>.size)
    #expect(Array(notice) == [UInt8(SV_IRQ_NOTICE), 0, 0, 0, 0, 0, 0, 0])
    m.kernel.deviceInterrupted(0)
    #expect(m.kernel.ipc.endpoint(endpoint)?.notices.count == 2, "each interrupt a notice; none for irq_wait")
    #expect(!m.kernel.devices.pending[0])
    // Endpoint 0: back to irq_wait's remembered interrupts.
    #expect(ok(m.kernel.notifyInterrupts(driver, device: 0, endpoint: 0)))
    m.kernel.deviceInterrupted(0)
    #expect(m.kernel.devices.pending[0] && m.kernel.ipc.endpoint(endpoint)?.notices.count == 2)
    // The driver's end forgets the endpoint with the ownership.
    #expect(ok(m.kernel.notifyInterrupts(driver, device: 0, endpoint: endpoint)))
    _ = m.kernel.exit(driver, status: 1)
    #expect(m.kernel.devices.noticeEndpoints[0] == 0 && m.kernel.devices.owners[0] == 0)
}

/// The errno of a failed call, nil if it succeeded.
func err<T>(_ r: Result<T, KernelError>) -> Int32? {
    if case .failure(let e) = r { return e.code }
    return nil
}
func ok<T>(_ r: Result<T, KernelError>) -> Bool { err(r) == nil }

@Test func calendarFieldsToUnixTimeAgreeWithTheRTCEmulation() {
    #expect(Calendar.unixSeconds(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0) == 0)
    #expect(Calendar.unixSeconds(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0) == 951_782_400)
    #expect(Calendar.unixSeconds(year: 2026, month: 12, day: 6, hour: 23, minute: 59, second: 59) == 1_796_601_599)
    #expect(Calendar.unixSeconds(year: 2100, month: 3, day: 1, hour: 0, minute: 0, second: 0) == 4_107_542_400)
    #expect(Calendar.unixSeconds(year: 2026, month: 13, day: 1, hour: 0, minute: 0, second: 0) == nil)
    #expect(Calendar.fromBCD(0x59) == 59 && Calendar.fromBCD(0x20) == 20)
}
