// Xargs.swift — xargs [-0] [-d DELIM] [-n MAX] [-L MAX] [-I REPLACE] [-r] [-t] [-E EOF] [-s SIZE] [-P N]
// [-x] [COMMAND [ARG…]] (POSIX.1-2017 "xargs"; GNU findutils' -0 -d -r and exit statuses):
// arguments read from standard input (blank-separated with '…' "…" and \ quoting; or NUL- or
// DELIM-separated; or, with -I, one line each) are appended to COMMAND (default echo), which runs
// as often as the limits require. Reads a token at a time; holds one command line. -P runs the commands one at a
// time.
// Status: 0; 123 when a command exited 1-125; 124 when one exited 255 (xargs stops); 125 when
// one was killed; 126 cannot run; 127 not found.

public enum Xargs {
    static let specs = [
        OptionSpec("0", "null"), OptionSpec("d", "delimiter", argument: true), OptionSpec("n", "max-args", argument: true),
        OptionSpec("L", "max-lines", argument: true), OptionSpec("I", argument: true, key: "I"),
        OptionSpec("r", "no-run-if-empty"), OptionSpec("t", "verbose"), OptionSpec("E", argument: true, key: "E"),
        OptionSpec("s", "max-chars", argument: true), OptionSpec("x", "exit"),
        // -P: accepted and checked, but the commands run one at a time (as -P 1 runs them)
        OptionSpec("P", "max-procs", argument: true),
    ]

    /// GNU's -d escapes: \n \t \\ \0 \a \b \f \r \v, \NNN octal, \xHH.
    static func delimiter(_ text: String) -> UInt8? {
        let b = Array(text.utf8)
        if b.count == 1 { return b[0] }
        guard b.count >= 2, b[0] == 92 else { return nil }
        switch b[1] {
        case 110 where b.count == 2: return 10
        case 116 where b.count == 2: return 9
        case 92 where b.count == 2: return 92
        case 97 where b.count == 2: return 7
        case 98 where b.count == 2: return 8
        case 102 where b.count == 2: return 12
        case 114 where b.count == 2: return 13
        case 118 where b.count == 2: return 11
        case 120:
            var v = 0
            for c in b[2...] {
                let d: Int
                if c >= 48 && c <= 57 { d = Int(c - 48) } else if (c | 0x20) >= 97 && (c | 0x20) <= 102 { d = Int((c | 0x20) - 87) } else { return nil }
                v = v * 16 + d
                if v > 255 { return nil }
            }
            return b.count > 2 ? UInt8(v) : nil
        case 48...55:
            var v = 0
            for c in b[1...] { guard c >= 48 && c <= 55 else { return nil }; v = v * 8 + Int(c - 48); if v > 255 { return nil } }
            return UInt8(v)
        default: return nil
        }
    }

    /// The argument reader: the next argument, and whether it ended its input line (-L counts lines).
    struct Reader<Source: ByteSource> {
        var bytes: ByteReader<Source>
        let mode: UInt8?          // nil: blanks and quotes; else the delimiter (NUL for -0)
        let wholeLines: Bool      // -I: a line is one argument (leading blanks dropped)
        var problem: String? = nil

        /// The next argument; nil at the end. `endsLine`: it was the last of its line (a line
        /// ending in a blank goes on, as GNU's -L says).
        mutating func next(_ endsLine: inout Bool) -> [UInt8]? {
            endsLine = false
            if let d = mode {
                var arg: [UInt8] = []
                var any = false
                while let c = bytes.next() {
                    any = true
                    if c == d { endsLine = true; return arg }
                    arg.append(c)
                }
                return any ? arg : nil
            }
            var arg: [UInt8] = []
            var started = false
            var quote: UInt8? = nil
            while let c = bytes.next() {
                if let q = quote {
                    if c == q { quote = nil; continue }
                    if c == 10 {
                        problem = "unmatched \(q == 39 ? "single" : "double") quote; by default quotes are special to xargs unless you use the -0 option"
                        return nil
                    }
                    arg.append(c)
                    continue
                }
                if wholeLines {
                    if c == 10 {
                        if started { endsLine = true; return arg }
                        continue
                    }
                    if !started && (c == 32 || c == 9) { continue }
                } else if c == 32 || c == 9 || c == 10 {
                    if started {
                        // Only a newline ends a line (-L): a line ending in a blank goes on (GNU).
                        if c == 10 { endsLine = true }
                        return arg
                    }
                    continue
                }
                started = true
                if c == 39 || c == 34 { quote = c; continue }
                if c == 92 {
                    guard let e = bytes.next() else { arg.append(c); break }
                    arg.append(e)
                    continue
                }
                arg.append(c)
            }
            if quote != nil {
                problem = "unmatched \(quote == 39 ? "single" : "double") quote; by default quotes are special to xargs unless you use the -0 option"
                return nil
            }
            if started { endsLine = true; return arg }
            return nil
        }
    }

    public static func run<IO: ProcessIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "xargs")
        // Options end at the command (GNU xargs does not permute): find where.
        let withArgument: [UInt8] = Array("dnLsIEP".utf8)
        var split = 0
        while split < arguments.count {
            let a = Array(arguments[split].utf8)
            if a == [45, 45] { break }
            guard a.count > 1 && a[0] == 45 else { break }
            split += 1
            if a[1] == 45 {
                if !a.contains(61), ["--delimiter", "--max-args", "--max-lines", "--max-chars", "--max-procs"].contains(arguments[split - 1]) { split += 1 }
                continue
            }
            for (j, letter) in a.enumerated().dropFirst() where withArgument.contains(letter) {
                if j == a.count - 1 { split += 1 }
                break
            }
        }
        split = min(split, arguments.count)
        let optionWords = Array(arguments[..<split])
        if split < arguments.count && arguments[split] == "--" { split += 1 }
        guard let parsed = console.options(optionWords, specs) else { return 1 }
        let replace = parsed.last("I")
        guard parsed.operands.isEmpty else { console.usage("invalid option arrangement"); return 1 }
        var command = Array(arguments[split...])
        if command.isEmpty { command = ["echo"] }
        var mode: UInt8? = nil
        if parsed.has("null") { mode = 0 }
        if let d = parsed.last("delimiter") {
            guard let v = delimiter(d) else { console.error("invalid input delimiter specification " + d + ": the delimiter must be either a single character or an escape sequence starting with \\."); return 1 }
            mode = v
        }
        var maxArgs = Int.max, maxLines = Int.max
        if let n = parsed.last("max-args") {
            guard let v = parseDecimal(n), v >= 1 else {
                console.usage("invalid number \"\(n)\" for -n option")
                return 1
            }
            maxArgs = v
        }
        if let n = parsed.last("max-lines") {
            guard let v = parseDecimal(n), v >= 1 else { console.error("invalid number \"\(n)\" for -L option"); return 1 }
            maxLines = v
        }
        var maxChars = 128 * 1024
        if let s = parsed.last("max-chars") {
            guard let v = parseDecimal(s), v >= 1 else { console.error("invalid number \"\(s)\" for -s option"); return 1 }
            maxChars = min(v, 128 * 1024)
        }
        if let p = parsed.last("max-procs"), parseDecimal(p) == nil {
            console.error("invalid number \"\(p)\" for -P option")
            return 1
        }
        let eof = parsed.last("E")
        let runIfEmpty = !parsed.has("no-run-if-empty"), verbose = parsed.has("verbose")

        let wholeLines = replace != nil
        if wholeLines { maxLines = 1 }
        var reader = Reader(bytes: ByteReader(io.standardInput()), mode: mode, wholeLines: wholeLines)
        var status: Int32 = 0
        var ranOnce = false
        let baseSize = command.reduce(0) { $0 + $1.utf8.count + 1 }
        // GNU: the limit must hold at least the command itself (its words and their NULs)
        if maxChars < baseSize {
            console.error("value for -s option should be >= \(baseSize)")
            return 1
        }

        /// Runs the command with `extra`; false when xargs must stop.
        func launch(_ console: inout Console<IO>, _ extra: [String]) -> Bool {
            var argv = command
            if let r = replace, let one = extra.first {
                argv = command.enumerated().map { i, word in i == 0 ? word : word.replacingAll(r, with: one) }
            } else {
                argv += extra
            }
            if verbose { io.writeError(Array((argv.joined(separator: " ") + "\n").utf8)) }
            console.flush()
            ranOnce = true
            switch io.execute(argv, environment: nil) {
            case .failure(let e):
                console.error(argv[0] + ": " + e.message)
                status = e == .ENOENT ? 127 : 126
                return false
            case .success(let s):
                if s == 255 { console.error(argv[0] + ": exited with status 255; aborting"); status = 124; return false }
                if s > 128 { console.error(argv[0] + ": terminated by signal \(s - 128)"); status = 125; return false }
                if s != 0 { status = 123 }
                return true
            }
        }

        var pending: [String] = []
        var size = baseSize, lines = 0
        var endsLine = false
        while let raw = reader.next(&endsLine) {
            let arg = String(decoding: raw, as: UTF8.self)
            if mode == nil, let eof, !eof.isEmpty, arg == eof { break }
            let cost = raw.count + 1
            if !pending.isEmpty && size + cost > maxChars {
                if !launch(&console, pending) { return finish(&console, status) }
                pending.removeAll(); size = baseSize; lines = 0
            }
            // -x or not, one argument that cannot fit even alone ends xargs (GNU).
            if size + cost > maxChars && pending.isEmpty && baseSize + cost > maxChars {
                console.error("argument line too long"); return finish(&console, 1)
            }
            pending.append(arg)
            size += cost
            if endsLine { lines += 1 }
            if pending.count >= maxArgs || lines >= maxLines {
                if !launch(&console, pending) { return finish(&console, status) }
                pending.removeAll(); size = baseSize; lines = 0
            }
        }
        if let problem = reader.problem {
            if !pending.isEmpty { _ = launch(&console, pending) }
            console.error(problem)
            return finish(&console, 1)
        }
        if let e = reader.bytes.error { console.error("read error", e); return finish(&console, 1) }
        if !pending.isEmpty || (!ranOnce && runIfEmpty && !wholeLines) {
            _ = launch(&console, pending)
        }
        return finish(&console, status)
    }

    static func finish<IO: ToolIO>(_ console: inout Console<IO>, _ status: Int32) -> Int32 {
        let s = console.finish()
        return status != 0 ? status : s
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (xargs -I).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8), b = Array(self.utf8), r = Array(replacement.utf8)
        guard !t.isEmpty else { return self }
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if i + t.count <= b.count && b[i..<(i + t.count)].elementsEqual(t) { out += r; i += t.count } else { out.append(b[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
