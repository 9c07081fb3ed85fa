// ScreenPrograms.swift — the mains of less/more and nano in the guest: the files opened as the
// screen models want them (Pager: a file read at offsets, standard input or any other file as a
// stream; Editor: the whole file, and saves that write a temporary file and rename it over the
// old one), the loop of drawing and reading keys on a ScreenTerminal, and the terminal put back on
// every way out. Without a terminal on standard output less and more copy (PagerCopy).
import ABI
import UserLib
import Utilities

/// less (`more` false) or more: the whole program.
public func runPager(more: Bool) -> Never {
    let arguments = Array(System.arguments.dropFirst())
    let io = GuestIO()
    let program = more ? "more" : "less"
    var inputIsTerminal: Bool { if case .success = TerminalCalls.getAttributes(0) { return true } else { return false } }
    guard io.outputIsTerminal() else { System.exit(PagerCopy.run(arguments, more: more, inputIsTerminal: inputIsTerminal, io)) }
    let options: PagerOptions
    switch PagerOptions.parse(arguments, more: more) {
    case .success(let o): options = o
    case .failure(let e):
        io.writeError(Array((program + ": " + e.message + "\nTry '" + program + " --help' for more information.\n").utf8))
        System.exit(1)
    }
    if options.files.isEmpty, case .success = TerminalCalls.getAttributes(0) {
        io.writeError(Array((more ? "more: bad usage\n" : "Missing filename (\"less --help\" for help)\n").utf8))
        System.exit(1)
    }
    guard let terminal = ScreenTerminal(signals: true) else {
        System.exit(PagerCopy.run(arguments, more: more, inputIsTerminal: inputIsTerminal, io))
    }
    let pager: Pager
    do throws(PagerError) {
        pager = try Pager(options: options, rows: terminal.rows, columns: terminal.columns) { openForPager($0, io) }
    } catch {
        terminal.finish()
        io.writeError(Array((program + ": " + error.message + "\n").utf8))
        System.exit(1)
    }
    while true {
        terminal.write(pager.render())
        if pager.finished { break }
        switch terminal.next() {
        case .keys(let keys):
            for k in keys where !pager.finished { pager.handle(k) }
        case .resized, .resumed: pager.resize(rows: terminal.rows, columns: terminal.columns)
        case .quit: terminal.finish(); System.exit(0)
        }
    }
    terminal.finish()
    System.exit(0)
}

/// A file for the pager: a regular file by offsets (an index of its lines, never all of it in
/// memory), anything else (standard input, "-", a device) as a stream.
func openForPager(_ name: String?, _ io: GuestIO) -> Result<(PagerLines, UInt64?), PagerError> {
    guard let name, name != "-" else {
        let source = io.standardInput()
        return .success((PagerLines(stream: { source.read(into: &$0) }), nil))
    }
    let fd: Int32
    switch Unix.open(name, SV_O_RDONLY | SV_O_CLOEXEC) {
    case .failure(let e): return .failure(PagerError(name + ": " + SystemError(e.code).message))
    case .success(let d): fd = d
    }
    guard case .success(let status) = Unix.fstat(fd) else {
        _ = Unix.close(fd)
        return .failure(PagerError(name + ": cannot read its status"))
    }
    if status.isDirectory {
        _ = Unix.close(fd)
        return .failure(PagerError(name + " is a directory"))
    }
    if !status.isRegular {
        return .success((PagerLines(stream: { Unix.read(fd, into: &$0).mapError { SystemError($0.code) } }), nil))
    }
    // The descriptor stays open for the pager's life (a file switched away from is closed by
    // nobody: at most one per name on the command line).
    let lines = PagerLines(file: { offset, buffer in
        if case .failure(let e) = Unix.lseek(fd, Int64(truncatingIfNeeded: offset), SV_SEEK_SET) { return .failure(SystemError(e.code)) }
        return Unix.read(fd, into: &buffer).mapError { SystemError($0.code) }
    })
    return .success((lines, status.size))
}

/// The largest file nano opens: it holds the whole text in memory, as GNU nano does.
let editorFileLimit: UInt64 = 16 << 20

/// nano [FILE]: the whole program.
public func runEditor() -> Never {
    let arguments = Array(System.arguments.dropFirst())
    let io = GuestIO()
    func fail(_ message: String) -> Never {
        io.writeError(Array(("nano: " + message + "\n").utf8))
        System.exit(1)
    }
    let files = arguments.filter { !$0.hasPrefix("-") || $0 == "-" }
    if files.count != arguments.count { fail("no options are known; usage: nano [FILE]") }
    if files.count > 1 { fail("one file at a time; usage: nano [FILE]") }
    let path = files.first ?? ""
    var contents: [UInt8]? = nil
    if !path.isEmpty {
        switch readWholeFile(path) {
        case .success(let bytes): contents = bytes
        case .failure(let e) where e == .ENOENT: contents = nil
        case .failure(let e): fail(path + ": " + (e == .EFBIG ? "too large to edit here (over 16 MiB)" : e.message))
        }
    }
    guard let terminal = ScreenTerminal(signals: false) else { fail("standard output is not a terminal") }
    let editor = Editor(path: path, contents: path.isEmpty ? [] : contents, rows: terminal.rows, columns: terminal.columns) {
        saveReplacing($0, $1)
    }
    terminal.write(Array("\u{1b}[H\u{1b}[2J".utf8))
    session: while true {
        terminal.write(editor.render())
        if editor.finished { break }
        switch terminal.next() {
        case .keys(let keys):
            for k in keys where !editor.finished { editor.handle(k) }
        case .resized, .resumed: editor.resize(rows: terminal.rows, columns: terminal.columns)
        case .quit:
            // SIGTERM or SIGHUP: as GNU nano, a changed text is kept in NAME.save (nano.save)
            if editor.modified { _ = saveReplacing((editor.path.isEmpty ? "nano" : editor.path) + ".save", editor.buffer.bytes) }
            break session
        }
    }
    terminal.write(Array("\u{1b}[H\u{1b}[2J".utf8))
    terminal.finish()
    System.exit(0)
}

extension SystemError {
    static let EFBIG = SystemError(27)
}

/// The file's bytes (at most `editorFileLimit`: EFBIG beyond), read in chunks.
func readWholeFile(_ path: String) -> Result<[UInt8], SystemError> {
    let fd: Int32
    switch Unix.open(path, SV_O_RDONLY | SV_O_CLOEXEC) {
    case .failure(let e): return .failure(SystemError(e.code))
    case .success(let d): fd = d
    }
    defer { _ = Unix.close(fd) }
    if case .success(let s) = Unix.fstat(fd) {
        if s.isDirectory { return .failure(.EISDIR) }
        if s.size > editorFileLimit { return .failure(.EFBIG) }
    }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    while true {
        switch Unix.read(fd, into: &buffer) {
        case .failure(let e): return .failure(SystemError(e.code))
        case .success(0): return .success(bytes)
        case .success(let n):
            bytes += buffer[0..<n]
            if UInt64(bytes.count) > editorFileLimit { return .failure(.EFBIG) }
        }
    }
}

/// Writes `bytes` to `path` without ever leaving it half-written: a temporary file beside it
/// (same directory, so the rename stays within one file system) gets the bytes and the old
/// file's permissions, then is renamed over it (rename(2) replaces atomically). On any failure the
/// temporary file is removed and the old file is as it was.
func saveReplacing(_ path: String, _ bytes: [UInt8]) -> Result<Void, SystemError> {
    let absolute = Paths.absolute(path)
    var mode: UInt32 = 0o644
    if case .success(let s) = Unix.stat(path) {
        if s.isDirectory { return .failure(.EISDIR) }
        mode = s.mode & 0o7777
    }
    let slash = absolute.utf8.lastIndex(of: UInt8(ascii: "/")).map { absolute.utf8.distance(from: absolute.utf8.startIndex, to: $0) } ?? 0
    let directory = String(decoding: absolute.utf8.prefix(slash), as: UTF8.self)
    let name = String(decoding: absolute.utf8.dropFirst(slash + 1), as: UTF8.self)
    let temporary = directory + "/." + name + ".\(System.getpid()).save"
    let fd: Int32
    switch Unix.open(temporary, SV_O_WRONLY | SV_O_CREAT | SV_O_EXCL | SV_O_CLOEXEC, mode: 0o600) {
    case .failure(let e): return .failure(SystemError(e.code))
    case .success(let d): fd = d
    }
    func undo(_ e: Errno) -> Result<Void, SystemError> {
        _ = Files.unlink(temporary)
        return .failure(SystemError(e.code))
    }
    if case .failure(let e) = Unix.writeAll(fd, bytes) { _ = Unix.close(fd); return undo(e) }
    if case .failure(let e) = Unix.close(fd) { return undo(e) }
    if case .failure(let e) = Files.changeMode(temporary, mode) { return undo(e) }
    if case .failure(let e) = Files.rename(temporary, to: absolute) { return undo(e) }
    return .success(())
}
