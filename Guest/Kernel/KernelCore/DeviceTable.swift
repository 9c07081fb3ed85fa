// DeviceTable.swift — which user-mode driver owns which device, and device interrupts as
// wake-ups: an interrupt wakes the driver waiting in irq_wait, or is remembered for its next wait
// (the IOAPIC pins are edge-triggered and never masked, so no edge may be lost). Mapping windows,
// DMA memory and resets touch hardware and page tables: the machine layer does them.
import ABI

public struct DeviceTable {
    /// Per device: it interrupted since its driver last waited.
    public internal(set) var pending: [Bool]
    /// Per device: the pid of the driver that mapped it (0: none). One driver per device — two
    /// would each reset and re-queue it under the other.
    public internal(set) var owners: [Int32]
    /// Per device: the endpoint its interrupts go to as SV_IRQ_NOTICE notices (irq_notify), 0 for
    /// irq_wait's wake-ups. Cleared with the owner.
    public internal(set) var noticeEndpoints: [Int]
    /// Per device: it did not reset when its driver ended, so it may still be doing DMA into that
    /// driver's memory; it is never handed to another driver (until the machine restarts).
    public internal(set) var quarantined: [Bool]

    public init(count: Int) {
        pending = [Bool](repeating: false, count: count)
        owners = [Int32](repeating: 0, count: count)
        noticeEndpoints = [Int](repeating: 0, count: count)
        quarantined = [Bool](repeating: false, count: count)
    }

    public var count: Int { owners.count }

    /// device_map's claim: the first driver to map a device owns it; EBUSY for anyone else,
    /// ENODEV past the last device, EIO for a quarantined one.
    public mutating func claim(_ index: Int, by pid: Int32) -> Result<Void, KernelError> {
        guard index >= 0 && index < count else { return .failure(.init(SV_ENODEV)) }
        guard !quarantined[index] else { return .failure(.init(SV_EIO)) }
        guard owners[index] == 0 || owners[index] == pid else { return .failure(.init(SV_EBUSY)) }
        owners[index] = pid
        return .success(())
    }

    /// Releases every device `pid` owns; returns them (the machine layer resets each).
    mutating func release(owner pid: Int32) -> [Int] {
        var released: [Int] = []
        for i in owners.indices where owners[i] == pid {
            owners[i] = 0
            pending[i] = false
            noticeEndpoints[i] = 0
            released.append(i)
        }
        return released
    }
}

extension KernelState {
    public func setDeviceCount(_ count: Int) { devices = DeviceTable(count: count) }

    /// A device that did not reset when its driver ended: no driver may claim it again.
    public func quarantineDevice(_ index: Int) {
        guard index >= 0 && index < devices.count else { return }
        devices.quarantined[index] = true
    }

    /// device_map's claim (DeviceTable.claim) for process `p`: EPERM unless it holds the right to
    /// that device (a driver cannot map another driver's device, nor one nobody gave it).
    public func claimDevice(_ index: Int, by p: Process) -> Result<Void, KernelError> {
        guard index >= 0 && index < devices.count else { return .failure(.init(SV_ENODEV)) }
        guard p.mayUse(device: index) else { return .failure(.init(SV_EPERM)) }
        return devices.claim(index, by: p.pid)
    }

    /// The device rights a child started by spawn gets (sv_syscall.h SV_SPAWN_*): with
    /// SV_SPAWN_DEVICE_SET exactly `requested`, which must be a non-empty subset of the parent's;
    /// with SV_SPAWN_DEVICES alone all of the parent's; none without either. A right can only be
    /// passed on, never made: EPERM for any device the parent does not hold.
    public func grantedDevices(from parent: Process, flags: UInt64, requested: UInt64) -> Result<UInt64, KernelError> {
        if flags & UInt64(SV_SPAWN_DEVICE_SET) != 0 {
            guard requested != 0, requested & ~parent.deviceRights == 0 else { return .failure(.init(SV_EPERM)) }
            return .success(requested)
        }
        if flags & UInt64(SV_SPAWN_DEVICES) != 0 {
            guard parent.mayUseDevices else { return .failure(.init(SV_EPERM)) }
            return .success(parent.deviceRights)
        }
        return .success(0)
    }

    /// irq_wait(index) by `t`: returns at once (completion set) if the device interrupted since
    /// the last wait, else blocks. ENODEV: no such device; EBUSY: `t`'s process does not own it.
    public func waitForInterrupt(_ t: Thread, device index: Int) -> Result<Void, KernelError> {
        guard index >= 0 && index < devices.count else { return .failure(.init(SV_ENODEV)) }
        guard devices.owners[index] == t.pid else { return .failure(.init(SV_EBUSY)) }
        if devices.pending[index] {
            devices.pending[index] = false
            t.completion = Completion(result: 0)
        } else {
            scheduler.block(t, .waitingForIRQ(device: index))
        }
        return .success(())
    }

    /// irq_notify(index, endpoint) by `p`: the device's interrupts become notices on `endpoint`
    /// (0: irq_wait again). EBUSY unless `p` drives the device; EPERM unless it serves the endpoint.
    public func notifyInterrupts(_ p: Process, device index: Int, endpoint id: Int) -> Result<Void, KernelError> {
        guard index >= 0 && index < devices.count else { return .failure(.init(SV_ENODEV)) }
        guard devices.owners[index] == p.pid else { return .failure(.init(SV_EBUSY)) }
        if id != 0 {
            guard let e = ipc.endpoint(id), e.owner == p.pid else { return .failure(.init(SV_EPERM)) }
        }
        devices.noticeEndpoints[index] = id
        // An interrupt remembered for irq_wait is not lost by the switch: it becomes a notice.
        if id != 0 && devices.pending[index] {
            devices.pending[index] = false
            deviceInterrupted(index)
        }
        return .success(())
    }

    /// Device `index` interrupted: a notice to its driver's endpoint (irq_notify), or wake its
    /// waiting driver, or remember it.
    public func deviceInterrupted(_ index: Int) {
        guard index >= 0 && index < devices.count else { return }
        let id = devices.noticeEndpoints[index]
        if id != 0, let e = ipc.endpoint(id), e.owner == devices.owners[index] {
            var notice = sv_irq_notice()
            notice.op = UInt8(SV_IRQ_NOTICE)
            notice.device = UInt32(index)
            notify(e, withUnsafeBytes(of: &notice) { Array($0) })
            return
        }
        if let waiter = threads.first(where: { $0.blockReason == .waitingForIRQ(device: index) }) {
            waiter.completion = Completion(result: 0)
            scheduler.wake(waiter)
        } else {
            devices.pending[index] = true
        }
    }
}
