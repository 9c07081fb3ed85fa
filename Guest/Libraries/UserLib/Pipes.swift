// Pipes.swift — pipes between processes, served by piped ("pipe" over IPC): a 64 KiB buffer per
// pipe; a read waits while the pipe is empty and a writer may still write, a write waits while it
// is full. The shell creates a pipe per `|`, names it in the stages' environment (SV_STDOUT /
// SV_STDIN = "pipe:ID") and closes a stage's ends when the stage exits — so a reader sees the end of
// input even if its writer crashed, and a writer whose reader is gone gets EPIPE.
//
// The protocol: ABI sv_pipe.h (PipeProtocol.swift).
import ABI

public enum Pipes {
    public static let service = PipeProtocol.service
    public static let readEnd = PipeProtocol.readEnd, writeEnd = PipeProtocol.writeEnd
    /// A pipe does not survive its server: no waiting, no repeats (patience 0); no server is ENOENT.
    // SAFETY (nonisolated(unsafe)): a user process is one thread; the connection is only an
    // endpoint cache, used by `call` alone.
    nonisolated(unsafe) static var connection = ServiceConnection(service, patienceNanoseconds: 0, unavailable: SV_ENOENT)

    public static func call(_ op: PipeOperation, pipe: UInt64 = 0, end: UInt8 = 0, lease: UnsafeMutableRawBufferPointer? = nil,
                     leaseFlags: Int32 = 0) -> Result<UInt64, Errno> {
        connection.call(PipeProtocol.request(op, pipe: pipe, end: end), lease: lease, leaseFlags: leaseFlags)
            .flatMap { PipeProtocol.decodeReply($0.reply) }
    }

    /// Whether a pipe server is running.
    public static var available: Bool { connection.isServed }

    public static func create() -> Result<UInt64, Errno> { call(.create) }

    public static func close(_ pipe: UInt64, end: UInt8) { _ = call(.close, pipe: pipe, end: end) }

    /// Writes all of `bytes` (waiting while the pipe is full); EPIPE once nobody reads.
    public static func write(_ pipe: UInt64, _ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        var done = 0
        while done < bytes.count {
            let piece = UnsafeMutableRawBufferPointer(mutating: UnsafeRawBufferPointer(rebasing: bytes[done...]))
            switch call(.write, pipe: pipe, lease: piece, leaseFlags: SV_LEASE_READ) {
            case .failure(let e): return .failure(e)
            case .success(let n): done += Int(n)
            }
        }
        return .success(())
    }

    /// Writes all of `bytes` (waiting while the pipe is full); EPIPE once nobody reads.
    public static func write(_ pipe: UInt64, _ bytes: [UInt8]) -> Result<Void, Errno> {
        // SAFETY: the buffer is valid for the call.
        bytes.withUnsafeBytes { write(pipe, $0) }
    }

    /// Reads what is there into `buffer` (waiting while the pipe is empty); 0 at the end of input.
    public static func read(_ pipe: UInt64, into buffer: inout [UInt8]) -> Result<Int, Errno> {
        // SAFETY: the buffer is valid and unaliased (inout) for the call.
        buffer.withUnsafeMutableBytes { read(pipe, into: $0) }
    }

    /// Reads what is there (waiting while the pipe is empty); 0 at the end of input.
    public static func read(_ pipe: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        call(.read, pipe: pipe, lease: buffer, leaseFlags: SV_LEASE_WRITE).map { Int($0) }
    }

    /// "pipe:ID" → ID.
    public static func parse(_ name: String) -> UInt64? {
        let bytes = Array(name.utf8)
        guard bytes.starts(with: Array("pipe:".utf8)) else { return nil }
        return UInt64(String(decoding: bytes.dropFirst(5), as: UTF8.self))
    }
}
