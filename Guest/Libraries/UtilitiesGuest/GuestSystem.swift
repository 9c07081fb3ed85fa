// GuestSystem.swift — GuestIO's SystemIO: what this system can tell and do for stat, uname, id,
// mktemp, dd, ln, chown, which and time, and what it cannot, said as Linux says it:
//  * stat: the kernel's fstat/stat (mode, size, blocks, inode, links, mtime, ctime, rdev). There
//    is no access time (it is the modification time), no creation time (stat prints "-"), no
//    st_dev (device 0,0). Owners are fsd's (uid, gid).
//  * uname: the kernel has no uname call yet, so the names are this library's: the system and
//    operating system "swiftvm", node $HOSTNAME or "swiftvm", release "1.0", version "#1",
//    machine "x86_64" (the only architecture the kernel runs on).
//  * id/whoami: the kernel's ids (UserLib Credentials); names from /etc/passwd and /etc/group.
//  * ln: RedoxFS keeps symbolic links but neither fsd nor the kernel has a call to make one, and
//    there are no hard links: every link fails with ENOTSUP ("Operation not supported").
//  * chown: fsd's SETATTR, which enforces XSH chown's rules (EPERM).
//  * time: no CPU-time accounting for children: user and sys are 0.
import ABI
import UserLib
import Utilities

extension GuestIO: SystemIO {
    public func fullStatus(_ path: String, followLinks: Bool) -> Result<FullStatus, SystemError> {
        switch Unix.stat(path) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(let s):
            let modified = Timestamp(seconds: s.modified.seconds, nanoseconds: s.modified.nanoseconds)
            return .success(FullStatus(
                mode: s.mode, size: s.size, blocks: s.blocks, blockSize: 4096, inode: s.inode, links: UInt64(s.links),
                uid: s.uid, gid: s.gid, deviceMajor: 0, deviceMinor: 0,
                specialMajor: UInt32(truncatingIfNeeded: (s.device >> 8) & 0xfff),
                specialMinor: UInt32(truncatingIfNeeded: (s.device & 0xff) | ((s.device >> 12) & 0xfff00)),
                accessed: modified, modified: modified,
                changed: Timestamp(seconds: s.changed.seconds, nanoseconds: s.changed.nanoseconds), born: nil))
        }
    }

    public func linkTarget(_ path: String) -> String? { nil }

    public func systemNames() -> SystemNames {
        let node = Environment.get("HOSTNAME").flatMap { $0.isEmpty ? nil : $0 } ?? "swiftvm"
        return SystemNames(system: "swiftvm", node: node, release: "1.0", version: "#1", machine: "x86_64", operatingSystem: "swiftvm")
    }

    public func identity() -> Identity {
        // getgroups may or may not list the effective group (XSH getgroups); id prints it first.
        let egid = Credentials.getegid()
        var groups = [egid]
        for g in Credentials.getgroups() where !groups.contains(g) { groups.append(g) }
        return Identity(uid: Credentials.getuid(), euid: Credentials.geteuid(), gid: Credentials.getgid(), egid: egid, groups: groups)
    }
    public func userName(_ uid: UInt32) -> String? { UserDatabase.user(uid: uid)?.name }
    public func user(named name: String) -> (uid: UInt32, gid: UInt32)? { UserDatabase.user(named: name).map { ($0.uid, $0.gid) } }
    public func groupName(_ gid: UInt32) -> String? { UserDatabase.group(gid: gid)?.name }
    public func groupID(named name: String) -> UInt32? { UserDatabase.group(named: name)?.gid }
    public func supplementaryGroups(of user: String) -> [UInt32] { UserDatabase.memberships(of: user) }

    public func createExclusive(_ path: String, mode: UInt32) -> Result<Void, SystemError> {
        switch Unix.open(path, SV_O_WRONLY | SV_O_CREAT | SV_O_EXCL | SV_O_CLOEXEC, mode: mode) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(let fd): _ = Unix.close(fd); return .success(())
        }
    }

    public func makeDirectory(_ path: String, mode: UInt32) -> Result<Void, SystemError> {
        let absolute = Paths.absolute(path)
        if case .failure(let e) = Files.makeDirectory(absolute) { return .failure(SystemError(e.code)) }
        return Files.changeMode(absolute, mode).mapError { SystemError($0.code) }
    }

    /// No entropy source for programs yet: the time-stamp counter and the pid, mixed (xorshift*);
    /// mktemp's exclusive creation makes a repeated name a retry, never a clash.
    public func randomBytes(_ count: Int) -> [UInt8] {
        var state = System.timestamp() ^ (UInt64(System.getpid()) << 32) ^ 0x9E37_79B9_7F4A_7C15
        var bytes: [UInt8] = []
        for _ in 0..<count {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            bytes.append(UInt8(truncatingIfNeeded: (state &* 2_685_821_657_736_338_717) >> 56))
        }
        return bytes
    }

    public func openOutput(_ path: String, offset: UInt64, truncate: Bool) -> Result<FileSink, SystemError> {
        let fd: Int32
        switch Unix.open(path, SV_O_WRONLY | SV_O_CREAT | SV_O_CLOEXEC, mode: 0o666) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(let d): fd = d
        }
        if truncate, case .success(let s) = Unix.fstat(fd), s.isRegular, case .failure(let e) = Unix.ftruncate(fd, offset) {
            _ = Unix.close(fd); return .failure(SystemError(e.code))
        }
        if offset > 0, case .failure(let e) = Unix.lseek(fd, Int64(truncatingIfNeeded: offset), SV_SEEK_SET) {
            _ = Unix.close(fd); return .failure(SystemError(e.code))
        }
        return .success(FileSink(fd: fd))
    }

    public func makeLink(_ target: String, at path: String, symbolic: Bool) -> Result<Void, SystemError> {
        // an existing name is still "File exists", as on Linux
        if case .success = Unix.stat(path) { return .failure(.EEXIST) }
        return .failure(.ENOTSUP)
    }

    public func changeOwner(_ path: String, uid: UInt32?, gid: UInt32?) -> Result<Void, SystemError> {
        Files.changeOwner(Paths.absolute(path), uid: uid, gid: gid).mapError { SystemError($0.code) }
    }

    public func isExecutableFile(_ path: String) -> Bool {
        if case .success = Unix.executable(path) { return true }
        return false
    }

    public func monotonicNanoseconds() -> UInt64 {
        guard case .success(let t) = Unix.clock(SV_CLOCK_MONOTONIC) else { return 0 }
        return UInt64(max(t.seconds, 0)) &* 1_000_000_000 &+ UInt64(max(t.nanoseconds, 0))
    }

    public func sleep(nanoseconds: UInt64) -> Bool {
        System.sleep(nanoseconds: nanoseconds)
        return true
    }

    public func childrenTimes() -> (user: UInt64, system: UInt64)? { nil }

    public func outputIsTerminal() -> Bool {
        if case .success = TerminalCalls.getAttributes(1) { return true }
        return false
    }

    public func terminalColumns() -> Int? {
        guard case .success(let size) = TerminalCalls.windowSize(1), size.columns > 0 else { return nil }
        return size.columns
    }
}
