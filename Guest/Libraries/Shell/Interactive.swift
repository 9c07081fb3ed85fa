// Interactive.swift — the interactive shell (XCU sh, "-i" and the interactive shell of 2.12):
// prompts (PS1, PS2 after an incomplete command, both with parameter expansion), lines read with
// the line editor (Guest/Libraries/LineEditor), history in memory and in $HOME/.sh_history,
// $HOME/.profile for a login shell and $ENV for every interactive one, job notices before a
// prompt, and errors that end the command, not the shell (XCU 2.8.1: "shall not exit" for an
// interactive shell).
//
// The terminal is switched by the backend's enterRawMode / restoreTerminalMode only: raw while a
// line is edited, as it was while a command runs (so a program gets the terminal it expects).
import LineEditor
import Posix

extension Shell {
    /// Runs the interactive shell reading the terminal on descriptor 0 and writing prompts and
    /// the echo to descriptor 2 (as dash does). `login`: run $HOME/.profile first. Returns the
    /// status to exit with (after the EXIT trap).
    public func runInteractive(login: Bool) -> Int32 {
        isInteractive = true
        // XCU sh: an interactive shell catches SIGINT and ignores SIGQUIT and SIGTERM; with a
        // terminal that has a foreground group, job control (JobControl.swift).
        for sig in [SIGINT, SIGQUIT, SIGTERM] { applyDisposition(sig) }
        enableJobControl()
        if login, let home = value("HOME"), !home.isEmpty {
            sourceStartupFile(home + "/.profile")
        }
        // XCU sh: ENV undergoes parameter expansion and names a file an interactive shell reads.
        if let env = value("ENV"), !env.isEmpty, let path = expandPromptText(env) {
            sourceStartupFile(path)
        }
        var editor = LineEditor(completer: { word, command in self.completions(word, command: command) })
        let historyFile = value("HOME").map { $0 + "/.sh_history" }
        if let file = historyFile, let bytes = readWholeFile(file) {
            for line in bytes.split(separator: 10) { editor.remember(Array(line)) }
        }
        var input = TerminalInput()
        var text: [UInt8] = []
        var linesRead = 0
        while true {
            if text.isEmpty { notifyChangedJobs() }
            let prompt = expandPromptText(value(text.isEmpty ? "PS1" : "PS2") ?? "") ?? ""
            // Raw mode first, then the prompt: a key typed once the prompt shows must reach the
            // editor as typed, not through the canonical line discipline (which swallows ^C into
            // SIGINT, turns ^D into an end-of-file mark and Enter into LF).
            let raw = Posix.enterRawMode(0)
            write(2, editor.start(prompt: Array(prompt.utf8)))
            var event = LineEditor.Event.editing
            var output: [UInt8] = []
            while event == .editing {
                guard let byte = input.next() else { event = .endOfInput; break }
                event = editor.feed(byte, output: &output)
                // Without a terminal (input from a pipe) nothing is echoed: the text is not typed.
                if raw && (!output.isEmpty) { write(2, output) }
                output.removeAll(keepingCapacity: true)
            }
            Posix.restoreTerminalMode(0)
            switch event {
            case .accepted(let line):
                if let file = historyFile, !line.isEmpty { appendHistory(file, line) }
                text += line + [10]
                if isIncomplete(text) { continue }
                let command = text
                text = []
                // dash numbers the lines it read (what its messages show), whatever ran.
                let firstLine = linesRead + 1
                linesRead += command.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                if !runInteractiveText(command, line: firstLine) {
                    if warnStoppedJobs() { continue }
                    return leaveInteractive()
                }
                warnedAboutStoppedJobs = false
            case .interrupted:
                text = []
                // Ctrl-C at the prompt is SIGINT to the shell (raw mode delivers it as a key): a
                // trap on INT runs; otherwise the line is dropped and $? is 130.
                if let action = traps[SIGINT] {
                    if !action.isEmpty { noteSignal(SIGINT); _ = runInteractiveText([], line: linesRead) }
                } else {
                    status = 130
                }
            case .endOfInput, .editing:
                if raw { write(2, [10]) }
                if raw && warnStoppedJobs() { continue }
                return leaveInteractive()
            }
        }
    }

    /// XCU 2.11 / dash: the first attempt to exit with stopped jobs only warns; true then.
    func warnStoppedJobs() -> Bool {
        guard jobControl && hasStoppedJobs && !warnedAboutStoppedJobs else { return false }
        warnedAboutStoppedJobs = true
        exitRequested = false
        write(2, Array("You have stopped jobs.\n".utf8))
        return true
    }

    /// Leaving the interactive shell: stopped jobs get SIGHUP and SIGCONT (what a session leader's
    /// exit sends its session; nothing else would ever continue them), the terminal goes back to
    /// the group the shell started in, then the EXIT trap.
    func leaveInteractive() -> Int32 {
        for job in jobOrder where job.state == .stopped && job.jobControl {
            try? Posix.kill(-job.processGroup, SIGHUP)
            try? Posix.kill(-job.processGroup, SIGCONT)
        }
        disableJobControl()
        return finish()
    }

    /// A file run with `.` at startup; a missing file is no error, any other error is reported
    /// and the shell goes on.
    func sourceStartupFile(_ path: String) {
        guard let source = readWholeFile(path) else { return }
        do { try runCommands(source, lineOffset: 1) } catch {
            if case .exit(let s) = error {
                status = s
                if exitRequested { Posix.exit(finish()) }
            }
        }
    }

    /// Runs one complete command text (and the traps of signals that arrived); false when the
    /// shell is to exit.
    func runInteractiveText(_ text: [UInt8], line: Int) -> Bool {
        do {
            try runCommands(text, lineOffset: line)
            try runPendingTraps()
        } catch {
            switch error {
            case .exit(let s):
                status = s
                // `exit`, or an error under set -e, ends the shell; any other error only the command.
                if exitRequested || options.errexit { return false }
            case .interrupted:
                status = 130   // Ctrl-C abandoned the command (runPendingTraps)
            default: break
            }
        }
        return true
    }

    /// Whether `text` ends inside a command that more lines can finish (an open quote, `if`
    /// without `fi`, a trailing `&&` or `|`, …): then PS2 asks for the rest.
    func isIncomplete(_ text: [UInt8]) -> Bool {
        let parser = Parser(source: text, lineOffset: 1, aliases: { self.aliases[$0] })
        do {
            while try parser.parseNextCommand() != nil {}
            return false
        } catch {
            let m = error.message
            return m.hasPrefix("end of file unexpected") || m.hasPrefix("Unterminated") || m.hasPrefix("Missing")
                || m.hasPrefix("EOF in")
        }
    }

    /// A prompt's text after parameter expansion, command substitution and arithmetic (as
    /// inside double quotes); nil if it does not parse.
    func expandPromptText(_ text: String) -> String? {
        let parser = Parser(source: Array(text.utf8))
        guard let parts = try? parser.readParts(.hereDocument) else { return nil }
        do { return try expandString([.doubleQuoted(parts)]) } catch { return nil }
    }

    func appendHistory(_ file: String, _ line: [UInt8]) {
        guard let fd = try? Posix.open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) else { return }
        write(fd, line + [10])
        try? Posix.close(fd)
    }

    // MARK: completion

    /// Tab completion: command names (builtins, functions, aliases, executables in PATH) where a
    /// command goes, else file names (a directory with "/"; dot files only for a word starting
    /// with ".").
    func completions(_ word: [UInt8], command: Bool) -> [[UInt8]] {
        let prefix = String(decoding: word, as: UTF8.self)
        var names: [String] = []
        if command {
            names += Shell.specialBuiltins.filter { $0.hasPrefix(prefix) }
            names += Shell.regularBuiltins.filter { $0.hasPrefix(prefix) }
            names += functions.keys.filter { $0.hasPrefix(prefix) }
            names += aliases.keys.filter { $0.hasPrefix(prefix) }
            for dir in (value("PATH") ?? "").split(separator: ":") {
                guard let entries = try? Posix.readDirectory(String(dir)) else { continue }
                for e in entries where e.hasPrefix(prefix) && e != "." && e != ".." {
                    if let st = try? Posix.stat(String(dir) + "/" + e), S_ISREG(st.mode), st.mode & 0o111 != 0 { names.append(e) }
                }
            }
            return names.map { Array($0.utf8) }
        }
        let slash = word.lastIndex(of: 47)
        let directory = slash.map { $0 == 0 ? "/" : String(decoding: word[..<$0], as: UTF8.self) } ?? "."
        let head = slash.map { Array(word[...$0]) } ?? []
        let stem = String(decoding: slash.map { word[($0 + 1)...] } ?? word[...], as: UTF8.self)
        guard let entries = try? Posix.readDirectory(directory) else { return [] }
        var result: [[UInt8]] = []
        for e in entries where e.hasPrefix(stem) && e != "." && e != ".." {
            if e.hasPrefix(".") && !stem.hasPrefix(".") { continue }
            let isDirectory = (try? Posix.stat(directory + "/" + e)).map { S_ISDIR($0.mode) } ?? false
            result.append(head + Array(e.utf8) + (isDirectory ? [47] : []))
        }
        return result
    }
}

/// Bytes from descriptor 0, read as they come (a terminal gives what was typed, a pipe its chunks).
struct TerminalInput {
    var pending: [UInt8] = []
    var index = 0
    var ended = false

    mutating func next() -> UInt8? {
        while index >= pending.count {
            if ended { return nil }
            guard let chunk = try? Posix.read(0, count: 512), !chunk.isEmpty else { ended = true; return nil }
            pending = chunk
            index = 0
        }
        defer { index += 1 }
        return pending[index]
    }
}
