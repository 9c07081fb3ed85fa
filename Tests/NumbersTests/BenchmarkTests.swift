// BenchmarkTests.swift — our formatting and parsing speed against glibc's, in the same run, on
// the same inputs (random bit-pattern doubles; their %.17g texts). NUMBERS_BENCH_COUNT sets the
// size (default 50,000; scripts/bench-numbers.sh runs more).
import Glibc
import Numbers
import Testing

func nanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// A sink that only counts, so both sides pay for formatting, not for collecting.
struct CountingSink: PrintfSink {
    var count = 0
    mutating func write(_ bytes: Span<UInt8>) { count += bytes.count }
}

struct OneDouble: PrintfArguments {
    var value: Double
    mutating func nextInt(byteCount: Int) -> Int64 { 0 }
    mutating func nextUInt(byteCount: Int) -> UInt64 { 0 }
    mutating func nextDouble() -> Double { value }
    mutating func nextString(limit: Int?) -> [UInt8]? { nil }
    mutating func nextPointer() -> UInt { 0 }
}

@Test func speedAgainstGlibc() {
    let count = configuredCount("BENCH_COUNT", default: 50_000)
    var rng = SplitMix(seed: 5)
    var values: [Double] = []
    while values.count < count {
        let v = Double(bitPattern: rng.next())
        if v.isFinite { values.append(v) }
    }
    var report = "speed, \(count) random finite doubles (ns per call, ours / glibc):"
    var buffer = [CChar](repeating: 0, count: 2048)
    for format in ["%.17g", "%g", "%.6e", "%.3f", "%a", "%.40e"] {
        let fbytes = Array(format.utf8)
        var sink = CountingSink()
        let t0 = nanoseconds()
        for v in values {
            var a = OneDouble(value: v)
            _ = try? Printf.format(fbytes.span, arguments: &a, to: &sink)
        }
        let t1 = nanoseconds()
        var total = 0
        for v in values {
            total += Int(withVaList([v]) { vsnprintf(&buffer, buffer.count, format, $0) })
        }
        let t2 = nanoseconds()
        report += "\n  printf \(format): \((t1 - t0) / UInt64(count)) / \((t2 - t1) / UInt64(count))"
        #expect(total == sink.count)
    }
    do {
        // Integers and strings: "%d %5x %-8s|%lu".
        let format = "%d %5x %-8s|%lu"
        let fbytes = Array(format.utf8)
        let word = "hello"
        let cword = strdup(word)!
        defer { free(cword) }
        var sink = CountingSink()
        let t0 = nanoseconds()
        for v in values {
            var a = TestArguments(args: [.int(Int32(truncatingIfNeeded: v.bitPattern)),
                                         .uint(UInt32(truncatingIfNeeded: v.bitPattern >> 20)),
                                         .string(word), .ulong(v.bitPattern)])
            _ = try? Printf.format(fbytes.span, arguments: &a, to: &sink)
        }
        let t1 = nanoseconds()
        var total = 0
        for v in values {
            let args: [CVarArg] = [Int32(truncatingIfNeeded: v.bitPattern),
                                   UInt32(truncatingIfNeeded: v.bitPattern >> 20),
                                   UnsafePointer(cword), v.bitPattern]
            total += Int(withVaList(args) { vsnprintf(&buffer, buffer.count, format, $0) })
        }
        let t2 = nanoseconds()
        report += "\n  printf \(format): \((t1 - t0) / UInt64(count)) / \((t2 - t1) / UInt64(count))"
        #expect(total == sink.count)
    }
    do {
        var digits = 0, chars = 0
        let t0 = nanoseconds()
        for v in values { digits += shortestDigits(v).digits.count }
        let t1 = nanoseconds()
        for v in values { chars += v.description.utf8.count }
        let t2 = nanoseconds()
        report += "\n  shortestDigits / Swift's description: \((t1 - t0) / UInt64(count)) / \((t2 - t1) / UInt64(count))"
        #expect(digits > 0 && chars > 0)
    }
    let texts: [[UInt8]] = values.map { ours("%.17g", [.double($0)])! }
    let shortTexts: [[UInt8]] = (0..<count).map { _ in Array("\(rng.next() % 100000).\(rng.next() % 1000)".utf8) }
    for (name, set) in [("strtod %.17g texts", texts), ("strtod short decimals", shortTexts)] {
        let cstrings = set.map { $0.map { CChar(bitPattern: $0) } + [0] }
        var sum = 0.0, sum2 = 0.0
        let t0 = nanoseconds()
        for s in set { sum += parseDouble(s.span).value }
        let t1 = nanoseconds()
        for s in cstrings { sum2 += strtod(s, nil) }
        let t2 = nanoseconds()
        report += "\n  \(name): \((t1 - t0) / UInt64(count)) / \((t2 - t1) / UInt64(count))"
        #expect(sum.bitPattern == sum2.bitPattern)
    }
    print(report)
}
