// RandomStrtodTests.swift — strtod/strtof differential runs against glibc: random decimal
// strings (short, 17 digits, 20–40 digits, exponents over the whole range and beyond, odd
// syntax), and our own printed outputs (%.17g, %a, %.40e, %.0f …), bit-identical with the same
// bytes consumed and the same ERANGE. NUMBERS_STRTOD_COUNT (default 300,000) overrides.
import Glibc
import Testing

/// A random decimal string of the kinds the brief lists.
func randomDecimalString(_ rng: inout SplitMix) -> [UInt8] {
    var s: [UInt8] = []
    let kind = rng.next() % 10
    if rng.next() % 8 == 0 { s.append(UInt8(ascii: rng.next() & 1 == 0 ? "-" : "+")) }
    let digitCount: Int
    switch kind {
    case 0, 1, 2: digitCount = 1 + Int(rng.next() % 8)
    case 3, 4, 5: digitCount = 15 + Int(rng.next() % 5)
    case 6, 7, 8: digitCount = 20 + Int(rng.next() % 21)
    default: digitCount = 41 + Int(rng.next() % 800)
    }
    let pointAt = rng.next() % 3 == 0 ? Int(rng.next() % UInt64(digitCount + 1)) : -1
    for k in 0..<digitCount {
        if k == pointAt { s.append(UInt8(ascii: ".")) }
        s.append(UInt8(ascii: "0") + UInt8(rng.next() % 10))
    }
    if rng.next() % 8 != 0 {
        s.append(UInt8(ascii: rng.next() & 1 == 0 ? "e" : "E"))
        let r = rng.next() % 16
        if r == 0 { s.append(UInt8(ascii: "+")) }
        // Exponents across the whole range: x·10^e with the digits making it 10^(e+digits).
        let e = Int(rng.next() % 760) - 380 - (digitCount / 2)
        s.append(contentsOf: Array(String(e).utf8))
    }
    if rng.next() % 16 == 0 { s.append(contentsOf: Array("e+x".utf8)) }  // an exponent that is not one
    return s
}

@Test func randomDecimalStringsParseLikeGlibc() {
    let count = configuredCount("STRTOD_COUNT", default: 300_000)
    var rng = SplitMix(seed: UInt64(configuredCount("SEED", default: 20261207)) &+ 1)
    var failures = 0
    for _ in 0..<count {
        let s = randomDecimalString(&rng)
        let g = glibcStrtod(s), o = oursStrtod(s)
        let gf = glibcStrtof(s), of = oursStrtof(s)
        if o != g || of != gf {
            failures += 1
            if failures <= 20 {
                Issue.record("\(String(decoding: s, as: UTF8.self)): strtod ours \(o) glibc \(g); strtof ours \(of) glibc \(gf)")
            }
        }
    }
    print("strtod/strtof differential: \(count) random decimal strings, \(failures) mismatches")
    #expect(failures == 0)
}

@Test func ourOutputsParseBackLikeGlibc() {
    let count = configuredCount("ROUNDTRIP_COUNT", default: 100_000)
    var rng = SplitMix(seed: UInt64(configuredCount("SEED", default: 20261207)) &+ 2)
    let formats = ["%.17g", "%a", "%.40e", "%.0f", "%.3g", "%.16e", "%.9g", "%.20a", "%.1a", "%.800e"]
    var failures = 0
    var roundTripFailures = 0
    for i in 0..<count {
        let v = randomDouble(&rng)
        let f = formats[i % formats.count]
        guard let printed = ours(f, [.double(v)]) else { failures += 1; continue }
        let g = glibcStrtod(printed), o = oursStrtod(printed)
        let gf = glibcStrtof(printed), of = oursStrtof(printed)
        if o != g || of != gf {
            failures += 1
            if failures <= 20 {
                Issue.record("\(text(printed)): strtod ours \(o) glibc \(g); strtof ours \(of) glibc \(gf)")
            }
        }
        if (f == "%.17g" || f == "%a") && !v.isNaN && o.0 != v.bitPattern { roundTripFailures += 1 }
    }
    print("round trip: \(count) printed values parsed back, \(failures) mismatches, \(roundTripFailures) lost values")
    #expect(failures == 0)
    #expect(roundTripFailures == 0)
}

/// A random hexadecimal floating constant: 1–30 hex digits, maybe a point, a binary exponent
/// over and beyond the whole range, sometimes malformed at the end.
func randomHexString(_ rng: inout SplitMix) -> [UInt8] {
    var s: [UInt8] = []
    if rng.next() % 4 == 0 { s.append(UInt8(ascii: "-")) }
    s.append(contentsOf: Array((rng.next() & 1 == 0 ? "0x" : "0X").utf8))
    let hex = Array("0123456789abcdefABCDEF".utf8)
    let count = 1 + Int(rng.next() % 30)
    let pointAt = rng.next() % 2 == 0 ? Int(rng.next() % UInt64(count + 1)) : -1
    let leadingZeros = rng.next() % 4 == 0 ? Int(rng.next() % 10) : 0
    for k in 0..<count {
        if k == pointAt { s.append(UInt8(ascii: ".")) }
        s.append(k < leadingZeros ? UInt8(ascii: "0") : hex[Int(rng.next() % UInt64(hex.count))])
    }
    if rng.next() % 8 != 0 {
        s.append(UInt8(ascii: rng.next() & 1 == 0 ? "p" : "P"))
        if rng.next() % 4 == 0 { s.append(UInt8(ascii: "+")) }
        s.append(contentsOf: Array(String(Int(rng.next() % 2400) - 1200 - 4 * count).utf8))
    }
    if rng.next() % 16 == 0 { s.append(contentsOf: Array("p-".utf8)) }
    return s
}

@Test func randomHexStringsParseLikeGlibc() {
    let count = configuredCount("HEX_COUNT", default: 100_000)
    var rng = SplitMix(seed: UInt64(configuredCount("SEED", default: 20261207)) &+ 4)
    var failures = 0
    for _ in 0..<count {
        let s = randomHexString(&rng)
        let g = glibcStrtod(s), o = oursStrtod(s)
        let gf = glibcStrtof(s), of = oursStrtof(s)
        if o != g || of != gf {
            failures += 1
            if failures <= 20 {
                Issue.record("\(String(decoding: s, as: UTF8.self)): strtod ours \(o) glibc \(g); strtof ours \(of) glibc \(gf)")
            }
        }
    }
    print("strtod/strtof hex differential: \(count) random hex strings, \(failures) mismatches")
    #expect(failures == 0)
}
