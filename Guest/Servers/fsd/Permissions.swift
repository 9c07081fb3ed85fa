// Permissions.swift — who may do what to a file (XSH 4.5 "File Access Permissions", XBD 4.7 "File
// Permissions"; Linux's errno where POSIX leaves a choice), decided from the identity the kernel
// stamps on each message (sv_ipc_identity: the caller's effective ids), never from the request:
//  * search (x) on every directory a path passes through;
//  * read/write of a file for STAT-free reads and writes, and for OPEN by its access mode;
//  * creating or removing a name: write and search on its directory; in a sticky directory
//    (S_ISVTX, /tmp) only the owner of the name or of the directory removes or replaces it;
//  * chmod, utimes: the owner or root (EPERM); chown: root, or the owner giving the file to one
//    of its own groups; snapshots and fsck: root.
// Root passes every check but one: executing needs an x bit somewhere (XSH 4.5). New files and
// directories belong to the caller's effective ids and get the mode it asked for less its umask.
import ABI
import RedoxFS
import UserLib

/// The bits of a permission triple.
enum Access {
    static let read: UInt16 = 4, write: UInt16 = 2, execute: UInt16 = 1
}

extension Channel.Identity {
    /// May this caller have `wanted` (Access bits) on the node `info`? One triple applies: the
    /// owner's if it owns the file, else the group's if it is in the file's group, else others'.
    func may(_ wanted: UInt16, _ info: FileInfo) -> Bool {
        if isRoot {
            guard wanted & Access.execute != 0, info.kind != .directory else { return true }
            return info.permissions & 0o111 != 0
        }
        let shift: UInt16 = uid == info.uid ? 6 : isMember(of: info.gid) ? 3 : 0
        return (info.permissions >> shift) & wanted == wanted
    }

    /// The owner, or root: may change the mode and times.
    func owns(_ info: FileInfo) -> Bool { isRoot || uid == info.uid }
}

/// A path's directory and last name: "/a/b" → "/a", "/" for a name at the top.
func parentPath(_ path: [UInt8]) -> [UInt8] {
    var end = path.count
    while end > 1 && path[end - 1] == UInt8(ascii: "/") { end -= 1 }   // "/a/b/" is "/a/b"
    guard let slash = path[..<end].lastIndex(of: UInt8(ascii: "/")), slash > 0 else { return [UInt8(ascii: "/")] }
    return Array(path[..<slash])
}

/// The directories a lookup of `path` searches: "/", "/a", "/a/b" for "/a/b/c".
func searchedDirectories(_ path: [UInt8]) -> [[UInt8]] {
    var list: [[UInt8]] = [[UInt8(ascii: "/")]]
    let parent = parentPath(path)
    var i = 1
    while i < parent.count {
        if parent[i] == UInt8(ascii: "/") { list.append(Array(parent[..<i])) }
        i += 1
    }
    if parent.count > 1 { list.append(parent) }
    return list
}

/// SETATTR's owner change (sv_fs.h SV_FS_SET_OWNER): `a` = uid | gid << 32, all ones "leave it".
func requestedOwner(_ a: UInt64) -> (uid: UInt32?, gid: UInt32?) {
    let u = UInt32(truncatingIfNeeded: a), g = UInt32(truncatingIfNeeded: a >> 32)
    return (u == UInt32.max ? nil : u, g == UInt32.max ? nil : g)
}

extension Server {
    /// The errno that refuses `op` on `path` for the message's caller, or nil to go on. A path
    /// that does not resolve is left to the operation, which reports it (ENOENT, ENOTDIR), as a
    /// lookup reports the first thing wrong on the way.
    func refusal(_ op: FileOperation, path: [UInt8], a: UInt64, flags: UInt8, message: Channel.Message) -> Int32? {
        let who = message.identity
        // Administration: taking, dropping and checking snapshots is root's (like mounting).
        if op == .snapshot || op == .deleteSnapshot || op == .check { return who.isRoot ? nil : SV_EPERM }
        if op == .statistics || op == .snapshots { return nil }
        if op == .setAttributes && flags & UInt8(SV_FS_SET_OWNER) != 0 { return chownRefusal(path, a: a, who) }
        if who.isRoot { return nil }
        if let denied = searchRefusal(path, who) { return denied }
        switch op {
        case .stat: return nil
        case .list: return nodeRefusal(path, Access.read, who)
        case .read: return nodeRefusal(path, Access.read, who)
        case .truncate: return nodeRefusal(path, Access.write, who)
        case .write:
            if (try? view(path).stat()) != nil { return nodeRefusal(path, Access.write, who) }
            return flags & FileProtocol.flagCreate != 0 ? directoryRefusal(parentPath(path), who) : nil
        case .open:
            if (try? view(path).stat()) == nil {
                return a & UInt64(SV_O_CREAT) != 0 ? directoryRefusal(parentPath(path), who) : nil
            }
            let mode = a & UInt64(SV_O_ACCMODE)
            var wanted: UInt16 = mode == UInt64(SV_O_WRONLY) ? Access.write : mode == UInt64(SV_O_RDWR) ? Access.read | Access.write : Access.read
            if a & UInt64(SV_O_TRUNC) != 0 { wanted |= Access.write }
            return nodeRefusal(path, wanted, who)
        case .makeDirectory:
            return directoryRefusal(parentPath(path), who)
        case .unlink, .removeDirectory:
            return directoryRefusal(parentPath(path), who) ?? stickyRefusal(path, who)
        case .rename:
            return renameRefusal(path, message: message)
        case .setAttributes:
            guard let info = try? filesystem.stat(path) else { return nil }
            return who.owns(info) ? nil : SV_EPERM
        default:
            return nil
        }
    }

    /// EACCES unless the caller may search every directory on the way to `path`.
    func searchRefusal(_ path: [UInt8], _ who: Channel.Identity) -> Int32? {
        for directory in searchedDirectories(path) {
            guard let info = try? view(directory).stat(), info.kind == .directory else { return nil }
            if !who.may(Access.execute, info) { return SV_EACCES }
        }
        return nil
    }

    /// EACCES unless the caller has `wanted` on the node at `path` (nil if there is none).
    func nodeRefusal(_ path: [UInt8], _ wanted: UInt16, _ who: Channel.Identity) -> Int32? {
        guard let info = try? view(path).stat() else { return nil }
        return who.may(wanted, info) ? nil : SV_EACCES
    }

    /// Adding or removing a name in `directory` needs write and search on it.
    func directoryRefusal(_ directory: [UInt8], _ who: Channel.Identity) -> Int32? {
        nodeRefusal(directory, Access.write | Access.execute, who)
    }

    /// In a sticky directory only root, the directory's owner or the name's owner removes the
    /// name (XBD 4.7: S_ISVTX on a directory; Linux: EPERM).
    func stickyRefusal(_ path: [UInt8], _ who: Channel.Identity) -> Int32? {
        guard let directory = try? filesystem.stat(parentPath(path)), directory.permissions & 0o1000 != 0,
              let node = try? filesystem.stat(path) else { return nil }
        return who.owns(directory) || who.owns(node) ? nil : SV_EPERM
    }

    /// rename(from, to): write and search on both directories, the sticky rule for both names,
    /// and a directory moved to another parent needs write on itself (its ".." changes: Linux).
    func renameRefusal(_ from: [UInt8], message: Channel.Message) -> Int32? {
        let who = message.identity
        guard message.leaseLength > 0, message.leaseLength <= 4096 else { return nil }
        var target = [UInt8](repeating: 0, count: message.leaseLength)
        guard Channel.leaseRead(message.caller, offset: 0, into: &target, 0..<message.leaseLength) == message.leaseLength else { return nil }
        if let denied = searchRefusal(target, who) { return denied }
        if let denied = directoryRefusal(parentPath(from), who) ?? stickyRefusal(from, who) { return denied }
        if let denied = directoryRefusal(parentPath(target), who) ?? stickyRefusal(target, who) { return denied }
        if let info = try? filesystem.stat(from), info.kind == .directory, parentPath(from) != parentPath(target),
           !who.may(Access.write, info) { return SV_EACCES }
        return nil
    }

    /// chown (XSH chown): root gives any owner and group; the owner may only set the group, to
    /// one it is in, and the owner to itself. Search permission applies as for any lookup.
    func chownRefusal(_ path: [UInt8], a: UInt64, _ who: Channel.Identity) -> Int32? {
        if who.isRoot { return nil }
        if let denied = searchRefusal(path, who) { return denied }
        guard let info = try? filesystem.stat(path) else { return nil }
        let (uid, gid) = requestedOwner(a)
        guard who.uid == info.uid else { return SV_EPERM }
        if let u = uid, u != info.uid { return SV_EPERM }
        if let g = gid, g != info.gid, !who.isMember(of: g) { return SV_EPERM }
        return nil
    }

    /// The path of the node `op` is about to create, if it creates one (nothing is there yet).
    func nodeToCreate(_ op: FileOperation, path: [UInt8], a: UInt64, flags: UInt8) -> [UInt8]? {
        let creates = op == .makeDirectory || op == .open && a & UInt64(SV_O_CREAT) != 0
            || op == .write && flags & FileProtocol.flagCreate != 0
        guard creates, Server.snapshotPath(path) == nil, (try? filesystem.lookup(path)) == nil else { return nil }
        return path
    }

    /// A node just made for the message's caller: its ids, and the mode asked for less the umask
    /// (OPEN: its mode argument; MKDIR: `a` with SV_FS_FLAG_MODE, else 0777; a path WRITE: 0666).
    /// A directory with S_ISGID hands its group down instead (XBD 4.7, Linux).
    func ownCreated(_ path: [UInt8], op: FileOperation, a: UInt64, b: UInt64, flags: UInt8, message: Channel.Message) throws(FSError) {
        let who = message.identity
        let requested: UInt64
        switch op {
        case .open: requested = b
        case .makeDirectory: requested = flags & UInt8(SV_FS_FLAG_MODE) != 0 ? a : 0o777
        default: requested = 0o666
        }
        var gid = who.gid
        if let directory = try? filesystem.stat(parentPath(path)), directory.permissions & 0o2000 != 0 { gid = directory.gid }
        let id = try filesystem.lookup(path)
        try filesystem.setAttributes(id: id, permissions: UInt16(requested & 0o7777) & ~UInt16(who.umask & 0o777), uid: who.uid, gid: gid)
    }

    /// SETATTR with SV_FS_SET_OWNER (allowed by chownRefusal): the new ids; a regular file loses
    /// set-user-ID, and set-group-ID when group-executable (Linux's chown(2)).
    func changeOwner(_ path: [UInt8], a: UInt64) throws(FSError) {
        let id = try filesystem.lookup(path)
        let info = try filesystem.stat(id: id)
        let (uid, gid) = requestedOwner(a)
        var permissions = info.permissions
        if info.kind == .file {
            permissions &= ~UInt16(0o4000)
            if permissions & 0o010 != 0 { permissions &= ~UInt16(0o2000) }
        }
        try filesystem.setAttributes(id: id, permissions: permissions, uid: uid, gid: gid)
    }

    /// chmod by a caller outside the file's group drops set-group-ID (XSH chmod, Linux).
    func allowedMode(_ mode: UInt16, path: [UInt8], message: Channel.Message) -> UInt16 {
        let who = message.identity
        guard !who.isRoot, mode & 0o2000 != 0, let info = try? filesystem.stat(path), !who.isMember(of: info.gid) else { return mode }
        return mode & ~UInt16(0o2000)
    }
}
