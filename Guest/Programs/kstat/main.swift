// kstat — runs a command and prints, on stderr, its wall time and what the kernel did meanwhile: its entries by kind,
// address-space and thread switches, IPC messages (sv_syscall.h struct sv_kernel_counters), and the
// same per MiB when told how many bytes the command moved. The counts are the whole machine's, so
// servers' work on the command's behalf (fsd, blkd, piped, ttyd) is included — which is the point:
// on a host where a trap costs 4 µs or 80 µs (shared/docs/HOST.md), kernel entries per MiB judge a
// data path independently of the machine (issue 14).
//   kstat [-b BYTES] COMMAND [ARGUMENT…]      exit status: the command's (125/126/127 as `time`)
import ABI
import UserLib
import UserRuntime
import Utilities
import UtilitiesGuest

func counters() -> sv_kernel_counters? {
    var c = sv_kernel_counters()
    // SAFETY: the kernel stores one sv_kernel_counters into the local.
    let r = withUnsafeMutablePointer(to: &c) { sv_syscall1(Int64(SV_SYS_KERNEL_COUNTERS), UInt64(UInt(bitPattern: $0))) }
    return r == 0 ? c : nil
}

func fail(_ message: String, status: Int32) -> Never {
    _ = Unix.writeAll(2, Array(("kstat: " + message + "\n").utf8))
    System.exit(status)
}

/// `n` per MiB of `bytes`, with two decimals (integer arithmetic: user programs print no floats here).
func perMiB(_ n: UInt64, _ bytes: UInt64) -> String {
    let hundredths = n.multipliedReportingOverflow(by: 100 << 20)
    guard !hundredths.overflow, bytes > 0 else { return "-" }
    let v = hundredths.partialValue / bytes
    let fraction = v % 100
    return "\(v / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
}

func main() -> Never {
    var arguments = Array(System.arguments.dropFirst())
    var bytes: UInt64? = nil
    if arguments.first == "-b" {
        guard arguments.count >= 2, let b = UInt64(arguments[1]) else { fail("-b needs a byte count", status: 125) }
        bytes = b
        arguments.removeFirst(2)
    }
    if arguments.first == "--" { arguments.removeFirst() }
    guard !arguments.isEmpty else { fail("usage: kstat [-b BYTES] COMMAND [ARGUMENT...]", status: 125) }
    guard let before = counters() else { fail("the kernel gives no counters", status: 125) }
    let start = System.clock()
    let status: Int32
    switch GuestIO().execute(arguments, environment: nil) {
    case .success(let s): status = s
    case .failure(let e): fail("cannot run \(arguments[0]): error \(e.code)", status: e == .ENOENT ? 127 : 126)
    }
    let elapsed = System.clock() &- start
    guard let after = counters() else { fail("the kernel gives no counters", status: 125) }

    let rows: [(String, UInt64)] = [
        ("kernel entries", after.entries &- before.entries),
        ("system calls", after.syscalls &- before.syscalls),
        ("exceptions", after.exceptions &- before.exceptions),
        ("page faults", after.page_faults &- before.page_faults),
        ("interrupts", after.interrupts &- before.interrupts),
        ("timer ticks", after.timer_ticks &- before.timer_ticks),
        ("address-space switches", after.space_switches &- before.space_switches),
        ("thread switches", after.thread_switches &- before.thread_switches),
        ("IPC calls", after.ipc_calls &- before.ipc_calls),
        ("IPC replies", after.ipc_replies &- before.ipc_replies),
        ("IPC notices", after.ipc_notices &- before.ipc_notices),
    ]
    // The wall time beside the counts, so a benchmark gets both from one run (in microseconds:
    // the clock is the kernel's TSC-based monotonic one).
    var report = "kstat: elapsed \(elapsed / 1000) us\n"
    for (name, n) in rows {
        report += "kstat: \(name) \(n)"
        if let bytes { report += " (\(perMiB(n, bytes)) per MiB)" }
        report += "\n"
    }
    _ = Unix.writeAll(2, Array(report.utf8))
    System.exit(status)
}

main()
