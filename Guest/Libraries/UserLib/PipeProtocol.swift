// PipeProtocol.swift — the Swift face of the pipe protocol declared in ABI sv_pipe.h: typed
// operations and the one encoder and decoder of its requests and replies, used by the client
// (Pipes) and the server (piped). The numbers live in the header only.
import ABI

/// An operation of the pipe service (SV_PIPE_*).
public struct PipeOperation: RawRepresentable, Equatable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ value: Int32) { rawValue = UInt8(value) }

    public static let create = PipeOperation(SV_PIPE_CREATE), write = PipeOperation(SV_PIPE_WRITE)
    public static let read = PipeOperation(SV_PIPE_READ), close = PipeOperation(SV_PIPE_CLOSE)
}

public enum PipeProtocol {
    public static let service = SV_PIPE_SERVICE
    public static let requestSize = MemoryLayout<sv_pipe_request>.size
    public static let replySize = MemoryLayout<sv_pipe_reply>.size
    public static let readEnd = UInt8(SV_PIPE_READ_END), writeEnd = UInt8(SV_PIPE_WRITE_END)
    /// Bytes a pipe buffers.
    public static let capacity = Int(SV_PIPE_CAPACITY)
    /// Pipes open at once.
    public static let maximumPipes = Int(SV_PIPE_MAX)

    public static func request(_ op: PipeOperation, pipe: UInt64 = 0, end: UInt8 = 0) -> [UInt8] {
        var r = sv_pipe_request()
        r.op = op.rawValue
        r.end = end
        r.pipe = pipe
        return Channel.encode(r)
    }

    /// A request; nil if it is too short to be one.
    public static func decodeRequest(_ bytes: [UInt8]) -> sv_pipe_request? { Channel.decode(sv_pipe_request.self, bytes) }

    public static func reply(status: Int64, value: UInt64 = 0) -> [UInt8] {
        Channel.encode(sv_pipe_reply(status: status, value: value))
    }

    /// A reply's value, or the errno it carries (EIO for one too short to be a reply).
    public static func decodeReply(_ bytes: [UInt8]) -> Result<UInt64, Errno> { Channel.decodeStatus(sv_pipe_reply.self, bytes) }
}
