// Pipe.swift — a pipe's state machine (POSIX XSH pipe(), write(), read()): a ring of
// SV_PIPE_CAPACITY bytes, and how many open read and write ends it has. The bytes live in memory
// the machine layer provides (kernel frames); this type only says which ring pieces to copy and
// what a read or write on it returns, so the host tests it whole.
import ABI

public final class Pipe {
    public let id: Int
    public let capacity: Int
    /// Bytes held, starting at ring offset `head`.
    public private(set) var count = 0
    public private(set) var head = 0
    /// Open descriptions of each end (not descriptors: dup and fork share a description).
    public internal(set) var readers = 0
    public internal(set) var writers = 0
    /// The machine layer's storage (its frames); the core never reads it.
    public var storage: AnyObject? = nil

    public init(id: Int, capacity: Int = Int(SV_PIPE_CAPACITY)) {
        precondition(capacity > 0)
        self.id = id
        self.capacity = capacity
    }

    public var space: Int { capacity - count }

    /// A contiguous piece of the ring: copy `length` bytes at ring `offset`.
    public struct Piece: Equatable, Sendable {
        public let offset: Int
        public let length: Int
        public init(offset: Int, length: Int) {
            self.offset = offset
            self.length = length
        }
    }

    /// Where the next `n` readable bytes lie (at most two pieces: the ring wraps once).
    public func readablePieces(_ n: Int) -> [Piece] { pieces(from: head, length: min(n, count)) }

    /// Where the next `n` bytes may be written.
    public func writablePieces(_ n: Int) -> [Piece] { pieces(from: (head + count) % capacity, length: min(n, space)) }

    func pieces(from start: Int, length: Int) -> [Piece] {
        guard length > 0 else { return [] }
        let first = min(length, capacity - start)
        return first == length ? [Piece(offset: start, length: length)]
                               : [Piece(offset: start, length: first), Piece(offset: 0, length: length - first)]
    }

    /// `n` bytes were copied out of the readable pieces.
    public func consumed(_ n: Int) {
        precondition(n >= 0 && n <= count, "cannot consume more than the pipe holds")
        head = (head + n) % capacity
        count -= n
        if count == 0 { head = 0 }
    }

    /// `n` bytes were copied into the writable pieces.
    public func produced(_ n: Int) {
        precondition(n >= 0 && n <= space, "cannot produce more than the room left")
        count += n
    }

    /// What a read of `length` bytes does now.
    public enum ReadDecision: Equatable {
        /// Copy this many bytes (then `consumed`).
        case transfer(Int)
        /// End of file: no data and no writer left. read() returns 0.
        case endOfFile
        /// No data yet: block (or EAGAIN without blocking).
        case wait
    }

    public func decideRead(length: Int) -> ReadDecision {
        if length == 0 { return .transfer(0) }
        if count > 0 { return .transfer(min(length, count)) }
        return writers == 0 ? .endOfFile : .wait
    }

    /// What a write of `remaining` bytes (of which `done` are already written by this call) does now.
    public enum WriteDecision: Equatable {
        case transfer(Int)
        /// No reader left: EPIPE (and later SIGPIPE).
        case brokenPipe
        case wait
    }

    /// POSIX: a write of at most SV_PIPE_ATOMIC bytes is atomic — it waits until all of it fits;
    /// a larger one writes what fits and waits for room for the rest.
    public func decideWrite(remaining: Int, total: Int) -> WriteDecision {
        if readers == 0 { return .brokenPipe }
        if remaining == 0 { return .transfer(0) }
        if total <= Int(SV_PIPE_ATOMIC) { return space >= remaining ? .transfer(remaining) : .wait }
        return space > 0 ? .transfer(min(remaining, space)) : .wait
    }
}
