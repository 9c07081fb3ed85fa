// LinuxPTY.swift — a real Linux pseudo-terminal driven like a keyboard: the reference the line
// discipline is judged against. Keystrokes go into the master one at a time; after each, the slave
// is read while poll(2) says it is readable and the master is drained of the echo. poll with a
// zero timeout is the barrier: when it finds nothing, n_tty has flushed its input work first
// (n_tty_poll calls tty_buffer_flush_work), so every byte written so far has been processed — no
// sleeps, no timing.
import ABI
import Glibc
import Terminal

struct PTYError: Error, CustomStringConvertible {
    let description: String
}

final class LinuxPTY {
    let master: Int32
    let slave: Int32

    init(termios: Termios) throws {
        var m: Int32 = -1, s: Int32 = -1
        guard openpty(&m, &s, nil, nil, nil) == 0 else { throw PTYError(description: "openpty: errno \(errno)") }
        master = m
        slave = s
        var bytes = termios.bytes
        // TCSETS with our 36-byte wire form: the layout is Linux's, so the kernel takes it as is.
        let rc = bytes.withUnsafeMutableBytes { ioctl(s, UInt(SV_TCSETS), $0.baseAddress!) }
        guard rc == 0 else { throw PTYError(description: "TCSETS: errno \(errno)") }
    }

    deinit {
        close(master)
        close(slave)
    }

    /// The slave's termios as the kernel reports it (TCGETS).
    func currentTermios() throws -> Termios {
        var bytes = [UInt8](repeating: 0, count: Termios.byteCount)
        let rc = bytes.withUnsafeMutableBytes { ioctl(slave, UInt(SV_TCGETS), $0.baseAddress!) }
        guard rc == 0, let t = Termios(bytes: bytes) else { throw PTYError(description: "TCGETS: errno \(errno)") }
        return t
    }

    func readable(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 1 && p.revents & Int16(POLLIN) != 0
    }

    /// Everything the reader gets now: one entry per read(2) of up to `chunk` bytes.
    func drainReader(chunk: Int) throws -> [[UInt8]] {
        var reads: [[UInt8]] = []
        while readable(slave) {
            guard reads.count < 10_000 else { throw PTYError(description: "slave never stops being readable") }
            var buffer = [UInt8](repeating: 0, count: chunk)
            let n = buffer.withUnsafeMutableBytes { read(slave, $0.baseAddress, chunk) }
            guard n >= 0 else { throw PTYError(description: "read slave: errno \(errno)") }
            reads.append(Array(buffer[..<n]))
        }
        return reads
    }

    /// Everything that reached the screen (echo and processed output).
    func drainScreen() throws -> [UInt8] {
        var out: [UInt8] = []
        while readable(master) {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard n > 0 else { throw PTYError(description: "read master: \(n), errno \(errno)") }
            out += buffer[..<n]
        }
        return out
    }

    func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else { throw PTYError(description: "write: \(n), errno \(errno)") }
    }

    /// Types `keys` one at a time, reading after each; returns the reads and the screen.
    func type(_ keys: [UInt8], chunk: Int) throws -> (reads: [[UInt8]], screen: [UInt8]) {
        var reads: [[UInt8]] = []
        var screen: [UInt8] = []
        for k in keys {
            try write(master, [k])
            reads += try drainReader(chunk: chunk)
            screen += try drainScreen()
        }
        return (reads, screen)
    }

    /// A program's write to the terminal; returns what reached the screen.
    func programWrites(_ bytes: [UInt8]) throws -> [UInt8] {
        try write(slave, bytes)
        // The slave's output is on the master's side once the master is readable; the write
        // itself is synchronous through n_tty's output processing, so draining now sees all of it.
        return try drainScreen()
    }
}

/// The same session on the line discipline.
struct ModelSession {
    var discipline: LineDiscipline

    init(termios: Termios) { discipline = LineDiscipline(termios: termios) }

    mutating func type(_ keys: [UInt8], chunk: Int) -> (reads: [[UInt8]], screen: [UInt8]) {
        var reads: [[UInt8]] = []
        var screen: [UInt8] = []
        for k in keys {
            discipline.receive(k)
            while discipline.readable {
                var request = ReadRequest(count: chunk, now: 0)
                guard case .done(let bytes) = discipline.advance(&request, now: 0) else { break }
                reads.append(bytes)
            }
            screen += discipline.takeOutput()
        }
        return (reads, screen)
    }

    mutating func programWrites(_ bytes: [UInt8]) -> [UInt8] {
        discipline.write(bytes)
        return discipline.takeOutput()
    }
}
