// Reading.swift — how a read(2) on the terminal completes (n_tty_read, POSIX XBD 11.1.5/11.1.7):
// in canonical mode one line (or the part of it that fits) once a line is complete; in
// non-canonical mode by VMIN and VTIME. Time is a value the caller passes in (nanoseconds of a
// monotonic clock), so the timers are a pure state machine the host tests drive.
import ABI

/// A read in progress: the server keeps one per waiting reader and calls `LineDiscipline.advance`
/// when input arrives or the deadline it was given passes.
public struct ReadRequest {
    /// The most bytes the reader asked for.
    public let count: Int
    /// Bytes already taken from the input for this read (non-canonical reads collect).
    public internal(set) var collected: [UInt8] = []
    /// When the read began (VMIN = 0: VTIME counts from here).
    let started: UInt64
    /// When bytes last arrived for this read (VMIN > 0, VTIME > 0: an inter-byte timer).
    var lastArrival: UInt64? = nil

    public init(count: Int, now: UInt64) {
        self.count = count
        self.started = now
    }
}

public enum ReadProgress: Equatable {
    /// The read is over with these bytes (empty: end of file in canonical mode, or VTIME expired).
    case done([UInt8])
    /// Not yet: call again when input arrives, or at `deadline` if there is one.
    case waiting(deadline: UInt64?)
}

extension LineDiscipline {
    static let nanosecondsPerDecisecond: UInt64 = 100_000_000

    /// Takes what the read may take now and says whether it is complete.
    public mutating func advance(_ read: inout ReadRequest, now: UInt64) -> ReadProgress {
        if read.count == 0 { return .done([]) }
        if termios.canonical {
            guard canonEnd > 0 else { return .waiting(deadline: nil) }
            return .done(read.collected + takeLine(max: read.count - read.collected.count))
        }
        let minimum = Int(termios.minimum)
        let time = UInt64(termios.time) * LineDiscipline.nanosecondsPerDecisecond
        if !buffer.isEmpty {
            let n = min(buffer.count, read.count - read.collected.count)
            read.collected += buffer[..<n]
            buffer.removeSubrange(..<n)
            read.lastArrival = now
        }
        let needed = min(max(minimum, 1), read.count)
        if read.collected.count >= needed { return .done(read.collected) }
        if minimum == 0 {
            // VTIME counts from the start of the read; 0 means do not wait at all.
            if time == 0 || now >= read.started &+ time { return .done(read.collected) }
            return .waiting(deadline: read.started &+ time)
        }
        // VMIN > 0: wait for the bytes; with VTIME, at most that long after the last one.
        guard time > 0, let last = read.lastArrival else { return .waiting(deadline: nil) }
        if now >= last &+ time { return .done(read.collected) }
        return .waiting(deadline: last &+ time)
    }

    /// canon_copy_from_read_buf: up to `max` bytes of the first line, with its end unless it is
    /// an end-of-file (then the reader gets only the bytes before it; a lone one reads as 0).
    mutating func takeLine(max: Int) -> [UInt8] {
        let available = min(max, canonEnd)
        var bytes: [UInt8]
        if let end = lineEnds.first, end < available {
            let isEOF = buffer[end] == 0
            bytes = Array(buffer[..<(isEOF ? end : end + 1)])
            consume(end + 1)
            lineEnds.removeFirst()
        } else {
            bytes = Array(buffer[..<available])
            consume(available)
        }
        // canon_skip_eof: a read that filled the reader's buffer also takes an end-of-file that
        // comes next, so "abcd^D" read two bytes at a time is "ab", "cd" and no empty read.
        if bytes.count == max, let end = lineEnds.first, end == 0, buffer[0] == 0 {
            consume(1)
            lineEnds.removeFirst()
        }
        return bytes
    }

    mutating func consume(_ n: Int) {
        buffer.removeSubrange(..<n)
        canonEnd -= n
        for i in lineEnds.indices { lineEnds[i] -= n }
    }

    /// What poll(2) reports as POLLIN (n_tty's input_available_p with poll set): a complete line
    /// in canonical mode; otherwise VMIN bytes when VTIME is 0 and VMIN is not, else one byte.
    public var readable: Bool {
        if termios.canonical { return canonEnd > 0 }
        let amount = termios.time == 0 && termios.minimum > 0 ? Int(termios.minimum) : 1
        return buffer.count >= amount
    }

    /// FIONREAD: bytes a reader could take now (canonical: the complete lines, end-of-file markers
    /// not counted).
    public var bytesReadable: Int {
        if !termios.canonical { return buffer.count }
        var n = canonEnd
        for end in lineEnds where end < canonEnd && buffer[end] == 0 { n -= 1 }
        return n
    }
}
