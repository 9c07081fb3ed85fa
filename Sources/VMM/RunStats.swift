// RunStats.swift — what `swiftvm run --stats` reports: boot milestones (wall time since the process
// entered main), VM exits, and the VMM's own memory use excluding guest RAM.
import HostSupport

public final class RunStats: @unchecked Sendable {
    /// Set by `swiftvm`'s main as early as possible.
    nonisolated(unsafe) public static var processStart: UInt64 = 0
    /// What `processStart` is: main() unless a launcher passed its exec time.
    nonisolated(unsafe) public static var originDescription = "since main()"

    var startedRunning: UInt64 = 0
    /// The first byte of console output (UART or console port).
    var firstSerialByte: UInt64 = 0
    var kernelNative: UInt64 = 0
    var firstUserEntry: UInt64 = 0
    var ended: UInt64 = 0
    var exits: UInt64 = 0
    var exitsByKind: [String: UInt64] = [:]
    var unknownPortAccesses: UInt64 = 0
    var unknownMMIOAccesses: UInt64 = 0
    var badConsoleWrites: UInt64 = 0

    public static func now() -> UInt64 { monotonicNanoseconds() }

    func count(_ kind: String) { exitsByKind[kind, default: 0] += 1 }

    func markStart() { startedRunning = RunStats.now() }
    func markEnd() { ended = RunStats.now() }
    func markFirstSerialByte() { if firstSerialByte == 0 { firstSerialByte = RunStats.now() } }
    func markEvent(_ event: UInt8) {
        switch event {
        case 1: if kernelNative == 0 { kernelNative = RunStats.now() }
        case 2: if firstUserEntry == 0 { firstUserEntry = RunStats.now() }
        default: break
        }
    }

    func milliseconds(_ t: UInt64) -> String {
        guard t != 0, t >= RunStats.processStart else { return "-" }
        return formatFixed(Double(t - RunStats.processStart) / 1e6, fractionDigits: 2) + " ms"
    }

    /// The report, one line per figure.
    func report(guestMemoryBase: UnsafeMutableRawPointer) -> String {
        let rss = MemoryUsage.resident(excluding: guestMemoryBase)
        return """
        swiftvm stats (wall time \(RunStats.originDescription)):
          vCPU started          \(milliseconds(startedRunning))
          first serial byte     \(milliseconds(firstSerialByte))
          kernel native         \(milliseconds(kernelNative))
          first ring-3 entry    \(milliseconds(firstUserEntry))
          power-off             \(milliseconds(ended))
          VM exits              \(exits) (\(exitsByKind.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))
          VMM RSS (no guest RAM) \(rss.map { "\($0.total) KiB (\($0.anonymous) KiB private, \($0.total - $0.anonymous) KiB file-backed: binary and shared libraries)" } ?? "unknown")
        """
    }
}

enum MemoryUsage {
    /// Resident KiB of the whole process minus the mapping starting at `excluding` (guest RAM), and
    /// how much of it is anonymous memory, from /proc/self/smaps.
    static func resident(excluding base: UnsafeMutableRawPointer) -> (total: Int, anonymous: Int)? {
        // readFile reads to the end: /proc files report size 0.
        guard let data = try? readFile("/proc/self/smaps") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let guestStart = UInt(bitPattern: base)
        var total = 0, guest = 0, anonymous = 0
        var inGuest = false
        for line in text.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), line.first?.isHexDigit == true,
               let start = UInt(line[..<dash], radix: 16) {
                inGuest = start == guestStart
                continue
            }
            let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
            if line.hasPrefix("Rss:") {
                total += kib
                if inGuest { guest += kib }
            } else if line.hasPrefix("Anonymous:") && !inGuest {
                anonymous += kib
            }
        }
        return (total - guest, anonymous)
    }
}
