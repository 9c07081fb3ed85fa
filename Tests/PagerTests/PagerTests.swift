// PagerTests.swift — the pager's screen model (Guest/Libraries/Utilities/Pager.swift): given an
// input and the keys typed, what the screen shows; its input read in bounded memory (PagerLines);
// and the terminal's key sequences (TerminalKeys).
import Testing
@testable import Utilities

/// An in-memory file read at offsets, counting what was read.
final class MemoryFile {
    let bytes: [UInt8]
    var bytesRead = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { bytes = Array(text.utf8) }
    func lines() -> PagerLines {
        PagerLines(file: { offset, buffer in
            let start = Int(min(offset, UInt64(self.bytes.count)))
            let n = min(buffer.count, self.bytes.count - start)
            buffer.replaceSubrange(0..<n, with: self.bytes[start ..< start + n])
            self.bytesRead += n
            return .success(n)
        })
    }
}

func numbered(_ n: Int) -> String { (1...n).map { "line \($0)\n" }.joined() }

func pager(_ text: String, rows: Int = 10, columns: Int = 40, _ arguments: [String] = ["f"], more: Bool = false) throws -> Pager {
    let options = try PagerOptions.parse(arguments, more: more).get()
    let file = MemoryFile(text)
    return try Pager(options: options, rows: rows, columns: columns) { _ in .success((file.lines(), UInt64(file.bytes.count))) }
}

func type(_ p: Pager, _ keys: String) {
    var decoder = KeyDecoder()
    for k in decoder.feed(Array(keys.utf8)) + decoder.flush() { p.handle(k) }
}

@Test func firstScreenShowsAWindowAndTheFileName() throws {
    let p = try pager(numbered(100))
    #expect(p.screenLines() == (1...9).map { "line \($0)" } + ["f"])
}

@Test func pagingForwardAndBackByWindowsAndRows() throws {
    let p = try pager(numbered(100))
    type(p, " ")
    #expect(p.screenLines() == (10...18).map { "line \($0)" } + [":"])
    type(p, "j")
    #expect(p.screenLines().first == "line 11")
    type(p, "\r\r")
    #expect(p.screenLines().first == "line 13")
    type(p, "kk")
    #expect(p.screenLines().first == "line 11")
    type(p, "b")
    #expect(p.screenLines().first == "line 2")
    type(p, "\u{1b}[6~")   // PageDown
    #expect(p.screenLines().first == "line 11")
    type(p, "\u{1b}[A")    // Up
    #expect(p.screenLines().first == "line 10")
    type(p, "d")
    #expect(p.screenLines().first == "line 14")
    type(p, "5j")
    #expect(p.screenLines().first == "line 19")
}

@Test func theEndAndTheStart() throws {
    let p = try pager(numbered(100))
    type(p, "G")
    #expect(p.screenLines() == (92...100).map { "line \($0)" } + ["(END)"])
    type(p, " ")   // no further than the end
    #expect(p.screenLines().first == "line 92")
    type(p, "g")
    #expect(p.screenLines().first == "line 1")
    type(p, "50g")
    #expect(p.screenLines().first == "line 50")
    type(p, ">")
    #expect(p.screenLines().last == "(END)")
    type(p, "<")
    #expect(p.screenLines().first == "line 1")
}

@Test func aShortFileShowsTildesAndEnd() throws {
    let p = try pager("one\ntwo")
    #expect(p.screenLines() == ["one", "two"] + Array(repeating: "~", count: 7) + ["(END)"])
}

@Test func longLinesWrapAndScrollByRows() throws {
    let long = String(repeating: "abcdefghij", count: 10)   // 100 columns: 3 rows of 40
    let p = try pager("first\n" + long + "\nlast\n", rows: 5, columns: 40)
    #expect(p.screenLines() == ["first", String(long.prefix(40)), String(long.dropFirst(40).prefix(40)), String(long.dropFirst(80)), "f"])
    type(p, "j")
    #expect(p.screenLines() == [String(long.prefix(40)), String(long.dropFirst(40).prefix(40)), String(long.dropFirst(80)), "last", "(END)"])
    type(p, "j")   // the end is on the screen: no further
    #expect(p.screenLines().first == String(long.prefix(40)))
    type(p, "k")   // back one row: the first line again
    #expect(p.screenLines().first == "first")
}

@Test func chopAndSidewaysScrolling() throws {
    let long = String(repeating: "0123456789", count: 10)
    let p = try pager(long + "\nb\n", rows: 4, columns: 20, ["-S", "f"])
    #expect(p.screenLines() == [String(long.prefix(20)), "b", "~", "(END)"])
    type(p, "\u{1b}[C")   // Right: half a window
    #expect(p.screenLines()[0] == String(long.dropFirst(10).prefix(20)))
    #expect(p.screenLines()[1] == "")
}

@Test func lineNumbersAndAStartLine() throws {
    let p = try pager(numbered(30), rows: 4, columns: 40, ["-N", "+12", "f"])
    #expect(p.screenLines() == ["     12 line 12", "     13 line 13", "     14 line 14", "f"])
    let wrapped = try pager(String(repeating: "x", count: 40) + "\n", rows: 4, columns: 40, ["-N", "f"])
    #expect(wrapped.screenLines() == ["      1 " + String(repeating: "x", count: 32), "        xxxxxxxx", "~", "(END)"])
}

@Test func searchForwardBackAndRepeat() throws {
    let p = try pager(numbered(100))
    type(p, "/line 5\r")
    #expect(p.screenLines().first == "line 5")
    type(p, "n")
    #expect(p.screenLines().first == "line 50")
    type(p, "n")
    #expect(p.screenLines().first == "line 51")
    type(p, "N")
    #expect(p.screenLines().first == "line 50")
    type(p, "?ne [0-9]$\r")   // extended regular expressions, as less's
    #expect(p.screenLines().first == "line 9")
    type(p, "/nothing\r")
    #expect(p.screenLines().last == "Pattern not found")
    #expect(p.screenLines().first == "line 9")
    type(p, "/li")
    #expect(p.screenLines().last == "/li")
    // matches are drawn in reverse video
    let p2 = try pager("a needle here\n")
    type(p2, "/needle\r")
    let screen = String(decoding: p2.render(), as: UTF8.self)
    #expect(screen.contains("a \u{1b}[7mneedle\u{1b}[0m here"), "\(screen.debugDescription)")
}

@Test func quitKeys() throws {
    for keys in ["q", "Q", ":q", "ZZ"] {
        let p = try pager(numbered(100))
        type(p, keys)
        #expect(p.finished, "\(keys)")
    }
}

@Test func tabsControlsAndBadBytesAreDrawnAsLess() throws {
    let p = try pager("a\tb\n\u{1}x\u{7f}\n", rows: 4)
    #expect(p.screenLines()[0] == "a       b")
    #expect(p.screenLines()[1] == "^Ax^?")
    let file = MemoryFile([0x61, 0xff, 0x62, 0xc3, 0xa9, 0x0a])
    let q = try Pager(options: PagerOptions(), rows: 3, columns: 20) { _ in .success((file.lines(), 6)) }
    #expect(q.screenLines()[0] == "a<FF>b\u{e9}")
}

@Test func moreQuitsAtTheEndAndShowsItsPercentage() throws {
    let short = try pager("one\ntwo\n", more: true)
    #expect(short.finished, "a file that fits the screen is shown and more ends")
    let p = try pager(numbered(100), more: true)
    #expect(!p.finished)
    // 9 lines of "line N\n": 63 of 792 bytes
    #expect(p.screenLines().last == "--More--(7%)")
    type(p, "\r")
    #expect(p.screenLines().first == "line 2")
    while !p.finished { type(p, " ") }
    #expect(p.screenLines().suffix(2) == ["line 100", ""])
}

@Test func aWindowResizeRedrawsAtTheNewSize() throws {
    let p = try pager(numbered(100), rows: 10, columns: 40)
    p.resize(rows: 5, columns: 40)
    #expect(p.screenLines() == (1...4).map { "line \($0)" } + ["f"])
}

@Test func aFileIsIndexedAsFarAsTheScreenNeeds() throws {
    // 4 MiB of lines: the first screen reads one chunk, not the file.
    let file = MemoryFile(Array(numbered(400_000).utf8))
    let p = try Pager(options: PagerOptions(), rows: 10, columns: 40) { _ in .success((file.lines(), UInt64(file.bytes.count))) }
    #expect(p.screenLines().first == "line 1")
    #expect(file.bytesRead <= 2 * 65536, "\(file.bytesRead)")
    type(p, "G")
    #expect(p.screenLines().suffix(2) == ["line 400000", "(END)"])
    #expect(p.lines.count == 400_000)
}

@Test func aPipeIsKeptWithinItsBound() throws {
    // 40 MB of lines from a stream: the pager keeps the last 4 MiB and goes back no further.
    var produced = 0
    let total = 400_000 * 100
    let line = Array(String(repeating: "y", count: 99).utf8) + [0x0a]
    let lines = PagerLines(stream: { buffer in
        guard produced < total else { return .success(0) }
        let n = min(buffer.count / 100 * 100, total - produced)
        for i in 0..<n { buffer[i] = line[i % 100] }
        produced += n
        return .success(n)
    })
    let p = try Pager(options: PagerOptions(), rows: 10, columns: 120) { _ in .success((lines, nil)) }
    type(p, "G")
    #expect(p.screenLines().last == "(END)")
    #expect(lines.count == total / 100)
    #expect(lines.keptBytes <= PagerLines.streamBound, "\(lines.keptBytes)")
    #expect(lines.firstAvailable > 0)
    type(p, "g")
    #expect(p.top.line == lines.firstAvailable)
}

@Test func keysSplitAcrossReadsAndUnknownSequences() {
    var d = KeyDecoder()
    #expect(d.feed([0x1b]) == [])
    #expect(d.feed([0x5b]) == [])
    #expect(d.feed([0x41, 0x61]) == [.up, .byte(0x61)])
    #expect(d.feed(Array("\u{1b}[5~\u{1b}[6~\u{1b}OH\u{1b}[F\u{1b}[3~".utf8)) == [.pageUp, .pageDown, .home, .end, .delete])
    #expect(d.feed(Array("\u{1b}[1;5Cz".utf8)) == [.right, .byte(0x7a)])
    #expect(d.feed(Array("\u{1b}[99~z".utf8)) == [.byte(0x7a)], "an unknown key is dropped whole")
    #expect(d.feed([0x1b]) == [])
    #expect(d.flush() == [.escape])
}

@Test func optionsAsLessAndMoreTakeThem() throws {
    let o = try PagerOptions.parse(["-NS", "+5", "a", "--", "-b"], more: false).get()
    #expect(o.lineNumbers && o.chop && o.startLine == 5 && o.files == ["a", "-b"])
    #expect(throws: PagerError.self) { try PagerOptions.parse(["-N"], more: true).get() }
    #expect(try PagerOptions.parse(["+/x"], more: true).get().startPattern == Array("x".utf8))
}
