// sh — the shell. Reads lines from the console (the terminal is raw, so it echoes and edits the line
// itself), runs each command as a program from the initrd with its arguments, waits for it and
// reports a non-zero status.
//   builtins: cd [DIR], pwd, exit [STATUS], help
//   COMMAND &   runs without waiting
//   COMMAND > FILE, COMMAND >> FILE   standard output to FILE (emptied first, or appended to)
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

func run(_ line: String) -> Bool {
    var words = line.split(separator: " ").map(String.init)
    guard let command = words.first else { return true }
    switch command {
    case "exit":
        System.exit(Int32(words.count > 1 ? Int(words[1]) ?? 0 : 0))
    case "help":
        print("commands: echo ls cat mkdir rmdir rm mv cp touch fsck ps kill hello usertests … (any program in the initrd)")
        print("builtins: cd [DIR], pwd, exit [STATUS], help")
        print("COMMAND … > FILE (or >> FILE) sends its output to FILE; COMMAND … & runs it in the background")
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
    // COMMAND … > FILE / >> FILE: the shell creates (or empties) FILE, as a Unix shell opens it, and
    // the program's standard output goes there (SV_STDOUT in its environment; UserLib does the rest).
    var output: String? = nil
    if let arrow = words.firstIndex(where: { $0 == ">" || $0 == ">>" }) {
        guard arrow == words.count - 2, arrow > 0 else {
            print("sh: redirection: COMMAND … > FILE  or  COMMAND … >> FILE")
            return false
        }
        let path = Paths.absolute(words[arrow + 1])
        let opened = words[arrow] == ">" ? Files.write(path, []) : Files.append(path, [])
        if case .failure(let e) = opened {
            print("sh: \(words[arrow + 1]): \(e.description)")
            return false
        }
        output = path
        words.removeLast(2)
    }
    var commandLine = ""
    for (i, w) in words.enumerated() { commandLine += (i > 0 ? " " : "") + w }
    if let output { Environment.set("SV_STDOUT", output) }
    let pid = System.spawn(commandLine)
    if output != nil { Environment.set("SV_STDOUT", nil) }
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
