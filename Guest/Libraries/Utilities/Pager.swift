// Pager.swift — less and more as a screen model: the lines of the input (PagerLines), a window
// of `rows` x `columns`, the keys typed (TerminalKeys), and what the screen shows — as the bytes a
// VT100 is sent (`render`) and as plain text (`screenLines`, for the host's tests). No system
// calls: the guest programs (Guest/Programs/less, more) read the terminal and write `render()`.
//
// The keys are GNU less's (less(1) "COMMANDS"), with a count typed before a command (10j, 50g):
//   space f ^F ^V PageDown   forward a window      b ^B PageUp          back a window
//   d ^D                     forward half a window u ^U                 back half a window
//   j e ^E ^N Return Down    forward a row         k y ^Y ^P ^K Up      back a row
//   g < Home                 first line (Ng: line N)   G > End          last line (NG: line N)
//   /pattern ?pattern        search forward/back (POSIX extended regular expressions, as less)
//   n N                      repeat the search, same/other direction
//   Left Right               scroll sideways half a window (with -S, chopped lines)
//   :n :p                    next/previous file    = ^G                 where am I
//   r R ^L                   redraw                q Q :q ZZ            quit
// The screen: the lines (a long line wraps onto more rows unless -S chops it; -N numbers them),
// "~" past the end, and a status line: ":" (the file's name on the first screen), "(END)" when
// the end is shown, the search being typed, or a message. more's status is "--More--(N%)" and
// more quits once the end of its last file is on the screen. Matches of the last search are shown
// in reverse video.

public struct PagerOptions {
    /// -N: number the lines.
    public var lineNumbers = false
    /// -S: chop long lines instead of wrapping them.
    public var chop = false
    /// +N: start at line N (1-based).
    public var startLine: Int? = nil
    /// +/pattern: start at the first line matching it.
    public var startPattern: [UInt8]? = nil
    /// more's behaviour: quit at the end, "--More--" prompts.
    public var more = false
    public var files: [String] = []
    public init() {}

    /// Parses less's or more's arguments (the options this pager has): the options, or the
    /// message for an unknown one.
    public static func parse(_ arguments: [String], more: Bool) -> Result<PagerOptions, PagerError> {
        var o = PagerOptions()
        o.more = more
        var onlyFiles = false
        for a in arguments {
            if onlyFiles || a == "-" || !(a.hasPrefix("-") || a.hasPrefix("+")) { o.files.append(a); continue }
            if a == "--" { onlyFiles = true; continue }
            let body = Array(a.utf8.dropFirst())
            if a.hasPrefix("+") {
                if body.first == UInt8(ascii: "/") { o.startPattern = Array(body.dropFirst()); continue }
                if body.isEmpty { continue }
                var n = 0
                for b in body {
                    guard b >= 0x30 && b <= 0x39 else { return .failure(PagerError("bad start line: " + a)) }
                    n = min(n * 10 + Int(b - 0x30), Int(Int32.max))
                }
                o.startLine = max(n, 1)
                continue
            }
            for b in body {
                switch b {
                case UInt8(ascii: "N") where !more: o.lineNumbers = true
                case UInt8(ascii: "S") where !more: o.chop = true
                default:
                    return .failure(PagerError("invalid option -- '" + String(decoding: [b], as: UTF8.self) + "'"))
                }
            }
        }
        return .success(o)
    }
}

public struct PagerError: Error { public var message: String; public init(_ m: String) { message = m } }

public final class Pager {
    /// A position on the screen: a line, and which of its rows (when it wraps).
    public struct Position: Equatable { public var line: Int; public var row: Int }

    public let options: PagerOptions
    /// Opens a file by name (nil: standard input) as lines, and its size if known; or the message.
    public typealias Open = (String?) -> Result<(PagerLines, UInt64?), PagerError>
    let open: Open
    public private(set) var lines: PagerLines
    var size: UInt64?
    var fileIndex = 0
    public private(set) var rows: Int
    public private(set) var columns: Int
    public private(set) var top = Position(line: 0, row: 0)
    /// Columns scrolled sideways (chopped lines).
    var shift = 0
    var pattern: BasicRegex? = nil
    var patternText: [UInt8] = []
    var forward = true
    enum Prompt { case none, search(forward: Bool, text: [UInt8]), colon }
    var prompt = Prompt.none
    var count: Int? = nil
    var pendingZ = false
    var message: String? = nil
    var firstScreen = true
    public private(set) var finished = false

    /// A pager on the first of `options.files` (standard input when there are none). Nil with the
    /// message when the first file cannot be opened.
    public init(options: PagerOptions, rows: Int, columns: Int, open: @escaping Open) throws(PagerError) {
        self.options = options
        self.open = open
        self.rows = max(rows, 2)
        self.columns = max(columns, 8)
        let (l, s) = try open(options.files.first).get()
        lines = l
        size = s
        if let n = options.startLine { top = Position(line: n - 1, row: 0); clampToInput() }
        if let p = options.startPattern { search(p, forward: true, from: 0) }
        checkMoreEnd()
    }

    var contentRows: Int { rows - 1 }
    var numberWidth: Int { options.lineNumbers ? 8 : 0 }
    var textWidth: Int { max(columns - numberWidth, 4) }

    public func resize(rows: Int, columns: Int) {
        self.rows = max(rows, 2)
        self.columns = max(columns, 8)
        top.row = min(top.row, rowCount(top.line) - 1)
    }

    // MARK: rows

    func glyphRows(_ line: [UInt8]) -> [Range<Int>] {
        let glyphs = TextLayout.glyphs(line[...])
        if options.chop { return [0 ..< glyphs.count] }
        return TextLayout.rows(glyphs, width: textWidth)
    }

    func rowCount(_ index: Int) -> Int {
        guard let l = lines.line(index) else { return 1 }
        return options.chop ? 1 : glyphRows(l).count
    }

    func next(_ p: Position) -> Position? {
        if p.row + 1 < rowCount(p.line) { return Position(line: p.line, row: p.row + 1) }
        return lines.ensure(p.line + 1) ? Position(line: p.line + 1, row: 0) : nil
    }

    func previous(_ p: Position) -> Position? {
        if p.row > 0 { return Position(line: p.line, row: p.row - 1) }
        guard p.line - 1 >= lines.firstAvailable, lines.ensure(p.line - 1) else { return nil }
        return Position(line: p.line - 1, row: rowCount(p.line - 1) - 1)
    }

    /// Forward `n` rows, but not so far that the screen shows less than a window of input.
    func scrollForward(_ n: Int) {
        for _ in 0..<n {
            guard let p = next(top) else { break }
            top = p
        }
        fillWindow()
    }

    func scrollBack(_ n: Int) {
        for _ in 0..<n {
            guard let p = previous(top) else { break }
            top = p
        }
    }

    /// Moves the top back while the window shows past the end of the input.
    func fillWindow() {
        var shown = 1
        var p = top
        while shown < contentRows, let q = next(p) { p = q; shown += 1 }
        if shown < contentRows { scrollBack(contentRows - shown) }
    }

    /// A top beyond the input (a start line, a line number) becomes its last window.
    func clampToInput() {
        if top.line < lines.firstAvailable { top = Position(line: lines.firstAvailable, row: 0) }
        if !lines.ensure(top.line) {
            top = Position(line: max(lines.count - 1, lines.firstAvailable), row: 0)
            fillWindow()
        }
    }

    /// Whether the last row of the input is on the screen.
    public var atEnd: Bool {
        var shown = 1
        var p = top
        while shown < contentRows, let q = next(p) { p = q; shown += 1 }
        return next(p) == nil
    }

    // MARK: keys

    public func handle(_ key: Key) {
        message = nil
        switch prompt {
        case .search(let fwd, var text):
            switch key {
            case .byte(0x0d), .byte(0x0a):
                prompt = .none
                if text.isEmpty {
                    if pattern == nil { message = "No previous regular expression" } else { repeatSearch(sameDirection: true, fwd: fwd) }
                } else {
                    search(text, forward: fwd, from: fwd ? top.line + 1 : top.line - 1)
                }
            case .byte(0x7f), .byte(0x08):
                if text.isEmpty { prompt = .none } else { text.removeLast(); prompt = .search(forward: fwd, text: text) }
            case .byte(0x03), .byte(0x07), .escape: prompt = .none
            case .byte(0x15): prompt = .search(forward: fwd, text: [])
            case .byte(let b) where b >= 0x20 || b == 0x09:
                text.append(b); prompt = .search(forward: fwd, text: text)
            default: break
            }
            return
        case .colon:
            prompt = .none
            switch key {
            case .byte(UInt8(ascii: "n")): switchFile(by: 1)
            case .byte(UInt8(ascii: "p")): switchFile(by: -1)
            case .byte(UInt8(ascii: "q")), .byte(UInt8(ascii: "Q")): finished = true
            default: break
            }
            return
        case .none: break
        }
        if case .byte(let b) = key, b >= 0x30 && b <= 0x39 {
            count = min((count ?? 0) * 10 + Int(b - 0x30), 1_000_000_000)
            return
        }
        let n = count
        count = nil
        let z = pendingZ
        pendingZ = false
        let window = contentRows
        switch key {
        case .byte(UInt8(ascii: " ")), .byte(UInt8(ascii: "f")), .byte(0x06), .byte(0x16), .pageDown:
            if options.more && atEnd { switchFile(by: 1) } else { scrollForward(n ?? window) }
        case .byte(UInt8(ascii: "b")), .byte(0x02), .pageUp: scrollBack(n ?? window)
        case .byte(UInt8(ascii: "d")), .byte(0x04): scrollForward(n ?? window / 2)
        case .byte(UInt8(ascii: "u")), .byte(0x15): scrollBack(n ?? window / 2)
        case .byte(UInt8(ascii: "j")), .byte(UInt8(ascii: "e")), .byte(0x05), .byte(0x0e), .byte(0x0d), .byte(0x0a), .down:
            scrollForward(n ?? 1)
        case .byte(UInt8(ascii: "k")), .byte(UInt8(ascii: "y")), .byte(0x19), .byte(0x10), .byte(0x0b), .up:
            scrollBack(n ?? 1)
        case .byte(UInt8(ascii: "g")), .byte(UInt8(ascii: "<")), .home:
            top = Position(line: max((n ?? 1) - 1, lines.firstAvailable), row: 0)
            clampToInput()
        case .byte(UInt8(ascii: "G")), .byte(UInt8(ascii: ">")), .end:
            if let n {
                top = Position(line: n - 1, row: 0)
                clampToInput()
            } else {
                lines.readToEnd()
                top = Position(line: max(lines.count - 1, lines.firstAvailable), row: 0)
                top.row = rowCount(top.line) - 1
                fillWindow()
            }
        case .byte(UInt8(ascii: "/")): prompt = .search(forward: true, text: [])
        case .byte(UInt8(ascii: "?")): prompt = .search(forward: false, text: [])
        case .byte(UInt8(ascii: "n")): repeatSearch(sameDirection: true, fwd: forward)
        case .byte(UInt8(ascii: "N")): repeatSearch(sameDirection: false, fwd: forward)
        case .right where options.chop: shift += max(columns / 2, 1)
        case .left where options.chop: shift = max(shift - max(columns / 2, 1), 0)
        case .byte(UInt8(ascii: ":")): prompt = .colon
        case .byte(UInt8(ascii: "=")), .byte(0x07): message = whereAmI()
        case .byte(UInt8(ascii: "q")), .byte(UInt8(ascii: "Q")): finished = true
        case .byte(UInt8(ascii: "Z")):
            if z { finished = true } else { pendingZ = true }
        case .byte(UInt8(ascii: "h")), .byte(UInt8(ascii: "H")):
            message = "SPACE f b d u j k g G /pat ?pat n N :n :p = q"
        default: break
        }
        firstScreen = false
        checkMoreEnd()
    }

    /// more: the end of the last file on the screen ends it.
    func checkMoreEnd() {
        if options.more && fileIndex >= options.files.count - 1 && atEnd { finished = true }
    }

    func whereAmI() -> String {
        let name = fileIndex < options.files.count ? options.files[fileIndex] : "Standard input"
        var text = name + " line \(top.line + 1)"
        if lines.complete { text += "/\(lines.count)" }
        if options.files.count > 1 { text += " (file \(fileIndex + 1) of \(options.files.count))" }
        return text
    }

    func switchFile(by delta: Int) {
        let target = fileIndex + delta
        guard target >= 0 && target < options.files.count else {
            message = delta > 0 ? "No next file" : "No previous file"
            return
        }
        switch open(options.files[target]) {
        case .failure(let e): message = e.message
        case .success(let (l, s)):
            lines = l; size = s; fileIndex = target
            top = Position(line: 0, row: 0)
            shift = 0
            firstScreen = true
        }
    }

    // MARK: search

    func search(_ text: [UInt8], forward fwd: Bool, from start: Int) {
        switch BasicRegex.compile(text, extended: true, dialect: .grep) {
        case .failure(let e): message = e.message; return
        case .success(let r): pattern = r
        }
        patternText = text
        forward = fwd
        find(fwd, from: start)
    }

    func repeatSearch(sameDirection: Bool, fwd: Bool) {
        guard pattern != nil else { message = "No previous regular expression"; return }
        let direction = sameDirection ? fwd : !fwd
        find(direction, from: direction ? top.line + 1 : top.line - 1)
    }

    func find(_ fwd: Bool, from start: Int) {
        guard let pattern else { return }
        var i = max(start, lines.firstAvailable)
        if !fwd && start < lines.firstAvailable { message = "Pattern not found"; return }
        while let l = lines.line(i) {
            if pattern.firstMatch(l) != nil {
                top = Position(line: i, row: 0)
                return
            }
            if fwd { i += 1 } else { i -= 1; if i < lines.firstAvailable { break } }
        }
        message = "Pattern not found"
    }

    /// The byte ranges of `line` the last search matches (drawn in reverse video).
    func matches(_ line: [UInt8]) -> [Range<Int>] {
        guard let pattern else { return [] }
        var found: [Range<Int>] = []
        var from = 0
        while from <= line.count, let m = pattern.firstMatch(line, from: from), let r = m.groups[0] {
            if !r.isEmpty { found.append(r) }
            from = max(r.upperBound, r.lowerBound + 1)
        }
        return found
    }

    // MARK: drawing

    /// The window's rows: plain text and the bytes with the terminal's attributes.
    func drawRows() -> [(plain: [UInt8], styled: [UInt8])] {
        var out: [(plain: [UInt8], styled: [UInt8])] = []
        var p: Position? = top
        while out.count < contentRows {
            guard let position = p, let line = lines.line(position.line) else {
                out.append(([UInt8(ascii: "~")], [UInt8(ascii: "~")]))
                continue
            }
            let glyphs = TextLayout.glyphs(line[...])
            let rowRanges = options.chop ? [0 ..< glyphs.count] : TextLayout.rows(glyphs, width: textWidth)
            let found = matches(line)
            var row = position.row
            while row < rowRanges.count && out.count < contentRows {
                var plain: [UInt8] = []
                var styled: [UInt8] = []
                if options.lineNumbers {
                    let number = row == 0 ? padded(position.line + 1, width: 7) + [0x20] : [UInt8](repeating: 0x20, count: 8)
                    plain += number; styled += number
                }
                var used = 0, skipped = 0
                var inverse = false
                for g in glyphs[rowRanges[row]] {
                    if options.chop && skipped < shift { skipped += g.width; continue }
                    if used + g.width > textWidth { break }
                    let hit = found.contains { $0.contains(g.source) }
                    if hit != inverse { styled += hit ? [0x1b, 0x5b, 0x37, 0x6d] : [0x1b, 0x5b, 0x30, 0x6d]; inverse = hit }
                    TextLayout.draw(g, of: line[...], into: &plain)
                    TextLayout.draw(g, of: line[...], into: &styled)
                    used += g.width
                }
                if inverse { styled += [0x1b, 0x5b, 0x30, 0x6d] }
                out.append((plain, styled))
                row += 1
            }
            p = lines.ensure(position.line + 1) ? Position(line: position.line + 1, row: 0) : nil
        }
        return out
    }

    /// The status line's text, and whether it is shown in reverse video; the cursor stays after it.
    func status() -> (String, Bool) {
        if finished { return ("", false) }
        switch prompt {
        case .search(let fwd, let text): return ((fwd ? "/" : "?") + String(decoding: text, as: UTF8.self), false)
        case .colon: return (":", false)
        case .none: break
        }
        if let message { return (message, true) }
        let end = atEnd
        let nextName = fileIndex + 1 < options.files.count ? options.files[fileIndex + 1] : nil
        if options.more {
            if end, let nextName { return ("--More--(Next file: " + nextName + ")", true) }
            if let size, size > 0, let bottom = bottomLine(), let offset = lines.offset(ofLine: bottom + 1) {
                return ("--More--(\(min(offset * 100 / size, 100))%)", true)
            }
            return ("--More--", true)
        }
        if end {
            if let nextName { return ("(END) - Next: " + nextName, true) }
            return ("(END)", true)
        }
        if firstScreen, fileIndex < options.files.count { return (options.files[fileIndex], true) }
        return (":", false)
    }

    func bottomLine() -> Int? {
        var shown = 1
        var p = top
        while shown < contentRows, let q = next(p) { p = q; shown += 1 }
        return p.line
    }

    /// What the screen shows, one string a row; the last is the status line.
    public func screenLines() -> [String] {
        drawRows().map { String(decoding: $0.plain, as: UTF8.self) } + [status().0]
    }

    /// The whole screen for a VT100: each row drawn at its place (CUP, ECMA-48 8.3.21) and the
    /// rest of it erased (EL, 8.3.41), reverse video by SGR 7 (8.3.117); the cursor ends after
    /// the status line.
    public func render() -> [UInt8] {
        var out: [UInt8] = []
        for (i, row) in drawRows().enumerated() {
            out += Array("\u{1b}[\(i + 1);1H".utf8) + row.styled + [0x1b, 0x5b, 0x4b]
        }
        let (text, inverse) = status()
        out += Array("\u{1b}[\(rows);1H".utf8)
        if inverse { out += [0x1b, 0x5b, 0x37, 0x6d] }
        out += Array(text.utf8.prefix(columns - 1))
        if inverse { out += [0x1b, 0x5b, 0x30, 0x6d] }
        out += [0x1b, 0x5b, 0x4b]
        return out
    }
}
