// Du.swift — du [-a] [-s] [-c] [-h] [-k] [-d N] [FILE…] as GNU coreutils prints it (POSIX.1-2017
// "du"; GNU's -h, -c, -d): the space each file's blocks take (st_blocks, 512-byte units), summed
// up each directory tree and printed after its contents, in 1 KiB units (rounded up) or, with -h,
// GNU's human form (one decimal below 10, rounded up: "4.0K", "12K", "1.5M"). Files with several
// links are counted once per link: the file server reports no shared inodes worth tracking.

public enum Du {
    static let specs = [
        OptionSpec("a", "all"), OptionSpec("s", "summarize"), OptionSpec("c", "total"), OptionSpec("h", "human-readable"),
        OptionSpec("k", nil, key: "k"), OptionSpec("d", "max-depth", argument: true), OptionSpec("b", "bytes"),
        // -x: stay on one file system (the guest has one; on the host the tests cross none)
        OptionSpec("x", "one-file-system"),
    ]

    /// GNU's human_readable with human_ceiling and powers of 1024.
    public static func human(_ bytes: UInt64) -> String {
        if bytes < 1024 { return String(bytes) }
        let suffixes = ["K", "M", "G", "T", "P", "E"]
        var unit: UInt64 = 1024
        var e = 0
        while bytes / unit >= 1024 && e < suffixes.count - 1 { unit *= 1024; e += 1 }
        // below 10 units: tenths, rounded up
        let tenths = (bytes * 10 + unit - 1) / unit
        if tenths < 100 { return String(tenths / 10) + "." + String(tenths % 10) + suffixes[e] }
        var whole = (bytes + unit - 1) / unit
        if whole >= 1024 && e < suffixes.count - 1 { e += 1; whole = 1; return "1.0" + suffixes[e] }
        return String(whole) + suffixes[e]
    }

    struct Settings {
        var all = false, summarize = false, humanReadable = false, bytes = false
        var maxDepth = Int.max
    }

    static func shown(_ bytes: UInt64, _ s: Settings) -> String {
        if s.humanReadable { return human(bytes) }
        if s.bytes { return String(bytes) }
        return String((bytes + 1023) / 1024)
    }

    public static func run<IO: TreeIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "du")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var s = Settings()
        s.all = parsed.has("all"); s.summarize = parsed.has("summarize")
        // the last of -h/-k/-b decides the unit
        for (key, _) in parsed.options {
            if key == "human-readable" { s.humanReadable = true; s.bytes = false }
            if key == "k" { s.humanReadable = false; s.bytes = false }
            if key == "bytes" { s.bytes = true; s.humanReadable = false }
        }
        if let d = parsed.last("max-depth") {
            guard let n = parseDecimal(d) else { console.error("invalid maximum depth " + quoted(d)); return 1 }
            s.maxDepth = n
        }
        if s.summarize && parsed.has("all") { console.usage("cannot both summarize and show all entries"); return 1 }
        if s.summarize && parsed.has("max-depth") && s.maxDepth != 0 {
            console.usage("warning: summarizing conflicts with --max-depth=\(s.maxDepth)"); return 1
        }
        if s.summarize { s.maxDepth = 0 }
        var total: UInt64 = 0
        for path in parsed.operands.isEmpty ? ["."] : parsed.operands {
            total += measure(path, depth: 0, s, &console, top: true) ?? 0
        }
        if parsed.has("total") { console.put(shown(total, s) + "\ttotal\n") }
        return console.finish()
    }

    /// The space under `path` (printing as it goes); nil when it could not be looked at.
    static func measure<IO: TreeIO>(_ path: String, depth: Int, _ s: Settings, _ console: inout Console<IO>, top: Bool) -> UInt64? {
        let info: FileInfo
        switch console.io.info(path, followLinks: top) {
        case .success(let i): info = i
        case .failure(let e): console.error("cannot access " + quoted(path) + ": " + e.message); return nil
        }
        var size = s.bytes ? info.size : info.blocks * 512
        if info.kind == .directory {
            switch console.io.list(path) {
            case .failure(let e): console.error("cannot read directory " + quoted(path) + ": " + e.message)
            case .success(let names):
                for name in names {
                    let child = path.hasSuffix("/") ? path + name : path + "/" + name
                    size += measure(child, depth: depth + 1, s, &console, top: false) ?? 0
                }
            }
        }
        if depth <= s.maxDepth && (info.kind == .directory || s.all || top) {
            console.put(shown(size, s)); console.put(9); console.put(path); console.put(10)
        }
        return size
    }
}
