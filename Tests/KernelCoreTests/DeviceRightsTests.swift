// DeviceRightsTests.swift — per-device rights on the host (issue 16 §4): a driver maps only the
// devices its parent handed it at spawn, a right is passed on but never made, and a process
// without any right gets EPERM.
import ABI
import KernelCore
import Testing

@Test func aDriverMapsOnlyTheDevicesItWasGiven() {
    let m = Machine()
    m.kernel.setDeviceCount(3)
    let blkd = m.start("blkd"), ttyd = m.start("ttyd"), shell = m.start("sh")
    blkd.deviceRights = 0b001
    ttyd.deviceRights = 0b100
    #expect(ok(m.kernel.claimDevice(0, by: blkd)))
    #expect(err(m.kernel.claimDevice(2, by: blkd)) == SV_EPERM, "the console is not the disk driver's")
    #expect(err(m.kernel.claimDevice(1, by: blkd)) == SV_EPERM, "nor a device nobody was given")
    #expect(ok(m.kernel.claimDevice(2, by: ttyd)))
    #expect(err(m.kernel.claimDevice(0, by: ttyd)) == SV_EPERM, "EPERM before EBUSY: not its device at all")
    for i in 0..<3 { #expect(err(m.kernel.claimDevice(i, by: shell)) == SV_EPERM) }
    #expect(err(m.kernel.claimDevice(3, by: blkd)) == SV_ENODEV)
    #expect(err(m.kernel.claimDevice(-1, by: blkd)) == SV_ENODEV)
    #expect(m.kernel.devices.owners == [blkd.pid, 0, ttyd.pid])
}

@Test func spawnPassesOnASubsetOfTheParentsRightsAndNeverMore() {
    let m = Machine()
    let initProcess = m.start("init"), driver = m.start("blkd"), shell = m.start("sh")
    initProcess.deviceRights = UInt64.max
    driver.deviceRights = 0b0101
    let set = UInt64(SV_SPAWN_DEVICE_SET), all = UInt64(SV_SPAWN_DEVICES)
    #expect(m.kernel.grantedDevices(from: initProcess, flags: set, requested: 0b10) == .success(0b10))
    #expect(m.kernel.grantedDevices(from: driver, flags: set, requested: 0b0100) == .success(0b0100))
    #expect(err(m.kernel.grantedDevices(from: driver, flags: set, requested: 0b0010)) == SV_EPERM, "not the parent's")
    #expect(err(m.kernel.grantedDevices(from: driver, flags: set, requested: 0b0111)) == SV_EPERM, "partly not the parent's")
    #expect(err(m.kernel.grantedDevices(from: driver, flags: set, requested: 0)) == SV_EPERM, "an empty set is no grant")
    #expect(m.kernel.grantedDevices(from: driver, flags: all, requested: 0) == .success(0b0101), "all of the parent's")
    #expect(err(m.kernel.grantedDevices(from: shell, flags: all, requested: 0)) == SV_EPERM)
    #expect(err(m.kernel.grantedDevices(from: shell, flags: set, requested: 1)) == SV_EPERM)
    #expect(m.kernel.grantedDevices(from: driver, flags: 0, requested: 0b0101) == .success(0), "no flag: no rights")
}

@Test func forkKeepsTheDeviceRightsAndMayUseFollowsTheBits() {
    let m = Machine()
    let driver = m.start("ttyd")
    driver.deviceRights = 1 << 5
    #expect(driver.mayUseDevices && driver.mayUse(device: 5))
    #expect(!driver.mayUse(device: 4) && !driver.mayUse(device: -1) && !driver.mayUse(device: 64))
    let pid = try! m.kernel.reservePID().get()
    let child = Process(pid: pid, parentPID: driver.pid, name: Array("ttyd".utf8))
    m.kernel.fork(driver, child: child, thread: Thread(id: pid, pid: pid))
    #expect(child.deviceRights == 1 << 5)
    #expect(!m.start("sh").mayUseDevices)
}

@Test func onlyTheHolderOfTheConsoleRightAttachesTheConsole() throws {
    let m = Machine()
    m.kernel.setDeviceCount(2)
    let blkd = m.start("blkd"), ttyd = m.start("ttyd")
    blkd.deviceRights = 0b01
    ttyd.deviceRights = 0b10 | 1 << UInt64(SV_DEVICE_RIGHT_CONSOLE)
    let stolen = try m.kernel.serve(blkd, name: Array("fake-tty".utf8)).get()
    let tty = try m.kernel.serve(ttyd, name: Array("tty".utf8)).get()
    #expect(err(m.kernel.attachConsole(blkd, endpoint: stolen)) == SV_EPERM, "a disk driver is no terminal server")
    #expect(ok(m.kernel.attachConsole(ttyd, endpoint: tty)))
    #expect(!ttyd.mayUse(device: Int(SV_DEVICE_RIGHT_CONSOLE)), "the console bit is no device index")
    #expect(err(m.kernel.claimDevice(0, by: ttyd)) == SV_EPERM)
}
