// PacketCodecTests.swift — framing, checksums, escaping, run-length decoding, acks and interrupts,
// and what happens to garbage, truncated, corrupted and oversized input.
import Testing
@testable import GDBStub

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func decode(_ s: String, max: Int = 4096) -> [PacketEvent] {
    var d = PacketDecoder(maxPacketSize: max)
    return d.feed(bytes(s))
}

@Suite("Packet codec")
struct PacketCodecTests {
    // Checksums as gdb 13 computed them (copied from a `set debug remote 1` log).
    @Test("checksum matches gdb's", arguments: [
        ("?", "3f"), ("g", "67"), ("vMustReplyEmpty", "3a"), ("QStartNoAckMode", "b0"), ("Hg0", "df"),
        ("qXfer:features:read:target.xml:0,ffb", "79"), ("qfThreadInfo", "bb"), ("Hc-1", "09"),
        ("mffffffff80000000,1", "82"), ("qThreadExtraInfo,1", "b6"), ("", "00"),
        ("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386", "77"),
    ])
    func checksum(data: String, expected: String) {
        #expect(Hex.encode([PacketEncoder.checksum(bytes(data))]) == bytes(expected))
        #expect(PacketEncoder.frame(bytes(data)) == bytes("$\(data)#\(expected)"))
        #expect(decode("$\(data)#\(expected)") == [.packet(bytes(data))])
    }

    @Test func upperCaseChecksumDigitsAreAccepted() {
        #expect(decode("$?#3F") == [.packet(bytes("?"))])
    }

    @Test func packetsBackToBackAndAcks() {
        #expect(decode("+$g#67-$?#3f+") == [.ack, .packet(bytes("g")), .nack, .packet(bytes("?")), .ack])
    }

    @Test func bytewiseFeedingGivesTheSameEvents() {
        var d = PacketDecoder(maxPacketSize: 4096)
        var events: [PacketEvent] = []
        for b in bytes("$mffffffff80000000,1#82$g#67") { if let e = d.feed(b) { events.append(e) } }
        #expect(events == [.packet(bytes("mffffffff80000000,1")), .packet(bytes("g"))])
    }

    @Test func garbageBetweenPacketsIsDropped() {
        var d = PacketDecoder(maxPacketSize: 4096)
        let events = d.feed(bytes("hello\r\n$g#67 junk ~~ $?#3f\n"))
        #expect(events == [.packet(bytes("g")), .packet(bytes("?"))])
        #expect(d.discardedBytes == 7 + 9 + 1)  // "hello\r\n", " junk ~~ ", "\n"
    }

    @Test("a corrupted packet is reported, then the stream resynchronises", arguments: ["$g#68", "$g#zz", "$g#6g", "$h#67"])
    func badChecksum(wire: String) {
        #expect(decode(wire + "$?#3f") == [.badChecksum, .packet(bytes("?"))])
    }

    @Test func checksumCutShortSwallowsTheNextStartByte() {
        // "$g#6" then "$?#3f": the '$' is taken as the second checksum digit (not hex: bad checksum);
        // "?#3f" is then line noise. gdb retransmits after our '-', so nothing is lost.
        #expect(decode("$g#6$?#3f$g#67") == [.badChecksum, .packet(bytes("g"))])
    }

    @Test func interruptByteBetweenPacketsIsOutOfBand() {
        #expect(decode("\u{03}") == [.interrupt])
        #expect(decode("$g#67\u{03}+") == [.packet(bytes("g")), .interrupt, .ack])
    }

    @Test func interruptByteInsidePacketIsData() {
        let data: [UInt8] = [UInt8(ascii: "X"), 0x03, 0x04]
        var d = PacketDecoder(maxPacketSize: 64)
        #expect(d.feed(PacketEncoder.frame(data)) == [.packet(data)])
    }

    @Test func truncatedPacketIsDiscardedWhenANewOneStarts() {
        // gdb gave up on "$mff" (e.g. after a timeout) and sent a new packet.
        var d = PacketDecoder(maxPacketSize: 4096)
        #expect(d.feed(bytes("$mff")) == [])
        #expect(d.isInsidePacket)
        #expect(d.feed(bytes("$g#67")) == [.packet(bytes("g"))])
        #expect(!d.isInsidePacket)
    }

    @Test func truncatedPacketProducesNothingAndHoldsBoundedState() {
        var d = PacketDecoder(maxPacketSize: 64)
        #expect(d.feed(bytes("$") + [UInt8](repeating: UInt8(ascii: "a"), count: 10_000)) == [])
        #expect(d.buffer.count <= 64)
    }

    @Test func oversizedPacketIsDroppedAndTheStreamStaysInSync() {
        let big = String(repeating: "a", count: 100)
        let sum = Hex.encode([PacketEncoder.checksum(bytes(big))])
        var d = PacketDecoder(maxPacketSize: 64)
        let events = d.feed(bytes("$\(big)#") + sum + bytes("$\(big)#00$g#67"))
        #expect(events == [.oversized(checksumValid: true), .oversized(checksumValid: false), .packet(bytes("g"))])
        #expect(d.buffer.capacity < 1024)
    }

    @Test func packetOfExactlyTheLimitIsAccepted() {
        let data = [UInt8](repeating: UInt8(ascii: "0"), count: 64)
        var d = PacketDecoder(maxPacketSize: 64)
        #expect(d.feed(PacketEncoder.frame(data)) == [.packet(data)])
    }

    @Test("run-length decoding", arguments: [
        ("0* ", "0000"),            // the manual's example: ' ' (32) - 29 = 3 more
        ("a*\"b", "aaaaaab"),       // '"' (34): 5 more
        ("x*~", String(repeating: "x", count: 98)),  // '~' (126): the largest count, 97 more
        ("T05*!", "T055555"),
    ])
    func runLengthDecoding(encoded: String, decoded: String) {
        #expect(PacketDecoder.runLengthDecode(bytes(encoded)[...], limit: 4096) == bytes(decoded))
        #expect(decode(String(decoding: PacketEncoder.frame(bytes(encoded)), as: UTF8.self)) == [.packet(bytes(decoded))])
    }

    @Test("invalid run-length encodings are malformed", arguments: ["*  ", "a*", "a*\u{1f}", "a*\u{7f}"])
    func invalidRunLength(encoded: String) {
        #expect(PacketDecoder.runLengthDecode(bytes(encoded)[...], limit: 4096) == nil)
        #expect(decode(String(decoding: PacketEncoder.frame(bytes(encoded)), as: UTF8.self)) == [.malformed])
    }

    @Test func runLengthExpansionIsBounded() {
        // 30 bytes on the wire would expand to 10 * 98 = 980 bytes: more than the 64-byte limit.
        let wire = String(repeating: "x*~", count: 10)
        #expect(PacketDecoder.runLengthDecode(bytes(wire)[...], limit: 64) == nil)
        #expect(decode(String(decoding: PacketEncoder.frame(bytes(wire)), as: UTF8.self), max: 64) == [.malformed])
    }

    @Test("run-length encoding round-trips and avoids forbidden count characters", arguments: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    func runLengthRoundTrip(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        var data: [UInt8] = []
        while data.count < 600 {
            let c = Hex.digits[Int(rng.next() % 16)]
            data += [UInt8](repeating: c, count: Int(rng.next() % 120) + 1)
        }
        let encoded = PacketEncoder.runLengthEncode(data)
        #expect(encoded.count <= data.count)
        #expect(PacketDecoder.runLengthDecode(encoded[...], limit: 100_000) == data)
        for (i, b) in encoded.enumerated() where b == UInt8(ascii: "*") {
            #expect(![UInt8(ascii: "$"), UInt8(ascii: "#"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(encoded[i + 1]))
        }
    }

    @Test func registerFileOfZerosCompressesWell() {
        let hex = Hex.encode(X86_64Registers().encoded())
        #expect(hex.count == 1216)
        #expect(PacketEncoder.runLengthEncode(hex).count < 40)
    }
}

@Suite("Hex and binary escaping")
struct HexTests {
    @Test func hexRoundTrip() {
        let all = (0...255).map { UInt8($0) }
        #expect(Hex.decodeBytes(Hex.encode(all)[...]) == all)
        #expect(Hex.decodeBytes(bytes("ABcd")[...]) == [0xab, 0xcd])
    }

    @Test("bad hex is rejected", arguments: ["a", "abc", "zz", "0x", " 1"])
    func badHex(text: String) {
        #expect(Hex.decodeBytes(bytes(text)[...]) == nil)
    }

    @Test("numbers", arguments: [("0", UInt64(0)), ("ffffffff80000000", 0xffff_ffff_8000_0000), ("FFFFFFFFFFFFFFFF", UInt64.max), ("1000", 0x1000)])
    func numbers(text: String, value: UInt64) {
        #expect(Hex.number(bytes(text)[...]) == value)
    }

    @Test("bad numbers", arguments: ["", "-1", "1ffffffffffffffff", "12g"])
    func badNumbers(text: String) {
        #expect(Hex.number(bytes(text)[...]) == nil)
    }

    @Test func escapingRoundTripsEveryByte() {
        let all = (0...255).map { UInt8($0) } + bytes("}}}$#*")
        let escaped = BinaryEscaping.escape(all)
        for c in bytes("$#*") { #expect(!escaped.contains(c)) }
        #expect(BinaryEscaping.unescape(escaped[...]) == all)
    }

    @Test("escaped forms from the manual", arguments: [
        ([UInt8(ascii: "#")], [UInt8(ascii: "}"), 0x03]), ([UInt8(ascii: "$")], [UInt8(ascii: "}"), 0x04]),
        ([UInt8(ascii: "}")], [UInt8(ascii: "}"), 0x5d]), ([UInt8(ascii: "*")], [UInt8(ascii: "}"), 0x0a]),
    ])
    func escapedForms(raw: [UInt8], escaped: [UInt8]) {
        #expect(BinaryEscaping.escape(raw) == escaped)
        #expect(BinaryEscaping.unescape(escaped[...]) == raw)
    }

    @Test func loneEscapeAtTheEndIsRejected() {
        #expect(BinaryEscaping.unescape(bytes("ab}")[...]) == nil)
    }
}

/// A small deterministic generator for table-driven "random" inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9e37_79b9_7f4a_7c15 &+ 1 }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
