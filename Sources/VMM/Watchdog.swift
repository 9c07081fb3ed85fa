// Watchdog.swift — ends a run after `--timeout` seconds by kicking the vCPU out of KVM_RUN.
import Foundation
import KVM

final class Watchdog: @unchecked Sendable {
    let kicker: VCPUKicker
    let condition = NSCondition()
    var armed = false
    var firedFlag = false

    init(kicker: VCPUKicker) { self.kicker = kicker }

    var fired: Bool {
        condition.lock(); defer { condition.unlock() }
        return firedFlag
    }

    func arm(seconds: Double) {
        condition.lock(); armed = true; condition.unlock()
        let deadline = Date(timeIntervalSinceNow: seconds)
        let thread = Thread { [self] in
            condition.lock()
            while armed && Date() < deadline { _ = condition.wait(until: deadline) }
            let expire = armed
            if expire { firedFlag = true }
            condition.unlock()
            if expire { kicker.kick() }
        }
        thread.name = "watchdog"
        thread.start()
    }

    func disarm() {
        condition.lock(); armed = false; condition.signal(); condition.unlock()
    }
}
