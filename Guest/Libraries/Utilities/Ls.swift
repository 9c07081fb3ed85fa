// Ls.swift — ls as GNU coreutils 9.1 prints it (POSIX.1-2017 "ls"; GNU's options): which files
// are listed and in what order. The operands that are not directories first (one group), then
// each directory's listing, with a "DIR:" header when there are several or -R, depth first in
// sorted order (GNU's pending-directory stack); names sorted bytewise (the C locale's strcmp),
// or by time (-t), size (-S), not at all (-U), reversed with -r. How each listing is drawn
// (long lines, columns, colors) is LsFormat.swift's. Exit status as GNU's: 0, 1 for a minor
// trouble (a subdirectory that cannot be read), 2 for a serious one (an operand that cannot be
// accessed, a usage error).

public enum Ls {
    static let specs = [
        OptionSpec("a", "all"), OptionSpec("A", "almost-all"), OptionSpec("d", "directory"), OptionSpec("h", "human-readable"),
        OptionSpec("R", "recursive"), OptionSpec("t", nil, key: "t"), OptionSpec("S", nil, key: "S"), OptionSpec("U", nil, key: "U"),
        OptionSpec("f", nil, key: "f"), OptionSpec("r", "reverse"), OptionSpec("1", nil, key: "1"), OptionSpec("F", "classify"),
        OptionSpec("p", nil, key: "p"), OptionSpec(nil, "file-type"), OptionSpec("i", "inode"), OptionSpec("s", "size"),
        OptionSpec("n", "numeric-uid-gid"), OptionSpec("g", nil, key: "g"), OptionSpec("o", nil, key: "o"),
        OptionSpec("G", "no-group"), OptionSpec("l", nil, key: "l"), OptionSpec("C", nil, key: "C"), OptionSpec("x", nil, key: "x"),
        OptionSpec("m", nil, key: "m"), OptionSpec("k", "kibibytes"), OptionSpec("L", "dereference"),
        OptionSpec("c", nil, key: "c"), OptionSpec("u", nil, key: "u"), OptionSpec("q", "hide-control-chars"),
        OptionSpec("N", "literal"), OptionSpec("b", "escape"), OptionSpec(nil, "show-control-chars"),
        OptionSpec("w", "width", argument: true), OptionSpec(nil, "color", optionalArgument: true),
        OptionSpec(nil, "full-time"), OptionSpec(nil, "group-directories-first"),
    ]

    enum Format { case long, single, columns, across, commas }
    enum SortKey { case name, time, size, none }
    enum Indicators { case none, slash, fileType, classify }
    enum Quoting { case literal, hideControl, escape }
    enum TimeKind { case modified, changed, accessed }

    struct Settings {
        var format = Format.single
        var sort = SortKey.name
        var reverse = false
        var all = false, almostAll = false, directories = false, recursive = false
        var indicators = Indicators.none
        var inode = false, blocks = false, human = false, numeric = false
        var owner = true, group = true
        var dereference = false
        var time = TimeKind.modified
        var quoting = Quoting.literal
        var width = 80
        var color = false
        var fullTime = false
        var directoriesFirst = false
    }

    /// One name to list: as shown, where to find it, what stat said (nil: it could not be read,
    /// GNU's "?" line), and for a symbolic link its target and the target's status.
    struct Entry {
        var name: String
        var path: String
        var status: FullStatus?
        var target: String? = nil
        var targetStatus: FullStatus? = nil
        /// The type, when only that is known (lstat worked, stat did not).
        var unknownType: UInt32? = nil
    }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "ls")
        guard let parsed = console.options(arguments, specs) else { return 2 }
        guard let settings = settings(parsed, io, &console) else {
            // GNU: an invalid --color argument is argmatch's failure (1), the others ls's own (2)
            return parsed.options.contains { $0.key == "color" && !["", "always", "yes", "force", "never", "no", "none", "auto", "tty", "if-tty"].contains($0.value) } ? 1 : 2
        }
        var status: Int32 = 0
        let colors = settings.color ? LsColors(io.environment()) : nil
        var drawing = LsDrawing(settings: settings, colors: colors, now: io.currentTime())

        // The operands: each stat'ed (a symbolic link to a directory followed unless -l, -d or
        // -F, as GNU's DEREF_COMMAND_LINE_SYMLINK_TO_DIR), the missing reported at once.
        let followDirectoryLinks = settings.dereference
            || !(settings.directories || settings.format == .long || settings.indicators == .classify)
        var files: [Entry] = []
        let operands = parsed.operands.isEmpty ? ["."] : parsed.operands
        for name in operands {
            var entry = Entry(name: name, path: name)
            var result = io.fullStatus(name, followLinks: followDirectoryLinks)
            if followDirectoryLinks && !settings.dereference {
                switch result {
                case .success(let s) where s.type != FullStatus.directory: result = io.fullStatus(name, followLinks: false)
                case .failure(let e) where e == .ENOENT || e.code == 40: result = io.fullStatus(name, followLinks: false)
                default: break
                }
            }
            switch result {
            case .failure(let e):
                console.error("cannot access " + quoted(name), e)
                status = 2
                continue
            case .success(let s):
                entry.status = s
            }
            resolveLink(&entry, settings, io)
            files.append(entry)
        }
        sort(&files, settings)

        // Directories move from the file group to the pending stack (GNU extract_dirs_from_files).
        var pending: [(path: String, topLevel: Bool)] = []
        var extracted: [Entry] = []
        if !settings.directories {
            var kept: [Entry] = []
            for entry in files {
                if isDirectory(entry) { pending.append((entry.path, true)); extracted.append(entry) } else { kept.append(entry) }
            }
            files = kept
            pending.reverse()
        }
        var showHeaders = true
        if !files.isEmpty {
            drawing.list(files, alsoMeasured: extracted, total: false, &console)
            if !pending.isEmpty { console.put(10) }
        } else if operands.count <= 1 && pending.count == 1 {
            showHeaders = false
        }

        // the blank line before every header but the first (after the files: the newline above)
        var first = true
        while let directory = pending.popLast() {
            if settings.recursive || showHeaders {
                if !first { console.put(10) }
                first = false
                console.put(drawing.quotedName(directory.path))
                console.put(":\n")
            }
            first = false
            let names: [String]
            switch io.list(directory.path) {
            case .failure(let e):
                console.error("cannot open directory " + quoted(directory.path), e)
                status = directory.topLevel ? 2 : max(status, 1)
                continue
            case .success(let n): names = n
            }
            var entries: [Entry] = []
            if settings.all {
                for dot in [".", ".."] { entries.append(entry(dot, in: directory.path, settings, io)) }
            }
            for name in names where settings.all || settings.almostAll || !name.hasPrefix(".") {
                entries.append(entry(name, in: directory.path, settings, io))
            }
            for e in entries where e.status == nil {
                // listed (GNU prints "?" in the long columns) but the trouble is reported
                console.error("cannot access " + quoted(e.path), io.fullStatus(e.path, followLinks: false).failure ?? .EIO)
                status = max(status, 1)
            }
            sort(&entries, settings)
            if settings.recursive {
                var below: [(path: String, topLevel: Bool)] = []
                for e in entries where e.name != "." && e.name != ".." && e.status?.type == FullStatus.directory {
                    below.append((join(directory.path, e.name), false))
                }
                pending += below.reversed()
            }
            drawing.list(entries, total: settings.format == .long || settings.blocks, &console)
        }
        // a write error is serious (2); a closed pipe is reported by nobody, as GNU's SIGPIPE
        _ = console.finish(failure: 2)
        return console.writeFailed != nil ? 2 : status
    }

    /// The options in order (GNU: a later one overrides an earlier of the same kind).
    static func settings<IO: SystemIO>(_ parsed: ParsedOptions, _ io: IO, _ console: inout Console<IO>) -> Settings? {
        var s = Settings()
        let terminal = io.outputIsTerminal()
        var format: Format? = nil
        var colorWhen = "never"
        var width: Int? = nil
        for (key, value) in parsed.options {
            switch key {
            case "all": s.all = true; s.almostAll = false
            case "almost-all": s.almostAll = true; s.all = false
            case "directory": s.directories = true
            case "human-readable": s.human = true
            case "recursive": s.recursive = true
            case "t": s.sort = .time
            case "S": s.sort = .size
            case "U": s.sort = .none
            case "f": s.sort = .none; s.all = true; s.almostAll = false; colorWhen = "never"
            case "reverse": s.reverse = true
            case "1": format = .single
            case "classify": s.indicators = .classify
            case "p": s.indicators = .slash
            case "file-type": s.indicators = .fileType
            case "inode": s.inode = true
            case "size": s.blocks = true
            case "numeric-uid-gid": s.numeric = true; format = .long
            case "g": s.owner = false; format = .long
            case "o": s.group = false; format = .long
            case "no-group": s.group = false
            case "l": format = .long
            case "C": format = .columns
            case "x": format = .across
            case "m": format = .commas
            case "kibibytes": break   // 1 KiB blocks are already the unit
            case "dereference": s.dereference = true
            case "c": s.time = .changed
            case "u": s.time = .accessed
            case "hide-control-chars": s.quoting = .hideControl
            case "literal", "show-control-chars": s.quoting = .literal
            case "escape": s.quoting = .escape
            case "full-time": s.fullTime = true; format = .long
            case "group-directories-first": s.directoriesFirst = true
            case "width":
                guard let w = parseDecimal(value) else {
                    console.error("invalid line width: " + quoted(value))
                    return nil
                }
                width = w
            case "color": colorWhen = value.isEmpty ? "always" : value
            default: break
            }
        }
        s.format = format ?? (terminal ? .columns : .single)
        if format == nil && terminal && parsed.options.contains(where: { $0.key == "hide-control-chars" || $0.key == "literal" || $0.key == "escape" || $0.key == "show-control-chars" }) == false {
            s.quoting = .hideControl   // GNU hides control characters on a terminal
        }
        switch colorWhen {
        case "always", "yes", "force": s.color = true
        case "never", "no", "none": s.color = false
        case "auto", "tty", "if-tty": s.color = terminal
        default:
            console.error("invalid argument " + quoted(colorWhen) + " for '--color'")
            io.writeError(Array("Valid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'\n".utf8))
            io.writeError(Array("Try 'ls --help' for more information.\n".utf8))
            console.failed = true
            return nil
        }
        // The line width: -w, else the terminal's, else COLUMNS, else 80 (GNU 9.1 decode_switches).
        if let width {
            s.width = width
        } else if s.format == .columns || s.format == .across || s.format == .commas {
            if terminal, let columns = io.terminalColumns(), columns > 0 {
                s.width = columns
            } else if let text = environmentValue("COLUMNS", io), !text.isEmpty {
                if let w = parseDecimal(text) { s.width = w } else {
                    console.error("ignoring invalid width in environment variable COLUMNS: " + quoted(text))
                    console.failed = false
                }
            }
        }
        return s
    }

    static func environmentValue<IO: SystemIO>(_ name: String, _ io: IO) -> String? {
        for item in io.environment() {
            let bytes = Array(item.utf8)
            guard let eq = bytes.firstIndex(of: 61), String(decoding: bytes[..<eq], as: UTF8.self) == name else { continue }
            return String(decoding: bytes[(eq + 1)...], as: UTF8.self)
        }
        return nil
    }

    /// A subdirectory's name in a header: GNU's file_name_concat ("./x" under ".", no doubled slash).
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func entry<IO: SystemIO>(_ name: String, in directory: String, _ settings: Settings, _ io: IO) -> Entry {
        // the name stat'ed and named in messages: GNU's attach(), which leaves "." out
        let path = directory == "." ? name : join(directory, name)
        var e = Entry(name: name, path: path)
        if case .success(let s) = io.fullStatus(path, followLinks: settings.dereference) {
            e.status = s
        } else if case .success(let s) = io.fullStatus(path, followLinks: false) {
            // listed with its type and "?" for the rest (a dangling link under -L), as GNU does
            e.unknownType = s.type
        }
        resolveLink(&e, settings, io)
        return e
    }

    /// A symbolic link's target and the target's status: what -l shows after "->", and the kind
    /// -F and the colors give it.
    static func resolveLink<IO: SystemIO>(_ e: inout Entry, _ settings: Settings, _ io: IO) {
        guard let s = e.status, s.type == FullStatus.symlink else { return }
        if settings.format == .long { e.target = io.linkTarget(e.path) }
        if case .success(let t) = io.fullStatus(e.path, followLinks: true) { e.targetStatus = t }
    }

    static func isDirectory(_ e: Entry) -> Bool {
        e.status?.type == FullStatus.directory
    }

    static func timestamp(_ s: FullStatus?, _ kind: TimeKind) -> Timestamp {
        guard let s else { return Timestamp(seconds: 0, nanoseconds: 0) }
        switch kind {
        case .modified: return s.modified
        case .changed: return s.changed
        case .accessed: return s.accessed
        }
    }

    /// C-locale order: bytes compared as unsigned (strcmp).
    static func nameBefore(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// GNU's comparators: newest or largest first, ties by name; -r turns the whole comparison
    /// round (the ties too).
    static func sort(_ entries: inout [Entry], _ s: Settings) {
        func before(_ a: Entry, _ b: Entry) -> Bool {
            switch s.sort {
            case .none: return false
            case .name: return nameBefore(a.name, b.name)
            case .time:
                let ta = timestamp(a.status, s.time), tb = timestamp(b.status, s.time)
                if ta.seconds != tb.seconds { return ta.seconds > tb.seconds }
                if ta.nanoseconds != tb.nanoseconds { return ta.nanoseconds > tb.nanoseconds }
                return nameBefore(a.name, b.name)
            case .size:
                let sa = a.status?.size ?? 0, sb = b.status?.size ?? 0
                if sa != sb { return sa > sb }
                return nameBefore(a.name, b.name)
            }
        }
        if s.sort != .none {
            // a stable merge keeps equal entries (impossible with distinct names) deterministic
            entries = mergeSorted(entries) { s.reverse ? before($1, $0) : before($0, $1) }
        } else if s.reverse {
            entries.reverse()
        }
        if s.directoriesFirst {
            let directories = entries.filter { isDirectory($0) || $0.targetStatus?.type == FullStatus.directory && $0.status?.type == FullStatus.symlink }
            let others = entries.filter { !(isDirectory($0) || $0.targetStatus?.type == FullStatus.directory && $0.status?.type == FullStatus.symlink) }
            entries = directories + others
        }
    }

    static func mergeSorted(_ items: [Entry], _ before: (Entry, Entry) -> Bool) -> [Entry] {
        if items.count < 2 { return items }
        let middle = items.count / 2
        let left = mergeSorted(Array(items[..<middle]), before), right = mergeSorted(Array(items[middle...]), before)
        var out: [Entry] = []
        out.reserveCapacity(items.count)
        var i = 0, j = 0
        while i < left.count && j < right.count {
            if before(right[j], left[i]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
        }
        out += left[i...]
        out += right[j...]
        return out
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
