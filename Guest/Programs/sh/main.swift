// sh — the shell. With arguments (`sh -c STRING`, `sh FILE`, `sh -s`) it is the POSIX shell
// (Script.swift: the Shell library over the Posix backend). Without, it is the interactive line
// shell described here. Reads lines from the console (the terminal is raw, so it echoes and edits the line
// itself), runs each command as a program from the initrd with its arguments, waits for it and
// reports a non-zero status.
//   builtins: cd [DIR], pwd, exit [STATUS], help
//   COMMAND &   runs without waiting
//   COMMAND > FILE, COMMAND >> FILE   standard output to FILE (emptied first, or appended to)
//   COMMAND < FILE                    standard input from FILE
//   COMMAND | COMMAND …               a pipeline: all stages at once, through pipes (piped)
//   line editing: ← → Home End Delete Backspace, ↑ ↓ history, Tab completion (programs, paths),
//   Ctrl-E (end), Ctrl-U (clear the line),
//   Ctrl-C (drop the line), Ctrl-D (exit on an empty line)
import UserLib

func write(_ text: String) {
    print(text, terminator: "")
    StandardOutput.flush()
}

let builtins = ["cd", "pwd", "exit", "help"]

/// Tab completion: the word before the cursor, and what it may become — a program or builtin for
/// the first word, else a path (directories end in "/").
func completions(for line: [UInt8]) -> (word: [UInt8], candidates: [String]) {
    let start = (line.lastIndex(of: UInt8(ascii: " ")).map { $0 + 1 }) ?? 0
    let word = Array(line[start...])
    let isCommand = !line[..<start].contains { $0 != UInt8(ascii: " ") } && !word.contains(UInt8(ascii: "/"))
    if isCommand {
        let names = (System.programs() + builtins).filter { Array($0.utf8).starts(with: word) }
        var unique: [String] = []
        for n in names where !unique.contains(n) { unique.append(n) }
        return (word, unique.sorted())
    }
    let slash = word.lastIndex(of: UInt8(ascii: "/"))
    let directory = slash.map { String(decoding: word[...$0], as: UTF8.self) } ?? "."
    let prefix = Array(slash.map { word[($0 + 1)...] } ?? word[...])
    guard case .success(let entries) = Files.list(directory) else { return (word, []) }
    let base = slash.map { Array(word[...$0]) } ?? []
    let matches = entries.filter { Array($0.name.utf8).starts(with: prefix) && !$0.name.isEmpty }
        .map { String(decoding: base, as: UTF8.self) + $0.name + ($0.kind == .directory ? "/" : "") }
    return (word, matches.sorted())
}

/// The line being typed: echoing, cursor movement and history, for a raw terminal (VT100 keys).
struct LineEditor {
    var history: [[UInt8]] = []
    static let historyLimit = 100

    /// Reads one line; nil at Ctrl-D on an empty line (or when input ends).
    mutating func readLine() -> String? {
        var line: [UInt8] = []
        var cursor = 0
        var recalled = history.count          // history index shown; history.count = the new line
        var draft: [UInt8] = []               // what was typed before moving into the history
        var escape: [UInt8] = []              // an escape sequence being read
        var lastWasCR = false

        func back(_ n: Int) { if n > 0 { write(String(repeating: "\u{8}", count: n)) } }
        func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        /// Redraws from the cursor to the end (clearing `extra` old characters), then puts the cursor back.
        func redrawTail(_ extra: Int) {
            write(text(line[cursor...]) + String(repeating: " ", count: extra))
            back(line.count - cursor + extra)
        }
        func replace(with new: [UInt8]) {
            back(cursor)
            let old = line.count
            line = new
            cursor = 0
            redrawTail(max(old - new.count, 0))
            write(text(line[...]))
            cursor = line.count
        }

        while true {
            guard let byte = System.readByte(0) else { return nil }
            if !escape.isEmpty || byte == 0x1b {
                escape.append(byte)
                // ESC [ X or ESC O X: X is the key; ESC [ 3 ~ is Delete.
                if escape.count == 2 && byte != UInt8(ascii: "[") && byte != UInt8(ascii: "O") { escape = []; continue }
                if escape.count < 3 || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) { continue }
                let key = escape.count == 4 && escape[2] == UInt8(ascii: "3") && byte == UInt8(ascii: "~") ? UInt8(ascii: "x") : byte
                escape = []
                switch key {
                case UInt8(ascii: "A") where recalled > 0:                                  // Up
                    if recalled == history.count { draft = line }
                    recalled -= 1
                    replace(with: history[recalled])
                case UInt8(ascii: "B") where recalled < history.count:                      // Down
                    recalled += 1
                    replace(with: recalled == history.count ? draft : history[recalled])
                case UInt8(ascii: "C") where cursor < line.count:                           // Right
                    write(text(line[cursor...cursor])); cursor += 1
                case UInt8(ascii: "D") where cursor > 0:                                    // Left
                    back(1); cursor -= 1
                case UInt8(ascii: "H"):                                                     // Home
                    back(cursor); cursor = 0
                case UInt8(ascii: "F"):                                                     // End
                    write(text(line[cursor...])); cursor = line.count
                case UInt8(ascii: "x") where cursor < line.count:                           // Delete
                    line.remove(at: cursor); redrawTail(1)
                default: break
                }
                continue
            }
            switch byte {
            case 0x0d, 0x0a:                                   // Enter: CR from a raw terminal, LF from a pipe
                if byte == 0x0a && lastWasCR { lastWasCR = false; continue }
                lastWasCR = byte == 0x0d
                write("\n")
                if !line.isEmpty && history.last != line {
                    history.append(line)
                    if history.count > LineEditor.historyLimit { history.removeFirst() }
                }
                return String(decoding: line, as: UTF8.self)
            case 0x7f, 0x08:                                   // Backspace
                if cursor > 0 { cursor -= 1; line.remove(at: cursor); back(1); redrawTail(1) }
            case 0x15:                                         // Ctrl-U: clear the line
                replace(with: [])
            case 0x09 where cursor == line.count:              // Tab: complete the word being typed
                let (word, candidates) = completions(for: line)
                guard !candidates.isEmpty else { break }
                var common = Array(candidates[0].utf8)
                for c in candidates.dropFirst() {
                    let bytes = Array(c.utf8)
                    var k = 0
                    while k < common.count && k < bytes.count && common[k] == bytes[k] { k += 1 }
                    common = Array(common.prefix(k))
                }
                if common.count > word.count {
                    var added = Array(common[word.count...])
                    // A single file or program is finished with a space; a directory with its "/".
                    if candidates.count == 1 && common.last != UInt8(ascii: "/") { added.append(UInt8(ascii: " ")) }
                    line += added
                    cursor = line.count
                    write(text(added[...]))
                } else if candidates.count > 1 {
                    var listing = "\n"
                    for c in candidates { listing += c + "  " }
                    write(listing + "\n$ " + text(line[...]))
                }
            case 0x05:                                         // Ctrl-E: end of line
                write(text(line[cursor...])); cursor = line.count
            case 0x03:                                         // Ctrl-C: drop the line
                write("^C\n")
                return ""
            case 0x04:                                         // Ctrl-D: exit on an empty line
                if line.isEmpty { write("\n"); return nil }
            case 0x20...0x7e:
                line.insert(byte, at: cursor)
                cursor += 1
                write(text(line[(cursor - 1)...cursor - 1]))
                redrawTail(0)
            default:
                break                                          // other control bytes are ignored
            }
            if byte != 0x0d { lastWasCR = false }
        }
    }
}

func run(_ line: String) -> Bool {
    var words = line.split(separator: " ").map(String.init)
    guard let command = words.first else { return true }
    switch command {
    case "exit":
        System.exit(Int32(words.count > 1 ? Int(words[1]) ?? 0 : 0))
    case "help":
        print("commands: echo ls cat mkdir rmdir rm mv cp touch fsck ps kill hello usertests … (any program in the initrd)")
        print("builtins: cd [DIR], pwd, exit [STATUS], help")
        print("COMMAND > FILE (or >> FILE), COMMAND < FILE, COMMAND | COMMAND …, COMMAND &")
        return true
    default:
        break
    }
    if command == "cd" {
        let target = Paths.absolute(words.count > 1 ? words[1] : "/")
        switch Files.stat(target) {
        case .failure(let e): print("sh: cd: \(target): \(e.description)"); return false
        case .success(let s) where s.kind != .directory: print("sh: cd: \(target): not a directory"); return false
        case .success: Environment.set("PWD", target); return true
        }
    }
    if command == "pwd" {
        print(Environment.workingDirectory)
        return true
    }
    var background = false
    if words.last == "&" { background = true; words.removeLast() }
    guard let pipeline = parsePipeline(words) else { return false }
    if background && pipeline.stages.count > 1 {
        print("sh: a pipeline cannot run in the background yet")
        return false
    }
    guard pipeline.stages.count > 1 else { return runSingle(pipeline, background: background) }
    guard Pipes.available else {
        print("sh: pipelines need the pipe server (piped), which init starts")
        return false
    }
    return runConcurrently(pipeline)
}

/// COMMAND [< IN] | COMMAND … [> OUT | >> OUT]
struct Pipeline {
    var stages: [[String]]
    var input: String? = nil
    var output: String? = nil
    var append = false
}

func parsePipeline(_ words: [String]) -> Pipeline? {
    var pipeline = Pipeline(stages: [[]])
    var i = 0
    while i < words.count {
        let w = words[i]
        if w == "|" {
            guard !pipeline.stages[pipeline.stages.count - 1].isEmpty else { break }
            pipeline.stages.append([])
        } else if w == "<" || w == ">" || w == ">>" {
            guard i + 1 < words.count, !["<", ">", ">>", "|"].contains(words[i + 1]) else {
                print("sh: \(w) needs a file name")
                return nil
            }
            let path = Paths.absolute(words[i + 1])
            if w == "<" {
                guard pipeline.stages.count == 1 else { print("sh: < goes with the first command of a pipeline"); return nil }
                pipeline.input = path
            } else {
                pipeline.output = path
                pipeline.append = w == ">>"
            }
            i += 1
        } else {
            pipeline.stages[pipeline.stages.count - 1].append(w)
        }
        i += 1
    }
    guard !pipeline.stages.contains(where: { $0.isEmpty }) else {
        print("sh: syntax error: an empty command in the pipeline")
        return nil
    }
    return pipeline
}

/// Opens the pipeline's input and output files (checking the input, creating or emptying the output,
/// as a Unix shell opens them before the commands run); false after reporting a problem.
func openRedirections(_ pipeline: Pipeline) -> Bool {
    if let input = pipeline.input {
        switch Files.stat(input) {
        case .failure(let e): print("sh: \(input): \(e.description)"); return false
        case .success(let s) where s.kind == .directory: print("sh: \(input): is a directory"); return false
        case .success: break
        }
    }
    if let output = pipeline.output {
        let opened = pipeline.append ? Files.append(output, []) : Files.write(output, [])
        if case .failure(let e) = opened { print("sh: \(output): \(e.description)"); return false }
    }
    return true
}

func spawn(_ stage: [String], input: String?, output: String?) -> Int {
    var commandLine = ""
    for (k, w) in stage.enumerated() { commandLine += (k > 0 ? " " : "") + w }
    Environment.set("SV_STDIN", input)
    Environment.set("SV_STDOUT", output)
    let pid = System.spawn(commandLine)
    Environment.set("SV_STDIN", nil)
    Environment.set("SV_STDOUT", nil)
    if pid <= 0 {
        print("sh: \(stage[0]): \(pid == -2 ? "not found" : pid == -8 ? "not an executable" : "cannot run (error \(-pid))")")
    }
    return pid
}

/// All stages at once, connected by pipes (piped). When a stage ends — however it ends — the shell
/// closes its ends of the pipes: the next stage then sees the end of its input, the previous one
/// EPIPE. The pipeline's status is its last command's, as in a POSIX shell.
func runConcurrently(_ pipeline: Pipeline) -> Bool {
    guard openRedirections(pipeline) else { return false }
    var pipes: [UInt64] = []
    for _ in 0..<(pipeline.stages.count - 1) {
        guard case .success(let id) = Pipes.create() else { print("sh: cannot create a pipe"); return false }
        pipes.append(id)
    }
    var pids: [Int] = []
    for (i, stage) in pipeline.stages.enumerated() {
        let input = i == 0 ? pipeline.input : "pipe:\(pipes[i - 1])"
        let output = i == pipeline.stages.count - 1 ? pipeline.output : "pipe:\(pipes[i])"
        let pid = spawn(stage, input: input, output: output)
        pids.append(pid)
        if pid <= 0 {   // this stage never runs: its neighbours must not wait for it
            if i > 0 { Pipes.close(pipes[i - 1], end: Pipes.readEnd) }
            if i < pipes.count { Pipes.close(pipes[i], end: Pipes.writeEnd) }
        }
    }
    var running = pids.filter { $0 > 0 }.count
    var lastStatus = pids.last! > 0 ? 0 : 127
    while running > 0, let (pid, status) = System.waitAny() {
        guard let i = pids.firstIndex(of: pid) else { continue }   // an earlier background job
        running -= 1
        if i > 0 { Pipes.close(pipes[i - 1], end: Pipes.readEnd) }
        if i < pipes.count { Pipes.close(pipes[i], end: Pipes.writeEnd) }
        if i == pids.count - 1 { lastStatus = status }
    }
    if lastStatus != 0 { print("sh: \(pipeline.stages.last![0]): exit status \(lastStatus)") }
    return lastStatus == 0
}

/// One command (no pipe), in the foreground or the background.
func runSingle(_ pipeline: Pipeline, background: Bool) -> Bool {
    guard openRedirections(pipeline) else { return false }
    let stage = pipeline.stages[0]
    let pid = spawn(stage, input: pipeline.input, output: pipeline.output)
    guard pid > 0 else { return false }
    if background {
        print("[\(pid)]")
        return true
    }
    let status = System.wait(pid)
    if status != 0 { print("sh: \(stage[0]): exit status \(status)") }
    return status == 0
}

func main() -> Never {
    let arguments = System.arguments
    if arguments.count > 1 { Script.run(arguments[0], Array(arguments.dropFirst())) }
    print("swiftvm shell — type help")
    var editor = LineEditor()
    while true {
        write("$ ")
        guard let line = editor.readLine() else { System.exit(0) }
        _ = run(line)
    }
}

main()
