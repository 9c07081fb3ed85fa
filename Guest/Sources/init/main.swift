// init — the first process, and the supervisor of the system's servers.
//   1. If there is a disk, starts the file server `fsd` (with the devices right: it drives the disk).
//   2. Runs `hello`; then, when someone is at the console (the kernel passes `interactive`: swiftvm's
//      stdin is a terminal) or the command line asks for it (`init=init -- sh`), the shell.
//   3. While it waits, restarts fsd whenever it ends — crashed or killed — so file I/O carries on
//      (clients repeat a cut-off call against the new server: UserLib/Files.swift).
// The machine powers off when init exits, with the shell's status (or 0 when hello did as expected).
import ABI
import UserLib

/// A server init keeps running.
struct Supervised {
    let commandLine: String
    var pid = 0
    var restarts = 0
    /// Gives up on a server that keeps dying, rather than spinning the machine on it.
    static let maximumRestarts = 16
    /// The status a server exits with when restarting it cannot help (fsd: no disk, or not RedoxFS).
    static let nothingToServe = 2

    mutating func start() {
        pid = System.spawn(commandLine, devices: true)
        if pid <= 0 { print("init: cannot start \(commandLine) (error \(-pid))") }
    }
}

func hasDisk() -> Bool {
    var index = 0
    while let device = System.deviceInfo(index) {
        if device.virtio_id == 2 { return true }
        index += 1
    }
    return false
}

/// Waits (up to 10 s) until `name` is served, so what starts next finds the files there and the
/// console shows the server's start before the shell's prompt; gives up early if `pid` ended (a
/// disk that is not RedoxFS: fsd said why and exited).
func waitForService(_ name: String, from pid: Int) {
    let deadline = System.clock() + 10_000_000_000
    while IPC.lookup(name) < 0 && System.clock() < deadline {
        guard System.processes().contains(where: { $0.pid == pid && $0.state != "zombie" }) else { return }
        System.sleep(nanoseconds: 1_000_000)
    }
}

func main() -> Never {
    let arguments = System.arguments
    var servers: [Supervised] = []
    if hasDisk() {
        // `fsd=ARGS` on init's command line passes ARGS to fsd (crash-after N, for the restart test).
        var fsd = "fsd"
        for a in arguments where a.utf8.starts(with: "fsd=".utf8) {
            fsd += " " + String(decoding: Array(a.utf8.dropFirst(4)).map { $0 == UInt8(ascii: ",") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        }
        var server = Supervised(commandLine: fsd)
        server.start()
        servers.append(server)
        waitForService("fs", from: server.pid)
    }

    /// Runs `command` in the foreground, restarting servers that end meanwhile; its exit status.
    func run(_ command: String) -> Int {
        let child = System.spawn(command)
        guard child > 0 else {
            print("init: cannot start \(command) (error \(-child))")
            return 1
        }
        while let (pid, status) = System.waitAny() {
            if pid == child { return status }
            guard let i = servers.firstIndex(where: { $0.pid == pid }) else { continue }   // an orphan
            servers[i].restarts += 1
            guard status != Supervised.nothingToServe else {
                print("init: \(servers[i].commandLine) has nothing to serve; not restarting it")
                servers[i].pid = 0
                continue
            }
            guard servers[i].restarts <= Supervised.maximumRestarts else {
                print("init: \(servers[i].commandLine) ended with status \(status) \(servers[i].restarts) times; not restarting it")
                servers[i].pid = 0
                continue
            }
            print("init: \(servers[i].commandLine) (pid \(pid)) ended with status \(status); restarting it")
            servers[i].start()
        }
        return 1
    }

    print("init: starting hello")
    let status = run("hello")
    print("init: hello exited with status \(status)")
    if arguments.contains("interactive") || arguments.contains("sh") {
        System.exit(Int32(truncatingIfNeeded: run("sh")))
    }
    System.exit(status == 0 ? 0 : 1)
}

main()
