// SignalTests.swift — the kernel core's signal decisions on the host (XSH 2.4): dispositions,
// masks and pending sets (SignalState), and what sending does to processes (SignalDelivery):
// terminate, stop and continue with waitpid's reports and SIGCHLD, interrupted waits, alarms,
// kill's targets, process groups and sessions, SIGHUP when a session leader exits.
import ABI
import KernelCore
import Testing

private let handler = SignalAction(handler: 0x40_1000, flags: SigFlag.RESTORER, restorer: 0x40_2000)

// ---- SignalState: the pure decisions ----

@Test func defaultActionsFollowPOSIX() {
    let s = SignalState()
    #expect(s.decide(Sig.TERM) == .terminate)
    #expect(s.decide(Sig.SEGV) == .terminate)
    #expect(s.decide(40) == .terminate, "real-time signals terminate")
    #expect(s.decide(Sig.CHLD) == .ignore)
    #expect(s.decide(Sig.WINCH) == .ignore)
    #expect(s.decide(Sig.URG) == .ignore)
    #expect(s.decide(Sig.CONT) == .continue)
    for stop in [Sig.STOP, Sig.TSTP, Sig.TTIN, Sig.TTOU] { #expect(s.decide(stop) == .stop) }
}

@Test func killAndStopCannotBeCaughtIgnoredOrBlocked() {
    var s = SignalState()
    let r1 = s.setAction(Sig.KILL, handler)
    #expect(err(r1) == SV_EINVAL)
    let r2 = s.setAction(Sig.STOP, SignalAction(handler: SignalAction.ignoreHandler))
    #expect(err(r2) == SV_EINVAL)
    let r3 = s.setAction(0, handler)
    #expect(err(r3) == SV_EINVAL)
    let r4 = s.setAction(65, handler)
    #expect(err(r4) == SV_EINVAL)
    let r5 = s.setAction(Sig.USR1, SignalAction(handler: 5, flags: 0x2000))
    #expect(err(r5) == SV_EINVAL, "unknown flag")
    let r6 = s.setAction(Sig.KILL, nil)
    #expect((try? r6.get()) == .byDefault, "reading SIGKILL's action is allowed")
    _ = s.changeMask(how: 2, ~0)
    #expect(s.blocked == ~Sig.unblockable)
    let r7 = s.generate(SignalInfo(signal: Sig.KILL))
    #expect(r7)
    #expect(s.nextDeliverable() == Sig.KILL, "SIGKILL is never blocked")
    // A handler's sa_mask cannot block them either.
    var t = SignalState()
    _ = t.setAction(Sig.USR1, SignalAction(handler: 0x1000, flags: SigFlag.RESTORER, restorer: 0x2000, mask: ~0))
    t.enterHandler(Sig.USR1, t.action(Sig.USR1))
    #expect(t.blocked & Sig.unblockable == 0)
}

@Test func ignoredSignalsAreDiscardedAtGenerationUnlessBlocked() {
    var s = SignalState()
    let r8 = s.generate(SignalInfo(signal: Sig.CHLD))
    #expect(!r8, "default ignore")
    _ = s.setAction(Sig.USR1, SignalAction(handler: SignalAction.ignoreHandler))
    let r9 = s.generate(SignalInfo(signal: Sig.USR1))
    #expect(!r9)
    #expect(s.pending == 0)
    _ = s.changeMask(how: 0, Sig.bit(Sig.USR1))
    let r10 = s.generate(SignalInfo(signal: Sig.USR1))
    #expect(r10, "blocked: stays pending (Linux)")
    #expect(s.pending == Sig.bit(Sig.USR1))
    // Setting an ignore action discards the pending signal (XSH 2.4.3).
    _ = s.setAction(Sig.USR1, SignalAction(handler: SignalAction.ignoreHandler))
    #expect(s.pending == 0)
}

@Test func continueDiscardsPendingStopsAndAStopDiscardsPendingContinue() {
    var s = SignalState()
    _ = s.changeMask(how: 2, Sig.bit(Sig.TSTP) | Sig.bit(Sig.TTIN) | Sig.bit(Sig.CONT))
    let r11 = s.generate(SignalInfo(signal: Sig.TSTP))
    #expect(r11)
    let r12 = s.generate(SignalInfo(signal: Sig.TTIN))
    #expect(r12)
    let r13 = s.generate(SignalInfo(signal: Sig.CONT))
    #expect(r13)
    #expect(s.pending == Sig.bit(Sig.CONT))
    let r14 = s.generate(SignalInfo(signal: Sig.TSTP))
    #expect(r14)
    #expect(s.pending == Sig.bit(Sig.TSTP))
}

@Test func blockedSignalsWaitAndTheLowestDeliverableComesFirst() {
    var s = SignalState()
    _ = s.setAction(Sig.USR1, handler)
    _ = s.setAction(Sig.USR2, handler)
    let r15 = s.changeMask(how: 0, Sig.bit(Sig.USR1))
    #expect((try? r15.get()) == 0)
    let r16 = s.generate(SignalInfo(signal: Sig.USR2, pid: 7))
    #expect(r16)
    let r17 = s.generate(SignalInfo(signal: Sig.USR1, pid: 5))
    #expect(r17)
    let r18 = s.generate(SignalInfo(signal: Sig.USR1, pid: 6))
    #expect(r18, "a second instance does not queue")
    #expect(s.nextDeliverable() == Sig.USR2)
    let r19 = s.take(Sig.USR2)
    #expect(r19.pid == 7)
    #expect(s.nextDeliverable() == nil)
    let r20 = s.changeMask(how: 1, Sig.bit(Sig.USR1))
    #expect((try? r20.get()) == Sig.bit(Sig.USR1))
    #expect(s.nextDeliverable() == Sig.USR1)
    let r21 = s.take(Sig.USR1)
    #expect(r21.pid == 5, "the first instance's info")
    #expect(s.pending == 0)
    let r22 = s.changeMask(how: 3, 0)
    #expect(err(r22) == SV_EINVAL)
}

@Test func aHandlerRunsWithItsMaskItselfBlockedAndResetHandRestoresTheDefault() {
    var s = SignalState()
    let a = SignalAction(handler: 0x1000, flags: SigFlag.RESTORER | SigFlag.RESETHAND, restorer: 0x2000, mask: Sig.bit(Sig.USR2))
    _ = s.setAction(Sig.USR1, a)
    #expect(s.decide(Sig.USR1) == .handler(a))
    s.enterHandler(Sig.USR1, a)
    #expect(s.blocked == Sig.bit(Sig.USR1) | Sig.bit(Sig.USR2))
    #expect(s.action(Sig.USR1) == .byDefault)
    var n = SignalState()
    let b = SignalAction(handler: 0x1000, flags: SigFlag.RESTORER | SigFlag.NODEFER, restorer: 0x2000)
    _ = n.setAction(Sig.USR1, b)
    n.enterHandler(Sig.USR1, b)
    #expect(n.blocked == 0, "SA_NODEFER: the signal itself is not blocked")
}

@Test func forkClearsPendingKeepsMaskAndExecResetsHandlersKeepsIgnore() {
    var s = SignalState()
    _ = s.setAction(Sig.USR1, handler)
    _ = s.setAction(Sig.USR2, SignalAction(handler: SignalAction.ignoreHandler))
    _ = s.changeMask(how: 2, Sig.bit(Sig.TERM))
    let r23 = s.generate(SignalInfo(signal: Sig.TERM))
    #expect(r23)
    let child = s.forked()
    #expect(child.pending == 0)
    #expect(child.blocked == Sig.bit(Sig.TERM))
    #expect(child.action(Sig.USR1) == handler)
    s.execed()
    #expect(s.action(Sig.USR1) == .byDefault)
    #expect(s.action(Sig.USR2).handler == SignalAction.ignoreHandler)
    #expect(s.blocked == Sig.bit(Sig.TERM) && s.pending == Sig.bit(Sig.TERM), "exec keeps the mask and what is pending")
}

// ---- KernelState: sending ----

@Test func aTerminatingSignalEndsTheProcessWithItsStatusAndSIGCHLDIsIgnoredByDefault() {
    let m = Machine()
    let parent = m.start("init"), child = m.start("child", parent: 1)
    let t = m.thread(parent)
    #expect(m.kernel.waitpid(t, pid: -1, statusAddress: 0x100, options: 0) == .success(.blocked))
    #expect((try? m.kernel.kill(from: parent, pid: child.pid, signal: Sig.TERM).get()) != nil)
    #expect(child.terminationSignal == Sig.TERM && child.exitStatus == 128 + 15)
    #expect(t.completion == Completion(result: 2, bytes: [15, 0, 0, 0], at: 0x100), "WIFSIGNALED, WTERMSIG 15")
    #expect(m.kernel.takeSignalExits().map { $0.0.pid } == [2], "the machine layer finishes the exit")
    #expect(parent.signals.pending == 0, "SIGCHLD's default is to ignore")
}

@Test func aHandlerSignalInterruptsInterruptibleWaitsOnly() {
    let m = Machine()
    let a = m.start("init"), b = m.start("b", parent: 1), c = m.start("c", parent: 1)
    for p in [a, b, c] { _ = p.signals.setAction(Sig.USR1, handler) }
    m.kernel.scheduler.block(m.thread(b), .readingPipe(1))
    m.kernel.sleep(m.thread(c), nanoseconds: 1_000_000_000, now: 0)
    _ = m.kernel.kill(from: a, pid: b.pid, signal: Sig.USR1)
    _ = m.kernel.kill(from: a, pid: c.pid, signal: Sig.USR1)
    #expect(m.thread(b).isRunnable && m.thread(b).interruptedBySignal)
    #expect(m.thread(b).completion?.result == restartMarker, "a pipe read may be restarted (SA_RESTART)")
    #expect(m.thread(c).isRunnable && m.thread(c).completion?.result == KernelError(SV_EINTR).result, "sleep: EINTR")
    #expect(b.signals.pending == Sig.bit(Sig.USR1), "delivered on the way out by the machine layer")
    // An IPC wait finishes first.
    let d = m.start("d", parent: 1)
    _ = d.signals.setAction(Sig.USR1, handler)
    m.kernel.scheduler.block(m.thread(d), .awaitingReply(server: 3))
    _ = m.kernel.kill(from: a, pid: d.pid, signal: Sig.USR1)
    #expect(!m.thread(d).isRunnable && m.thread(d).completion == nil)
}

@Test func stopAndContinueAreReportedToWaitpidAndTheStoppedThreadDoesNotRun() {
    let m = Machine()
    let parent = m.start("init"), child = m.start("child", parent: 1)
    _ = parent.signals.setAction(Sig.CHLD, handler)
    let t = m.thread(parent)
    #expect(m.kernel.waitpid(t, pid: child.pid, statusAddress: 0x100, options: UInt32(SV_WUNTRACED)) == .success(.blocked))
    _ = m.kernel.kill(from: parent, pid: child.pid, signal: Sig.STOP)
    #expect(child.isStopped && m.kernel.displayState(child) == UInt32(SV_PROCESS_STOPPED))
    #expect(t.completion == Completion(result: 2, bytes: [0x7f, 19, 0, 0], at: 0x100), "WIFSTOPPED, WSTOPSIG 19")
    #expect(parent.signals.pending == Sig.bit(Sig.CHLD), "SIGCHLD for the stop")
    #expect(!child.isZombie && m.pids == [1, 2], "a stop is reported, not reaped")
    // The scheduler never picks the stopped thread, even when it is woken.
    m.kernel.scheduler.wake(m.thread(child))
    var picked: [Int32] = []
    for _ in 0..<4 { if let x = m.kernel.scheduler.pickNext(cpu: 0) { picked.append(x.pid); m.kernel.scheduler.requestPreemption(cpu: 0) } }
    #expect(!picked.contains(2))
    // A terminating signal other than SIGKILL to the stopped child... SIGCONT first.
    #expect(m.kernel.waitpid(t, pid: child.pid, statusAddress: 0x100, options: UInt32(SV_WCONTINUED) | UInt32(SV_WNOHANG)) == .success(.noneYet))
    _ = m.kernel.kill(from: parent, pid: child.pid, signal: Sig.CONT)
    #expect(!child.isStopped)
    #expect(m.kernel.waitpid(t, pid: child.pid, statusAddress: 0x100, options: UInt32(SV_WCONTINUED)) == .success(.reaped))
    #expect(t.completion?.bytes == [0xff, 0xff, 0, 0], "WIFCONTINUED")
    var seen = false
    for _ in 0..<4 { if m.kernel.scheduler.pickNext(cpu: 0)?.pid == 2 { seen = true }; m.kernel.scheduler.requestPreemption(cpu: 0) }
    #expect(seen, "it runs again")
}

@Test func sigkillEndsAStoppedProcess() {
    let m = Machine()
    let parent = m.start("init"), child = m.start("child", parent: 1)
    _ = m.kernel.kill(from: parent, pid: child.pid, signal: Sig.TSTP)
    #expect(child.isStopped)
    _ = m.kernel.kill(from: parent, pid: child.pid, signal: Sig.KILL)
    #expect(child.isZombie && child.terminationSignal == Sig.KILL)
}

@Test func killTargetsFollowPOSIXAndNeverReachInitByGroup() {
    let m = Machine()
    let initP = m.start("init"), a = m.start("a", parent: 1), b = m.start("b", parent: 1), c = m.start("c", parent: 1)
    #expect(err(m.kernel.kill(from: a, pid: 1, signal: Sig.TERM)) == SV_EPERM)
    #expect((try? m.kernel.kill(from: a, pid: 1, signal: 0).get()) != nil, "existence check of init")
    #expect(err(m.kernel.kill(from: a, pid: 99, signal: 0)) == SV_ESRCH)
    #expect(err(m.kernel.kill(from: a, pid: b.pid, signal: 65)) == SV_EINVAL)
    // b and c form group b.
    #expect((try? m.kernel.setpgid(b, pid: 0, pgid: 0).get()) != nil)
    #expect((try? m.kernel.setpgid(initP, pid: c.pid, pgid: b.pid).get()) != nil)
    #expect(c.pgid == b.pid)
    _ = m.kernel.kill(from: a, pid: -b.pid, signal: Sig.TERM)
    #expect(b.isZombie && c.isZombie && !a.isZombie)
    #expect(err(m.kernel.kill(from: a, pid: -b.pid, signal: Sig.TERM)) == SV_ESRCH, "the group is gone")
    // kill(0) reaches the sender's group (init's) but not init.
    _ = m.kernel.kill(from: a, pid: 0, signal: Sig.TERM)
    #expect(a.isZombie && !initP.isZombie)
}

@Test func setpgidAndSetsidFollowPOSIXRules() {
    let m = Machine()
    let shell = m.start("init"), job = m.start("job", parent: 1), other = m.start("other", parent: 1)
    let grandchild = m.start("gc", parent: job.pid)
    #expect(err(m.kernel.setpgid(shell, pid: grandchild.pid, pgid: 0)) == SV_ESRCH, "not the caller's child")
    #expect(err(m.kernel.setpgid(shell, pid: job.pid, pgid: -1)) == SV_EINVAL)
    #expect(err(m.kernel.setpgid(shell, pid: job.pid, pgid: 77)) == SV_EPERM, "no such group in the session")
    #expect(err(m.kernel.setsid(shell)) == SV_EPERM, "init leads its group")
    #expect((try? m.kernel.setsid(other).get()) == other.pid)
    #expect(other.sid == other.pid && other.pgid == other.pid)
    #expect(err(m.kernel.setpgid(shell, pid: other.pid, pgid: 0)) == SV_EPERM, "a child in another session")
    #expect(err(m.kernel.setpgid(other, pid: 0, pgid: 0)) == SV_EPERM, "a session leader cannot move")
    #expect(err(m.kernel.setsid(other)) == SV_EPERM, "already a group leader")
    m.kernel.exec(job, name: Array("job".utf8))
    #expect(err(m.kernel.setpgid(shell, pid: job.pid, pgid: 0)) == SV_EACCES, "the child has exec'd")
    #expect((try? m.kernel.getpgid(shell, pid: other.pid).get()) == other.pid)
    #expect((try? m.kernel.getsid(job, pid: 0).get()) == 1)
    #expect(err(m.kernel.getsid(shell, pid: 99)) == SV_ESRCH)
}

@Test func forkAndSpawnInheritTheGroupSessionMaskAndIgnoredSignals() {
    let m = Machine()
    let parent = m.start("init")
    _ = parent.signals.setAction(Sig.USR1, SignalAction(handler: SignalAction.ignoreHandler))
    _ = parent.signals.setAction(Sig.USR2, handler)
    _ = parent.signals.changeMask(how: 2, Sig.bit(Sig.TERM))
    _ = parent.signals.generate(SignalInfo(signal: Sig.TERM))
    let forked = Process(pid: 2, parentPID: 1, name: Array("f".utf8))
    _ = try? m.kernel.reservePID().get()
    m.kernel.fork(parent, child: forked, thread: Thread(id: 2, pid: 2))
    #expect(forked.pgid == 1 && forked.sid == 1)
    #expect(forked.signals.pending == 0 && forked.signals.blocked == Sig.bit(Sig.TERM))
    #expect(forked.signals.action(Sig.USR2) == handler)
    let spawned = m.start("s", parent: 1)
    m.kernel.spawned(spawned, from: parent)
    #expect(spawned.pgid == 1 && spawned.hasExeced)
    #expect(spawned.signals.action(Sig.USR2) == .byDefault && spawned.signals.action(Sig.USR1).handler == SignalAction.ignoreHandler)
}

@Test func aSessionLeadersExitHangsUpItsSession() {
    let m = Machine()
    let initP = m.start("init"), leader = m.start("leader", parent: 1)
    _ = m.kernel.setsid(leader)
    let member = Process(pid: 3, parentPID: 2, name: Array("m".utf8))
    _ = try? m.kernel.reservePID().get()
    m.kernel.fork(leader, child: member, thread: Thread(id: 3, pid: 3))
    let survivor = Process(pid: 4, parentPID: 2, name: Array("s".utf8))
    _ = try? m.kernel.reservePID().get()
    m.kernel.fork(leader, child: survivor, thread: Thread(id: 4, pid: 4))
    _ = survivor.signals.setAction(Sig.HUP, SignalAction(handler: SignalAction.ignoreHandler))
    _ = m.kernel.exit(leader, status: 0)
    #expect(member.isZombie && member.terminationSignal == Sig.HUP)
    #expect(!survivor.isZombie && !initP.isZombie)
}

@Test func alarmsFireOnTheTickAndReportWhatWasLeft() {
    let m = Machine()
    let p = m.start("init")
    _ = p.signals.setAction(Sig.ALRM, handler)
    #expect(m.kernel.setAlarm(p, nanoseconds: 1_000_000_000, now: 0) == 0)
    #expect(m.kernel.setAlarm(p, nanoseconds: 2_000_000_000, now: 400_000_000) == 600_000_000)
    m.kernel.suspend(m.thread(p), mask: 0)
    #expect(m.thread(p).blockReason == .suspended)
    m.kernel.wakeSleepers(now: 2_000_000_000)
    #expect(p.signals.pending == 0, "not due yet")
    m.kernel.wakeSleepers(now: 2_400_000_000)
    #expect(p.signals.pending == Sig.bit(Sig.ALRM))
    #expect(m.thread(p).isRunnable && m.thread(p).completion?.result == KernelError(SV_EINTR).result)
    #expect(p.maskAfterSuspend == 0)
    #expect(m.kernel.setAlarm(p, nanoseconds: 0, now: 2_500_000_000) == 0, "it fired: nothing left")
}
