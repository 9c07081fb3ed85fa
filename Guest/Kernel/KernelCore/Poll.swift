// Poll.swift — poll(2)'s readiness rules (POSIX XSH poll(), Linux's pipe_poll for the details) and
// who waits in it. The machine layer reads and writes the caller's pollfd array and re-checks a
// waiting poll each time it is woken (PollCalls.swift); anything that can make a descriptor ready
// — a pipe changing, console input, the deadline — wakes the pollers.
import ABI

public enum Readiness {
    /// The events `file` has now, before masking: the console's readability is the machine's to know.
    public static func of(_ file: OpenFile, consoleHasInput: Bool) -> Int16 {
        var ready: Int32 = 0
        switch file.kind {
        case .console:
            ready = SV_POLLOUT | (consoleHasInput ? SV_POLLIN : 0)
        case .errorConsole:
            ready = SV_POLLOUT
        case .pipeReader(let pipe):
            if pipe.count > 0 { ready |= SV_POLLIN }
            if pipe.writers == 0 { ready |= SV_POLLHUP }
        case .pipeWriter(let pipe):
            if pipe.readers == 0 { ready |= SV_POLLERR } else if pipe.space > 0 { ready |= SV_POLLOUT }
        case .remote, .device:
            // A regular file or a kernel device never blocks (XSH poll(): "Regular files shall
            // always poll TRUE for reading and writing").
            ready = SV_POLLIN | SV_POLLOUT
        }
        if !file.mayRead { ready &= ~SV_POLLIN }
        if !file.mayWrite { ready &= ~SV_POLLOUT }
        return Int16(ready)
    }

    /// revents for a pollfd: what was asked for, plus the conditions always reported.
    public static func revents(_ file: OpenFile?, fd: Int32, events: Int16, consoleHasInput: Bool) -> Int16 {
        guard fd >= 0 else { return 0 }
        guard let file else { return Int16(SV_POLLNVAL) }
        let always = Int16(SV_POLLERR | SV_POLLHUP | SV_POLLNVAL)
        return of(file, consoleHasInput: consoleHasInput) & (events | always)
    }
}

extension KernelState {
    /// `t` waits in poll until something changes or `deadline`.
    public func waitForPoll(_ t: Thread, until deadline: UInt64) {
        scheduler.block(t, .polling(until: deadline))
    }

    /// Something a poller may watch changed (a pipe, console input): every poller looks again.
    public func wakePollers() {
        for t in threads where { if case .polling = $0.blockReason { return true } else { return false } }(t) {
            scheduler.wake(t)
        }
    }

    /// Pollers whose deadline has passed (each timer tick).
    func wakeExpiredPollers() {
        for t in threads {
            if case .polling(let until) = t.blockReason, until <= now { scheduler.wake(t) }
        }
    }
}
