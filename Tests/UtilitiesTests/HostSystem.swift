// HostSystem.swift — HostIO's SystemIO over Glibc: statx(2) for stat's whole status (with the
// birth time), uname(2), the process's ids and the passwd/group databases (getpwuid, getgrnam, …),
// O_EXCL creation, mkdir, getrandom, link/symlink, chown, access(2), CLOCK_MONOTONIC and
// getrusage(RUSAGE_CHILDREN).
import Foundation
import Glibc
import Utilities

let databaseLock = NSLock()

extension HostIO: SystemIO {
    func fullStatus(_ path: String, followLinks: Bool) -> Result<FullStatus, SystemError> {
        // statx(2) for the birth time GNU stat prints; Swift's Glibc module does not import it, so
        // it is looked up by name and its struct read at the offsets of linux/stat.h (stable ABI).
        typealias StatxFunction = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UInt32, UnsafeMutableRawPointer) -> Int32
        guard let symbol = dlsym(nil, "statx") else { return .failure(SystemError(ENOSYS)) }
        let call = unsafeBitCast(symbol, to: StatxFunction.self)
        var buffer = [UInt8](repeating: 0, count: 256)
        // STATX_BASIC_STATS | STATX_BTIME (0x7ff | 0x800)
        let r = buffer.withUnsafeMutableBytes { raw in
            // SAFETY: the kernel writes one struct statx (256 bytes) into the buffer.
            call(AT_FDCWD, resolve(path), followLinks ? 0 : AT_SYMLINK_NOFOLLOW, 0xfff, raw.baseAddress!)
        }
        guard r == 0 else { return .failure(SystemError(errno)) }
        func u32(_ at: Int) -> UInt32 { buffer[at..<(at + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func u64(_ at: Int) -> UInt64 { buffer[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        func time(_ at: Int) -> Timestamp { Timestamp(seconds: Int64(bitPattern: u64(at)), nanoseconds: Int64(u32(at + 8))) }
        let mask = u32(0)
        return .success(FullStatus(
            mode: u32(28) & 0xffff, size: u64(40), blocks: u64(48), blockSize: UInt64(u32(4)),
            inode: u64(32), links: UInt64(u32(16)), uid: u32(20), gid: u32(24),
            deviceMajor: u32(136), deviceMinor: u32(140), specialMajor: u32(128), specialMinor: u32(132),
            accessed: time(64), modified: time(112), changed: time(96),
            born: mask & 0x800 != 0 ? time(80) : nil))
    }

    func linkTarget(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { readlink(resolve(path), $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4096) }
        return n < 0 ? nil : String(decoding: buffer[0..<n], as: UTF8.self)
    }

    func systemNames() -> SystemNames {
        var u = utsname()
        _ = uname(&u)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return SystemNames(system: field(u.sysname), node: field(u.nodename), release: field(u.release), version: field(u.version),
                           machine: field(u.machine), operatingSystem: "GNU/Linux")
    }

    func identity() -> Identity {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        _ = getgroups(count, &groups)
        return Identity(uid: getuid(), euid: geteuid(), gid: getgid(), egid: getegid(), groups: groups)
    }

    // getpwnam and the rest return a static buffer: one lookup at a time (tests run in parallel).
    func userName(_ uid: UInt32) -> String? { databaseLock.withLock { getpwuid(uid).map { String(cString: $0.pointee.pw_name) } } }

    func user(named name: String) -> (uid: UInt32, gid: UInt32)? {
        databaseLock.withLock { getpwnam(name).map { ($0.pointee.pw_uid, $0.pointee.pw_gid) } }
    }

    func groupName(_ gid: UInt32) -> String? { databaseLock.withLock { getgrgid(gid).map { String(cString: $0.pointee.gr_name) } } }

    func groupID(named name: String) -> UInt32? { databaseLock.withLock { getgrnam(name).map { $0.pointee.gr_gid } } }

    func supplementaryGroups(of user: String) -> [UInt32] {
        databaseLock.withLock { groupList(user) }
    }

    private func groupList(_ user: String) -> [UInt32] {
        guard let pw = getpwnam(user) else { return [] }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: 64)
        if getgrouplist(user, pw.pointee.pw_gid, &groups, &count) < 0 { return [] }
        return Array(groups.prefix(Int(count)))
    }

    func createExclusive(_ path: String, mode: UInt32) -> Result<Void, SystemError> {
        let fd = Glibc.open(resolve(path), O_WRONLY | O_CREAT | O_EXCL, mode)
        if fd < 0 { return .failure(SystemError(errno)) }
        created.append(path)
        _ = Glibc.close(fd)
        return .success(())
    }

    func makeDirectory(_ path: String, mode: UInt32) -> Result<Void, SystemError> {
        mkdir(resolve(path), mode) == 0 ? .success(()) : .failure(SystemError(errno))
    }

    func randomBytes(_ count: Int) -> [UInt8] {
        guard let data = FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: count), data.count == count else {
            return (0..<count).map { _ in UInt8.random(in: 0...255) }
        }
        return Array(data)
    }

    func openOutput(_ path: String, offset: UInt64, truncate: Bool) -> Result<HostSink, SystemError> {
        let fd = Glibc.open(resolve(path), O_WRONLY | O_CREAT, 0o666)
        if fd < 0 { return .failure(SystemError(errno)) }
        var st = Glibc.stat()
        // GNU dd cuts a regular file at seek= unless conv=notrunc (not a device: /dev/null)
        if truncate && fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFREG && ftruncate(fd, off_t(offset)) != 0 {
            let e = errno; _ = Glibc.close(fd); return .failure(SystemError(e))
        }
        if offset > 0 && lseek(fd, off_t(offset), SEEK_SET) < 0 { let e = errno; _ = Glibc.close(fd); return .failure(SystemError(e)) }
        return .success(HostSink(fd))
    }

    func makeLink(_ target: String, at path: String, symbolic: Bool) -> Result<Void, SystemError> {
        let r = symbolic ? symlink(target, resolve(path)) : link(resolve(target), resolve(path))
        return r == 0 ? .success(()) : .failure(SystemError(errno))
    }

    func changeOwner(_ path: String, uid: UInt32?, gid: UInt32?) -> Result<Void, SystemError> {
        chown(resolve(path), uid ?? UInt32.max, gid ?? UInt32.max) == 0 ? .success(()) : .failure(SystemError(errno))
    }

    func isExecutableFile(_ path: String) -> Bool {
        var st = Glibc.stat()
        let full = resolve(path)
        return fstatat(AT_FDCWD, full, &st, 0) == 0 && st.st_mode & S_IFMT == S_IFREG && access(full, X_OK) == 0
    }

    func monotonicNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    func sleep(nanoseconds: UInt64) -> Bool {
        // A tool that waits past `sleepBudget` in all is told to stop (the fuzz pass: random
        // options include tail -f, which would otherwise follow its file for ever).
        if let budget = sleepBudget {
            guard slept < budget else { return false }
            slept += nanoseconds
        }
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
        return true
    }

    func childrenTimes() -> (user: UInt64, system: UInt64)? {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage) == 0 else { return nil }
        func ns(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_usec) * 1000 }
        return (ns(usage.ru_utime), ns(usage.ru_stime))
    }

    func outputIsTerminal() -> Bool { false }
    func terminalColumns() -> Int? { nil }
}
