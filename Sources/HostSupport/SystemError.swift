// SystemError.swift — a failed system call's errno, for the host-side helpers in this module.
import Glibc

/// A system call failed with `code` (an errno value). Callers build their own one-line messages;
/// `message` is strerror's text.
public struct SystemError: Error, Equatable, CustomStringConvertible {
    public let code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The current `errno`, read right after the failing call.
    public static var last: SystemError { SystemError(errno) }

    public var message: String { String(cString: strerror(code)) }
    public var description: String { message }
}
