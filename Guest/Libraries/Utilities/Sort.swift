// Sort.swift — sort [-bfgnrsu] [-cC] [-t SEP] [-k POS1[,POS2]]… [-o FILE] [FILE…]: lines in order, as GNU
// sort orders them in the C locale (byte order; keys and their options as POSIX describes, fields
// found as GNU's begfield/limfield find them; ties broken by the whole line unless -s or -u).
// Memory: sort must see every line before its first output. It holds lines (one byte array and
// line offsets) up to a budget (-S SIZE, default 8 MiB), then sorts them and spills them to a
// temporary file, as GNU sort does; the runs are merged at the end (SortRuns.swift). -c (and -C,
// silent) reads line by line.
// The sort is a merge sort: stable, O(n log n) comparisons, whatever the input order.

import Numbers

public enum Sort {
    static let specs = [
        OptionSpec("b", "ignore-leading-blanks"), OptionSpec("f", "ignore-case"),
        OptionSpec("n", "numeric-sort"), OptionSpec("r", "reverse"), OptionSpec("s", "stable"),
        OptionSpec("u", "unique"), OptionSpec("t", "field-separator", argument: true),
        OptionSpec("k", "key", argument: true), OptionSpec("o", "output", argument: true),
        OptionSpec("c", "check"), OptionSpec("C", "check-quiet"), OptionSpec("z", "zero-terminated"),
        OptionSpec("g", "general-numeric-sort"), OptionSpec("h", "human-numeric-sort"),
        OptionSpec("S", "buffer-size", argument: true), OptionSpec("T", "temporary-directory", argument: true),
    ]

    /// One -k key (or the global options when no key is given). Fields and characters are 0-based.
    struct Key {
        var startField = 0, startCharacter = 0
        var endField = Int.max, endCharacter = 0   // endCharacter 0: the end of the end field
        var skipStartBlanks = false, skipEndBlanks = false
        var numeric = false, foldCase = false, reverse = false
        /// -g: compared as floating-point numbers (strtod), GNU's general numeric order.
        var general = false
        /// -h: numbers with an SI suffix (2K < 1M), GNU's human_numcompare.
        var human = false
        var hasOrdering: Bool { numeric || general || human || foldCase || reverse || skipStartBlanks || skipEndBlanks }
    }

    struct Settings {
        var keys: [Key] = []
        var global = Key()
        var separator: UInt8? = nil
        var unique = false, stable = false
    }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "sort")
        guard let parsed = console.options(arguments, specs) else { return 2 }
        var settings = Settings()
        var output: String? = nil
        var check = false, quiet = false
        var delimiter: UInt8 = 10
        for (key, value) in parsed.options {
            switch key {
            case "ignore-leading-blanks": settings.global.skipStartBlanks = true; settings.global.skipEndBlanks = true
            case "ignore-case": settings.global.foldCase = true
            case "numeric-sort": settings.global.numeric = true
            case "general-numeric-sort": settings.global.general = true
            case "human-numeric-sort": settings.global.human = true
            case "reverse": settings.global.reverse = true
            case "stable": settings.stable = true
            case "unique": settings.unique = true
            case "check": check = true
            case "check-quiet": check = true; quiet = true
            case "zero-terminated": delimiter = 0
            case "output": output = value
            case "field-separator":
                let bytes = Array(value.utf8)
                guard bytes.count == 1 else {
                    console.error(bytes.isEmpty ? "empty tab" : "multi-character tab " + quoted(value))
                    return 2
                }
                if let old = settings.separator, old != bytes[0] { console.error("incompatible tabs"); return 2 }
                settings.separator = bytes[0]
            case "key":
                guard let k = parseKey(value) else {
                    console.error("invalid number at field start: invalid count at start of " + quoted(value))
                    return 2
                }
                settings.keys.append(k)
            default: break
            }
        }
        // A key without ordering options of its own takes the global ones (POSIX).
        for i in settings.keys.indices where !settings.keys[i].hasOrdering {
            settings.keys[i].numeric = settings.global.numeric
            settings.keys[i].general = settings.global.general
            settings.keys[i].human = settings.global.human
            settings.keys[i].foldCase = settings.global.foldCase
            settings.keys[i].reverse = settings.global.reverse
            settings.keys[i].skipStartBlanks = settings.global.skipStartBlanks
            settings.keys[i].skipEndBlanks = settings.global.skipEndBlanks
        }
        if settings.keys.isEmpty { settings.keys = [settings.global] }   // no -k: the whole line

        let budget: Int
        if let text = parsed.last("buffer-size") {
            guard let b = parseBufferSize(text) else { console.usage("invalid -S argument " + quoted(text)); return 2 }
            budget = max(b, 1)
        } else {
            budget = defaultBudget
        }
        let tmpdir = io.environment().last { $0.hasPrefix("TMPDIR=") }.map { String(decoding: $0.utf8.dropFirst(7), as: UTF8.self) }
        let directory = parsed.last("temporary-directory") ?? tmpdir.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        if check {
            if parsed.operands.count > 1 { console.usage("extra operand " + quoted(parsed.operands[1]) + " not allowed with -c"); return 2 }
            return checkOrder(parsed.operands.first ?? "-", settings, delimiter: delimiter, quiet: quiet, &console)
        }

        // Read every input: the bytes of the lines held (one array, each line's start and end,
        // without its delimiter); past the budget they are sorted and spilled to a run.
        var text: [UInt8] = []
        var lines: [(start: Int, end: Int)] = []
        var runs = SortRuns(io: io, directory: directory)
        defer { runs.removeAll() }
        let compare = { (a: (start: Int, end: Int), b: (start: Int, end: Int)) -> Int in
            text.withUnsafeBufferPointer { t in
                compareLines(t[a.start..<a.end], t[b.start..<b.end], settings)
            }
        }
        /// Sorts the lines held and writes them to a new run; the bytes after the last whole line
        /// (a line still being read) stay. False after reporting an error.
        func spill(keepingFrom partial: Int, _ console: inout Console<IO>) -> Bool {
            let order = mergeSort(lines.count) { compare(lines[$0], lines[$1]) <= 0 }
            let path: String
            var out: BufferedSink<IO.Sink>
            switch runs.create() {
            case .failure(let e): console.error("cannot create temporary file in " + quoted(directory), e); return false
            case .success(let (p, sink)): path = p; out = BufferedSink(sink)
            }
            runs.paths.append(path)
            var previous: Int? = nil
            for index in order {
                if settings.unique, let p = previous, compare(lines[p], lines[index]) == 0 { continue }
                previous = index
                out.put(text[lines[index].start..<lines[index].end], delimiter)
            }
            if let e = out.finish() { console.error("write failed: " + path, e); return false }
            text = Array(text[partial...])
            lines.removeAll(keepingCapacity: true)
            return true
        }
        for name in parsed.operands.isEmpty ? ["-"] : parsed.operands {
            guard let input = console.openInput(name, reportAs: { "cannot read: " + $0 }) else { return 2 }
            var lineStart = text.count
            var spillFailed = false
            let failure = forEachChunk(input.source) { chunk in
                var i = chunk.startIndex
                while let end = chunk[i...].firstIndex(of: delimiter) {
                    text.append(contentsOf: chunk[i..<end])
                    lines.append((lineStart, text.count))
                    lineStart = text.count
                    i = end + 1
                    // a line costs its bytes, its two offsets and the merge sort's two indices
                    if text.count + lines.count * 32 >= budget {
                        guard spill(keepingFrom: lineStart, &console) else { spillFailed = true; return false }
                        lineStart = 0
                    }
                }
                text.append(contentsOf: chunk[i...])
                return true
            }
            if text.count > lineStart { lines.append((lineStart, text.count)) }
            input.close()
            if spillFailed { return 2 }
            if let failure { console.error("read failed: " + name, failure); return 2 }
        }

        var sink: BufferedSink<IO.Sink>? = nil
        if let output {
            switch io.create(output, append: false) {
            case .success(let s): sink = BufferedSink(s)
            case .failure(let e): console.error("open failed: " + output, e); return 2
            }
        }
        /// One output line; false once the output is gone.
        func emit(_ line: ArraySlice<UInt8>, _ console: inout Console<IO>) -> Bool {
            if sink != nil {
                sink!.put(line, delimiter)
                return sink!.failure == nil
            }
            console.put(line); console.put(delimiter)
            return console.writeFailed == nil
        }
        if runs.paths.isEmpty {
            // everything fitted: sorted in memory, as before
            let order = mergeSort(lines.count) { compare(lines[$0], lines[$1]) <= 0 }
            var previous: Int? = nil
            for index in order {
                if settings.unique, let p = previous, compare(lines[p], lines[index]) == 0 { continue }
                previous = index
                if !emit(text[lines[index].start..<lines[index].end], &console) { break }
            }
        } else {
            if !lines.isEmpty && !spill(keepingFrom: text.count, &console) { return 2 }
            text = []
            // passes of at most fanIn runs (the oldest first) until one pass can write the output
            while runs.paths.count > SortRuns<IO>.fanIn {
                let batch = Array(runs.paths.prefix(SortRuns<IO>.fanIn))
                let path: String
                var out: BufferedSink<IO.Sink>
                switch runs.create() {
                case .failure(let e): console.error("cannot create temporary file in " + quoted(directory), e); return 2
                case .success(let (p, s)): path = p; out = BufferedSink(s)
                }
                if let e = merge(batch, io, settings, delimiter: delimiter, { out.put($0, delimiter); return true }) {
                    _ = out.finish(); _ = io.remove(path)
                    console.error("read failed: temporary file", e); return 2
                }
                if let e = out.finish() { _ = io.remove(path); console.error("write failed: " + path, e); return 2 }
                for p in batch { _ = io.remove(p) }
                runs.paths = [path] + runs.paths.dropFirst(batch.count)
            }
            if let e = merge(runs.paths, io, settings, delimiter: delimiter, { emit($0, &console) }) {
                console.error("read failed: temporary file", e); return 2
            }
        }
        if sink != nil, let e = sink!.finish() { console.error("write failed: " + (output ?? ""), e) }
        return console.finish(failure: 2)
    }

    /// The budget for lines held in memory before spilling (GNU's -S; GNU sizes its own from the
    /// machine's memory, which the tools cannot see): small enough for a small guest.
    static var defaultBudget: Int { 8 << 20 }

    /// -c: whether the input is in order, read line by line (two lines held).
    /// -C (`quiet`): the status only, no "disorder" message.
    static func checkOrder<IO: ToolIO>(_ name: String, _ settings: Settings, delimiter: UInt8, quiet: Bool = false,
                                       _ console: inout Console<IO>) -> Int32 {
        guard let input = console.openInput(name, reportAs: { "cannot read: " + $0 }) else { return 2 }
        defer { input.close() }
        var reader = LineReader(input.source)
        reader.delimiter = delimiter
        var previous: [UInt8] = [], line: [UInt8] = []
        var number = 0
        func body(_ l: [UInt8]) -> ArraySlice<UInt8> { l.last == delimiter ? l.dropLast() : l[...] }
        while reader.next(&line) {
            number += 1
            if number > 1 {
                let c = body(previous).withUnsafeBufferPointer { p in body(line).withUnsafeBufferPointer { q in compareLines(p[...], q[...], settings) } }
                if c > 0 || (c == 0 && settings.unique) {
                    if quiet { return 1 }
                    console.error(name + ":" + String(number) + ": disorder: " + String(decoding: body(line), as: UTF8.self))
                    return 1
                }
            }
            swap(&previous, &line)
        }
        if let e = reader.error { console.error("read failed: " + name, e); return 2 }
        return 0
    }

    /// -k F[.C][OPTS][,F[.C][OPTS]] (POSIX sort, "-k"). nil when malformed.
    static func parseKey(_ text: String) -> Key? {
        var key = Key()
        let bytes = Array(text.utf8)
        var i = 0
        func number() -> Int? {
            var value = 0, digits = 0
            while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 {
                value = min(value * 10 + Int(bytes[i] - 48), 1 << 40)
                i += 1; digits += 1
            }
            return digits > 0 ? value : nil
        }
        func options(_ key: inout Key, end: Bool) -> Bool {
            while i < bytes.count && bytes[i] != UInt8(ascii: ",") {
                switch bytes[i] {
                case UInt8(ascii: "b"): if end { key.skipEndBlanks = true } else { key.skipStartBlanks = true }
                case UInt8(ascii: "n"): key.numeric = true
                case UInt8(ascii: "g"): key.general = true
                case UInt8(ascii: "h"): key.human = true
                case UInt8(ascii: "f"): key.foldCase = true
                case UInt8(ascii: "r"): key.reverse = true
                default: return false
                }
                i += 1
            }
            return true
        }
        guard let field = number(), field > 0 else { return nil }
        key.startField = field - 1
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard let c = number(), c > 0 else { return nil }
            key.startCharacter = c - 1
        }
        guard options(&key, end: false) else { return nil }
        if i < bytes.count {
            i += 1   // ","
            guard let end = number(), end > 0 else { return nil }
            key.endField = end - 1
            if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard let c = number() else { return nil }
                key.endCharacter = c
            }
            guard options(&key, end: true), i == bytes.count else { return nil }
        }
        return key
    }

    static func isBlank(_ b: UInt8) -> Bool { b == 32 || b == 9 }

    /// The start of a key in a line (GNU sort's begfield).
    static func keyStart(_ line: UnsafeBufferPointer<UInt8>.SubSequence, _ key: Key, _ separator: UInt8?) -> Int {
        var p = line.startIndex
        let limit = line.endIndex
        var fields = key.startField
        if let separator {
            while p < limit && fields > 0 {
                fields -= 1
                while p < limit && line[p] != separator { p += 1 }
                if p < limit { p += 1 }
            }
        } else {
            while p < limit && fields > 0 {
                fields -= 1
                while p < limit && isBlank(line[p]) { p += 1 }
                while p < limit && !isBlank(line[p]) { p += 1 }
            }
        }
        if key.skipStartBlanks { while p < limit && isBlank(line[p]) { p += 1 } }
        return min(limit, p + key.startCharacter)
    }

    /// The end of a key in a line (GNU sort's limfield).
    static func keyEnd(_ line: UnsafeBufferPointer<UInt8>.SubSequence, _ key: Key, _ separator: UInt8?) -> Int {
        if key.endField == Int.max { return line.endIndex }
        var p = line.startIndex
        let limit = line.endIndex
        var fields = key.endField
        if key.endCharacter == 0 { fields += 1 }
        if let separator {
            while p < limit && fields > 0 {
                fields -= 1
                while p < limit && line[p] != separator { p += 1 }
                if p < limit && (fields > 0 || key.endCharacter != 0) { p += 1 }
            }
        } else {
            while p < limit && fields > 0 {
                fields -= 1
                while p < limit && isBlank(line[p]) { p += 1 }
                while p < limit && !isBlank(line[p]) { p += 1 }
            }
        }
        if key.endCharacter != 0 {
            if key.skipEndBlanks { while p < limit && isBlank(line[p]) { p += 1 } }
            p = min(limit, p + key.endCharacter)
        }
        return p
    }

    static func compareLines(_ a: UnsafeBufferPointer<UInt8>.SubSequence, _ b: UnsafeBufferPointer<UInt8>.SubSequence, _ settings: Settings) -> Int {
        for key in settings.keys {
            let aStart = keyStart(a, key, settings.separator), bStart = keyStart(b, key, settings.separator)
            let aEnd = max(aStart, keyEnd(a, key, settings.separator)), bEnd = max(bStart, keyEnd(b, key, settings.separator))
            var diff: Int
            if key.general {
                diff = compareGeneral(a[aStart..<aEnd], b[bStart..<bEnd])
            } else if key.human {
                diff = compareHuman(a[aStart..<aEnd], b[bStart..<bEnd])
            } else if key.numeric {
                diff = compareNumbers(a[aStart..<aEnd], b[bStart..<bEnd])
            } else {
                diff = compareBytes(a[aStart..<aEnd], b[bStart..<bEnd], fold: key.foldCase)
            }
            if diff != 0 { return key.reverse ? -diff : diff }
        }
        if settings.unique || settings.stable { return 0 }
        // Ties: the whole lines, byte by byte (GNU's last-resort comparison), reversed by -r.
        let diff = compareBytes(a, b, fold: false)
        return settings.global.reverse ? -diff : diff
    }

    static func compareBytes(_ a: UnsafeBufferPointer<UInt8>.SubSequence, _ b: UnsafeBufferPointer<UInt8>.SubSequence, fold: Bool) -> Int {
        var i = a.startIndex, j = b.startIndex
        while i < a.endIndex && j < b.endIndex {
            var x = a[i], y = b[j]
            if fold {
                if x >= 97 && x <= 122 { x -= 32 }
                if y >= 97 && y <= 122 { y -= 32 }
            }
            if x != y { return x < y ? -1 : 1 }
            i += 1; j += 1
        }
        let left = a.endIndex - i, right = b.endIndex - j
        return left == right ? 0 : (left < right ? -1 : 1)
    }

    /// GNU's -g (general_numcompare): each key read by strtod; keys with no number first, then
    /// NaNs, then the numbers in order (-inf first, +inf last; -0 equals 0).
    static func compareGeneral(_ a: UnsafeBufferPointer<UInt8>.SubSequence, _ b: UnsafeBufferPointer<UInt8>.SubSequence) -> Int {
        let x = parseDouble(Array(a).span), y = parseDouble(Array(b).span)
        if x.consumed == 0 { return y.consumed == 0 ? 0 : -1 }
        if y.consumed == 0 { return 1 }
        if x.value < y.value { return -1 }
        if x.value > y.value { return 1 }
        if x.value == y.value { return 0 }
        // one or both NaN: NaN sorts before every number
        if x.value.isNaN && y.value.isNaN { return 0 }
        return x.value.isNaN ? -1 : 1
    }

    /// GNU's -h (human_numcompare): the SI suffix's order first (none 0, K 1, M 2, G 3, T 4, P 5,
    /// E 6, Z 7, Y 8; negative for a negative number; 0 for a number that is zero),
    /// then the numbers as -n compares them.
    static func compareHuman(_ a: UnsafeBufferPointer<UInt8>.SubSequence, _ b: UnsafeBufferPointer<UInt8>.SubSequence) -> Int {
        let order = unitOrder(a) - unitOrder(b)
        if order != 0 { return order < 0 ? -1 : 1 }
        return compareNumbers(a, b)
    }

    static func unitOrder(_ s: UnsafeBufferPointer<UInt8>.SubSequence) -> Int {
        var i = s.startIndex
        while i < s.endIndex && isBlank(s[i]) { i += 1 }
        let negative = i < s.endIndex && s[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var maxDigit: UInt8 = 48
        while i < s.endIndex && s[i] >= 48 && s[i] <= 57 { maxDigit = max(maxDigit, s[i]); i += 1 }
        if i < s.endIndex && s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.endIndex && s[i] >= 48 && s[i] <= 57 { maxDigit = max(maxDigit, s[i]); i += 1 }
        }
        guard maxDigit > 48, i < s.endIndex else { return 0 }
        let order: Int
        switch s[i] {
        case UInt8(ascii: "K"), UInt8(ascii: "k"): order = 1
        case UInt8(ascii: "M"): order = 2
        case UInt8(ascii: "G"): order = 3
        case UInt8(ascii: "T"): order = 4
        case UInt8(ascii: "P"): order = 5
        case UInt8(ascii: "E"): order = 6
        case UInt8(ascii: "Z"): order = 7
        case UInt8(ascii: "Y"): order = 8
        default: order = 0   // R and Q came with coreutils 9.2; the reference here is 9.1
        }
        return negative ? -order : order
    }

    /// GNU's -n: leading blanks, an optional '-', digits, an optional '.' and digits; anything else
    /// (no number) is zero. Compared exactly, as text, never through floating point.
    static func compareNumbers(_ a: UnsafeBufferPointer<UInt8>.SubSequence, _ b: UnsafeBufferPointer<UInt8>.SubSequence) -> Int {
        let x = Decimal(a), y = Decimal(b)
        if x.isZero && y.isZero { return 0 }
        if x.negative != y.negative {
            if x.isZero { return y.negative ? 1 : -1 }
            if y.isZero { return x.negative ? -1 : 1 }
            return x.negative ? -1 : 1
        }
        let magnitude = Decimal.compareMagnitude(x, y)
        return x.negative ? -magnitude : magnitude
    }

    /// A number's digits, without leading zeros (integer part) and trailing zeros (fraction), as
    /// ranges of the line (no copy: this runs in every comparison).
    struct Decimal {
        let text: UnsafeBufferPointer<UInt8>.SubSequence
        var negative = false
        var integer: Range<Int>
        var fraction: Range<Int>
        var integerDigits = 0
        var isZero: Bool { integerDigits == 0 && fraction.isEmpty }

        init(_ s: UnsafeBufferPointer<UInt8>.SubSequence) {
            text = s
            var i = s.startIndex
            while i < s.endIndex && (isBlank(s[i])) { i += 1 }
            if i < s.endIndex && s[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            // GNU sort quirk, matched: in the C locale its thousands separator is the non-character
            // CHAR_MAX + 1 = 128, which the comparison (on unsigned char) finds in byte 0x80 — so a
            // 0x80 byte in the integer part is skipped like a separator ("1\x802" is 12).
            while i < s.endIndex && (s[i] == 48 || s[i] == 0x80) { i += 1 }
            let intStart = i
            while i < s.endIndex && (s[i] >= 48 && s[i] <= 57 || s[i] == 0x80) { i += 1 }
            integer = intStart..<i
            integerDigits = s[integer].reduce(0) { $1 == 0x80 ? $0 : $0 + 1 }
            fraction = i..<i
            if i < s.endIndex && s[i] == UInt8(ascii: ".") {
                i += 1
                let fracStart = i
                while i < s.endIndex && s[i] >= 48 && s[i] <= 57 { i += 1 }
                var fracEnd = i
                while fracEnd > fracStart && s[fracEnd - 1] == 48 { fracEnd -= 1 }
                fraction = fracStart..<fracEnd
            }
        }

        static func compareMagnitude(_ x: Decimal, _ y: Decimal) -> Int {
            if x.integerDigits != y.integerDigits { return x.integerDigits < y.integerDigits ? -1 : 1 }
            for (p, q) in zip(x.text[x.integer].lazy.filter({ $0 != 0x80 }), y.text[y.integer].lazy.filter({ $0 != 0x80 })) where p != q {
                return p < q ? -1 : 1
            }
            for (p, q) in zip(x.text[x.fraction], y.text[y.fraction]) where p != q { return p < q ? -1 : 1 }
            return x.fraction.count == y.fraction.count ? 0 : (x.fraction.count < y.fraction.count ? -1 : 1)
        }
    }
}

/// A stable bottom-up merge sort of the indices 0..<count; `inOrder(i, j)` says i may precede j.
func mergeSort(_ count: Int, _ inOrder: (Int, Int) -> Bool) -> [Int] {
    var source = Array(0..<count)
    var target = source
    var width = 1
    while width < count {
        var start = 0
        while start < count {
            let middle = min(start + width, count), end = min(start + 2 * width, count)
            var i = start, j = middle, k = start
            while i < middle && j < end {
                if inOrder(source[i], source[j]) { target[k] = source[i]; i += 1 }
                else { target[k] = source[j]; j += 1 }
                k += 1
            }
            while i < middle { target[k] = source[i]; i += 1; k += 1 }
            while j < end { target[k] = source[j]; j += 1; k += 1 }
            start = end
        }
        swap(&source, &target)
        width *= 2
    }
    return source
}
