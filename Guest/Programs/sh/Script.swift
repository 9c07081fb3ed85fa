// Script.swift — sh with arguments: the POSIX shell (Guest/Libraries/Shell, the same library the
// host's swiftvm-sh runs against dash) over the guest's Posix backend (Guest/Libraries/Posix).
//   sh -c STRING [NAME ARGS…]   sh FILE [ARGS…]   sh -s / sh - (a script on standard input)
// Options before them as dash takes them: -e -u -x -f -C -a -n -v, +x …, -o NAME.
// Interactive (XCU sh): -i, or no operand and no -c with standard input and standard error on a
// terminal; a login shell (argv[0] starting with "-", or -l) reads $HOME/.profile first.
import Posix
import Shell

enum Script {
    /// Runs the shell as `arguments` (argv without argv[0]) ask; never returns.
    static func run(_ argv0: String, _ given: [String]) -> Never {
        var arguments = given
        var options: [String] = []
        var readCommandString = false
        var readStandardInput = false
        var interactive = false
        var login = argv0.hasPrefix("-")
        while let a = arguments.first, a.utf8.count > 1, a.hasPrefix("-") || a.hasPrefix("+") {
            arguments.removeFirst()
            if a == "--" { break }
            if a == "-o" || a == "+o", let name = arguments.first {
                arguments.removeFirst()
                options.append(a)
                options.append(name)
                continue
            }
            var flags = a.hasPrefix("-") ? "-" : "+"
            for ch in a.dropFirst() {
                if ch == "c" { readCommandString = true } else if ch == "s" { readStandardInput = true }
                else if ch == "i" { interactive = true } else if ch == "l" { login = true } else { flags.append(ch) }
            }
            if flags.count > 1 { options.append(flags) }
        }
        if arguments.first == "-" { arguments.removeFirst(); readStandardInput = true }
        let shell: Shell
        let source: [UInt8]
        if readCommandString {
            guard let s = arguments.first else {
                complain("\(argv0): -c requires an argument\n")
                Posix.exit(2)
            }
            arguments.removeFirst()
            shell = Shell(arg0: arguments.first ?? argv0, arguments: Array(arguments.dropFirst()))
            source = Array(s.utf8)
        } else if !readStandardInput, let file = arguments.first {
            shell = Shell(arg0: file, arguments: Array(arguments.dropFirst()))
            switch readAll(file) {
            case .success(let bytes): source = bytes
            case .failure(let e):
                complain("\(argv0): 0: cannot open \(file): \(e == .ENOENT ? "No such file" : e.message)\n")
                Posix.exit(2)   // dash exits 2 when the script cannot be opened
            }
        } else if interactive || (arguments.isEmpty && Posix.isatty(0) && Posix.isatty(2)) {
            shell = Shell(arg0: argv0, arguments: arguments)
            if !options.isEmpty { _ = shell.setOptions(options) }
            // Every process here runs as root, whose prompt would be "# "; the console has always
            // shown "$ ", which is kept unless the environment sets PS1.
            if Posix.environment().allSatisfy({ !$0.hasPrefix("PS1=") }) { shell.assign("PS1", "$ ") }
            Posix.exit(shell.runInteractive(login: login))
        } else {
            // A script on standard input, read whole (as swiftvm-sh does).
            shell = Shell(arg0: argv0, arguments: arguments)
            var bytes: [UInt8] = []
            while let chunk = try? Posix.read(0, count: 65536), !chunk.isEmpty { bytes.append(contentsOf: chunk) }
            source = bytes
        }
        if !options.isEmpty { _ = shell.setOptions(options) }
        Posix.exit(shell.run(source: source))
    }

    static func readAll(_ path: String) -> Result<[UInt8], Errno> {
        do throws(Errno) {
            let fd = try Posix.open(path, O_RDONLY | O_CLOEXEC)
            defer { try? Posix.close(fd) }
            var bytes: [UInt8] = []
            while true {
                let chunk = try Posix.read(fd, count: 65536)
                if chunk.isEmpty { break }
                bytes.append(contentsOf: chunk)
            }
            return .success(bytes)
        } catch {
            return .failure(error)
        }
    }

    static func complain(_ text: String) {
        _ = try? Posix.write(2, Array(text.utf8))
    }
}
