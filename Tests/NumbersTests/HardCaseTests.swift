// HardCaseTests.swift — the known hard cases, generated in code: exact halfway points between
// adjacent doubles (and floats) printed exactly by glibc from an 80-bit long double, ± one in
// the last digit, with thousands of trailing digits; 1e23, 9007199254740993, the PHP/Java hang
// values; every power of ten and of two in range and their neighbours; subnormal min/max,
// DBL_MIN, DBL_MAX; long inputs. Parsed and printed against glibc.
import Glibc
import Testing

/// glibc's exact decimal for a long double, "d.ddd…e±XX" with its trailing zeros removed.
func exactLongDouble(_ x: Float80) -> String {
    var s = text(glibcFormat("%.1200Le", [x]))
    guard let e = s.firstIndex(of: "e") else { fatalError("no exponent in \(s.prefix(100)) (\(s.count))") }
    var mantissa = String(s[..<e])
    while mantissa.hasSuffix("0") { mantissa.removeLast() }
    if mantissa.hasSuffix(".") { mantissa.removeLast() }
    s = mantissa + s[e...]
    return s
}

/// Variants of an exact decimal around it: itself, ± one in the last digit, a thousands-digit
/// tail just above and just below.
func variants(_ exact: String) -> [String] {
    let e = exact.firstIndex(of: "e")!
    let mantissa = String(exact[..<e]), exponent = String(exact[e...])
    var out = [exact]
    let lastDigit = mantissa.last!.wholeNumberValue ?? 0
    if lastDigit >= 1 && lastDigit <= 8 {
        out.append(String(mantissa.dropLast()) + String(lastDigit + 1) + exponent)
        out.append(String(mantissa.dropLast()) + String(lastDigit - 1) + exponent)
    }
    let withPoint = mantissa.contains(".") ? mantissa : mantissa + "."
    out.append(withPoint + String(repeating: "0", count: 3000) + "1" + exponent)
    if lastDigit >= 1 {
        out.append(String(withPoint.dropLast()) + String(lastDigit - 1)
                   + String(repeating: "9", count: 2500) + exponent)
    }
    return out
}

func expectParsesLikeGlibc(_ s: String, _ failures: inout Int) {
    let b = Array(s.utf8)
    let g = glibcStrtod(b), o = oursStrtod(b)
    let gf = glibcStrtof(b), of = oursStrtof(b)
    if o != g || of != gf {
        failures += 1
        if failures <= 10 {
            Issue.record("\(s.prefix(120))… (\(s.count) bytes): strtod ours \(o) glibc \(g); strtof ours \(of) glibc \(gf)")
        }
    }
}

/// The doubles around which the hard cases are built.
func hardDoubles() -> [Double] {
    var v: [Double] = [
        0, .leastNonzeroMagnitude, .leastNonzeroMagnitude * 2, Double.leastNormalMagnitude.nextDown,
        .leastNormalMagnitude, .greatestFiniteMagnitude, .greatestFiniteMagnitude.nextDown, 1, 0.1,
        9007199254740992, 1e23, 8.98846567431158e307, 2.2250738585072014e-308, 5e-324 * 3,
        0x1.fffffffffffffp-1023, 0x1p-1023, 4.9406564584124654e-324 * 12345,
    ]
    for k in -1074...1023 { v.append(Double(sign: .plus, exponent: k, significand: 1)) }
    for k in -323...308 {
        let p = Double(bitPattern: glibcStrtod(Array("1e\(k)".utf8)).0)
        v.append(p); v.append(p.nextUp); v.append(p.nextDown)
    }
    return v
}

@Test func halfwayPointsParseLikeGlibc() {
    var failures = 0, count = 0
    var rng = SplitMix(seed: 99)
    var bases = hardDoubles()
    for _ in 0..<300 { bases.append(abs(Double(bitPattern: rng.next()))) }
    for v in bases where v.isFinite && v < .greatestFiniteMagnitude.nextDown.nextDown || v == .greatestFiniteMagnitude {
        // v + ulp/2 and v - ulp/2 are exact in Float80 (64-bit significand, wider exponent).
        let next: Float80 = v == .greatestFiniteMagnitude ? Float80(sign: .plus, exponent: 1024, significand: 1)
                                                          : Float80(v.nextUp)
        let up = Float80(v) + (next - Float80(v)) / 2
        let down = Float80(v) - (Float80(v) - Float80(v.nextDown)) / 2
        for m in [up, down, Float80(v)] where m > 0 {
            for s in variants(exactLongDouble(m)) { expectParsesLikeGlibc(s, &failures); count += 1 }
        }
    }
    // Float halfway points too.
    var floats: [Float] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 1, 16777216]
    for _ in 0..<300 { floats.append(abs(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())))) }
    for f in floats where f.isFinite {
        let next = f == .greatestFiniteMagnitude ? Float80(sign: .plus, exponent: 128, significand: 1) : Float80(f.nextUp)
        let m = Float80(f) + (next - Float80(f)) / 2
        for s in variants(exactLongDouble(m)) { expectParsesLikeGlibc(s, &failures); count += 1 }
    }
    print("hard cases: \(count) halfway-point strings (exact, ±1 last digit, thousands of digits), \(failures) mismatches")
    #expect(failures == 0)
}

@Test(arguments: [
    "2.2250738585072011e-308", "2.2250738585072012e-308", "0.00022250738585072012e-304",
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000002.2250738585072012e-308",
    "2.2250738585072012e-00308", "2.225073858507201136057409796709131975934819546351645648e-308",
    "9007199254740993", "9007199254740993.0000000000000000000000000000001", "1e23", "8.98846567431158e307",
    "1.7976931348623157e308", "1.7976931348623158079e308", "1.797693134862315807937289714053e308",
    "4.9406564584124654e-324", "2.4703282292062327208828439643411e-324", "2.4703282292062328e-324",
    "2.2250738585072009e-308", "2.225073858507201e-308", "1.1754943508222875e-38", "1.401298464324817e-45",
    "7.006492321624085e-46", "7.0064923216240862e-46", "3.4028235677973366e38", "3.4028235677973367e38",
    "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000001e84",
])
func knownHardStrings(_ s: String) {
    var failures = 0
    expectParsesLikeGlibc(s, &failures)
    #expect(failures == 0)
}

@Test func longInputsParseLikeGlibc() {
    var failures = 0
    let ones = String(repeating: "1", count: 5000)
    let zeros = String(repeating: "0", count: 5000)
    let cases = [
        "0." + zeros + "1e5000", "0." + zeros + "1e4700", "1" + zeros, "1" + zeros + "e-5000",
        "1" + zeros + "e-5300", ones + "e-5000", "0." + ones + "e-300", "." + zeros + "e99999",
        "9" + String(repeating: "9", count: 4000) + "e-4000", ones + "e-4700", "0." + zeros + zeros + "1e10000",
        "4" + String(repeating: "9", count: 1000) + "e-1000",
    ]
    for c in cases { expectParsesLikeGlibc(c, &failures) }
    #expect(failures == 0)
}

@Test func hardDoublesFormatLikeGlibc() {
    var formats = ["%.1100f", "%.800e", "%a", "%A", "%.0a", "%.3a", "%.17g", "%#.17g", "%.0f", "%#.0e", "%#.0f",
                   "%.40g", "%g", "%G", "%+e", "% .20e", "%030.10f", "%-30.5e|", "%#.30g"]
    for p in [0, 1, 2, 3, 6, 10, 15, 16, 17, 18, 25] {
        formats.append("%.\(p)e"); formats.append("%.\(p)g"); formats.append("%.\(p)f")
    }
    var failures = 0, count = 0
    for v in hardDoubles() {
        for x in [v] {
            for f in formats {
                let g = glibc(f, [.double(x)]), o = ours(f, [.double(x)])
                count += 1
                if o != g && !isGlibcAlternateGBug(f, x, ours: o, glibc: g) {
                    failures += 1
                    if failures <= 10 { Issue.record("\(f) \(x): ours \(text(o)) glibc \(text(g))") }
                }
            }
        }
    }
    print("hard cases: \(count) formatted powers of two and ten, neighbours, extremes: \(failures) mismatches")
    #expect(failures == 0)
}

@Test func everyPowerOfTenParsesLikeGlibc() {
    var failures = 0
    for k in -350...350 {
        for s in ["1e\(k)", "1E\(k)", "-1e\(k)", "0.1e\(k + 1)", "10e\(k - 1)", "9.999999999999999999e\(k)",
                  "1.0000000000000000001e\(k)", "5e\(k)", "0x1p\(k * 3)"] {
            expectParsesLikeGlibc(s, &failures)
        }
    }
    #expect(failures == 0)
}
