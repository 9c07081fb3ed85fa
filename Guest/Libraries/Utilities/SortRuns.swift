// SortRuns.swift — sort's bounded memory: when the lines read exceed the buffer (-S, default
// Sort.defaultBudget) they are sorted and written to a temporary file (a "run") in -T DIR, $TMPDIR
// or /tmp, as GNU sort spills; at the end the runs are merged, at most `fanIn` at a time (each
// read through one buffer of sharedReadSize), in passes until one pass writes the output. Runs are merged
// in the order they were made and ties go to the earlier run, so the merge is as stable as the
// in-memory sort.

struct SortRuns<IO: SystemIO> {
    let io: IO
    let directory: String
    /// The runs, oldest first.
    var paths: [String] = []
    static var fanIn: Int { 16 }

    init(io: IO, directory: String) {
        self.io = io
        self.directory = directory
    }

    /// A new empty temporary file, made exclusively (its name random), opened for writing.
    mutating func create() -> Result<(String, IO.Sink), SystemError> {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var last = SystemError.EEXIST
        for _ in 0..<100 {
            let name = directory + (directory.utf8.last == UInt8(ascii: "/") ? "" : "/") + "sort"
                + String(decoding: io.randomBytes(10).map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
            switch io.createExclusive(name, mode: 0o600) {
            case .failure(let e) where e == .EEXIST: last = e; continue
            case .failure(let e): return .failure(e)
            case .success:
                switch io.create(name, append: false) {
                case .failure(let e): _ = io.remove(name); return .failure(e)
                case .success(let sink): return .success((name, sink))
                }
            }
        }
        return .failure(last)
    }

    /// Removes every run left (after an error, or at the end).
    mutating func removeAll() {
        for path in paths { _ = io.remove(path) }
        paths = []
    }
}

/// Writes lines through a buffer of `writeSize` to a sink (a run, or sort -o's file).
struct BufferedSink<Sink: ByteSink> {
    /// The size of every write but the last. In the guest each write of a file is a transaction
    /// the file server commits to the disk before it replies (records, tree, header and a flush),
    /// so runs written in 64 KiB pieces cost ~880 kernel entries per MiB sorted (issue 14,
    /// `kstat`); 1 MiB — the most one write call of the file server takes (sv_fs.h
    /// SV_FS_WRITE_MAX) — makes it sixteen times fewer commits.
    static var writeSize: Int { 1 << 20 }
    let sink: Sink
    var pending: [UInt8] = []
    var failure: SystemError? = nil

    init(_ sink: Sink) {
        self.sink = sink
        pending.reserveCapacity(BufferedSink.writeSize)
    }

    mutating func put(_ line: ArraySlice<UInt8>, _ delimiter: UInt8) {
        pending.append(contentsOf: line)
        pending.append(delimiter)
        if pending.count >= BufferedSink.writeSize { flush() }
    }

    mutating func flush() {
        if failure == nil, !pending.isEmpty, case .failure(let e) = sink.write(pending[...]) { failure = e }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; the first write error, if any.
    mutating func finish() -> SystemError? {
        flush()
        sink.close()
        return failure
    }
}

extension Sort {
    /// Merges the runs at `paths` (each sorted), handing each line (without its delimiter) to
    /// `emit` in order; `emit` returns false to stop. With `unique`, only the first of equal lines.
    /// A read error is returned.
    static func merge<IO: SystemIO>(_ paths: [String], _ io: IO, _ settings: Settings, delimiter: UInt8,
                                    _ emit: (ArraySlice<UInt8>) -> Bool) -> SystemError? {
        var readers: [LineReader<IO.Source>] = []
        defer { for r in readers { r.source.close() } }
        for path in paths {
            switch io.open(path) {
            case .failure(let e): return e
            case .success(let source):
                var reader = LineReader(source, bufferSize: sharedReadSize)
                reader.delimiter = delimiter
                readers.append(reader)
            }
        }
        var heads = [[UInt8]](repeating: [], count: readers.count)
        var alive = [Bool](repeating: false, count: readers.count)
        for i in readers.indices {
            alive[i] = readers[i].next(&heads[i])
            if let e = readers[i].error { return e }
        }
        /// A line without its delimiter.
        func body(_ line: [UInt8]) -> ArraySlice<UInt8> { line.last == delimiter ? line.dropLast() : line[...] }
        func compare(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in compareLines(pa[...], pb[...], settings) } }
        }
        var previous: [UInt8]? = nil
        while true {
            var best = -1
            for i in readers.indices where alive[i] {
                if best < 0 || compare(body(heads[i]), body(heads[best])) < 0 { best = i }
            }
            if best < 0 { return nil }
            let line = body(heads[best])
            if !(settings.unique && previous.map { compare($0[...], line) == 0 } == true) {
                if !emit(line) { return nil }
                if settings.unique { previous = Array(line) }
            }
            alive[best] = readers[best].next(&heads[best])
            if let e = readers[best].error { return e }
        }
    }

    /// -S SIZE: a number with GNU's suffixes (b bytes, K (the default), M, G, T: 1024s) or a
    /// percentage of memory (taken as the default budget: the tools cannot see the memory).
    static func parseBufferSize(_ text: String) -> Int? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        if bytes.last == UInt8(ascii: "%") {
            bytes.removeLast()
            guard let p = parseDecimal(String(decoding: bytes, as: UTF8.self)), p <= 100 else { return nil }
            return defaultBudget
        }
        var multiplier = 1 << 10
        switch bytes.last! {
        case UInt8(ascii: "b"): multiplier = 1
        case UInt8(ascii: "k"), UInt8(ascii: "K"): multiplier = 1 << 10
        case UInt8(ascii: "M"): multiplier = 1 << 20
        case UInt8(ascii: "G"): multiplier = 1 << 30
        case UInt8(ascii: "T"): multiplier = 1 << 40
        case 48...57: break
        default: return nil
        }
        if !(bytes.last! >= 48 && bytes.last! <= 57) { bytes.removeLast() }
        guard let n = parseDecimal(String(decoding: bytes, as: UTF8.self)) else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: multiplier)
        return overflow ? Int.max : product
    }
}
