// IntMap.swift — a small open-addressing hash map keyed by UInt64. The core avoids Dictionary and
// Set: in the soft-float guest they pull in floating-point runtime calls (EMBEDDED-SWIFT.md §1).

/// A hash map from UInt64 keys to values: linear probing, backward-shift deletion (no tombstones),
/// Fibonacci hashing, load factor at most 1/2. Iteration order is deterministic for a given history.
public struct IntMap<Value> {
    private var keys: [UInt64] = []
    private var values: [Value?] = []
    private var used: [Bool] = []
    public private(set) var count = 0
    private var shift: UInt64 = 64

    public init() {}

    public var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private func find(_ key: UInt64) -> Int? {
        if used.isEmpty { return nil }
        let mask = used.count - 1
        var i = slot(key)
        while used[i] {
            if keys[i] == key { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    public subscript(key: UInt64) -> Value? {
        get {
            guard let i = find(key) else { return nil }
            return values[i]
        }
        set {
            if let v = newValue { insert(key, v) } else { _ = remove(key) }
        }
    }

    public func contains(_ key: UInt64) -> Bool { find(key) != nil }

    /// Mutates a present value in place; returns nil if the key is absent.
    public mutating func modify<R>(_ key: UInt64, _ body: (inout Value) -> R) -> R? {
        guard let i = find(key) else { return nil }
        var v = values[i].take()!
        let r = body(&v)
        values[i] = v
        return r
    }

    public mutating func insert(_ key: UInt64, _ value: Value) {
        if let i = find(key) { values[i] = value; return }
        if (count + 1) * 2 > used.count { grow() }
        let mask = used.count - 1
        var i = slot(key)
        while used[i] { i = (i + 1) & mask }
        used[i] = true
        keys[i] = key
        values[i] = value
        count += 1
    }

    @discardableResult
    public mutating func remove(_ key: UInt64) -> Value? {
        guard var i = find(key) else { return nil }
        let removed = values[i].take()
        used[i] = false
        count -= 1
        // Backward-shift: move later members of the probe run into the hole.
        let mask = used.count - 1
        var j = i
        while true {
            j = (j + 1) & mask
            if !used[j] { break }
            let home = slot(keys[j])
            // Keep entry j where it is if its home lies cyclically in (i, j].
            let stays = i <= j ? (i < home && home <= j) : (i < home || home <= j)
            if stays { continue }
            keys[i] = keys[j]
            values[i] = values[j].take()
            used[i] = true
            used[j] = false
            i = j
        }
        return removed
    }

    public mutating func removeAll() {
        keys = []; values = []; used = []; count = 0; shift = 64
    }

    private mutating func grow() {
        let newCapacity = used.isEmpty ? 16 : used.count * 2
        let oldKeys = keys, oldUsed = used
        var oldValues = values
        keys = [UInt64](repeating: 0, count: newCapacity)
        values = [Value?](repeating: nil, count: newCapacity)
        used = [Bool](repeating: false, count: newCapacity)
        shift = UInt64(64 - newCapacity.trailingZeroBitCount)
        count = 0
        for i in 0..<oldUsed.count where oldUsed[i] {
            insert(oldKeys[i], oldValues[i].take()!)
        }
    }

    /// Calls `body` for every entry (order unspecified but deterministic).
    public func forEach(_ body: (UInt64, Value) -> Void) {
        for i in 0..<used.count where used[i] { body(keys[i], values[i]!) }
    }

    /// All keys, sorted ascending.
    public var sortedKeys: [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(count)
        for i in 0..<used.count where used[i] { result.append(keys[i]) }
        result.sort()
        return result
    }
}
