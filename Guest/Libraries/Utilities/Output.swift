// Output.swift — buffered standard output (one write per 64 KiB, not per line or byte) and the
// error lines in GNU's form ("prog: FILE: reason", "Try 'prog --help' for more information.").

/// The process's standard output and error for one tool run, and whether anything failed.
public struct Console<IO: ToolIO> {
    public let io: IO
    public let program: String
    /// The pending output: `buffer[0..<used]` (a fixed array: bytes are copied in with memmove,
    /// since Embedded Swift at -Osize compiles append(contentsOf:) to a byte loop, issue 14).
    var buffer: [UInt8]
    var used = 0
    /// Set by the first failed write: the tool stops producing (GNU: "write error", exit 1).
    public private(set) var writeFailed: SystemError? = nil
    /// Anything reported (a missing file): the exit status becomes 1 (or the tool's failure code).
    public var failed = false
    static var capacity: Int { 64 << 10 }

    public init(_ io: IO, program: String) {
        self.io = io
        self.program = program
        buffer = [UInt8](repeating: 0, count: Console.capacity)
    }

    @inline(__always)
    public mutating func put(_ byte: UInt8) {
        buffer[used] = byte
        used += 1
        if used >= Console.capacity { flush() }
    }

    public mutating func put<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { put(UnsafeRawBufferPointer($0)) }
        if contiguous == nil { for byte in bytes { put(byte) } }
    }

    /// A block at least as large as the buffer goes out in a write of its own after what is
    /// pending (cat's 1 MiB chunks: one write each, not sixteen); a smaller one is copied in.
    public mutating func put(_ bytes: ArraySlice<UInt8>) {
        if bytes.count >= Console.capacity {
            flush()
            if writeFailed == nil, case .failure(let e) = io.writeOutput(bytes) { writeFailed = e }
            return
        }
        bytes.withUnsafeBytes { put($0) }
    }

    public mutating func put(_ bytes: [UInt8]) { put(bytes[...]) }

    /// Bytes in place (valid for the call), copied into the buffer with one memmove per piece.
    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        var done = 0
        while done < bytes.count {
            let n = min(bytes.count - done, Console.capacity - used)
            buffer.withUnsafeMutableBytes { to in
                // SAFETY: used + n ≤ capacity = buffer.count and done + n ≤ bytes.count; `bytes` is
                // the caller's memory, never this buffer's (which no one outside Console sees).
                UnsafeMutableRawBufferPointer(rebasing: to[used..<(used + n)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[done..<(done + n)]))
            }
            used += n
            done += n
            if used >= Console.capacity { flush() }
        }
    }

    public mutating func put(_ text: String) { put(text.utf8) }

    public mutating func flush() {
        guard used > 0 else { return }
        if writeFailed == nil, case .failure(let e) = io.writeOutput(buffer[0..<used]) { writeFailed = e }
        used = 0
    }

    /// "prog: message" on standard error; marks the run failed.
    public mutating func error(_ message: String) {
        flush()   // keep stdout and stderr in order when both go to one terminal
        io.writeError(Array((program + ": " + message + "\n").utf8))
        failed = true
    }

    /// "prog: subject: reason".
    public mutating func error(_ subject: String, _ e: SystemError) { error(subject + ": " + e.message) }

    /// A usage error: the message and GNU's pointer to --help.
    public mutating func usage(_ message: String) {
        error(message)
        io.writeError(Array("Try '\(program) --help' for more information.\n".utf8))
    }

    /// Flushes and gives the exit status: 0, or `failure` when anything failed. A write error is
    /// reported as GNU does, except a closed pipe (the reader is done: `… | head`).
    public mutating func finish(failure: Int32 = 1) -> Int32 {
        flush()
        if let e = writeFailed {
            if e != .EPIPE { error("write error: " + e.message) }
            return failure
        }
        return failed ? failure : 0
    }
}

/// GNU's quoting of a file name in messages like "cannot open 'x' for reading": single quotes
/// (names with a quote or control bytes are shell-quoted by GNU; kept simple here).
func quoted(_ name: String) -> String { "'" + name + "'" }

/// Decimal text of an integer, right-aligned in `width` columns.
func padded(_ value: Int, width: Int, pad: UInt8 = UInt8(ascii: " ")) -> [UInt8] {
    let digits = Array(String(value).utf8)
    return digits.count >= width ? digits : [UInt8](repeating: pad, count: width - digits.count) + digits
}
