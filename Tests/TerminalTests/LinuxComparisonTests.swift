// LinuxComparisonTests.swift — the line discipline against Linux's n_tty: the same termios, the
// same keystrokes (and program output), then the same reads and the same bytes on the screen.
import ABI
import Testing
import Terminal

/// Settings for a case, as changes to Linux's defaults (IXON off: flow control is not implemented).
struct Settings {
    var set: (lflag: Int32, iflag: Int32, oflag: Int32) = (0, 0, 0)
    var clear: (lflag: Int32, iflag: Int32, oflag: Int32) = (0, 0, 0)
    var cc: [(Int32, UInt8)] = []

    var termios: Termios {
        var t = Termios.standard
        t.lflag = (t.lflag | UInt32(set.lflag)) & ~UInt32(clear.lflag)
        t.iflag = (t.iflag | UInt32(set.iflag)) & ~UInt32(clear.iflag)
        t.oflag = (t.oflag | UInt32(set.oflag)) & ~UInt32(clear.oflag)
        for (index, value) in cc { t.cc[Int(index)] = value }
        return t
    }
}

struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let keys: [UInt8]
    /// Written by the program before the keys are typed (moves the cursor column).
    var before: [UInt8] = []
    var chunk = 1024
    let settings: @Sendable () -> Settings
    var testDescription: String { name }

    init(_ name: String, _ keys: String, before: String = "", chunk: Int = 1024, _ settings: @escaping @Sendable () -> Settings = { Settings() }) {
        self.name = name
        self.keys = Array(keys.utf8)
        self.before = Array(before.utf8)
        self.chunk = chunk
        self.settings = settings
    }

    init(_ name: String, bytes: [UInt8], chunk: Int = 1024, _ settings: @escaping @Sendable () -> Settings = { Settings() }) {
        self.name = name
        self.keys = bytes
        self.chunk = chunk
        self.settings = settings
    }
}

let raw: @Sendable () -> Settings = {
    var s = Settings()
    s.clear = (SV_ICANON | SV_ECHO | SV_ISIG | SV_IEXTEN, SV_ICRNL, SV_OPOST)
    return s
}

let cases: [Case] = [
    Case("a line, Enter as CR", "hello\r"),
    Case("two lines", "ab\rcd\r"),
    Case("erase (DEL)", "abc\u{7f}\u{7f}d\r"),
    Case("erase past the start of the line does nothing", "a\u{7f}\u{7f}\u{7f}b\r"),
    Case("kill (^U) with ECHOKE", "abc def\u{15}xy\r"),
    Case("kill without ECHOKE echoes ^U and a newline", "abc\u{15}x\r") { var s = Settings(); s.clear.lflag = SV_ECHOKE; return s },
    Case("kill without ECHOK", "abc\u{15}x\r") { var s = Settings(); s.clear.lflag = SV_ECHOK | SV_ECHOKE; return s },
    Case("word erase (^W)", "foo bar  baz\u{17}\u{17}q\r"),
    Case("word erase over punctuation", "a.b-c  \u{17}\u{17}\r"),
    Case("word erase needs IEXTEN", "foo bar\u{17}\r") { var s = Settings(); s.clear.lflag = SV_IEXTEN; return s },
    Case("end of file after text, then alone", "ab\u{4}\u{4}"),
    Case("end of file read in pieces", "abcd\u{4}", chunk: 2),
    Case("a line of exactly the read size, then end of file alone", "ab\r\u{4}x\u{4}", chunk: 3),
    Case("a long line read in pieces", "abcdefg\r", chunk: 3),
    Case("a line read with exactly its length", "abc\r", chunk: 3),
    Case("control characters echo as ^X and erase as two columns", "a\u{1}b\u{7f}\u{7f}\r"),
    Case("control characters without ECHOCTL", "a\u{1}b\u{7f}\u{7f}\r") { var s = Settings(); s.clear.lflag = SV_ECHOCTL; return s },
    Case("erasing a tab at the start", "\t\u{7f}x\r"),
    Case("erasing a tab after text", "ab\tc\u{7f}\u{7f}\u{7f}\r"),
    Case("erasing a tab after a tab", "a\t\tb\u{7f}\u{7f}\u{7f}\r"),
    Case("erasing a tab after a prompt", "\t\u{7f}\r", before: "xyz"),
    Case("erasing a tab after a control character", "\u{2}\t\u{7f}\r"),
    Case("ECHOE off echoes the erase character", "ab\u{7f}\r") { var s = Settings(); s.clear.lflag = SV_ECHOE; return s },
    Case("interrupt (^C) discards the line", "ab\u{3}cd\r"),
    Case("quit (^\\) and suspend (^Z)", "a\u{1c}b\u{1a}c\r"),
    Case("NOFLSH keeps the line across ^C", "ab\u{3}cd\r") { var s = Settings(); s.set.lflag = SV_NOFLSH; return s },
    Case("ISIG off: ^C is a character", "a\u{3}b\r") { var s = Settings(); s.clear.lflag = SV_ISIG; return s },
    Case("ECHO off", "secret\u{7f}\r") { var s = Settings(); s.clear.lflag = SV_ECHO; return s },
    Case("ECHONL without ECHO", "ab\r") { var s = Settings(); s.clear.lflag = SV_ECHO; s.set.lflag = SV_ECHONL; return s },
    Case("ICRNL off: CR is a character, LF ends the line", "ab\rc\n") { var s = Settings(); s.clear.iflag = SV_ICRNL; return s },
    Case("IGNCR drops CR", "a\rb\n") { var s = Settings(); s.set.iflag = SV_IGNCR; return s },
    Case("INLCR turns LF into CR", "a\nb\r") { var s = Settings(); s.set.iflag = SV_INLCR; s.clear.iflag = SV_ICRNL; return s },
    Case("ISTRIP", bytes: [0xe1, 0xe2, 0x0d]) { var s = Settings(); s.set.iflag = SV_ISTRIP; return s },
    Case("VEOL ends a line", "ab;cd\r") { var s = Settings(); s.cc = [(SV_VEOL, UInt8(ascii: ";"))]; return s },
    Case("VEOL2 ends a line with IEXTEN", "ab:cd\r") { var s = Settings(); s.cc = [(SV_VEOL2, UInt8(ascii: ":"))]; return s },
    Case("a remapped erase character", "abc#d\r") { var s = Settings(); s.cc = [(SV_VERASE, UInt8(ascii: "#"))]; return s },
    Case("a disabled VINTR", "a\u{3}\r") { var s = Settings(); s.cc = [(SV_VINTR, 0)]; return s },
    Case("UTF-8 erase takes the whole character (IUTF8)", "aé€\u{7f}\u{7f}\r") { var s = Settings(); s.set.iflag = SV_IUTF8; return s },
    Case("UTF-8 erase without IUTF8 takes one byte", "aé\u{7f}\r"),
    Case("OPOST off: echo is not processed", "ab\r") { var s = Settings(); s.clear.oflag = SV_OPOST; return s },
    Case("raw mode: every key is a read", "ab\r\n\u{3}\u{7f}", raw),
    Case("non-canonical with echo: LF echoes as ^J, CR as a newline", "a\n\r\u{3}") {
        var s = Settings(); s.clear.lflag = SV_ICANON | SV_ISIG; return s
    },
    Case("VMIN 3: reads complete at three bytes", "abcdefg") {
        var s = raw(); s.cc = [(SV_VMIN, 3), (SV_VTIME, 0)]; return s
    },
    Case("VMIN 0, VTIME 0: each byte is available at once", "xyz") {
        var s = raw(); s.cc = [(SV_VMIN, 0), (SV_VTIME, 0)]; return s
    },
    Case("a full-screen editor's keys: raw with ISIG", "q\u{1b}[A\u{3}") {
        var s = Settings(); s.clear = (SV_ICANON | SV_ECHO | SV_IEXTEN, SV_ICRNL, SV_OPOST); return s
    },
]

@Suite struct LinuxComparisonTests {
    @Test("same reads and the same echo as a Linux pty", arguments: cases)
    func sameAsLinux(_ c: Case) throws {
        let termios = c.settings().termios
        let pty = try LinuxPTY(termios: termios)
        var model = ModelSession(termios: termios)
        #expect(try pty.programWrites(c.before) == model.programWrites(c.before))
        let linux = try pty.type(c.keys, chunk: c.chunk)
        let ours = model.type(c.keys, chunk: c.chunk)
        #expect(ours.reads == linux.reads, "reads")
        #expect(ours.screen == linux.screen, "screen: ours \(ours.screen), Linux \(linux.screen)")
    }

    @Test("TCSETS takes our 36-byte termios and TCGETS gives it back unchanged")
    func wireLayout() throws {
        let t = raw().termios
        let pty = try LinuxPTY(termios: t)
        let back = try pty.currentTermios()
        #expect(back == t)
        #expect(back.lflag & UInt32(SV_ICANON) == 0)
        #expect(back.cc[Int(SV_VMIN)] == 1)
    }

    static let outputs: [(String, [UInt8], Settings)] = {
        func s(_ set: Int32, _ clear: Int32 = 0) -> Settings { var x = Settings(); x.set.oflag = set; x.clear.oflag = clear; return x }
        let text = Array("a\tbc\r\nde\rf\n\u{8}\u{8}\tg\n".utf8)
        return [
            ("ONLCR (default)", text, Settings()),
            ("XTABS", text, s(SV_XTABS)),
            ("OCRNL", text, s(SV_OCRNL)),
            ("ONOCR", Array("\rab\r\r".utf8), s(SV_ONOCR)),
            ("ONLRET with OCRNL", text, s(SV_ONLRET | SV_OCRNL, SV_ONLCR)),
            ("OLCUC", Array("Hello, World\n".utf8), s(SV_OLCUC)),
            ("OPOST off", text, s(0, SV_OPOST)),
        ]
    }()

    @Test("program output is processed as Linux processes it", arguments: 0 ..< outputs.count)
    func outputProcessing(_ index: Int) throws {
        let (name, text, settings) = LinuxComparisonTests.outputs[index]
        let t = settings.termios
        let pty = try LinuxPTY(termios: t)
        var model = ModelSession(termios: t)
        #expect(model.programWrites(text) == (try pty.programWrites(text)), "\(name)")
        // The column the output left behind shows in how a tab typed next is erased.
        let keys = Array("\t\u{7f}\r".utf8)
        #expect(model.type(keys, chunk: 64).screen == (try pty.type(keys, chunk: 64).screen), "\(name): column")
    }
}
