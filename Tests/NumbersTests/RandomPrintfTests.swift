// RandomPrintfTests.swift — the big differential run: random doubles (random bit patterns, so
// every binade, subnormals, inf and NaN; and random "nice" decimals) × random floating
// conversions, flags, widths and precisions, byte-identical to glibc's snprintf.
// NUMBERS_PRINTF_COUNT (default 1,000,000) and NUMBERS_SEED override the run.
import Glibc
import Testing

/// A random double: half random bit patterns, the rest decimals with few digits, values next to
/// powers of ten and two, and subnormals.
func randomDouble(_ rng: inout SplitMix) -> Double {
    let kind = rng.next() % 8
    switch kind {
    case 0, 1, 2, 3:
        return Double(bitPattern: rng.next())
    case 4:
        // A "nice" decimal: up to 7 digits, exponent -30…30.
        let digits = rng.next() % 10_000_000
        let e = Int(rng.next() % 61) - 30
        let s = Array("\(digits)e\(e)".utf8)
        return Double(bitPattern: glibcStrtod(s).0)
    case 5:
        // Next to a power of ten.
        let e = Int(rng.next() % 600) - 300
        let v = Double(bitPattern: glibcStrtod(Array("1e\(e)".utf8)).0)
        let step = Int64(rng.next() % 5) - 2
        return Double(bitPattern: UInt64(bitPattern: Int64(bitPattern: v.bitPattern) + step))
    case 6:
        // Subnormal.
        return Double(bitPattern: rng.next() & ((1 << 52) - 1) >> (rng.next() % 52))
    default:
        // A small integer or half-integer (ties in %.0f, %.1f).
        return Double(Int64(rng.next() % 2001) - 1000) / Double(1 << (rng.next() % 4))
    }
}

/// A random floating conversion specification.
func randomFloatFormat(_ rng: inout SplitMix) -> String {
    let conversions: [Character] = ["e", "E", "f", "F", "g", "G", "a", "A"]
    let conv = conversions[Int(rng.next() % 8)]
    var f = "%"
    let flagBits = rng.next()
    if flagBits & 0x7 == 0 { f += "-" }
    if flagBits & 0x38 == 0 { f += "+" }
    if flagBits & 0x1c0 == 0 { f += " " }
    if flagBits & 0xe00 == 0 { f += "#" }
    if flagBits & 0x7000 == 0 { f += "0" }
    if rng.next() % 3 == 0 { f += String(rng.next() % 40) }
    let p = rng.next() % 16
    switch p {
    case 0, 1, 2, 3, 4: break
    case 5: f += ".0"
    case 6: f += "."
    case 7, 8, 9, 10, 11: f += "." + String(rng.next() % 20)
    case 12, 13: f += "." + String(17 + rng.next() % 3)
    case 14: f += "." + String(rng.next() % 120)
    default: f += "." + String(rng.next() % 1100)  // %.1000f, %.800e
    }
    return f + String(conv)
}

@Test func randomDoublesFormatLikeGlibc() {
    let count = configuredCount("PRINTF_COUNT", default: 1_000_000)
    let seed = UInt64(configuredCount("SEED", default: 20261207))
    var rng = SplitMix(seed: seed)
    var failures = 0
    for _ in 0..<count {
        let v = randomDouble(&rng)
        let f = randomFloatFormat(&rng)
        let g = glibc(f, [.double(v)])
        let o = ours(f, [.double(v)])
        if o != g && !isGlibcAlternateGBug(f, v, ours: o, glibc: g) {
            failures += 1
            if failures <= 20 {
                Issue.record("\(f) \(v.bitPattern) (\(v)): ours \(text(o)) glibc \(text(g))")
            }
        }
    }
    print("printf differential: \(count) random doubles × formats, seed \(seed), \(failures) mismatches")
    #expect(failures == 0)
}

/// glibc 2.36 drops the '#' zeros when %#g rounds up to a power of ten that selects style e
/// (printf("%#.3g", 999.6) gives "1.e+03"; C11 7.21.6.1p8 wants "1.00e+03", as %#.2e prints).
/// We follow C11: accept ours when it equals glibc's own %#.{P-1}e of the value.
func isGlibcAlternateGBug(_ f: String, _ v: Double, ours: [UInt8]?, glibc g: [UInt8]?) -> Bool {
    guard f.contains("#"), let last = f.last, last == "g" || last == "G",
          let g, g.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return false }
    var head = String(f.dropLast())
    var p = 6
    if let dot = head.firstIndex(of: ".") {
        p = Int(head[head.index(after: dot)...]) ?? 0
        head = String(head[..<dot])
    }
    if p == 0 { p = 1 }
    let e = head + ".\(p - 1)" + (last == "g" ? "e" : "E")
    return ours == glibc(e, [.double(v)])
}
