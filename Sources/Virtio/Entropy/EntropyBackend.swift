// EntropyBackend.swift — where the entropy device's random bytes come from: the host kernel's
// getrandom(2) in the VMM, a deterministic or failing source in tests.
import CVirtio
import Glibc

/// A source of random bytes for `EntropyDevice`.
public protocol EntropySource: Sendable {
    /// Fills a prefix of `buffer` (guest memory) and returns its length; 0 means the source failed.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int
}

/// The host's getrandom(2) (the urandom pool, blocking only before the host's pool is initialised).
public struct GetRandomSource: EntropySource {
    public init() {}

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = cvirtio_getrandom(base, buffer.count, 0)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return 0
        }
    }
}
