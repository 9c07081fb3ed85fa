// main.swift — swiftvm-sh: the Shell library as a Linux program (`sh [-eux…] FILE ARGS…`,
// `sh -c STRING [NAME ARGS…]`, a script on standard input, or `sh -i`: the interactive shell).
// Imports only Shell and Posix.
import Posix
import Shell

var arguments = Array(CommandLine.arguments.dropFirst())
var options: [String] = []
var commandString: String?
var readCommandString = false
var interactive = false
var login = CommandLine.arguments[0].hasPrefix("-")
while let a = arguments.first, a.utf8.count > 1, a.hasPrefix("-") || a.hasPrefix("+") {
    arguments.removeFirst()
    if a == "--" || a == "-" { break }
    if a == "-c" { readCommandString = true; continue }
    if a == "-o" || a == "+o", let name = arguments.first {
        arguments.removeFirst()
        options.append(a); options.append(name)
        continue
    }
    var flags = a.hasPrefix("-") ? "-" : "+"
    for ch in a.dropFirst() {
        if ch == "c" { readCommandString = true } else if ch == "i" { interactive = true } else if ch == "l" { login = true }
        else if ch != "s" { flags.append(ch) }
    }
    if flags.count > 1 { options.append(flags) }
}
let shell: Shell
let source: [UInt8]
if readCommandString {
    guard let s = arguments.first else {
        _ = try? Posix.write(2, Array("swiftvm-sh: -c requires an argument\n".utf8))
        Posix.exit(2)
    }
    arguments.removeFirst()
    commandString = s
    shell = Shell(arg0: arguments.first ?? CommandLine.arguments[0], arguments: Array(arguments.dropFirst()))
    source = Array(s.utf8)
} else if let file = arguments.first {
    shell = Shell(arg0: file, arguments: Array(arguments.dropFirst()))
    var bytes: [UInt8] = []
    do {
        let fd = try Posix.open(file, O_RDONLY | O_CLOEXEC)
        while true {
            let chunk = try Posix.read(fd, count: 65536)
            if chunk.isEmpty { break }
            bytes.append(contentsOf: chunk)
        }
        try? Posix.close(fd)
    } catch {
        _ = try? Posix.write(2, Array("\(CommandLine.arguments[0]): 0: cannot open \(file): \(error == .ENOENT ? "No such file" : error.message)\n".utf8))
        Posix.exit(2)   // dash exits 2 when the script cannot be opened
    }
    source = bytes
} else if interactive || (arguments.isEmpty && Posix.isatty(0) && Posix.isatty(2)) {
    // The interactive shell (XCU sh: -i, or a terminal on standard input and standard error).
    shell = Shell(arg0: CommandLine.arguments[0], arguments: arguments)
    if !options.isEmpty { _ = shell.setOptions(options) }
    Posix.exit(shell.runInteractive(login: login))
} else {
    // A script on standard input (read whole: a command that reads stdin sees what follows it
    // only in dash, which reads line by line).
    shell = Shell(arg0: CommandLine.arguments[0], arguments: arguments)
    var bytes: [UInt8] = []
    while let chunk = try? Posix.read(0, count: 65536), !chunk.isEmpty { bytes.append(contentsOf: chunk) }
    source = bytes
}
if !options.isEmpty {
    _ = shell.setOptions(options)
}
Posix.exit(shell.run(source: source))
