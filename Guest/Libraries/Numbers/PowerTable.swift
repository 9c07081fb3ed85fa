// PowerTable.swift — a 128-bit fast path for decimal -> binary, after Lemire, "Number Parsing at
// a Gigabyte per Second" (Software: Practice and Experience, 2021) and Eisel's idea: multiply
// the 64-bit decimal significand w by a truncated 128-bit 5^q. Here the error is bounded, not
// tuned: with T = floor(5^q·2^(127-e_q)) (exact big-integer values, computed once at first use)
// the true product lies in [H, H+2) units of the kept 128 bits, so when no rounding boundary of
// the target format lies in that interval the rounding is decided; otherwise (ties, boundary
// cases, subnormals, overflow) the exact big-integer path decides.

/// 5^q ≈ T·2^(exponent-127), T = hi·2^64 + lo in [2^127, 2^128), truncated.
struct PowerOf5Entry {
    var hi: UInt64
    var lo: UInt64
    var exponent: Int
}

let powerTableMin = -350, powerTableMax = 310

/// Built on first use (a lazy global: swift_once in Embedded Swift).
let powerOf5Table: [PowerOf5Entry] = makePowerOf5Table()

func makePowerOf5Table() -> [PowerOf5Entry] {
    var table: [PowerOf5Entry] = []
    table.reserveCapacity(powerTableMax - powerTableMin + 1)
    for q in powerTableMin..<0 {
        // 5^q = 1/b; a/b with a = 2^bitLength(b) is in (1, 2): 5^q = (a/b)·2^-bitLength(b).
        var b = BigUInt(1)
        b.multiplyByPowerOf5(-q)
        let lb = b.bitLength
        var a = BigUInt(1)
        a.shiftLeft(lb)
        let normalise = b.limbs[b.limbs.count - 1].leadingZeroBitCount
        a.shiftLeft(normalise)
        b.shiftLeft(normalise)
        a.subtract(b)
        let w3 = UInt64(a.shiftAndDivide(by: b)), w2 = UInt64(a.shiftAndDivide(by: b))
        let w1 = UInt64(a.shiftAndDivide(by: b)), w0 = UInt64(a.shiftAndDivide(by: b))
        let fhi = w3 << 32 | w2, flo = w1 << 32 | w0
        table.append(PowerOf5Entry(hi: 1 << 63 | fhi >> 1, lo: (fhi & 1) << 63 | flo >> 1,
                                   exponent: -lb))
    }
    var p = BigUInt(1)
    for _ in 0...powerTableMax {
        let l = p.bitLength
        var c = p
        if l < 128 {
            c.shiftLeft(128 - l)
        } else {
            c.shiftLeft((32 - l % 32) % 32)
        }
        let n = c.limbs.count
        let hi = UInt64(c.limbs[n - 1]) << 32 | UInt64(c.limbs[n - 2])
        let lo = UInt64(c.limbs[n - 3]) << 32 | UInt64(c.limbs[n - 4])
        table.append(PowerOf5Entry(hi: hi, lo: lo, exponent: l - 1))
        p.multiply(by: 5)
    }
    return table
}

/// |x| = w·10^q rounded to the format when the 128-bit product decides it (normal results
/// only); nil otherwise.
func productRounding(_ w: UInt64, _ q: Int, format: BinaryFormat) -> RoundedBinary? {
    guard w != 0, q >= powerTableMin, q <= powerTableMax else { return nil }
    let entry = powerOf5Table[q - powerTableMin]
    let lz = w.leadingZeroBitCount
    let wn = w << UInt64(lz)
    // P = wn·T (192 bits); H = floor(P / 2^64).
    let (h1, l1) = wn.multipliedFullWidth(by: entry.hi)
    let (h2, _) = wn.multipliedFullWidth(by: entry.lo)
    let (hlo, carry) = l1.addingReportingOverflow(h2)
    let hhi = h1 &+ (carry ? 1 : 0)
    let t = hhi >> 63 == 1 ? 127 : 126
    // x = H·2^(64 + exponent - 127 - lz + q) (within the error); its leading bit's exponent:
    let e2 = t + 64 + entry.exponent - 127 - lz + q
    guard e2 >= format.minExponent, e2 < format.maxExponent else { return nil }
    // The bits below the significand: r = (rhi, hlo), rbits = 64 + s of them, s in 10...40
    // (128-bit shifts by a variable would call compiler-rt's __ashlti3 in the guest).
    let s = UInt64(t - (format.precision - 1) - 64)
    var mantissa = hhi >> s
    let rhi = hhi & ((1 << s) - 1)
    let halfHi = UInt64(1) << (s - 1)  // half = (halfHi, 0)
    /// r <= boundHi·2^64 - 2
    func atMostBelow2(_ boundHi: UInt64) -> Bool {
        rhi < boundHi - 1 || (rhi == boundHi - 1 && hlo <= UInt64.max - 1)
    }
    // The true low part is in [r, r+2).
    if atMostBelow2(halfHi) {
        // below the midpoint: round down
    } else if (rhi > halfHi || (rhi == halfHi && hlo > 0)) && atMostBelow2(2 * halfHi) {
        mantissa += 1  // above the midpoint: round up (a carry moves into the exponent field)
    } else {
        return nil
    }
    let bits = (UInt64(e2 + format.bias - 1) << UInt64(format.precision - 1)) + mantissa
    return RoundedBinary(bits: bits, rangeError: false)
}
