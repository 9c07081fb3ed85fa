// LineDisciplineTests.swift — what the Linux comparison cannot show: the signals the terminal asks
// for, VMIN/VTIME timing on a clock value, mode switches with input pending, FIONREAD, the input
// bound and the wire forms.
import ABI
import Testing
import Terminal

func rawTermios(min: UInt8, time: UInt8) -> Termios {
    var t = Termios.standard
    t.lflag &= ~UInt32(SV_ICANON | SV_ECHO | SV_ISIG | SV_IEXTEN)
    t.iflag &= ~UInt32(SV_ICRNL)
    t.cc[Int(SV_VMIN)] = min
    t.cc[Int(SV_VTIME)] = time
    return t
}

let decisecond: UInt64 = 100_000_000

@Suite struct SignalTests {
    @Test("^C, ^\\ and ^Z ask for SIGINT, SIGQUIT and SIGTSTP, in order")
    func signals() {
        var ld = LineDiscipline()
        ld.receive(Array("a\u{3}b\u{1c}\u{1a}".utf8))
        #expect(ld.takeSignals() == [.interrupt, .quit, .suspend])
        #expect(ld.takeSignals().map(\.number) == [])
        #expect([TerminalSignal.interrupt, .quit, .suspend].map(\.number) == [2, 3, 20])
    }

    @Test("ISIG off: no signals, the characters are input")
    func noSignals() {
        var t = Termios.standard
        t.lflag &= ~UInt32(SV_ISIG)
        var ld = LineDiscipline(termios: t)
        ld.receive(Array("\u{3}\r".utf8))
        #expect(ld.takeSignals().isEmpty)
        var r = ReadRequest(count: 10, now: 0)
        #expect(ld.advance(&r, now: 0) == .done([3, 10]))
    }
}

@Suite struct CanonicalReadTests {
    @Test("a read waits for a complete line, without a deadline")
    func waitsForLine() {
        var ld = LineDiscipline()
        var r = ReadRequest(count: 100, now: 0)
        ld.receive(Array("ab".utf8))
        #expect(ld.advance(&r, now: 5) == .waiting(deadline: nil))
        #expect(!ld.readable)
        ld.receive(0x0d)
        #expect(ld.readable)
        #expect(ld.advance(&r, now: 6) == .done(Array("ab\n".utf8)))
    }

    @Test("FIONREAD counts complete lines and not end-of-file markers")
    func fionread() {
        var ld = LineDiscipline()
        ld.receive(Array("ab\rc\u{4}de".utf8))
        #expect(ld.bytesReadable == 4)
        ld.setTermios(rawTermios(min: 1, time: 0))
        #expect(ld.bytesReadable == 7)   // "ab\n", "c", the end-of-file's NUL and "de": all plain bytes now
    }

    @Test("leaving canonical mode makes the partial line readable")
    func toRaw() {
        var ld = LineDiscipline()
        ld.receive(Array("xy".utf8))
        ld.setTermios(rawTermios(min: 1, time: 0))
        var r = ReadRequest(count: 10, now: 0)
        #expect(ld.advance(&r, now: 0) == .done(Array("xy".utf8)))
    }

    @Test("entering canonical mode makes pending input one line")
    func toCanonical() {
        var ld = LineDiscipline(termios: rawTermios(min: 1, time: 0))
        ld.receive(Array("pq".utf8))
        ld.setTermios(.standard)
        var r = ReadRequest(count: 10, now: 0)
        #expect(ld.advance(&r, now: 0) == .done(Array("pq".utf8)))
    }

    @Test("TCSETSF discards unread input")
    func setAndFlush() {
        var ld = LineDiscipline()
        ld.receive(Array("old\r".utf8))
        ld.setTermios(.standard, mode: .flushInput)
        #expect(!ld.readable)
        #expect(ld.bytesReadable == 0)
    }

    @Test("a line is at most 4095 bytes; the rest is dropped and counted, and Enter still ends it")
    func bounded() {
        var t = Termios.standard
        t.lflag &= ~UInt32(SV_ECHO)
        var ld = LineDiscipline(termios: t)
        ld.receive([UInt8](repeating: 0x61, count: 5000))
        ld.receive(0x0d)
        #expect(ld.droppedInput == 5000 - 4095)
        var r = ReadRequest(count: 10_000, now: 0)
        guard case .done(let line) = ld.advance(&r, now: 0) else { Issue.record("no line"); return }
        #expect(line.count == 4096)
        #expect(line.last == 0x0a)
    }
}

@Suite struct TimedReadTests {
    @Test("VMIN 0, VTIME 0: returns at once, empty when nothing is there")
    func poll() {
        var ld = LineDiscipline(termios: rawTermios(min: 0, time: 0))
        var r = ReadRequest(count: 10, now: 0)
        #expect(ld.advance(&r, now: 0) == .done([]))
    }

    @Test("VMIN 0, VTIME 5: a byte ends the read; else it times out 0.5 s after it began")
    func readTimeout() {
        var ld = LineDiscipline(termios: rawTermios(min: 0, time: 5))
        var r = ReadRequest(count: 10, now: 1_000)
        #expect(ld.advance(&r, now: 1_000) == .waiting(deadline: 1_000 + 5 * decisecond))
        #expect(ld.advance(&r, now: 1_000 + 5 * decisecond - 1) == .waiting(deadline: 1_000 + 5 * decisecond))
        #expect(ld.advance(&r, now: 1_000 + 5 * decisecond) == .done([]))
        var r2 = ReadRequest(count: 10, now: 0)
        _ = ld.advance(&r2, now: 0)
        ld.receive(0x41)
        #expect(ld.advance(&r2, now: 1) == .done([0x41]))
    }

    @Test("VMIN 3, VTIME 0: waits without a deadline until three bytes came")
    func minimumOnly() {
        var ld = LineDiscipline(termios: rawTermios(min: 3, time: 0))
        var r = ReadRequest(count: 10, now: 0)
        ld.receive(Array("ab".utf8))
        #expect(ld.advance(&r, now: 10 * decisecond) == .waiting(deadline: nil))
        #expect(r.collected == Array("ab".utf8))
        ld.receive(Array("cd".utf8))
        #expect(ld.advance(&r, now: 11 * decisecond) == .done(Array("abcd".utf8)))
    }

    @Test("VMIN larger than the read: the read's size is enough")
    func minimumAboveCount() {
        var ld = LineDiscipline(termios: rawTermios(min: 10, time: 0))
        var r = ReadRequest(count: 2, now: 0)
        ld.receive(Array("abc".utf8))
        #expect(ld.advance(&r, now: 0) == .done(Array("ab".utf8)))
        #expect(ld.bytesReadable == 1)
    }

    @Test("VMIN 4, VTIME 2: no timer before the first byte; then 0.2 s after the latest byte")
    func interByte() {
        var ld = LineDiscipline(termios: rawTermios(min: 4, time: 2))
        var r = ReadRequest(count: 10, now: 0)
        #expect(ld.advance(&r, now: 0) == .waiting(deadline: nil))
        ld.receive(0x61)
        #expect(ld.advance(&r, now: 100) == .waiting(deadline: 100 + 2 * decisecond))
        ld.receive(0x62)
        #expect(ld.advance(&r, now: 150) == .waiting(deadline: 150 + 2 * decisecond))
        #expect(ld.advance(&r, now: 150 + 2 * decisecond) == .done(Array("ab".utf8)))
    }

    @Test("a read of 0 bytes completes at once")
    func zero() {
        var ld = LineDiscipline()
        var r = ReadRequest(count: 0, now: 0)
        #expect(ld.advance(&r, now: 0) == .done([]))
    }
}

@Suite struct WireFormTests {
    @Test("termios round-trips through its 36 bytes, little-endian, c_cc at 17")
    func termios() {
        let t = Termios.standard
        let b = t.bytes
        #expect(b.count == 36)
        #expect(b.count == MemoryLayout<sv_termios>.size)
        #expect(b[12] == UInt8(truncatingIfNeeded: t.lflag))
        #expect(b[17 + Int(SV_VINTR)] == 3)
        #expect(Termios(bytes: b) == t)
        #expect(Termios(bytes: Array(b.prefix(35))) == nil)
    }

    @Test("winsize round-trips: rows first")
    func winsize() {
        let w = WindowSize(rows: 50, columns: 132)
        #expect(w.bytes == [50, 0, 132, 0, 0, 0, 0, 0])
        #expect(WindowSize(bytes: w.bytes) == w)
        #expect(WindowSize(bytes: [1, 2, 3]) == nil)
        #expect(MemoryLayout<sv_winsize>.size == WindowSize.byteCount)
    }
}
