// Editor.swift — a nano-style full-screen editor as a model: an EditorBuffer, a cursor, a window
// of `rows` x `columns`, the keys typed (TerminalKeys), and the screen as VT100 bytes (`render`)
// and as plain text (`screenLines`, for the host's tests). Saving goes through the `save` closure
// the program gives (the guest writes a temporary file and renames it over the old one). No
// system calls here.
//
// nano-style because its shortcuts are on the screen (the two bottom rows), which suits someone
// at a serial console who has never seen it. The screen (GNU nano's): a title bar, the text (a
// line wider than the window is shown from its start with ">" in the last column; the cursor's
// line scrolls sideways in steps, "<" in the first column then), a status bar for messages and
// prompts, and the shortcuts:
//   ^G help      ^O write out (asks the name)  ^S save     ^X exit (asks to save a changed text)
//   ^W search (plain text, forward, wraps at the end; an empty answer repeats the last)
//   ^K cut the line (successive cuts collect)   ^U paste the lines cut, above the cursor's line
//   ^C where the cursor is   ^L redraw
//   arrows, ^B ^F ^P ^N; Home/End, ^A ^E; PageUp/PageDown, ^Y ^V; Backspace, Delete, ^D; Return
//   splits the line; Backspace at a line's start and Delete at its end join lines; Tab inserts a tab.
// At a prompt: Return answers, ^C cancels, Backspace erases; "Save modified buffer?" takes Y or N.

public final class Editor {
    public typealias Save = (String, [UInt8]) -> Result<Void, SystemError>
    let save: Save
    public private(set) var buffer: EditorBuffer
    public private(set) var path: String
    /// A file that did not exist: its text gets a final newline when written, as nano gives one.
    let newFile: Bool
    public private(set) var modified = false
    public private(set) var line = 0
    /// The cursor: a byte index into its line (never inside a UTF-8 sequence).
    public private(set) var index = 0
    /// The column up and down aim for (the one the cursor was last put at).
    var wantedColumn = 0
    var topLine = 0
    public private(set) var rows: Int
    public private(set) var columns: Int
    var cut: [[UInt8]] = []
    var lastKeyCut = false
    var lastSearch: [UInt8] = []
    enum Prompt: Equatable { case none, search([UInt8]), writeName([UInt8], exitAfter: Bool), saveChanges }
    var prompt = Prompt.none
    public private(set) var message: String? = nil
    public private(set) var finished = false

    public init(path: String, contents: [UInt8]?, rows: Int, columns: Int, save: @escaping Save) {
        self.path = path
        self.save = save
        self.newFile = contents == nil
        buffer = EditorBuffer(bytes: contents ?? [])
        self.rows = max(rows, 6)
        self.columns = max(columns, 20)
        if contents == nil { message = "New File" } else { message = "Read \(buffer.writtenLines) line" + (buffer.writtenLines == 1 ? "" : "s") }
    }

    public func resize(rows: Int, columns: Int) {
        self.rows = max(rows, 6)
        self.columns = max(columns, 20)
        scrollToCursor()
    }

    var textRows: Int { rows - 4 }
    var currentLine: [UInt8] { buffer[line] }

    // MARK: keys

    public func handle(_ key: Key) {
        if prompt != .none { answer(key); return }
        message = nil
        var cutting = false
        switch key {
        case .up, .byte(0x10): moveVertically(-1)
        case .down, .byte(0x0e): moveVertically(1)
        case .left, .byte(0x02): moveLeft()
        case .right, .byte(0x06): moveRight()
        case .home, .byte(0x01): index = 0; wantedColumn = 0
        case .end, .byte(0x05): index = currentLine.count; remember()
        case .pageUp, .byte(0x19): page(-1)
        case .pageDown, .byte(0x16): page(1)
        case .byte(0x0d), .byte(0x0a):
            buffer.split(line: line, at: index); line += 1; index = 0; wantedColumn = 0; changed()
        case .byte(0x7f), .byte(0x08):
            if index > 0 {
                let start = previousIndex()
                buffer.delete(line: line, start ..< index); index = start; changed()
            } else if line > 0 {
                index = buffer[line - 1].count; line -= 1; buffer.join(line: line); changed()
            }
            remember()
        case .delete, .byte(0x04):
            if index < currentLine.count {
                buffer.delete(line: line, index ..< nextIndex()); changed()
            } else if line + 1 < buffer.count {
                buffer.join(line: line); changed()
            }
        case .byte(0x0b):
            cutLine(); cutting = true
        case .byte(0x15): paste()
        case .byte(0x17): prompt = .search([])
        case .byte(0x0f): prompt = .writeName(Array(path.utf8), exitAfter: false)
        case .byte(0x13): write(path, exitAfter: false)
        case .byte(0x18):
            if modified { prompt = .saveChanges } else { finished = true }
        case .byte(0x03): message = position()
        case .byte(0x07): message = "^O write  ^S save  ^X exit  ^W search  ^K cut line  ^U paste  ^C position"
        case .byte(0x0c), .escape, .insert: break
        case .byte(let b) where b >= 0x20 || b == 0x09:
            buffer.insert(b, line: line, at: index); index += 1; changed(); remember()
        default: break
        }
        lastKeyCut = cutting
        scrollToCursor()
    }

    func answer(_ key: Key) {
        switch prompt {
        case .none: return
        case .saveChanges:
            switch key {
            case .byte(UInt8(ascii: "y")), .byte(UInt8(ascii: "Y")): prompt = .writeName(Array(path.utf8), exitAfter: true)
            case .byte(UInt8(ascii: "n")), .byte(UInt8(ascii: "N")): prompt = .none; finished = true
            case .byte(0x03): prompt = .none; message = "Cancelled"
            default: break
            }
        case .search(var text):
            switch key {
            case .byte(0x0d), .byte(0x0a):
                prompt = .none
                if !text.isEmpty { lastSearch = text }
                if lastSearch.isEmpty { message = "Cancelled" } else { search(lastSearch) }
            case .byte(0x03): prompt = .none; message = "Cancelled"
            case .byte(0x7f), .byte(0x08): if !text.isEmpty { text.removeLast() }; prompt = .search(text)
            case .byte(let b) where b >= 0x20 || b == 0x09: text.append(b); prompt = .search(text)
            default: break
            }
        case .writeName(var text, let exitAfter):
            switch key {
            case .byte(0x0d), .byte(0x0a):
                prompt = .none
                if text.isEmpty { message = "Cancelled"; return }
                write(String(decoding: text, as: UTF8.self), exitAfter: exitAfter)
            case .byte(0x03): prompt = .none; message = "Cancelled"
            case .byte(0x7f), .byte(0x08): if !text.isEmpty { text.removeLast() }; prompt = .writeName(text, exitAfter: exitAfter)
            case .byte(let b) where b >= 0x20: text.append(b); prompt = .writeName(text, exitAfter: exitAfter)
            default: break
            }
        }
        scrollToCursor()
    }

    func changed() { modified = true }

    func remember() { wantedColumn = TextLayout.column(of: index, in: TextLayout.glyphs(currentLine[...])) }

    /// The index of the character before the cursor (a UTF-8 sequence is one).
    func previousIndex() -> Int {
        var i = index - 1
        while i > 0 && currentLine[i] & 0xc0 == 0x80 && index - i < 4 { i -= 1 }
        return TextLayout.sequenceLength(currentLine[...], i) == index - i ? i : index - 1
    }

    func nextIndex() -> Int { index + TextLayout.sequenceLength(currentLine[...], index) }

    func moveLeft() {
        if index > 0 { index = previousIndex() } else if line > 0 { line -= 1; index = currentLine.count }
        remember()
    }

    func moveRight() {
        if index < currentLine.count { index = nextIndex() } else if line + 1 < buffer.count { line += 1; index = 0 }
        remember()
    }

    func moveVertically(_ delta: Int) {
        let target = line + delta
        guard target >= 0 && target < buffer.count else { return }
        line = target
        placeAtWantedColumn()
    }

    func placeAtWantedColumn() {
        let glyphs = TextLayout.glyphs(currentLine[...])
        var column = 0
        index = currentLine.count
        for g in glyphs {
            if column + g.width > wantedColumn { index = g.source; break }
            column += g.width
        }
    }

    func page(_ direction: Int) {
        let step = max(textRows - 2, 1)
        line = min(max(line + direction * step, 0), buffer.count - 1)
        topLine = min(max(topLine + direction * step, 0), max(buffer.count - 1, 0))
        placeAtWantedColumn()
    }

    func cutLine() {
        if !lastKeyCut { cut = [] }
        if line == buffer.count - 1 {
            // the last line: its text goes, the (empty) line stays — nothing to cut on an empty one
            guard !currentLine.isEmpty else { return }
            cut.append(currentLine)
            buffer.delete(line: line, 0 ..< currentLine.count)
        } else {
            cut.append(buffer.remove(line: line))
        }
        index = 0; wantedColumn = 0
        changed()
    }

    func paste() {
        guard !cut.isEmpty else { return }
        buffer.insert(lines: cut, before: line)
        line += cut.count
        index = 0; wantedColumn = 0
        changed()
    }

    /// Forward from after the cursor, wrapping around to the start (nano's ^W).
    func search(_ needle: [UInt8]) {
        func find(_ l: [UInt8], from: Int, to end: Int) -> Int? {
            guard needle.count <= l.count else { return nil }
            var i = from
            while i + needle.count <= l.count && i <= end {
                if l[i] == needle[0] && l[i ..< i + needle.count].elementsEqual(needle) { return i }
                i += 1
            }
            return nil
        }
        if let i = find(currentLine, from: index + 1, to: Int.max) { index = i; remember(); return }
        var k = 1
        while k <= buffer.count {
            let l = (line + k) % buffer.count
            if l == line {
                // around to the cursor's own line: its start, up to the cursor
                if let i = find(currentLine, from: 0, to: index) {
                    if i == index { message = "This is the only occurrence" }
                    index = i; remember()
                    return
                }
                break
            }
            if let i = find(buffer[l], from: 0, to: Int.max) {
                if l < line { message = "Search Wrapped" }
                line = l; index = i; remember()
                return
            }
            k += 1
        }
        message = "\"" + String(decoding: needle, as: UTF8.self) + "\" not found"
    }

    func write(_ name: String, exitAfter: Bool) {
        var text = buffer
        if newFile { text.endWithNewline() }
        switch save(name, text.bytes) {
        case .failure(let e):
            message = "Error writing " + name + ": " + e.message
        case .success:
            if text != buffer { buffer = text }
            path = name
            modified = false
            message = "Wrote \(buffer.writtenLines) line" + (buffer.writtenLines == 1 ? "" : "s")
            if exitAfter { finished = true }
        }
    }

    func position() -> String {
        let column = TextLayout.column(of: index, in: TextLayout.glyphs(currentLine[...])) + 1
        let width = TextLayout.column(of: Int.max, in: TextLayout.glyphs(currentLine[...])) + 1
        return "line \(line + 1)/\(buffer.count), col \(column)/\(width)"
    }

    func scrollToCursor() {
        if line < topLine { topLine = line }
        if line >= topLine + textRows { topLine = line - textRows + 1 }
        if topLine > line { topLine = line }
    }

    // MARK: drawing

    /// The first column shown of `glyphs`: 0, or for the cursor's line far enough right that the
    /// cursor is on the screen (nano's steps: the window less 8 columns).
    func firstColumn(cursorColumn x: Int) -> Int {
        let w = columns
        if x < w - 1 { return 0 }
        let step = max(w - 8, 1)
        return ((x - (w - 1)) / step + 1) * step
    }

    /// Row `k` of the text area (plain), and the cursor's column if it is on that row.
    func textRow(_ k: Int) -> ([UInt8], Int?) {
        let n = topLine + k
        guard n < buffer.count else { return ([], nil) }
        let l = buffer[n]
        let glyphs = TextLayout.glyphs(l[...])
        let cursorColumn = n == line ? TextLayout.column(of: index, in: glyphs) : nil
        let start = cursorColumn.map { firstColumn(cursorColumn: $0) } ?? 0
        var out: [UInt8] = []
        var column = 0, used = 0
        if start > 0 { out.append(UInt8(ascii: "<")); used = 1 }
        for (gi, g) in glyphs.enumerated() {
            defer { column += g.width }
            if column < start + used { continue }
            let last = gi == glyphs.count - 1
            if used + g.width > columns - (last ? 0 : 1) {
                out += [UInt8](repeating: 0x20, count: max(columns - 1 - used, 0))
                out.append(UInt8(ascii: ">"))
                break
            }
            TextLayout.draw(g, of: l[...], into: &out)
            used += g.width
        }
        return (out, cursorColumn.map { $0 - start })
    }

    var title: String {
        let name = path.isEmpty ? "New Buffer" : path
        let left = "  swiftvm nano"
        let right = modified ? "Modified  " : ""
        let middle = max(columns - left.utf8.count - right.utf8.count, name.utf8.count + 2)
        let pad = (middle - name.utf8.count) / 2
        return left + String(repeating: " ", count: pad) + name + String(repeating: " ", count: middle - pad - name.utf8.count) + right
    }

    static let shortcuts = [[("^G", "Help"), ("^O", "Write Out"), ("^W", "Where Is"), ("^K", "Cut"), ("^C", "Location")],
                            [("^X", "Exit"), ("^S", "Save"), ("^U", "Paste"), ("^Y", "Prev Page"), ("^V", "Next Page")]]

    /// The status bar: a prompt (and where the cursor goes in it) or a message.
    func statusBar() -> (String, Int?) {
        switch prompt {
        case .search(let t):
            let last = lastSearch.isEmpty ? "" : " [" + String(decoding: lastSearch, as: UTF8.self) + "]"
            let p = "Search" + last + ": " + String(decoding: t, as: UTF8.self)
            return (p, p.utf8.count)
        case .writeName(let t, _):
            let p = "File Name to Write: " + String(decoding: t, as: UTF8.self)
            return (p, p.utf8.count)
        case .saveChanges:
            let p = "Save modified buffer?  Y Yes  N No  ^C Cancel"
            return (p, p.utf8.count)
        case .none:
            guard let message else { return ("", nil) }
            let m = "[ " + message + " ]"
            let pad = max((columns - m.utf8.count) / 2, 0)
            return (String(repeating: " ", count: pad) + m, nil)
        }
    }

    /// What the screen shows, one string a row.
    public func screenLines() -> [String] {
        var out = [title]
        for k in 0..<textRows { out.append(String(decoding: textRow(k).0, as: UTF8.self)) }
        out.append(statusBar().0)
        for row in Editor.shortcuts { out.append(row.map { $0.0 + " " + $0.1 }.joined(separator: "  ")) }
        return out
    }

    /// The whole screen for a VT100 (CUP, EL, SGR 7 as in Pager.render), the cursor left where
    /// the next key acts.
    public func render() -> [UInt8] {
        let esc: [UInt8] = [0x1b, 0x5b]
        func at(_ row: Int, _ column: Int) -> [UInt8] { Array("\u{1b}[\(row);\(column)H".utf8) }
        var out: [UInt8] = []
        out += at(1, 1) + esc + [0x37, 0x6d] + Array(title.utf8.prefix(columns)) + esc + [0x4b] + esc + [0x30, 0x6d]
        var cursor = (row: 2, column: 1)
        for k in 0..<textRows {
            let (text, c) = textRow(k)
            out += at(k + 2, 1) + text + esc + [0x4b]
            if let c { cursor = (k + 2, c + 1) }
        }
        let (bar, promptColumn) = statusBar()
        out += at(rows - 2, 1)
        if !bar.isEmpty { out += esc + [0x37, 0x6d] + Array(bar.utf8.prefix(columns)) + esc + [0x30, 0x6d] }
        out += esc + [0x4b]
        for (r, row) in Editor.shortcuts.enumerated() {
            out += at(rows - 1 + r, 1)
            var used = 0
            for (key, label) in row {
                let cell = key.utf8.count + 1 + label.utf8.count + 2
                guard used + cell <= columns else { break }
                out += esc + [0x37, 0x6d] + Array(key.utf8) + esc + [0x30, 0x6d] + Array((" " + label + "  ").utf8)
                used += cell
            }
            out += esc + [0x4b]
        }
        if let promptColumn { cursor = (rows - 2, min(promptColumn + 1, columns)) }
        out += at(cursor.row, cursor.column)
        return out
    }
}
