// Random.swift — POSIX random/srandom with glibc's generator (random_r.c, TYPE_3: an additive
// feedback generator over 31 words seeded by 16807·x mod 2^31-1, front pointer 3 ahead of the
// rear, the first 310 outputs discarded), so a program seeded alike draws the same numbers here
// as on a glibc host (awk's rand, for one).

nonisolated(unsafe) private var state = RandomState(seed: 1)

struct RandomState {
    var words: [UInt32]
    var front = 3, rear = 0

    init(seed: UInt32) {
        words = [UInt32](repeating: 0, count: 31)
        var word = Int32(bitPattern: seed == 0 ? 1 : seed)
        words[0] = UInt32(bitPattern: word)
        for i in 1..<31 {
            // 16807 · word mod (2^31 - 1) by Schrage's method, in 32 bits as glibc computes it.
            let hi = word / 127_773, lo = word % 127_773
            word = 16_807 &* lo &- 2_836 &* hi
            if word < 0 { word &+= 2_147_483_647 }
            words[i] = UInt32(bitPattern: word)
        }
        for _ in 0..<310 { _ = next() }
    }

    /// The next value, 0 … 2^31-1.
    mutating func next() -> Int32 {
        words[front] &+= words[rear]
        let result = Int32(bitPattern: words[front] >> 1)
        front = (front + 1) % 31
        rear = (rear + 1) % 31
        return result
    }
}

@_cdecl("srandom")
public func srandom(_ seed: UInt32) { state = RandomState(seed: seed) }

@_cdecl("random")
public func random() -> Int { Int(state.next()) }

/// rand/srand (C11 7.22.2): a separate 64-bit linear congruential generator (Knuth's MMIX
/// constants), its high bits as the result (0 … RAND_MAX = 2^31-1); the seed is 1 until srand.
nonisolated(unsafe) private var randSeed: UInt64 = 1

@_cdecl("srand")
public func srand(_ seed: UInt32) { randSeed = UInt64(seed) }

@_cdecl("rand")
public func rand() -> Int32 {
    randSeed = randSeed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int32(truncatingIfNeeded: randSeed >> 33)
}
