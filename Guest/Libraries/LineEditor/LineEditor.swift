// LineEditor.swift — the interactive shell's line editor: key bytes in, the line being edited and
// the bytes that redraw it out. Pure Swift with no system calls (the shell reads the terminal and
// writes the output), so the host tests drive it byte by byte.
//
// Output assumes only what every terminal the shell meets does (a VT100 / ECMA-48 subset): BS
// (0x08) moves the cursor one column left without erasing, printing a character moves it right,
// "\n" starts a new line (the terminal's output processing, OPOST/ONLCR, adds the CR), and
// ESC [ H ESC [ 2 J clears the screen (Ctrl-L). Keys are the VT100/xterm sequences: ESC [ A…D
// (arrows), ESC [ H / ESC [ F / ESC O H / ESC O F / ESC [ 1 ~ / ESC [ 4 ~ / ESC [ 7 ~ / ESC [ 8 ~
// (Home, End), ESC [ 3 ~ (Delete), and the emacs-style control keys of readline and dash's
// libedit: Ctrl-A/E (home/end), Ctrl-B/F (left/right), Ctrl-P/N (history), Ctrl-K/U/W (kill to
// the end, to the start, the word before the cursor), Ctrl-L (clear screen), Ctrl-D (end of input
// on an empty line, else delete), Ctrl-C (drop the line).
//
// A character is a UTF-8 sequence: the cursor moves over a lead byte and its continuation bytes
// (10xxxxxx) together, and each character is taken to be one column wide.

public struct LineEditor {
    /// What a key did to the line.
    public enum Event: Equatable {
        /// Still editing.
        case editing
        /// Enter: the line (without its newline).
        case accepted([UInt8])
        /// Ctrl-D on an empty line: the user is done.
        case endOfInput
        /// Ctrl-C: the line was dropped.
        case interrupted
    }

    /// Completion candidates for `word` (the text from the start of the word to the cursor);
    /// `command` is true where a command name goes (the first word, or after ; | & ( ).
    /// Directories end in "/". The shell supplies this (PATH, builtins, file names).
    public typealias Completer = (_ word: [UInt8], _ command: Bool) -> [[UInt8]]

    public private(set) var buffer: [UInt8] = []
    /// Byte offset of the cursor in `buffer` (always at a character boundary).
    public private(set) var cursor = 0
    public private(set) var history: [[UInt8]] = []
    public var historyLimit: Int
    /// The prompt shown for the line (redrawn after Ctrl-L and a completion listing).
    public private(set) var prompt: [UInt8] = []
    public var completer: Completer?

    /// Index into history of the line shown; history.count is the line being typed.
    var shown = 0
    /// The line being typed, kept while browsing the history.
    var draft: [UInt8] = []
    /// An escape sequence read so far (ESC included).
    var escape: [UInt8] = []
    /// A CR accepted the line: a following LF (a terminal sending CR LF) is not a second Enter.
    /// Only within one line: `start` forgets it, because an Enter typed ahead while a command ran
    /// reaches the next prompt as LF (the terminal was in canonical mode, with ICRNL), and
    /// swallowing it left the shell waiting for an Enter the user had already typed.
    var lastWasCR = false

    public init(historyLimit: Int = 500, completer: Completer? = nil) {
        self.historyLimit = max(historyLimit, 1)
        self.completer = completer
    }

    /// Starts a new line after `prompt`; returns the bytes to write (the prompt).
    public mutating func start(prompt: [UInt8]) -> [UInt8] {
        self.prompt = prompt
        buffer = []
        cursor = 0
        shown = history.count
        draft = []
        escape = []
        lastWasCR = false
        return prompt
    }

    /// Adds a line to the history (not an empty one, not a repeat of the last), dropping the
    /// oldest past the limit.
    public mutating func remember(_ line: [UInt8]) {
        guard !line.isEmpty, history.last != line else { return }
        history.append(line)
        if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        shown = history.count
    }

    /// Handles one input byte; the bytes that show its effect are appended to `output`.
    public mutating func feed(_ byte: UInt8, output: inout [UInt8]) -> Event {
        if !escape.isEmpty || byte == 0x1b {
            escapeByte(byte, &output)
            return .editing
        }
        if byte == 0x0a && lastWasCR { lastWasCR = false; return .editing }
        lastWasCR = byte == 0x0d
        switch byte {
        case 0x0d, 0x0a:                                    // Enter
            output.append(0x0a)
            let line = buffer
            remember(line)
            buffer = []
            cursor = 0
            return .accepted(line)
        case 0x03:                                          // Ctrl-C
            output += Array("^C\n".utf8)
            buffer = []
            cursor = 0
            return .interrupted
        case 0x04:                                          // Ctrl-D
            if buffer.isEmpty { return .endOfInput }
            deleteForward(&output)
        case 0x01: moveTo(0, &output)                        // Ctrl-A
        case 0x05: moveTo(buffer.count, &output)             // Ctrl-E
        case 0x02: moveTo(previousBoundary(cursor), &output) // Ctrl-B
        case 0x06: moveTo(nextBoundary(cursor), &output)     // Ctrl-F
        case 0x10: historyStep(-1, &output)                  // Ctrl-P
        case 0x0e: historyStep(1, &output)                   // Ctrl-N
        case 0x08, 0x7f:                                     // Backspace (BS or DEL)
            guard cursor > 0 else { break }
            let from = previousBoundary(cursor)
            moveTo(from, &output)
            remove(from..<nextBoundary(from), &output)
        case 0x0b: remove(cursor..<buffer.count, &output)    // Ctrl-K
        case 0x15:                                           // Ctrl-U
            let end = cursor
            moveTo(0, &output)
            remove(0..<end, &output)
        case 0x17:                                           // Ctrl-W: the word before the cursor
            var from = cursor
            while from > 0 && isBlank(buffer[from - 1]) { from -= 1 }
            while from > 0 && !isBlank(buffer[from - 1]) { from -= 1 }
            let end = cursor
            moveTo(from, &output)
            remove(from..<end, &output)
        case 0x0c:                                           // Ctrl-L
            output += [0x1b, 0x5b, 0x48, 0x1b, 0x5b, 0x32, 0x4a]
            redrawLine(&output)
        case 0x09: complete(&output)                         // Tab
        default:
            // Printable bytes (and UTF-8 bytes) go in; other control bytes are ignored.
            guard byte >= 0x20 else { break }
            insert([byte], &output)
        }
        return .editing
    }

    // MARK: editing primitives (each keeps the screen in step with the buffer)

    func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    func isContinuation(_ b: UInt8) -> Bool { b & 0xc0 == 0x80 }

    func previousBoundary(_ i: Int) -> Int {
        var j = max(i - 1, 0)
        while j > 0 && isContinuation(buffer[j]) { j -= 1 }
        return j
    }
    func nextBoundary(_ i: Int) -> Int {
        var j = min(i + 1, buffer.count)
        while j < buffer.count && isContinuation(buffer[j]) { j += 1 }
        return j
    }
    /// Columns taken by bytes a..<b of the buffer (one per character).
    func columns(_ a: Int, _ b: Int) -> Int {
        guard a < b else { return 0 }
        return buffer[a..<b].reduce(0) { $0 + (isContinuation($1) ? 0 : 1) }
    }

    mutating func moveTo(_ target: Int, _ output: inout [UInt8]) {
        if target < cursor {
            output += [UInt8](repeating: 0x08, count: columns(target, cursor))
        } else if target > cursor {
            output += buffer[cursor..<target]
        }
        cursor = target
    }

    /// Inserts at the cursor, redrawing what follows it.
    mutating func insert(_ bytes: [UInt8], _ output: inout [UInt8]) {
        buffer.insert(contentsOf: bytes, at: cursor)
        output += bytes
        cursor += bytes.count
        let tail = columns(cursor, buffer.count)
        if tail > 0 {
            output += buffer[cursor...]
            output += [UInt8](repeating: 0x08, count: tail)
        }
    }

    /// Removes `range` (which starts at the cursor), redrawing the rest and blanking the columns freed.
    mutating func remove(_ range: Range<Int>, _ output: inout [UInt8]) {
        guard !range.isEmpty else { return }
        let freed = columns(range.lowerBound, range.upperBound)
        buffer.removeSubrange(range)
        let tail = columns(cursor, buffer.count)
        output += buffer[cursor...]
        output += [UInt8](repeating: 0x20, count: freed)
        output += [UInt8](repeating: 0x08, count: tail + freed)
    }

    mutating func deleteForward(_ output: inout [UInt8]) {
        guard cursor < buffer.count else { return }
        remove(cursor..<nextBoundary(cursor), &output)
    }

    /// Replaces the whole line (history recall), erasing what was longer.
    mutating func replaceLine(_ line: [UInt8], _ output: inout [UInt8]) {
        moveTo(0, &output)
        let old = columns(0, buffer.count)
        buffer = line
        output += buffer
        cursor = buffer.count
        let new = columns(0, buffer.count)
        if old > new {
            output += [UInt8](repeating: 0x20, count: old - new)
            output += [UInt8](repeating: 0x08, count: old - new)
        }
    }

    /// The prompt and the line again, the cursor where it was.
    func redrawLine(_ output: inout [UInt8]) {
        output += prompt
        output += buffer
        output += [UInt8](repeating: 0x08, count: columns(cursor, buffer.count))
    }

    mutating func historyStep(_ step: Int, _ output: inout [UInt8]) {
        let target = shown + step
        guard target >= 0 && target <= history.count else { return }
        if shown == history.count { draft = buffer }
        shown = target
        replaceLine(target == history.count ? draft : history[target], &output)
    }

    // MARK: escape sequences

    mutating func escapeByte(_ byte: UInt8, _ output: inout [UInt8]) {
        // A runaway parameter list is not stored past 8 bytes, but still read to its final byte.
        if escape.count < 8 || !(byte >= 0x30 && byte <= 0x3f) { escape.append(byte) }
        if escape.count == 1 { return }
        if escape.count == 2 {
            // ESC [ (CSI) and ESC O (SS3) introduce keys; anything else ends the sequence unused.
            if byte != 0x5b && byte != 0x4f { escape = [] }
            return
        }
        // Parameters (digits and ;) until a final byte 0x40…0x7e; a runaway sequence is dropped.
        if byte >= 0x30 && byte <= 0x3f { return }
        let parameters = escape[2..<(escape.count - 1)]
        escape = []
        switch byte {
        case 0x41: historyStep(-1, &output)                                  // Up
        case 0x42: historyStep(1, &output)                                   // Down
        case 0x43: moveTo(nextBoundary(cursor), &output)                     // Right
        case 0x44: if cursor > 0 { moveTo(previousBoundary(cursor), &output) } // Left
        case 0x48: moveTo(0, &output)                                        // Home
        case 0x46: moveTo(buffer.count, &output)                             // End
        case 0x7e:
            switch Array(parameters) {
            case [0x31], [0x37]: moveTo(0, &output)                          // Home
            case [0x34], [0x38]: moveTo(buffer.count, &output)               // End
            case [0x33]: deleteForward(&output)                              // Delete
            default: break
            }
        default: break
        }
    }

    // MARK: completion

    /// Tab: completes the word before the cursor to the candidates' longest common prefix; with
    /// one candidate adds a space (not after a directory's "/"); with several and nothing to add,
    /// lists them under the line and redraws it.
    mutating func complete(_ output: inout [UInt8]) {
        guard let completer else { return }
        var start = cursor
        while start > 0 && !isBlank(buffer[start - 1]) && !isOperator(buffer[start - 1]) { start -= 1 }
        let word = Array(buffer[start..<cursor])
        var before = start
        while before > 0 && isBlank(buffer[before - 1]) { before -= 1 }
        let command = (before == 0 || isOperator(buffer[before - 1])) && !word.contains(0x2f)
        var candidates: [[UInt8]] = []
        for c in completer(word, command) where c.starts(with: word) && !candidates.contains(c) { candidates.append(c) }
        guard var common = candidates.first else { return }
        for c in candidates.dropFirst() {
            var k = 0
            while k < common.count && k < c.count && common[k] == c[k] { k += 1 }
            common.removeSubrange(k...)
        }
        if common.count > word.count {
            var added = Array(common[word.count...])
            if candidates.count == 1 && common.last != 0x2f { added.append(0x20) }
            insert(added, &output)
        } else if candidates.count == 1 {
            if common.last != 0x2f && (cursor == buffer.count || !isBlank(buffer[cursor])) { insert([0x20], &output) }
        } else {
            output.append(0x0a)
            for (i, c) in candidates.sorted(by: { $0.lexicographicallyPrecedes($1) }).enumerated() {
                if i > 0 { output += [0x20, 0x20] }
                output += c
            }
            output.append(0x0a)
            redrawLine(&output)
        }
    }

    func isOperator(_ b: UInt8) -> Bool { b == 0x3b || b == 0x7c || b == 0x26 || b == 0x28 }
}
