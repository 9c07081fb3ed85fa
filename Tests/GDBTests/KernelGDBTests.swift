// KernelGDBTests.swift — the real gdb (Debian's, batch mode) against the real kernel through
// `swiftvm run --gdb unix:… --gdb-wait`: symbols, breakpoints by name and by line, backtraces through
// Swift frames, registers, memory reads and writes the guest then acts on, stepping, a breakpoint
// in a ring-3 program, Ctrl-C, and a kernel panic stopping in the debugger.
import Foundation
import TestSupport
import Testing

struct GDBSession {
    let vm: SubprocessResult
    let gdb: SubprocessResult

    /// Boots the kernel stopped before its first instruction, runs gdb with `commands` against it,
    /// and waits for both. `interruptWhen`: send gdb a SIGINT (Ctrl-C) once the guest's console has
    /// printed that text (so the guest is known to be running, whatever the machine's load).
    /// `image`: boot this OS image (a copy of it: the guest's file server may write) instead of
    /// kernel.elf + initrd. `typing`: lines for the guest's shell on the serial console, line i sent
    /// once the shell has printed its (i+1)-th prompt.
    static func run(cmdline: String = "", image: String? = nil, commands: [String], interruptWhen: String? = nil,
                    typing: [String] = []) throws -> GDBSession {
        try RepositoryPaths.requireKVM()
        let gdbPath = "/usr/bin/gdb"
        guard FileManager.default.fileExists(atPath: gdbPath) else { throw TestSetupError("\(gdbPath) is missing: install gdb (make test does)") }
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-gdb-\(UUID().uuidString.prefix(8)).sock").path
        var args: [String]
        var copy: String? = nil
        if let image {
            copy = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-gdb-\(UUID().uuidString.prefix(8)).img").path
            try FileManager.default.copyItem(atPath: image, toPath: copy!)
            args = ["run", copy!]
        } else {
            args = ["run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", try RepositoryPaths.requireBuilt("initrd.img")]
        }
        defer { if let copy { try? FileManager.default.removeItem(atPath: copy) } }
        args += ["--gdb", "unix:\(socket)", "--gdb-wait", "--timeout", "300"] + (typing.isEmpty ? ["--no-input"] : [])
        if !cmdline.isEmpty { args += ["--cmdline=\(cmdline)"] }   // one argument: the line may begin with --
        let vm = try Subprocess([try RepositoryPaths.requireBuilt("swiftvm")] + args, interactive: !typing.isEmpty)
        guard waitForFile(socket, timeout: 120) else {   // returns as soon as it exists
            let r = vm.wait(timeoutSeconds: 5)
            throw TestSetupError("the gdb socket never appeared; swiftvm said: \(r.stderr)")
        }
        var gdbArgs = ["-batch", "-nx", "-ex", "set architecture i386:x86-64", "-ex", "set pagination off",
                       "-ex", "set confirm off", "-ex", "file \(try RepositoryPaths.requireBuilt("kernel.elf"))",
                       "-ex", "target remote \(socket)"]
        for c in commands { gdbArgs += ["-ex", c] }
        let g = try Subprocess([gdbPath] + gdbArgs)
        if let interruptWhen {
            // Bounded by the VM's own --timeout: if the text never comes, the transcript says why.
            let deadline = ProcessInfo.processInfo.systemUptime + 300
            while !vm.stdoutSoFar().contains(interruptWhen) && ProcessInfo.processInfo.systemUptime < deadline { usleep(10_000) }
            g.signal(SIGINT)   // what Ctrl-C at gdb's terminal does
        }
        for (i, line) in typing.enumerated() {
            // Bounded by the VM's own --timeout (then the output ends and the wait returns).
            _ = vm.waitForOutput(timeoutSeconds: 330) { $0.components(separatedBy: "$ ").count - 1 > i }
            vm.send(line + "\n")
        }
        // Bounds for failures only (the guest powers off by itself, at the latest at its --timeout):
        // generous, since these tests may run beside QEMU TCG ones.
        let gdb = g.wait(timeoutSeconds: 330)
        let result = vm.wait(timeoutSeconds: 60)
        try? FileManager.default.removeItem(atPath: socket)
        return GDBSession(vm: result, gdb: gdb)
    }

    /// gdb's output without its DWARF reader's chatter.
    var transcript: String { gdb.stdout + gdb.stderr }
}

/// A global of the kernel: the scheduler tick, logged at boot as "timer: N ms period".
let timerPeriodSymbol = "'$e6KernelAAO23timerPeriodMillisecondss6UInt64VvpZ'"

@Test func gdbBreakOnAKernelFunctionInspectChangeStepAndFinish() throws {
    let s = try GDBSession.run(commands: [
        "info registers rip",
        "break kernel_main",
        "continue",
        "info registers rip cs",
        "x/gx &\(timerPeriodSymbol)",
        "set {long}&\(timerPeriodSymbol) = 20",
        "stepi",
        "info registers rip",
        "next",
        "delete",
        "continue",
    ])
    let t = s.transcript
    #expect(!s.gdb.timedOut && !s.vm.timedOut)
    #expect(t.contains("rip            0x400000100000      0x400000100000 <_start>"), "\(t)")
    #expect(t.contains("Breakpoint 1, 0x"), "\(t)")
    #expect(t.contains(" in kernel_main ()"))
    // Registers are the stopped kernel's: rip inside kernel_main, the kernel code selector.
    #expect(t.range(of: #"rip +0x4000001[0-9a-f]+ +0x4000001[0-9a-f]+ <kernel_main\+\d+>"#, options: .regularExpression) != nil, "\(t)")
    #expect(t.range(of: #"cs +0x10 +16"#, options: .regularExpression) != nil)
    #expect(t.contains("<$e6KernelAAO23timerPeriodMillisecondss6UInt64VvpZ>:\t0x000000000000000a"), "\(t)")
    // stepi moved rip on, within kernel_main; `next` reached a Swift source line.
    let rips = t.matches(of: #/rip +0x([0-9a-f]+) /#).map { String($0.output.1) }
    #expect(rips.count == 3, "\(t)")   // at _start, at the breakpoint, after stepi
    if rips.count == 3, let atBreak = UInt64(rips[1], radix: 16), let afterStep = UInt64(rips[2], radix: 16) {
        #expect(afterStep != atBreak, "stepi did not move rip: \(t)")
        // Still in the kernel's text (kernel_main's next instruction, or a call's target).
        #expect(afterStep >> 20 == 0x4000001, "stepi left the kernel: \(t)")
    }
    #expect(t.contains("kernelMain"), "\(t)")
    #expect(t.contains("[Inferior 1 (Remote target) exited normally]"), "\(t)")
    // The guest acted on the value gdb wrote.
    #expect(s.vm.stdout.contains("[kernel] timer: 20 ms period"), "\(s.vm.stdout)")
    #expect(s.vm.status == 0)
}

@Test func gdbBacktraceShowsSwiftFrames() throws {
    // The first line of Programs.start's body (found in the source, so edits above it do not matter).
    let source = RepositoryPaths.root.appendingPathComponent("Guest/Kernel/Kernel/Programs.swift").path
    let lines = try String(contentsOfFile: source, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    let declaration = try #require(lines.firstIndex { $0.contains("static func start(name: [UInt8]") })
    let line = declaration + 2
    let s = try GDBSession.run(commands: [
        "break \(source):\(line)",
        "continue",
        "bt",
        "delete",
        // A trap's backtrace: from the Swift handler down to the entry code, and no further.
        "break kernel_trap",
        "continue",
        "echo ==trap==\\n",
        "bt",
        "echo ==end==\\n",
        "delete",
        "continue",
    ])
    let t = s.transcript
    #expect(t.contains("Programs.swift:\(line)"), "\(t)")
    #expect(t.range(of: #"#0 .*\$e6Kernel8ProgramsO5start"#, options: .regularExpression) != nil, "\(t)")
    #expect(t.contains("$e6Kernel10kernelMain"))
    // Backtraces end at the entry points (their unwind information says rip is undefined there):
    // at _start for the boot path, at trap_common for a trap.
    let boot = t.components(separatedBy: "==trap==").first ?? ""
    let bootFrames = boot.split(separator: "\n").filter { $0.hasPrefix("#") }
    #expect(bootFrames.last?.contains("_start () at ") == true, "\(boot)")
    let trap = try #require(t.range(of: "==trap==").flatMap { a in t.range(of: "==end==").map { t[a.upperBound..<$0.lowerBound] } }, "\(t)")
    let trapFrames = trap.split(separator: "\n").filter { $0.hasPrefix("#") }
    #expect(trapFrames.first?.contains("kernel_trap") == true, "\(trap)")
    #expect(trapFrames.last?.contains("trap_common") == true, "\(trap)")
    #expect(s.vm.status == 0)
}

@Test func gdbBreakpointInARing3Program() throws {
    _ = try RepositoryPaths.requireBuilt("hello.elf")
    let source = RepositoryPaths.root.appendingPathComponent("Guest/TestPrograms/hello/main.swift").path
    let s = try GDBSession.run(cmdline: "debug.stop-at-exec=hello", commands: [
        "continue",                                     // stops as hello is about to start
        "info registers rip cs",
        "break \(source):5",                           // hello's symbols: loaded by gdb on its own
        "continue",
        "bt",
        "info registers cs",
        "delete",
        "continue",
    ])
    let t = s.transcript
    // "Thread N received…": gdb knows the processes started so far as threads (hello is one of them).
    #expect(t.range(of: #"Thread \d+ received signal SIGTRAP"#, options: .regularExpression) != nil, "\(t)")
    #expect(t.range(of: #"rip +0x400000 +0x400000"#, options: .regularExpression) != nil, "\(t)")
    #expect(t.range(of: #"cs +0x33 +51"#, options: .regularExpression) != nil)
    #expect(t.contains("Breakpoint 1, hello_main () at \(source):5"), "\(t)")
    #expect(t.contains("#1  0x"))
    #expect(t.contains("in _start () at"))
    #expect(t.contains("[Inferior 1 (Remote target) exited normally]"))
    #expect(s.vm.stdout.contains("Hello from ring 3"))
    #expect(s.vm.status == 0)
}

@Test func gdbCtrlCStopsARunningGuest() throws {
    // `crash spin 60` keeps the guest busy in user mode far longer than the test waits. The kernel
    // logs its timer period just before it enters init (here `crash`) for the first time.
    let s = try GDBSession.run(cmdline: "init=crash -- spin 60", commands: [
        "continue",
        "info registers rip cs",
        "kill",
    ], interruptWhen: "[kernel] timer: ")
    let t = s.transcript
    #expect(t.range(of: #"(Program|Thread \d+) received signal SIGINT"#, options: .regularExpression) != nil, "\(t)")
    // Stopped somewhere in the spinning program or in the kernel serving its clock() calls.
    #expect(t.range(of: #"rip +0x[0-9a-f]+ +0x[0-9a-f]+"#, options: .regularExpression) != nil, "\(t)")
    #expect(t.contains("[Inferior 1 (Remote target) killed]"), "\(t)")
    #expect(s.vm.status == 137)
}

@Test func gdbKernelPanicStopsInTheDebugger() throws {
    let s = try GDBSession.run(cmdline: "test.panic", commands: [
        "continue",
        "info registers rip",
        "bt 2",
        "continue",
    ])
    let t = s.transcript
    #expect(t.contains("Program received signal SIGSEGV"), "\(t)")
    #expect(t.contains("kernelMain"), "\(t)")
    // gdb prints exit codes in octal: 101 = 0145.
    #expect(t.contains("exited with code 0145"), "\(t)")
    #expect(s.vm.status == 101)
    #expect(s.vm.stdout.contains("PANIC: page fault"))
}
