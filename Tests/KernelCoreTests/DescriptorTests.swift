// DescriptorTests.swift — descriptor tables and pipes on the host: lowest-free allocation, dup and
// fork sharing one open file description, close-on-exec, fcntl, EMFILE, and the pipe state
// machine (ring pieces, EOF when the last writer closes, EPIPE when the last reader closes,
// PIPE_BUF atomicity, wake-ups).
import ABI
@testable import KernelCore
import Testing

@Test func descriptorsAreAllocatedLowestFirstAndShareTheDescription() {
    let m = Machine()
    let p = m.start("init")
    m.kernel.installConsole(p)
    #expect(p.descriptors.openCount == 3)
    let console = p.descriptors.file(0)!
    #expect(console.references == 3)
    #expect(m.kernel.dup(p, fd: 1) == .success(3))
    #expect(ok(m.kernel.close(p, fd: 1)))
    #expect(m.kernel.dup(p, fd: 0) == .success(1), "the lowest free descriptor")
    #expect(err(m.kernel.close(p, fd: 1)) == nil && err(m.kernel.close(p, fd: 1)) == SV_EBADF)
    #expect(err(m.kernel.dup(p, fd: 42)) == SV_EBADF)
    #expect(err(m.kernel.dup(p, fd: -1)) == SV_EBADF)
    #expect(console.references == 3)
}

@Test func dup3ReplacesTheTargetAndDup2OfItselfIsANoOp() {
    let m = Machine()
    let p = m.start("init")
    m.kernel.installConsole(p)
    let (r, w, pipe) = try! m.kernel.makePipe(p, flags: 0).get()
    #expect(r == 3 && w == 4)
    #expect(m.kernel.dup3(p, old: w, new: 1, flags: UInt32(SV_O_CLOEXEC)) == .success(1))
    #expect(p.descriptors.slot(1)?.closeOnExec == true)
    #expect(p.descriptors.file(0)?.references == 2, "fd 1 no longer holds the console")
    #expect(m.kernel.dup3(p, old: 1, new: 1, flags: 0) == .success(1))
    #expect(err(m.kernel.dup3(p, old: 9, new: 1, flags: 0)) == SV_EBADF)
    #expect(err(m.kernel.dup3(p, old: 1, new: Int32(SV_DESCRIPTORS_MAX), flags: 0)) == SV_EBADF)
    #expect(err(m.kernel.dup3(p, old: 1, new: 2, flags: 77)) == SV_EINVAL)
    #expect(pipe.writers == 1, "dup shares the description: still one writer end")
}

@Test func fcntlFlagsAndDuplication() {
    let m = Machine()
    let p = m.start("init")
    m.kernel.installConsole(p)
    let (r, _, _) = try! m.kernel.makePipe(p, flags: UInt32(SV_O_NONBLOCK)).get()
    #expect(m.kernel.fcntl(p, fd: r, command: SV_F_GETFL, argument: 0) == .success(UInt64(SV_O_RDONLY | SV_O_NONBLOCK)))
    #expect(m.kernel.fcntl(p, fd: r, command: SV_F_SETFL, argument: UInt64(SV_O_WRONLY | SV_O_APPEND)) == .success(0))
    #expect(m.kernel.fcntl(p, fd: r, command: SV_F_GETFL, argument: 0) == .success(UInt64(SV_O_RDONLY | SV_O_APPEND)),
            "the access mode never changes; O_NONBLOCK cleared, O_APPEND set")
    #expect(m.kernel.fcntl(p, fd: r, command: SV_F_DUPFD, argument: 10) == .success(10))
    #expect(m.kernel.fcntl(p, fd: r, command: SV_F_DUPFD_CLOEXEC, argument: 10) == .success(11))
    #expect(m.kernel.fcntl(p, fd: 11, command: SV_F_GETFD, argument: 0) == .success(UInt64(SV_FD_CLOEXEC)))
    #expect(m.kernel.fcntl(p, fd: 11, command: SV_F_SETFD, argument: 0) == .success(0))
    #expect(m.kernel.fcntl(p, fd: 11, command: SV_F_GETFD, argument: 0) == .success(0))
    #expect(err(m.kernel.fcntl(p, fd: 11, command: 999, argument: 0)) == SV_EINVAL)
    #expect(err(m.kernel.fcntl(p, fd: 99, command: SV_F_GETFD, argument: 0)) == SV_EBADF)
    #expect(err(m.kernel.fcntl(p, fd: r, command: SV_F_DUPFD, argument: UInt64(SV_DESCRIPTORS_MAX))) == SV_EINVAL)
}

@Test func theTableIsBoundedAndAPipeNeedsTwoSlots() {
    let m = Machine()
    let p = m.start("init")
    m.kernel.installConsole(p)
    while case .success = m.kernel.dup(p, fd: 0) {}
    #expect(p.descriptors.openCount == Int(SV_DESCRIPTORS_MAX))
    #expect(err(m.kernel.dup(p, fd: 0)) == SV_EMFILE)
    _ = m.kernel.close(p, fd: 7)
    #expect(err(m.kernel.makePipe(p, flags: 0)) == SV_EMFILE)
    #expect(p.descriptors.openCount == Int(SV_DESCRIPTORS_MAX) - 1, "a failed pipe installs nothing")
}

@Test func forkSharesDescriptionsAndExecClosesCloseOnExec() {
    let m = Machine()
    let parent = m.start("init")
    m.kernel.installConsole(parent)
    let (r, w, pipe) = try! m.kernel.makePipe(parent, flags: UInt32(SV_O_CLOEXEC)).get()
    let pid = try! m.kernel.reservePID().get()
    let child = Process(pid: pid, parentPID: parent.pid, name: parent.name)
    m.kernel.fork(parent, child: child, thread: Thread(id: pid, pid: pid))
    #expect(child.descriptors.openCount == 5)
    #expect(child.descriptors.file(r) === parent.descriptors.file(r), "one open file description, two descriptors")
    #expect(parent.descriptors.file(w)!.references == 2)
    #expect(pipe.readers == 1 && pipe.writers == 1, "ends count descriptions, not descriptors")
    m.kernel.exec(child, name: Array("cat".utf8))
    #expect(child.name == Array("cat".utf8))
    #expect(child.descriptors.openCount == 3, "close-on-exec descriptors are gone")
    #expect(parent.descriptors.file(w)!.references == 1)
    #expect(pipe.writers == 1)
    _ = m.kernel.close(parent, fd: w)
    #expect(pipe.writers == 0, "the last descriptor of the write end closed it")
}

@Test func pipeRingPiecesWrapAround() {
    let pipe = Pipe(id: 1, capacity: 10)
    pipe.readers = 1
    pipe.writers = 1
    #expect(pipe.writablePieces(7) == [Pipe.Piece(offset: 0, length: 7)])
    pipe.produced(7)
    #expect(pipe.readablePieces(5) == [Pipe.Piece(offset: 0, length: 5)])
    pipe.consumed(5)
    #expect(pipe.writablePieces(8) == [Pipe.Piece(offset: 7, length: 3), Pipe.Piece(offset: 0, length: 5)])
    pipe.produced(8)
    #expect(pipe.count == 10 && pipe.space == 0)
    #expect(pipe.readablePieces(100) == [Pipe.Piece(offset: 5, length: 5), Pipe.Piece(offset: 0, length: 5)])
    pipe.consumed(10)
    #expect(pipe.count == 0 && pipe.head == 0)
}

@Test func pipeReadAndWriteDecisions() {
    let pipe = Pipe(id: 1, capacity: 8192)
    pipe.readers = 1
    pipe.writers = 1
    #expect(pipe.decideRead(length: 10) == .wait)
    #expect(pipe.decideRead(length: 0) == .transfer(0))
    #expect(pipe.decideWrite(remaining: 100, total: 100) == .transfer(100))
    pipe.produced(8000)
    // A small write is atomic: all of it or wait; a big one writes what fits.
    #expect(pipe.decideWrite(remaining: 300, total: 300) == .wait)
    #expect(pipe.decideWrite(remaining: 5000, total: 5000) == .transfer(192))
    #expect(pipe.decideRead(length: 10_000) == .transfer(8000))
    pipe.writers = 0
    #expect(pipe.decideRead(length: 10) == .transfer(10), "data before end of file")
    pipe.consumed(8000)
    #expect(pipe.decideRead(length: 10) == .endOfFile)
    pipe.readers = 0
    #expect(pipe.decideWrite(remaining: 1, total: 1) == .brokenPipe)
}

@Test func closingAnEndWakesTheOtherSide() {
    let m = Machine()
    let p = m.start("init"), reader = m.start("reader", parent: 1)
    let (r, w, pipe) = try! m.kernel.makePipe(p, flags: 0).get()
    _ = r
    let t = m.thread(reader)
    m.kernel.waitForPipe(t, pipe, writing: false)
    #expect(t.blockReason == .readingPipe(pipe.id))
    m.kernel.pipeChanged(pipe)
    #expect(!t.isRunnable, "no data and a writer: still waiting")
    _ = m.kernel.close(p, fd: w)
    #expect(t.isRunnable, "the last writer closed: the reader wakes to see end of file")
    let writer = m.start("writer", parent: 1)
    let tw = m.thread(writer)
    pipe.writers = 1
    pipe.produced(pipe.capacity)
    m.kernel.waitForPipe(tw, pipe, writing: true)
    m.kernel.pipeChanged(pipe)
    #expect(!tw.isRunnable)
    pipe.consumed(1)
    m.kernel.pipeChanged(pipe)
    #expect(tw.isRunnable, "room again: the writer wakes")
}

@Test func aProcessEndingClosesItsDescriptors() {
    let m = Machine()
    let p = m.start("init"), child = m.start("child", parent: 1)
    let (_, w, pipe) = try! m.kernel.makePipe(p, flags: 0).get()
    child.descriptors = p.descriptors.copy()   // as fork would
    _ = m.kernel.close(p, fd: w)
    #expect(pipe.writers == 1)
    _ = m.kernel.exit(child, status: 0)
    #expect(pipe.writers == 0 && pipe.readers == 1)
}

@Test func waitpidEncodesTheStatusAndHonoursWNOHANG() {
    let m = Machine()
    let parent = m.start("init"), child = m.start("child", parent: 1), killed = m.start("victim", parent: 1)
    let t = m.thread(parent)
    #expect(m.kernel.waitpid(t, pid: -1, statusAddress: 0x100, options: UInt32(SV_WNOHANG)) == .success(.noneYet))
    #expect(err(m.kernel.waitpid(t, pid: 99, statusAddress: 0, options: 0)) == SV_ECHILD)
    #expect(err(m.kernel.waitpid(t, pid: -1, statusAddress: 0, options: 0x40)) == SV_EINVAL)
    _ = m.kernel.exit(child, status: 3)
    #expect(m.kernel.waitpid(t, pid: -1, statusAddress: 0x100, options: 0) == .success(.reaped))
    #expect(t.completion == Completion(result: UInt64(child.pid), bytes: [0, 3, 0, 0], at: 0x100), "exit code in bits 8–15")
    #expect(m.kernel.waitpid(t, pid: killed.pid, statusAddress: 0x100, options: 0) == .success(.blocked))
    _ = try? m.kernel.kill(killed.pid).get()
    #expect(t.completion == Completion(result: UInt64(killed.pid), bytes: [9, 0, 0, 0], at: 0x100), "killed by signal 9")
    #expect(m.pids == [1])
}
