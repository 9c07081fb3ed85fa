// Pipes.swift — pipes between processes, served by piped ("pipe" over IPC): a 64 KiB buffer per
// pipe; a read waits while the pipe is empty and a writer may still write, a write waits while it
// is full. The shell creates a pipe per `|`, names it in the stages' environment (SV_STDOUT /
// SV_STDIN = "pipe:ID") and closes a stage's ends when the stage exits — so a reader sees the end of
// input even if its writer crashed, and a writer whose reader is gone gets EPIPE.
//
//   request:  [op u8][end u8][0 × 6][pipe id u64]        (16 bytes)
//   reply:    [status i64: ≥ 0 ok, -errno][value u64]     (16 bytes)
//   create → id · write (lease: read) → bytes taken · read (lease: written) → bytes (0: end of
//   input) · close (end: 0 read, 1 write)
import ABI

public enum PipeOperation: UInt8 { case create = 1, write, read, close }

public enum Pipes {
    public static let service = "pipe"
    public static let readEnd: UInt8 = 0, writeEnd: UInt8 = 1
    nonisolated(unsafe) static var endpoint = 0

    public static func request(_ op: PipeOperation, pipe: UInt64 = 0, end: UInt8 = 0) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: 16)
        r[0] = op.rawValue
        r[1] = end
        FileProtocol.put(&r, 8, pipe)
        return r
    }

    public static func call(_ op: PipeOperation, pipe: UInt64 = 0, end: UInt8 = 0, lease: UnsafeMutableRawBufferPointer? = nil,
                     leaseFlags: Int32 = 0) -> Result<UInt64, Errno> {
        if endpoint <= 0 { endpoint = IPC.lookup(service) }
        guard endpoint > 0 else { return .failure(Errno(SV_ENOENT)) }
        switch IPC.call(endpoint, request: request(op, pipe: pipe, end: end), lease: lease, leaseFlags: leaseFlags) {
        case .failure(let e):
            endpoint = 0
            return .failure(e)   // a pipe does not survive its server: no retry
        case .success(let reply):
            guard reply.count >= 16 else { return .failure(Errno(SV_EIO)) }
            let status = Int64(bitPattern: FileProtocol.get(reply, 0))
            return status < 0 ? .failure(Errno(Int32(truncatingIfNeeded: -status))) : .success(FileProtocol.get(reply, 8))
        }
    }

    /// Whether a pipe server is running.
    public static var available: Bool { IPC.lookup(service) > 0 }

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
