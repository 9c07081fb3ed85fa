// LineEditorTests.swift — the interactive shell's line editor (Guest/Libraries/LineEditor), driven
// key by key: the buffer, the cursor, the event, and the exact bytes it writes to the terminal.
import LineEditor
import Testing

/// An editor that has shown `prompt`, fed `keys`; the events and everything written after the prompt.
private struct Session {
    var editor: LineEditor
    var output: [UInt8] = []
    var events: [LineEditor.Event] = []

    init(prompt: String = "$ ", completer: LineEditor.Completer? = nil) {
        editor = LineEditor(completer: completer)
        _ = editor.start(prompt: Array(prompt.utf8))
    }

    mutating func type(_ keys: String) {
        for b in keys.utf8 { events.append(editor.feed(b, output: &output)) }
    }
    var text: String { String(decoding: editor.buffer, as: UTF8.self) }
    var screen: String { String(decoding: output, as: UTF8.self) }
    var accepted: [String] {
        events.compactMap { if case .accepted(let l) = $0 { return String(decoding: l, as: UTF8.self) } else { return nil } }
    }
}

private let left = "\u{1b}[D", right = "\u{1b}[C", up = "\u{1b}[A", down = "\u{1b}[B"
private let home = "\u{1b}[H", end = "\u{1b}[F", delete = "\u{1b}[3~"

@Test func typingEchoesAndEnterAcceptsTheLine() {
    var s = Session()
    s.type("echo hi\r")
    #expect(s.accepted == ["echo hi"])
    #expect(s.screen == "echo hi\n")
    #expect(s.editor.buffer.isEmpty)
    #expect(s.editor.history == [Array("echo hi".utf8)])
}

@Test func crLfIsOneEnter() {
    var s = Session()
    s.type("a\r\nb\n")
    #expect(s.accepted == ["a", "b"])
}

/// An Enter typed while a command ran arrives at the next prompt as LF (ICRNL in canonical mode):
/// after the CR that ended the previous line, it is an Enter of its own, not that CR's LF.
@Test func anEnterTypedAheadIsNotTakenForTheLastLinesLF() {
    var s = Session()
    s.type("true &\r")
    _ = s.editor.start(prompt: Array("$ ".utf8))
    s.type("\n")
    #expect(s.accepted == ["true &", ""])
}

@Test func backspaceAtTheEndErasesTheLastCharacter() {
    var s = Session()
    s.type("ecoh\u{7f}\u{7f}ho")
    #expect(s.text == "echo")
    #expect(s.screen == "ecoh" + "\u{8}\u{20}\u{8}" + "\u{8}\u{20}\u{8}" + "ho")
    s.type("\u{8}")      // BS works as DEL does
    #expect(s.text == "ech")
}

@Test func leftRightAndInsertInTheMiddle() {
    var s = Session()
    s.type("ac" + left + "b")
    #expect(s.text == "abc")
    #expect(s.editor.cursor == 2)
    // Left writes BS; the insert prints b, then the rest of the line and moves back over it.
    #expect(s.screen == "ac\u{8}bc\u{8}")
    s.type(right + right)      // the second Right is at the end: nothing
    #expect(s.editor.cursor == 3)
    #expect(s.screen.hasSuffix("bc\u{8}c"))
}

@Test func homeEndAndTheirControlKeys() {
    var s = Session()
    s.type("hello" + home)
    #expect(s.editor.cursor == 0)
    s.type(end)
    #expect(s.editor.cursor == 5)
    s.type("\u{1}")           // Ctrl-A
    #expect(s.editor.cursor == 0)
    s.type("\u{5}")           // Ctrl-E
    #expect(s.editor.cursor == 5)
    s.type("\u{1b}[1~")       // Home as ESC [ 1 ~
    #expect(s.editor.cursor == 0)
    s.type("\u{1b}OF")        // End as ESC O F
    #expect(s.editor.cursor == 5)
    s.type("\u{2}\u{2}\u{6}")   // Ctrl-B twice, Ctrl-F once
    #expect(s.editor.cursor == 4)
}

@Test func deleteRemovesUnderTheCursor() {
    var s = Session()
    s.type("abcd" + home + right + delete)
    #expect(s.text == "acd")
    #expect(s.editor.cursor == 1)
    #expect(s.screen.hasSuffix("cd \u{8}\u{8}\u{8}"))
    s.type("\u{4}")           // Ctrl-D on a non-empty line deletes too
    #expect(s.text == "ad")
}

@Test func killKeys() {
    var s = Session()
    s.type("one two three" + left + left + "\u{b}")   // Ctrl-K
    #expect(s.text == "one two thr")
    s.type("\u{17}")          // Ctrl-W: the word before the cursor
    #expect(s.text == "one two ")
    s.type("\u{17}")          // the blanks before it, then the word
    #expect(s.text == "one ")
    s.type("x" + left + "\u{15}")   // Ctrl-U: from the start to the cursor
    #expect(s.text == "x")
    #expect(s.editor.cursor == 0)
}

@Test func controlLClearsTheScreenAndRedraws() {
    var s = Session(prompt: "% ")
    s.type("ab" + left + "\u{c}")
    #expect(s.screen.hasSuffix("\u{1b}[H\u{1b}[2J% ab\u{8}"))
    #expect(s.text == "ab")
}

@Test func controlDOnAnEmptyLineEndsInput() {
    var s = Session()
    s.type("\u{4}")
    #expect(s.events == [.endOfInput])
}

@Test func controlCDropsTheLine() {
    var s = Session()
    s.type("abc\u{3}")
    #expect(s.events.last == .interrupted)
    #expect(s.text == "")
    #expect(s.screen.hasSuffix("^C\n"))
    #expect(s.editor.history.isEmpty)
}

@Test func historyUpAndDownKeepTheDraft() {
    var s = Session()
    s.type("first\rsecond\r")
    _ = s.editor.start(prompt: Array("$ ".utf8))
    s.type("dra" + up)
    #expect(s.text == "second")
    s.type(up)
    #expect(s.text == "first")
    s.type(up)                // the oldest: stays
    #expect(s.text == "first")
    s.type(down + down)
    #expect(s.text == "dra")
    s.type("\u{10}\u{10}")    // Ctrl-P twice
    #expect(s.text == "first")
    s.type("\u{e}")           // Ctrl-N
    #expect(s.text == "second")
    s.type("\r")
    #expect(s.accepted.last == "second")
    #expect(s.editor.history.count == 2, "a repeat of the last line is not remembered twice")
}

@Test func historyRecallErasesALongerLine() {
    var s = Session()
    s.type("ab\r")
    _ = s.editor.start(prompt: [])
    s.output = []
    s.type("abcd" + up)
    // Back to the start (4 BS), the recalled line, blanks over the 2 extra columns and back.
    #expect(s.screen == "abcd" + String(repeating: "\u{8}", count: 4) + "ab  \u{8}\u{8}")
}

@Test func historyIsLimited() {
    var e = LineEditor(historyLimit: 2)
    for l in ["a", "b", "c"] { e.remember(Array(l.utf8)) }
    #expect(e.history == [Array("b".utf8), Array("c".utf8)])
}

@Test func tabCompletesACommandToTheCommonPrefix() {
    var asked: [(String, Bool)] = []
    var s = Session { word, command in
        asked.append((String(decoding: word, as: UTF8.self), command))
        return ["printf", "print-env", "ls"].map { Array($0.utf8) }
    }
    s.type("pr\t")
    #expect(s.text == "print")
    #expect(asked.count == 1 && asked[0].0 == "pr" && asked[0].1)
    s.type("f\t")
    #expect(s.text == "printf ", "a single candidate is finished with a space")
}

@Test func tabCompletesFileNamesAfterTheCommand() {
    var commandFlags: [Bool] = []
    var s = Session { word, command in
        commandFlags.append(command)
        return ["sub/", "script.sh"].map { Array($0.utf8) }.filter { $0.starts(with: word) }
    }
    s.type("cat su\t")
    #expect(s.text == "cat sub/", "a directory is not finished with a space")
    s.type("; s\t")
    #expect(commandFlags == [false, true], "after ; comes a command name")
}

@Test func tabListsSeveralCandidatesAndRedraws() {
    var s = Session(prompt: "$ ") { _, _ in ["alpha", "also"].map { Array($0.utf8) } }
    s.type("cat al\t")
    #expect(s.text == "cat al")
    #expect(s.screen == "cat al\nalpha  also\n$ cat al")
}

@Test func multibyteCharactersMoveAsOne() {
    var s = Session()
    s.type("aé" + left)
    #expect(s.editor.cursor == 1)
    #expect(s.screen == "aé\u{8}", "one column for a two-byte character")
    s.type("\u{7f}")
    #expect(s.text == "é")
    s.type(end + "\u{7f}")
    #expect(s.text == "")
}

@Test func unknownEscapesAndControlBytesAreIgnored() {
    var s = Session()
    s.type("a\u{1b}[99;5Xb\u{1b}xc\u{7}\u{1b}[12345678901234567d")
    // ESC [ 99;5 X and ESC x are unknown keys; BEL is ignored; a runaway sequence is read to its end.
    #expect(s.text == "abc")
}

/// Random keys (fixed seed): control bytes, escape sequences cut anywhere, UTF-8 fragments. The
/// editor never traps, keeps the cursor inside the line and the history within its limit, and
/// what it accepts is exactly what its buffer held.
@Test func randomKeysKeepTheEditorConsistent() {
    var rng = SplitMix64(state: 0x4C49_4E45_4544_0012)
    let pieces: [[UInt8]] = [[0x1b], [0x1b, 0x5b], [0x1b, 0x4f], Array("[A".utf8), Array("[3~".utf8), [0x7f], [0x08],
                             [0x09], [0x0d], [0x0a], [0x03], [0x04], [0x15], [0x17], [0x0b], [0x0c], [0xc3, 0xa9], [0xc3], [0xa9],
                             Array("ls ".utf8), Array("x".utf8)]
    for round in 0..<300 {
        var editor = LineEditor(historyLimit: 8) { word, _ in [word + Array("yz".utf8), word + Array("y/".utf8)] }
        _ = editor.start(prompt: Array("$ ".utf8))
        var output: [UInt8] = []
        for _ in 0..<(1 + rng.below(200)) {
            let piece = rng.below(3) == 0 ? [UInt8(truncatingIfNeeded: rng.next())] : pieces[rng.below(pieces.count)]
            for b in piece {
                let before = editor.buffer
                let event = editor.feed(b, output: &output)
                if case .accepted(let line) = event { #expect(line == before, "round \(round)") }
                #expect(editor.cursor >= 0 && editor.cursor <= editor.buffer.count, "round \(round)")
                if event != .editing { _ = editor.start(prompt: Array("$ ".utf8)) }
            }
        }
        #expect(editor.history.count <= 8)
    }
}
