// Readline.swift — <readline/readline.h> and <readline/history.h>: the part of GNU readline's
// interface that programs such as lua (LUA_USE_READLINE) use — readline(prompt), add_history,
// using_history, clear_history, rl_readline_name — in Swift.
//
// On a terminal, the line is edited with the interactive shell's line editor
// (Guest/Libraries/LineEditor: arrows, Home/End, Ctrl-A/E/B/F/K/U/W/L, Backspace, history with
// Up/Down or Ctrl-P/N) with the terminal in raw mode for the line only; the prompt and the
// editing go to standard output, as GNU readline's rl_outstream (stdout) does. Ctrl-D on an empty
// line is end of input (NULL, nothing printed). Ctrl-C, a key in raw mode, does what GNU readline's SIGINT
// handler does: the terminal is restored and SIGINT is raised; if the process lives on (caught
// or ignored), the line starts afresh.
//
// When standard input is not a terminal, GNU readline still echoes (rltty.c: a tcgetattr that
// fails with ENOTTY leaves _rl_echoing_p set), so its output is the prompt, the line and a
// newline; at end of input with nothing read it prints nothing and returns NULL (lua's testes/
// main.lua checks exactly this: "1 --\n2a = 2\n3\n"). Here, likewise; the bytes are taken as they
// are (GNU readline would also interpret its key bindings, e.g. TAB completion, in piped input).
// Bytes are read one at a time, as readline does, so input after the line stays for others.
import LineEditor


private let SIGINT: Int32 = 2
// Linux's termios bits and c_cc indices (LibC/include/termios.h).
private let ICANON: UInt32 = 0o2, ECHO: UInt32 = 0o10, ISIG: UInt32 = 0o1, IEXTEN: UInt32 = 0o100000
private let ICRNL: UInt32 = 0o400, IXON: UInt32 = 0o2000, VTIME = 5, VMIN = 6, TCSADRAIN: Int32 = 1

/// The lines add_history gave (LineEditor remembers every accepted line by itself; readline's
/// history holds only what the program adds, so each call starts an editor with these).
nonisolated(unsafe) private var history: [[UInt8]] = []
private let historyLimit = 500

private func writeAll(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { b in
        var done = 0
        while done < b.count {
            let n = cWrite(1, b.baseAddress! + done, b.count - done)
            if n < 0 && errnoLocation().pointee == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}

/// One byte of standard input; nil at end of input or on an error.
private func readByte() -> UInt8? {
    var byte: UInt8 = 0
    while true {
        let n = cRead(0, &byte, 1)
        if n == 1 { return byte }
        if n < 0 && errnoLocation().pointee == EINTR { continue }
        return nil
    }
}

/// A malloc'd C string holding `line` (free()d by the caller, as GNU readline's result is).
private func cString(_ line: [UInt8]) -> UnsafeMutablePointer<CChar>? {
    let terminated = line.map { CChar(bitPattern: $0) } + [0]
    return terminated.withUnsafeBufferPointer { strdup($0.baseAddress!) }
}

/// The terminal on descriptor 0 in raw mode (as the shell's line editing sets it): the saved
/// struct termios (glibc's 60 bytes) to restore, or nil if descriptor 0 is no terminal.
private func enterRawMode() -> [UInt8]? {
    var saved = [UInt8](repeating: 0, count: 60)
    guard saved.withUnsafeMutableBytes({ tcgetattr(0, $0.baseAddress!) }) == 0 else { return nil }
    var raw = saved
    raw.withUnsafeMutableBytes { t in
        let iflag = t.load(fromByteOffset: 0, as: UInt32.self), lflag = t.load(fromByteOffset: 12, as: UInt32.self)
        t.storeBytes(of: iflag & ~(ICRNL | IXON), toByteOffset: 0, as: UInt32.self)
        t.storeBytes(of: lflag & ~(ICANON | ECHO | ISIG | IEXTEN), toByteOffset: 12, as: UInt32.self)
        t[17 + VMIN] = 1
        t[17 + VTIME] = 0
        _ = tcsetattr(0, TCSADRAIN, t.baseAddress!)
    }
    return saved
}

private func restore(_ saved: [UInt8]) {
    saved.withUnsafeBytes { _ = tcsetattr(0, TCSADRAIN, $0.baseAddress!) }
}

@_cdecl("readline")
public func readline(_ prompt: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    _ = cFflush(nil)         // what the program printed comes before the prompt
    let promptBytes = prompt.map { Array(cStringBytes($0)) } ?? []
    guard cIsatty(0) != 0, let saved = enterRawMode() else { return readPlainLine(promptBytes) }
    defer { restore(saved) }
    var editor = LineEditor(historyLimit: historyLimit)
    for line in history { editor.remember(line) }
    writeAll(editor.start(prompt: promptBytes))
    var output: [UInt8] = []
    while true {
        guard let byte = readByte() else { return nil }
        let event = editor.feed(byte, output: &output)
        writeAll(output)
        output.removeAll(keepingCapacity: true)
        switch event {
        case .editing: continue
        case .accepted(let line):
            return cString(line)
        case .endOfInput:
            return nil      // no newline: GNU readline leaves that to the program (lua writes one)
        case .interrupted:
            restore(saved)
            _ = raise(SIGINT)
            _ = enterRawMode()
            writeAll(editor.start(prompt: promptBytes))
        }
    }
}

/// Standard input is no terminal: the prompt, then the line echoed with its newline (GNU readline).
private func readPlainLine(_ prompt: [UInt8]) -> UnsafeMutablePointer<CChar>? {
    writeAll(prompt)
    var line: [UInt8] = []
    while true {
        guard let byte = readByte() else {
            if line.isEmpty { return nil }
            break
        }
        if byte == 10 { break }
        line.append(byte)
    }
    writeAll(line + [10])
    return cString(line)
}

@_cdecl("add_history")
public func add_history(_ line: UnsafePointer<CChar>?) {
    guard let line else { return }
    history.append(Array(cStringBytes(line)))
    if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
}

@_cdecl("using_history")
public func using_history() {}

@_cdecl("clear_history")
public func clear_history() {
    history = []
}
