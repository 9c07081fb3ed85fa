// Paste.swift — paste [-s] [-d LIST] [-z] [FILE…] (POSIX.1-2017 "paste"; GNU's -z): lines of the
// files side by side, or (-s) each file's lines joined into one. The delimiters of LIST are used
// in turn (\n \t \\ \0 escapes; \0 is no delimiter). Byte streams as GNU's getc loops read them:
// nothing but a byte of each file is held.

public enum Paste {
    static let specs = [
        OptionSpec("d", "delimiters", argument: true), OptionSpec("s", "serial"), OptionSpec("z", "zero-terminated"),
    ]

    /// The delimiter list with its escapes resolved; nil entries are "\0" (no delimiter).
    static func delimiters(_ text: String) -> [UInt8?]? {
        let b = Array(text.utf8)
        var out: [UInt8?] = []
        var i = 0
        while i < b.count {
            if b[i] == 92 {
                guard i + 1 < b.count else { return nil }
                i += 1
                switch b[i] {
                case 48: out.append(nil)
                case 110: out.append(10)
                case 116: out.append(9)
                case 98: out.append(8)
                case 102: out.append(12)
                case 114: out.append(13)
                case 118: out.append(11)
                default: out.append(b[i])
                }
            } else {
                out.append(b[i])
            }
            i += 1
        }
        return out.isEmpty ? [nil] : out
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "paste")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let list = parsed.last("delimiters") ?? "\\t"
        guard let delims = delimiters(list) else {
            console.error("delimiter list ends with an unescaped backslash: " + list)
            return 1
        }
        let end: UInt8 = parsed.has("zero-terminated") ? 0 : 10
        let names = parsed.operands.isEmpty ? ["-"] : parsed.operands
        if parsed.has("serial") {
            console.eachInput(names) { console, _, source in
                var reader = ByteReader(source)
                var d = 0
                var old = reader.next()
                if old != nil {
                    while let new = reader.next() {
                        if old == end {
                            if let delim = delims[d] { console.put(delim) }
                            d = (d + 1) % delims.count
                        } else {
                            console.put(old!)
                        }
                        old = new
                    }
                    console.put(old!)
                }
                if old != end { console.put(end) }
                return reader.error
            }
            return console.finish()
        }
        // Parallel: every file is opened first (GNU stops at one that cannot be); "-" named more
        // than once is one standard input read in turn.
        var readers: [ByteReader<IO.Source>] = []
        var inputs: [OpenInput<IO.Source>] = []
        var readerOf: [Int] = []
        var stdinReader: Int? = nil
        for name in names {
            if name == "-", let r = stdinReader { readerOf.append(r); continue }
            guard let input = console.openInput(name) else {
                for i in inputs { i.close() }
                return console.finish()
            }
            inputs.append(input)
            readers.append(ByteReader(input.source))
            readerOf.append(readers.count - 1)
            if name == "-" { stdinReader = readers.count - 1 }
        }
        var open = [Bool](repeating: true, count: names.count)
        var openCount = names.count
        var saved: [UInt8] = []
        while openCount > 0 && console.writeFailed == nil {
            var somethingDone = false
            var d = 0
            saved.removeAll(keepingCapacity: true)
            for i in 0..<names.count {
                if openCount == 0 { break }
                var someToDo = false
                var c: UInt8? = nil
                if open[i] {
                    c = readers[readerOf[i]].next()
                    if c != nil && !saved.isEmpty { console.put(saved); saved.removeAll(keepingCapacity: true) }
                    while let byte = c {
                        someToDo = true
                        if byte == end { break }
                        console.put(byte)
                        c = readers[readerOf[i]].next()
                    }
                }
                if !someToDo {
                    if open[i] {
                        if let e = readers[readerOf[i]].error { console.error(names[i], e) }
                        open[i] = false
                        openCount -= 1
                    }
                    if i + 1 == names.count {
                        if somethingDone {
                            console.put(saved); saved.removeAll(keepingCapacity: true)
                            console.put(end)
                        }
                    } else {
                        if let delim = delims[d] { saved.append(delim) }
                        d = (d + 1) % delims.count
                    }
                } else {
                    somethingDone = true
                    if i + 1 < names.count {
                        if let delim = delims[d] { console.put(delim) }
                        d = (d + 1) % delims.count
                    } else {
                        console.put(end)
                    }
                }
            }
        }
        for i in inputs { i.close() }
        return console.finish()
    }
}
