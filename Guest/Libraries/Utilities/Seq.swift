// Seq.swift — seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST: numbers from FIRST by INCREMENT up to
// LAST. Decimal arguments are computed exactly as integers scaled by 10^p, where p is the larger
// number of fraction digits of FIRST and INCREMENT — the precision GNU seq prints with — so no
// binary rounding creeps in. Limits: no -f FORMAT, no exponents or hex, |values| < 9.2e18 / 10^p.

public enum Seq {
    static let specs = [
        OptionSpec("w", "equal-width"), OptionSpec("s", "separator", argument: true),
    ]

    /// A decimal number: its digits as an integer and how many of them are fraction digits.
    struct Number { var scaled: Int64; var precision: Int }

    static func parse(_ text: String) -> Number? {
        var s = Substring(text)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        var scaled: Int64 = 0, precision = 0, digits = 0
        var seenPoint = false
        for c in s.utf8 {
            if c == UInt8(ascii: ".") && !seenPoint { seenPoint = true; continue }
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = scaled.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - 48))
            if o1 || o2 { return nil }
            scaled = a
            digits += 1
            if seenPoint { precision += 1 }
        }
        guard digits > 0 else { return nil }
        return Number(scaled: negative ? -scaled : scaled, precision: precision)
    }

    /// `n` rescaled to `precision` fraction digits (truncated toward zero when fewer); nil on overflow.
    static func rescale(_ n: Number, _ precision: Int) -> Int64? {
        var v = n.scaled
        if precision >= n.precision {
            for _ in n.precision..<precision {
                let (m, o) = v.multipliedReportingOverflow(by: 10)
                if o { return nil }
                v = m
            }
        } else {
            for _ in precision..<n.precision { v /= 10 }
        }
        return v
    }

    static func format(_ v: Int64, _ precision: Int) -> [UInt8] {
        let negative = v < 0
        let magnitude = v.magnitude
        var digits = Array(String(magnitude).utf8)
        if precision > 0 {
            if digits.count <= precision { digits = [UInt8](repeating: 48, count: precision + 1 - digits.count) + digits }
            digits.insert(UInt8(ascii: "."), at: digits.count - precision)
        }
        return negative ? [UInt8(ascii: "-")] + digits : digits
    }

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "seq")
        // GNU seq takes an argument like "-1" or "-.5" as a number, ending the options.
        var arguments = arguments
        var i = 0
        while i < arguments.count {
            let a = Array(arguments[i].utf8)
            if a.count > 1 && a[0] == 45 && (a[1] == 46 || (a[1] >= 48 && a[1] <= 57)) { arguments.insert("--", at: i); break }
            if arguments[i] == "-s" { i += 2; continue }   // its argument may be "-1"
            if arguments[i] == "--" { break }
            i += 1
        }
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let operands = parsed.operands
        guard !operands.isEmpty else { console.usage("missing operand"); return 1 }
        guard operands.count <= 3 else { console.usage("extra operand " + quoted(operands[3])); return 1 }
        var numbers: [Number] = []
        for text in operands {
            guard let n = parse(text) else { console.usage("invalid floating point argument: " + quoted(text)); return 1 }
            numbers.append(n)
        }
        let first = operands.count > 1 ? numbers[0] : Number(scaled: 1, precision: 0)
        let step = operands.count == 3 ? numbers[1] : Number(scaled: 1, precision: 0)
        let last = numbers[numbers.count - 1]
        if step.scaled == 0 {
            console.usage("invalid Zero increment value: " + quoted(operands[1]))
            return 1
        }
        let precision = max(first.precision, step.precision)
        // Compare against LAST at its own, possibly finer, precision.
        let fine = max(precision, last.precision)
        guard let start = rescale(first, precision), let increment = rescale(step, precision),
              let limit = rescale(last, fine), let lastShown = rescale(last, precision) else {
            console.error("numbers too large for this seq (values beyond 9.2e18 / 10^precision)")
            return 1
        }
        var scaleUp: Int64 = 1
        for _ in precision..<fine { scaleUp *= 10 }
        let separator = Array((parsed.last("separator") ?? "\n").utf8)
        var width = 0
        if parsed.has("equal-width") {
            width = max(format(start, precision).count, format(lastShown, precision).count)
        }
        var value = start
        var count = 0
        while true {
            let (fineValue, overflow) = value.multipliedReportingOverflow(by: scaleUp)
            if overflow { break }
            if increment > 0 ? fineValue > limit : fineValue < limit { break }
            if count > 0 { console.put(separator) }
            var text = format(value, precision)
            if text.count < width {
                let pad = [UInt8](repeating: 48, count: width - text.count)
                text = value < 0 ? [UInt8(ascii: "-")] + pad + text.dropFirst() : pad + text
            }
            console.put(text)
            count += 1
            if console.writeFailed != nil { break }
            let (next, o) = value.addingReportingOverflow(increment)
            if o { break }
            value = next
        }
        if count > 0 { console.put(10) }
        return console.finish()
    }
}
