// main.swift — gdbstub-sim: serves the simulated x86-64 machine (GDBStubTestSupport) to gdb, so the
// stub can be tried and tested with a real gdb before a guest kernel exists.
//
//   gdbstub-sim [--threads 1|2] [--rle] [--verbose] ENDPOINT      (ENDPOINT as for --gdb)
//   gdb -nx -ex 'set architecture i386:x86-64' -ex 'target remote /tmp/sim.sock'
//
// Prints "listening on ENDPOINT" once the socket is ready, then serves until gdb kills the target
// (`kill`) or the process is terminated.
import GDBStub
import GDBStubTestSupport
import Glibc

/// Writes a line straight to a file descriptor (unbuffered: the test reads stdout through a pipe).
nonisolated func writeLine(_ fd: Int32, _ text: String) {
    var line = text + "\n"
    line.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

func usage() -> Never {
    writeLine(2, "usage: gdbstub-sim [--threads 1|2] [--rle] [--verbose] tcp::PORT | tcp:HOST:PORT | unix:PATH")
    exit(2)
}

var threads = 2
var rle = false
var verbose = false
var spec: String? = nil
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
    switch a {
    case "--threads":
        guard let v = arguments.popFirst().flatMap({ Int($0) }), v == 1 || v == 2 else { usage() }
        threads = v
    case "--rle": rle = true
    case "--verbose": verbose = true
    case "-h", "--help": usage()
    default:
        guard spec == nil, !a.hasPrefix("-") else { usage() }
        spec = a
    }
}
guard let spec else { usage() }

do {
    let endpoint = try GDBEndpoint(parsing: spec)
    let target = SimulatedTarget(threadCount: threads)
    var log: (@Sendable (String) -> Void)? = nil
    if verbose {
        log = { @Sendable (message: String) in writeLine(2, "gdbstub-sim: " + message) }
    }
    let server = try GDBServer(endpoint: endpoint, target: target,
                               options: SessionOptions(runLengthEncodeReplies: rle, log: log))
    writeLine(1, "listening on \(server.address)")
    server.start()
    server.waitUntilFinished()
    writeLine(1, server.targetKilled ? "target killed" : "server stopped")
} catch let e as GDBEndpointError {
    writeLine(2, "gdbstub-sim: \(e)")
    exit(2)
} catch let e as GDBServerError {
    writeLine(2, "gdbstub-sim: \(e)")
    exit(1)
} catch {
    writeLine(2, "gdbstub-sim: \(error)")
    exit(1)
}
