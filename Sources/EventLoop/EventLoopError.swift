// EventLoopError.swift — a failed event-loop system call: which call, and the errno it returned.
import Glibc

public struct EventLoopError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call that failed ("eventfd", "epoll_ctl(ADD)", "pthread_create").
    public let operation: String
    public let errno: Int32

    public init(_ operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}
