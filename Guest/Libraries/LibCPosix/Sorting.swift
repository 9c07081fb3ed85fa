// Sorting.swift — qsort and bsearch (C11 7.22.5) over the caller's array of `count` elements of
// `size` bytes, compared by the caller's function.
//
// SAFETY: `base` points at count × size accessible bytes (C11 7.22.5: "the array"), which the
// functions here touch only at i × size for i < count.

public typealias Comparison = @convention(c) (UnsafeRawPointer?, UnsafeRawPointer?) -> Int32

/// Swaps two elements byte by byte (elements may be of any size and alignment).
private func swapElements(_ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer, _ size: Int) {
    let x = a.assumingMemoryBound(to: UInt8.self), y = b.assumingMemoryBound(to: UInt8.self)
    for i in 0..<size { let t = x[i]; x[i] = y[i]; y[i] = t }
}

/// Moves the element at `root` down the max-heap of the first `count` elements.
private func sift(_ base: UnsafeMutableRawPointer, _ root: Int, _ count: Int, _ size: Int, _ compare: Comparison) {
    var root = root
    while true {
        var child = 2 * root + 1
        if child >= count { return }
        if child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0 { child += 1 }
        if compare(base + root * size, base + child * size) >= 0 { return }
        swapElements(base + root * size, base + child * size, size)
        root = child
    }
}

/// qsort: heapsort — O(n log n) in the worst case, no recursion, no extra memory. (Not stable;
/// C11 does not ask it to be.)
@_cdecl("qsort")
public func qsort(_ base: UnsafeMutableRawPointer?, _ count: Int, _ size: Int, _ compare: Comparison) {
    guard let base, count >= 2, size > 0 else { return }
    var i = count / 2
    while i > 0 { i -= 1; sift(base, i, count, size, compare) }
    var end = count - 1
    while end > 0 {
        swapElements(base, base + end * size, size)
        sift(base, 0, end, size, compare)
        end -= 1
    }
}

/// bsearch: an element equal to `key` in the sorted array, or NULL.
@_cdecl("bsearch")
public func bsearch(_ key: UnsafeRawPointer?, _ base: UnsafeRawPointer?, _ count: Int, _ size: Int,
                    _ compare: Comparison) -> UnsafeMutableRawPointer? {
    guard let base else { return nil }
    var low = 0, high = count
    while low < high {
        let middle = low + (high - low) / 2
        let c = compare(key, base + middle * size)
        if c == 0 { return UnsafeMutableRawPointer(mutating: base + middle * size) }
        if c < 0 { high = middle } else { low = middle + 1 }
    }
    return nil
}
