// SessionTests.swift — the session against recorded exchanges (request → expected reply tables, many
// taken from a gdb 13 `set debug remote 1` log), run control on the simulated machine, the wire level
// (acks, no-ack mode, retransmission, bad and oversized packets) and random input.
import Testing
@testable import GDBStub
import GDBStubTestSupport

/// Drives a `Session` over a fresh simulated machine at the packet level.
final class Harness {
    let target: SimulatedTarget
    let session: Session

    init(threads: Int = 2, options: SessionOptions = SessionOptions()) {
        target = SimulatedTarget(threadCount: threads)
        session = Session(target: target, options: options)
    }

    /// Sends one packet; returns the reply payload, "<resumed>" or "<close>" / "<close:payload>".
    func request(_ packet: String) -> String {
        request(bytes(packet))
    }

    func request(_ packet: [UInt8]) -> String {
        switch session.handle(packet: packet) {
        case .packet(let p): return String(decoding: p, as: UTF8.self)
        case .resumed: return "<resumed>"
        case .close(let p): return p.map { "<close:\(String(decoding: $0, as: UTF8.self))>" } ?? "<close>"
        }
    }

    /// Sends a resuming packet and waits for the stop (at most 60 s, a bound for failures only);
    /// returns the stop reply payload.
    func run(_ packet: String) -> String {
        let r = request(packet)
        guard r == "<resumed>" else { return r }
        return waitForStop()
    }

    func waitForStop(milliseconds: Int = 60_000) -> String {
        let deadline = monotonicMilliseconds() + milliseconds
        while monotonicMilliseconds() < deadline {
            if let e = target.waitForStop(timeoutMilliseconds: 50) { return unframe(session.targetStopped(e)) }
        }
        return "<no stop>"
    }

    /// Runs a table of request → reply, recording a failure for each mismatch.
    func expect(_ table: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) {
        for (req, reply) in table {
            let got = req.hasPrefix("vCont;") || ["c", "s"].contains(req) ? run(req) : request(req)
            #expect(got == reply, "request \(req)", sourceLocation: sourceLocation)
        }
    }
}

/// `$data#xx` → data (checks the checksum).
func unframe(_ wire: [UInt8]) -> String {
    var d = PacketDecoder(maxPacketSize: 1 << 20)
    guard case .packet(let p)? = d.feed(wire).first else { return "<bad frame \(String(decoding: wire, as: UTF8.self))>" }
    return String(decoding: p, as: UTF8.self)
}

func le64(_ v: UInt64) -> String { String(decoding: Hex.encode(littleEndian(v, 8)), as: UTF8.self) }
func hex(_ v: UInt64) -> String { String(v, radix: 16) }

let gdb13Supported = "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386"
let ourSupported = "PacketSize=1000;qXfer:features:read+;QStartNoAckMode+;vContSupported+;swbreak+;hwbreak+"

@Suite("Session: recorded exchanges")
struct SessionExchangeTests {
    typealias P = SimulatedProgram

    @Test func gdb13ConnectionHandshake() {
        // The packets gdb 13.1 sends on `target remote`, in order, with our answers.
        Harness().expect([
            (gdb13Supported, ourSupported),
            ("vMustReplyEmpty", ""),
            ("QStartNoAckMode", "OK"),
            ("Hg0", "OK"),
            ("qTStatus", ""),
            ("?", "T05thread:1;"),
            ("qfThreadInfo", "m1,2"),
            ("qsThreadInfo", "l"),
            ("qAttached", "1"),
            ("Hc-1", "OK"),
            ("qC", "QC1"),
            ("qOffsets", ""),
            ("mffffffff80000000,1", "48"),
            ("qThreadExtraInfo,1", String(decoding: Hex.encode(text: "vCPU 0"), as: UTF8.self)),
            ("qThreadExtraInfo,2", "764350552031"),
            ("qThreadExtraInfo,3", "E03"),
            ("qSymbol::", "OK"),
            ("T2", "OK"),
            ("T3", "E03"),
            ("T-1", "OK"),
            ("vCont?", "vCont;c;C;s;S"),
        ])
    }

    @Test func singleThreadTarget() {
        Harness(threads: 1).expect([("qfThreadInfo", "m1"), ("qsThreadInfo", "l"), ("Hg2", "E03")])
    }

    @Test func memoryReadsAndWrites() {
        Harness().expect([
            ("m\(hex(P.readVariable)),8", le64(P.readVariableValue)),
            // Reads split at page boundaries; a fault after the first page returns what was read.
            ("m\(hex(P.beforeHole)),10", le64(P.beforeHoleValue)),
            ("m\(hex(P.hole)),8", "E14"),
            ("m\(hex(P.hole + 0xffc)),8", "E14"),
            ("m\(hex(P.unbacked)),8", "E14"),
            ("m0,8", "E14"),
            ("mffffffffffffffff,2", "E14"),
            ("m\(hex(P.data)),0", ""),
            // Across the code/data boundary (two pages, two translations).
            ("M\(hex(P.data - 2)),4:aabbccdd", "OK"),
            ("m\(hex(P.data - 2)),4", "aabbccdd"),
            // A write that runs into the hole fails; its first page is written.
            ("M\(hex(P.beforeHole + 4)),8:1122334455667788", "E14"),
            ("m\(hex(P.beforeHole)),8", "0102030411223344"),
            // X: binary, escaped; the zero-length probe gdb sends to detect X support.
            ("X\(hex(P.data + 0x10)),0:", "OK"),
            ("X\(hex(P.data2)),4:", "E22"),
            ("X\(hex(P.hole)),1:a", "E14"),
            ("m\(hex(P.data2)),7", String(decoding: Hex.encode(text: "swiftvm"), as: UTF8.self)),
            // The 2 MiB direct map shows the same bytes as the 4 KiB mapping of the data page.
            ("m\(hex(P.directMap + 0x11008)),8", le64(P.readVariableValue)),
        ])
    }

    @Test func binaryWriteOfEscapedBytes() {
        let h = Harness()
        let payload = bytes("X\(hex(P.data + 0x10)),4:") + BinaryEscaping.escape([0x23, 0x24, 0x7d, 0x2a])
        #expect(h.request(payload) == "OK")
        #expect(h.request("m\(hex(P.data + 0x10)),4") == "23247d2a")
    }

    @Test func largeReadsAreClampedToThePacketSize() {
        let h = Harness()
        let reply = h.request("m\(hex(P.directMap)),10000")
        #expect(reply.utf8.count == 4096)  // 2048 bytes: a reply never exceeds PacketSize
        #expect(reply.hasPrefix("0000"))
    }

    @Test func registers() {
        let h = Harness()
        let regs = h.target.registers(of: ThreadID(1))
        h.expect([
            ("g", String(decoding: Hex.encode(regs.encoded()), as: UTF8.self)),
            ("p10", le64(P.entry)),                    // rip is register 16
            ("p11", "02020000"),                       // eflags, 4 bytes
            ("p3e", le64(0x1000)),                     // cr3 is register 62
            ("p41", le64(0xd01)),                      // efer is register 65, the last
            ("p42", "E22"),
            ("p18", "0000000000000080ff3f"),           // st0 = 1.0, 10 bytes
            ("P10=\(le64(P.marker))", "OK"),
            ("p10", le64(P.marker)),
            ("P10=00", "E22"),
            ("P42=00", "E22"),
            ("P3c=\(le64(0x11))", "E22"),              // the target refuses cr0 without PG
            ("Hg2", "OK"),
            ("p10", le64(P.idle)),
            ("p3a", le64(P.data2 + 0x100)),            // gs_base (58) of vCPU 1
            ("Hg3", "E03"),
            ("Hg0", "OK"),
            ("p10", le64(P.idle)),                     // Hg0 ("any") keeps the selection
            ("Hg1", "OK"),
            ("G00", "E22"),
        ])
    }

    @Test func gWritesReportOnlyChangedRegisters() {
        let h = Harness()
        var regs = h.target.registers(of: ThreadID(1))
        regs.gpr[0] = 0x42
        regs.cr3 = 0x1000  // unchanged
        #expect(h.request("G" + String(decoding: Hex.encode(regs.encoded()), as: UTF8.self)) == "OK")
        #expect(h.target.registerWriteHistory.last == [.rax])
        #expect(h.target.registers(of: ThreadID(1)).gpr[0] == 0x42)
        #expect(h.request("P0=\(le64(7))") == "OK")
        #expect(h.target.registerWriteHistory.last == [.rax])
    }

    @Test func breakpointInsertionResults() {
        Harness().expect([
            ("Z0,\(hex(P.marker)),1", "OK"),
            ("Z0,\(hex(P.marker)),1", "OK"),
            ("Z0,\(hex(P.hole)),1", "E14"),
            ("Z0,\(hex(P.marker)),2", "E22"),
            ("z0,\(hex(P.marker)),1", "OK"),
            ("z0,\(hex(P.marker)),1", "OK"),           // removing twice is fine (gdb may retry)
            ("Z3,\(hex(P.counter)),8", ""),             // x86 has no read-only watchpoints
            ("Z2,\(hex(P.counter + 1)),8", "E22"),      // unaligned
            ("Z2,\(hex(P.counter)),3", "E22"),
            ("Z1,\(hex(P.entry)),1", "OK"),
            ("Z1,\(hex(P.marker)),1", "OK"),
            ("Z2,\(hex(P.counter)),8", "OK"),
            ("Z4,\(hex(P.readVariable)),8", "OK"),
            ("Z1,\(hex(P.halt)),1", "E28"),             // DR0–DR3 are all in use
            ("z1,\(hex(P.entry)),1", "OK"),
            ("Z1,\(hex(P.halt)),1", "OK"),
            ("Z5,\(hex(P.halt)),1", ""),
        ])
    }

    @Test("stop replies", arguments: [
        (StopReason.attached, true, "T05thread:2;"),
        (.step, true, "T05thread:2;"),
        (.softwareBreakpoint, true, "T05swbreak:;thread:2;"),
        (.softwareBreakpoint, false, "T05thread:2;"),
        (.hardwareBreakpoint, true, "T05hwbreak:;thread:2;"),
        (.hardwareBreakpoint, false, "T05thread:2;"),
        (.watchpoint(.writeWatch, address: VirtualAddress(0xffff_ffff_8000_1000)), true, "T05watch:ffffffff80001000;thread:2;"),
        (.watchpoint(.readWatch, address: VirtualAddress(0x10)), true, "T05rwatch:10;thread:2;"),
        (.watchpoint(.accessWatch, address: VirtualAddress(0x10)), false, "T05awatch:10;thread:2;"),
        (.interrupted, true, "T02thread:2;"),
        (.signal(11), true, "T0bthread:2;"),
        (.exited(code: 0), true, "W00"),
        (.exited(code: 0x2a), true, "W2a"),
    ])
    func stopReply(reason: StopReason, negotiated: Bool, expected: String) {
        let h = Harness()
        _ = h.request(negotiated ? "qSupported:swbreak+;hwbreak+" : "qSupported")
        #expect(String(decoding: h.session.stopReply(StopEvent(thread: ThreadID(2), reason: reason)), as: UTF8.self) == expected)
    }

    @Test func targetDescriptionInChunks() {
        let h = Harness()
        var document = ""
        var offset = 0
        while true {
            let reply = h.request("qXfer:features:read:target.xml:\(hex(UInt64(offset))),200")
            let kind = reply.first
            let data = String(reply.dropFirst())
            #expect(kind == "m" || kind == "l")
            #expect(data.utf8.count <= 0x200)
            document += data
            offset += data.utf8.count
            if kind != "m" || data.isEmpty { break }
        }
        #expect(document == TargetDescription.xml)
        h.expect([
            ("qXfer:features:read:target.xml:\(hex(UInt64(TargetDescription.bytes.count))),100", "l"),
            ("qXfer:features:read:target.xml:\(hex(UInt64(TargetDescription.bytes.count + 1))),100", "E22"),
            ("qXfer:features:read:other.xml:0,100", "E00"),
            ("qXfer:features:read:target.xml:0,0", "m"),
        ])
    }

    @Test func malformedRequestsGetErrorsAndTheSessionCarriesOn() {
        Harness().expect([
            ("m1000", "E22"), ("Gzz", "E22"), ("vCont;x", "E22"), ("Hgx", "E22"), ("Z0,zz,1", "E22"),
            ("?", "T05thread:1;"),
        ])
    }
}

@Suite("Session: run control")
struct SessionRunTests {
    typealias P = SimulatedProgram

    @Test func breakpointContinueStep() {
        let h = Harness()
        h.expect([
            ("qSupported:swbreak+;hwbreak+", ourSupported),
            ("Z0,\(hex(P.marker)),1", "OK"),
            ("vCont;c", "T05swbreak:;thread:1;"),
            ("p10", le64(P.marker)),                   // RIP points at the breakpoint, not past it
            ("p0", le64(1)),                           // one `inc rax` ran
            ("z0,\(hex(P.marker)),1", "OK"),
            ("vCont;s:1", "T05thread:1;"),
            ("p10", le64(P.loadVariable)),
            ("p1", le64(1)),                           // `inc rbx` ran
            ("s", "T05thread:1;"),
            ("p2", le64(P.readVariableValue)),         // `mov rcx, [readVariable]` ran
            ("Z1,\(hex(P.storeCounter)),1", "OK"),
            ("c", "T05hwbreak:;thread:1;"),
            ("p10", le64(P.storeCounter)),
            ("z1,\(hex(P.storeCounter)),1", "OK"),
            ("Z2,\(hex(P.counter)),8", "OK"),
            ("vCont;c", "T05watch:\(hex(P.counter));thread:1;"),
            ("p10", le64(P.storeCounter + 7)),         // a data breakpoint reports after the write
            ("m\(hex(P.counter)),8", le64(2)),
            ("z2,\(hex(P.counter)),8", "OK"),
            ("Z4,\(hex(P.readVariable)),8", "OK"),
            ("vCont;c", "T05awatch:\(hex(P.readVariable));thread:1;"),
        ])
    }

    @Test func exitReportsW() {
        let h = Harness()
        h.expect([
            ("P0=\(le64(0x2a))", "OK"),
            ("P10=\(le64(P.exit))", "OK"),
            ("vCont;c", "W2a"),
            ("?", "W2a"),
            ("vCont;c", "E22"),
            ("c", "E22"),
        ])
    }

    @Test func ctrlCStopsARunningTarget() {
        let h = Harness()
        #expect(h.request("P10=\(le64(P.halt))") == "OK")
        #expect(h.request("vCont;c") == "<resumed>")
        #expect(h.target.waitForStop(timeoutMilliseconds: 30) == nil)  // parked in hlt
        #expect(h.session.receive([0x03]) == [])
        #expect(h.waitForStop() == "T02thread:1;")
        #expect(!h.session.isRunning)
    }

    @Test func ctrlCWhileStoppedIsIgnored() {
        let h = Harness()
        #expect(h.session.receive([0x03]) == [])
        #expect(h.request("?") == "T05thread:1;")
    }

    @Test("vCont applies the leftmost matching action to each thread", arguments: [
        ("vCont;c", [1: ResumeAction.continue(signal: nil), 2: .continue(signal: nil)]),
        ("vCont;s:1;c", [1: .step(signal: nil), 2: .continue(signal: nil)]),
        ("vCont;s:p1.1;c:p1.-1", [1: .step(signal: nil), 2: .continue(signal: nil)]),
        ("vCont;c:2", [2: .continue(signal: nil)]),
        ("vCont;s:2", [2: .step(signal: nil)]),
        ("vCont;C05:1;c:-1", [1: .continue(signal: 5), 2: .continue(signal: nil)]),
        ("vCont;c:1;s:1", [1: .continue(signal: nil)]),
        ("vCont;S0b", [1: .step(signal: 11), 2: .step(signal: 11)]),
    ])
    func vContPlans(packet: String, expected: [Int: ResumeAction]) {
        let h = Harness()
        #expect(h.request(packet) == "<resumed>")
        let plan = ResumePlan(Dictionary(uniqueKeysWithValues: expected.map { (ThreadID($0.key), $0.value) }))
        #expect(h.target.resumeHistory.last == plan)
    }

    @Test func vContForAMissingThreadIsAnError() {
        let h = Harness()
        #expect(h.request("vCont;c:3") == "E03")
        #expect(h.target.resumeHistory.isEmpty)
    }

    @Test func legacyContinueAndStep() {
        let h = Harness()
        #expect(h.request("Hc2") == "OK")
        #expect(h.request("s") == "<resumed>")
        #expect(h.target.resumeHistory.last == ResumePlan([ThreadID(2): .step(signal: nil)]))
        #expect(h.waitForStop() == "T05thread:2;")
        #expect(h.request("p10") == le64(P.idle + 1))   // the stop selected thread 2 for g/p
        #expect(h.request("c") == "<resumed>")
        #expect(h.target.resumeHistory.last == ResumePlan([ThreadID(1): .continue(signal: nil), ThreadID(2): .continue(signal: nil)]))
    }

    @Test func continueAtAddressSetsRIP() {
        let h = Harness()
        #expect(h.request("Hc1") == "OK")
        #expect(h.run("S00;\(hex(P.marker))") == "T05thread:1;")
        #expect(h.target.registers(of: ThreadID(1)).rip == P.loadVariable)
    }

    @Test func detachRemovesBreakpointsAndLetsTheGuestRun() {
        let h = Harness()
        _ = h.request("Z0,\(hex(P.marker)),1")
        _ = h.request("Z1,\(hex(P.entry)),1")
        #expect(h.request("D") == "<close:OK>")
        #expect(h.target.detachCount == 1)
        #expect(h.target.softwareBreakpoints.isEmpty && h.target.debugSlots.isEmpty)
    }

    @Test func killEndsTheSessionWithoutAReply() {
        let h = Harness()
        #expect(h.request("k") == "<close>")
        #expect(h.target.killed)
        #expect(h.session.targetKilled)
    }

    @Test func vKillRepliesOK() {
        let h = Harness()
        #expect(h.request("vKill;1") == "<close:OK>")
        #expect(h.target.killed)
    }
}

@Suite("Session: wire level")
struct SessionWireTests {
    func wire(_ s: Session, _ input: String) -> String { String(decoding: s.receive(bytes(input)), as: UTF8.self) }
    func frame(_ s: String) -> String { String(decoding: PacketEncoder.frame(bytes(s)), as: UTF8.self) }

    @Test func acknowledgedExchangeThenNoAckMode() {
        let h = Harness()
        let s = h.session
        #expect(wire(s, "$?#3f") == "+" + frame("T05thread:1;"))
        #expect(wire(s, "+") == "")
        #expect(wire(s, "$QStartNoAckMode#b0") == "+" + frame("OK"))
        #expect(!s.ackMode)
        #expect(wire(s, "+") == "")                    // gdb acks our OK; then nobody acks
        #expect(wire(s, "$qC#b4") == frame("QC1"))
        #expect(wire(s, "$qC#00") == "")                // bad checksum, no-ack mode: dropped silently
        #expect(wire(s, "-") == "")                     // no retransmissions either
    }

    @Test func nackRetransmitsTheLastPacket() {
        let h = Harness()
        #expect(wire(h.session, "$qC#b4") == "+" + frame("QC1"))
        #expect(wire(h.session, "-") == frame("QC1"))
        #expect(wire(h.session, "-") == frame("QC1"))
        #expect(wire(h.session, "+-") == "")            // acknowledged: nothing left to resend
    }

    @Test func badChecksumIsNacked() {
        let h = Harness()
        #expect(wire(h.session, "$qC#b5") == "-")
        #expect(wire(h.session, "$qC#b4") == "+" + frame("QC1"))
    }

    @Test func oversizedPacketGetsAnError() {
        let h = Harness(options: SessionOptions(maxPacketSize: 256))
        let big = "M" + String(repeating: "0", count: 300)
        let sum = String(decoding: Hex.encode([PacketEncoder.checksum(bytes(big))]), as: UTF8.self)
        #expect(wire(h.session, "$\(big)#\(sum)") == "+" + frame("E22"))
        #expect(wire(h.session, "$\(big)#00") == "-")
        #expect(h.request("qSupported").hasPrefix("PacketSize=100;"))
    }

    @Test func badRunLengthEncodingGetsAnError() {
        let h = Harness()
        #expect(wire(h.session, frame("m0*")) == "+" + frame("E22"))
    }

    @Test func runLengthEncodedRequestIsDecoded() {
        let h = Harness()
        // "mffffffff80001008,8" with the f run compressed: f*" is f and 5 more (34 - 29), then ff.
        #expect(wire(h.session, frame("mf*\"ff80001008,8")) == "+" + frame(le64(SimulatedProgram.readVariableValue)))
    }

    @Test func packetsWhileRunningAreAckedButIgnored() {
        let h = Harness()
        #expect(wire(h.session, frame("P10=\(le64(SimulatedProgram.halt))")) == "+" + frame("OK"))
        #expect(wire(h.session, frame("vCont;c")) == "+")
        #expect(h.session.isRunning)
        #expect(wire(h.session, frame("g")) == "+")
        #expect(wire(h.session, "\u{03}") == "")
        #expect(h.waitForStop() == "T02thread:1;")
    }

    @Test func runLengthEncodedRepliesDecodeToTheSame() {
        let h = Harness(options: SessionOptions(runLengthEncodeReplies: true))
        let out = h.session.receive(PacketEncoder.frame(bytes("g")))
        #expect(out.contains(UInt8(ascii: "*")))
        #expect(out.count < 400)
        #expect(unframe(Array(out.dropFirst())) == String(decoding: Hex.encode(h.target.registers(of: ThreadID(1)).encoded()), as: UTF8.self))
    }

    @Test func connectionLostDetaches() {
        let h = Harness()
        h.session.connectionLost()
        #expect(h.target.detachCount == 1)
        #expect(h.session.isFinished)
        h.session.connectionLost()
        #expect(h.target.detachCount == 1)
        #expect(h.session.receive(PacketEncoder.frame(bytes("?"))) == [UInt8(ascii: "+")])
    }

    @Test("random bytes never crash the session and get bounded answers", arguments: 0..<8)
    func randomInput(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        let h = Harness(options: SessionOptions(maxPacketSize: 512))
        let alphabet = bytes("$#+-*}:;,0123456789abcdefmMgGpPZzXvCcsSHqQT?") + [0x03, 0x00, 0xff]
        var output = 0
        for _ in 0..<200 {
            var chunk: [UInt8] = []
            for _ in 0..<Int(rng.next() % 64) { chunk.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            output += h.session.receive(chunk).count
            if h.session.isRunning { _ = h.session.receive([0x03]); _ = h.waitForStop() }
            if h.session.isFinished { break }
        }
        #expect(output < 200 * 5000)
    }

    @Test("random well-framed packets never crash the session", arguments: 0..<8)
    func randomPackets(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed) + 100)
        let h = Harness(options: SessionOptions(maxPacketSize: 512))
        let prefixes = ["m", "M", "X", "g", "G", "p", "P", "Z0,", "Z1,", "Z2,", "z4,", "H", "T", "vCont;", "qXfer:features:read:target.xml:", "qThreadExtraInfo,", "c", "s", "C", "S", "?"]
        let alphabet = bytes("0123456789abcdef,:;=-p.}xX")
        for _ in 0..<300 {
            var p = bytes(prefixes[Int(rng.next() % UInt64(prefixes.count))])
            for _ in 0..<Int(rng.next() % 40) { p.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            _ = h.session.handle(packet: p)
            if h.session.isRunning { _ = h.session.receive([0x03]); _ = h.waitForStop() }
        }
        #expect(!h.session.isRunning)
    }
}
