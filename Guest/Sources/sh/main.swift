// sh — the shell. Reads lines from the console (the terminal is raw, so it echoes and edits the line
// itself), runs each command as a program from the initrd with its arguments, waits for it and
// reports a non-zero status.
//   builtins: exit [STATUS], help
//   COMMAND &   runs without waiting
//   echo TEXT… > FILE, echo TEXT… >> FILE   write or append a line to a file (the shell does this
//               itself: programs write to the console, so other commands cannot be redirected yet)
//   line editing: Backspace, Ctrl-U (clear the line), Ctrl-C (drop the line), Ctrl-D (exit on an empty line)
import UserLib

func write(_ text: String) {
    print(text, terminator: "")
    StandardOutput.flush()
}

/// Reads one line, echoing and editing; nil at Ctrl-D on an empty line.
func readLine() -> String? {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    var lastWasCR = false
    while true {
        let n = withUnsafeMutableBytes(of: &byte) { System.read(0, into: $0) }
        guard n == 1 else { return nil }
        switch byte {
        case 0x0d, 0x0a:                                   // Enter: CR from a raw terminal, LF from a pipe
            if byte == 0x0a && lastWasCR { lastWasCR = false; continue }
            lastWasCR = byte == 0x0d
            write("\n")
            return String(decoding: line, as: UTF8.self)
        case 0x7f, 0x08:                                   // Backspace
            if !line.isEmpty { line.removeLast(); write("\u{8} \u{8}") }
        case 0x15:                                         // Ctrl-U
            while !line.isEmpty { line.removeLast(); write("\u{8} \u{8}") }
        case 0x03:                                         // Ctrl-C
            write("^C\n")
            return ""
        case 0x04:                                         // Ctrl-D
            if line.isEmpty { write("\n"); return nil }
        case 0x20...0x7e:
            line.append(byte)
            write(String(decoding: [byte], as: UTF8.self))
        default:
            break                                          // other control bytes are ignored
        }
        if byte != 0x0d { lastWasCR = false }
    }
}

/// `echo [-n] TEXT… > FILE` (or `>>`): the line goes into FILE through the file server.
func redirectEcho(_ words: [String], arrow: Int) -> Bool {
    guard words[0] == "echo", arrow == words.count - 2 else {
        print("sh: redirection works only as: echo TEXT… > FILE  (or >> FILE)")
        return false
    }
    var text = Array(words[1..<arrow])
    let newline = text.first != "-n"
    if !newline { text.removeFirst() }
    var bytes: [UInt8] = []
    for (i, w) in text.enumerated() { bytes += (i > 0 ? [UInt8(ascii: " ")] : []) + Array(w.utf8) }
    if newline { bytes.append(UInt8(ascii: "\n")) }
    let path = words[arrow + 1]
    let result = words[arrow] == ">" ? Files.write(path, bytes) : Files.append(path, bytes)
    if case .failure(let e) = result {
        print("sh: \(path): \(e.description)")
        return false
    }
    return true
}

func run(_ line: String) -> Bool {
    var words = line.split(separator: " ").map(String.init)
    guard let command = words.first else { return true }
    switch command {
    case "exit":
        System.exit(Int32(words.count > 1 ? Int(words[1]) ?? 0 : 0))
    case "help":
        print("commands: echo ls cat mkdir rmdir rm mv cp touch fsck ps kill hello usertests … (any program in the initrd)")
        print("builtins: exit [STATUS], help; COMMAND & runs it in the background; echo TEXT > FILE (or >> FILE)")
        return true
    default:
        break
    }
    if let arrow = words.firstIndex(where: { $0 == ">" || $0 == ">>" }) {
        return redirectEcho(words, arrow: arrow)
    }
    var background = false
    if words.last == "&" { background = true; words.removeLast() }
    var commandLine = ""
    for (i, w) in words.enumerated() { commandLine += (i > 0 ? " " : "") + w }
    let pid = System.spawn(commandLine)
    guard pid > 0 else {
        print("sh: \(command): \(pid == -2 ? "not found" : pid == -8 ? "not an executable" : "cannot run (error \(-pid))")")
        return false
    }
    if background {
        print("[\(pid)]")
        return true
    }
    let status = System.wait(pid)
    if status != 0 { print("sh: \(command): exit status \(status)") }
    return status == 0
}

print("swiftvm shell — type help")
while true {
    // Reap finished background commands.
    write("$ ")
    guard let line = readLine() else { System.exit(0) }
    _ = run(line)
}
