// CommandTests.swift — packet text → typed command, including every malformed form we could think of.
import Testing
@testable import GDBStub

@Suite("Command parsing")
struct CommandTests {
    static let t1 = ThreadID(1), t2 = ThreadID(2)

    @Test("well-formed packets", arguments: [
        ("?", Command.haltReason),
        ("g", .readRegisters),
        ("G0011", .writeRegisters([0x00, 0x11])),
        ("p10", .readRegister(16)),
        ("P10=0100000000000000", .writeRegister(16, [1, 0, 0, 0, 0, 0, 0, 0])),
        ("mffffffff80001000,8", .readMemory(VirtualAddress(0xffff_ffff_8000_1000), length: 8)),
        ("M1000,2:abcd", .writeMemory(VirtualAddress(0x1000), [0xab, 0xcd])),
        ("X1000,0:", .writeMemory(VirtualAddress(0x1000), [])),
        ("Z0,ffffffff8000000b,1", .insertBreakpoint(Breakpoint(kind: .software, address: VirtualAddress(0xffff_ffff_8000_000b), length: 1))),
        ("z1,400000,1", .removeBreakpoint(Breakpoint(kind: .hardware, address: VirtualAddress(0x400000), length: 1))),
        ("Z2,1000,8", .insertBreakpoint(Breakpoint(kind: .writeWatch, address: VirtualAddress(0x1000), length: 8))),
        ("Z3,1000,4", .insertBreakpoint(Breakpoint(kind: .readWatch, address: VirtualAddress(0x1000), length: 4))),
        ("Z4,1000,2;X2,0a", .insertBreakpoint(Breakpoint(kind: .accessWatch, address: VirtualAddress(0x1000), length: 2))),
        ("c", .resume(.continue(signal: nil), address: nil)),
        ("c1000", .resume(.continue(signal: nil), address: VirtualAddress(0x1000))),
        ("s", .resume(.step(signal: nil), address: nil)),
        ("C02", .resume(.continue(signal: 2), address: nil)),
        ("S05;1000", .resume(.step(signal: 5), address: VirtualAddress(0x1000))),
        ("vCont?", .vContQuery),
        ("vCont;c", .vCont([VContAction(.continue(signal: nil), .all)])),
        ("vCont;s:1;c", .vCont([VContAction(.step(signal: nil), .thread(t1)), VContAction(.continue(signal: nil), .all)])),
        ("vCont;C02:2;c:-1", .vCont([VContAction(.continue(signal: 2), .thread(t2)), VContAction(.continue(signal: nil), .all)])),
        ("vCont;s:p1.1;c:p1.-1", .vCont([VContAction(.step(signal: nil), .thread(t1)), VContAction(.continue(signal: nil), .all)])),
        ("vCont;S0b:2", .vCont([VContAction(.step(signal: 11), .thread(t2))])),
        ("Hg0", .setThread(operation: UInt8(ascii: "g"), .any)),
        ("Hg2", .setThread(operation: UInt8(ascii: "g"), .thread(t2))),
        ("Hc-1", .setThread(operation: UInt8(ascii: "c"), .all)),
        ("Hgp0.0", .setThread(operation: UInt8(ascii: "g"), .any)),
        ("Hgp1.2", .setThread(operation: UInt8(ascii: "g"), .thread(t2))),
        ("T1", .threadAlive(.thread(t1))),
        ("qfThreadInfo", .threadInfoFirst),
        ("qsThreadInfo", .threadInfoNext),
        ("qC", .currentThread),
        ("qRcmd,68656c70", .monitor("help")),
        ("qRcmd,7073", .monitor("ps")),
        ("qThreadExtraInfo,2", .threadExtraInfo(.thread(t2))),
        ("qAttached", .attached),
        ("qAttached:1", .attached),
        ("qXfer:features:read:target.xml:0,ffb", .readFeatures(annex: "target.xml", offset: 0, length: 0xffb)),
        ("qXfer:features:read:i386-64bit.xml:7ff,ffb", .readFeatures(annex: "i386-64bit.xml", offset: 0x7ff, length: 0xffb)),
        ("qSymbol::", .symbolLookupReady),
        ("QStartNoAckMode", .startNoAckMode),
        ("qSupported:swbreak+;hwbreak+", .querySupported(features: ["swbreak+", "hwbreak+"])),
        ("D", .detach),
        ("D;1", .detach),
        ("k", .kill),
        ("vKill;1", .vKill),
    ])
    func parses(packet: String, expected: Command) {
        #expect(Command.parse(bytes(packet)) == expected)
    }

    @Test("packets we do not implement get an empty reply", arguments: [
        "vMustReplyEmpty", "qTStatus", "qOffsets", "!", "R00", "vFile:open:6a7573742070726f62696e67,0,1c0",
        "QNonStop:1", "Z5,1000,1", "Hs1", "vCtrlC", "",
    ])
    func unsupported(packet: String) {
        #expect(Command.parse(bytes(packet)) == .unsupported)
    }

    @Test("malformed packets are errors, not crashes", arguments: [
        "?x", "gg", "G0", "qRcmd,7", "qRcmd,zz", "qRcmd,ff", "Gzz", "p", "pzz", "p10000", "P10", "P10=0", "m", "m1000", "m1000,", "m,8",
        "m1000,8x", "mzz,8", "m1ffffffffffffffff,8", "m1000,ffffffffffff", "M1000,2:ab", "M1000,2:abcdef",
        "M1000,1", "X1000,2:a", "X1000,1:}", "Z0", "Z0,1000", "Z0,,1", "Zx,1000,1", "Z0,1000,100000", "c1000x",
        "Cxx", "C100", "C02;", "C02;zz", "Hg", "Hgx", "Hg-2", "T", "Tzz", "vCont;", "vCont;x", "vCont;t:1",
        "vCont;r1000,2000", "vCont;c:", "vCont;Czz", "vCont;c:zz", "vCont;s;", "qThreadExtraInfo,zz",
        "qXfer:features:read:target.xml:zz,ffb", "qXfer:features:read:target.xml", "qXfer:features:read:target.xml:0",
    ])
    func malformed(packet: String) {
        guard case .malformed = Command.parse(bytes(packet)) else {
            Issue.record("\(packet) parsed as \(Command.parse(bytes(packet)))")
            return
        }
    }

    @Test func binaryWritePayloadWithEveryByteValue() {
        // gdb escapes $ # } * in X data; every other byte, 0x00 and 0x03 included, goes raw.
        let data = (0...255).map { UInt8($0) }
        let packet = bytes("Xffffffff80001000,100:") + BinaryEscaping.escape(data)
        var decoder = PacketDecoder(maxPacketSize: 4096)
        let events = decoder.feed(PacketEncoder.frame(packet))
        guard case .packet(let received) = events.first, events.count == 1 else {
            Issue.record("decoder gave \(events)")
            return
        }
        #expect(Command.parse(received) == .writeMemory(VirtualAddress(0xffff_ffff_8000_1000), data))
    }
}
