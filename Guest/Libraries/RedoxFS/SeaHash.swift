// SeaHash.swift — the SeaHash 64-bit hash (the checksum in every RedoxFS block pointer and header).
// Algorithm: ticki's SeaHash as specified by the `seahash` crate (`reference` module): four 64-bit
// lanes XOR-ed with successive little-endian words and diffused by a PCG-style permutation, the
// final partial word zero-padded, then the lanes and the byte count folded and diffused once more.
// Not cryptographic: it detects corruption, not tampering (shared/docs/REDOX.md §1.2).

public enum SeaHash {
    /// The default seeds of `seahash::hash` (buffer.rs).
    static let seedA: UInt64 = 0x16f1_1fe8_9b0d_677c
    static let seedB: UInt64 = 0xb480_a793_d8e6_c86c
    static let seedC: UInt64 = 0x6fe2_e5aa_f078_ebc9
    static let seedD: UInt64 = 0x14f9_94a4_c525_9381
    static let prime: UInt64 = 0x6eed_0e9d_a4d9_4a4f

    /// The bijective diffusion function: x ← px; x ← x ⊕ ((x ≫ 32) ≫ (x ≫ 60)); x ← px.
    @inline(__always)
    public static func diffuse(_ value: UInt64) -> UInt64 {
        var x = value &* prime
        x ^= (x >> 32) >> (x >> 60)
        return x &* prime
    }

    /// Hashes `bytes` with the default seeds.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Hashes `bytes[range]` with the default seeds.
    public static func hash(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
        bytes.withUnsafeBytes { hash(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Hashes raw bytes with the default seeds.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        var a = seedA, b = seedB, c = seedC, d = seedD
        let count = buffer.count
        let whole = count & ~31
        var offset = 0
        // The main loop takes 32 bytes at a time, one 8-byte word per lane.
        while offset < whole {
            a = diffuse(a ^ word(buffer, offset))
            b = diffuse(b ^ word(buffer, offset + 8))
            c = diffuse(c ^ word(buffer, offset + 16))
            d = diffuse(d ^ word(buffer, offset + 24))
            offset += 32
        }
        // The tail continues the lane rotation; its last word is zero-padded (read_int).
        let tail = count - whole
        if tail > 0 {
            a = diffuse(a ^ partial(buffer, offset, min(tail, 8)))
        }
        if tail > 8 {
            b = diffuse(b ^ partial(buffer, offset + 8, min(tail - 8, 8)))
        }
        if tail > 16 {
            c = diffuse(c ^ partial(buffer, offset + 16, min(tail - 16, 8)))
        }
        if tail > 24 {
            d = diffuse(d ^ partial(buffer, offset + 24, tail - 24))
        }
        // Length padding makes trailing zero bytes significant.
        return diffuse(a ^ b ^ c ^ d ^ UInt64(count))
    }

    @inline(__always)
    static func word(_ buffer: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    static func partial(_ buffer: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> UInt64 {
        if count == 8 { return word(buffer, offset) }
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(buffer[offset + i]) << (8 * UInt64(i)) }
        return value
    }
}
