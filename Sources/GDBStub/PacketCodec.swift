// PacketCodec.swift — framing of the GDB remote protocol (gdb manual "Overview", "Packet
// Acknowledgment", "Interrupts"): `$data#xx` with a modulo-256 checksum in two hex digits, `+`/`-`
// acknowledgments, the out-of-band `\x03` interrupt byte, and `*` run-length encoding.
//
// The decoder is a byte-at-a-time state machine with a fixed bound: it never holds more than
// `maxPacketSize` data bytes, whatever the peer sends. A packet longer than that is still read to its
// end (its checksum is summed on the fly) and reported as `.oversized`, so the stream stays in sync.

/// What the decoder found in the byte stream.
public enum PacketEvent: Equatable, Sendable {
    /// A packet whose checksum matched, run-length decoded (binary `}` escapes are left in place:
    /// only the commands that carry binary data undo them).
    case packet([UInt8])
    /// A complete packet whose checksum did not match (or whose checksum was not two hex digits).
    /// Answer `-` in acknowledgment mode.
    case badChecksum
    /// A packet with a good checksum whose run-length encoding is invalid, or whose decoded length
    /// exceeds the limit. Acknowledge it, then answer with an error.
    case malformed
    /// A packet longer than `maxPacketSize`; dropped. `checksumValid` says whether to `+` or `-` it.
    case oversized(checksumValid: Bool)
    /// `+`: the peer received our last packet.
    case ack
    /// `-`: the peer wants our last packet again.
    case nack
    /// `\x03` between packets: gdb's Ctrl-C.
    case interrupt
}

/// Splits a byte stream from gdb into `PacketEvent`s with bounded memory.
public struct PacketDecoder: Sendable {
    /// The most data bytes (between `$` and `#`) a packet may carry; we advertise it as PacketSize.
    public let maxPacketSize: Int

    enum State: Sendable { case idle, data, checksumHigh, checksumLow(high: UInt8) }
    var state: State = .idle
    var buffer: [UInt8] = []
    var sum: UInt8 = 0
    var length = 0
    var badChecksumDigit = false
    /// Bytes dropped between packets (line noise, stray characters); for diagnostics.
    public private(set) var discardedBytes = 0

    public init(maxPacketSize: Int) {
        precondition(maxPacketSize >= 64, "a packet limit below 64 bytes cannot carry a stop reply")
        self.maxPacketSize = maxPacketSize
        buffer.reserveCapacity(maxPacketSize)
    }

    /// Feeds bytes; returns the events they complete, in order.
    public mutating func feed<C: Sequence>(_ bytes: C) -> [PacketEvent] where C.Element == UInt8 {
        var events: [PacketEvent] = []
        for b in bytes {
            if let e = feed(b) { events.append(e) }
        }
        return events
    }

    /// Feeds one byte; returns the event it completes, if any.
    public mutating func feed(_ byte: UInt8) -> PacketEvent? {
        switch state {
        case .idle:
            switch byte {
            case UInt8(ascii: "$"): startPacket()
            case UInt8(ascii: "+"): return .ack
            case UInt8(ascii: "-"): return .nack
            case 0x03: return .interrupt
            default: discardedBytes &+= 1
            }
            return nil
        case .data:
            switch byte {
            case UInt8(ascii: "#"):
                state = .checksumHigh
            case UInt8(ascii: "$"):
                // A new packet before the old one ended: the old one was truncated (gdb restarted
                // after a timeout, or line noise). Resynchronise on the new start.
                discardedBytes &+= length + 1
                startPacket()
            default:
                sum &+= byte
                length += 1
                if length <= maxPacketSize { buffer.append(byte) }
            }
            return nil
        case .checksumHigh:
            let high = Hex.value(byte)
            badChecksumDigit = high == nil
            state = .checksumLow(high: high ?? 0)
            return nil
        case .checksumLow(let high):
            let low = Hex.value(byte)
            let valid = !badChecksumDigit && low != nil && (high << 4 | (low ?? 0)) == sum
            state = .idle
            defer { buffer.removeAll(keepingCapacity: true) }
            if length > maxPacketSize { return .oversized(checksumValid: valid) }
            guard valid else { return .badChecksum }
            guard let decoded = PacketDecoder.runLengthDecode(buffer[...], limit: maxPacketSize) else {
                return .malformed
            }
            return .packet(decoded)
        }
    }

    /// True between a `$` and the end of its checksum.
    public var isInsidePacket: Bool {
        if case .idle = state { return false }
        return true
    }

    mutating func startPacket() {
        state = .data
        buffer.removeAll(keepingCapacity: true)
        sum = 0
        length = 0
        badChecksumDigit = false
    }

    /// Expands `c*n` into c repeated (n - 29) more times (gdb manual "Overview": "`0* ` means the same
    /// as `0000`"). nil if a `*` has no preceding character or no count, the count is below 3 (n < 32)
    /// or above 97 (n > 126), or the result exceeds `limit` bytes.
    public static func runLengthDecode(_ data: ArraySlice<UInt8>, limit: Int) -> [UInt8]? {
        guard data.contains(UInt8(ascii: "*")) else { return data.count <= limit ? Array(data) : nil }
        var out: [UInt8] = []
        var i = data.startIndex
        while i < data.endIndex {
            let c = data[i]
            if c == UInt8(ascii: "*") {
                guard let last = out.last, i + 1 < data.endIndex else { return nil }
                let n = Int(data[i + 1])
                guard n >= 32, n <= 126 else { return nil }
                let repeats = n - 29
                guard out.count + repeats <= limit else { return nil }
                out.append(contentsOf: repeatElement(last, count: repeats))
                i += 2
            } else {
                guard out.count < limit else { return nil }
                out.append(c)
                i += 1
            }
        }
        return out
    }
}

/// Builds the bytes we send.
public enum PacketEncoder {
    /// The modulo-256 sum of the packet data.
    public static func checksum<C: Sequence>(_ data: C) -> UInt8 where C.Element == UInt8 {
        data.reduce(0, &+)
    }

    /// `$data#xx`. The data must already be wire-safe: hex, text without `$`/`#`, or escaped binary.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        precondition(!data.contains(UInt8(ascii: "$")) && !data.contains(UInt8(ascii: "#")),
                     "reply data must be escaped before framing")
        var out: [UInt8] = [UInt8(ascii: "$")]
        out.reserveCapacity(data.count + 4)
        out += data
        out.append(UInt8(ascii: "#"))
        out += Hex.byte(checksum(data))
        return out
    }

    /// Run-length encodes data for sending (optional in the protocol; gdb decodes it). Runs of 4 to
    /// 97 equal bytes become `c*n`; counts whose character would be `$`, `#`, `+` or `-` (which the
    /// manual forbids), or `*` or `}` (to stay clear of the escapes), are shortened.
    public static func runLengthEncode(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var i = 0
        while i < data.count {
            let c = data[i]
            var run = 1
            while i + run < data.count, data[i + run] == c, run < 98 { run += 1 }
            // `run` copies of c: send one, then a count for up to (run - 1) repeats.
            var repeats = run - 1
            while [6, 7, 13, 14, 16, 96].contains(repeats) { repeats -= 1 }
            if repeats >= 3 {
                out.append(c)
                out.append(UInt8(ascii: "*"))
                out.append(UInt8(repeats + 29))
                i += repeats + 1
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }
}
