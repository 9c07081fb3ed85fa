// JobControlBootTests.swift — job control in the guest's interactive /bin/sh on the terminal
// server (ttyd, `init=init -- sh tty`), typed at over the serial console: Ctrl-C (0x03) and
// Ctrl-Z (0x1a) reach the foreground job's process group, not the shell; `jobs`, `fg`, `bg`,
// `kill %N`, `wait %N`; a trap on INT at the prompt. No fixed sleeps: every key is sent after the
// output it answers has appeared; deadlines only bound a hang.
//
// The foreground job is `sh -c 'trap "echo again" CONT; echo ready; while :; do sleep 1; done'`
// rather than a bare `sleep 100`, so the test can see it: "ready" is printed after the job's
// process took the terminal (a child sets its group and the terminal before it execs), so a key
// sent then cannot reach the shell instead; and "again" shows that a continued job runs.
import Foundation
import TestSupport
import Testing

private let job = "sh -c 'trap \"echo again\" CONT; echo ready; while :; do sleep 1; done'"
/// The job as `jobs` and `fg` show it: dash's command text writes quotes back as "…" (checked
/// against dash on the host: the same text).
private let shown = #"sh -c "trap \"echo again\" CONT; echo ready; while :; do sleep 1; done""#

@Test func guestShellJobControlOnTheTerminal() throws {
    try RepositoryPaths.requireKVM()
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let t = try GuestTerminal(image: image)
    #expect(t.waitFor(["\n$ "]), "no prompt: \(t.screen)")

    // Ctrl-C ends the foreground job, not the shell: the prompt comes back and $? is 130.
    #expect(t.type(job + "\n", thenSee: "\nready\n"), "\(t.screen)")
    #expect(t.type("\u{3}", thenSee: "\n$ "), "\(t.screen)")
    #expect(t.type("echo $?\n", thenSee: "\n130\n$ "), "\(t.screen)")

    // Ctrl-Z stops it: dash's notice and a prompt; `jobs` lists it; `fg` continues it in the
    // foreground (its CONT trap says so) and Ctrl-C then ends it.
    #expect(t.type(job + "\n", thenSee: "\nready\n"), "\(t.screen)")
    #expect(t.type("\u{1a}", thenSee: "[1] + Stopped                    \(shown)\n$ "), "\(t.screen)")
    #expect(t.type("jobs\n", thenSee: "\n[1] + Stopped                    \(shown)\n$ "), "\(t.screen)")
    #expect(t.type("fg\n", thenSee: "\n\(shown)\n", "again\n"), "\(t.screen)")
    #expect(t.type("\u{3}", thenSee: "\n$ "), "\(t.screen)")
    #expect(t.type("echo $?; jobs\n", thenSee: "\n130\n$ "), "\(t.screen)")

    // A background job, ended with `kill %1`; `wait %1` reports how it ended (143: SIGTERM),
    // and the notice before the next prompt too (dash does the same).
    #expect(t.type("sleep 100 &\n", thenSee: "[1] ", "\n$ "), "\(t.screen)")
    #expect(t.type("jobs\n", thenSee: "\n[1] + Running                    sleep 100\n$ "), "\(t.screen)")
    #expect(t.type("kill %1; wait %1; echo st=$?\n", thenSee: "\nTerminated\nst=143\n[1] + Terminated", "\n$ "), "\(t.screen)")

    // `bg` continues a stopped job in the background: it runs (its CONT trap prints) while the
    // shell takes commands; then it is killed.
    #expect(t.type(job + "\n", thenSee: "\nready\n"), "\(t.screen)")
    #expect(t.type("\u{1a}", thenSee: "Stopped", "\n$ "), "\(t.screen)")
    #expect(t.type("bg\n", thenSee: "\n[1] \(shown)\n", "again\n"), "\(t.screen)")
    #expect(t.type("jobs\n", thenSee: "\n[1] + Running                    \(shown)\n$ "), "\(t.screen)")
    #expect(t.type("kill %1; wait %1; echo st=$?\n", thenSee: "\nTerminated\nst=143\n[1] + Terminated", "\n$ "), "\(t.screen)")

    // A trap on INT: Ctrl-C at the prompt runs it, and the shell goes on.
    #expect(t.type("trap 'echo caught' INT\n", thenSee: "\n$ "), "\(t.screen)")
    #expect(t.type("\u{3}", thenSee: "caught\n"), "\(t.screen)")
    #expect(t.type("trap - INT; echo alive\n", thenSee: "\nalive\n$ "), "\(t.screen)")

    t.vm.send("exit 4\n")
    let r = t.vm.wait(timeoutSeconds: Boot.hostTimeout)
    #expect(r.stdout.contains("[kernel] init exited with status 4"), "\(r.stdout)")
    #expect(r.status == 4)
}

/// A signal ends a `read` waiting on the terminal — a call the kernel forwards to ttyd, which
/// keeps it until input comes (KernelCore abandonCall, docs/SIGNALS.md): at the interactive
/// prompt Ctrl-C ends `read x` and the shell is back with $? 130; in a script, a `kill -INT` from
/// another process ends it (status 1, as dash) and the trap runs. A signal may come a moment
/// before the read waits (the shell only notes it then): so the second case's killer repeats
/// until the reader is done, and the first sends Ctrl-C again if no prompt came back.
@Test func guestShellReadOnTheTerminalIsInterruptedBySignals() throws {
    try RepositoryPaths.requireKVM()
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let t = try GuestTerminal(image: image)
    #expect(t.waitFor(["\n$ "]), "no prompt: \(t.screen)")

    #expect(t.type("echo waiting; read x; echo not-reached\n", thenSee: "\nwaiting\n"), "\(t.screen)")
    var mark = t.screen.utf8.count
    var back = false
    for _ in 0..<3 where !back {
        t.vm.send("\u{3}")
        back = t.vm.waitForOutput(timeoutSeconds: 10) { String(decoding: $0.replacingOccurrences(of: "\r\n", with: "\n").utf8.dropFirst(mark), as: UTF8.self).contains("\n$ ") }
    }
    #expect(back, "Ctrl-C did not end the read: \(t.screen)")
    #expect(t.type("echo st=$?\n", thenSee: "\nst=130\n$ "), "\(t.screen)")
    #expect(!t.screen.contains("\nnot-reached\n"), "\(t.screen)")

    // The line typed next goes to the shell, not to the read that was given up.
    #expect(t.type("echo after\n", thenSee: "\nafter\n$ "), "\(t.screen)")

    // A script reading the terminal, its INT trapped; the killer runs in the background.
    let reader = #"trap "echo int" INT; echo $$ > /tmp/rpid.tmp; mv /tmp/rpid.tmp /tmp/rpid; read x; s=$?; trap "" INT; echo "st=$s x=$x"; rm /tmp/rpid"#
    #expect(t.type("echo '\(reader)' > /tmp/reader.sh\n", thenSee: "\n$ "), "\(t.screen)")
    mark = t.screen.utf8.count
    let killer = "(until test -s /tmp/rpid; do :; done; p=$(cat /tmp/rpid); while test -e /tmp/rpid; do kill -INT $p 2>/dev/null; done) &"
    t.vm.send(killer + " sh /tmp/reader.sh; echo done=$?\n")
    #expect(t.waitFor(["int\n", "st=1 x=\n", "done=0\n"], after: mark), "\(t.screen)")
    #expect(t.type("wait; echo end\n", thenSee: "\nend\n$ "), "\(t.screen)")

    t.vm.send("exit 4\n")
    let r = t.vm.wait(timeoutSeconds: Boot.hostTimeout)
    #expect(r.status == 4, "\(r.stdout)")
}
