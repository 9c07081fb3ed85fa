// SeaHashTests.swift — SeaHash against published test vectors.
import Testing
@testable import RedoxFS

@Suite struct SeaHashTests {
    @Test("published vectors (seahash crate, Go and C ports)", arguments: [
        ("to be or not to be", UInt64(1_988_685_042_348_123_509)),
        ("love is a wonderful terrible thing", UInt64(4_784_284_276_849_692_846)),
    ])
    func vectors(text: String, expected: UInt64) {
        #expect(SeaHash.hash(Array(text.utf8)) == expected)
    }

    @Test("diffuse vectors (seahash helper.rs)", arguments: [
        (UInt64(94_203_824_938), UInt64(17_289_265_692_384_716_055)),
        (0xDEAD_BEEF, 12_110_756_357_096_144_265),
        (0, 0),
        (1, 15_197_155_197_312_260_123),
        (2, 1_571_904_453_004_118_546),
        (3, 16_467_633_989_910_088_880),
    ])
    func diffuse(input: UInt64, expected: UInt64) {
        #expect(SeaHash.diffuse(input) == expected)
    }

    @Test("4072 zero bytes hash to upstream RedoxFS's golden default-header hash")
    func upstreamHeaderGolden() {
        // redoxfs src/header.rs header_hash_test: Header::default() hashes bytes 0..4072 (all zero).
        #expect(SeaHash.hash([UInt8](repeating: 0, count: 4072)) == 0xe81f_fcb8_6026_ff96)
    }

    @Test("every tail length differs and hashes consistently")
    func tails() {
        var seen: [UInt64] = []
        var bytes: [UInt8] = []
        for i in 0..<70 {
            let h = SeaHash.hash(bytes)
            #expect(!seen.contains(h), "length \(i) collides")
            seen.append(h)
            bytes.append(0)
        }
        #expect(SeaHash.hash([1, 2, 3, 4]) != SeaHash.hash([1, 2, 3, 4, 0]))
    }
}
