// BigUInt.swift — exact unsigned big integers (little-endian base-2^32 limbs) for the exact
// decimal <-> binary conversions. Only what the conversions need: small multiplies, powers of
// five and ten, shifts, compare and subtract. 64-bit intermediates only (no UInt128 division,
// which would need compiler-rt's __udivti3 in the guest).

struct BigUInt {
    /// Little-endian limbs; no high zero limbs, so zero is `[]`.
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = []
        limbs.reserveCapacity(8)
        if value != 0 { limbs.append(UInt32(truncatingIfNeeded: value)) }
        if value >> 32 != 0 { limbs.append(UInt32(truncatingIfNeeded: value >> 32)) }
    }

    var isZero: Bool { limbs.isEmpty }

    /// The number of significant bits (0 for zero).
    var bitLength: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 32 - top.leadingZeroBitCount
    }

    /// self = self * m + addend.
    mutating func multiply(by m: UInt32, adding addend: UInt32 = 0) {
        var carry = UInt64(addend)
        let m64 = UInt64(m)
        for i in limbs.indices {
            let p = UInt64(limbs[i]) &* m64 &+ carry
            limbs[i] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        if carry != 0 { limbs.append(UInt32(truncatingIfNeeded: carry)) }
        if m == 0 { limbs.removeAll(keepingCapacity: true) }
    }

    /// self *= 5^n. 5^13 is the largest power of five below 2^32.
    mutating func multiplyByPowerOf5(_ n: Int) {
        precondition(n >= 0, "BigUInt: negative power of five")
        var k = n
        while k >= 13 { multiply(by: 1_220_703_125); k -= 13 }
        if k > 0 { multiply(by: powersOf5[k]) }
    }

    /// self *= 10^n.
    mutating func multiplyByPowerOf10(_ n: Int) {
        multiplyByPowerOf5(n)
        shiftLeft(n)
    }

    /// self <<= n.
    mutating func shiftLeft(_ n: Int) {
        if isZero || n == 0 { return }
        let words = n >> 5, bits = n & 31
        if bits != 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let l = limbs[i]
                limbs[i] = (l << UInt32(bits)) | carry
                carry = l >> UInt32(32 - bits)
            }
            if carry != 0 { limbs.append(carry) }
        }
        if words != 0 { limbs.insert(contentsOf: repeatElement(0, count: words), at: 0) }
    }

    /// self <<= 1, the inner step of bit-by-bit division.
    mutating func double() {
        var carry: UInt32 = 0
        for i in limbs.indices {
            let l = limbs[i]
            limbs[i] = (l << 1) | carry
            carry = l >> 31
        }
        if carry != 0 { limbs.append(carry) }
    }

    /// -1, 0, 1 as a <, ==, > b.
    static func compare(_ a: BigUInt, _ b: BigUInt) -> Int {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count ? -1 : 1 }
        var i = a.limbs.count - 1
        while i >= 0 {
            let x = a.limbs[i], y = b.limbs[i]
            if x != y { return x < y ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    /// self -= b; requires self >= b.
    mutating func subtract(_ b: BigUInt) {
        var borrow: UInt64 = 0
        for i in limbs.indices {
            let y = (i < b.limbs.count ? UInt64(b.limbs[i]) : 0) + borrow
            let x = UInt64(limbs[i])
            if x >= y { limbs[i] = UInt32(truncatingIfNeeded: x - y); borrow = 0 }
            else { limbs[i] = UInt32(truncatingIfNeeded: x + (1 << 32) - y); borrow = 1 }
            if borrow == 0 && i >= b.limbs.count { break }
        }
        precondition(borrow == 0, "BigUInt: subtraction underflow")
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    /// If self >= b, subtract b and return true (one step of restoring division).
    mutating func subtractIfNotLess(_ b: BigUInt) -> Bool {
        if BigUInt.compare(self, b) < 0 { return false }
        subtract(b)
        return true
    }
}

extension BigUInt {
    /// One step of Knuth's long division (TAOCP vol. 2, 4.3.1, algorithm D) with a one-limb
    /// quotient: for self < b, with b normalised (its top limb's high bit set), returns
    /// floor((self·2^32 + limb) / b) and leaves the remainder in self. The estimate from the top two limbs
    /// over b's top limb is at most 2 too large (Knuth's theorem B), fixed by the loop.
    mutating func shiftAndDivide(by b: BigUInt, bringingDown limb: UInt32 = 0) -> UInt32 {
        // self = self·2^32 + limb (the next limb of a longer dividend), then divide.
        if isZero {
            if limb == 0 { return 0 }
            limbs.append(limb)
        } else {
            limbs.insert(limb, at: 0)
        }
        let n = b.limbs.count
        let top = limbs.count > n ? UInt64(limbs[n]) : 0
        let next = limbs.count > n - 1 ? UInt64(limbs[n - 1]) : 0
        var qhat = min(((top << 32) | next) / UInt64(b.limbs[n - 1]), 0xffff_ffff)
        var t = b
        t.multiply(by: UInt32(qhat))
        while BigUInt.compare(t, self) > 0 { t.subtract(b); qhat -= 1 }
        subtract(t)
        return UInt32(qhat)
    }
}

/// 5^0 … 5^13.
let powersOf5: [UInt32] = [1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625,
                           48828125, 244140625, 1220703125]
