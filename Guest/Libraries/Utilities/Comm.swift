// Comm.swift — comm [-123] [--check-order|--nocheck-order] [--output-delimiter=STR] [--total] [-z]
// FILE1 FILE2 (POSIX.1-2017 "comm"; GNU's options): the lines only in FILE1, only in FILE2, and in
// both, in three columns, from two sorted files read a line at a time. Byte order (the C locale).
// As GNU: unsorted input is reported once per file, by default only after a line that pairs with
// nothing, and then the status is 1 ("input is not in sorted order").

public enum Comm {
    static let specs = [
        OptionSpec("1", key: "1"), OptionSpec("2", key: "2"), OptionSpec("3", key: "3"),
        OptionSpec(nil, "check-order"), OptionSpec(nil, "nocheck-order"),
        OptionSpec(nil, "output-delimiter", argument: true), OptionSpec(nil, "total"), OptionSpec("z", "zero-terminated"),
    ]

    enum Check { case automatic, enabled, disabled }

    /// GNU's comparison in the C locale: bytes, then the shorter line first.
    static func order(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i < n {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i += 1
        }
        return a.count < b.count ? -1 : a.count == b.count ? 0 : 1
    }

    struct Side<Source: ByteSource> {
        var reader: LineReader<Source>
        var line: [UInt8] = []
        var previous: [UInt8]? = nil
        var beforePrevious: [UInt8]? = nil
        var present = false
        var warned = false

        /// The next line without its delimiter; false at the end.
        mutating func advance(_ delimiter: UInt8) -> Bool {
            beforePrevious = previous
            previous = present ? line : nil
            present = reader.next(&line)
            if present && line.last == delimiter { line.removeLast() }
            return present
        }
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "comm")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let operands = parsed.operands
        if operands.count < 2 {
            console.usage(operands.isEmpty ? "missing operand" : "missing operand after " + quoted(operands[0]))
            return 1
        }
        guard operands.count == 2 else { console.usage("extra operand " + quoted(operands[2])); return 1 }
        var check = Check.automatic
        for (key, _) in parsed.options {
            if key == "check-order" { check = .enabled } else if key == "nocheck-order" { check = .disabled }
        }
        let show1 = !parsed.has("1"), show2 = !parsed.has("2"), show3 = !parsed.has("3")
        let delimiter: UInt8 = parsed.has("zero-terminated") ? 0 : 10
        var separator: [UInt8] = [9]
        if let s = parsed.last("output-delimiter") { separator = s.isEmpty ? [0] : Array(s.utf8) }

        var inputs: [OpenInput<IO.Source>] = []
        for name in operands {
            guard let input = console.openInput(name) else { for i in inputs { i.close() }; return console.finish() }
            inputs.append(input)
        }
        defer { for i in inputs { i.close() } }
        var sides = inputs.map { Side(reader: LineReader($0.source)) }
        for i in 0..<2 { sides[i].reader.delimiter = delimiter }
        var seenUnpairable = false
        var counts = [0, 0, 0]

        /// GNU's check_order: false when the run must stop (--check-order).
        func checkOrder(_ console: inout Console<IO>, _ side: inout Side<IO.Source>, _ a: [UInt8], _ b: [UInt8], _ file: Int) -> Bool {
            guard check == .enabled || (check == .automatic && seenUnpairable), !side.warned else { return true }
            if order(a, b) > 0 {
                console.error("file \(file) is not in sorted order")
                side.warned = true
                if check == .enabled { return false }
            }
            return true
        }

        for i in 0..<2 {
            _ = sides[i].advance(delimiter)
            if let e = sides[i].reader.error { console.error(operands[i], e); return console.finish() }
        }
        while sides[0].present || sides[1].present {
            let o: Int
            if !sides[0].present { o = 1 } else if !sides[1].present { o = -1 } else { o = order(sides[0].line, sides[1].line) }
            var column = 0
            if o == 0 { column = 3 } else { seenUnpairable = true; column = o < 0 ? 1 : 2 }
            counts[column - 1] += 1
            let line = column == 1 ? sides[0].line : sides[1].line
            switch column {
            case 1: if show1 { console.put(line); console.put(delimiter) }
            case 2: if show2 { if show1 { console.put(separator) }; console.put(line); console.put(delimiter) }
            default:
                if show3 {
                    if show1 { console.put(separator) }
                    if show2 { console.put(separator) }
                    console.put(line); console.put(delimiter)
                }
            }
            for i in 0..<2 where (i == 0 && o <= 0) || (i == 1 && o >= 0) {
                var ok = true
                if sides[i].advance(delimiter) {
                    ok = checkOrder(&console, &sides[i], sides[i].previous!, sides[i].line, i + 1)
                } else if let p = sides[i].beforePrevious, let q = sides[i].previous {
                    ok = checkOrder(&console, &sides[i], p, q, i + 1)
                }
                if !ok { return console.finish() }
                if let e = sides[i].reader.error { console.error(operands[i], e); return console.finish() }
            }
        }
        if parsed.has("total") {
            for n in counts { console.put(String(n)); console.put(separator) }
            console.put("total")
            console.put(delimiter)
        }
        if sides[0].warned || sides[1].warned { console.error("input is not in sorted order") }
        return console.finish()
    }
}
