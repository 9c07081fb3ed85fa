// CredentialTests.swift — users and groups in the kernel core, on the host: the id-changing rules
// of XSH setuid/setgid/setreuid/setregid/setgroups (Linux's choices where POSIX leaves one),
// inheritance by fork, spawn and exec, the umask, kill's permission rule, and the identity the
// kernel stamps on every message a server receives (sv_ipc_identity).
import ABI
import KernelCore
import Testing

private func user(_ uid: UInt32, _ gid: UInt32 = 100) -> Credentials { Credentials(uid: uid, gid: gid) }
private let keep = Credentials.unchanged

@Test func theFirstProcessIsRootWithTheDefaultUmask() {
    let m = Machine()
    let p = m.start("init")
    #expect(p.credentials == Credentials.root)
    #expect(p.credentials.uid == 0 && p.credentials.euid == 0 && p.credentials.suid == 0)
    #expect(p.umask == 0o022)
}

@Test func rootSetuidSetsRealEffectiveAndSaved() {
    var c = Credentials.root
    #expect(ok(c.setUser(1000)))
    #expect(c.uid == 1000 && c.euid == 1000 && c.suid == 1000)
    // Privilege is gone for good: root cannot be taken back.
    #expect(err(c.setUser(0)) == SV_EPERM)
    #expect(c.euid == 1000)
}

@Test func unprivilegedSetuidOnlyMovesTheEffectiveIdToRealOrSaved() {
    var c = user(1000)
    c.euid = 2000   // as after a set-user-ID exec: real 1000, effective and saved 2000
    c.suid = 2000
    #expect(ok(c.setUser(1000)))
    #expect(c.uid == 1000 && c.euid == 1000 && c.suid == 2000, "only the effective id changes")
    #expect(ok(c.setUser(2000)), "back to the saved id")
    #expect(c.euid == 2000)
    #expect(err(c.setUser(3000)) == SV_EPERM)
    #expect(err(c.setUser(0)) == SV_EPERM)
    #expect(c.uid == 1000 && c.euid == 2000 && c.suid == 2000, "a refused call changes nothing")
    #expect(err(c.setUser(keep)) == SV_EINVAL, "-1 is no id")
}

@Test func setgidFollowsTheSameRulesWithTheEffectiveUserAsPrivilege() {
    var root = Credentials.root
    #expect(ok(root.setGroup(50)))
    #expect(root.gid == 50 && root.egid == 50 && root.sgid == 50)
    var c = user(1000, 100)
    #expect(err(c.setGroup(0)) == SV_EPERM)
    #expect(ok(c.setGroup(100)))
    #expect(err(c.setGroup(keep)) == SV_EINVAL)
    // A process with effective uid 0 but another group is still privileged for group changes.
    var r = Credentials(uid: 0, gid: 7)
    #expect(ok(r.setGroup(9)))
    #expect(r.gid == 9 && r.egid == 9 && r.sgid == 9)
}

@Test func setreuidSwapsAndLeavesIdsMarkedMinusOne() {
    var c = user(1000)
    c.euid = 2000
    c.suid = 2000
    // Swap real and effective (allowed: each becomes the other's old value).
    #expect(ok(c.setRealAndEffectiveUser(2000, 1000)))
    #expect(c.uid == 2000 && c.euid == 1000)
    #expect(c.suid == 1000, "the real id was set: saved = new effective")
    // -1 keeps one; an effective id that equals the old real id leaves the saved id.
    #expect(ok(c.setRealAndEffectiveUser(keep, 2000)))
    #expect(c.uid == 2000 && c.euid == 2000 && c.suid == 1000)
    #expect(err(c.setRealAndEffectiveUser(3000, keep)) == SV_EPERM, "a real id it has neither as real nor effective")
    #expect(err(c.setRealAndEffectiveUser(keep, 3000)) == SV_EPERM)
    #expect(err(c.setRealAndEffectiveUser(0, 0)) == SV_EPERM)
    #expect(c.uid == 2000 && c.euid == 2000 && c.suid == 1000, "all or nothing")
}

@Test func rootSetreuidTakesAnyIdsAndDropsThePrivilegeItGivesAway() {
    var c = Credentials.root
    #expect(ok(c.setRealAndEffectiveUser(1000, 1001)))
    #expect(c.uid == 1000 && c.euid == 1001 && c.suid == 1001)
    #expect(err(c.setRealAndEffectiveUser(0, keep)) == SV_EPERM)
}

@Test func setregidFollowsSetreuid() {
    var c = user(1000, 100)
    #expect(err(c.setRealAndEffectiveGroup(0, keep)) == SV_EPERM)
    #expect(ok(c.setRealAndEffectiveGroup(keep, 100)))
    var r = Credentials.root
    #expect(ok(r.setRealAndEffectiveGroup(5, 6)))
    #expect(r.gid == 5 && r.egid == 6 && r.sgid == 6)
}

@Test func onlyRootSetsSupplementaryGroupsWithinTheLimit() {
    var r = Credentials.root
    #expect(ok(r.setSupplementaryGroups([10, 20])))
    #expect(r.groups == [10, 20])
    #expect(r.isMember(of: 20) && r.isMember(of: 0) && !r.isMember(of: 30))
    #expect(err(r.setSupplementaryGroups([UInt32](repeating: 1, count: Int(SV_NGROUPS_MAX) + 1))) == SV_EINVAL)
    #expect(err(r.setSupplementaryGroups([keep])) == SV_EINVAL)
    #expect(r.groups == [10, 20])
    var c = user(1000)
    #expect(err(c.setSupplementaryGroups([])) == SV_EPERM)
}

@Test func forkSpawnAndExecKeepCredentialsAndUmask() {
    let m = Machine()
    let parent = m.start("sh")
    parent.credentials = Credentials(uid: 1000, gid: 1000, groups: [5])
    _ = m.kernel.setUmask(parent, 0o077)
    let pid = try! m.kernel.reservePID().get()
    let child = Process(pid: pid, parentPID: parent.pid, name: Array("sh".utf8))
    m.kernel.fork(parent, child: child, thread: Thread(id: pid, pid: pid))
    #expect(child.credentials == parent.credentials)
    #expect(child.umask == 0o077)
    m.kernel.exec(child, name: Array("cat".utf8))
    #expect(child.credentials == parent.credentials, "exec keeps them (no set-user-ID files)")
    let spawnedPID = try! m.kernel.reservePID().get()
    let spawned = Process(pid: spawnedPID, parentPID: parent.pid, name: Array("ls".utf8))
    m.kernel.spawned(spawned, from: parent)
    #expect(spawned.credentials == parent.credentials && spawned.umask == 0o077)
    // A change in the child is its own.
    #expect(ok(child.credentials.setUser(1000)))
    child.umask = 0
    #expect(parent.umask == 0o077)
}

@Test func umaskKeepsPermissionBitsAndReturnsTheOldMask() {
    let m = Machine()
    let p = m.start("sh")
    #expect(m.kernel.setUmask(p, 0o7777) == 0o022)
    #expect(p.umask == 0o777, "only the permission bits")
    #expect(m.kernel.setUmask(p, 0o002) == 0o777)
}

/// A child of `parent` made by fork: its group and session, then the credentials given.
private func forked(_ m: Machine, from parent: Process, _ name: String, as c: Credentials) -> Process {
    let pid = try! m.kernel.reservePID().get()
    let child = Process(pid: pid, parentPID: parent.pid, name: Array(name.utf8))
    m.kernel.fork(parent, child: child, thread: Thread(id: pid, pid: pid))
    child.credentials = c
    return child
}

@Test func killNeedsMatchingIdsUnlessRoot() {
    let m = Machine()
    _ = m.start("init")
    let root = m.start("rootshell", parent: 1)
    let alice = m.start("alice", parent: 1), bob = m.start("bob", parent: 1)
    alice.credentials = user(1000)
    bob.credentials = user(2000)
    #expect(err(m.kernel.kill(from: alice, pid: bob.pid, signal: Sig.TERM)) == SV_EPERM)
    #expect(err(m.kernel.kill(from: alice, pid: bob.pid, signal: 0)) == SV_EPERM, "signal 0 checks permission too")
    #expect(!bob.isZombie)
    #expect(err(m.kernel.kill(from: alice, pid: root.pid, signal: Sig.TERM)) == SV_EPERM)
    #expect(err(m.kernel.kill(from: alice, pid: 99, signal: Sig.TERM)) == SV_ESRCH, "no such process comes first")
    #expect(ok(m.kernel.kill(from: root, pid: bob.pid, signal: Sig.TERM)))
    #expect(bob.isZombie, "root may signal anyone")
}

@Test func killMatchesRealOrEffectiveAgainstRealOrSaved() {
    let m = Machine()
    _ = m.start("init")
    let sender = m.start("sender", parent: 1), target = m.start("target", parent: 1)
    sender.credentials = user(1000)
    sender.credentials.euid = 3000
    target.credentials = user(2000)
    target.credentials.suid = 3000
    #expect(ok(m.kernel.kill(from: sender, pid: target.pid, signal: 0)), "sender's effective = target's saved")
    target.credentials.suid = 2000
    #expect(err(m.kernel.kill(from: sender, pid: target.pid, signal: 0)) == SV_EPERM)
    target.credentials.uid = 1000
    #expect(ok(m.kernel.kill(from: sender, pid: target.pid, signal: 0)), "sender's real = target's real")
    // The target's effective id alone does not count (XSH: real or saved of the receiver).
    target.credentials = user(4000)
    target.credentials.euid = 1000
    #expect(err(m.kernel.kill(from: sender, pid: target.pid, signal: 0)) == SV_EPERM)
}

@Test func aGroupSignalReachesOnlyThePermittedMembersAndEPERMWhenNone() {
    let m = Machine()
    _ = m.start("init")
    let leader = m.start("leader", parent: 1)
    _ = m.kernel.setsid(leader)   // its own session and group, which its children join by fork
    leader.credentials = user(2000)
    let mine = forked(m, from: leader, "mine", as: user(1000))
    let theirs = forked(m, from: leader, "theirs", as: user(2000))
    let sender = m.start("sender", parent: 1), stranger = m.start("stranger", parent: 1)
    _ = m.kernel.setsid(sender)
    _ = m.kernel.setsid(stranger)
    sender.credentials = user(1000)
    stranger.credentials = user(3000)
    #expect(mine.pgid == leader.pid && theirs.pgid == leader.pid)
    #expect(err(m.kernel.kill(from: stranger, pid: -leader.pid, signal: Sig.TERM)) == SV_EPERM, "none permitted")
    #expect(!mine.isZombie && !theirs.isZombie && !leader.isZombie)
    #expect(ok(m.kernel.kill(from: sender, pid: -leader.pid, signal: Sig.TERM)), "at least one was permitted")
    #expect(mine.isZombie, "its own user's process in the group")
    #expect(!theirs.isZombie && !leader.isZombie, "another user's processes are skipped")
}

@Test func sigcontWithinTheSessionIsAllowedAcrossUsers() {
    let m = Machine()
    _ = m.start("init")
    let shell = m.start("sh", parent: 1)
    _ = m.kernel.setsid(shell)
    shell.credentials = user(1000)
    let job = forked(m, from: shell, "job", as: user(2000))
    #expect(job.sid == shell.sid)
    #expect(err(m.kernel.kill(from: shell, pid: job.pid, signal: Sig.TERM)) == SV_EPERM)
    #expect(ok(m.kernel.kill(from: shell, pid: job.pid, signal: Sig.CONT)), "SIGCONT in the same session")
    let stranger = m.start("stranger", parent: 1)
    _ = m.kernel.setsid(stranger)
    stranger.credentials = user(1000)
    let other = m.start("other", parent: 1)
    _ = m.kernel.setsid(other)
    other.credentials = user(2000)
    #expect(stranger.sid != other.sid)
    #expect(err(m.kernel.kill(from: stranger, pid: other.pid, signal: Sig.CONT)) == SV_EPERM, "not across sessions")
}

@Test func everyDeliveredMessageCarriesTheCallersStampedIdentity() {
    let m = Machine()
    let server = m.start("fsd"), client = m.start("cat")
    client.credentials = Credentials(uid: 1000, gid: 1001, groups: [7, 8])
    client.credentials.euid = 1002
    _ = m.kernel.setUmask(client, 0o027)
    let s = m.thread(server), c = m.thread(client)
    let e = try! m.kernel.serve(server, name: Array("fs".utf8)).get()
    #expect(ok(m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)))
    #expect(ok(m.kernel.call(c, endpoint: e, call([1, 2, 3]))))
    let id = try! #require(identity(s.completion))
    #expect(id.pid == client.pid)
    #expect(id.uid == 1002, "the effective uid: access checks use it")
    #expect(id.gid == 1001)
    #expect(id.umask == 0o027)
    #expect(id.groups == [7, 8])
    // Whatever the request bytes say, the identity is the kernel's: a second caller gets its own.
    let other = m.start("sh")
    let o = m.thread(other)
    #expect(ok(m.kernel.reply(s, caller: c.id, bytes: [0])))
    #expect(ok(m.kernel.receive(s, endpoint: e, messageAddress: 0x7000)))
    #expect(ok(m.kernel.call(o, endpoint: e, call([9]))))
    let rootID = try! #require(identity(s.completion))
    #expect(rootID.pid == other.pid && rootID.uid == 0 && rootID.gid == 0 && rootID.groups.isEmpty)
}

/// The identity in sv_ipc_message bytes.
func identity(_ c: Completion?) -> (pid: Int32, uid: UInt32, gid: UInt32, umask: UInt32, groups: [UInt32])? {
    guard let bytes = c?.bytes, bytes.count == MemoryLayout<sv_ipc_message>.size else { return nil }
    var m = sv_ipc_message()
    withUnsafeMutableBytes(of: &m) { $0.copyBytes(from: bytes) }
    let n = Int(min(m.identity.group_count, UInt32(SV_NGROUPS_MAX)))
    let groups = withUnsafeBytes(of: &m.identity.groups) { raw in (0..<n).map { raw.load(fromByteOffset: $0 * 4, as: UInt32.self) } }
    return (m.identity.pid, m.identity.uid, m.identity.gid, m.identity.umask, groups)
}
