// PermissionBootTests.swift — users and permissions in the running system (issue 16 §4,
// docs/SECURITY.md): as the ordinary `user` (uid 1000, by `su user -c`), a process cannot read a
// 0600 root file, cannot write into a 0755 root directory, cannot chmod or chown root's file,
// cannot kill root's process, cannot map a device, and cannot reach another client's open file by
// guessing its handle; root can do each of the first four; new files get the creator's ids and
// umask. The errno of each refusal is the one Linux gives for the same command (dash 0.5.12 and GNU
// coreutils run as uid 65534 on the host with `setpriv --reuid=65534 --regid=65534 --clear-groups`),
// and so is the message, with two spellings of this system's: the shell is `sh` where dash says
// `dash`, and the guest's own mkdir and rm print UserLib's lower-case errno text ("permission
// denied" for EACCES, "not permitted" for EPERM) where GNU's print glibc's "Permission denied" and
// "Operation not permitted" — the two errnos stay told apart.
import Foundation
import TestSupport
import Testing

@Test func bootAnOrdinaryUserIsKeptOutOfRootsFiles() throws {
    let sh = try ShellSession()
    try #require(sh.run("echo secret > /tmp/secret") == "")
    #expect(sh.run("chmod 600 /tmp/secret") == "")
    // Reading a 0600 root file.
    #expect(sh.run("su user -c 'cat /tmp/secret'; echo status $?") == "cat: /tmp/secret: Permission denied\nstatus 1\n")
    #expect(sh.run("cat /tmp/secret") == "secret\n", "root reads it")
    // Writing into a 0755 root directory: a new file, a directory, removing a name.
    #expect(sh.run("su user -c 'echo x > /bin/new'; echo status $?") == "sh: 1: cannot create /bin/new: Permission denied\nstatus 2\n")
    #expect(sh.run("su user -c 'mkdir /bin/d'; echo status $?") == "mkdir: cannot create directory '/bin/d': permission denied\nstatus 1\n")
    #expect(sh.run("su user -c 'rm -f /bin/echo'; echo status $?") == "rm: cannot remove '/bin/echo': permission denied\nstatus 1\n")
    #expect(sh.run("echo x > /bin/new; mkdir /bin/d; cat /bin/new; rmdir /bin/d; rm /bin/new; echo status $?") == "x\nstatus 0\n",
            "root writes there")
    // The mode and owner of another user's file.
    #expect(sh.run("su user -c 'chmod 644 /tmp/secret'; echo status $?")
            == "chmod: changing permissions of '/tmp/secret': Operation not permitted\nstatus 1\n")
    #expect(sh.run("su user -c 'chown user /tmp/secret'; echo status $?")
            == "chown: changing ownership of '/tmp/secret': Operation not permitted\nstatus 1\n")
    #expect(sh.run("chown user /tmp/secret; ls -l /tmp/secret")?.hasPrefix("-rw------- 1 user root 7 ") == true, "root gives it away")
    #expect(sh.run("su user -c 'cat /tmp/secret; chmod 640 /tmp/secret'; ls -ln /tmp/secret")?.hasPrefix("secret\n-rw-r----- 1 1000 0 7 ") == true,
            "now its owner reads it and changes its mode")
    // In the sticky /tmp a user cannot remove root's file, though /tmp is writable to all.
    #expect(sh.run("echo r > /tmp/roots; su user -c 'rm -f /tmp/roots'; echo status $?") == "rm: cannot remove '/tmp/roots': not permitted\nstatus 1\n")
    _ = sh.finish()
}

@Test func bootNewFilesGetTheCreatorsIdsAndUmask() throws {
    let sh = try ShellSession()
    #expect(sh.run("su user -c id") == "uid=1000(user) gid=1000(user) groups=1000(user)\n")
    #expect(sh.run("su user -c whoami") == "user\n")
    #expect(sh.run("id") == "uid=0(root) gid=0(root) groups=0(root)\n")
    #expect(sh.run("su user -c 'umask 077; echo hi > /tmp/mine; mkdir /tmp/mydir'") == "")
    #expect(sh.run("ls -ln /tmp/mine")?.hasPrefix("-rw------- 1 1000 1000 3 ") == true)
    #expect(sh.run("ls -ld /tmp/mydir")?.hasPrefix("drwx------ 2 user user ") == true)
    // The default umask (022) is inherited through su and the shell.
    #expect(sh.run("su user -c 'umask; echo x > /tmp/f'; ls -l /tmp/f")?.hasPrefix("0022\n-rw-r--r-- 1 user user 2 ") == true)
    #expect(sh.run("echo r > /tmp/rootfile; ls -ln /tmp/rootfile")?.hasPrefix("-rw-r--r-- 1 0 0 2 ") == true)
    // Only root switches users (no passwords yet).
    #expect(sh.run("su user -c 'su root -c id'; echo status $?") == "su: Authentication failure\nstatus 1\n")
    _ = sh.finish()
}

@Test func bootAUserCannotSignalAnotherUsersProcess() throws {
    let sh = try ShellSession()
    try #require(sh.run("sleep 100 &") != nil)
    // Another user's kill: EPERM (dash's kill builtin: "dash: 1: kill: Operation not permitted").
    let denied = sh.run("su user -c \"kill $!\"; echo status $?")
    #expect(denied == "sh: 1: kill: Operation not permitted\nstatus 1\n", "\(denied ?? "nil")")
    #expect(sh.run("kill -0 $!; echo status $?") == "status 0\n", "still running")
    // Its own user's process it may signal; root any (143: ended by SIGTERM).
    #expect(sh.run("su user -c 'sleep 100 & kill $!; wait $!; echo status $?'")?.hasSuffix("status 143\n") == true)
    // (the interactive shell may add its job notice, "[1] + Terminated", after the status)
    #expect(sh.run("kill $!; wait $!; echo status $?")?.contains("\nstatus 143\n") == true)
    _ = sh.finish()
}

/// Raw system calls past the library (CPrograms/permcheck.c): mapping a device, and handle calls
/// to the file server with guessed handles, as `user` and as root. The device rights and the
/// handles are not a matter of uid: neither user holds a device right, and only the kernel may
/// make a handle call, so both get the same refusals; the raw disk is root's.
@Test func bootNoProcessMapsADeviceOrGuessesAHandle() throws {
    let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/permcheck.c").path
    let abi = RepositoryPaths.root.appendingPathComponent("Guest/ABI/include").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("permcheck-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cc = try Subprocess.run(try RepositoryPaths.requireBuilt("bin/swiftvm-cc"), ["-O2", "-Wall", "-Werror", "-I", abi, "-o", dir + "/permcheck", source], timeout: 300)
    try #require(cc.status == 0, "\(cc.stderr)")
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let put = try Subprocess.run(vmm, ["image", "put", image, dir + "/permcheck", "/tmp/permcheck"], timeout: 120)
    try #require(put.status == 0, "\(put.stderr)")
    let sh = try ShellSession(image: image)
    // An open file of root's (a descriptor held by this shell) whose handle is among those guessed.
    #expect(sh.run("exec 3< /etc/passwd") == "")
    let refusals = "device_map: EPERM\nguessed handles refused: 64 of 64\nforged kernel lease: EINVAL\ndirect open: EPERM\n"
    // The raw disk: blkd answers only uid 0 as the kernel stamped it (the file server, and root).
    #expect(sh.run("chmod 755 /tmp/permcheck; su user -c /tmp/permcheck") == refusals + "disk0 info: EPERM\n")
    #expect(sh.run("/tmp/permcheck") == refusals + "disk0 info: ok\n")
    _ = sh.finish()
}
