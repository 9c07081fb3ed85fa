// Credentials.swift — the user and group system calls (sv_syscall.h 80–90; the kernel's rules in
// Kernel/KernelCore/Credentials.swift), and the user and group databases (/etc/passwd and
// /etc/group, XBD 3.192 / getpwnam's format: "name:password:uid:gid:gecos:home:shell" and
// "name:password:gid:member,member"). Without the files only root (0) has a name.
import ABI
import UserRuntime

public enum Credentials {
    /// "Leave it" for setreuid/setregid, as (uid_t)-1.
    public static let unchanged = UInt32.max

    public static func getuid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETUID))) }
    public static func geteuid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETEUID))) }
    public static func getgid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETGID))) }
    public static func getegid() -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall0(Int64(SV_SYS_GETEGID))) }

    public static func setuid(_ id: UInt32) -> Result<Int, Errno> { Unix.result(sv_syscall1(Int64(SV_SYS_SETUID), UInt64(id))) }
    public static func setgid(_ id: UInt32) -> Result<Int, Errno> { Unix.result(sv_syscall1(Int64(SV_SYS_SETGID), UInt64(id))) }
    public static func setreuid(_ real: UInt32, _ effective: UInt32) -> Result<Int, Errno> {
        Unix.result(sv_syscall2(Int64(SV_SYS_SETREUID), UInt64(real), UInt64(effective)))
    }
    public static func setregid(_ real: UInt32, _ effective: UInt32) -> Result<Int, Errno> {
        Unix.result(sv_syscall2(Int64(SV_SYS_SETREGID), UInt64(real), UInt64(effective)))
    }

    /// The supplementary groups.
    public static func getgroups() -> [UInt32] {
        var groups = [UInt32](repeating: 0, count: Int(SV_NGROUPS_MAX))
        // SAFETY: room for SV_NGROUPS_MAX ids, the most the kernel keeps; it writes at most `max`.
        let n = groups.withUnsafeMutableBufferPointer {
            sv_syscall2(Int64(SV_SYS_GETGROUPS), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count))
        }
        return n < 0 ? [] : Array(groups.prefix(Int(n)))
    }
    public static func setgroups(_ list: [UInt32]) -> Result<Int, Errno> {
        // SAFETY: the list is valid for the call; the kernel reads `count` ids.
        list.withUnsafeBufferPointer {
            Unix.result(sv_syscall2(Int64(SV_SYS_SETGROUPS), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count)))
        }
    }

    /// umask(mask): sets this process's file mode creation mask; returns the old one.
    public static func umask(_ mask: UInt32) -> UInt32 { UInt32(truncatingIfNeeded: sv_syscall1(Int64(SV_SYS_UMASK), UInt64(mask & 0o777))) }
    /// The mask, unchanged (umask twice: POSIX has no call that only reads it).
    public static func currentUmask() -> UInt32 {
        let m = umask(0)
        _ = umask(m)
        return m
    }
}

/// One /etc/passwd line.
public struct UserEntry: Equatable {
    public var name: String, uid: UInt32, gid: UInt32, home: String, shell: String
}

/// One /etc/group line.
public struct GroupEntry: Equatable {
    public var name: String, gid: UInt32, members: [String]
}

public enum UserDatabase {
    /// The colon-separated fields of each non-empty line of `path` (none if it cannot be read).
    static func records(_ path: String) -> [[String]] {
        guard case .success(let bytes) = Files.read(path) else { return [] }
        return bytes.split(separator: UInt8(ascii: "\n")).map { line in
            line.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    static func number(_ s: String) -> UInt32? {
        guard !s.isEmpty, s.utf8.count <= 10 else { return nil }
        var v: UInt64 = 0
        for c in s.utf8 {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + UInt64(c - 0x30)
        }
        return v < UInt64(UInt32.max) ? UInt32(v) : nil
    }

    /// Every user of /etc/passwd, in file order; root alone when there is no file.
    public static func users() -> [UserEntry] {
        var list: [UserEntry] = []
        for f in records("/etc/passwd") where f.count >= 7 {
            guard let uid = number(f[2]), let gid = number(f[3]) else { continue }
            list.append(UserEntry(name: f[0], uid: uid, gid: gid, home: f[5], shell: f[6]))
        }
        return list.isEmpty ? [UserEntry(name: "root", uid: 0, gid: 0, home: "/root", shell: "/bin/sh")] : list
    }

    /// Every group of /etc/group; root alone when there is no file.
    public static func groups() -> [GroupEntry] {
        var list: [GroupEntry] = []
        for f in records("/etc/group") where f.count >= 4 {
            guard let gid = number(f[2]) else { continue }
            let members = f[3].isEmpty ? [] : f[3].split(separator: ",").map { String($0) }
            list.append(GroupEntry(name: f[0], gid: gid, members: members))
        }
        return list.isEmpty ? [GroupEntry(name: "root", gid: 0, members: [])] : list
    }

    public static func user(uid: UInt32) -> UserEntry? { users().first { $0.uid == uid } }
    public static func user(named name: String) -> UserEntry? { users().first { $0.name == name } }
    public static func group(gid: UInt32) -> GroupEntry? { groups().first { $0.gid == gid } }
    public static func group(named name: String) -> GroupEntry? { groups().first { $0.name == name } }
    /// The groups that list `user` as a member (initgroups' list, less the primary group).
    public static func memberships(of user: String) -> [UInt32] { groups().filter { $0.members.contains(user) }.map { $0.gid } }
}
