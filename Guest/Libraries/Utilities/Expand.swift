// Expand.swift — expand and unexpand (POSIX.1-2017 "expand", "unexpand"; GNU's -i, -a,
// --first-only, tab lists with "/N" and "+N"). Both stream byte by byte as GNU's do: the column is
// all the state (unexpand also holds the blanks not yet known to become a tab, at most one tab
// stop's worth).

/// Tab stops as GNU's expand-common.c keeps them: every `size` columns, or an ascending list then
/// every `extend` ("/N") or each `increment` ("+N") after the last; past the list's end, none.
struct TabStops {
    var size = 0
    var list: [Int] = []
    var extend = 0, increment = 0

    /// Parses "-t LIST" (numbers separated by commas or blanks); the error is GNU's text.
    mutating func add(_ text: String) -> String? {
        var value: Int? = nil
        var prefix: UInt8? = nil
        func commit() -> String? {
            guard let v = value else { return prefix == nil ? nil : "'\(String(decoding: [prefix!], as: UTF8.self))' specifier not at start of number: " + quoted(text) }
            if prefix == 47 { extend = v } else if prefix == 43 { increment = v } else { list.append(v) }
            value = nil; prefix = nil
            return nil
        }
        for c in text.utf8 {
            if c == 44 || c == 32 || c == 9 {
                if let e = commit() { return e }
            } else if c == 47 || c == 43 {
                if value != nil { return "'\(String(decoding: [c], as: UTF8.self))' specifier not at start of number: " + quoted(text) }
                prefix = c
            } else if c >= 48 && c <= 57 {
                let (m, o1) = (value ?? 0).multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(c - 48))
                if o1 || o2 || a > Int.max / 4 { return "tab stop is too large " + quoted(text) }
                value = a
            } else {
                return "tab size contains invalid character(s): " + quoted(String(decoding: Array(text.utf8).drop(while: { $0 != c }), as: UTF8.self))
            }
        }
        return commit()
    }

    /// GNU's validate_tab_stops and finalize_tab_stops.
    mutating func finish() -> String? {
        var previous = 0
        for t in list {
            if t == 0 { return "tab size cannot be 0" }
            if t <= previous { return "tab sizes must be ascending" }
            previous = t
        }
        if extend != 0 && increment != 0 { return "'/' specifier is mutually exclusive with '+'" }
        if list.isEmpty { size = extend != 0 ? extend : increment != 0 ? increment : 8 }
        else if list.count == 1 && extend == 0 && increment == 0 { size = list[0] }
        return nil
    }

    /// The stop after `column` (`index` walks the list along a line); nil when past the last.
    func next(after column: Int, _ index: inout Int) -> Int? {
        if size > 0 { return column + size - column % size }
        while index < list.count {
            if column < list[index] { return list[index] }
            index += 1
        }
        if extend > 0 { return column + extend - column % extend }
        if increment > 0 {
            let last = list.last ?? 0
            return last + ((column - last) / increment + 1) * increment
        }
        return nil
    }
}

extension Console {
    /// The obsolete "-8" / "-4,8" forms become "-t8"; then the options and the tab stops.
    mutating func tabOptions(_ arguments: [String], _ specs: [OptionSpec]) -> (ParsedOptions, TabStops)? {
        let rewritten = arguments.map { a -> String in
            let b = Array(a.utf8)
            return b.count > 1 && b[0] == 45 && b[1] >= 48 && b[1] <= 57 ? "-t" + String(a.dropFirst()) : a
        }
        guard let parsed = options(rewritten, specs) else { return nil }
        var stops = TabStops()
        for (key, value) in parsed.options where key == "tabs" {
            if let e = stops.add(value) { error(e); return nil }
        }
        if let e = stops.finish() { error(e); return nil }
        return (parsed, stops)
    }
}

/// Runs `body` over the operands' bytes as one stream (GNU's expand and unexpand read their files
/// as one: a line may continue across them); a file that cannot be opened or read is reported.
func concatenated<IO: ToolIO>(_ console: inout Console<IO>, _ operands: [String], _ body: (inout Console<IO>, UInt8) -> Void) {
    console.eachInput(operands) { console, _, source in
        var reader = ByteReader(source)
        while let c = reader.next() { body(&console, c) }
        return reader.error
    }
}

public enum Expand {
    static let specs = [OptionSpec("i", "initial"), OptionSpec("t", "tabs", argument: true)]

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "expand")
        guard let (parsed, stops) = console.tabOptions(arguments, specs) else { return 1 }
        let entireLine = !parsed.has("initial")
        var column = 0, index = 0
        var convert = true
        concatenated(&console, parsed.operands) { console, byte in
            var c = byte
            if convert {
                if c == 9 {
                    let stop = stops.next(after: column, &index) ?? column + 1
                    column += 1
                    while column < stop { console.put(32); column += 1 }
                    c = 32
                } else if c == 8 {
                    if column > 0 { column -= 1 }
                    if index > 0 { index -= 1 }
                } else {
                    column += 1
                }
                convert = convert && (entireLine || c == 32 || c == 9)
            }
            console.put(c)
            if c == 10 { column = 0; index = 0; convert = true }
        }
        return console.finish()
    }
}

public enum Unexpand {
    static let specs = [
        OptionSpec("a", "all"), OptionSpec(nil, "first-only"), OptionSpec("t", "tabs", argument: true),
    ]

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "unexpand")
        guard let (parsed, stops) = console.tabOptions(arguments, specs) else { return 1 }
        // -t implies -a (the obsolete "-N" does not); --first-only undoes both.
        let explicitTabs = arguments.contains { $0.hasPrefix("-t") || $0.hasPrefix("--t") }
        let entireLine = (parsed.has("all") || explicitTabs) && !parsed.has("first-only")
        var column = 0, nextStop = 0, index = 0
        var convert = true, oneBlankBeforeStop = false, previousBlank = true
        var pending: [UInt8] = []
        // GNU unexpand's loop, byte for byte: blanks are held until it is known whether they
        // reach a tab stop (then one tab replaces them) or not (then they are written as they are).
        concatenated(&console, parsed.operands) { console, byte in
            var c = byte
            if convert {
                let blank = c == 32 || c == 9
                if blank {
                    if let stop = stops.next(after: column, &index) {
                        nextStop = stop
                        if c == 9 {
                            column = nextStop
                            if !pending.isEmpty { pending[0] = 9 }
                        } else {
                            column += 1
                            if !(previousBlank && column == nextStop) {
                                if column == nextStop { oneBlankBeforeStop = true }
                                pending.append(c)
                                previousBlank = true
                                return
                            }
                            c = 9
                            if !pending.isEmpty { pending[0] = 9 }
                        }
                        // Drop the pending blanks, unless one blank just before the previous stop.
                        if oneBlankBeforeStop && !pending.isEmpty { pending.removeSubrange(1...) } else { pending.removeAll() }
                    } else {
                        convert = false
                    }
                } else if c == 8 {
                    if column > 0 { column -= 1 }
                    nextStop = column
                    if index > 0 { index -= 1 }
                } else {
                    column += 1
                }
                if !pending.isEmpty {
                    if pending.count > 1 && oneBlankBeforeStop { pending[0] = 9 }
                    console.put(pending)
                    pending.removeAll(keepingCapacity: true)
                    oneBlankBeforeStop = false
                }
                previousBlank = blank
                convert = convert && (entireLine || blank)
            }
            console.put(c)
            if c == 10 {
                column = 0; nextStop = 0; index = 0
                convert = true; oneBlankBeforeStop = false; previousBlank = true
            }
        }
        // At the end of input GNU writes the blanks still pending.
        if pending.count > 1 && oneBlankBeforeStop { pending[0] = 9 }
        console.put(pending)
        return console.finish()
    }
}
