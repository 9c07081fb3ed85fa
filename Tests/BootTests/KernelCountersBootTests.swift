// KernelCountersBootTests.swift — the kernel's counters (sv_syscall.h struct sv_kernel_counters,
// issue 14): `kstat` prints what a command cost in kernel entries, switches and IPC messages, and
// `swiftvm run --stats` prints the totals the kernel hands over at power-off.
import Foundation
import TestSupport
import Testing

/// The number after `name` in lines like "kstat: NAME N (…)".
func kstatCount(_ text: String, _ name: String) -> UInt64? {
    for line in text.split(separator: "\n") where line.hasPrefix("kstat: " + name + " ") {
        return UInt64(line.dropFirst(("kstat: " + name + " ").count).prefix { $0.isNumber })
    }
    return nil
}

@Test func kstatAndRunStatsReportTheKernelsCounters() throws {
    // Four 1 MiB reads of a file through fsd: each is one forwarded call and one reply.
    let r = try GuestRun.run(["kstat", "-b", "4194304", "dd", "if=/boot/initrd.img", "of=/dev/null", "bs=1048576", "count=4"],
                             options: ["--ephemeral", "--stats"])
    #expect(r.status == 0, "\(r.stderr)")
    let entries = try #require(kstatCount(r.stderr, "kernel entries"), "\(r.stderr)")
    let syscalls = try #require(kstatCount(r.stderr, "system calls"))
    let interrupts = try #require(kstatCount(r.stderr, "interrupts"))
    let exceptions = try #require(kstatCount(r.stderr, "exceptions"))
    let calls = try #require(kstatCount(r.stderr, "IPC calls"))
    let replies = try #require(kstatCount(r.stderr, "IPC replies"))
    #expect(entries == syscalls + interrupts + exceptions)
    // dd's reads (4) reach fsd, fsd's device reads reach blkd, and dd is started and waited for.
    #expect(calls >= 4 && replies >= 4 && calls < 200, "\(r.stderr)")
    #expect(syscalls >= 8, "\(r.stderr)")
    #expect(r.stderr.contains("(") && r.stderr.contains("per MiB)"))
    // The run's totals, from the kernel at power-off: at least what kstat saw inside it.
    let line = try #require(r.stderr.split(separator: "\n").first { $0.contains("guest kernel") }, "\(r.stderr)")
    let total = UInt64(line.split(separator: " ").first { UInt64($0) != nil } ?? "") ?? 0
    #expect(total >= entries, "\(line)")
}

@Test func kstatPassesOnTheCommandsStatusAndRefusesNoCommand() throws {
    let failing = try GuestRun.run(["kstat", "sh", "-c", "exit 7"])
    #expect(failing.status == 7, "\(failing.stderr)")
    #expect(kstatCount(failing.stderr, "kernel entries") != nil)
    let missing = try GuestRun.run(["kstat", "no-such-program"])
    #expect(missing.status == 127, "\(missing.stderr)")
    let none = try GuestRun.run(["kstat"])
    #expect(none.status == 125 && none.stderr.contains("usage"), "\(none.stderr)")
}
