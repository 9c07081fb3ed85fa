// SplitMix.swift — SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator for tests that
// must give the same sequence every run (and replay a printed seed).

public struct SplitMix {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in 0..<n (modulo: the slight bias does not matter to a test's choices).
    public mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}
