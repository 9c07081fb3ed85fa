// Watchdog.swift — ends a run after `--timeout` seconds by kicking the vCPU out of KVM_RUN.
import HostSupport
import KVM

final class Watchdog: @unchecked Sendable {
    let kicker: VCPUKicker
    let threadStart: (@Sendable () -> Void)?
    let monitor = Monitor()
    // Guarded by `monitor`.
    var armed = false
    var firedFlag = false

    init(kicker: VCPUKicker, threadStart: (@Sendable () -> Void)? = nil) {
        self.kicker = kicker
        self.threadStart = threadStart
    }

    var fired: Bool {
        monitor.withLock { firedFlag }
    }

    func arm(seconds: Double) {
        monitor.withLock { armed = true }
        let deadline = monotonicDeadline(afterSeconds: seconds)
        spawnDetachedThread(name: "watchdog") { [self] in
            threadStart?()
            let expire = monitor.withLock {
                while armed && monotonicNanoseconds() < deadline { monitor.wait(untilNanoseconds: deadline) }
                if armed { firedFlag = true }
                return armed
            }
            if expire { kicker.kick() }
        }
    }

    func disarm() {
        monitor.withLock {
            armed = false
            monitor.broadcast()
        }
    }
}
