// Diff.swift — diff [-u|-U N] [-q] [-s] [-r] [-a] [-N] [-i] [-b] [-w] [-L LABEL] [--strip-trailing-cr]
// [-F RE|-p] [--LTYPE-line-format=F] FILE1 FILE2 (POSIX.1-2017 "diff"; GNU diffutils'
// output): the normal format ("2c2", "< a", "---", "> b"), the unified one ("--- a\tTIME",
// "@@ -1,3 +1,3 @@", three lines of context), "Files A and B differ" (-q), "Binary files A and B
// differ" (a NUL in the first 64 KiB), directories compared name by name ("Only in", "Common
// subdirectories", -r into them). Exit status 0 (same), 1 (different), 2 (trouble). The lines are
// compared by DiffAlgorithm's Myers diff; both files are held (as GNU diff holds them).

public enum Diff {
    static let specs = [
        OptionSpec("u", nil, key: "u"), OptionSpec("U", "unified", argument: true), OptionSpec("q", "brief"),
        OptionSpec("s", "report-identical-files"), OptionSpec("r", "recursive"), OptionSpec("a", "text"),
        OptionSpec("N", "new-file"), OptionSpec("L", "label", argument: true), OptionSpec(nil, "strip-trailing-cr"),
        OptionSpec("i", "ignore-case"), OptionSpec("b", "ignore-space-change"), OptionSpec("w", "ignore-all-space"),
        OptionSpec("F", "show-function-line", argument: true), OptionSpec("p", "show-c-function"),
        OptionSpec(nil, "old-line-format", argument: true), OptionSpec(nil, "new-line-format", argument: true),
        OptionSpec(nil, "unchanged-line-format", argument: true), OptionSpec(nil, "line-format", argument: true),
    ]

    struct Settings {
        var context: Int? = nil
        var brief = false, identical = false, recursive = false, text = false, newFile = false
        /// -L: the names the unified header shows instead of the files' names and times.
        var labels: [String] = []
        /// --strip-trailing-cr: a CR before a line's newline is not part of the line.
        var stripCR = false
        var ignoreCase = false, ignoreSpaceChange = false, ignoreAllSpace = false
        /// -F RE (-p: GNU's C-function expression): a hunk header ends with the last line before
        /// the hunk that matches.
        var functionLine: BasicRegex? = nil
        /// GNU's line formats (old, new, unchanged; nil: not given): when any is given, every line
        /// is printed through its format in file order.
        var lineFormats: [[UInt8]?] = [nil, nil, nil]
        var usesLineFormats: Bool { lineFormats.contains { $0 != nil } }
        /// The option words as given, for the "diff -r a/f b/f" lines of a directory comparison.
        var switches = ""
    }

    /// A file's bytes split into lines (with their newline, when they have one).
    struct Lines {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var count: Int { starts.count }
        func line(_ i: Int) -> ArraySlice<UInt8> { bytes[starts[i]..<(i + 1 < starts.count ? starts[i + 1] : bytes.count)] }
        var missingNewline: Bool { !bytes.isEmpty && bytes.last != 10 }
    }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "diff")
        guard let parsed = console.options(arguments, specs) else { return 2 }
        var s = Settings()
        for (key, value) in parsed.options {
            switch key {
            case "u": s.context = 3
            case "unified":
                guard let n = parseDecimal(value) else { console.usage("invalid context length " + quoted(value)); return 2 }
                s.context = n
            case "brief": s.brief = true
            case "report-identical-files": s.identical = true
            case "recursive": s.recursive = true
            case "text": s.text = true
            case "new-file": s.newFile = true
            case "label": s.labels.append(value)
            case "strip-trailing-cr": s.stripCR = true
            case "ignore-case": s.ignoreCase = true
            case "ignore-space-change": s.ignoreSpaceChange = true
            case "ignore-all-space": s.ignoreAllSpace = true
            case "show-function-line", "show-c-function":
                // -p is GNU's "^[[:alpha:]$_]"
                let pattern = key == "show-c-function" ? "^[[:alpha:]$_]" : value
                switch BasicRegex.compile(Array(pattern.utf8)) {
                case .success(let r): s.functionLine = r
                case .failure(let e): console.error(e.message); return 2
                }
                if s.context == nil { s.context = 3 }
            case "old-line-format": s.lineFormats[0] = Array(value.utf8)
            case "new-line-format": s.lineFormats[1] = Array(value.utf8)
            case "unchanged-line-format": s.lineFormats[2] = Array(value.utf8)
            case "line-format": for k in 0..<3 { s.lineFormats[k] = Array(value.utf8) }
            default: break
            }
        }
        // the words that are not the operands (the last occurrences of them), as GNU repeats them
        var words = arguments
        for operand in parsed.operands.reversed() {
            if let at = words.lastIndex(of: operand) { words.remove(at: at) }
        }
        s.switches = words.map { " " + $0 }.joined()
        let operands = parsed.operands
        if operands.count < 2 {
            console.usage(operands.isEmpty ? "missing operand after 'diff'" : "missing operand after " + quoted(operands[0])); return 2
        }
        if operands.count > 2 { console.usage("extra operand " + quoted(operands[2])); return 2 }
        if s.labels.count > 2 { console.usage("too many file label options"); return 2 }
        var (left, right) = (operands[0], operands[1])
        // standard input against itself: the same file (GNU: no output, status 0)
        if left == "-" && right == "-" { return 0 }
        var leftInfo: FileInfo? = nil, rightInfo: FileInfo? = nil
        if left != "-" {
            switch io.info(left, followLinks: true) {
            case .success(let i): leftInfo = i
            case .failure(let e): console.error(left, e); return 2
            }
        }
        if right != "-" {
            switch io.info(right, followLinks: true) {
            case .success(let i): rightInfo = i
            case .failure(let e): console.error(right, e); return 2
            }
        }
        let leftDirectory = leftInfo?.kind == .directory, rightDirectory = rightInfo?.kind == .directory
        if leftDirectory && rightDirectory {
            let r = compareDirectories(left, right, s, io, &console, top: true)
            _ = console.finish()
            return console.failed ? 2 : r
        }
        // A directory and a file: the file of the same name in the directory.
        if leftDirectory { left = join(left, Basename.basename(right, suffix: nil)) }
        if rightDirectory { right = join(right, Basename.basename(left, suffix: nil)) }
        let r = compareFiles(left, right, s, io, &console, header: false)
        _ = console.finish()
        return console.failed ? 2 : r
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.utf8.last == UInt8(ascii: "/") ? directory + name : directory + "/" + name
    }

    static func read<IO: SystemIO>(_ path: String, _ io: IO, _ console: inout Console<IO>, stripCR: Bool = false) -> Lines? {
        guard let input = console.openInput(path) else { return nil }
        defer { input.close() }
        var lines = Lines()
        var atLineStart = true
        let failure = forEachChunk(input.source) { chunk in
            for i in chunk.indices {
                if atLineStart { lines.starts.append(lines.bytes.count + i - chunk.startIndex) }
                atLineStart = chunk[i] == 10
            }
            lines.bytes.append(contentsOf: chunk)
            return true
        }
        if let failure { console.error(path, failure); return nil }
        return stripCR ? strippingCR(lines) : lines
    }

    /// The lines without the CR before each newline (--strip-trailing-cr: GNU compares and prints
    /// them so).
    static func strippingCR(_ lines: Lines) -> Lines {
        var out = Lines()
        out.bytes.reserveCapacity(lines.bytes.count)
        for i in 0..<lines.count {
            var line = lines.line(i)
            out.starts.append(out.bytes.count)
            if line.count >= 2 && line.last == 10 && line[line.endIndex - 2] == 13 {
                line = line.dropLast(2); out.bytes.append(contentsOf: line); out.bytes.append(10)
            } else {
                out.bytes.append(contentsOf: line)
            }
        }
        return out
    }

    /// The form a line is compared in under -i, -b and -w (its printed form stays as it was).
    static func comparisonKey(_ line: ArraySlice<UInt8>, _ s: Settings) -> ArraySlice<UInt8> {
        guard s.ignoreCase || s.ignoreSpaceChange || s.ignoreAllSpace else { return line }
        var key: [UInt8] = []
        key.reserveCapacity(line.count)
        var inSpace = false
        for var byte in line {
            let blank = byte == 32 || byte == 9 || byte == 11 || byte == 12 || byte == 13
            if s.ignoreAllSpace && blank { continue }
            if s.ignoreSpaceChange && blank { inSpace = true; continue }
            if inSpace {
                // -b: a run of white space counts as one, and none before the newline
                if byte != 10 { key.append(32) }
                inSpace = false
            }
            if s.ignoreCase && byte >= 65 && byte <= 90 { byte += 32 }
            key.append(byte)
        }
        return key[...]
    }

    /// 1 when the files differ, 0 when not; trouble is reported on the console (status 2).
    static func compareFiles<IO: SystemIO>(_ left: String, _ right: String, _ s: Settings, _ io: IO,
                                           _ console: inout Console<IO>, header: Bool) -> Int32 {
        guard let a = read(left, io, &console, stripCR: s.stripCR), let b = read(right, io, &console, stripCR: s.stripCR) else { return 0 }
        if a.bytes == b.bytes {
            if s.identical { console.put("Files " + left + " and " + right + " are identical\n") }
            return 0
        }
        let binary = !s.text && (a.bytes.prefix(65536).contains(0) || b.bytes.prefix(65536).contains(0))
        let ignoring = s.ignoreCase || s.ignoreSpaceChange || s.ignoreAllSpace
        if (s.brief && !ignoring) || binary {
            console.put((binary && !s.brief ? "Binary files " : "Files ") + left + " and " + right + " differ\n")
            return 1
        }
        // Equal lines get equal numbers (an open-addressing table of FNV-1a hashes; the bytes
        // are compared on a hit). The last line without a newline differs from one with it.
        var table = [Int](repeating: -1, count: max(16, (a.count + b.count) * 2).nextPowerOfTwo)
        var representatives: [ArraySlice<UInt8>] = []
        func classify(_ line: ArraySlice<UInt8>) -> Int {
            var h: UInt64 = 0xcbf29ce484222325
            for byte in line { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
            var slot = Int(truncatingIfNeeded: h) & (table.count - 1)
            while table[slot] >= 0 {
                if representatives[table[slot]] == line { return table[slot] }
                slot = (slot + 1) & (table.count - 1)
            }
            representatives.append(line)
            table[slot] = representatives.count - 1
            return representatives.count - 1
        }
        let x = (0..<a.count).map { classify(comparisonKey(a.line($0), s)) }
        let y = (0..<b.count).map { classify(comparisonKey(b.line($0), s)) }
        representatives = []
        table = []
        let list = changes(shortestEdit(x, y))
        if s.usesLineFormats {
            formatted(list, a, b, s, &console)
            return list.isEmpty ? 0 : 1
        }
        if s.brief { if !list.isEmpty { console.put("Files " + left + " and " + right + " differ\n") }; return list.isEmpty ? 0 : 1 }
        if header && !list.isEmpty { console.put("diff" + s.switches + " " + left + " " + right + "\n") }
        if let context = s.context {
            unified(list, a, b, context: context, left, right, s, io, &console)
        } else {
            normal(list, a, b, &console)
        }
        return list.isEmpty ? 0 : 1
    }

    static func range(_ start: Int, _ end: Int) -> String {
        end - start <= 1 ? String(start + 1) : String(start + 1) + "," + String(end)
    }

    static func putLine(_ prefix: String, _ lines: Lines, _ i: Int, _ console: inout Console<some SystemIO>) {
        console.put(prefix)
        let line = lines.line(i)
        console.put(line)
        if line.last != 10 { console.put("\n\\ No newline at end of file\n") }
    }

    static func normal(_ list: [Change], _ a: Lines, _ b: Lines, _ console: inout Console<some SystemIO>) {
        for c in list {
            if c.bStart == c.bEnd {
                console.put(range(c.aStart, c.aEnd) + "d" + String(c.bStart) + "\n")
            } else if c.aStart == c.aEnd {
                console.put(String(c.aStart) + "a" + range(c.bStart, c.bEnd) + "\n")
            } else {
                console.put(range(c.aStart, c.aEnd) + "c" + range(c.bStart, c.bEnd) + "\n")
            }
            for i in c.aStart..<c.aEnd { putLine("< ", a, i, &console) }
            if c.aStart != c.aEnd && c.bStart != c.bEnd { console.put("---\n") }
            for j in c.bStart..<c.bEnd { putLine("> ", b, j, &console) }
        }
    }

    /// "start,count" of a unified hunk: "N" for one line, "N-1,0" (the line before) for none.
    static func unifiedRange(_ start: Int, _ end: Int) -> String {
        let count = end - start
        if count == 1 { return String(start + 1) }
        if count == 0 { return String(start) + ",0" }
        return String(start + 1) + "," + String(count)
    }

    static func label<IO: SystemIO>(_ path: String, _ io: IO) -> String {
        var time = Timestamp(seconds: io.currentTime(), nanoseconds: 0)
        if path != "-", case .success(let info) = io.info(path, followLinks: true) {
            time = Timestamp(seconds: info.modified, nanoseconds: info.modifiedNanoseconds)
        }
        return path + "\t" + Stat.time(time)
    }

    static func unified<IO: SystemIO>(_ list: [Change], _ a: Lines, _ b: Lines, context: Int, _ left: String, _ right: String,
                                      _ s: Settings, _ io: IO, _ console: inout Console<IO>) {
        guard !list.isEmpty else { return }
        let leftLabel = s.labels.count > 0 ? s.labels[0] : label(left, io)
        let rightLabel = s.labels.count > 1 ? s.labels[1] : label(right, io)
        console.put("--- " + leftLabel + "\n+++ " + rightLabel + "\n")
        var functionSearch = FunctionSearch()
        var first = 0
        while first < list.count {
            // a hunk: changes whose gaps are at most twice the context
            var last = first
            while last + 1 < list.count && list[last + 1].aStart - list[last].aEnd <= 2 * context { last += 1 }
            let aStart = max(0, list[first].aStart - context)
            let bStart = list[first].bStart - (list[first].aStart - aStart)
            let aEnd = min(a.count, list[last].aEnd + context)
            let bEnd = list[last].bEnd + (aEnd - list[last].aEnd)
            console.put("@@ -" + unifiedRange(aStart, aEnd) + " +" + unifiedRange(bStart, bEnd) + " @@")
            if let regex = s.functionLine, let line = functionSearch.last(before: aStart, in: a, matching: regex) {
                console.put(" "); console.put(line)
            }
            console.put("\n")
            var i = aStart
            for k in first...last {
                let c = list[k]
                while i < c.aStart { putLine(" ", a, i, &console); i += 1 }
                for x in c.aStart..<c.aEnd { putLine("-", a, x, &console) }
                for y in c.bStart..<c.bEnd { putLine("+", b, y, &console) }
                i = c.aEnd
            }
            while i < aEnd { putLine(" ", a, i, &console); i += 1 }
            first = last + 1
        }
    }

    /// -F: the last line before a hunk that matches, searched backwards from the hunk and not
    /// past the line where the previous search started (GNU's find_function); at most 40 bytes.
    struct FunctionSearch {
        var searchedUpTo = 0
        var found: ArraySlice<UInt8>? = nil

        mutating func last(before start: Int, in lines: Lines, matching regex: BasicRegex) -> ArraySlice<UInt8>? {
            var i = start - 1
            while i >= searchedUpTo {
                var line = lines.line(i)
                if line.last == 10 { line = line.dropLast() }
                if regex.firstMatch(Array(line)) != nil {
                    var shown = line.prefix(40)
                    while let last = shown.last, last == 32 || last == 9 { shown = shown.dropLast() }
                    found = shown
                    break
                }
                i -= 1
            }
            searchedUpTo = max(searchedUpTo, start)
            return found
        }
    }

    /// The line formats: every line of both files in order, unchanged ones once, each through
    /// its format: %l the line without its newline, %L with it, %dn its number, %c'C' a byte, %%.
    static func formatted(_ list: [Change], _ a: Lines, _ b: Lines, _ s: Settings, _ console: inout Console<some SystemIO>) {
        func put(_ format: [UInt8]?, _ lines: Lines, _ i: Int) {
            let format = format ?? Array("%l\n".utf8)
            let line = lines.line(i)
            var k = 0
            while k < format.count {
                let f = format[k]
                guard f == 37, k + 1 < format.count else { console.put(f); k += 1; continue }
                let d = format[k + 1]
                k += 2
                switch d {
                case 108: console.put(line.last == 10 ? line.dropLast() : line)
                case 76: console.put(line); if line.last != 10 { console.put(10) }
                case 37: console.put(37)
                case 100 where k < format.count && format[k] == 110: console.put(String(i + 1)); k += 1
                case 99 where k + 2 < format.count && format[k] == 39 && format[k + 2] == 39: console.put(format[k + 1]); k += 3
                default: console.put(37); console.put(d)
                }
            }
        }
        var i = 0
        for c in list {
            while i < c.aStart { put(s.lineFormats[2], a, i); i += 1 }
            for x in c.aStart..<c.aEnd { put(s.lineFormats[0], a, x) }
            for y in c.bStart..<c.bEnd { put(s.lineFormats[1], b, y) }
            i = c.aEnd
        }
        while i < a.count { put(s.lineFormats[2], a, i); i += 1 }
    }

    static func kindName(_ info: FileInfo) -> String {
        switch info.kind {
        case .directory: return "directory"
        case .regular: return info.size == 0 ? "regular empty file" : "regular file"
        case .symlink: return "symbolic link"
        case .other: return "special file"
        }
    }

    static func compareDirectories<IO: SystemIO>(_ left: String, _ right: String, _ s: Settings, _ io: IO,
                                                 _ console: inout Console<IO>, top: Bool) -> Int32 {
        var leftNames: [String] = [], rightNames: [String] = []
        switch io.list(left) {
        case .success(let n): leftNames = n
        case .failure(let e): console.error(left, e); return 0
        }
        switch io.list(right) {
        case .success(let n): rightNames = n
        case .failure(let e): console.error(right, e); return 0
        }
        let byBytes = { (p: String, q: String) in Array(p.utf8).lexicographicallyPrecedes(Array(q.utf8)) }
        leftNames.sort(by: byBytes)
        rightNames.sort(by: byBytes)
        var status: Int32 = 0
        var i = 0, j = 0
        while i < leftNames.count || j < rightNames.count {
            let name: String
            if j >= rightNames.count || (i < leftNames.count && byBytes(leftNames[i], rightNames[j])) {
                name = leftNames[i]; i += 1
                console.put("Only in " + left + ": " + name + "\n"); status = 1; continue
            }
            if i >= leftNames.count || byBytes(rightNames[j], leftNames[i]) {
                name = rightNames[j]; j += 1
                console.put("Only in " + right + ": " + name + "\n"); status = 1; continue
            }
            name = leftNames[i]; i += 1; j += 1
            let l = join(left, name), r = join(right, name)
            guard case .success(let li) = io.info(l, followLinks: true) else { console.error(l, .ENOENT); continue }
            guard case .success(let ri) = io.info(r, followLinks: true) else { console.error(r, .ENOENT); continue }
            if li.kind == .directory && ri.kind == .directory {
                if s.recursive { status = max(status, compareDirectories(l, r, s, io, &console, top: false)) }
                else { console.put("Common subdirectories: " + l + " and " + r + "\n") }
            } else if li.kind == .directory || ri.kind == .directory {
                console.put("File " + l + " is a " + kindName(li) + " while file " + r + " is a " + kindName(ri) + "\n")
                status = 1
            } else {
                status = max(status, compareFiles(l, r, s, io, &console, header: true))
            }
        }
        return status
    }
}

extension Int {
    /// The smallest power of two at least this (for hash tables).
    var nextPowerOfTwo: Int {
        var p = 1
        while p < self { p <<= 1 }
        return p
    }
}
