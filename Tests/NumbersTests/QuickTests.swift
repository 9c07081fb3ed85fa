// QuickTests.swift — hand-picked printf/strtod cases against glibc.
import Testing
import Numbers

@Test(arguments: [
    "%e", "%E", "%f", "%F", "%g", "%G", "%a", "%A", "%.0e", "%#.0e", "%.0f", "%#.0f", "%#g", "%#.3g",
    "%.17g", "%.1000f", "%.800e", "%+.3e", "% 12.4f", "%-12.4f|", "%012.4f", "%-012g|", "%.0a",
    "%.1a", "%#a", "%.20a", "%+a", "%010a", "%g", "%.0g", "%#.0g", "%.40g",
])
func floatFormatsMatchGlibc(format: String) {
    let values: [Double] = [0, -0.0, 1, -1, 0.5, 1.5, 2.5, 0.1, 1e23, Double("9007199254740993")!,
                            123456.789, 1e-5, 1e-4, 0.0001234, 99999.5, 9.9999995, .infinity,
                            -.infinity, .nan, -.nan, .greatestFiniteMagnitude,
                            .leastNonzeroMagnitude, .leastNormalMagnitude, Double("5e-324")!, Double("2.2250738585072011e-308")!,
                            0x1.fffffffffffffp0, 0x1.8p0, 3.0e-310]
    for v in values {
        let g = glibc(format, [.double(v)])
        let o = ours(format, [.double(v)])
        #expect(o == g, "\(format) \(v): ours \(text(o)) glibc \(text(g))")
    }
}

@Test(arguments: [
    "%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%.0d", "%08.3d", "%hhd", "%hd",
    "%ld", "%lld", "%u", "%o", "%#o", "%#.0o", "%x", "%#x", "%#X", "%#08x", "%lx", "%zu", "%jd",
    "%td", "%hhu", "%c", "%5c", "%-5c|", "%%", "%5%", "abc%%def",
])
func integerFormatsMatchGlibc(format: String) {
    let ints: [Int64] = [0, 1, -1, 42, -42, 255, 256, 65535, 65536, Int64(Int32.max), Int64(Int32.min),
                         Int64.max, Int64.min, 0x1234_5678_9abc]
    for v in ints {
        let isLong = format.contains("l") || format.contains("j") || format.contains("z") || format.contains("t")
        let arg: Arg = isLong ? .long(v) : .int(Int32(truncatingIfNeeded: v))
        let g = glibc(format, [arg])
        let o = ours(format, [arg])
        #expect(o == g, "\(format) \(v): ours \(text(o)) glibc \(text(g))")
    }
}

@Test func stringsPointersAndStars() {
    let cases: [(String, [Arg])] = [
        ("%s", [.string("hello")]), ("%.2s", [.string("hello")]), ("%10s|", [.string("hi")]),
        ("%-10s|", [.string("hi")]), ("%s", [.string(nil)]), ("%.3s|", [.string(nil)]),
        ("%.6s|", [.string(nil)]), ("%05s", [.string("ab")]), ("%p", [.pointer(0x1234)]),
        ("%p", [.pointer(0)]), ("%20p|", [.pointer(0xdead)]), ("%-20p|", [.pointer(0)]),
        ("%+p", [.pointer(0x10)]), ("% p", [.pointer(0x10)]), ("%020p", [.pointer(0x10)]),
        ("%.8p", [.pointer(0x10)]), ("%*d", [.int(6), .int(42)]), ("%-*d|", [.int(6), .int(42)]),
        ("%*d|", [.int(-6), .int(42)]), ("%.*f", [.int(3), .double(1.23456)]),
        ("%.*f", [.int(-3), .double(1.23456)]), ("%*.*e", [.int(14), .int(2), .double(-12345.678)]),
        ("%y", []), ("abc%", []), ("%5", []), ("%5.3", []), ("%ll", []),
        ("%'d", [.int(1234567)]), ("%'.3f", [.double(1234567.5)]), ("%I5d", [.int(42)]),
        ("%c|", [.int(0)]), ("%-5%|", []), ("%05%|", []), ("%.3%|", []), ("%-5y|", []),
        ("%hhd %hhu %hx", [.int(200), .int(-1), .int(70000)]),
        ("%lld %llx", [.long(Int64.min), .long(-1)]), ("%#.3o %#o", [.int(8), .int(0)]),
        ("%+.0f % .0e %+#.0g", [.double(-0.0), .double(0.0), .double(-0.0)]),
    ]
    for (f, args) in cases {
        let g = glibc(f, args)
        let o = ours(f, args)
        #expect(o == g, "\(f): ours \(text(o)) glibc \(text(g))")
    }
    #expect(ours("%n", [.pointer(8)]) == nil)
    // More than INT_MAX bytes: -1 with EOVERFLOW in glibc (not compared: glibc takes minutes).
    #expect(ours("%99999999999d", [.int(1)]) == nil)
    #expect(ours("%.99999999999d", [.int(1)]) == nil)
    // (INT_MAX bytes of padding do go out first, as in glibc: into a sink that only counts.)
    var counter = CountingSink()
    var two = TestArguments(args: [.int(1), .int(2)])
    let f = Array("%2147483647d%d".utf8)
    #expect(throws: PrintfError.overflow) { try Printf.format(f.span, arguments: &two, to: &counter) }
    #expect(counter.count == Int(Int32.max) + 1)
    #expect(ours("%.2147483647f", [.double(1)]) == nil)
}

@Test(arguments: [
    "1", "1e", "1e+", "0x", "0x.", "0x.p1", ".e1", ".", "-", "+.5", " \t\n 12.5e-3x", "inf", "-INF",
    "infinity", "infinit", "InFiNiTy", "nan", "-nan", "NaN(123)", "nan(0x1f)", "nan(077)", "nan(abc)",
    "nan(", "nan(1 2)", "nan()", "0x1.8p3", "0X1P-1074", "0x1p-1075", "0x1.0000000000001p-1075",
    "0x1.fffffffffffff8p1023", "0x1p1024", "0x1.8", "0x1p", "0x1p+", "1e400", "-1e400", "1e-400",
    "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
    "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e23",
    "9007199254740993", "8.98846567431158e307", "1.7976931348623157e308", "1.7976931348623158e308",
    "1.797693134862315807e308", "0e999999999999999999999", "0.000", "00000.0000e5", "1e-99999999999999",
    "1e99999999999999999999", "123456789012345678901234567890", "0.1", "3.4028235e38", "3.4028236e38",
    "1.4e-45", "7e-46", "7.1e-46", "1.17549435e-38", "1.1754942e-38",
])
func strtodMatchesGlibc(input: String) {
    let b = Array(input.utf8)
    let g = glibcStrtod(b), o = oursStrtod(b)
    #expect(o == g, "strtod \(input): ours \(o) glibc \(g)")
    let gf = glibcStrtof(b), of = oursStrtof(b)
    #expect(of == gf, "strtof \(input): ours \(of) glibc \(gf)")
}

@Test func hugeWidthsStreamToTheSink() throws {
    // 200 MB of padding goes out in 4 KiB chunks, never as one array.
    struct MaxChunk: PrintfSink {
        var count = 0, largest = 0
        mutating func write(_ b: Span<UInt8>) { count += b.count; largest = max(largest, b.count) }
    }
    var sink = MaxChunk()
    var args = TestArguments(args: [.int(7)])
    let f = Array("%200000000d|".utf8)
    let n = try Printf.format(f.span, arguments: &args, to: &sink)
    #expect(n == 200_000_001 && sink.count == n)
    #expect(sink.largest <= 8192)
    // So do an integer's precision zeros.
    var sink2 = MaxChunk()
    var args2 = TestArguments(args: [.int(-7)])
    let f2 = Array("%+.200000000d".utf8)
    #expect(try Printf.format(f2.span, arguments: &args2, to: &sink2) == 200_000_001)
    #expect(sink2.largest <= 8192)
}

@Test func outputBeforeAnErrorIsWritten() {
    var sink = ByteSink()
    var args = TestArguments(args: [.int(5), .pointer(8)])
    let f = Array("abc%d%n".utf8)
    #expect(throws: PrintfError.unsupportedConversion(UInt8(ascii: "n"))) {
        try Printf.format(f.span, arguments: &args, to: &sink)
    }
    #expect(sink.bytes == Array("abc5".utf8))
}
