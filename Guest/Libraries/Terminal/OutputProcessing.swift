// OutputProcessing.swift — what the terminal does to bytes on their way to the screen (c_oflag:
// OPOST, ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS) and the cursor column it tracks for erasing
// tabs. The rules are Linux's do_output_char (drivers/tty/n_tty.c); programs' writes and the
// echo of input both pass here.
import ABI

/// The output side's state: the cursor column as the line discipline believes it to be.
struct OutputColumn {
    var column = 0
    /// The column where the current input line's echo began (for erasing a tab at its start).
    var canonColumn = 0
}

@inline(__always) func isControl(_ c: UInt8) -> Bool { c < 0x20 || c == 0x7f }

/// UTF-8 continuation bytes take no column (IUTF8: n_tty's is_continuation).
@inline(__always) func isContinuation(_ c: UInt8, _ t: Termios) -> Bool {
    t.input(SV_IUTF8) && c & 0xc0 == 0x80
}

extension OutputColumn {
    /// One byte through output processing (the caller has checked OPOST), appended to `out`.
    mutating func put(_ byte: UInt8, _ t: Termios, into out: inout [UInt8]) {
        var c = byte
        switch c {
        case 0x0a:  // \n
            if t.output(SV_ONLRET) { column = 0 }
            if t.output(SV_ONLCR) {
                canonColumn = 0
                column = 0
                out.append(0x0d)
                out.append(0x0a)
                return
            }
            canonColumn = column
        case 0x0d:  // \r
            if t.output(SV_ONOCR) && column == 0 { return }
            if t.output(SV_OCRNL) {
                c = 0x0a
                if t.output(SV_ONLRET) { canonColumn = 0; column = 0 }
                break
            }
            canonColumn = 0
            column = 0
        case 0x09:  // \t
            let spaces = 8 - (column & 7)
            column += spaces
            if t.oflag & UInt32(SV_TABDLY) == UInt32(SV_XTABS) {
                for _ in 0 ..< spaces { out.append(0x20) }
                return
            }
        case 0x08:  // \b
            if column > 0 { column -= 1 }
        default:
            if !isControl(c) {
                if t.output(SV_OLCUC) && c >= 0x61 && c <= 0x7a { c -= 0x20 }
                if !isContinuation(c, t) { column += 1 }
            }
        }
        out.append(c)
    }

    /// A program's write: every byte through `put` with OPOST, unchanged without. Runs of
    /// printable bytes (what most output is) only move the column and are copied whole: `put`
    /// would append each unchanged (without OLCUC), one call per byte.
    mutating func write(_ bytes: some Collection<UInt8>, _ t: Termios, into out: inout [UInt8]) {
        guard t.output(SV_OPOST) else {
            out.append(contentsOf: bytes)
            return
        }
        out.reserveCapacity(out.count + bytes.count + bytes.count / 8)
        let copiesPrintable = !t.output(SV_OLCUC)
        let utf8 = t.input(SV_IUTF8)
        var run = bytes.startIndex, i = bytes.startIndex
        while i != bytes.endIndex {
            let c = bytes[i]
            if copiesPrintable && !isControl(c) {
                if !(utf8 && c & 0xc0 == 0x80) { column += 1 }
                i = bytes.index(after: i)
                continue
            }
            out.append(contentsOf: bytes[run..<i])
            put(c, t, into: &out)
            i = bytes.index(after: i)
            run = i
        }
        out.append(contentsOf: bytes[run..<i])
    }
}
