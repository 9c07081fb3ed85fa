// Names.swift — basename and dirname (POSIX.1-2017 "basename", "dirname"; GNU's -a, -s, -z).
// Pure string work on the operands: no file is touched.

public enum Basename {
    static let specs = [
        OptionSpec("a", "multiple"), OptionSpec("s", "suffix", argument: true), OptionSpec("z", "zero"),
    ]

    /// The last component of `path`, without a trailing `suffix` unless that is all of it.
    static func basename(_ path: String, suffix: String?) -> String {
        var bytes = Array(path.utf8)
        if bytes.isEmpty { return "" }
        while bytes.count > 1 && bytes.last == 47 { bytes.removeLast() }
        if bytes == [47] { return "/" }
        if let slash = bytes.lastIndex(of: 47) { bytes = Array(bytes[(slash + 1)...]) }
        if let suffix, !suffix.isEmpty {
            let s = Array(suffix.utf8)
            if bytes.count > s.count && bytes.suffix(s.count).elementsEqual(s) { bytes.removeLast(s.count) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "basename")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let operands = parsed.operands
        guard !operands.isEmpty else { console.usage("missing operand"); return 1 }
        let multiple = parsed.has("multiple") || parsed.has("suffix")
        let end: UInt8 = parsed.has("zero") ? 0 : 10
        if multiple {
            for name in operands { console.put(basename(name, suffix: parsed.last("suffix"))); console.put(end) }
        } else {
            guard operands.count <= 2 else { console.usage("extra operand " + quoted(operands[2])); return 1 }
            console.put(basename(operands[0], suffix: operands.count == 2 ? operands[1] : nil))
            console.put(end)
        }
        return console.finish()
    }
}

public enum Dirname {
    static let specs = [OptionSpec("z", "zero")]

    /// Everything before the last component: "." when there is no slash, "/" for the root.
    static func dirname(_ path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == 47 { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: 47) else { return "." }
        bytes.removeSubrange(slash...)
        while bytes.count > 1 && bytes.last == 47 { bytes.removeLast() }
        if bytes.isEmpty { return "/" }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "dirname")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        guard !parsed.operands.isEmpty else { console.usage("missing operand"); return 1 }
        let end: UInt8 = parsed.has("zero") ? 0 : 10
        for name in parsed.operands { console.put(dirname(name)); console.put(end) }
        return console.finish()
    }
}

/// yes [STRING…]: the line (default "y") until the output is closed. The output is built in
/// 64 KiB blocks so the loop costs one write per block.
public enum Yes {
    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "yes")
        let operands = arguments.first == "--" ? Array(arguments.dropFirst()) : arguments
        let line = Array(((operands.isEmpty ? ["y"] : operands).joined(separator: " ") + "\n").utf8)
        var block: [UInt8] = []
        while block.count < chunkSize { block += line }
        while console.writeFailed == nil {
            console.put(block)
            console.flush()
        }
        return console.finish()
    }
}

/// The registry: a utility by its name.
public enum Utilities {
    public static let names = ["base64", "basename", "cat", "chown", "cmp", "comm", "cut", "date", "dd", "diff", "dirname", "du", "egrep", "env", "expand", "expr", "false", "fgrep",
                               "find", "fold", "grep", "head", "hexdump", "id", "ln", "ls", "md5sum", "mktemp", "nl", "od", "paste", "printenv", "pwd", "readlink", "realpath", "sed",
                               "seq", "sort", "stat", "tail", "tee", "time", "tr", "true", "truncate", "uname", "unexpand", "uniq", "wc", "which", "whoami", "xargs", "xxd", "yes"]

    /// Runs utility `name` with `arguments` (without the program name); the exit status.
    public static func run<IO: SystemIO>(_ name: String, _ arguments: [String], _ io: IO) -> Int32 {
        switch name {
        case "base64": return Base64.run(arguments, io)
        case "basename": return Basename.run(arguments, io)
        case "cat": return Cat.run(arguments, io)
        case "chown": return Chown.run(arguments, io)
        case "cmp": return Cmp.run(arguments, io)
        case "comm": return Comm.run(arguments, io)
        case "cut": return Cut.run(arguments, io)
        case "date": return DateTool.run(arguments, io)
        case "dd": return Dd.run(arguments, io)
        case "diff": return Diff.run(arguments, io)
        case "dirname": return Dirname.run(arguments, io)
        case "du": return Du.run(arguments, io)
        case "egrep", "fgrep": return Grep.runObsolescent(name, arguments, io)
        case "env": return Env.run(arguments, io)
        case "expand": return Expand.run(arguments, io)
        case "expr": return Expr.run(arguments, io)
        case "false": return 1
        case "find": return Find.run(arguments, io)
        case "fold": return Fold.run(arguments, io)
        case "grep": return Grep.run(arguments, io)
        case "head": return Head.run(arguments, io)
        case "hexdump": return Hexdump.run(arguments, io)
        case "id": return Id.run(arguments, io)
        case "ln": return Ln.run(arguments, io)
        case "ls": return Ls.run(arguments, io)
        case "md5sum": return Md5sum.run(arguments, io)
        case "mktemp": return Mktemp.run(arguments, io)
        case "nl": return Nl.run(arguments, io)
        case "od": return Od.run(arguments, io)
        case "paste": return Paste.run(arguments, io)
        case "printenv": return Printenv.run(arguments, io)
        case "pwd": return Pwd.run(arguments, io)
        case "readlink": return Readlink.run(arguments, io)
        case "realpath": return Realpath.run(arguments, io)
        case "sed": return Sed.run(arguments, io)
        case "seq": return Seq.run(arguments, io)
        case "sort": return Sort.run(arguments, io)
        case "stat": return Stat.run(arguments, io)
        case "tail": return Tail.run(arguments, io)
        case "tee": return Tee.run(arguments, io)
        case "time": return Time.run(arguments, io)
        case "tr": return Tr.run(arguments, io)
        case "true": return 0
        case "truncate": return Truncate.run(arguments, io)
        case "uname": return Uname.run(arguments, io)
        case "unexpand": return Unexpand.run(arguments, io)
        case "uniq": return Uniq.run(arguments, io)
        case "wc": return Wc.run(arguments, io)
        case "which": return Which.run(arguments, io)
        case "whoami": return Whoami.run(arguments, io)
        case "xargs": return Xargs.run(arguments, io)
        case "xxd": return Xxd.run(arguments, io)
        case "yes": return Yes.run(arguments, io)
        default:
            io.writeError(Array((name + ": no such utility\n").utf8))
            return 127
        }
    }
}
