// RealGDBTests.swift — gdb 13 itself, in batch mode, against the stub serving the simulated machine:
// proof that we speak gdb's dialect (Firecracker's test_gdb.py and QEMU's tests/guest-debug are the
// models). Every gdb run has a deadline; a hang fails the test. Needs /usr/bin/gdb (.ci/run installs it).
import Testing
import Glibc
@testable import GDBStub
import GDBStubTestSupport
import TestSupport

/// Where gdb is, or nil (then the tests fail with a message saying how to get it).
let gdbPath: String? = ["/usr/bin/gdb", "/usr/local/bin/gdb", "/bin/gdb"].first { access($0, X_OK) == 0 }

struct GDBRun {
    let result: Subprocess.Result
    var out: String { result.stdout }
}

/// Serves `target` on `endpoint`, runs gdb with `commands` after `target remote`, returns its output.
/// `whileRunning` is called once gdb has started (on the test's thread), e.g. to send SIGINT.
func runGDB(_ commands: [String], target: SimulatedTarget = SimulatedTarget(), endpoint: GDBEndpoint? = nil,
            options: SessionOptions = SessionOptions(), timeoutSeconds: Double = 60,
            whileRunning: ((Subprocess, SimulatedTarget) -> Void)? = nil,
            sourceLocation: SourceLocation = #_sourceLocation) -> GDBRun? {
    guard let gdb = gdbPath else {
        Issue.record("gdb not found: install it (apt-get install gdb; .ci/run does) to run the real-gdb tests",
                     sourceLocation: sourceLocation)
        return nil
    }
    let name = "rg-\(monotonicMilliseconds() % 100_000)-\(UInt32.random(in: 0..<UInt32.max))"
    do {
        let server = try GDBServer(endpoint: endpoint ?? .unix(path: socketPath(name)), target: target,
                                   options: options, pollMilliseconds: 20)
        server.start()
        defer { server.stop() }
        let remote: String
        switch server.address {
        case .unix(let path): remote = path
        case .tcp(let host, let port): remote = "\(host):\(port)"
        }
        var args = [gdb, "-batch", "-nx", "-ex", "set pagination off", "-ex", "set confirm off",
                    "-ex", "set architecture i386:x86-64", "-ex", "target remote \(remote)"]
        for c in commands { args += ["-ex", c] }
        let process = try Subprocess(args)
        whileRunning?(process, target)
        let result = process.wait(timeoutSeconds: timeoutSeconds)
        #expect(!result.timedOut, "gdb did not finish in \(timeoutSeconds) s:\n\(result.stdout)\n\(result.stderr)",
                sourceLocation: sourceLocation)
        return GDBRun(result: result)
    } catch {
        Issue.record("could not run gdb: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Expects every line in `lines` to appear in `text`, in order.
func expectInOrder(_ text: String, _ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    var rest = Substring(text)
    for line in lines {
        guard let r = rest.firstRange(of: line) else {
            Issue.record("gdb output lacks (in order) \"\(line)\"; output was:\n\(text)", sourceLocation: sourceLocation)
            return
        }
        rest = rest[r.upperBound...]
    }
}

func hx(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

@Suite("Real gdb against the simulated machine", .serialized)
struct RealGDBTests {
    typealias P = SimulatedProgram

    @Test func registersMemoryAndThreads() {
        let target = SimulatedTarget()
        guard let run = runGDB([
            "info registers",
            "x/4gx \(hx(P.data))",
            "set {long}\(hx(P.data + 0x10)) = 42",
            "x/gx \(hx(P.data + 0x10))",
            "set $rbx = 0x1234",
            "p/x $rbx",
            "x/3i $pc",
            "p/x $xmm0.uint128",
            "p $st0",
            "x/gx \(hx(P.hole))",
            "info threads",
            "detach",
        ], target: target) else { return }
        expectInOrder(run.out, [
            "rip            0xffffffff80000000  0xffffffff80000000",
            "eflags         0x202               [ IF ]",
            "cs             0x10                16",
            "fs_base        0x0                 0",
            "gs_base        0xffffffff80003000",
            "k_gs_base      0x7fff00001000",
            "cr0            0x80050033          [ PE MP ET NE WP AM PG ]",
            "cr3            0x1000",
            "cr4            0x6a0               [ PAE PGE OSFXSR OSXMMEXCPT ]",
            "efer           0xd01               [ SCE LME LMA NXE ]",
            "0xffffffff80001000:\t0x0000000000000000\t0x1122334455667788",
            "0xffffffff80001010:\t0x000000000000002a",
            "= 0x1234",
            "=> 0xffffffff80000000:\tinc    %rax",
            "mov    %rax,0xff6(%rip)        # 0xffffffff80001000",
            "nop",
            "= 0x112233445566778899aabbccddeeff",
            "= 1",
            "* 1    Thread 1 (vCPU 0) 0xffffffff80000000 in ?? ()",
            "  2    Thread 2 (vCPU 1) 0xffffffff8000001a in ?? ()",
            "[Inferior 1 (Remote target) detached]",
        ])
        #expect(run.result.status == 0)
        #expect(run.result.stderr.contains("Cannot access memory at address 0xffffffff80002000"))  // the hole
        // The writes reached the machine (read after the server thread has stopped).
        #expect(target.peek64(P.data + 0x10) == 42)
        #expect(target.registers(of: ThreadID(1)).gpr[1] == 0x1234)
        #expect(target.detachCount == 1)
    }

    @Test func breakpointContinueStepiWithoutProtocolWarnings() {
        guard let run = runGDB([
            "set debug remote 1",
            "break *\(hx(P.marker))",
            "continue",
            "p/x $pc",
            "p $rax",
            "stepi",
            "p/x $pc",
            "continue",
            "p $rax",
            "delete",
            "stepi",
            "p/x $pc",
            "detach",
        ]) else { return }
        expectInOrder(run.out, [
            "Breakpoint 1 at 0xffffffff8000000b",
            "Thread 1 hit Breakpoint 1, 0xffffffff8000000b in ?? ()",
            "= 0xffffffff8000000b",
            "= 1",
            "0xffffffff8000000e in ?? ()",
            "= 0xffffffff8000000e",
            "Thread 1 hit Breakpoint 1, 0xffffffff8000000b in ?? ()",
            "= 2",
            "= 0xffffffff8000000e",
            "[Inferior 1 (Remote target) detached]",
        ])
        // QEMU's untimely-packet check: gdb must never see a packet where it expects an ack.
        #expect(!run.result.stderr.contains("Packet instead of Ack"))
        #expect(!run.result.stderr.contains("Bad checksum"))
        #expect(!run.result.stderr.contains("Remote 'g' packet reply is too long"))
        // gdb used our Z0 and swbreak (no int3 written through M/X, no PC adjustment).
        #expect(run.result.stderr.contains("Sending packet: $Z0,ffffffff8000000b,1"))
        #expect(run.result.stderr.contains("T05swbreak:;thread:1;"))
    }

    @Test func hardwareBreakpointAndWatchpoints() {
        guard let run = runGDB([
            "hbreak *\(hx(P.storeCounter))",
            "continue",
            "delete",
            "watch *(long*)\(hx(P.counter))",
            "continue",
            "p/x $pc",
            "delete",
            "awatch *(long*)\(hx(P.readVariable))",
            "continue",
            "delete",
            "rwatch *(long*)\(hx(P.readVariable))",
            "continue",
            "detach",
        ]) else { return }
        expectInOrder(run.out, [
            "Hardware assisted breakpoint 1 at 0xffffffff80000003",
            "Thread 1 hit Breakpoint 1, 0xffffffff80000003 in ?? ()",
            "Hardware watchpoint 2: *(long*)0xffffffff80001000",
            "Thread 1 hit Hardware watchpoint 2: *(long*)0xffffffff80001000",
            "Old value = 0",
            "New value = 1",
            "= 0xffffffff8000000a",
            "Hardware access (read/write) watchpoint 3: *(long*)0xffffffff80001008",
            "Thread 1 hit Hardware access (read/write) watchpoint 3: *(long*)0xffffffff80001008",
            "Value = 1234605616436508552",
            "Hardware read watchpoint 4: *(long*)0xffffffff80001008",
            "Thread 1 hit Hardware read watchpoint 4: *(long*)0xffffffff80001008",
            "Value = 1234605616436508552",
        ])
    }

    @Test func readWatchpointFallsBackToAccessWatchpoint() {
        // x86 cannot watch reads alone, so Z3 gets an empty reply; gdb then plants Z4 (read or
        // write) and reports a read watchpoint hit itself when the value did not change.
        guard let run = runGDB([
            "set debug remote 1",
            "rwatch *(long*)\(hx(P.readVariable))",
            "continue",
            "detach",
        ]) else { return }
        expectInOrder(run.out, [
            "Hardware read watchpoint 1: *(long*)0xffffffff80001008",
            "Thread 1 hit Hardware read watchpoint 1: *(long*)0xffffffff80001008",
            "Value = 1234605616436508552",
        ])
        expectInOrder(run.result.stderr, [
            "Sending packet: $Z3,ffffffff80001008,8", "Packet Z3 (read-watchpoint) is NOT supported",
            "Sending packet: $Z4,ffffffff80001008,8", "Packet received: OK",
            "Packet received: T05awatch:ffffffff80001008;thread:1;",
        ])
    }

    @Test func ctrlCInterruptsARunningGuest() {
        guard let run = runGDB([
            "set $pc = \(hx(P.halt))",
            "continue",
            "p/x $pc",
            "info threads",
            "detach",
        ], whileRunning: { gdb, target in
            // Once gdb has resumed the target, press Ctrl-C (gdb turns SIGINT into "\x03"). The
            // target counts the resume the stub made for gdb's `vCont;c`; gdb gave the terminal to
            // the inferior before sending it (proceed → target_terminal::inferior), so from then on
            // it passes a SIGINT to the target (remote pass_ctrlc). No fixed delay needed.
            let deadline = monotonicMilliseconds() + 20_000
            while target.resumeCount == 0 && monotonicMilliseconds() < deadline { usleep(10_000) }
            gdb.signal(SIGINT)
        }) else { return }
        expectInOrder(run.out, [
            "Thread 1 received signal SIGINT, Interrupt.",
            "= 0xffffffff8000001",  // inside the hlt loop at …17/…18
            "* 1    Thread 1 (vCPU 0)",
            "[Inferior 1 (Remote target) detached]",
        ])
    }

    @Test func secondThreadRegistersAndStep() {
        guard let run = runGDB([
            "thread 2",
            "p/x $pc",
            "p/x $gs_base",
            "p $rdi",
            "stepi",
            "p/x $pc",
            "thread 1",
            "p/x $gs_base",
            "detach",
        ]) else { return }
        expectInOrder(run.out, [
            "[Switching to thread 2 (Thread 2)]",
            "= 0xffffffff8000001a",
            "= 0xffffffff80003100",
            "= 1",
            "0xffffffff8000001b in ?? ()",
            "= 0xffffffff8000001b",
            "[Switching to thread 1 (Thread 1)]",
            "= 0xffffffff80003000",
        ])
    }

    @Test func guestExitIsReportedWithItsCode() {
        guard let run = runGDB([
            "set $rax = 7",
            "set $pc = \(hx(P.exit))",
            "continue",
        ]) else { return }
        expectInOrder(run.out, ["[Inferior 1 (Remote target) exited with code 07]"])
    }

    @Test func tcpTransportAndKill() {
        let target = SimulatedTarget()
        guard let run = runGDB(["p/x $pc", "kill"], target: target, endpoint: .tcp(host: "127.0.0.1", port: 0)) else {
            return
        }
        expectInOrder(run.out, ["= 0xffffffff80000000", "[Inferior 1 (Remote target) killed]"])
        #expect(target.killed)
    }

    @Test func runLengthEncodedRepliesAreUnderstood() {
        guard let run = runGDB(["info registers rip cr3", "x/2gx \(hx(P.data))", "detach"],
                               options: SessionOptions(runLengthEncodeReplies: true)) else { return }
        expectInOrder(run.out, [
            "rip            0xffffffff80000000", "cr3            0x1000",
            "0xffffffff80001000:\t0x0000000000000000\t0x1122334455667788",
        ])
    }

    /// gdb parses and validates our target.xml itself; its register numbers and `g` offsets must be ours.
    @Test func gdbAcceptsTheTargetDescription() throws {
        guard let gdb = gdbPath else {
            Issue.record("gdb not found: install it (apt-get install gdb; .ci/run does)")
            return
        }
        let path = "/tmp/gdbstub-test-\(getpid())-target.xml"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        TargetDescription.bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        let p = try Subprocess([gdb, "-batch", "-nx", "-ex", "set tdesc filename \(path)", "-ex", "maint print remote-registers"])
        let result = p.wait(timeoutSeconds: 60)
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
        // Lines look like: " cr3   158  158    576       8 long    62         576"
        var seen = 0
        for line in result.stdout.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 7, let r = X86_64Register.allCases.first(where: { $0.name == f[0] }) else { continue }
            seen += 1
            #expect(Int(f[f.count - 2]) == r.rawValue, "remote number of \(r.name)")
            #expect(Int(f[f.count - 1]) == r.offset, "g offset of \(r.name)")
            #expect(Int(f[4]) == r.size, "size of \(r.name)")
        }
        #expect(seen == X86_64Register.allCases.count, "\(result.stdout)")
    }

    /// The gdbstub-sim executable, end to end: start it, let gdb kill the target, see it exit.
    @Test func gdbstubSimExecutable() throws {
        guard let gdb = gdbPath else {
            Issue.record("gdb not found: install it (apt-get install gdb; .ci/run does)")
            return
        }
        var exe = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &exe, exe.count - 1)
        let testBinary = String(decoding: exe[0..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // swift test runs …/debug/swiftvmPackageTests.xctest; the executables sit next to it.
        let directory = testBinary.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let sim = directory + "/gdbstub-sim"
        guard access(sim, X_OK) == 0 else {
            Issue.record("\(sim) not built (swift build builds it)")
            return
        }
        let path = socketPath("sim-exe")
        let server = try Subprocess([sim, "unix:\(path)"])
        let deadline = monotonicMilliseconds() + 20_000
        while !server.stdoutSoFar().contains("listening on") && monotonicMilliseconds() < deadline { usleep(10_000) }
        #expect(server.stdoutSoFar().contains("listening on unix:\(path)"))
        let client = try Subprocess([gdb, "-batch", "-nx", "-ex", "set architecture i386:x86-64",
                                     "-ex", "target remote \(path)", "-ex", "x/i $pc", "-ex", "kill"])
        let g = client.wait(timeoutSeconds: 60)
        let s = server.wait(timeoutSeconds: 20)
        expectInOrder(g.stdout, ["inc    %rax", "[Inferior 1 (Remote target) killed]"])
        #expect(s.status == 0 && s.stdout.contains("target killed"), "\(s.stdout)\(s.stderr)")
    }
}
