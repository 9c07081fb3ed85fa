// Cat.swift — cat [-AbeEnstTuv] [FILE…] (POSIX cat; GNU's numbering and display options).
// Streams: without options, chunks are copied as read; with them, a byte-at-a-time state machine
// that, as GNU's does, carries its state (line start, blank-line run, line number) across files.

public enum Cat {
    static let specs = [
        OptionSpec("A", "show-all"), OptionSpec("b", "number-nonblank"), OptionSpec("e", key: "e"),
        OptionSpec("E", "show-ends"), OptionSpec("n", "number"), OptionSpec("s", "squeeze-blank"),
        OptionSpec("t", key: "t"), OptionSpec("T", "show-tabs"), OptionSpec("u", key: "u"),
        OptionSpec("v", "show-nonprinting"),
    ]

    struct Mode {
        var numberAll = false, numberNonblank = false, showEnds = false, squeeze = false
        var showTabs = false, showNonprinting = false
        var plain: Bool { !(numberAll || numberNonblank || showEnds || squeeze || showTabs || showNonprinting) }
    }

    /// State carried from byte to byte and file to file.
    struct State {
        var atLineStart = true
        var blankRun = 0
        var lineNumber = 0
        /// -E: a CR held back until the next byte says whether it ends a line ("^M$", GNU 9.1).
        var pendingCR = false
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "cat")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var mode = Mode()
        for (key, _) in parsed.options {
            switch key {
            case "show-all": mode.showNonprinting = true; mode.showEnds = true; mode.showTabs = true
            case "number-nonblank": mode.numberNonblank = true
            case "e": mode.showNonprinting = true; mode.showEnds = true
            case "show-ends": mode.showEnds = true
            case "number": mode.numberAll = true
            case "squeeze-blank": mode.squeeze = true
            case "t": mode.showNonprinting = true; mode.showTabs = true
            case "show-tabs": mode.showTabs = true
            case "show-nonprinting": mode.showNonprinting = true
            default: break   // -u: output is unbuffered per write anyway
            }
        }
        if mode.numberNonblank { mode.numberAll = false }   // -b overrides -n
        var state = State()
        for name in parsed.operands.isEmpty ? ["-"] : parsed.operands {
            guard let input = console.openInput(name) else { continue }
            let failure = forEachChunk(input.source) { chunk in
                if mode.plain { console.flush(); console.put(chunk); console.flush() }
                else { for byte in chunk { put(byte, mode, &state, &console) } }
                return console.writeFailed == nil
            }
            if let failure { console.error(name, failure) }
            input.close()
            if console.writeFailed != nil { break }
        }
        if state.pendingCR { console.put(13) }   // a CR at the very end ends no line
        return console.finish()
    }

    static func put<IO: ToolIO>(_ byte: UInt8, _ mode: Mode, _ state: inout State, _ out: inout Console<IO>) {
        if state.pendingCR {
            state.pendingCR = false
            if byte == 10 { out.put(UInt8(ascii: "^")); out.put(UInt8(ascii: "M")) } else { out.put(13) }
        }
        if state.atLineStart {
            if byte == 10 {
                state.blankRun += 1
                if mode.squeeze && state.blankRun > 1 { return }
                if mode.numberAll { number(&state, &out) }
                if mode.showEnds { out.put(UInt8(ascii: "$")) }
                out.put(10)
                return
            }
            state.blankRun = 0
            state.atLineStart = false
            if mode.numberAll || mode.numberNonblank { number(&state, &out) }
        }
        switch byte {
        case 10:
            if mode.showEnds { out.put(UInt8(ascii: "$")) }
            out.put(10)
            state.atLineStart = true
        case 9:
            if mode.showTabs { out.put(UInt8(ascii: "^")); out.put(UInt8(ascii: "I")) } else { out.put(9) }
        case 13 where mode.showEnds && !mode.showNonprinting:
            state.pendingCR = true
        default:
            guard mode.showNonprinting else { out.put(byte); return }
            // GNU's -v notation: ^X for control bytes, ^? for DEL, M- before bytes ≥ 128.
            var c = byte
            if c >= 128 { out.put(UInt8(ascii: "M")); out.put(UInt8(ascii: "-")); c -= 128 }
            if c < 32 { out.put(UInt8(ascii: "^")); out.put(c + 64) }
            else if c == 127 { out.put(UInt8(ascii: "^")); out.put(UInt8(ascii: "?")) }
            else { out.put(c) }
        }
    }

    static func number<IO: ToolIO>(_ state: inout State, _ out: inout Console<IO>) {
        state.lineNumber += 1
        out.put(padded(state.lineNumber, width: 6))
        out.put(9)
    }
}
