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
    var badCounterReports: UInt64 = 0
    /// What the guest kernel counted, handed over at power-off (SV_PORT_KERNEL_COUNTERS).
    var kernelCounters: KernelCountersReport?

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
          guest kernel          \(kernelCounters?.description ?? "no counters reported (not our kernel, or it did not power off itself)")
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

/// The guest kernel's struct sv_kernel_counters (sv_syscall.h), read from guest memory: eleven
/// little-endian 64-bit counts, in the struct's order.
struct KernelCountersReport {
    static let names = ["entries", "syscalls", "exceptions", "interrupts", "page faults", "address-space switches",
                        "thread switches", "IPC calls", "IPC replies", "IPC notices", "timer ticks"]
    let values: [UInt64]

    init(_ bytes: [UInt8]) {
        var values: [UInt64] = []
        for i in 0..<Self.names.count {
            var value: UInt64 = 0
            for b in 0..<8 { value |= UInt64(bytes[8 * i + b]) << UInt64(8 * b) }
            values.append(value)
        }
        self.values = values
    }

    var description: String {
        let v = values.map { String($0) }
        var entries = v[0] + " kernel entries (" + v[1] + " system calls, "
        entries += v[2] + " exceptions incl. " + v[4] + " page faults, "
        entries += v[3] + " interrupts incl. " + v[10] + " timer ticks)"
        let switches = v[5] + " address-space and " + v[6] + " thread switches"
        var ipc = "IPC: " + v[7] + " calls, "
        ipc += v[8] + " replies, " + v[9] + " notices"
        return entries + "; " + switches + "; " + ipc
    }
}
