// GarbageFormatTests.swift — the engine on random byte soup from the format alphabet, with an
// argument source that answers any request: it must return or throw, never trap (a trap in the
// guest's C library kills the program).
import Numbers
import Testing

struct AnyArguments: PrintfArguments {
    var rng: SplitMix
    mutating func nextInt(byteCount: Int) -> Int64 { Int64(bitPattern: rng.next() >> (rng.next() % 64)) }
    mutating func nextUInt(byteCount: Int) -> UInt64 { rng.next() >> (rng.next() % 64) }
    mutating func nextDouble() -> Double { Double(bitPattern: rng.next()) }
    mutating func nextString(limit: Int?) -> [UInt8]? {
        if rng.next() % 8 == 0 { return nil }
        let n = min(Int(rng.next() % 40), limit ?? Int.max)
        return Array(repeating: UInt8(ascii: "z"), count: n)
    }
    mutating func nextPointer() -> UInt { UInt(truncatingIfNeeded: rng.next()) }
}

@Test func garbageFormatsNeverTrap() {
    let alphabet = Array("%%%%-+ #0123456789.*hlLqjztZdiuoxXcspfFeEgGaAnm$'I abc\u{0}".utf8)
    var rng = SplitMix(seed: 11)
    var outcomes = (ok: 0, refused: 0)
    struct Discard: PrintfSink { mutating func write(_ b: Span<UInt8>) {} }
    for _ in 0..<30_000 {
        let f = (0..<(1 + rng.next() % 7)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        var args = AnyArguments(rng: SplitMix(seed: rng.next()))
        var sink = Discard()
        do {
            _ = try Printf.format(f.span, arguments: &args, to: &sink)
            outcomes.ok += 1
        } catch {
            outcomes.refused += 1
        }
    }
    print("garbage formats: \(outcomes.ok) formatted, \(outcomes.refused) refused")
    #expect(outcomes.ok + outcomes.refused == 30_000)
}

@Test func garbageNumbersNeverTrap() {
    let alphabet = Array("0123456789.eEpPxX+-infatyINFATY()_ \t".utf8)
    var rng = SplitMix(seed: 12)
    for _ in 0..<100_000 {
        let s = (0..<(1 + rng.next() % 30)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        let o = oursStrtod(s), g = glibcStrtod(s)
        let of = oursStrtof(s), gf = glibcStrtof(s)
        #expect(o == g && of == gf, "\(String(decoding: s, as: UTF8.self))")
        if o != g || of != gf { break }
    }
}
