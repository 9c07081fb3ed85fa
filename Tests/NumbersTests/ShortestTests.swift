// ShortestTests.swift — shortestDigits against Swift's own shortest round-trip `description`
// (an independent implementation), and read back by glibc's strtod.
import Glibc
import Numbers
import Testing

/// Digits and exponent out of a Swift `description` ("1.2345e-07", "0.001", "123.0").
func swiftShortest(_ v: Double) -> (String, Int) {
    let s = v.magnitude.description
    var mantissa = s, exp = 0
    if let e = s.firstIndex(of: "e") {
        mantissa = String(s[..<e]); exp = Int(s[s.index(after: e)...])!
    }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    let intPart = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
    var digits = intPart + frac
    var point = intPart.count + exp
    while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); point -= 1 }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    return (digits, point)
}

@Test func shortestDigitsMatchSwiftAndRoundTrip() {
    let count = configuredCount("SHORTEST_COUNT", default: 100_000)
    var rng = SplitMix(seed: 7)
    var failures = 0
    for i in 0..<count {
        var v = randomDouble(&rng)
        if i < 2098 { v = Double(sign: .plus, exponent: i - 1074, significand: 1) }
        if !v.isFinite || v == 0 { continue }
        let s = shortestDigits(v)
        let digits = String(decoding: s.digits, as: UTF8.self)
        let (sd, sp) = swiftShortest(v)
        let printed = Array("0.\(digits)e\(s.point)".utf8)
        let back = glibcStrtod(printed).0
        if digits != sd || s.point != sp || back != v.magnitude.bitPattern {
            failures += 1
            if failures <= 10 { Issue.record("\(v): ours 0.\(digits)e\(s.point), Swift 0.\(sd)e\(sp)") }
        }
    }
    print("shortest: \(count) doubles against Swift's description, \(failures) mismatches")
    #expect(failures == 0)
    #expect(shortestDigits(0).digits == Array("0".utf8))
}
