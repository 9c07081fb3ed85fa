// Counters.swift — what the kernel counts: its entries by kind, address-space and thread switches,
// and IPC messages (ABI: struct sv_kernel_counters in sv_syscall.h). On a machine where a trap
// costs 4 µs or 80 µs (shared/docs/HOST.md), these counts — per MiB moved, per operation — are
// the figures that judge a data path independently of the machine (issue 14). The machine layer
// counts entries and switches; KernelState counts IPC where it happens.
import ABI

public struct KernelCounters {
    public var syscalls: UInt64 = 0
    public var exceptions: UInt64 = 0
    public var interrupts: UInt64 = 0
    public var pageFaults: UInt64 = 0
    public var spaceSwitches: UInt64 = 0
    public var threadSwitches: UInt64 = 0
    public var ipcCalls: UInt64 = 0
    public var ipcReplies: UInt64 = 0
    public var ipcNotices: UInt64 = 0
    public var timerTicks: UInt64 = 0

    public init() {}

    public var entries: UInt64 { syscalls &+ exceptions &+ interrupts }

    /// The ABI form.
    public var abi: sv_kernel_counters {
        sv_kernel_counters(entries: entries, syscalls: syscalls, exceptions: exceptions, interrupts: interrupts,
                           page_faults: pageFaults, space_switches: spaceSwitches, thread_switches: threadSwitches,
                           ipc_calls: ipcCalls, ipc_replies: ipcReplies, ipc_notices: ipcNotices, timer_ticks: timerTicks)
    }
}
