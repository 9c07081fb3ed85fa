// Fold.swift — fold [-b] [-s] [-w WIDTH] [FILE…]: lines wrapped at WIDTH columns (default 80).
// Columns as GNU fold counts them: a tab to the next multiple of 8, backspace one back, carriage
// return to 0 (with -b every byte is one column). With -s a line breaks after its last blank
// within the width. Holds at most one output line (of about WIDTH columns) at a time.

public enum Fold {
    static let specs = [
        OptionSpec("b", "bytes"), OptionSpec("s", "spaces"), OptionSpec("w", "width", argument: true),
    ]

    static func advance(_ column: Int, _ c: UInt8, bytes: Bool) -> Int {
        if bytes { return column + 1 }
        switch c {
        case 8: return column > 0 ? column - 1 : 0
        case 13: return 0
        case 9: return column + 8 - column % 8
        default: return column + 1
        }
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "fold")
        // The obsolete form "-WIDTH" ("fold -5") is "-w WIDTH".
        let arguments = arguments.map { a -> String in
            let b = Array(a.utf8)
            return b.count > 1 && b[0] == 45 && b[1...].allSatisfy({ $0 >= 48 && $0 <= 57 }) ? "-w" + String(a.dropFirst()) : a
        }
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var width = 80
        if let text = parsed.last("width") {
            guard let w = parseDecimal(text), w >= 1, w < Int.max / 2 else {
                console.error("invalid number of columns: " + quoted(text))
                return 1
            }
            width = w
        }
        let bytes = parsed.has("bytes"), spaces = parsed.has("spaces")
        console.eachInput(parsed.operands) { console, _, source in
            var reader = ByteReader(source)
            var line: [UInt8] = []
            var column = 0
            while let c = reader.next() {
                if c == 10 {
                    line.append(c)
                    console.put(line)
                    line.removeAll(keepingCapacity: true)
                    column = 0
                    continue
                }
                // GNU's "rescan": the byte is placed again after each break.
                while true {
                    column = advance(column, c, bytes: bytes)
                    if column <= width { line.append(c); break }
                    if spaces, let blank = line.lastIndex(where: { $0 == 32 || $0 == 9 }) {
                        console.put(line[...blank])
                        console.put(10)
                        line.removeSubrange(...blank)
                        column = 0
                        for b in line { column = advance(column, b, bytes: bytes) }
                        continue
                    }
                    if line.isEmpty { line.append(c); break }
                    line.append(10)
                    console.put(line)
                    line.removeAll(keepingCapacity: true)
                    column = 0
                }
            }
            console.put(line)
            return reader.error
        }
        return console.finish()
    }
}
