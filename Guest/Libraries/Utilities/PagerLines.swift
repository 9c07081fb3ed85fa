// PagerLines.swift — the pager's input as lines, read only as far as the screen needs, in bounded
// memory (issue 13: never a whole large file in memory):
//  * a file (it can be read at any offset): an index of where each line starts, 8 bytes a line,
//    grown as the pager moves forward, and a small cache of recently drawn lines; a line is read
//    again from the file when it is needed again;
//  * a pipe (read once, in order): the last `PagerLines.streamBound` bytes of lines (4 MiB) are
//    kept, and at least the last 200 lines whatever their size (a screenful to draw): at most
//    4 MiB + 200 × 16 KiB; older lines are dropped, and the pager cannot go back before the first
//    one it kept (GNU less keeps everything unless -B is given; this is the bound asked for here).
// A line longer than `PagerLines.lineBound` (16 KiB: 200 rows of 80 columns) shows its first
// 16 KiB; the rest of it is skipped (the line numbers stay right).

public final class PagerLines {
    public static let streamBound = 4 << 20
    public static let lineBound = 16 << 10
    static let keptLines = 200
    static let chunk = 64 << 10

    /// Reads at most `buffer.count` bytes at an offset into the front of `buffer`; 0 at the end.
    public typealias ReadAt = (UInt64, inout [UInt8]) -> Result<Int, SystemError>
    /// Reads the next bytes of a stream into the front of `buffer`; 0 at the end.
    public typealias ReadNext = (inout [UInt8]) -> Result<Int, SystemError>

    enum Backing { case file(ReadAt), stream(ReadNext) }
    let backing: Backing

    // ---- a file ----
    /// Where each line found so far starts; one more entry once a newline is found after it.
    var starts: [UInt64] = [0]
    /// How far the index has looked.
    var scanned: UInt64 = 0
    /// The lines read last (a few screens' worth), searched in order: a Dictionary would need
    /// floating point (`ceil`) that the guest's programs do not link.
    var cache: [(index: Int, bytes: [UInt8])] = []
    var cacheNext = 0
    static let cacheSize = 128

    // ---- a stream ----
    /// The kept lines: line `first + k` is `kept[k]`.
    var kept: [[UInt8]] = []
    var first = 0
    var keptBytes = 0
    /// The line being read (no newline yet), and whether it was cut at `lineBound`.
    var partial: [UInt8] = []
    var partialCut = false

    /// Whether the end of the input was reached (so `count` is the number of lines).
    public private(set) var complete = false
    /// The error that ended the input early, if any.
    public private(set) var error: SystemError? = nil

    public init(file: @escaping ReadAt) { backing = .file(file) }
    public init(stream: @escaping ReadNext) { backing = .stream(stream) }

    public var isFile: Bool { if case .file = backing { return true } else { return false } }

    /// The lines known so far (all of them once `complete`).
    public var count: Int {
        switch backing {
        case .file: return starts.count - 1
        case .stream: return first + kept.count
        }
    }

    /// The first line still held (0 for a file).
    public var firstAvailable: Int { isFile ? 0 : first }

    /// Reads on until line `index` is known or the input ends; whether it exists.
    @discardableResult
    public func ensure(_ index: Int) -> Bool {
        while count <= index && !complete { readMore() }
        return index < count
    }

    /// Reads the whole input (G): the index of a file, or the stream to its end keeping its tail.
    public func readToEnd() { while !complete { readMore() } }

    /// The bytes of line `index` without its newline (at most `lineBound`), or nil if there is no
    /// such line (past the end, or dropped from a stream's front).
    public func line(_ index: Int) -> [UInt8]? {
        guard index >= firstAvailable, ensure(index) else { return nil }
        switch backing {
        case .stream: return kept[index - first]
        case .file(let read):
            if let cached = cache.first(where: { $0.index == index }) { return cached.bytes }
            let start = starts[index]
            let end = starts[index + 1] - 1   // the newline (or the virtual one at the end)
            let length = Int(min(end - start, UInt64(PagerLines.lineBound)))
            var bytes = [UInt8](repeating: 0, count: length)
            var done = 0
            while done < length {
                var piece = [UInt8](repeating: 0, count: length - done)
                guard case .success(let n) = read(start + UInt64(done), &piece), n > 0 else { break }
                bytes.replaceSubrange(done ..< done + n, with: piece[0..<n])
                done += n
            }
            if done < length { bytes.removeLast(length - done) }   // the file shrank meanwhile
            if cache.count < PagerLines.cacheSize { cache.append((index, bytes)) } else { cache[cacheNext] = (index, bytes) }
            cacheNext = (cacheNext + 1) % PagerLines.cacheSize
            return bytes
        }
    }

    /// The byte offset where line `index` starts, for a file whose index reaches it (more's %).
    public func offset(ofLine index: Int) -> UInt64? {
        guard isFile, index >= 0, index < starts.count else { return nil }
        return starts[index]
    }

    /// The file's size once known.
    public var size: UInt64? { isFile && complete ? scanned : nil }

    func readMore() {
        var buffer = [UInt8](repeating: 0, count: PagerLines.chunk)
        switch backing {
        case .file(let read):
            switch read(scanned, &buffer) {
            case .failure(let e): error = e; finishFile()
            case .success(0): finishFile()
            case .success(let n):
                for i in 0..<n where buffer[i] == 0x0a { starts.append(scanned + UInt64(i) + 1) }
                scanned += UInt64(n)
            }
        case .stream(let read):
            switch read(&buffer) {
            case .failure(let e): error = e; finishStream()
            case .success(0): finishStream()
            case .success(let n):
                var from = 0
                for i in 0..<n where buffer[i] == 0x0a {
                    take(buffer[from..<i])
                    keep(partial)
                    partial = []
                    partialCut = false
                    from = i + 1
                }
                take(buffer[from..<n])
            }
        }
    }

    /// A file's last line needs no newline: its end is the end of the file.
    func finishFile() {
        if starts.last! < scanned { starts.append(scanned + 1) }
        complete = true
    }

    func finishStream() {
        if !partial.isEmpty { keep(partial); partial = [] }
        complete = true
    }

    func take(_ bytes: ArraySlice<UInt8>) {
        guard !partialCut else { return }
        let room = PagerLines.lineBound - partial.count
        if bytes.count > room { partial += bytes.prefix(room); partialCut = true } else { partial += bytes }
    }

    func keep(_ line: [UInt8]) {
        kept.append(line)
        keptBytes += line.count + 1
        // Drop from the front down to the bound, but always keep the last `keptLines` lines.
        var drop = 0
        while keptBytes > PagerLines.streamBound && kept.count - drop > PagerLines.keptLines {
            keptBytes -= kept[drop].count + 1
            drop += 1
        }
        if drop > 0 { kept.removeFirst(drop); first += drop }
    }
}
