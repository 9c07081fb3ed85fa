// ScreenProgramsBootTests.swift — the pager (less, more) and the editor (nano) in a booted guest,
// as a user runs them: swiftvm in a real host pseudo-terminal of 80x24 with the virtio-console (so
// the guest's window size is the pty's, and a resize reaches the guest as SIGWINCH), the shell on
// ttyd, every key typed only after the screen it answers has appeared (no fixed sleeps). The
// programs redraw a row at a time (CUP to the row, the text, EL), so a row's text is looked for
// between its CUP and the EL. The file the editor saved is then read by the HOST from the image
// and compared byte for byte; the pagers' copies without a terminal are compared with the host's
// GNU less and util-linux more.
import Foundation
import TestSupport
import Testing

/// The guest's shell in a host pty: type, and wait for texts in what follows.
final class ScreenSession {
    let t: PseudoTerminal
    let bound = Double(Boot.hostTimeout)

    init(image: String, columns: UInt16 = 80, rows: UInt16 = 24) throws {
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        t = try PseudoTerminal([vmm, "run", image, "--console", "virtio", "--timeout", "\(Boot.guestTimeout)"], columns: columns, rows: rows)
    }

    /// The output so far, without CRs (ttyd's ONLCR and the host pty's own add them).
    var screen: String { String(String.UnicodeScalarView(t.screen.unicodeScalars.filter { $0 != "\r" })) }

    func waitFor(_ texts: [String], after mark: Int) -> Bool {
        t.waitFor(timeoutSeconds: bound) { _ in
            var rest = Substring(String(decoding: self.screen.utf8.dropFirst(mark), as: UTF8.self))
            for text in texts {
                guard let r = rest.range(of: text) else { return false }
                rest = rest[r.upperBound...]
            }
            return true
        }
    }

    /// Types `keys` and waits for `expected`, in order, in what the screen shows next.
    @discardableResult
    func type(_ keys: String, thenSee expected: String...) -> Bool {
        let mark = screen.utf8.count
        t.type(keys)
        return waitFor(expected, after: mark)
    }

    /// Row `row` showing exactly `text` (as drawn: CUP, the text, EL).
    static func row(_ row: Int, _ text: String) -> String { "\u{1b}[\(row);1H" + text + "\u{1b}[K" }
}

@Test func pagerAndEditorThroughAPseudoTerminal() throws {
    try RepositoryPaths.requireKVM()
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let image = try Boot.imageCopy()
    let scratch = NSTemporaryDirectory() + "screen-boot-\(getpid())"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer {
        try? FileManager.default.removeItem(atPath: image)
        try? FileManager.default.removeItem(atPath: scratch)
    }
    let pagerText = (1...200).map { "line \($0) of the pager test" }.joined(separator: "\n") + "\n"
    let editText = "first line\nsecond line\nno newline at the end"
    for (name, text) in [("pager.txt", pagerText), ("edit.txt", editText)] {
        FileManager.default.createFile(atPath: scratch + "/" + name, contents: Data(text.utf8))
        let put = try Subprocess.run(vmm, ["image", "put", image, scratch + "/" + name, "/tmp/" + name], timeout: 60)
        #expect(put.status == 0, "\(put.stderr)")
    }

    let s = try ScreenSession(image: image)
    let row = ScreenSession.row
    #expect(s.waitFor(["\n$ "], after: 0), "no prompt: \(s.screen)")
    #expect(s.type("cd /tmp\r", thenSee: "\n$ "), "\(s.screen)")

    // ---- less on a terminal: the first window (23 rows and the status line), a page down, a
    // search, a resize (SIGWINCH: redrawn at 30 rows), and q back to the shell ----
    #expect(s.type("less pager.txt\r", thenSee: row(1, "line 1 of the pager test"), row(23, "line 23 of the pager test"), "pager.txt"),
            "\(s.screen)")
    #expect(s.type(" ", thenSee: row(1, "line 24 of the pager test"), row(23, "line 46 of the pager test"), row(24, ":")), "\(s.screen)")
    // the match at the top, in reverse video (SGR 7)
    #expect(s.type("/line 150 \r", thenSee: "\u{1b}[1;1H\u{1b}[7mline 150 \u{1b}[0mof the pager test\u{1b}[K", row(23, "line 172 of the pager test")),
            "\(s.screen)")
    let mark = s.screen.utf8.count
    s.t.resize(columns: 100, rows: 30)
    #expect(s.waitFor([row(2, "line 151 of the pager test"), row(29, "line 178 of the pager test"), "\u{1b}[30;1H"], after: mark), "\(s.screen)")
    #expect(s.type("G", thenSee: row(29, "line 200 of the pager test"), "(END)"), "\(s.screen)")
    #expect(s.type("q", thenSee: "$ "), "\(s.screen)")
    // Ctrl-C ends it too, and the terminal's modes come back (the shell's input echoes again)
    #expect(s.type("less pager.txt\r", thenSee: row(1, "line 1 of the pager test")), "\(s.screen)")
    #expect(s.type("\u{3}", thenSee: "$ "), "\(s.screen)")
    #expect(s.type("echo back in the shell\r", thenSee: "\nback in the shell\n$ "), "\(s.screen)")
    // more: its prompt, Return a line, and it ends by itself at the end of the file
    #expect(s.type("more pager.txt\r", thenSee: row(29, "line 29 of the pager test"), "--More--("), "\(s.screen)")
    #expect(s.type("\r", thenSee: row(29, "line 30 of the pager test")), "\(s.screen)")
    #expect(s.type("G", thenSee: row(29, "line 200 of the pager test"), "$ "), "more ended at the end: \(s.screen)")

    // ---- nano: move, edit, search, cut and paste, write out, quit ----
    #expect(s.type("chmod 600 edit.txt; nano edit.txt\r", thenSee: row(2, "first line"), "^X", "Exit"), "\(s.screen)")
    #expect(s.type("\u{1b}[B\u{1b}[F EDITED", thenSee: row(3, "second line EDITED")), "\(s.screen)")
    #expect(s.type("\u{17}", thenSee: "Search: "), "\(s.screen)")
    #expect(s.type("newline\rX", thenSee: row(4, "no Xnewline at the end")), "\(s.screen)")
    #expect(s.type("\u{1b}[A\u{1b}[A\u{b}", thenSee: row(2, "second line EDITED")), "\(s.screen)")
    #expect(s.type("\u{1b}[B\u{15}", thenSee: row(3, "first line"), row(4, "no Xnewline at the end")), "\(s.screen)")
    #expect(s.type("\u{f}", thenSee: "File Name to Write: edit.txt"), "\(s.screen)")
    #expect(s.type("\r", thenSee: "[ Wrote 3 lines ]"), "\(s.screen)")
    #expect(s.type("\u{18}", thenSee: "$ "), "\(s.screen)")
    // the mode stayed (the save wrote a temporary file and renamed it over), nothing left beside it
    #expect(s.type("stat -c %a edit.txt; find . -name '*.save' | wc -l\r", thenSee: "\n600\n0\n$ "), "\(s.screen)")
    // an unsaved change: ^X asks, N leaves the file as it was
    #expect(s.type("nano edit.txt\r", thenSee: row(2, "second line EDITED")), "\(s.screen)")
    #expect(s.type("junk\u{18}", thenSee: "Save modified buffer?"), "\(s.screen)")
    #expect(s.type("n", thenSee: "$ "), "\(s.screen)")

    // ---- without a terminal: copies, as GNU less and util-linux more do ----
    #expect(s.type("less pager.txt | wc -l; more edit.txt pager.txt | head -n 4; less nosuch | cat\r",
                   thenSee: "\n200\n::::::::::::::\nedit.txt\n::::::::::::::\nsecond line EDITED\nnosuch: No such file or directory\n$ "),
            "\(s.screen)")
    s.t.type("exit 0\r")
    #expect(s.t.exitStatus(timeoutSeconds: s.bound) == 0, "\(s.screen)")

    // The host reads what the guest saved: the edits, and still no newline at the end.
    let saved = try Subprocess.run(vmm, ["image", "cat", image, "/tmp/edit.txt"], timeout: 60)
    #expect(saved.status == 0, "\(saved.stderr)")
    #expect(saved.stdout == "second line EDITED\nfirst line\nno Xnewline at the end")
    // and the same non-terminal copies on the host, by GNU less and util-linux more (its standard
    // input /dev/null: util-linux more first copies a standard input that is not a terminal)
    let host = try Subprocess.run("/bin/sh", ["-c", "cd '\(scratch)' && printf 'second line EDITED\\nfirst line\\nno Xnewline at the end' > edit.txt && "
                                              + "less pager.txt | wc -l; more edit.txt pager.txt < /dev/null | head -n 4; less nosuch | cat"], timeout: 60)
    #expect(host.stdout == "200\n::::::::::::::\nedit.txt\n::::::::::::::\nsecond line EDITED\nnosuch: No such file or directory\n", "\(host.stdout)")
}
