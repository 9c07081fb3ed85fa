// MonitorCommandTests.swift — gdb's `monitor ps/ipc/mem/stop-at-exec` (MonitorCommands.swift): the
// words parsed, the tables built from a process table as the kernel publishes it (including a
// zombie, which is no gdb thread but is a process `ps` shows), and the real gdb driving them against
// the booted OS.
import ABI
import Foundation
import GuestMemory
import TestSupport
import Testing
@testable import VMM

@Test func monitorCommandsParseTheirWords() {
    #expect(MonitorCommand.parse("ps") == .ps)
    #expect(MonitorCommand.parse("  ipc ") == .ipc)
    #expect(MonitorCommand.parse("mem") == .mem)
    #expect(MonitorCommand.parse("") == .help)
    #expect(MonitorCommand.parse("help") == .help)
    #expect(MonitorCommand.parse("stop-at-exec ls cat") == .stopAtExec(["ls", "cat"]))
    #expect(MonitorCommand.parse("stop-at-exec") == .stopAtExec([]))
    #expect(MonitorCommand.parse("stop-at-exec off") == .stopAtExecOff)
    #expect(MonitorCommand.parse("ps aux") == .unknown("ps aux"))
    #expect(MonitorCommand.parse("reboot") == .unknown("reboot"))
}

@Test func monitorReportsPsIpcAndMemFromTheKernelsTable() throws {
    func blocked(_ pid: Int32, _ name: String, _ detail: String) -> sv_debug_process {
        var e = entry(pid: pid, name: Array(name.utf8), cr3: 0x10000 + UInt64(pid) * 0x1000, state: UInt32(SV_DEBUG_PROCESS_BLOCKED))
        withUnsafeMutableBytes(of: &e.detail) { b in for (i, c) in Array(detail.utf8).prefix(b.count - 1).enumerated() { b[i] = c } }
        return e
    }
    var zombie = entry(pid: 9, name: Array("true".utf8), cr3: 0, state: UInt32(SV_DEBUG_PROCESS_ZOMBIE))
    zombie.parent_pid = 7
    let entries = [
        entry(pid: 1, name: Array("init".utf8), cr3: 0x11000, state: UInt32(SV_DEBUG_PROCESS_READY)),
        blocked(3, "fsd", "IPC receive on fs"),
        blocked(7, "sh", "IPC reply from pid 3"),
        blocked(8, "cat", "IPC call to fs"),
        blocked(10, "ls", "waiting for a server of blk"),
        zombie,
    ]
    var (memory, state) = try machine(entries)
    state.total_frames = 32768
    state.free_frames = 30000
    let snapshot = ProcessSnapshot.read(state, memory: memory)
    #expect(snapshot.processes.map(\.pid) == [1, 3, 7, 8, 10])
    #expect(snapshot.zombies.map(\.pid) == [9])
    var report = MonitorReport(snapshot: snapshot)

    let ps = report.ps().split(separator: "\n").map(String.init)
    #expect(ps.count == 7, "\(ps)")
    #expect(ps[0].hasPrefix("PID  PPID  STATE"), "\(ps)")
    #expect(ps.contains { $0.range(of: #"^ +3 +1  blocked  fsd   IPC receive on fs$"#, options: .regularExpression) != nil }, "\(ps)")
    #expect(ps.contains { $0.range(of: #"^ +9 +7  zombie   true$"#, options: .regularExpression) != nil }, "\(ps)")

    let ipc = report.ipc()
    #expect(ipc.contains("fs       fsd (pid 3)  waiting for a request"), "\(ipc)")
    #expect(ipc.contains("sh (pid 7)   the reply from fsd (pid 3)"), "\(ipc)")
    #expect(ipc.contains("cat (pid 8)  service fs: the call is queued"), "\(ipc)")
    #expect(ipc.contains("ls (pid 10)  service blk: no server yet"), "\(ipc)")

    report.residentPages = [1: 100, 3: 3000]
    let mem = report.mem()
    #expect(mem.hasPrefix("Frames: 32768 in all (128.0 MiB), 2768 used (10.8 MiB), 30000 free (117.2 MiB)\n"), "\(mem)")
    #expect(mem.range(of: #"\n +3  fsd +3000  11.7 MiB\n"#, options: .regularExpression) != nil, "\(mem)")
    #expect(mem.range(of: #"\n +all processes +3100  12.1 MiB\n"#, options: .regularExpression) != nil, "\(mem)")

    // A guest claiming more free frames than it has reports nothing rather than nonsense.
    state.free_frames = 40000
    #expect(ProcessSnapshot.read(state, memory: memory).totalFrames == 0)
}

@Test func gdbMonitorCommandsShowTheOSAndStopAtAProgramsStart() throws {
    let image = try RepositoryPaths.requireBuilt("os.img")
    _ = try RepositoryPaths.requireBuilt("ls.elf")
    // At a Ctrl-C-free start (--gdb-wait stops before the kernel runs) there is no table yet; then
    // `stop-at-exec ls` stops when the shell runs ls, where ps/ipc/mem describe the whole OS.
    let s = try GDBSession.run(cmdline: "-- sh", image: image, commands: [
        "monitor ps",
        "monitor stop-at-exec ls",
        "continue",
        "monitor ps",
        "monitor ipc",
        "monitor mem",
        "monitor stop-at-exec off",
        "monitor frobnicate",
        "continue",
    ], typing: ["echo one", "ls /", "exit"])
    let t = s.transcript
    #expect(!s.gdb.timedOut && !s.vm.timedOut, "\(t)")
    #expect(t.contains("No process table at this stop"), "\(t)")
    #expect(t.contains("The guest stops when one of these starts: ls"), "\(t)")
    #expect(t.contains("Unknown monitor command \"frobnicate\""), "\(t)")
    // gdb prints monitor output on its stderr: the three tables in order.
    let e = s.gdb.stderr
    func part(_ a: String, _ b: String) throws -> Substring {
        try #require(e.range(of: a).flatMap { x in e.range(of: b, range: x.lowerBound..<e.endIndex).map { e[x.lowerBound..<$0.lowerBound] } }, "\(t)")
    }
    let ps = try part("PID  PPID  STATE", "SERVICE  SERVER")
    #expect(ps.range(of: #"\n +1 +0  \w+ +init +"#, options: .regularExpression) != nil, "\(ps)")
    #expect(ps.range(of: #"\n +\d+ +1  blocked  fsd +IPC receive on fs\n"#, options: .regularExpression) != nil, "\(ps)")
    // ls, the program whose start stopped the guest, is a child of the shell.
    let sh = try #require(ps.firstMatch(of: #/\n +(\d+) +1  \w+ +sh\b/#).map { String($0.output.1) }, "\(ps)")
    #expect(ps.range(of: #"\n +\d+ +"# + sh + #"  \w+ +ls\n"#, options: .regularExpression) != nil, "\(ps)")
    let ipc = try part("SERVICE  SERVER", "Frames: ")
    #expect(ipc.range(of: #"\nfs +fsd \(pid \d+\) +waiting for a request\n"#, options: .regularExpression) != nil, "\(ipc)")
    let mem = try part("Frames: ", "No program stops")
    let frames = try #require(mem.firstMatch(of: #/Frames: (\d+) in all \([0-9.]+ MiB\), (\d+) used/#), "\(mem)")
    #expect(Int(frames.output.1)! > Int(frames.output.2)! && Int(frames.output.2)! > 0, "\(mem)")
    let ls = try #require(mem.firstMatch(of: #/\n +\d+  ls +(\d+) /#), "\(mem)")
    #expect(Int(ls.output.1)! > 0, "\(mem)")
    #expect(t.contains("[Inferior 1 (Remote target) exited normally]"), "\(t)")
    #expect(s.vm.stdout.contains("bin"), "\(s.vm.stdout)")
}
