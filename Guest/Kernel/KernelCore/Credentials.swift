// Credentials.swift — who a process acts as (XBD 3.303 "Real User ID", 3.151 "Effective User ID",
// 3.329 "Saved Set-User-ID"): user and group ids, supplementary groups, and the rules for changing
// them (XSH setuid, setgid, setreuid, setregid, setgroups) and for signalling (XSH kill). Where POSIX
// leaves a choice, Linux's answer is taken (capable(CAP_SETUID) is "effective uid 0" here).
// Servers see the ids the kernel stamps on each message (IPC.swift, sv_ipc_identity).
import ABI

public struct Credentials: Equatable, Sendable {
    public var uid: UInt32, euid: UInt32, suid: UInt32
    public var gid: UInt32, egid: UInt32, sgid: UInt32
    /// Supplementary groups (at most SV_NGROUPS_MAX).
    public var groups: [UInt32]

    /// "No id": setreuid's "leave it", invalid everywhere else (Linux: EINVAL).
    public static let unchanged = UInt32.max

    public init(uid: UInt32, gid: UInt32, groups: [UInt32] = []) {
        self.uid = uid; euid = uid; suid = uid
        self.gid = gid; egid = gid; sgid = gid
        self.groups = groups
    }

    /// The first process's: root, group root.
    public static let root = Credentials(uid: 0, gid: 0)

    /// Appropriate privileges (XSH setuid): the effective user id is root's.
    public var isPrivileged: Bool { euid == 0 }

    /// In group `g` for access checks: the effective group or a supplementary one.
    public func isMember(of g: UInt32) -> Bool { egid == g || groups.contains(g) }

    /// setuid(uid): with privilege, real, effective and saved all become `id`; without, only the
    /// effective id, and only to the real or saved one. EINVAL for -1, EPERM otherwise.
    public mutating func setUser(_ id: UInt32) -> Result<Void, KernelError> {
        guard id != Credentials.unchanged else { return .failure(.init(SV_EINVAL)) }
        if isPrivileged {
            uid = id; euid = id; suid = id
        } else {
            guard id == uid || id == suid else { return .failure(.init(SV_EPERM)) }
            euid = id
        }
        return .success(())
    }

    /// setgid(gid): as setUser, for the group ids (privilege is still the effective *user* id).
    public mutating func setGroup(_ id: UInt32) -> Result<Void, KernelError> {
        guard id != Credentials.unchanged else { return .failure(.init(SV_EINVAL)) }
        if isPrivileged {
            gid = id; egid = id; sgid = id
        } else {
            guard id == gid || id == sgid else { return .failure(.init(SV_EPERM)) }
            egid = id
        }
        return .success(())
    }

    /// setreuid(real, effective), -1 leaving one as it is. Unprivileged: the real id may become
    /// the real or effective one; the effective id the real, effective or saved one. When the real
    /// id is set, or the effective one to something other than the old real id, the saved id
    /// becomes the new effective id (Linux setreuid(2), which XSH allows). All or nothing.
    public mutating func setRealAndEffectiveUser(_ real: UInt32, _ effective: UInt32) -> Result<Void, KernelError> {
        let r = Credentials.pickIDs(real: real, effective: effective, current: (uid, euid, suid), privileged: isPrivileged)
        guard case .success(let ids) = r else { return r.map { _ in () } }
        (uid, euid, suid) = ids
        return .success(())
    }

    /// setregid(real, effective): as setRealAndEffectiveUser, for the group ids.
    public mutating func setRealAndEffectiveGroup(_ real: UInt32, _ effective: UInt32) -> Result<Void, KernelError> {
        let r = Credentials.pickIDs(real: real, effective: effective, current: (gid, egid, sgid), privileged: isPrivileged)
        guard case .success(let ids) = r else { return r.map { _ in () } }
        (gid, egid, sgid) = ids
        return .success(())
    }

    /// setreuid/setregid's rule on one (real, effective, saved) triple.
    static func pickIDs(real: UInt32, effective: UInt32, current: (UInt32, UInt32, UInt32), privileged: Bool)
        -> Result<(UInt32, UInt32, UInt32), KernelError> {
        let (oldReal, oldEffective, oldSaved) = current
        var (newReal, newEffective, newSaved) = current
        if real != unchanged {
            guard privileged || real == oldReal || real == oldEffective else { return .failure(.init(SV_EPERM)) }
            newReal = real
        }
        if effective != unchanged {
            guard privileged || effective == oldReal || effective == oldEffective || effective == oldSaved else {
                return .failure(.init(SV_EPERM))
            }
            newEffective = effective
        }
        if real != unchanged || (effective != unchanged && effective != oldReal) { newSaved = newEffective }
        return .success((newReal, newEffective, newSaved))
    }

    /// setgroups(list): privileged only; at most SV_NGROUPS_MAX, none of them -1.
    public mutating func setSupplementaryGroups(_ list: [UInt32]) -> Result<Void, KernelError> {
        guard isPrivileged else { return .failure(.init(SV_EPERM)) }
        guard list.count <= Int(SV_NGROUPS_MAX), !list.contains(Credentials.unchanged) else { return .failure(.init(SV_EINVAL)) }
        groups = list
        return .success(())
    }

    /// XSH kill: "the real or effective user ID of the sending process shall match the real or
    /// saved set-user-ID of the receiving process", unless the sender has privilege.
    public func maySignal(_ target: Credentials) -> Bool {
        isPrivileged || uid == target.uid || uid == target.suid || euid == target.uid || euid == target.suid
    }

    /// The identity a server sees on a message from this process (sv_ipc_identity).
    public func identity(pid: Int32, umask: UInt32) -> sv_ipc_identity {
        var id = sv_ipc_identity()
        id.pid = pid
        id.uid = euid
        id.gid = egid
        id.umask = umask & 0o777
        id.group_count = UInt32(min(groups.count, Int(SV_NGROUPS_MAX)))
        withUnsafeMutableBytes(of: &id.groups) { out in
            for (i, g) in groups.prefix(Int(SV_NGROUPS_MAX)).enumerated() {
                out.storeBytes(of: g, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        return id
    }
}

extension KernelState {
    /// umask(mask) by `p`: the new mask (permission bits only), returning the old one.
    public func setUmask(_ p: Process, _ mask: UInt32) -> UInt32 {
        let old = p.umask
        p.umask = mask & 0o777
        return old
    }
}
