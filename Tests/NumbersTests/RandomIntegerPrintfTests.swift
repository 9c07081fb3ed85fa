// RandomIntegerPrintfTests.swift — the format engine on random formats mixing literal text
// with d i u o x X c s p % conversions, every flag, widths and precisions (literal and '*'),
// and the length modifiers hh h l ll j z t q, byte-identical to glibc.
// NUMBERS_INTEGER_COUNT (default 200,000 format strings) overrides.
import Testing

func randomIntegerFormat(_ rng: inout SplitMix) -> (String, [Arg]) {
    var f = ""
    var args: [Arg] = []
    for _ in 0..<(1 + rng.next() % 3) {
        if rng.next() % 2 == 0 { f += ["x=", "abc ", "|", " ", "\t"][Int(rng.next() % 5)] }
        f += "%"
        let flags = rng.next()
        if flags & 0x3 == 0 { f += "-" }
        if flags & 0xc == 0 { f += "+" }
        if flags & 0x30 == 0 { f += " " }
        if flags & 0xc0 == 0 { f += "#" }
        if flags & 0x300 == 0 { f += "0" }
        switch rng.next() % 4 {
        case 0: f += String(rng.next() % 25)
        case 1: f += "*"; args.append(.int(Int32(truncatingIfNeeded: Int64(rng.next() % 41) - 20)))
        default: break
        }
        switch rng.next() % 5 {
        case 0: f += "." + String(rng.next() % 25)
        case 1: f += "."
        case 2: f += ".*"; args.append(.int(Int32(truncatingIfNeeded: Int64(rng.next() % 41) - 10)))
        default: break
        }
        let conv = ["d", "i", "u", "o", "x", "X", "c", "s", "p", "%"][Int(rng.next() % 10)]
        // A value with a random number of significant bits, either sign.
        let raw = rng.next() >> (rng.next() % 64)
        let value = rng.next() & 1 == 0 ? raw : 0 &- raw
        switch conv {
        case "d", "i", "u", "o", "x", "X":
            let lengths = ["", "", "hh", "h", "l", "ll", "j", "z", "t", "q"]
            let l = lengths[Int(rng.next() % UInt64(lengths.count))]
            f += l + conv
            let wide = !(l.isEmpty || l == "hh" || l == "h")
            let signed = conv == "d" || conv == "i"
            if wide { args.append(signed ? .long(Int64(bitPattern: value)) : .ulong(value)) }
            else { args.append(signed ? .int(Int32(truncatingIfNeeded: value)) : .uint(UInt32(truncatingIfNeeded: value))) }
        case "c":
            f += "c"; args.append(.int(Int32(32 + rng.next() % 95)))
        case "s":
            f += "s"
            if rng.next() % 10 == 0 { args.append(.string(nil)) }
            else { args.append(.string(String(repeating: "abcdefghij", count: 3).prefix(Int(rng.next() % 30)).description)) }
        case "p":
            f += "p"; args.append(.pointer(rng.next() % 4 == 0 ? 0 : UInt(truncatingIfNeeded: value)))
        default:
            f += "%"
        }
    }
    return (f, args)
}

@Test func randomIntegerFormatsMatchGlibc() {
    let count = configuredCount("INTEGER_COUNT", default: 200_000)
    var rng = SplitMix(seed: UInt64(configuredCount("SEED", default: 20261207)) &+ 3)
    var failures = 0
    for _ in 0..<count {
        let (f, args) = randomIntegerFormat(&rng)
        let g = glibc(f, args), o = ours(f, args)
        if o != g {
            failures += 1
            if failures <= 20 { Issue.record("\(f) \(args): ours \(text(o)) glibc \(text(g))") }
        }
    }
    print("printf integer differential: \(count) random formats, \(failures) mismatches")
    #expect(failures == 0)
}
