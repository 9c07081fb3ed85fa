// EditorTests.swift — the editor's model (Guest/Libraries/Utilities/Editor.swift): the buffer's
// exact round trip, editing keys, search, cut and paste, saving (and failing to), the prompt for
// unsaved changes, and what the screen shows of long lines.
import Testing
@testable import Utilities

/// An editor whose saves land in `saved` (or fail with `failure`).
final class Session {
    var saved: [String: [UInt8]] = [:]
    var failure: SystemError? = nil
    var editor: Editor!
    init(_ contents: [UInt8]?, path: String = "f", rows: Int = 10, columns: Int = 40) {
        editor = Editor(path: path, contents: contents, rows: rows, columns: columns) { name, bytes in
            if let e = self.failure { return .failure(e) }
            self.saved[name] = bytes
            return .success(())
        }
    }
    convenience init(_ text: String, rows: Int = 10, columns: Int = 40) { self.init(Array(text.utf8), rows: rows, columns: columns) }
    func type(_ keys: String) {
        var decoder = KeyDecoder()
        for k in decoder.feed(Array(keys.utf8)) + decoder.flush() { editor.handle(k) }
    }
    var text: String { String(decoding: editor.buffer.bytes, as: UTF8.self) }
}

@Test func unchangedFilesRoundTripByteForByte() {
    let cases: [[UInt8]] = [
        [], [0x0a], [0x0a, 0x0a], Array("a".utf8), Array("a\n".utf8), Array("a\nb".utf8), Array("a\r\nb\r\n".utf8),
        [0x00, 0xff, 0xfe, 0x0a, 0xc3], Array(String(repeating: "long ", count: 5000).utf8),
        Array((String(repeating: "x", count: 70_000) + "\n\n\tend").utf8),
    ]
    for bytes in cases {
        #expect(EditorBuffer(bytes: bytes).bytes == bytes)
        let s = Session(bytes)
        s.type("\u{1b}[B\u{1b}[C\u{1b}[F\u{1b}[6~\u{13}")   // move about, then ^S
        #expect(s.saved["f"] == bytes, "\(bytes.prefix(20))")
    }
}

@Test func typingSplittingJoiningAndDeleting() {
    let s = Session("hello\nworld")
    s.type("\u{1b}[C\u{1b}[CXY")          // he|XY|llo
    #expect(s.text == "heXYllo\nworld")
    s.type("\u{7f}\r")                     // Backspace, then Return splits
    #expect(s.text == "heX\nllo\nworld")
    s.type("\u{7f}")                       // Backspace at a line's start joins
    #expect(s.text == "heXllo\nworld")
    s.type("\u{1b}[F\u{1b}[3~")            // Delete at the end joins the next line
    #expect(s.text == "heXlloworld")
    s.type("\u{1}\u{4}\t")                 // ^A, ^D deletes, Tab inserts
    #expect(s.text == "\teXlloworld")
    #expect(s.editor.modified)
}

@Test func upAndDownKeepTheColumnAndUTF8IsOneCharacter() {
    let s = Session("abcdef\nab\nabcdef\n\u{e9}\u{e9}x")
    s.type("\u{1b}[F\u{1b}[B\u{1b}[B")     // End (6), down to "ab" (2), down again: back at 6
    #expect(s.editor.line == 2 && s.editor.index == 6)
    s.type("\u{1b}[B\u{1}\u{1b}[C\u{1b}[C")   // é is two bytes, one step
    #expect(s.editor.index == 4)
    s.type("\u{7f}")
    #expect(s.text.hasSuffix("\n\u{e9}x"))
}

@Test func cutAndPasteLines() {
    let s = Session("1\n2\n3\n4\n")
    s.type("\u{b}\u{b}")                   // two cuts collect "1" and "2"
    #expect(s.text == "3\n4\n")
    s.type("\u{1b}[B\u{15}")               // paste above "4"
    #expect(s.text == "3\n1\n2\n4\n")
    s.type("\u{1b}[B\u{1b}[B\u{b}")        // the empty last line: nothing to cut
    #expect(s.text == "3\n1\n2\n4\n")
}

@Test func searchWrapsAndSaysWhatItFound() {
    let s = Session("alpha\nbeta\ngamma beta\n")
    s.type("\u{17}beta\r")
    #expect(s.editor.line == 1 && s.editor.index == 0)
    s.type("\u{17}\r")                     // empty: the last search again
    #expect(s.editor.line == 2 && s.editor.index == 6)
    s.type("\u{17}\r")
    #expect(s.editor.line == 1 && s.editor.message == "Search Wrapped")
    s.type("\u{17}zeta\r")
    #expect(s.editor.message == "\"zeta\" not found" && s.editor.line == 1)
    #expect(s.editor.screenLines()[7].contains("[ \"zeta\" not found ]"))
}

@Test func writeOutUnderANameAndExitPrompts() {
    let s = Session("x\n")
    s.type("y\u{f}")
    #expect(s.editor.screenLines()[7] == "File Name to Write: f")
    s.type("\u{7f}g\r")
    #expect(s.saved["g"] == Array("yx\n".utf8))
    #expect(!s.editor.modified && s.editor.path == "g")
    s.type("z\u{18}")
    #expect(s.editor.screenLines()[7].hasPrefix("Save modified buffer?"))
    s.type("\u{3}")                        // ^C: cancelled, still editing
    #expect(!s.editor.finished)
    s.type("\u{18}y\r")
    #expect(s.editor.finished && s.saved["g"] == Array("yzx\n".utf8))
    let discard = Session("x")
    discard.type("q\u{18}n")
    #expect(discard.editor.finished && discard.saved.isEmpty)
    let clean = Session("x")
    clean.type("\u{18}")
    #expect(clean.editor.finished, "nothing changed: no question")
}

@Test func aFailedSaveSaysWhyAndKeepsTheChanges() {
    let s = Session("x")
    s.failure = SystemError(13)
    s.type("y\u{18}y\r")
    #expect(!s.editor.finished && s.editor.modified)
    #expect(s.editor.message == "Error writing f: Permission denied")
    #expect(s.editor.screenLines()[7].contains("[ Error writing f: Permission denied ]"))
}

@Test func aNewFileEndsWithANewline() {
    let s = Session(nil, path: "new")
    #expect(s.editor.screenLines()[7].contains("[ New File ]"))
    s.type("hi\u{13}")
    #expect(s.saved["new"] == Array("hi\n".utf8))
}

@Test func longLinesShowMarkersAndScrollWithTheCursor() {
    let long = String(repeating: "0123456789", count: 10)
    let s = Session(long + "\nshort", rows: 8, columns: 20)
    let screen = s.editor.screenLines()
    #expect(screen[0].hasPrefix("  swiftvm nano") && screen[0].contains("f"))
    #expect(screen[1] == String(long.prefix(19)) + ">")
    #expect(screen[2] == "short")
    s.type("\u{1b}[F")                     // End: the line scrolls so the cursor shows
    let row = s.editor.screenLines()[1]
    #expect(row.hasPrefix("<") && row.hasSuffix("789"), "\(row)")
    #expect(s.editor.screenLines()[6] == "^G Help  ^O Write Out  ^W Where Is  ^K Cut  ^C Location")
}

@Test func pagesMoveByAWindow() {
    let s = Session((1...50).map { "l\($0)" }.joined(separator: "\n"), rows: 10, columns: 40)
    s.type("\u{1b}[6~")
    #expect(s.editor.line == 4)
    #expect(s.editor.screenLines()[1] == "l5")
    s.type("\u{1b}[6~\u{1b}[5~")
    #expect(s.editor.line == 4)
}
