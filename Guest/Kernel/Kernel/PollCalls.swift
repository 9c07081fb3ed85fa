// PollCalls.swift — poll(fds, nfds, timeout): reads the caller's pollfd array, asks KernelCore's
// Readiness for each descriptor, and either answers now or waits (KernelCore.waitForPoll) and looks
// again whenever it is woken — by a pipe changing, console input, or its deadline (Dispatch).
import ABI
import Arch
import KernelCore

struct PendingPoll {
    var address: UInt64
    var count: Int
    /// ns since boot; UInt64.max: no timeout.
    var deadline: UInt64
}

enum PollCalls {
    static func poll(_ t: UserThread, fds address: UInt64, count: UInt64, timeout: UInt64) -> UInt64? {
        guard count <= UInt64(SV_POLL_MAX) else { return Syscalls.errno(SV_EINVAL) }
        let size = UInt64(MemoryLayout<sv_pollfd>.size)
        do { try t.userMemory.checkRange(address, count * size) } catch { return Syscalls.errno(SV_EFAULT) }
        let milliseconds = Int64(Int32(truncatingIfNeeded: timeout))
        let now = Clock.nanoseconds()
        let deadline = milliseconds < 0 ? UInt64.max : now &+ UInt64(milliseconds) &* 1_000_000
        t.pendingPoll = PendingPoll(address: address, count: Int(count), deadline: deadline)
        resume(t)
        return nil     // resume set rax, or the thread waits
    }

    /// Looks at every descriptor: answers (rax, revents stored, true) when one is ready, the
    /// deadline has passed or the array faults; otherwise blocks the thread again (false).
    @discardableResult
    static func resume(_ t: UserThread) -> Bool {
        guard let poll = t.pendingPoll else { return true }
        let size = MemoryLayout<sv_pollfd>.size
        guard var bytes = try? t.userMemory.bytes(at: poll.address, count: poll.count * size) else {
            return finish(t, Syscalls.errno(SV_EFAULT))
        }
        var ready: UInt64 = 0
        let consoleHasInput = !ConsoleInput.buffer.isEmpty
        for i in 0..<poll.count {
            let at = i * size
            let fd = Int32(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
            let events = Int16(bitPattern: UInt16(bytes[at + 4]) | UInt16(bytes[at + 5]) << 8)
            let revents = Readiness.revents(fd >= 0 ? t.process.descriptors.file(fd) : nil, fd: fd, events: events,
                                            consoleHasInput: consoleHasInput)
            bytes[at + 6] = UInt8(truncatingIfNeeded: UInt16(bitPattern: revents))
            bytes[at + 7] = UInt8(truncatingIfNeeded: UInt16(bitPattern: revents) >> 8)
            if revents != 0 { ready += 1 }
        }
        if ready > 0 || Clock.nanoseconds() >= poll.deadline {
            guard (try? t.userMemory.store(bytes, at: poll.address)) != nil else { return finish(t, Syscalls.errno(SV_EFAULT)) }
            return finish(t, ready)
        }
        kernel.waitForPoll(t, until: poll.deadline)
        return false
    }

    static func finish(_ t: UserThread, _ result: UInt64) -> Bool {
        t.pendingPoll = nil
        t.context.rax = result
        return true
    }
}
