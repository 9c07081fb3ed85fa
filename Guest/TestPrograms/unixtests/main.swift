// unixtests — the Unix process calls checked from user mode: pipes (data, EOF, EPIPE, blocking
// and O_NONBLOCK, a 1 MiB transfer that wraps the ring many times), descriptors (dup, dup2,
// fcntl, close-on-exec, EMFILE, EBADF), fork (separate memory, inherited descriptors, getppid),
// waitpid (status words, WNOHANG, a killed child), exec of an ELF image read from a file, and a
// fork bomb the kernel bounds. Prints one line per case; exits with the number of failures.
//   unixtests [PROGRAM-PATH]     PROGRAM-PATH: an ELF on the filesystem to exec (e.g. /bin/hello)
import ABI
import UserLib

nonisolated(unsafe) var failures = 0
nonisolated(unsafe) var total = 0

func check(_ name: String, _ condition: Bool, _ detail: String = "") {
    total += 1
    if condition {
        print("unixtests: ok   \(name)")
    } else {
        failures += 1
        print("unixtests: FAIL \(name) \(detail)")
    }
}

func errno<T>(_ r: Result<T, Errno>) -> Int32 {
    if case .failure(let e) = r { return e.code }
    return 0
}

func value<T>(_ r: Result<T, Errno>) -> T? {
    if case .success(let v) = r { return v }
    return nil
}

/// Reads until end of file.
func readAll(_ fd: Int32) -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16384)
    while case .success(let n) = Unix.read(fd, into: &buffer), n > 0 { out += buffer.prefix(n) }
    return out
}

func childExit(_ status: Int32) -> Never { System.exit(status) }

/// Runs `body` in a child whose standard output is a pipe; returns what it printed and its
/// status. The pipe is close-on-exec; the child's fd 1 (a dup2 copy) is not, so an exec'd program
/// inherits it.
func outputOfChild(_ body: () -> Never) -> (text: String, status: Unix.Status?)? {
    guard let (r, w) = value(Unix.pipe(flags: SV_O_CLOEXEC)), let child = value(Unix.fork()) else { return nil }
    if child == 0 {
        _ = Unix.dup2(w, 1)
        body()
    }
    _ = Unix.close(w)
    let text = String(decoding: readAll(r), as: UTF8.self)
    _ = Unix.close(r)
    return (text, value(Unix.waitpid(child))?.status)
}

func pipeBasics() {
    guard let (r, w) = value(Unix.pipe()) else { check("pipe", false); return }
    check("pipe: two new descriptors", r >= 3 && w == r + 1, "\(r) \(w)")
    _ = Unix.write(w, Array("hello".utf8))
    var buffer = [UInt8](repeating: 0, count: 16)
    let n = value(Unix.read(r, into: &buffer)) ?? -1
    check("pipe: what is written is read", n == 5 && Array(buffer.prefix(5)) == Array("hello".utf8))
    check("pipe: wrong direction is EBADF", errno(Unix.write(r, [1])) == SV_EBADF && errno(Unix.read(w, into: &buffer)) == SV_EBADF)
    _ = Unix.close(w)
    check("pipe: end of file once the writer is closed", value(Unix.read(r, into: &buffer)) == 0)
    _ = Unix.close(r)
    guard let (r2, w2) = value(Unix.pipe()) else { return }
    _ = Unix.close(r2)
    // SIGPIPE (its default ends the process) is ignored for this check: then the write is EPIPE.
    _ = Unix.ignoreSignal(13, true)
    check("pipe: EPIPE once the reader is closed", errno(Unix.write(w2, [1, 2, 3])) == SV_EPIPE)
    _ = Unix.ignoreSignal(13, false)
    _ = Unix.close(w2)
}

func nonBlocking() {
    guard let (r, w) = value(Unix.pipe(flags: SV_O_NONBLOCK | SV_O_CLOEXEC)) else { check("pipe2", false); return }
    var buffer = [UInt8](repeating: 0, count: 8)
    check("O_NONBLOCK: an empty pipe is EAGAIN", errno(Unix.read(r, into: &buffer)) == SV_EAGAIN)
    check("pipe2(O_CLOEXEC) sets FD_CLOEXEC", value(Unix.fcntl(r, SV_F_GETFD)) == Int(SV_FD_CLOEXEC))
    check("F_GETFL shows O_NONBLOCK", value(Unix.fcntl(r, SV_F_GETFL)) == Int(SV_O_RDONLY | SV_O_NONBLOCK))
    var filled = 0
    let chunk = [UInt8](repeating: 7, count: 4096)
    while case .success(let n) = Unix.write(w, chunk) { filled += n }
    check("O_NONBLOCK: a full pipe is EAGAIN after \(filled) bytes", filled == Int(SV_PIPE_CAPACITY) && errno(Unix.write(w, chunk)) == SV_EAGAIN)
    // Lengths no buffer can have: the kernel copies until the first fault and says what it did.
    var drain = [UInt8](repeating: 0, count: 4096)
    while case .success(let n) = Unix.read(r, into: &drain), n > 0 {}
    let absurd = Unix.rawWrite(w, chunk, length: 1 << 63)
    while case .success(let n) = Unix.read(r, into: &drain), n > 0 {}
    let absurdRead = Unix.rawRead(r, into: &drain, length: UInt64.max)   // the pipe is empty: nothing is copied
    check("a pipe write of length 2^63 is an error or a short count, not a kernel crash",
          errno(absurd) == SV_EFAULT || (value(absurd) ?? 0) > 0, "\(errno(absurd))")
    check("a read of length 2^64-1 from an empty O_NONBLOCK pipe is EAGAIN", errno(absurdRead) == SV_EAGAIN)
    _ = Unix.close(r); _ = Unix.close(w)
}

func descriptors() {
    check("dup of a bad descriptor is EBADF", errno(Unix.dup(200)) == SV_EBADF && errno(Unix.close(-1)) == SV_EBADF)
    let d = value(Unix.dup(1)) ?? -1
    check("dup takes the lowest free descriptor", d == 3, "\(d)")
    check("dup2 onto an open descriptor", value(Unix.dup2(1, 10)) == 10 && errno(Unix.close(10)) == 0)
    check("F_DUPFD finds the lowest at or above", value(Unix.fcntl(1, SV_F_DUPFD, 20)) == 20)
    _ = Unix.close(20); _ = Unix.close(Int32(d))
    var opened: [Int32] = []
    while case .success(let fd) = Unix.dup(0) { opened.append(Int32(fd)) }
    check("the table is bounded: EMFILE", errno(Unix.dup(0)) == SV_EMFILE && opened.count == Int(SV_DESCRIPTORS_MAX) - 3, "\(opened.count)")
    for fd in opened { _ = Unix.close(fd) }
}

nonisolated(unsafe) var shared = 1

func forkAndWait() {
    guard let (r, w) = value(Unix.pipe()) else { return }
    let me = System.getpid()
    guard let child = value(Unix.fork()) else { check("fork", false); return }
    if child == 0 {
        shared = 2
        _ = Unix.close(r)
        _ = Unix.writeAll(w, Array("child of \(Unix.getppid()) sees \(shared)".utf8))
        childExit(7)
    }
    _ = Unix.close(w)
    let text = String(decoding: readAll(r), as: UTF8.self)
    _ = Unix.close(r)
    check("fork: the child writes through an inherited pipe", text == "child of \(me) sees 2", text)
    check("fork: the parent's memory is its own", shared == 1)
    let waited = value(Unix.waitpid(child))
    check("waitpid: pid and exit code", waited?.pid == child && waited?.status.exited == true && waited?.status.exitCode == 7,
          "\(waited?.status.raw ?? -1)")
    check("waitpid: no more children is ECHILD", errno(Unix.waitpid(-1)) == SV_ECHILD)
}

func stdoutRedirection() {
    let run = outputOfChild {
        print("through standard output")
        childExit(0)
    }
    check("dup2 onto fd 1: print goes into the pipe", run?.text == "through standard output\n", run?.text ?? "")
}

func bigTransfer() {
    guard let (r, w) = value(Unix.pipe()) else { return }
    let size = 1 << 20
    guard let child = value(Unix.fork()) else { return }
    if child == 0 {
        _ = Unix.close(r)
        var block = [UInt8](repeating: 0, count: 40_000)
        var sent = 0
        while sent < size {
            let n = min(block.count, size - sent)
            for i in 0..<n { block[i] = UInt8(truncatingIfNeeded: (sent + i) * 7) }
            if case .failure = Unix.writeAll(w, Array(block.prefix(n))) { childExit(1) }
            sent += n
        }
        childExit(0)
    }
    _ = Unix.close(w)
    var received = 0, wrong = 0
    var buffer = [UInt8](repeating: 0, count: 24_576)
    while case .success(let n) = Unix.read(r, into: &buffer), n > 0 {
        for i in 0..<n where buffer[i] != UInt8(truncatingIfNeeded: (received + i) * 7) { wrong += 1 }
        received += n
    }
    _ = Unix.close(r)
    let status = value(Unix.waitpid(child))?.status
    check("1 MiB through a 64 KiB pipe arrives whole and in order", received == size && wrong == 0 && status?.exitCode == 0,
          "received \(received), wrong \(wrong)")
}

func noHangAndKill() {
    guard let child = value(Unix.fork()) else { return }
    if child == 0 { while true { System.sleep(nanoseconds: 1_000_000_000) } }
    let early = value(Unix.waitpid(child, options: SV_WNOHANG))
    check("WNOHANG: a running child gives 0", early?.pid == 0)
    _ = System.kill(child)
    let waited = value(Unix.waitpid(child))
    check("a killed child: signaled with SIGKILL", waited?.status.signaled == true && waited?.status.signal == 9, "\(waited?.status.raw ?? -1)")
}

func execFromFile(_ path: String) {
    let garbage = [UInt8](repeating: 0x41, count: 4096)
    check("exec of a non-ELF is ENOEXEC and the caller goes on", Unix.exec(image: garbage, arguments: ["x"]).code == SV_ENOEXEC)
    guard case .success(let image) = Files.read(path) else { check("read \(path)", false); return }
    let run = outputOfChild {
        let e = Unix.exec(image: image, arguments: [path])
        print("exec failed: \(e.description)")
        childExit(99)
    }
    check("exec runs \(path) with the inherited stdout", run?.text.hasPrefix("Hello from ring 3") == true && run?.status?.exitCode == 0,
          run?.text ?? "")
}

/// execve by name through PATH, and a `#!` script run by its interpreter (echo prints the
/// interpreter's argument, the script's path and the script's arguments).
func execByPath() {
    check("execve of a missing program is ENOENT", Unix.execve("no-such-program", arguments: ["x"]).code == SV_ENOENT)
    _ = Files.makeDirectory("/tmp")
    guard case .success = Files.write("/tmp/hi.sh", Array("#!/bin/echo  from script  \nignored\n".utf8)) else { check("write /tmp/hi.sh", false); return }
    _ = Files.changeMode("/tmp/hi.sh", 0o755)
    for (command, arguments, expected) in [("hello", ["hello"], "Hello from ring 3"),
                                            ("/tmp/hi.sh", ["/tmp/hi.sh", "a1"], "from script /tmp/hi.sh a1\n")] {
        let run = outputOfChild {
            let e = Unix.execve(command, arguments: arguments)
            print("execve failed: \(e.description)")
            childExit(99)
        }
        check("execve \(command) (PATH search, #! scripts)", run?.text.hasPrefix(expected) == true && run?.status?.exitCode == 0,
              run?.text ?? "")
    }
}

func forkBomb() {
    let before = Unix.memoryInfo()?.free ?? 0
    var children: [Int] = []
    var refused = false
    while children.count < 400 {
        switch Unix.fork() {
        case .success(0):
            while true { System.sleep(nanoseconds: 1_000_000_000) }
        case .success(let pid): children.append(pid)
        case .failure(let e):
            refused = e.code == SV_EAGAIN || e.code == SV_ENOMEM
            children.append(-1)
        }
        if refused { break }
    }
    for c in children where c > 0 { _ = System.kill(c) }
    var reaped = 0
    while case .success = Unix.waitpid(-1) { reaped += 1 }
    check("a fork bomb is refused (EAGAIN/ENOMEM) and cleaned up", refused && reaped == children.count - 1,
          "\(children.count) forks, \(reaped) reaped")
    let after = Unix.memoryInfo()?.free ?? 1
    check("every page frame comes back after the fork bomb", before > 0 && after == before, "free before \(before), after \(after)")
}

/// SAFETY (memory cases): the addresses come from mmap/brk calls that just succeeded for at
/// least the bytes touched, or are deliberately touched in a child expected to die.
func poke(_ address: UInt64, _ value: UInt64) { UnsafeMutablePointer<UInt64>(bitPattern: UInt(address))!.pointee = value }
func peek(_ address: UInt64) -> UInt64 { UnsafeMutablePointer<UInt64>(bitPattern: UInt(address))!.pointee }

func memoryCalls() {
    guard let a = value(Unix.mapAnonymous(length: 3 * 4096 + 5)) else { check("mmap", false); return }
    check("mmap: page aligned, zeroed", a & 4095 == 0 && peek(a) == 0 && peek(a + 4 * 4096 - 8) == 0)
    poke(a + 4096, 42)
    check("mmap: writable", peek(a + 4096) == 42)
    check("mmap of a file or shared memory is refused",
          errno(Unix.mmap(0, 4096, SV_PROT_READ, SV_MAP_PRIVATE)) == SV_ENODEV &&
          errno(Unix.mmap(0, 4096, SV_PROT_READ, SV_MAP_SHARED | SV_MAP_ANONYMOUS)) == SV_EINVAL &&
          errno(Unix.mmap(0, 0, SV_PROT_READ, SV_MAP_PRIVATE | SV_MAP_ANONYMOUS)) == SV_EINVAL)
    check("mprotect of unmapped memory is ENOMEM", errno(Unix.mprotect(a + 16 * 4096, length: 4096, protection: SV_PROT_READ)) == SV_ENOMEM)
    check("mprotect read-only keeps the contents", errno(Unix.mprotect(a + 4096, length: 4096, protection: SV_PROT_READ)) == 0 && peek(a + 4096) == 42)
    // A write to the read-only page kills a child with SIGSEGV; the parent's page is untouched.
    if let child = value(Unix.fork()) {
        if child == 0 { poke(a + 4096, 1); childExit(0) }
        let status = value(Unix.waitpid(child))?.status
        check("a write to a read-only page is SIGSEGV", status?.signaled == true && status?.signal == 11, "\(status?.raw ?? -1)")
    }
    check("munmap splits the mapping", errno(Unix.munmap(a + 4096, length: 4096)) == 0)
    if let child = value(Unix.fork()) {
        if child == 0 { childExit(Int32(truncatingIfNeeded: peek(a + 4096))) }
        check("an unmapped page is SIGSEGV", value(Unix.waitpid(child))?.status.signal == 11)
    }
    check("the rest stays mapped", peek(a) == 0 && peek(a + 2 * 4096) == 0)
    let fixed = a + 4096
    check("MAP_FIXED maps exactly there", value(Unix.mapAnonymous(length: 4096, at: fixed)) == fixed && peek(fixed) == 0)
    _ = Unix.munmap(a, length: 4 * 4096)
    let start = Unix.brk(0)
    let grown = Unix.brk(start + 100_000)
    check("brk grows the break", grown == start + 100_000 && start > 0)
    poke((start + 7) & ~7, 7)
    poke((start + 99_000) & ~7, 9)
    check("brk memory is usable", peek((start + 99_000) & ~7) == 9)
    check("brk shrinks back, and refuses what it cannot reach", Unix.brk(start) == start && Unix.brk(1) == start)
    // Inaccessible mappings cost no memory but kernel bookkeeping: their number is bounded.
    var reserved: [UInt64] = []
    var refusal: Int32 = 0
    while reserved.count < 10_000 {
        switch Unix.mapAnonymous(length: 4096, protection: SV_PROT_NONE) {
        case .success(let address): reserved.append(address)
        case .failure(let e): refusal = e.code
        }
        if refusal != 0 { break }
    }
    for address in reserved { _ = Unix.munmap(address, length: 4096) }
    check("an mmap storm is refused with ENOMEM, not a kernel heap panic", refusal == SV_ENOMEM && reserved.count >= 4000,
          "\(reserved.count) mappings")
    check("memory is usable again after the storm", value(Unix.mapAnonymous(length: 4096)) != nil)
}

/// Recursion with a frame that cannot be optimized away; returns the lowest stack address used.
@inline(never)
func deep(_ n: Int, _ lowest: inout UInt64) -> UInt64 {
    var pad: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (UInt64(n), 1, 2, 3, 4, 5, 6, 7)
    let here = withUnsafeMutablePointer(to: &pad) { UInt64(UInt(bitPattern: $0)) }
    if here < lowest { lowest = here }
    if n == 0 { return pad.0 }
    return deep(n - 1, &lowest) &+ withUnsafeBytes(of: &pad) { UInt64($0[1]) }
}

func stackGrowth() {
    var top: UInt64 = 0
    let base = withUnsafeMutablePointer(to: &top) { UInt64(UInt(bitPattern: $0)) }
    var lowest = UInt64.max
    _ = deep(80_000, &lowest)
    let used = base - lowest
    check("the stack grows on demand past 4 MiB", used > 4 << 20, "used \(used) bytes")
    if let child = value(Unix.fork()) {
        if child == 0 {
            var l = UInt64.max
            _ = deep(10_000_000, &l)   // far beyond 8 MiB
            childExit(0)
        }
        let status = value(Unix.waitpid(child))?.status
        check("a stack overflow past 8 MiB is SIGSEGV, not a hang", status?.signaled == true && status?.signal == 11, "\(status?.raw ?? -1)")
    }
}

func clocks() {
    guard let real = value(Unix.clock(SV_CLOCK_REALTIME)), let m1 = value(Unix.clock(SV_CLOCK_MONOTONIC)) else {
        check("clock_gettime", false); return
    }
    print("unixtests: realtime \(real.seconds)")
    check("CLOCK_REALTIME is a date after 2024", real.seconds > 1_704_067_200 && real.nanoseconds >= 0 && real.nanoseconds < 1_000_000_000)
    System.sleep(nanoseconds: 30_000_000)
    let m2 = value(Unix.clock(SV_CLOCK_MONOTONIC)) ?? (0, 0)
    let elapsed = (m2.seconds - m1.seconds) * 1_000_000_000 + (m2.nanoseconds - m1.nanoseconds)
    check("CLOCK_MONOTONIC advances across a 30 ms sleep", elapsed >= 30_000_000, "\(elapsed) ns")
    check("an unknown clock is EINVAL", errno(Unix.clock(77)) == SV_EINVAL)
}

let arguments = System.arguments
pipeBasics()
nonBlocking()
descriptors()
forkAndWait()
stdoutRedirection()
bigTransfer()
noHangAndKill()
memoryCalls()
stackGrowth()
clocks()
if arguments.count > 1 {
    execFromFile(arguments[1])
    execByPath()
}
forkBomb()
print("unixtests: \(total - failures) of \(total) passed")
System.exit(Int32(failures))
