// Random.swift — the byte source behind `arc4random_buf` in the kernel and in user programs. The
// Embedded Swift runtime calls it only to seed hashing (Hasher), which needs distinct values, not
// secret ones: the TSC mixed through SplitMix64 (Steele, Lea, Flood 2014).

public enum SeedBytes {
    /// Fills `count` bytes at `buffer` from `seed` (a TSC value).
    public static func fill(_ buffer: UnsafeMutableRawPointer, count: Int, seed: UInt64) {
        var state = seed
        for i in 0..<count {
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: splitMix64(&state)), toByteOffset: i, as: UInt8.self)
        }
    }

    /// The next SplitMix64 output from `state`, which it advances: mixing, not secrecy (the kernel
    /// also spreads its /dev/urandom key material with it, Kernel/FileCalls.swift).
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
