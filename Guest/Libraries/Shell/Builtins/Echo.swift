// Echo.swift — echo as dash has it (XCU echo with the XSI escapes; only -n is an option).

extension Shell {
    func builtinEcho(_ args: [String]) -> Int32 {
        var args = args[...]
        var newline = true
        if args.first == "-n" { newline = false; args = args.dropFirst() }
        var out: [UInt8] = []
        outer: for (i, a) in args.enumerated() {
            if i > 0 { out.append(32) }
            let (bytes, stop) = interpretEscapes(Array(a.utf8), octalNeedsZero: true)
            out.append(contentsOf: bytes)
            if stop { newline = false; break outer }
        }
        if newline { out.append(10) }
        if write(1, out) { return 0 }
        reportError("echo: echo: I/O error")
        return 1
    }

    /// Backslash escapes of echo and printf %b: \a \b \c \f \n \r \t \v \\ and \0nnn (echo) or
    /// \nnn (printf). Returns the bytes and whether \c asked to stop all output.
    func interpretEscapes(_ s: [UInt8], octalNeedsZero: Bool) -> ([UInt8], Bool) {
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            guard c == 92, i + 1 < s.count else { out.append(c); i += 1; continue }
            let n = s[i + 1]
            i += 2
            switch n {
            case 97: out.append(7)
            case 98: out.append(8)
            case 99: return (out, true)
            case 101: out.append(27)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 118: out.append(11)
            case 92: out.append(92)
            case 48...55:
                var v = 0, digits = 0
                var j = i - 1
                if octalNeedsZero {
                    guard n == 48 else { out.append(92); out.append(n); continue }
                    j = i
                }
                while j < s.count && digits < 3 && s[j] >= 48 && s[j] <= 55 { v = v * 8 + Int(s[j]) - 48; j += 1; digits += 1 }
                out.append(UInt8(v & 0xff))
                i = j
            default:
                out.append(92); out.append(n)
            }
        }
        return (out, false)
    }
}
