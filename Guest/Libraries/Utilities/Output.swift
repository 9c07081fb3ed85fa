// Output.swift — buffered standard output (one write per 64 KiB, not per line or byte) and the
// error lines in GNU's form ("prog: FILE: reason", "Try 'prog --help' for more information.").

/// The process's standard output and error for one tool run, and whether anything failed.
public struct Console<IO: ToolIO> {
    public let io: IO
    public let program: String
    var buffer: [UInt8] = []
    /// Set by the first failed write: the tool stops producing (GNU: "write error", exit 1).
    public private(set) var writeFailed: SystemError? = nil
    /// Anything reported (a missing file): the exit status becomes 1 (or the tool's failure code).
    public var failed = false
    static var capacity: Int { 64 << 10 }

    public init(_ io: IO, program: String) {
        self.io = io
        self.program = program
        buffer.reserveCapacity(Console.capacity)
    }

    @inline(__always)
    public mutating func put(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Console.capacity { flush() }
    }

    public mutating func put<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Console.capacity { flush() }
    }

    public mutating func put(_ text: String) { put(text.utf8) }

    public mutating func flush() {
        guard !buffer.isEmpty else { return }
        if writeFailed == nil, case .failure(let e) = io.writeOutput(buffer[...]) { writeFailed = e }
        buffer.removeAll(keepingCapacity: true)
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
