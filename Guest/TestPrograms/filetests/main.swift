// filetests — files as descriptors, checked from user mode against POSIX: open's flags (O_CREAT,
// O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_CLOEXEC), read/write/lseek offsets shared by dup and
// fork, fstat/stat, ftruncate, fsync, getdents, unlink while open, the kernel's /dev devices, and
// descriptors that keep working while the file server is killed and restarted. One line per case;
// exits with the number of failures.
//   filetests            the cases (needs a writable /tmp on the file server)
//   filetests kill-fsd N  kills the file server N times, each time once it is back (for the
//                         boot test that runs a pipeline meanwhile)
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

func killServer(times: Int) -> Never {
    for _ in 0..<times {
        guard let pid = fileServer() else { print("filetests: no file server"); System.exit(1) }
        System.sleep(nanoseconds: 20_000_000)
        _ = System.kill(pid)
        guard waitForNewServer(besides: pid) != nil else { print("filetests: the file server did not come back"); System.exit(1) }
    }
    print("filetests: killed the file server \(times) times")
    System.exit(0)
}

let arguments = System.arguments
if arguments.count >= 3 && arguments[1] == "kill-fsd" { killServer(times: Int(arguments[2]) ?? 1) }
openFlags()
sharedOffsets()
unlinkWhileOpen()
directories()
devices()
badArguments()
bigFile()
serverRestart()
print("filetests: \(total - failures) of \(total) passed")
System.exit(Int32(failures))
