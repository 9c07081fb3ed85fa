// Terminal.swift — the shell's descriptors on the terminal server. init keeps the kernel console
// for itself (its messages must not wait for a ttyd it is restarting, and `swiftvm run -- COMMAND`
// keeps stdout on COM1 and stderr on COM2, which the host splits: GuestCommand.swift); the shell
// gets fds 0, 1 and 2 on /dev/console, which the kernel opens on ttyd once ttyd has attached the
// console (KernelCore/ConsoleServer.swift). With no ttyd, the shell gets init's kernel console.
import ABI
import UserLib

/// Whether the shell runs on the terminal server: when swiftvm's stdin is a terminal (the kernel
/// passes `interactive`), or `tty` asks for it (`init=init -- sh tty`: the terminal tests). A
/// shell fed from a pipe (`init=init -- sh`, the boot tests' scripts) keeps the kernel console,
/// which hands bytes over unechoed: with a line discipline, input typed ahead while a command runs
/// is echoed then (as on any terminal), which a script's transcript would interleave. Never for
/// `swiftvm run IMAGE -- COMMAND` (run=): its stdout and stderr stay the kernel's COM1 and COM2.
func wantsTerminal(_ arguments: [String]) -> Bool {
    guard !arguments.contains(where: { $0.hasPrefix(RunCommand.prefix) }) else { return false }
    return arguments.contains("interactive") || arguments.contains("tty")
}

/// Spawns `command` with its standard descriptors on /dev/console; its pid or a negative errno.
func spawnOnTerminal(_ command: String) -> Int {
    guard Channel.lookup(SV_TTY_SERVICE) > 0,
          case .success(let tty) = Unix.open("/dev/console", SV_O_RDWR | SV_O_CLOEXEC) else {
        return System.spawn(command)
    }
    defer { _ = Unix.close(tty) }
    // init's own 0–2, kept aside (close-on-exec: the child does not get these copies).
    var saved: [Int32] = []
    for fd in Int32(0)...2 {
        guard case .success(let copy) = Unix.fcntl(fd, SV_F_DUPFD_CLOEXEC, 10) else {
            for s in saved { _ = Unix.close(s) }
            return System.spawn(command)
        }
        saved.append(Int32(copy))
    }
    for fd in Int32(0)...2 { _ = Unix.dup2(tty, fd) }
    let pid = System.spawn(command)
    for (fd, s) in saved.enumerated() {
        _ = Unix.dup2(s, Int32(fd))
        _ = Unix.close(s)
    }
    return pid
}
