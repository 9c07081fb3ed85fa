// TextLayout.swift — how a line of bytes is drawn on a character terminal, for the pager and the
// editor: a tab advances to the next multiple of 8 columns (as a terminal's default tab stops,
// counted from the start of the line), a control byte is "^X" (DEL "^?"), a UTF-8 sequence (RFC
// 3629: a lead byte and its continuation bytes) is one column drawn as itself, and a byte that
// begins no valid sequence is "<XX>" in hex — what GNU less shows for it. Wide (East Asian)
// characters are counted as one column: there is no width table in the guest.

/// One thing drawn: the line's bytes `source ..< source + length`, `width` columns wide. A tab is
/// as many one-column glyphs as the spaces it stands for (so a row can break inside it).
public struct Glyph: Equatable {
    public var source: Int
    public var length: Int
    public var width: Int
}

public enum TextLayout {
    public static let tabWidth = 8

    /// The glyphs of `line`.
    public static func glyphs(_ line: ArraySlice<UInt8>) -> [Glyph] {
        var glyphs: [Glyph] = []
        glyphs.reserveCapacity(line.count)
        var column = 0
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            let index = i - line.startIndex
            if b == 0x09 {
                let n = tabWidth - column % tabWidth
                for _ in 0..<n { glyphs.append(Glyph(source: index, length: 1, width: 1)) }
                column += n
                i += 1
                continue
            }
            let length = sequenceLength(line, i)
            let width: Int
            if b < 0x20 || b == 0x7f { width = 2 } else if b >= 0x80 && length == 1 { width = 4 } else { width = 1 }
            glyphs.append(Glyph(source: index, length: length, width: width))
            column += width
            i += length
        }
        return glyphs
    }

    /// The length of the valid UTF-8 sequence at `i` (1 for ASCII and for a byte that begins none).
    static func sequenceLength(_ line: ArraySlice<UInt8>, _ i: Int) -> Int {
        let b = line[i]
        let n: Int
        if b < 0xc2 { return 1 } else if b < 0xe0 { n = 2 } else if b < 0xf0 { n = 3 } else if b < 0xf5 { n = 4 } else { return 1 }
        guard i + n <= line.endIndex else { return 1 }
        for k in 1..<n where line[i + k] & 0xc0 != 0x80 { return 1 }
        return n
    }

    /// Appends what `glyph` of `line` looks like.
    public static func draw(_ glyph: Glyph, of line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        let b = line[line.startIndex + glyph.source]
        if b == 0x09 { out.append(0x20); return }
        if b < 0x20 { out.append(UInt8(ascii: "^")); out.append(b + 0x40); return }
        if b == 0x7f { out.append(UInt8(ascii: "^")); out.append(UInt8(ascii: "?")); return }
        if b >= 0x80 && glyph.length == 1 {
            let hex = Array("0123456789ABCDEF".utf8)
            out.append(UInt8(ascii: "<")); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]); out.append(UInt8(ascii: ">"))
            return
        }
        let start = line.startIndex + glyph.source
        out.append(contentsOf: line[start ..< start + glyph.length])
    }

    /// The glyph ranges of the rows `glyphs` take on a screen `width` columns wide (at least one
    /// row, empty for an empty line). A glyph never straddles two rows.
    public static func rows(_ glyphs: [Glyph], width: Int) -> [Range<Int>] {
        let width = max(width, 4)
        var rows: [Range<Int>] = []
        var start = 0, used = 0
        for (i, g) in glyphs.enumerated() {
            if used + g.width > width {
                rows.append(start ..< i)
                start = i
                used = 0
            }
            used += g.width
        }
        rows.append(start ..< glyphs.count)
        return rows
    }

    /// The columns the glyphs before byte `index` of the line take (the cursor's column).
    public static func column(of index: Int, in glyphs: [Glyph]) -> Int {
        var column = 0
        for g in glyphs where g.source < index { column += g.width }
        return column
    }
}
