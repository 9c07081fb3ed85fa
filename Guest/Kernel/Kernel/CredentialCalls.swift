// CredentialCalls.swift — the user and group system calls (sv_syscall.h 80–90): ids come from and
// go to registers; KernelCore's Credentials decides every change. Ids are 32 bits (uid_t): a
// register with more set is not an id (EINVAL), never truncated into a different one.
import ABI
import KernelCore

enum CredentialCalls {
    /// A register as an id: the low 32 bits if the rest are clear, or all ones (-1 from C's int
    /// as well as from uid_t), else nil.
    static func id(_ v: UInt64) -> UInt32? {
        if v == UInt64.max { return Credentials.unchanged }
        return v <= UInt64(UInt32.max) ? UInt32(v) : nil
    }

    static func apply(_ r: Result<Void, KernelError>) -> UInt64 {
        switch r {
        case .success: return 0
        case .failure(let e): return e.result
        }
    }

    /// Dispatches calls SV_SYS_GETUID … SV_SYS_UMASK; nil for any other number.
    static func dispatch(_ t: UserThread, number: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64? {
        let p = t.process
        switch number {
        case UInt64(SV_SYS_GETUID): return UInt64(p.credentials.uid)
        case UInt64(SV_SYS_GETEUID): return UInt64(p.credentials.euid)
        case UInt64(SV_SYS_GETGID): return UInt64(p.credentials.gid)
        case UInt64(SV_SYS_GETEGID): return UInt64(p.credentials.egid)
        case UInt64(SV_SYS_SETUID), UInt64(SV_SYS_SETGID):
            guard let v = id(a) else { return Syscalls.errno(SV_EINVAL) }
            return apply(number == UInt64(SV_SYS_SETUID) ? p.credentials.setUser(v) : p.credentials.setGroup(v))
        case UInt64(SV_SYS_SETREUID), UInt64(SV_SYS_SETREGID):
            guard let r = id(a), let e = id(b) else { return Syscalls.errno(SV_EINVAL) }
            return apply(number == UInt64(SV_SYS_SETREUID) ? p.credentials.setRealAndEffectiveUser(r, e)
                                                          : p.credentials.setRealAndEffectiveGroup(r, e))
        case UInt64(SV_SYS_GETGROUPS): return getgroups(t, out: a, maximum: b)
        case UInt64(SV_SYS_SETGROUPS): return setgroups(t, list: a, count: b)
        case UInt64(SV_SYS_UMASK): return UInt64(kernel.setUmask(p, UInt32(truncatingIfNeeded: a)))
        default: return nil
        }
    }

    /// getgroups(out, max): the count; with max > 0 the groups too (EINVAL if they do not fit).
    static func getgroups(_ t: UserThread, out: UInt64, maximum: UInt64) -> UInt64 {
        let groups = t.process.credentials.groups
        guard maximum > 0 else { return UInt64(groups.count) }
        guard maximum >= UInt64(groups.count) else { return Syscalls.errno(SV_EINVAL) }
        var bytes: [UInt8] = []
        for g in groups { bytes += [UInt8(g & 0xff), UInt8(g >> 8 & 0xff), UInt8(g >> 16 & 0xff), UInt8(g >> 24)] }
        guard bytes.isEmpty || (try? t.userMemory.store(bytes, at: out)) != nil else { return Syscalls.errno(SV_EFAULT) }
        return UInt64(groups.count)
    }

    /// setgroups(list, count): EPERM before anything is read when not privileged (Linux's order).
    static func setgroups(_ t: UserThread, list: UInt64, count: UInt64) -> UInt64 {
        guard t.process.credentials.isPrivileged else { return Syscalls.errno(SV_EPERM) }
        guard count <= UInt64(SV_NGROUPS_MAX) else { return Syscalls.errno(SV_EINVAL) }
        guard let bytes = try? t.userMemory.bytes(at: list, count: Int(count) * 4) else { return Syscalls.errno(SV_EFAULT) }
        var groups: [UInt32] = []
        for i in 0..<Int(count) {
            groups.append(UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24)
        }
        return apply(t.process.credentials.setSupplementaryGroups(groups))
    }
}
