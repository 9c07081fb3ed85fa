// StandardStreams.swift — unbuffered writes to stdout and stderr (write(2) on fds 1 and 2), for
// diagnostics and binary output that must not wait in stdio's buffer.
import Glibc

/// Writes `text` to stderr. A failed write is dropped: there is nowhere left to report it.
public func writeStandardError(_ text: String) {
    try? writeAll(STDERR_FILENO, Array(text.utf8))
}

/// Writes `bytes` to stdout, unbuffered.
public func writeStandardOutput(_ bytes: [UInt8]) throws(SystemError) {
    try writeAll(STDOUT_FILENO, bytes)
}
