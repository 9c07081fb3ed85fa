// EditorBuffer.swift — the editor's text: the file's bytes as lines split at each newline, as GNU
// nano keeps them. The text after the last newline is the last line, so "a\nb" is ["a", "b"],
// "a\nb\n" is ["a", "b", ""] (the empty last line is where text typed after the final newline
// goes) and "" is [""]. Joining the lines with newlines gives the bytes back exactly: a file
// opened and saved unchanged is byte-identical, with or without a final newline, whatever its
// bytes (NUL, CR, invalid UTF-8) and line lengths.

public struct EditorBuffer: Equatable {
    public private(set) var lines: [[UInt8]]

    public init(bytes: [UInt8]) {
        var lines: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0a {
            lines.append(Array(bytes[start..<i]))
            start = i + 1
        }
        lines.append(Array(bytes[start...]))
        self.lines = lines
    }

    /// The file's bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for (i, l) in lines.enumerated() {
            if i > 0 { out.append(0x0a) }
            out += l
        }
        return out
    }

    public var count: Int { lines.count }
    public subscript(_ i: Int) -> [UInt8] { lines[i] }

    /// Lines as nano counts them when it writes a file: the empty line after a final newline is
    /// not one.
    public var writtenLines: Int { lines.last!.isEmpty ? lines.count - 1 : lines.count }

    public mutating func insert(_ b: UInt8, line: Int, at index: Int) { lines[line].insert(b, at: index) }

    /// Deletes the bytes `range` of `line`.
    public mutating func delete(line: Int, _ range: Range<Int>) { lines[line].removeSubrange(range) }

    /// Breaks `line` at `index`: the rest becomes the next line.
    public mutating func split(line: Int, at index: Int) {
        let rest = Array(lines[line][index...])
        lines[line].removeSubrange(index...)
        lines.insert(rest, at: line + 1)
    }

    /// Appends line `line + 1` to `line` (deleting the newline between them).
    public mutating func join(line: Int) {
        guard line + 1 < lines.count else { return }
        lines[line] += lines.remove(at: line + 1)
    }

    /// Takes `line` out; the buffer never becomes empty (the last line cut leaves an empty one).
    public mutating func remove(line: Int) -> [UInt8] {
        let l = lines.remove(at: line)
        if lines.isEmpty { lines = [[]] }
        return l
    }

    public mutating func insert(lines new: [[UInt8]], before line: Int) { lines.insert(contentsOf: new, at: line) }

    /// Ends the text with a newline (a new file's last line typed without one), as nano does.
    public mutating func endWithNewline() { if !lines.last!.isEmpty { lines.append([]) } }
}
