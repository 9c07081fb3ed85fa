// su USER [-c COMMAND] — runs a shell as another user (util-linux su without "-": HOME, SHELL,
// USER and LOGNAME become the user's, the rest of the environment and the working directory stay).
// No passwords yet: only root may use it; anyone else gets util-linux's "Authentication failure".
// The user comes from /etc/passwd (UserLib UserDatabase); its groups from /etc/group. The ids are
// changed by the kernel's rules (setgroups, setgid, then setuid: after setuid root's privilege
// is gone, so the group calls come first) and kept across the exec of the user's shell.
import ABI
import UserLib

func fail(_ text: String, status: Int32 = 1) -> Never {
    _ = System.write(2, Array("su: \(text)\n".utf8))
    System.exit(status)
}

func main() -> Never {
    var arguments = Array(System.arguments.dropFirst())
    var command: String? = nil
    if let i = arguments.firstIndex(of: "-c") {
        guard i + 1 < arguments.count else { fail("option requires an argument -- 'c'") }
        command = arguments[i + 1]
        arguments.removeSubrange(i...(i + 1))
    }
    guard arguments.count <= 1 else { fail("unexpected argument: \(arguments[1])") }
    let name = arguments.first ?? "root"
    guard Credentials.geteuid() == 0 else { fail("Authentication failure") }
    guard let user = UserDatabase.user(named: name) else {
        fail("user \(name) does not exist or the user entry does not contain all the required fields")
    }
    let shell = user.shell.isEmpty ? "/bin/sh" : user.shell
    if case .failure(let e) = Credentials.setgroups(UserDatabase.memberships(of: user.name)) { fail("cannot set groups: \(e.description)") }
    if case .failure(let e) = Credentials.setgid(user.gid) { fail("cannot set group id: \(e.description)") }
    if case .failure(let e) = Credentials.setuid(user.uid) { fail("cannot set user id: \(e.description)") }
    _ = Environment.set("HOME", user.home)
    _ = Environment.set("SHELL", shell)
    _ = Environment.set("USER", user.name)
    _ = Environment.set("LOGNAME", user.name)
    let shellName = shell.split(separator: "/").last.map(String.init) ?? "sh"
    let argv = command.map { [shellName, "-c", $0] } ?? [shellName]
    let e = Unix.execve(shell, arguments: argv)
    // util-linux: "su: failed to execute /bin/sh: ..." with 126 (found, not runnable) or 127.
    fail("failed to execute \(shell): \(e.description)", status: e.code == SV_ENOENT ? 127 : 126)
}

main()
