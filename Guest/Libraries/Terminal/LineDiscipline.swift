// LineDiscipline.swift — the terminal's input side as Linux's N_TTY does it (drivers/tty/n_tty.c):
// input mapping (ISTRIP, IGNCR, ICRNL, INLCR), signal characters (ISIG: VINTR, VQUIT, VSUSP), the
// canonical line editor (VERASE, VKILL, VWERASE with IEXTEN, VEOF, VEOL, VEOL2) and echo (ECHO,
// ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL), plus the read side (a line at a time, or VMIN/VTIME in
// ReadRequest.swift). Pure: the terminal server feeds it keystrokes and program output and sends
// what it produces (screen bytes, signals) itself.
//
// Not implemented (the bits are kept, they do nothing): IXON/IXOFF flow control, VLNEXT, VREPRINT,
// VDISCARD, ECHOPRT, PARMRK, IUCLC, EXTPROC, TOSTOP.
import ABI

/// A signal the terminal asks its server to send to the foreground process group.
public enum TerminalSignal: Equatable {
    case interrupt   // SIGINT (VINTR)
    case quit        // SIGQUIT (VQUIT)
    case suspend     // SIGTSTP (VSUSP)

    /// Linux's signal number.
    public var number: Int32 {
        switch self {
        case .interrupt: return 2
        case .quit: return 3
        case .suspend: return 20
        }
    }
}

public struct LineDiscipline {
    /// Input buffered for readers is bounded like Linux's (N_TTY_BUF_SIZE): beyond it, typed bytes
    /// are dropped and counted (Linux throttles the writer instead; a keyboard cannot be throttled).
    public static let bufferSize = 4096

    public private(set) var termios: Termios
    public var windowSize: WindowSize

    /// Input bytes, oldest first. In canonical mode an end-of-file is kept as a NUL byte whose
    /// position is in `lineEnds` (n_tty's __DISABLED_CHAR with its read_flags bit).
    var buffer: [UInt8] = []
    /// Positions in `buffer` that end a line (the '\n', VEOL, VEOL2 or VEOF byte).
    var lineEnds: [Int] = []
    /// In canonical mode, `buffer[..<canonEnd]` are complete lines that a reader may take; the rest
    /// is the line being edited. In non-canonical mode every byte is readable.
    var canonEnd = 0
    var output = OutputColumn()
    var pendingOutput: [UInt8] = []
    var pendingSignals: [TerminalSignal] = []
    public private(set) var droppedInput = 0

    public init(termios: Termios = .standard, windowSize: WindowSize = WindowSize(rows: 25, columns: 80)) {
        self.termios = termios
        self.windowSize = windowSize
    }

    // MARK: - Settings

    /// How TCSETS* takes effect: TCSETSF also discards unread input (TCSETSW's wait for output to
    /// drain is the server's job: this library holds no output).
    public enum SetMode { case now, flushInput }

    /// New settings. Switching canonical mode on or off converts the buffered input as n_tty's
    /// n_tty_set_termios does: leaving canonical mode makes the partial line readable; entering it
    /// with unread input makes all of it one line.
    public mutating func setTermios(_ new: Termios, mode: SetMode = .now) {
        let old = termios
        termios = new
        if mode == .flushInput { flushInput() }
        if old.canonical != new.canonical {
            lineEnds.removeAll()
            if new.canonical && !buffer.isEmpty {
                lineEnds.append(buffer.count - 1)
                canonEnd = buffer.count
            } else {
                canonEnd = 0
            }
        }
    }

    /// Discards unread input (TCFLSH TCIFLUSH, TCSETSF, a signal character without NOFLSH).
    public mutating func flushInput() {
        buffer.removeAll()
        lineEnds.removeAll()
        canonEnd = 0
    }

    // MARK: - What the server collects

    /// Bytes for the screen (echo and processed program output) since the last call.
    public mutating func takeOutput() -> [UInt8] {
        let out = pendingOutput
        pendingOutput = []
        return out
    }

    /// Signals to send to the foreground process group since the last call, in order.
    public mutating func takeSignals() -> [TerminalSignal] {
        let s = pendingSignals
        pendingSignals = []
        return s
    }

    /// A program's write to the terminal: through output processing into the screen bytes.
    public mutating func write(_ bytes: some Collection<UInt8>) {
        output.write(bytes, termios, into: &pendingOutput)
    }

    // MARK: - Input

    /// Keystrokes from the device, one at a time in order.
    public mutating func receive(_ bytes: some Sequence<UInt8>) {
        for b in bytes { receive(b) }
    }

    /// Whether n_tty would route `c` through its special-character path (its char_map).
    func isSpecial(_ c: UInt8) -> Bool {
        let t = termios
        if c == UInt8(SV_VDISABLE) { return false }
        if c == 0x0d && (t.input(SV_IGNCR) || t.input(SV_ICRNL)) { return true }
        if c == 0x0a && t.input(SV_INLCR) { return true }
        if t.canonical {
            if c == 0x0a || t.isChar(c, SV_VERASE) || t.isChar(c, SV_VKILL) || t.isChar(c, SV_VEOF) || t.isChar(c, SV_VEOL) {
                return true
            }
            if t.local(SV_IEXTEN) && (t.isChar(c, SV_VWERASE) || t.isChar(c, SV_VEOL2)) { return true }
        }
        if t.local(SV_ISIG) && (t.isChar(c, SV_VINTR) || t.isChar(c, SV_VQUIT) || t.isChar(c, SV_VSUSP)) { return true }
        return false
    }

    public mutating func receive(_ byte: UInt8) {
        let t = termios
        var c = byte
        if t.input(SV_ISTRIP) { c &= 0x7f }
        guard isSpecial(c) else {
            receiveOrdinary(c)
            return
        }
        if t.local(SV_ISIG) {
            if t.isChar(c, SV_VINTR) { return receiveSignal(.interrupt, c) }
            if t.isChar(c, SV_VQUIT) { return receiveSignal(.quit, c) }
            if t.isChar(c, SV_VSUSP) { return receiveSignal(.suspend, c) }
        }
        if c == 0x0d {
            if t.input(SV_IGNCR) { return }
            if t.input(SV_ICRNL) { c = 0x0a }
        } else if c == 0x0a && t.input(SV_INLCR) {
            c = 0x0d
        }
        if t.canonical {
            if t.isChar(c, SV_VERASE) || t.isChar(c, SV_VKILL) || (t.isChar(c, SV_VWERASE) && t.local(SV_IEXTEN)) {
                erase(c)
                return
            }
            if c == 0x0a {
                if t.local(SV_ECHO) || t.local(SV_ECHONL) { echoRaw(0x0a) }
                return endLine(0x0a)
            }
            if t.isChar(c, SV_VEOF) {
                return endLine(0)   // not echoed, not returned to the reader
            }
            if t.isChar(c, SV_VEOL) || (t.isChar(c, SV_VEOL2) && t.local(SV_IEXTEN)) {
                if t.local(SV_ECHO) {
                    if lineIsEmpty { output.canonColumn = output.column }
                    echo(c)
                }
                return endLine(c)
            }
        }
        if t.local(SV_ECHO) {
            if c == 0x0a {
                echoRaw(0x0a)
            } else {
                if lineIsEmpty { output.canonColumn = output.column }
                echo(c)
            }
        }
        put(c)
    }

    /// A byte that is nothing special: echoed (ECHOCTL shows a control character as ^X) and queued.
    mutating func receiveOrdinary(_ c: UInt8) {
        if termios.local(SV_ECHO) {
            if lineIsEmpty { output.canonColumn = output.column }
            echo(c)
        }
        put(c)
    }

    /// n_tty_receive_signal_char: the signal, then (unless NOFLSH) the unread input is discarded,
    /// then the character is echoed.
    mutating func receiveSignal(_ signal: TerminalSignal, _ c: UInt8) {
        pendingSignals.append(signal)
        if !termios.local(SV_NOFLSH) { flushInput() }
        if termios.local(SV_ECHO) { echo(c) }
    }

    /// The line being edited holds nothing (n_tty: canon_head == read_head).
    var lineIsEmpty: Bool { buffer.count == canonEnd }

    mutating func put(_ c: UInt8) {
        // Keep one byte free in canonical mode so a line can always be ended.
        let limit = termios.canonical ? LineDiscipline.bufferSize - 1 : LineDiscipline.bufferSize
        guard buffer.count < limit else {
            droppedInput += 1
            return
        }
        buffer.append(c)
    }

    mutating func endLine(_ c: UInt8) {
        guard buffer.count < LineDiscipline.bufferSize else {
            droppedInput += 1
            return
        }
        buffer.append(c)
        lineEnds.append(buffer.count - 1)
        canonEnd = buffer.count
    }

    // MARK: - Echo

    /// echo_char: a control character other than tab as ^X with ECHOCTL (DEL as ^?).
    mutating func echo(_ c: UInt8) {
        if termios.local(SV_ECHOCTL) && isControl(c) && c != 0x09 {
            pendingOutput.append(0x5e)   // '^'
            pendingOutput.append(c ^ 0x40)
            output.column += 2
            return
        }
        echoRaw(c)
    }

    /// echo_char_raw: through output processing when OPOST is on.
    mutating func echoRaw(_ c: UInt8) {
        if termios.output(SV_OPOST) {
            output.put(c, termios, into: &pendingOutput)
        } else {
            pendingOutput.append(c)
        }
    }

    // MARK: - Line editing

    enum Erase { case character, word, line }

    /// n_tty's eraser: VERASE takes one character back, VWERASE a word (BSD's ALTWERASE: trailing
    /// non-word characters, then letters, digits and '_'), VKILL the whole line.
    mutating func erase(_ c: UInt8) {
        let t = termios
        if lineIsEmpty { return }
        let kind: Erase
        if t.isChar(c, SV_VERASE) {
            kind = .character
        } else if t.isChar(c, SV_VWERASE) {
            kind = .word
        } else {
            if !t.local(SV_ECHO) {
                buffer.removeSubrange(canonEnd...)
                return
            }
            if !t.local(SV_ECHOK) || !t.local(SV_ECHOKE) || !t.local(SV_ECHOE) {
                buffer.removeSubrange(canonEnd...)
                echo(c)
                if t.local(SV_ECHOK) { echoRaw(0x0a) }
                return
            }
            kind = .line
        }
        var seenWordCharacters = 0
        while buffer.count > canonEnd {
            // One character: with IUTF8, a whole multibyte sequence.
            var head = buffer.count
            var last: UInt8
            repeat {
                head -= 1
                last = buffer[head]
            } while isContinuation(last, t) && head > canonEnd
            if isContinuation(last, t) { break }   // never erase part of a character
            if kind == .word {
                if isWordCharacter(last) { seenWordCharacters += 1 } else if seenWordCharacters > 0 { break }
            }
            buffer.removeSubrange(head...)
            if t.local(SV_ECHO) {
                if kind == .character && !t.local(SV_ECHOE) {
                    echo(t.cc[Int(SV_VERASE)])
                } else if last == 0x09 {
                    eraseTab()
                } else {
                    if isControl(last) && t.local(SV_ECHOCTL) { echoBackspace() }
                    if !isControl(last) || t.local(SV_ECHOCTL) { echoBackspace() }
                }
            }
            if kind == .character { break }
        }
    }

    func isWordCharacter(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f
    }

    mutating func echoBackspace() {
        echoRaw(0x08)
        echoRaw(0x20)
        echoRaw(0x08)
    }

    /// Backs the cursor over an erased tab: the columns the tab filled depend on what precedes it
    /// on the line, counted from the previous tab or from where the line's echo began
    /// (n_tty's echo_erase_tab and ECHO_OP_ERASE_TAB).
    mutating func eraseTab() {
        let t = termios
        var columns = 0
        var afterTab = false
        var i = buffer.count
        while i > canonEnd {
            i -= 1
            let c = buffer[i]
            if c == 0x09 {
                afterTab = true
                break
            } else if isControl(c) {
                if t.local(SV_ECHOCTL) { columns += 2 }
            } else if !isContinuation(c, t) {
                columns += 1
            }
        }
        if !afterTab { columns += output.canonColumn }
        let backspaces = 8 - (columns & 7)
        for _ in 0 ..< backspaces {
            pendingOutput.append(0x08)
            if output.column > 0 { output.column -= 1 }
        }
    }
}
