// init — the first process, and the supervisor of the system's servers.
//   1. Starts the pipe server `piped`; if there is a disk, starts its driver `blkd` (with the right to the disks only) and, once the disk is
//      served, the file server `fsd` on it (without: it reaches the disk only through blkd).
//   2. With `run=…` (swiftvm run IMAGE -- COMMAND: RunCommand.swift) runs that command and powers
//      off with its status. Otherwise runs `hello`; then, when someone is at the console (the kernel passes `interactive`: swiftvm's
//      stdin is a terminal) or the command line asks for it (`init=init -- sh`), the shell.
//   0. For a terminal session (Terminal.swift: `interactive`, or `tty` on the command line) first
//      starts the terminal server `ttyd`, which takes the console from the kernel; the shell gets
//      its fds 0–2 on ttyd's /dev/console; init itself keeps the kernel console.
//   3. While it waits, restarts ttyd, blkd or fsd whenever one ends — crashed or killed — so file I/O
//      carries on (clients repeat a cut-off call against the new server: UserLib/Files.swift,
//      fsd/RemoteBlocks.swift). With `watchdog=PERIOD,TIMEOUT` it also starts (and keeps) the
//      watchdog, which kills a server that stops answering, so a hung server is restarted too.
// The machine powers off when init exits, with the shell's status (or 0 when hello did as expected).
import ABI
import UserLib

/// `NAME=ARGS` on init's command line passes ARGS (commas for spaces) to server NAME: `fsd=crash-after,4`.
func commandLine(_ name: String, _ arguments: [String]) -> String {
    var line = name
    let prefix = Array((name + "=").utf8)
    for a in arguments where a.utf8.starts(with: prefix) {
        line += " " + String(decoding: Array(a.utf8.dropFirst(prefix.count)).map { $0 == UInt8(ascii: ",") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
    return line
}

/// The devices of virtio type `type` (device_info's virtio id: 2 block, 3 console, 4 entropy) as a
/// device-right set (bit i: device index i), with the windows whose type the kernel could not read
/// (id 0: the driver probes them, VirtioDriver MMIODevice.find). Each driver gets only its own
/// kind (issue 16 §4): the disk driver cannot map the console, nor the terminal server the disk.
func devices(ofType type: UInt32) -> UInt64 {
    var set: UInt64 = 0
    var index = 0
    while index < 64, let device = System.deviceInfo(index) {
        if device.virtio_id == type || device.virtio_id == 0 { set |= 1 << UInt64(index) }
        index += 1
    }
    return set
}
let virtioBlock: UInt32 = 2, virtioConsole: UInt32 = 3
/// console_attach's right (sv_syscall.h): the terminal server's, with the virtio-consoles.
let consoleRight: UInt64 = 1 << UInt64(SV_DEVICE_RIGHT_CONSOLE)

/// A server init keeps running.
struct Supervised {
    let commandLine: String
    /// The devices it may drive (a driver), nil for none.
    let devices: UInt64?
    var pid = 0
    /// When it was last restarted (clock ns), the most recent last.
    var restarts: [UInt64] = []
    /// Gives up on a server that keeps dying — this many restarts within `window` — rather than
    /// spinning the machine on it; one that fails now and then is restarted for ever.
    static let maximumRestarts = 16
    static let window: UInt64 = 10_000_000_000
    /// The status a server exits with when restarting it cannot help (no disk, or not RedoxFS).
    static let nothingToServe = 2

    mutating func start() {
        // A driver with no device of its kind gets no right at all (an empty set is refused).
        pid = System.spawn(commandLine, deviceSet: devices.flatMap { $0 == 0 ? nil : $0 })
        if pid <= 0 { print("init: cannot start \(commandLine) (error \(-pid))") }
    }

    /// Records a restart; false if it has been restarted too often lately.
    mutating func mayRestart(now: UInt64) -> Bool {
        restarts = restarts.filter { now - $0 < Supervised.window }
        restarts.append(now)
        return restarts.count <= Supervised.maximumRestarts
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
@discardableResult
func waitForService(_ name: String, from pid: Int) -> Bool {
    let deadline = System.clock() + 10_000_000_000
    while System.clock() < deadline {
        if Channel.lookup(name) > 0 { return true }
        guard System.processes().contains(where: { $0.pid == pid && $0.state != "zombie" }) else { return false }
        System.sleep(nanoseconds: 1_000_000)
    }
    return false
}

func main() -> Never {
    let arguments = System.arguments
    var servers: [Supervised] = []
    // The terminal server first (with the devices right: it takes the console's input from the
    // kernel), so the shell's descriptors can be on it — when the shell has a terminal
    // (Terminal.swift: wantsTerminal); otherwise the kernel console serves, as before.
    let terminalSession = wantsTerminal(arguments)
    if terminalSession {
        var terminal = Supervised(commandLine: commandLine("ttyd", arguments), devices: devices(ofType: virtioConsole) | consoleRight)
        terminal.start()
        servers.append(terminal)
        waitForService(SV_TTY_SERVICE, from: terminal.pid)
    }
    // The pipe server (pipelines in the shell), then the disk driver and the file server.
    var pipes = Supervised(commandLine: "piped", devices: nil)
    pipes.start()
    servers.append(pipes)
    waitForService(Pipes.service, from: pipes.pid)
    if hasDisk() {
        // The disk driver (with the devices right), then the file server on it (without).
        var driver = Supervised(commandLine: commandLine("blkd", arguments), devices: devices(ofType: virtioBlock))
        driver.start()
        servers.append(driver)
        if waitForService(BlockProtocol.service, from: driver.pid) {
            var files = Supervised(commandLine: commandLine("fsd", arguments), devices: nil)
            files.start()
            servers.append(files)
            // fsd claims "fs" before it mounts; its first answer means the filesystem is up.
            if waitForService(FileProtocol.service, from: files.pid) { _ = Files.statistics() }
        }
    }
    if arguments.contains(where: { $0.utf8.starts(with: "watchdog=".utf8) }) {
        var watchdog = Supervised(commandLine: commandLine("watchdog", arguments), devices: nil)
        watchdog.start()
        servers.append(watchdog)
    }

    /// Runs `command` in the foreground, restarting servers that end meanwhile; its exit status.
    func run(_ command: String) -> Int {
        let child = System.spawn(command)
        guard child > 0 else {
            print("init: cannot start \(command) (error \(-child))")
            return 1
        }
        return wait(for: child)
    }

    /// Waits for `child`, restarting servers that end meanwhile; its exit status.
    func wait(for child: Int) -> Int {
        while let (pid, status) = System.waitAny() {
            if pid == child { return status }
            guard let i = servers.firstIndex(where: { $0.pid == pid }) else { continue }   // an orphan
            guard status != Supervised.nothingToServe else {
                print("init: \(servers[i].commandLine) has nothing to serve; not restarting it")
                servers[i].pid = 0
                continue
            }
            guard servers[i].mayRestart(now: System.clock()) else {
                print("init: \(servers[i].commandLine) ended \(Supervised.maximumRestarts + 1) times in 10 s (last status \(status)); not restarting it")
                servers[i].pid = 0
                continue
            }
            print("init: \(servers[i].commandLine) (pid \(pid)) ended with status \(status); restarting it")
            servers[i].start()
        }
        return 1
    }

    // `swiftvm run IMAGE -- COMMAND`: the command instead of hello and the shell.
    if let request = RunCommand.find(in: arguments) {
        switch request {
        case .failure(let e):
            StandardError.print("init: run=: \(e.message)")
            System.exit(2)
        case .success(let argv):
            guard let child = RunCommand.start(argv) else { System.exit(126) }
            let status = wait(for: child)
            print(RunCommand.endMarker)
            System.exit(Int32(truncatingIfNeeded: status))
        }
    }

    print("init: starting hello")
    let status = run("hello")
    print("init: hello exited with status \(status)")
    if arguments.contains("interactive") || arguments.contains("sh") {
        let shell = terminalSession ? spawnOnTerminal("sh") : System.spawn("sh")
        guard shell > 0 else {
            print("init: cannot start sh (error \(-shell))")
            System.exit(1)
        }
        System.exit(Int32(truncatingIfNeeded: wait(for: shell)))
    }
    System.exit(status == 0 ? 0 : 1)
}

main()
