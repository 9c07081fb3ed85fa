// DiffAlgorithm.swift — the shortest edit script between two sequences of lines: Myers' O((N+M)D)
// algorithm in its linear-space form (E. W. Myers, "An O(ND) Difference Algorithm and Its
// Variations", Algorithmica 1986, section 4b: find the middle snake by searching forward and
// backward at once, then divide and conquer), which is also how GNU diff's analyze.c works, with
// the common prefix and suffix of each part stripped first. Memory: two vectors of N+M+3 ints and
// the recursion (depth O(log) for typical inputs). A cost limit bounds the time on inputs that
// differ everywhere: past it the furthest-reaching forward point is taken as the split, which
// gives a correct (if not minimal) script, as GNU's "too expensive" heuristic does.

struct EditScript {
    /// Lines of the first sequence deleted, of the second inserted.
    var deleted: [Bool]
    var inserted: [Bool]
}

/// Compares `a` and `b` (lines as equality classes: equal numbers are equal lines).
func shortestEdit(_ a: [Int], _ b: [Int]) -> EditScript {
    var script = EditScript(deleted: [Bool](repeating: false, count: a.count), inserted: [Bool](repeating: false, count: b.count))
    let size = a.count + b.count + 3
    var forward = [Int](repeating: 0, count: size)
    var backward = [Int](repeating: 0, count: size)
    // The diagonals k = x - y range over -(M+1)...(N+1): stored at k + offset.
    let offset = b.count + 1
    // Past this many rounds of one split, stop looking for the best split (see above).
    var limit = 1
    var total = a.count + b.count
    while total > 0 { limit += 1; total >>= 2 }   // about the square root's bit count
    let tooExpensive = max(4096, 1 << min(limit, 20))

    func middleSnake(_ xoff: Int, _ xlim: Int, _ yoff: Int, _ ylim: Int) -> (Int, Int) {
        let dmin = xoff - ylim, dmax = xlim - yoff
        let fmid = xoff - yoff, bmid = xlim - ylim
        var fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid
        let odd = (fmid - bmid) & 1 != 0
        forward[fmid + offset] = xoff
        backward[bmid + offset] = xlim
        var cost = 1
        while true {
            if fmin > dmin { fmin -= 1; forward[fmin - 1 + offset] = -1 } else { fmin += 1 }
            if fmax < dmax { fmax += 1; forward[fmax + 1 + offset] = -1 } else { fmax -= 1 }
            var d = fmax
            while d >= fmin {
                let tlo = forward[d - 1 + offset], thi = forward[d + 1 + offset]
                var x = tlo >= thi ? tlo + 1 : thi
                var y = x - d
                while x < xlim && y < ylim && a[x] == b[y] { x += 1; y += 1 }
                forward[d + offset] = x
                if odd && bmin <= d && d <= bmax && backward[d + offset] <= x { return (x, y) }
                d -= 2
            }
            if bmin > dmin { bmin -= 1; backward[bmin - 1 + offset] = Int.max } else { bmin += 1 }
            if bmax < dmax { bmax += 1; backward[bmax + 1 + offset] = Int.max } else { bmax -= 1 }
            d = bmax
            while d >= bmin {
                let tlo = backward[d - 1 + offset], thi = backward[d + 1 + offset]
                var x = tlo < thi ? tlo : thi - 1
                var y = x - d
                while xoff < x && yoff < y && a[x - 1] == b[y - 1] { x -= 1; y -= 1 }
                backward[d + offset] = x
                if !odd && fmin <= d && d <= fmax && x <= forward[d + offset] { return (x, y) }
                d -= 2
            }
            cost += 1
            if cost > tooExpensive {
                // the forward point furthest along x + y, clamped into the box
                var best = -1, bestX = xoff, bestY = yoff
                var k = fmax
                while k >= fmin {
                    let x = min(forward[k + offset], xlim), y = x - k
                    if y >= yoff && y <= ylim && x + y > best { best = x + y; bestX = x; bestY = y }
                    k -= 2
                }
                if (bestX, bestY) == (xoff, yoff) || (bestX, bestY) == (xlim, ylim) {
                    // no progress: split in the middle of x
                    let mx = (xoff + xlim) / 2
                    return (mx, min(max(yoff, mx - fmid), ylim))
                }
                return (bestX, bestY)
            }
        }
    }

    // An explicit stack instead of recursion: the guest's stacks are small.
    var work: [(Int, Int, Int, Int)] = [(0, a.count, 0, b.count)]
    while let part = work.popLast() {
        var (xoff, xlim, yoff, ylim) = part
        while xoff < xlim && yoff < ylim && a[xoff] == b[yoff] { xoff += 1; yoff += 1 }
        while xlim > xoff && ylim > yoff && a[xlim - 1] == b[ylim - 1] { xlim -= 1; ylim -= 1 }
        if xoff == xlim {
            for y in yoff..<ylim { script.inserted[y] = true }
        } else if yoff == ylim {
            for x in xoff..<xlim { script.deleted[x] = true }
        } else {
            let (xmid, ymid) = middleSnake(xoff, xlim, yoff, ylim)
            work.append((xmid, xlim, ymid, ylim))
            work.append((xoff, xmid, yoff, ymid))
        }
    }
    return script
}

/// One change: lines a[aStart..<aEnd] replaced by b[bStart..<bEnd] (either may be empty).
struct Change {
    var aStart: Int, aEnd: Int, bStart: Int, bEnd: Int
}

/// The edit script as runs of changes, in order.
func changes(_ script: EditScript) -> [Change] {
    var result: [Change] = []
    var i = 0, j = 0
    let n = script.deleted.count, m = script.inserted.count
    while i < n || j < m {
        if i < n && j < m && !script.deleted[i] && !script.inserted[j] { i += 1; j += 1; continue }
        let aStart = i, bStart = j
        while i < n && script.deleted[i] { i += 1 }
        while j < m && script.inserted[j] { j += 1 }
        if i == aStart && j == bStart { i += 1; j += 1; continue }   // (not reached: lengths agree)
        result.append(Change(aStart: aStart, aEnd: i, bStart: bStart, bEnd: j))
    }
    return result
}
