// Seq.swift — seq [-w] [-s SEP] [-f FORMAT] [FIRST [INCREMENT]] LAST: numbers from FIRST by
// INCREMENT up to LAST. Decimal arguments (with an optional exponent: 1.5e2) are computed exactly
// as integers scaled by 10^p, where p is the larger number of fraction digits of FIRST and
// INCREMENT — the precision GNU seq prints with — so no binary rounding creeps in and the last
// value is reached exactly (GNU reaches it through its own rounding fix-up). With -f FORMAT each
// exact value is converted to the nearest double and printed by the printf engine (Numbers).
// Limits: no hexadecimal or infinite arguments, |values| < 9.2e18 / 10^p.
import Numbers

public enum Seq {
    static let specs = [
        OptionSpec("w", "equal-width"), OptionSpec("s", "separator", argument: true), OptionSpec("f", "format", argument: true),
    ]

    /// A decimal number: its digits as an integer and how many of them are fraction digits.
    struct Number { var scaled: Int64; var precision: Int }

    /// A decimal argument: [blanks][sign]digits[.digits][(e|E)[sign]digits], as GNU seq reads it
    /// (strtold); an exponent moves the point, so 1.0e0 keeps one fraction digit and 1.5e2 none
    /// (GNU's precision: the fraction digits less the exponent, at least 0).
    static func parse(_ text: String) -> Number? {
        var s = Substring(text)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        var scaled: Int64 = 0, precision = 0, digits = 0
        var seenPoint = false
        var bytes = Array(s.utf8)[...]
        while let c = bytes.first {
            if c == UInt8(ascii: ".") && !seenPoint { seenPoint = true; bytes = bytes.dropFirst(); continue }
            guard c >= 48 && c <= 57 else { break }
            let (m, o1) = scaled.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - 48))
            if o1 || o2 { return nil }
            scaled = a
            digits += 1
            if seenPoint { precision += 1 }
            bytes = bytes.dropFirst()
        }
        guard digits > 0 else { return nil }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                exponentNegative = sign == UInt8(ascii: "-"); bytes = bytes.dropFirst()
            }
            var exponent = 0
            guard let d = bytes.first, d >= 48 && d <= 57 else { return nil }
            while let d = bytes.first, d >= 48 && d <= 57 {
                exponent = exponent * 10 + Int(d - 48)
                if exponent > 40 { return nil }   // beyond what a scaled Int64 holds either way
                bytes = bytes.dropFirst()
            }
            precision -= exponentNegative ? -exponent : exponent
            while precision < 0 {
                let (m, o) = scaled.multipliedReportingOverflow(by: 10)
                if o { return nil }
                scaled = m
                precision += 1
            }
        }
        guard bytes.isEmpty else { return nil }
        return Number(scaled: negative ? -scaled : scaled, precision: precision)
    }

    /// A -f FORMAT: text, one floating conversion (%[flags][width][.precision][L](a|e|f|g, any
    /// case)), text; "%%" in the text is a percent sign. GNU seq accepts no other form.
    struct Format {
        var prefix: [UInt8] = []
        var spec = ConversionSpec()
        var suffix: [UInt8] = []

        /// The format, or why it is refused (GNU's messages).
        static func parse(_ text: String) -> Result<Format, FormatError> {
            let f = Array(text.utf8)
            var format = Format()
            var i = 0
            // the text before the directive ("%%" is one percent sign)
            while !(i < f.count && f[i] == 37 && (i + 1 >= f.count || f[i + 1] != 37)) {
                guard i < f.count else { return .failure(.noDirective) }
                format.prefix.append(f[i])
                i += f[i] == 37 ? 2 : 1
            }
            i += 1
            while i < f.count, let flag = "-+#0 '".utf8.firstIndex(of: f[i]) {
                switch "-+#0 '".utf8[flag] {
                case UInt8(ascii: "-"): format.spec.leftAlign = true
                case UInt8(ascii: "+"): format.spec.plusSign = true
                case UInt8(ascii: "#"): format.spec.alternate = true
                case UInt8(ascii: "0"): format.spec.zeroPad = true
                case UInt8(ascii: " "): format.spec.spaceSign = true
                default: break   // ': thousands grouping, none in the C locale
                }
                i += 1
            }
            while i < f.count, f[i] >= 48 && f[i] <= 57 { format.spec.width = min(format.spec.width * 10 + Int(f[i] - 48), 1 << 20); i += 1 }
            if i < f.count && f[i] == UInt8(ascii: ".") {
                i += 1
                var precision = 0
                while i < f.count, f[i] >= 48 && f[i] <= 57 { precision = min(precision * 10 + Int(f[i] - 48), 1 << 20); i += 1 }
                format.spec.precision = precision
            }
            if i < f.count && f[i] == UInt8(ascii: "L") { i += 1 }
            guard i < f.count else { return .failure(.endsInPercent) }
            guard "efgaEFGA".utf8.contains(f[i]) else { return .failure(.unknownDirective(f[i])) }
            format.spec.conversion = f[i]
            i += 1
            while i < f.count {
                if f[i] == 37 {
                    guard i + 1 < f.count && f[i + 1] == 37 else { return .failure(.tooManyDirectives) }
                    format.suffix.append(37)
                    i += 2
                } else {
                    format.suffix.append(f[i])
                    i += 1
                }
            }
            return .success(format)
        }

        /// `value` (an exact decimal: `scaled` / 10^`precision`) under this format.
        func render(_ scaled: Int64, precision: Int) -> [UInt8] {
            // the decimal's nearest double, correctly rounded by strtod's conversion
            let decimal = Seq.format(scaled, precision)
            let value = parseDouble(decimal.span).value
            var out = prefix
            formatDouble(value, spec, into: &out)
            return out + suffix
        }
    }

    enum FormatError: Error {
        case noDirective, endsInPercent, unknownDirective(UInt8), tooManyDirectives

        func message(_ format: String) -> String {
            switch self {
            case .noDirective: return "format " + quoted(format) + " has no % directive"
            case .endsInPercent: return "format " + quoted(format) + " ends in %"
            case .unknownDirective(let c): return "format " + quoted(format) + " has unknown %" + String(decoding: [c], as: UTF8.self) + " directive"
            case .tooManyDirectives: return "format " + quoted(format) + " has too many % directives"
            }
        }
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
            if arguments[i] == "-s" || arguments[i] == "-f" { i += 2; continue }   // its argument may be "-1"
            if arguments[i] == "--" { break }
            i += 1
        }
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var format: Format? = nil
        if let text = parsed.last("format") {
            if parsed.has("equal-width") {
                console.error("format string may not be specified when printing equal width strings")
                return 1
            }
            switch Format.parse(text) {
            case .success(let f): format = f
            case .failure(let e): console.error(e.message(text)); return 1
            }
        }
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
            width = max(Seq.format(start, precision).count, Seq.format(lastShown, precision).count)
        }
        var value = start
        var count = 0
        while true {
            let (fineValue, overflow) = value.multipliedReportingOverflow(by: scaleUp)
            if overflow { break }
            if increment > 0 ? fineValue > limit : fineValue < limit { break }
            if count > 0 { console.put(separator) }
            if let format {
                console.put(format.render(value, precision: precision))
                count += 1
                if console.writeFailed != nil { break }
                let (next, o) = value.addingReportingOverflow(increment)
                if o { break }
                value = next
                continue
            }
            var text = Seq.format(value, precision)
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
