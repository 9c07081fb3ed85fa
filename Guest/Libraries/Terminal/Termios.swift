// Termios.swift — a terminal's settings as Linux keeps them (`struct termios`, asm-generic/termbits.h;
// the numbers are in Guest/ABI/include/sv_tty.h) and the window size (`struct winsize`), with their
// wire forms for TCGETS/TCSETS and TIOCGWINSZ/TIOCSWINSZ.
import ABI

/// `struct termios` as Linux's kernel moves it: four flag words, the line discipline number and
/// SV_NCCS control characters (36 bytes; no speeds: those live in c_cflag's CBAUD bits).
public struct Termios: Equatable {
    public var iflag: UInt32
    public var oflag: UInt32
    public var cflag: UInt32
    public var lflag: UInt32
    public var line: UInt8
    /// c_cc, SV_NCCS entries; an entry of SV_VDISABLE (0) is disabled.
    public var cc: [UInt8]

    public static let byteCount = 36

    public init(iflag: UInt32, oflag: UInt32, cflag: UInt32, lflag: UInt32, line: UInt8 = 0, cc: [UInt8]) {
        precondition(cc.count == Int(SV_NCCS), "c_cc has \(SV_NCCS) entries")
        self.iflag = iflag
        self.oflag = oflag
        self.cflag = cflag
        self.lflag = lflag
        self.line = line
        self.cc = cc
    }

    /// Linux's defaults for a new terminal (drivers/tty/tty_io.c `tty_std_termios`, INIT_C_CC in
    /// include/linux/tty.h), without IXON: this line discipline has no software flow control, so it
    /// does not claim it.
    public static var standard: Termios {
        var cc = [UInt8](repeating: 0, count: Int(SV_NCCS))
        cc[Int(SV_VINTR)] = 0x03     // ^C
        cc[Int(SV_VQUIT)] = 0x1c     // ^\
        cc[Int(SV_VERASE)] = 0x7f    // DEL
        cc[Int(SV_VKILL)] = 0x15     // ^U
        cc[Int(SV_VEOF)] = 0x04      // ^D
        cc[Int(SV_VTIME)] = 0
        cc[Int(SV_VMIN)] = 1
        cc[Int(SV_VSTART)] = 0x11    // ^Q
        cc[Int(SV_VSTOP)] = 0x13     // ^S
        cc[Int(SV_VSUSP)] = 0x1a     // ^Z
        cc[Int(SV_VREPRINT)] = 0x12  // ^R
        cc[Int(SV_VDISCARD)] = 0x0f  // ^O
        cc[Int(SV_VWERASE)] = 0x17   // ^W
        cc[Int(SV_VLNEXT)] = 0x16    // ^V
        return Termios(iflag: UInt32(SV_ICRNL),
                       oflag: UInt32(SV_OPOST | SV_ONLCR),
                       cflag: UInt32(SV_B38400 | SV_CS8 | SV_CREAD | SV_HUPCL),
                       lflag: UInt32(SV_ISIG | SV_ICANON | SV_ECHO | SV_ECHOE | SV_ECHOK | SV_ECHOCTL | SV_ECHOKE | SV_IEXTEN),
                       cc: cc)
    }

    /// Decodes the 36-byte wire form (little-endian, sv_termios); nil if `bytes` is shorter.
    /// Every flag value is accepted and kept (Linux keeps bits it does not act on too).
    public init?(bytes: [UInt8]) {
        guard bytes.count >= Termios.byteCount else { return nil }
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        self.init(iflag: word(0), oflag: word(4), cflag: word(8), lflag: word(12), line: bytes[16],
                  cc: Array(bytes[17 ..< 17 + Int(SV_NCCS)]))
    }

    /// The 36-byte wire form.
    public var bytes: [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(Termios.byteCount)
        for w in [iflag, oflag, cflag, lflag] {
            b.append(UInt8(truncatingIfNeeded: w))
            b.append(UInt8(truncatingIfNeeded: w >> 8))
            b.append(UInt8(truncatingIfNeeded: w >> 16))
            b.append(UInt8(truncatingIfNeeded: w >> 24))
        }
        b.append(line)
        b.append(contentsOf: cc)
        return b
    }

    // Flag tests, named after the flags.
    func input(_ flag: Int32) -> Bool { iflag & UInt32(flag) != 0 }
    func output(_ flag: Int32) -> Bool { oflag & UInt32(flag) != 0 }
    func local(_ flag: Int32) -> Bool { lflag & UInt32(flag) != 0 }

    /// Whether `c` is the enabled control character at c_cc index `index`.
    func isChar(_ c: UInt8, _ index: Int32) -> Bool {
        let v = cc[Int(index)]
        return v != UInt8(SV_VDISABLE) && v == c
    }

    public var canonical: Bool { local(SV_ICANON) }
    public var minimum: UInt8 { cc[Int(SV_VMIN)] }
    /// VTIME, in tenths of a second.
    public var time: UInt8 { cc[Int(SV_VTIME)] }
}

/// `struct winsize`: TIOCGWINSZ/TIOCSWINSZ (8 bytes: rows, columns, pixel width, pixel height).
public struct WindowSize: Equatable {
    public var rows: UInt16
    public var columns: UInt16
    public var xPixels: UInt16
    public var yPixels: UInt16

    public static let byteCount = 8

    public init(rows: UInt16, columns: UInt16, xPixels: UInt16 = 0, yPixels: UInt16 = 0) {
        self.rows = rows
        self.columns = columns
        self.xPixels = xPixels
        self.yPixels = yPixels
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count >= WindowSize.byteCount else { return nil }
        func half(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        self.init(rows: half(0), columns: half(2), xPixels: half(4), yPixels: half(6))
    }

    public var bytes: [UInt8] {
        var b: [UInt8] = []
        for h in [rows, columns, xPixels, yPixels] {
            b.append(UInt8(truncatingIfNeeded: h))
            b.append(UInt8(truncatingIfNeeded: h >> 8))
        }
        return b
    }
}
