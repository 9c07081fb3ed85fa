// filetests — files as descriptors, checked from user mode against POSIX: open's flags (O_CREAT,
// O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_CLOEXEC), read/write/lseek offsets shared by dup and
// fork, fstat/stat, ftruncate, fsync, getdents, unlink while open, the kernel's /dev devices, and
// descriptors that keep working while the file server is killed and restarted. One line per case;
// exits with the number of failures.
//   filetests            the cases (needs a writable /tmp on the file server)
//   filetests bench       read throughput through descriptors (64 KiB and 4 MiB reads of a
//                         16 MiB file) beside the null system call's cost, in the same run
//   filetests pipeline FILE MIB [KILLS]   writes FILE (MIB MiB), then runs `cat FILE | wc -c` with the
//                         system's programs while it kills the file server again and again;
//                         prints wc's answer and the number of kills
import ABI
import UserLib
import UserRuntime

nonisolated(unsafe) var failures = 0
nonisolated(unsafe) var total = 0

func check(_ name: String, _ condition: Bool, _ detail: String = "") {
    total += 1
    if condition {
        print("filetests: ok   \(name)")
    } else {
        failures += 1
        print("filetests: FAIL \(name) \(detail)")
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

func readString(_ fd: Int32, _ count: Int) -> String? {
    var buffer = [UInt8](repeating: 0, count: count)
    guard let n = value(Unix.read(fd, into: &buffer)) else { return nil }
    return String(decoding: buffer.prefix(n), as: UTF8.self)
}

func write(_ fd: Int32, _ text: String) -> Int? { value(Unix.write(fd, Array(text.utf8))) }

let rw = SV_O_RDWR, create = SV_O_CREAT

func openFlags() {
    _ = Files.unlink("/tmp/ft-a")
    check("open of a missing file is ENOENT", errno(Unix.open("/tmp/ft-missing", SV_O_RDONLY)) == SV_ENOENT)
    guard let fd = value(Unix.open("/tmp/ft-a", rw | create | SV_O_EXCL, mode: 0o640)) else { check("open O_CREAT|O_EXCL", false); return }
    check("O_CREAT|O_EXCL of an existing file is EEXIST", errno(Unix.open("/tmp/ft-a", rw | create | SV_O_EXCL)) == SV_EEXIST)
    check("write", write(fd, "hello, world") == 12)
    check("the offset follows the write", value(Unix.lseek(fd, 0, SV_SEEK_CUR)) == 12)
    check("SEEK_SET then read", value(Unix.lseek(fd, 7, SV_SEEK_SET)) == 7 && readString(fd, 100) == "world")
    check("read at the end gives 0", readString(fd, 10) == "")
    check("SEEK_END", value(Unix.lseek(fd, -5, SV_SEEK_END)) == 7 && readString(fd, 2) == "wo")
    check("a negative offset is EINVAL", errno(Unix.lseek(fd, -100, SV_SEEK_CUR)) == SV_EINVAL && value(Unix.lseek(fd, 0, SV_SEEK_CUR)) == 9)
    check("an unknown whence is EINVAL", errno(Unix.lseek(fd, 0, 7)) == SV_EINVAL)
    // A write past the end leaves a hole of zeros.
    _ = Unix.lseek(fd, 20, SV_SEEK_SET)
    _ = write(fd, "!")
    _ = Unix.lseek(fd, 10, SV_SEEK_SET)
    var hole = [UInt8](repeating: 1, count: 11)
    check("a hole reads as zeros", value(Unix.read(fd, into: &hole)) == 11 && hole[2...9].allSatisfy { $0 == 0 } && hole[10] == UInt8(ascii: "!"))
    if let s = value(Unix.fstat(fd)) {
        check("fstat: a regular file of 21 bytes, mode 0640", s.isRegular && s.size == 21 && s.mode & 0o777 == 0o640, "\(s.mode) \(s.size)")
        check("fstat: modified at a real time", s.modified.seconds > 1_704_067_200, "\(s.modified.seconds)")
        check("stat names the same file", value(Unix.stat("/tmp/ft-a"))?.inode == s.inode && value(Unix.stat("/tmp/../tmp//ft-a"))?.inode == s.inode)
    } else { check("fstat", false) }
    _ = Unix.close(fd)

    guard let w = value(Unix.open("/tmp/ft-a", SV_O_WRONLY)), let r = value(Unix.open("/tmp/ft-a", SV_O_RDONLY | SV_O_CLOEXEC)) else {
        check("reopen", false); return
    }
    var byte = [UInt8](repeating: 0, count: 1)
    check("read on a write-only descriptor is EBADF", errno(Unix.read(w, into: &byte)) == SV_EBADF)
    check("write on a read-only descriptor is EBADF", errno(Unix.write(r, [1])) == SV_EBADF)
    check("O_CLOEXEC sets FD_CLOEXEC", value(Unix.fcntl(r, SV_F_GETFD)) == Int(SV_FD_CLOEXEC) && value(Unix.fcntl(w, SV_F_GETFD)) == 0)
    check("ftruncate of a read-only descriptor is EINVAL", errno(Unix.ftruncate(r, 0)) == SV_EINVAL)
    check("ftruncate shrinks", errno(Unix.ftruncate(w, 5)) == 0 && value(Unix.fstat(r))?.size == 5 && readString(r, 100) == "hello")
    check("fsync", errno(Unix.fsync(w)) == 0)
    _ = Unix.close(w)
    _ = Unix.close(r)

    guard let a = value(Unix.open("/tmp/ft-a", SV_O_WRONLY | SV_O_APPEND)) else { check("O_APPEND", false); return }
    _ = Unix.lseek(a, 0, SV_SEEK_SET)
    check("O_APPEND writes at the end, whatever the offset", write(a, "!!") == 2 && value(Unix.lseek(a, 0, SV_SEEK_CUR)) == 7
          && value(Files.read("/tmp/ft-a")).map { String(decoding: $0, as: UTF8.self) } == "hello!!")
    _ = Unix.close(a)
    guard let t = value(Unix.open("/tmp/ft-a", rw | SV_O_TRUNC)) else { check("O_TRUNC", false); return }
    check("O_TRUNC empties the file", value(Unix.fstat(t))?.size == 0)
    _ = Unix.close(t)
    check("a relative path is resolved against the working directory", value(Unix.stat("ft-a")) == nil || Environment.workingDirectory == "/tmp")
}

func sharedOffsets() {
    guard let fd = value(Unix.open("/tmp/ft-b", rw | create | SV_O_TRUNC)) else { check("open ft-b", false); return }
    _ = write(fd, "0123456789")
    _ = Unix.lseek(fd, 0, SV_SEEK_SET)
    let d = value(Unix.dup(fd)) ?? -1
    _ = readString(fd, 3)
    check("dup shares the offset", readString(Int32(d), 2) == "34")
    guard let child = value(Unix.fork()) else { check("fork", false); return }
    if child == 0 {
        _ = readString(fd, 3)      // moves the shared offset to 8
        System.exit(0)
    }
    _ = Unix.waitpid(child)
    check("a forked child shares the offset", readString(fd, 10) == "89")
    _ = Unix.close(Int32(d))
    _ = Unix.close(fd)
}

func unlinkWhileOpen() {
    guard let fd = value(Unix.open("/tmp/ft-c", rw | create | SV_O_TRUNC)) else { check("open ft-c", false); return }
    _ = write(fd, "still here")
    let inode = value(Unix.fstat(fd))?.inode ?? 0
    check("unlink of an open file", errno(Files.unlink("/tmp/ft-c")) == 0)
    check("the name is gone", errno(Unix.stat("/tmp/ft-c")) == SV_ENOENT && !(value(Unix.readDirectory("/tmp")) ?? []).contains("ft-c"))
    _ = Unix.lseek(fd, 0, SV_SEEK_SET)
    check("the open file still reads", readString(fd, 100) == "still here")
    check("and still writes", write(fd, " and more") == 9 && value(Unix.fstat(fd))?.size == 19)
    _ = Unix.close(fd)
    check("after the last close its data is freed", errno(Unix.stat("/.orphans/\(inode)")) == SV_ENOENT)
}

func directories() {
    _ = Files.makeDirectory("/tmp/ft-d")
    for name in ["one", "two", "three"] { _ = Files.write("/tmp/ft-d/" + name, [1]) }
    let names = value(Unix.readDirectory("/tmp/ft-d")) ?? []
    check("getdents lists the entries", names.sorted() == ["one", "three", "two"], "\(names)")
    if let d = value(Unix.open("/tmp/ft-d", SV_O_RDONLY | SV_O_DIRECTORY)) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = value(Unix.getdents(d, into: &buffer)) ?? 0
        let entries = Unix.parseDirectoryEntries(buffer[0..<n])
        check("getdents gives . and .. first, with types", entries.count == 5 && entries[0].name == "." && entries[1].name == ".."
              && entries[0].type == UInt8(SV_DT_DIR) && entries.dropFirst(2).allSatisfy { $0.type == UInt8(SV_DT_REG) })
        check("getdents at the end gives 0", value(Unix.getdents(d, into: &buffer)) == 0)
        check("rewinding a directory lists it again", value(Unix.lseek(d, 0, SV_SEEK_SET)) == 0 && value(Unix.getdents(d, into: &buffer)) == n)
        check("read of a directory is EISDIR", errno(Unix.read(d, into: &buffer)) == SV_EISDIR)
        check("fstat of a directory", value(Unix.fstat(d))?.isDirectory == true)
        _ = Unix.close(d)
    } else { check("open a directory", false) }
    check("a directory opened for writing is EISDIR", errno(Unix.open("/tmp/ft-d", SV_O_WRONLY)) == SV_EISDIR)
    check("O_DIRECTORY on a file is ENOTDIR", errno(Unix.open("/tmp/ft-d/one", SV_O_RDONLY | SV_O_DIRECTORY)) == SV_ENOTDIR)
    check("getdents on a file is ENOTDIR", {
        guard let f = value(Unix.open("/tmp/ft-d/one", SV_O_RDONLY)) else { return false }
        var b = [UInt8](repeating: 0, count: 256)
        defer { _ = Unix.close(f) }
        return errno(Unix.getdents(f, into: &b)) == SV_ENOTDIR
    }())
}

func devices() {
    guard let null = value(Unix.open("/dev/null", rw)), let zero = value(Unix.open("/dev/zero", SV_O_RDONLY)),
          let full = value(Unix.open("/dev/full", SV_O_WRONLY)), let random = value(Unix.open("/dev/urandom", SV_O_RDONLY)) else {
        check("open /dev/null, zero, full, urandom", false); return
    }
    var buffer = [UInt8](repeating: 7, count: 64)
    check("/dev/null: reads end, writes vanish", value(Unix.read(null, into: &buffer)) == 0 && value(Unix.write(null, buffer)) == 64)
    check("/dev/zero reads zeros", value(Unix.read(zero, into: &buffer)) == 64 && buffer.allSatisfy { $0 == 0 })
    check("/dev/full: ENOSPC", errno(Unix.write(full, [1])) == SV_ENOSPC)
    var other = [UInt8](repeating: 0, count: 64)
    check("/dev/urandom: two reads differ", value(Unix.read(random, into: &buffer)) == 64 && value(Unix.read(random, into: &other)) == 64 && buffer != other)
    check("a device is a character device", value(Unix.fstat(null)).map { $0.mode & UInt32(SV_S_IFMT) == UInt32(SV_S_IFCHR) && $0.device == 0x103 } == true)
    check("stat /dev/null", value(Unix.stat("/dev/null"))?.device == 0x103 && value(Unix.stat("/dev"))?.isDirectory == true)
    check("an unknown device is ENOENT", errno(Unix.open("/dev/nothing", SV_O_RDONLY)) == SV_ENOENT)
    check("/dev/tty is the terminal", value(Unix.open("/dev/tty", SV_O_WRONLY)).map { fd in defer { _ = Unix.close(fd) }; return value(Unix.write(fd, [])) == 0 } == true)
    for fd in [null, zero, full, random] { _ = Unix.close(fd) }
    if let (r, w) = value(Unix.pipe()) {
        check("a pipe: lseek is ESPIPE, fstat says FIFO, fsync is EINVAL", errno(Unix.lseek(r, 0, SV_SEEK_SET)) == SV_ESPIPE
              && value(Unix.fstat(w)).map { $0.mode & UInt32(SV_S_IFMT) == UInt32(SV_S_IFIFO) } == true && errno(Unix.fsync(w)) == SV_EINVAL)
        _ = Unix.close(r)
        _ = Unix.close(w)
    }
}

func badArguments() {
    var relative: [UInt8] = [UInt8(ascii: "a")]
    // SAFETY: the array's one byte is valid for the call; the kernel reads exactly one.
    let refused = relative.withUnsafeMutableBytes { sv_syscall4(Int64(SV_SYS_OPEN), UInt64(UInt(bitPattern: $0.baseAddress)), 1, 0, 0) }
    check("a relative path in the raw call is EINVAL", refused == -Int64(SV_EINVAL))
    check("a path that is not mapped is EFAULT", sv_syscall4(Int64(SV_SYS_OPEN), 0x10, 5, 0, 0) == -Int64(SV_EFAULT))
    check("a path longer than the protocol allows is ENAMETOOLONG",
          errno(Unix.open("/" + String(repeating: "x", count: 300), SV_O_RDONLY)) == SV_ENAMETOOLONG)
    check("fstat into unmapped memory is EFAULT", sv_syscall2(Int64(SV_SYS_FSTAT), 1, 0x10) == -Int64(SV_EFAULT))
    guard let fd = value(Unix.open("/tmp/ft-b", SV_O_RDONLY)) else { check("open ft-b", false); return }
    check("a read into unmapped memory is EFAULT", sv_syscall3(Int64(SV_SYS_READ), UInt64(fd), 0x10, 100) == -Int64(SV_EFAULT))
    check("a read of length 2^64-1 is an error, not a kernel crash", sv_syscall3(Int64(SV_SYS_READ), UInt64(fd), 0x10_0000, UInt64.max) < 0)
    _ = Unix.close(fd)
}

func pollfd(_ fd: Int32, _ events: Int32) -> sv_pollfd { sv_pollfd(fd: fd, events: Int16(events), revents: 0) }

func polling() {
    guard let (r, w) = value(Unix.pipe()) else { check("pipe", false); return }
    var fds = [pollfd(r, SV_POLLIN), pollfd(w, SV_POLLOUT)]
    check("poll: an empty pipe's writer is ready, its reader not", value(Unix.poll(&fds, timeoutMilliseconds: 0)) == 1
          && fds[0].revents == 0 && fds[1].revents == Int16(SV_POLLOUT))
    var one = [pollfd(r, SV_POLLIN)]
    let start = System.clock()
    check("poll: a timeout with nothing ready gives 0 after the time", value(Unix.poll(&one, timeoutMilliseconds: 40)) == 0
          && System.clock() - start >= 40_000_000, "\((System.clock() - start) / 1_000_000) ms")
    // A child writes after a while: the parent's poll wakes for it.
    guard let child = value(Unix.fork()) else { check("fork", false); return }
    if child == 0 {
        System.sleep(nanoseconds: 30_000_000)
        _ = Unix.write(w, [1, 2, 3])
        System.exit(0)
    }
    one = [pollfd(r, SV_POLLIN)]
    check("poll waits until a pipe has data", value(Unix.poll(&one, timeoutMilliseconds: -1)) == 1 && one[0].revents == Int16(SV_POLLIN))
    _ = Unix.waitpid(child)
    _ = Unix.close(w)
    var buffer = [UInt8](repeating: 0, count: 8)
    _ = Unix.read(r, into: &buffer)
    one = [pollfd(r, SV_POLLIN)]
    check("poll: a pipe without writers is POLLHUP", value(Unix.poll(&one, timeoutMilliseconds: -1)) == 1 && one[0].revents == Int16(SV_POLLHUP))
    _ = Unix.close(r)
    if let (r2, w2) = value(Unix.pipe()) {
        _ = Unix.close(r2)
        var fds2 = [pollfd(w2, SV_POLLOUT), pollfd(99, SV_POLLIN), pollfd(-1, SV_POLLIN)]
        check("poll: a writer without readers is POLLERR, a bad fd POLLNVAL, a negative one ignored",
              value(Unix.poll(&fds2, timeoutMilliseconds: 0)) == 2 && fds2[0].revents == Int16(SV_POLLERR)
              && fds2[1].revents == Int16(SV_POLLNVAL) && fds2[2].revents == 0)
        _ = Unix.close(w2)
    }
    if let f = value(Unix.open("/tmp/ft-b", SV_O_RDONLY)) {
        var file = [pollfd(f, SV_POLLIN | SV_POLLOUT)]
        check("poll: a regular file is always readable (and not writable when opened read-only)",
              value(Unix.poll(&file, timeoutMilliseconds: -1)) == 1 && file[0].revents == Int16(SV_POLLIN))
        _ = Unix.close(f)
    }
    var many = [sv_pollfd](repeating: pollfd(0, 0), count: Int(SV_POLL_MAX) + 1)
    check("poll of more than SV_POLL_MAX descriptors is EINVAL", errno(Unix.poll(&many, timeoutMilliseconds: 0)) == SV_EINVAL)
    check("poll of an unmapped array is EFAULT", sv_syscall3(Int64(SV_SYS_POLL), 0x10, 2, 0) == -Int64(SV_EFAULT))
}

/// The exec bit: a program copied without it is refused (EACCES), with it it runs.
func execBit() {
    guard case .success(let image) = Files.read("/bin/hello") else { check("read /bin/hello", false); return }
    _ = Files.write("/tmp/ft-prog", image)
    _ = Files.changeMode("/tmp/ft-prog", 0o644)
    check("stat shows the mode chmod set", value(Unix.stat("/tmp/ft-prog")).map { $0.mode & 0o777 == 0o644 } == true)
    check("execve of a file without an execute bit is EACCES", Unix.execve("/tmp/ft-prog", arguments: ["ft-prog"]).code == SV_EACCES)
    check("execve of a directory is EACCES", Unix.execve("/tmp", arguments: ["tmp"]).code == SV_EACCES)
    _ = Files.changeMode("/tmp/ft-prog", 0o755)
    guard let child = value(Unix.fork()) else { check("fork", false); return }
    if child == 0 {
        _ = Unix.execve("/tmp/ft-prog", arguments: ["ft-prog"])
        System.exit(99)
    }
    check("with the execute bit it runs", value(Unix.waitpid(child))?.status.exitCode == 0)
    let now: Int64 = 1_700_000_000_123_456_789
    check("utimes sets the modification time", errno(Files.setModificationTime("/tmp/ft-prog", nanoseconds: now)) == 0
          && value(Unix.stat("/tmp/ft-prog")).map { $0.modified.seconds == 1_700_000_000 && $0.modified.nanoseconds == 123_456_789 } == true)
}

/// A server for the grant cases (a forked child): op 1 writes into the mapped lease, op 2 maps
/// one page again and again without replying (a grant storm) and answers how many maps worked and
/// the error that stopped them, op 3 writes into a read-only mapping (and so dies), op 4 dies
/// holding a mapping.
func grantServer() -> Never {
    let endpoint = Channel.serve("granttest")
    guard endpoint > 0 else { System.exit(2) }
    var next = Channel.receive(endpoint)
    while case .success(let m) = next {
        var reply: [UInt8] = [0]
        switch m.request.first ?? 0 {
        case 1:
            if let w = Channel.leaseMap(m.caller, offset: 0, length: m.leaseLength) {
                w[0] = UInt8(ascii: "M")
                w[m.leaseLength - 1] = UInt8(ascii: "Z")
                reply = [1]
            }
        case 2:
            var maps = 0
            while Channel.leaseMap(m.caller, offset: 0, length: 4096) != nil { maps += 1 }
            let e = sv_syscall3(Int64(SV_SYS_IPC_LEASE_MAP), m.caller, 0, 4096)
            reply = Array(String(maps).utf8) + [UInt8(ascii: " ")] + Array(String(-e).utf8)
        case 3:
            if let w = Channel.leaseMap(m.caller, offset: 0, length: m.leaseLength) { w[0] = 1 }
        case 4:
            _ = Channel.leaseMap(m.caller, offset: 0, length: m.leaseLength)
            System.exit(0)
        default: break
        }
        next = Channel.replyAndReceive(endpoint, caller: m.caller, reply: reply)
    }
    System.exit(1)
}

func startGrantServer() -> (pid: Int, endpoint: Int)? {
    guard let pid = value(Unix.fork()) else { return nil }
    if pid == 0 { grantServer() }
    let deadline = System.clock() + 5_000_000_000
    while System.clock() < deadline {
        let e = Channel.lookup("granttest")
        if e > 0 { return (pid, e) }
        System.sleep(nanoseconds: 1_000_000)
    }
    return nil
}

func grants() {
    guard let before = Unix.memoryInfo()?.free, let (pid, endpoint) = startGrantServer() else { check("grant server", false); return }
    var buffer = [UInt8](repeating: 0, count: 3 * 4096 + 100)
    let r1 = buffer.withUnsafeMutableBytes { Channel.call(endpoint, request: [1], lease: $0, leaseFlags: SV_LEASE_WRITE) }
    check("lease_map: the server writes straight into the caller's buffer", value(r1) == [1]
          && buffer.first == UInt8(ascii: "M") && buffer.last == UInt8(ascii: "Z"))
    var page = [UInt8](repeating: 0, count: 4096)
    // A 4096-byte array spans two pages unless it happens to be page-aligned.
    var pagesPerMap = 2
    let r2 = page.withUnsafeMutableBytes { b -> Result<[UInt8], Errno> in
        if UInt(bitPattern: b.baseAddress) % 4096 == 0 { pagesPerMap = 1 }
        return Channel.call(endpoint, request: [2], lease: b, leaseFlags: SV_LEASE_READ)
    }
    let storm = value(r2).map { String(decoding: $0, as: UTF8.self) } ?? "nothing"
    check("a grant storm stops at SV_GRANT_PAGES_MAX pages with ENOMEM",
          storm == "\(Int(SV_GRANT_PAGES_MAX) / pagesPerMap) \(SV_ENOMEM)", storm)
    let r3 = page.withUnsafeMutableBytes { Channel.call(endpoint, request: [3], lease: $0, leaseFlags: SV_LEASE_READ) }
    let status = value(Unix.waitpid(pid))?.status
    check("a read-only grant cannot be written: the server dies (SIGSEGV), the caller gets EPIPE",
          errno(r3) == SV_EPIPE && status?.signal == 11, "\(status?.raw ?? -1)")
    guard let (pid2, endpoint2) = startGrantServer() else { check("grant server", false); return }
    let r4 = buffer.withUnsafeMutableBytes { Channel.call(endpoint2, request: [4], lease: $0, leaseFlags: SV_LEASE_WRITE) }
    _ = Unix.waitpid(pid2)
    check("a server that ends holding a grant: the caller gets EPIPE", errno(r4) == SV_EPIPE)
    buffer[0] = 7
    check("and the caller's memory is still its own", buffer[0] == 7)
    check("every frame comes back after the grants", Unix.memoryInfo()?.free == before, "\(before) → \(Unix.memoryInfo()?.free ?? 0)")
}

/// A big file: one read of many MiB is one request, and writes of any size arrive whole.
func bigFile() {
    let size = 3 << 20
    var data = [UInt8](repeating: 0, count: size)
    for i in 0..<size { data[i] = UInt8(truncatingIfNeeded: i &* 7 &+ i >> 12) }
    guard let fd = value(Unix.open("/tmp/ft-big", rw | create | SV_O_TRUNC)) else { check("open ft-big", false); return }
    check("3 MiB written (in short writes of at most 1 MiB)", errno(Unix.writeAll(fd, data)) == 0 && value(Unix.fstat(fd))?.size == UInt64(size))
    _ = Unix.lseek(fd, 0, SV_SEEK_SET)
    var back = [UInt8](repeating: 0, count: size)
    check("3 MiB read back in one read", value(Unix.read(fd, into: &back)) == size && back == data)
    _ = Unix.close(fd)
}

/// The file server's pid, or nil.
func fileServer() -> Int? {
    System.processes().first { $0.name == "fsd" && $0.state != "zombie" }?.pid
}

/// Waits until a file server (other than `old`) serves again.
func waitForNewServer(besides old: Int) -> Int? {
    let deadline = System.clock() + 10_000_000_000
    while System.clock() < deadline {
        if let pid = fileServer(), pid != old, Channel.lookup(FileProtocol.service) > 0 { return pid }
        System.sleep(nanoseconds: 2_000_000)
    }
    return nil
}

/// Killing the file server while descriptors are open (one on an unlinked file): every call goes on.
func serverRestart() {
    guard let fd = value(Unix.open("/tmp/ft-r", rw | create | SV_O_TRUNC)) else { check("open ft-r", false); return }
    _ = write(fd, "before")
    _ = Files.unlink("/tmp/ft-r")
    var killed = 0
    for round in 0..<3 {
        guard let pid = fileServer(), System.kill(pid) == 0 else { break }
        killed += 1
        _ = write(fd, " \(round)")
        _ = waitForNewServer(besides: pid)
    }
    _ = Unix.lseek(fd, 0, SV_SEEK_SET)
    check("an unlinked open file survives \(killed) file server restarts", killed == 3 && readString(fd, 100) == "before 0 1 2")
    let inode = value(Unix.fstat(fd))?.inode ?? 0
    _ = Unix.close(fd)
    // The close notice reaches the current server, which drops the orphan.
    check("its data is freed at the last close, after the restarts", errno(Unix.stat("/.orphans/\(inode)")) == SV_ENOENT)
}

/// Starts `path` with `arguments`, its stdin and stdout the given descriptors (-1: inherited).
func start(_ path: String, _ arguments: [String], stdin: Int32, stdout: Int32, closing: [Int32]) -> Int? {
    guard let pid = value(Unix.fork()) else { return nil }
    if pid == 0 {
        if stdin >= 0 { _ = Unix.dup2(stdin, 0) }
        if stdout >= 0 { _ = Unix.dup2(stdout, 1) }
        for fd in closing { _ = Unix.close(fd) }
        print("filetests: exec \(path): \(Unix.execve(path, arguments: arguments).description)")
        System.exit(127)
    }
    return pid
}

/// `cat FILE | wc -c` while the file server is killed, each time as soon as it is back, until
/// the pipeline ends: the answer must be exact.
func pipelineUnderKills(_ path: String, mebibytes: Int, maximumKills: Int) -> Never {
    let size = mebibytes << 20
    var data = [UInt8](repeating: 0, count: 1 << 20)
    for i in 0..<data.count { data[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 9) }
    guard let fd = value(Unix.open(path, rw | create | SV_O_TRUNC)) else { print("filetests: cannot create \(path)"); System.exit(1) }
    for i in 0..<mebibytes {
        // A short file (a full disk) would make the count wrong for a reason that is not the test's.
        if case .failure(let e) = Unix.writeAll(fd, data) {
            print("filetests: cannot write \(path) (MiB \(i) of \(mebibytes)): error \(e.code)")
            System.exit(1)
        }
    }
    _ = Unix.close(fd)
    guard let (r, w) = value(Unix.pipe()), let (answerRead, answerWrite) = value(Unix.pipe()),
          let cat = start("/bin/cat", ["cat", path], stdin: -1, stdout: w, closing: [r, w, answerRead, answerWrite]),
          let wc = start("/bin/wc", ["wc", "-c"], stdin: r, stdout: answerWrite, closing: [r, w, answerRead, answerWrite]) else {
        print("filetests: cannot start the pipeline"); System.exit(1)
    }
    for d in [r, w, answerWrite] { _ = Unix.close(d) }
    var kills = 0
    var running = [cat, wc]
    // init gives up on a server that dies more than 16 times in 10 s: at most 15 kills, 0.1 s apart.
    let maximumKills = min(maximumKills, 15)
    var nextKill: UInt64 = 0
    while !running.isEmpty {
        running.removeAll { pid in value(Unix.waitpid(pid, options: SV_WNOHANG))?.pid == pid }
        if running.isEmpty { break }
        guard System.clock() >= nextKill, kills < maximumKills else { System.sleep(nanoseconds: 5_000_000); continue }
        guard let server = fileServer(), System.kill(server) == 0 else { continue }
        kills += 1
        nextKill = System.clock() + 100_000_000
        guard waitForNewServer(besides: server) != nil else { print("filetests: the file server did not come back"); System.exit(1) }
    }
    var answer = [UInt8](repeating: 0, count: 100)
    let n = value(Unix.read(answerRead, into: &answer)) ?? 0
    let words = String(decoding: answer.prefix(n), as: UTF8.self).split(separator: " ").map { String($0) }
    print("filetests: pipeline: cat \(path) | wc -c gave \(words.first.map { $0.split(separator: "\n").first.map(String.init) ?? $0 } ?? "nothing") (expected \(size)) while the file server was killed \(kills) times")
    System.exit(0)
}

/// Read throughput through descriptors, and the raw trap cost measured in the same run.
func bench() -> Never {
    let size = 16 << 20
    var data = [UInt8](repeating: 0x5a, count: 1 << 20)
    guard let fd = value(Unix.open("/tmp/ft-bench", rw | create | SV_O_TRUNC)) else { System.exit(1) }
    for _ in 0..<16 { data[0] &+= 1; _ = Unix.writeAll(fd, data) }
    let traps = 20_000
    var start = System.clock()
    for _ in 0..<traps { System.nop() }
    let trap = (System.clock() - start) / UInt64(traps)
    print("filetests: bench: null system call \(trap) ns")
    for chunk in [64 << 10, 4 << 20] {
        var buffer = [UInt8](repeating: 0, count: chunk)
        for i in stride(from: 0, to: chunk, by: 4096) { buffer[i] = 1 }   // every page present (no first-touch faults)
        var best: UInt64 = .max
        for _ in 0..<3 {
            _ = Unix.lseek(fd, 0, SV_SEEK_SET)
            start = System.clock()
            var total = 0
            while case .success(let n) = Unix.read(fd, into: &buffer), n > 0 { total += n }
            let elapsed = System.clock() - start
            guard total == size else { print("filetests: bench: read \(total) of \(size)"); System.exit(1) }
            best = min(best, elapsed)
        }
        let mibPerSecond = best > 0 ? UInt64(size) * 1_000_000_000 / best / (1 << 20) : 0
        print("filetests: bench: read 16 MiB in \(chunk >> 10) KiB reads: \(best / 1_000_000) ms, \(mibPerSecond) MiB/s, \(best / UInt64(size / chunk) / max(trap, 1)) null-call times per read")
    }
    _ = Unix.close(fd)
    _ = Files.unlink("/tmp/ft-bench")
    System.exit(0)
}

let arguments = System.arguments
if arguments.count >= 2 && arguments[1] == "bench" { bench() }
if arguments.count >= 4 && arguments[1] == "pipeline" {
    pipelineUnderKills(arguments[2], mebibytes: Int(arguments[3]) ?? 1, maximumKills: arguments.count > 4 ? Int(arguments[4]) ?? 0 : Int.max)
}
openFlags()
sharedOffsets()
unlinkWhileOpen()
directories()
devices()
badArguments()
polling()
execBit()
grants()
bigFile()
serverRestart()
print("filetests: \(total - failures) of \(total) passed")
System.exit(Int32(failures))
