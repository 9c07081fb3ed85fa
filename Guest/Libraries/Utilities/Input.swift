// Input.swift — reading inputs: the operand list ("-" or none is standard input), bounded chunks,
// and lines. A line is held whole (a line tool needs it); everything else moves in bounded chunks.

/// What a tool holds of a stream that it does not need to keep, when it gathers output or keeps
/// a window (tail, uniq, sort's runs).
let chunkSize = 64 << 10

/// The size of every read. In the guest each read of a file is a round trip to the file server
/// (three kernel entries or more with its lease and the reply), so reads of 1 MiB cost a quarter
/// of the entries per MiB that 256 KiB did, and a sixteenth of 64 KiB's (issue 14's measure,
/// `kstat`; its goal is one entry per 256 KiB); a pipe or a terminal still returns what it has.
let readSize = 1 << 20

/// The read size of a reader among many open at once (sort's merge of up to 16 runs), where
/// readSize each would hold too much memory.
let sharedReadSize = 256 << 10

/// One opened input: its name for messages and the stream.
struct OpenInput<Source: ByteSource> {
    let name: String
    let source: Source
    let isStandardInput: Bool
    func close() { if !isStandardInput { source.close() } }
}

extension Console {
    /// Opens operand `name` ("-": standard input). On failure reports it with `message`
    /// (GNU's wording differs per tool) and returns nil.
    mutating func openInput(_ name: String, reportAs message: (String) -> String = { $0 }) -> OpenInput<IO.Source>? {
        if name == "-" { return OpenInput(name: "-", source: io.standardInput(), isStandardInput: true) }
        switch io.open(name) {
        case .success(let s): return OpenInput(name: name, source: s, isStandardInput: false)
        case .failure(let e): error(message(name), e); return nil
        }
    }
}

/// Reads a stream in chunks and hands out lines (with their newline, when they have one).
struct LineReader<Source: ByteSource> {
    let source: Source
    var buffer: [UInt8]
    var start = 0, end = 0
    var finished = false
    var error: SystemError? = nil
    /// The byte that ends a line (NUL for the -z options).
    var delimiter: UInt8 = 10

    init(_ source: Source, bufferSize: Int = readSize) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    /// The next line into `line` (replacing it); false at the end of input or on an error
    /// (then `error` is set).
    mutating func next(_ line: inout [UInt8]) -> Bool {
        line.removeAll(keepingCapacity: true)
        while true {
            if start < end {
                if let newline = buffer[start..<end].firstIndex(of: delimiter) {
                    line.append(contentsOf: buffer[start...newline])
                    start = newline + 1
                    return true
                }
                line.append(contentsOf: buffer[start..<end])
                start = end
            }
            if finished { return !line.isEmpty }
            switch source.read(into: &buffer) {
            case .failure(let e): error = e; finished = true; return false
            case .success(0): finished = true
            case .success(let n): start = 0; end = n
            }
        }
    }
}

/// Reads a stream to its end in chunks, calling `body` on each; returns the read error, if any.
func forEachChunk<Source: ByteSource>(_ source: Source, _ body: (ArraySlice<UInt8>) -> Bool) -> SystemError? {
    var buffer = [UInt8](repeating: 0, count: readSize)
    while true {
        switch source.read(into: &buffer) {
        case .failure(let e): return e
        case .success(0): return nil
        case .success(let n): if !body(buffer[0..<n]) { return nil }
        }
    }
}

/// Reads a stream in chunks and hands out one byte at a time (fold, expand, paste: tools whose
/// state machine is per byte, as GNU's getc loops are).
struct ByteReader<Source: ByteSource> {
    let source: Source
    var buffer: [UInt8]
    var start = 0, end = 0
    var finished = false
    var error: SystemError? = nil

    init(_ source: Source) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: readSize)
    }

    /// The next byte; nil at the end of input or on an error (then `error` is set).
    @inline(__always)
    mutating func next() -> UInt8? {
        if start < end {
            let b = buffer[start]
            start += 1
            return b
        }
        return refill()
    }

    mutating func refill() -> UInt8? {
        if finished { return nil }
        switch source.read(into: &buffer) {
        case .failure(let e): error = e; finished = true; return nil
        case .success(0): finished = true; return nil
        case .success(let n): start = 1; end = n; return buffer[0]
        }
    }
}

extension Console {
    /// Runs `body` on each operand's stream in turn ("-" or no operand: standard input), reporting
    /// a file that cannot be opened or read as "prog: FILE: reason" and going on with the next.
    mutating func eachInput(_ operands: [String], _ body: (inout Console, String, IO.Source) -> SystemError?) {
        for name in operands.isEmpty ? ["-"] : operands {
            guard let input = openInput(name) else { continue }
            if let e = body(&self, name, input.source) { error(name, e) }
            input.close()
        }
    }
}
