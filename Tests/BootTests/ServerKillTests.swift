// ServerKillTests.swift — servers killed over and over during continuous I/O (issue 16 §3): a guest
// shell kills the file server, the disk driver and the terminal server in turn with `kill -9` while
// a background writer appends numbered records; init restarts each, the kernel repeats the calls
// cut off, and afterwards every record the writer wrote is on the disk exactly once, in order, the
// foreground's own appends too, and the host's fsck is clean. SERVER_KILLS sets the count (make
// test: 30; make soak: 1,000).
//
// The killer waits for each victim to be back (a live process of that name in `ps`; the newest, as
// the one just killed may still be listed while it ends) before it kills it, and keeps each server's kills at least 0.75 s apart (a 0.25 s pause, three servers in
// turn): init gives up on a server that ends 17 times within 10 s, by design (init/main.swift),
// and this test is about surviving kills, not about that policy.
import Foundation
import TestSupport
import Testing

enum ServerKills {
    static var count: Int { Int(ProcessInfo.processInfo.environment["SERVER_KILLS"] ?? "") ?? 30 }

    static func script(kills: Int) -> String {
        """
        pid_of() { ps | { last=; while read p pp st pg sd nm; do if [ "$nm" = "$1" ] && [ "$st" != zombie ]; then last=$p; fi; done; echo $last; }; }
        rm -f /stop /bg.log /fg.log
        ( j=0; while [ ! -e /stop ]; do echo "bg $j" >> /bg.log || echo "soak: background append $j failed"; j=$((j + 1)); done; echo "soak: writer wrote $j" ) &
        writer=$!
        i=0; killed=0
        while [ $i -lt \(kills) ]; do
            echo "fg $i" >> /fg.log || echo "soak: append $i failed"
            case $((i % 3)) in 0) victim=fsd ;; 1) victim=blkd ;; *) victim=ttyd ;; esac
            pid=$(pid_of $victim)
            while [ -z "$pid" ]; do pid=$(pid_of $victim); done
            if kill -9 $pid; then killed=$((killed + 1)); else echo "soak: kill $victim $pid failed"; fi
            sleep 0.25
            i=$((i + 1))
        done
        touch /stop
        wait $writer
        for s in fsd blkd ttyd; do if [ -n "$(pid_of $s)" ]; then echo "soak: $s is running"; fi; done
        echo "soak: killed $killed servers"
        exit 0
        """
    }
}

@Test func serversKilledDuringContinuousIOLoseNothing() throws {
    try RepositoryPaths.requireKVM()
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let kills = ServerKills.count
    // A kill round takes well under a second; the guest's timeout bounds a hang.
    let guestTimeout = Boot.guestTimeout + 2 * kills
    // A terminal session (`tty`: init starts ttyd, the shell's descriptors are on it), the script
    // typed at it as one compound command that ends with `exit`: the shell has read all of it before
    // the first kill, so no typed-ahead line can be lost with a killed terminal server.
    let r = try Subprocess.run(vmm, ["run", image, "--cmdline", "init=init -- sh tty", "--timeout", "\(guestTimeout)"],
                               input: "{\n" + ServerKills.script(kills: kills) + "\n}\n", timeout: TimeInterval(guestTimeout + 60))
    // Without CRs (ttyd's output processing makes LF CR LF, and "\r\n" is one Character to Swift).
    let out = String(String.UnicodeScalarView((r.stdout + r.stderr).unicodeScalars.filter { $0 != "\r" }))
    #expect(r.status == 0, "\(out)")
    #expect(out.contains("soak: killed \(kills) servers"), "\(out)")
    let failures = out.split(separator: "\n").filter { $0.contains("soak: ") && $0.hasSuffix("failed") }
    #expect(failures.isEmpty, "\(failures)")
    #expect(!out.contains("not restarting it"), "init gave up on a server: \(out)")
    // Each kill found its victim alive, so init had restarted the one killed before; all three run
    // at the end. (init's "restarting it" lines are not counted: init writes to the kernel console
    // and ttyd to the UART, so their bytes may interleave within a line.)
    for name in ["fsd", "blkd", "ttyd"] {
        #expect(out.contains("soak: \(name) is running"), "\(name) is not running at the end")
    }
    // (The terminal echoes the script as it is typed: only a line with a number is the writer's.)
    let written = out.split(separator: "\n").map(String.init).compactMap { line in
        line.components(separatedBy: "soak: writer wrote ").dropFirst().first.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }.first
    #expect(written != nil && written! > 0, "\(out)")

    let fg = try Subprocess.run(vmm, ["image", "cat", image, "/fg.log"], timeout: 60)
    #expect(numberedLines(fg.stdout, prefix: "fg") == Array(0..<kills), "\(fg.stdout)")
    let bg = try Subprocess.run(vmm, ["image", "cat", image, "/bg.log"], timeout: 60)
    let records = numberedLines(bg.stdout, prefix: "bg")
    #expect(records == Array(0..<max(written ?? 0, 0)) && written != nil, "background log: \(bg.stdout.suffix(400))")
    let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 120)
    #expect(fsck.status == 0, "\(fsck.stdout)")
}
