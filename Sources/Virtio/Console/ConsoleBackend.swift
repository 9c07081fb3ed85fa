// ConsoleBackend.swift — the host side of the console: a bounded buffer of input bytes waiting for
// the guest's receive buffers, and the sink guest output goes to.
import Glibc
import HostSupport

/// Bytes from the host (a terminal, a test) waiting for the guest. Bounded: when the guest does not
/// read, new input is dropped and counted rather than growing without limit.
final class ConsoleInput: @unchecked Sendable {
    let capacity: Int
    let state = PthreadLocked<(bytes: [UInt8], dropped: Int)>((bytes: [], dropped: 0))

    init(capacity: Int) { self.capacity = capacity }

    /// Appends what fits; returns how many bytes were accepted.
    func append(_ bytes: [UInt8]) -> Int {
        state.withLock { s in
            let n = min(bytes.count, capacity - s.bytes.count)
            s.bytes.append(contentsOf: bytes.prefix(n))
            s.dropped += bytes.count - n
            return n
        }
    }

    var isEmpty: Bool { state.withLock { $0.bytes.isEmpty } }
    var dropped: Int { state.withLock { $0.dropped } }

    /// Moves up to `limit` bytes into `writer`; returns how many.
    func drain(into writer: inout ChainWriter, limit: Int) -> Int {
        state.withLock { s in
            let n = min(limit, s.bytes.count)
            let written = s.bytes.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[0 ..< n])) }
            s.bytes.removeFirst(written)
            return written
        }
    }
}

/// Receives guest console output, on the thread that serves the transmit queue (the event loop).
/// It should not block for long: the VMM writes to a non-blocking terminal or a buffer.
public typealias ConsoleOutputSink = @Sendable ([UInt8]) -> Void
