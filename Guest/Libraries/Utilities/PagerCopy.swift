// PagerCopy.swift — less and more when standard output is not a terminal: like GNU less 590 and
// util-linux 2.38 more, they copy their input to standard output (in chunks, bounded memory) and
// page nothing. What each says of a file it cannot show, as they say it (checked on the host
// against the real programs by Tests/UtilitiesTests/PagerCopyTests.swift):
//   less: "NAME: No such file or directory" and "NAME is a directory" on standard OUTPUT (less
//         writes its messages where it writes the file), "-" is standard input; status 0; an
//         unknown option is reported on standard error ("There is no -Z option …") and ignored.
//         One difference: GNU less asks '"NAME" may be a binary file.  See it anyway?' of a file
//         with more than 5 control or high bytes in its first 256 (and, with no answer, ends with
//         status 1); this less copies every file as it is.
//   more: before each file, when there are several, a header of 14 colons, the name, 14 colons;
//         "more: cannot open NAME: reason" on standard error; a directory is
//         "\n*** NAME: directory ***\n\n" on standard output; status 0; an unknown option is
//         "more: invalid option -- 'X'" and status 1.
//         When standard input is not a terminal either, util-linux more copies it first, as one
//         more input, and so heads every named file (even a single one) with its header.

public enum PagerCopy {
    /// `inputIsTerminal`: whether standard input is a terminal (more reads it only when not).
    public static func run<IO: ToolIO>(_ arguments: [String], more: Bool, inputIsTerminal: Bool, _ io: IO) -> Int32 {
        var console = Console(io, program: more ? "more" : "less")
        let options: PagerOptions
        switch PagerOptions.parse(arguments, more: more) {
        case .success(let o): options = o
        case .failure(let e):
            if more {
                console.usage(e.message)
                return console.finish()
            }
            // less reports and goes on (the options it knows are the ones parsed)
            io.writeError(Array(("There is no such option (\"less --help\" for help): " + e.message + "\n").utf8))
            var rest = PagerOptions()
            rest.files = arguments.filter { !$0.hasPrefix("-") && !$0.hasPrefix("+") }
            options = rest
        }
        let stdinFirst = more && !inputIsTerminal && !options.files.isEmpty
        if options.files.isEmpty || stdinFirst {
            copy(io.standardInput(), name: "-", more: more, &console)
        }
        let headers = more && (options.files.count > 1 || stdinFirst)
        for name in options.files {
            if !more && name == "-" { copy(io.standardInput(), name: name, more: more, &console); continue }
            switch io.open(name) {
            case .failure(let e):
                if e == .EISDIR { directory(name, more: more, &console) } else { cannotOpen(name, e, more: more, &console) }
            case .success(let source):
                if headers {
                    let colons = String(repeating: ":", count: 14)
                    // the header waits for the first read: a directory opened on the host gets none
                    var buffer = [UInt8](repeating: 0, count: 64 << 10)
                    switch source.read(into: &buffer) {
                    case .failure(let e):
                        source.close()
                        if e == .EISDIR { directory(name, more: more, &console) } else { cannotOpen(name, e, more: more, &console) }
                        continue
                    case .success(let n):
                        console.put(colons + "\n" + name + "\n" + colons + "\n")
                        console.put(buffer[0..<n])
                        if n > 0 { copy(source, name: name, more: more, &console) }
                    }
                } else {
                    copy(source, name: name, more: more, &console)
                }
                source.close()
            }
        }
        console.flush()
        return console.writeFailed == nil ? 0 : 1
    }

    static func copy<IO: ToolIO>(_ source: IO.Source, name: String, more: Bool, _ console: inout Console<IO>) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var first = true
        while console.writeFailed == nil {
            switch source.read(into: &buffer) {
            case .failure(let e):
                if first && e == .EISDIR { directory(name, more: more, &console) } else { cannotOpen(name, e, more: more, &console) }
                return
            case .success(0): return
            case .success(let n): console.put(buffer[0..<n])
            }
            first = false
        }
    }

    static func directory<IO: ToolIO>(_ name: String, more: Bool, _ console: inout Console<IO>) {
        console.put(more ? "\n*** " + name + ": directory ***\n\n" : name + " is a directory\n")
    }

    static func cannotOpen<IO: ToolIO>(_ name: String, _ e: SystemError, more: Bool, _ console: inout Console<IO>) {
        if more {
            console.flush()
            console.io.writeError(Array(("more: cannot open " + name + ": " + e.message + "\n").utf8))
        } else {
            console.put(name + ": " + e.message + "\n")
        }
    }
}
